"""Reads that combine the content apps: each page's composition in one function.

Every function takes the requesting user and shows drafts only to staff
(``visible_to``), so a page built here cannot leak an unpublished object. Each
runs a fixed number of queries, whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.db.visibility import can_preview, is_shown, shown
from core.http.listing import count_each
from core.http.page_cache import cached_each_for_content, cached_for_content
from core.models import published_q
from media_items.models import Appearance, MediaItem
from profiles.models import Person
from publications.metrics import profile_metrics
from publications.models import (
    Authorship,
    Publication,
    Topic,
    prefetch_for_listing,
    summary_of,
)

from .models import SelectedWork

ACTIVITY_PER_PAGE = 10


def published_people_with_papers(user):
    """People with at least one visible paper, with how many (for facets and lists)."""
    papers = Q(authorships__publication__in=Publication.objects.visible_to(user))
    return (
        Person.objects.visible_to(user)
        .annotate(paper_count=Count("authorships__publication", filter=papers, distinct=True))
        .filter(paper_count__gt=0)
        .order_by("name")
    )


def visible_through(rows, prefix, user):
    """``rows`` narrowed to those whose related object (at ``prefix``) ``user`` may see,
    as a join (an ``IN (subquery)`` inside a correlated subquery is re-run per row)."""
    related = rows.model._meta.get_field(prefix.removesuffix("__")).related_model
    return rows if can_preview(user, related) else rows.filter(published_q(prefix))


def related_count(rows, outer, counted):
    """How many distinct ``counted`` of ``rows`` point at the outer row through ``outer``,
    as a correlated subquery: one small index lookup per listed row, where two counted
    joins in one query would multiply their rows (papers × appearances per person)."""
    return Coalesce(
        Subquery(
            rows.filter(**{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(n=Count(counted, distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_counts(rows, user, *, name, counts):
    """``rows`` (loaded objects of one model, as a list), each given the attributes of
    ``counts`` ({attribute: expression}, as for ``annotate``), counted in one query for
    them all, not in the query that lists them: correlated counts over every paper are
    the costliest part of a list of people or topics.

    Each row's figures are kept per content generation (``cached_each_for_content``,
    under ``name``; never for a viewer who sees drafts), so a later page listing the
    same rows counts nothing."""
    rows = list(rows)
    if not rows:
        return rows
    model = type(rows[0])

    def count(pks):
        found = model._base_manager.filter(pk__in=pks).annotate(**counts).values("pk", *counts)
        return {row.pop("pk"): row for row in found}

    names = {f"{name}:{row.pk}": row.pk for row in rows}
    kept = cached_each_for_content(
        names,
        lambda missing: {f"{name}:{pk}": n for pk, n in count([names[m] for m in missing]).items()},
        user=user,
    )
    figures = {pk: kept[key] for key, pk in names.items() if key in kept}
    for row in rows:
        for attribute, value in figures.get(row.pk, dict.fromkeys(counts, 0)).items():
            setattr(row, attribute, value)
    return rows


# -- home ------------------------------------------------------------------------------------
def home_page(user, *, papers=8, media=6, people=12):
    all_people = people_list_queryset(user)
    first = list(all_people[:people])  # featured people come first
    featured = [person for person in first if person.is_featured] or first
    totals = count_each(
        people=all_people,
        papers=Publication.objects.visible_to(user),
        media=MediaItem.objects.visible_to(user),
    )
    return {
        "featured_people": with_people_counts(featured, user),
        "newest_publications": list(
            Publication.objects.for_rows()
            .visible_to(user)
            .order_by(F("published_on").desc(nulls_last=True), "title")[:papers]
        ),
        "newest_media": list(
            MediaItem.objects.for_listing()
            .visible_to(user)
            .order_by(F("published_on").desc(nulls_last=True), "title")[:media]
        ),
        "topics": with_topic_counts(Topic.objects.order_by("name").visible_to(user)[:12], user),
        "totals": totals,
    }


def people_list_queryset(user):
    """People for lists, featured first; ``with_people_counts`` adds their figures."""
    return Person.objects.for_listing().visible_to(user).order_by("-is_featured", "name")


def with_people_counts(people, user):
    """``people``, each with how many visible papers and appearances they have
    (``paper_count``, ``appearance_count``)."""
    counts = {
        "paper_count": related_count(
            visible_through(Authorship.objects.all(), "publication__", user),
            "person",
            "publication",
        ),
        "appearance_count": related_count(
            visible_through(Appearance.objects.all(), "media_item__", user),
            "person",
            "media_item",
        ),
    }
    return with_counts(people, user, name="person-counts", counts=counts)


# -- profile ---------------------------------------------------------------------------------
@dataclass
class ActivityEntry:
    date: date | None
    kind: str  # "paper" or "appearance"
    obj: object
    role: str = ""
    starts_page: int | None = None

    @property
    def year(self):
        return self.date.year if self.date else None

    @property
    def added_on(self):
        """The day the entry was added to this site (in the site's time zone)."""
        return timezone.localdate(self.obj.created_at)

    @property
    def placed_on(self):
        """Where the timeline places the entry: its date, or, undated, the day it was
        added here (as a feed reader places an entry without a date where it first saw
        it), so that an undated appearance does not sink below years of papers."""
        return self.date or self.added_on


@dataclass
class ActivityPage:
    entries: list
    number: int
    first_number: int
    num_pages: int
    total: int
    per_page: int = ACTIVITY_PER_PAGE

    @property
    def shown_until(self):
        """How many entries the visitor has seen once this page is on screen."""
        return min(self.number * self.per_page, self.total)

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def next_number(self):
        return self.number + 1


def person_papers(person, user):
    """``person``'s visible papers, newest first: their own columns only (``for_rows``);
    ``profile_sections`` and the ``paper_rows`` tag prefetch what they need."""
    # IN (their papers) rather than a join and DISTINCT over every column.
    authored = Authorship.objects.filter(person=person).values("publication")
    return (
        Publication.objects.for_rows()
        .visible_to(user)
        .filter(pk__in=authored)
        .order_by(F("published_on").desc(nulls_last=True), "title", "pk")
    )


def person_appearances(person, user):
    return (
        Appearance.objects.filter(person=person, media_item__in=MediaItem.objects.visible_to(user))
        .select_related("media_item__outlet")
        .order_by(F("media_item__published_on").desc(nulls_last=True), "media_item__title", "pk")
    )


def activity_page(papers, appearances, *, number, per_page=ACTIVITY_PER_PAGE, cumulative=False):
    """One page of a person's activity (papers and appearances, newest first).

    ``cumulative`` gives pages 1 to ``number`` at once: what a visitor without
    JavaScript sees after following "Load more" ``number - 1`` times. A number
    past the end is the last page.
    """
    entries = [ActivityEntry(p.published_on, "paper", p) for p in papers]
    entries += [
        ActivityEntry(a.media_item.published_on, "appearance", a.media_item, a.get_role_display())
        for a in appearances
    ]
    # Newest first, an undated entry on the day it was added here (``placed_on``); on
    # one day, dated entries before undated ones, papers before appearances, then by title.
    entries.sort(
        key=lambda e: (
            -e.placed_on.toordinal(),
            e.date is None,
            e.kind,
            str(e.obj.title).casefold(),
        )
    )
    num_pages = max(1, -(-len(entries) // per_page))
    number = min(max(1, number), num_pages)
    first = 1 if cumulative else number
    for index, entry in enumerate(entries):
        # The first entry of each page is an anchor "Load more" can jump to.
        entry.starts_page = index // per_page + 1 if index % per_page == 0 else None
    return ActivityPage(
        entries=entries[(first - 1) * per_page : number * per_page],
        number=number,
        first_number=first,
        num_pages=num_pages,
        total=len(entries),
        per_page=per_page,
    )


def selected_work(person, user):
    """The profile's pinned work. An entry pointing at a draft keeps only what the
    editor wrote on the profile itself (its own title and URL), never the draft's."""
    rows = SelectedWork.objects.filter(person=person).select_related("publication", "media_item")
    entries = []
    for work in rows:
        target = work.target
        hidden = target is not None and not is_shown(target, user)
        if hidden and not work.title:
            continue
        shown_target = None if hidden else target
        entries.append(
            {
                "title": work.display_title,
                "link": shown_target.get_absolute_url() if shown_target else work.url,
                "note": work.note,
                "year": shown_target.published_on.year
                if shown_target is not None and shown_target.published_on
                else None,
            }
        )
    return entries


def profile_sections(person, user):
    """``(papers, sections)``: ``person``'s visible papers, newest first, and what the
    profile shows that no query parameter changes (metrics and charts, selected work,
    media appearances).

    For a viewer who sees only what visitors see, both are kept per content generation
    (``cached_for_content``; the papers as ``summaries()``, whose rows ``paper_rows``
    keeps too), so a later request reads them without a query. Otherwise, and on a miss,
    the papers are loaded in full with what their rows show (the metrics count their
    authors), and selected work and appearances are read.
    """
    loaded = None

    def compute():
        nonlocal loaded
        loaded = list(person_papers(person, user))
        prefetch_for_listing(loaded)
        sections = {
            **profile_metrics(person, loaded),
            "selected_work": selected_work(person, user),
            "appearances": list(person_appearances(person, user)),
        }
        return {"papers": [summary_of(paper) for paper in loaded], "sections": sections}

    kept = cached_for_content(f"profile:{person.pk}", compute, user=user)
    return (loaded if loaded is not None else kept["papers"]), kept["sections"]


# -- "cited by": the pages on this site that point at an object ------------------------------
@dataclass(frozen=True)
class Citation:
    title: str
    url: str
    type: str


def _selected_work_people(user, **target):
    people = Person.objects.visible_to(user)
    return list(
        people.filter(pk__in=SelectedWork.objects.filter(**target).values("person")).order_by(
            "name"
        )
    )


def media_cited_by(item, user):
    """Pages pointing at a media item: its topics, and the profiles that list it
    (people appearing in it, people who pinned it as selected work)."""
    topics = shown(item.topics.all(), user)
    people = {a.person.pk: a.person for a in item.appearances.all()}
    people.update({p.pk: p for p in _selected_work_people(user, media_item=item)})
    rows = [Citation(t.name, t.get_absolute_url(), "Topic") for t in topics]
    rows += [
        Citation(p.name, p.get_absolute_url(), "Person")
        for p in sorted(shown(people.values(), user), key=lambda p: p.name)
    ]
    return rows


def publication_page(publication, user):
    """A paper page's data from other apps: media discussing it, and the pages
    citing it (topics, profiles of its authors and of people who pinned it)."""
    discussed_in = list(
        MediaItem.objects.visible_to(user)
        .filter(discusses=publication)
        .select_related("outlet")
        .prefetch_related(
            Prefetch("appearances", queryset=Appearance.objects.select_related("person"))
        )
        .defer("cached_content")
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )
    topics = shown(publication.topics.all(), user)
    authors = {
        a.person.pk: a.person for a in publication.authorships.all() if a.person_id is not None
    }
    authors.update({p.pk: p for p in _selected_work_people(user, publication=publication)})
    cited_by = [Citation(t.name, t.get_absolute_url(), "Topic") for t in topics]
    cited_by += [
        Citation(m.title, m.get_absolute_url(), m.get_kind_display()) for m in discussed_in
    ]
    cited_by += [
        Citation(p.name, p.get_absolute_url(), "Person")
        for p in sorted(shown(authors.values(), user), key=lambda p: p.name)
    ]
    return {"discussed_in": discussed_in, "topics": topics, "cited_by": cited_by}


def topic_page(topic, user):
    papers = list(
        Publication.objects.for_rows()
        .visible_to(user)
        .filter(topics=topic)
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )
    media = list(
        MediaItem.objects.for_listing()
        .visible_to(user)
        .filter(topics=topic)
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )
    # People on a topic: authors of its papers and people in its media, with profiles.
    people = (
        Person.objects.for_listing()
        .visible_to(user)
        .filter(
            Q(authorships__publication__in=[p.pk for p in papers])
            | Q(appearances__media_item__in=[m.pk for m in media])
        )
        .distinct()
        .order_by("name")
    )
    return {"papers": papers, "media": media, "people": list(people)}


def with_topic_counts(topics, user):
    """``topics``, each with how many visible papers and media items it has
    (``paper_count``, ``media_count``)."""
    counts = {
        "paper_count": related_count(
            visible_through(Publication.topics.through.objects.all(), "publication__", user),
            "topic",
            "publication",
        ),
        "media_count": related_count(
            visible_through(MediaItem.topics.through.objects.all(), "mediaitem__", user),
            "topic",
            "mediaitem",
        ),
    }
    return with_counts(topics, user, name="topic-counts", counts=counts)
