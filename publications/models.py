from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Lower, Upper
from django.urls import reverse

from core.models import PublicModel, PublicQuerySet, PublicRow
from profiles.models import Organization, Person

from .abstracts import abstract_text
from .arxiv_taxonomy import category_name, short_code


class Topic(PublicModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True, help_text="Markdown. A short summary of the topic.")

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"slug": self.slug})


#: Columns no page shows (the raw record an import read).
ROW_UNUSED_FIELDS = ("source_record",)
#: Columns of ``summaries()``: a paper's link, title, venue, date, kind, visibility,
#: citation figures and when it was added (what a profile's timeline, groups and metrics
#: read).
SUMMARY_FIELDS = (
    "slug",
    "title",
    "venue",
    "kind",
    "published_on",
    "date_precision",
    "is_published",
    "publish_at",
    "unpublish_at",
    "citation_count",
    "citation_count_as_of",
    "citation_source",
    "citations_by_year",
    "created_at",  # where the profile's timeline places an undated paper
)


def listing_lookups():
    """What a paper row shows besides the paper: its authors in order with their people
    and affiliations, and its institutions (three queries, whatever the number of rows)."""
    return (
        Prefetch("authorships", queryset=Authorship.objects.select_related("person")),
        "authorships__affiliations",
        "organizations",
    )


def rows_to_render(papers):
    """``papers`` with every column a paper row shows: as they are, or reloaded in one
    query when some were loaded as ``summaries()``."""
    papers = list(papers)
    if not any(set(paper.get_deferred_fields()) - set(ROW_UNUSED_FIELDS) for paper in papers):
        return papers
    full = Publication.objects.for_rows().in_bulk([paper.pk for paper in papers])
    return [full.get(paper.pk, paper) for paper in papers]


def summary_of(paper):
    """``paper`` as ``summaries()`` would have loaded it: the other columns deferred, no
    relations (small to keep in a cache)."""
    names = {"id", *SUMMARY_FIELDS}
    fields = [f.attname for f in Publication._meta.concrete_fields if f.attname in names]
    return Publication.from_db(paper._state.db, fields, [getattr(paper, field) for field in fields])


def prefetch_for_listing(papers):
    """Load onto already-fetched ``papers`` what ``for_listing()`` would have prefetched,
    skipping what is loaded already: for pages that render most rows from a cache and
    fetch the relations of the others only."""
    prefetch_related_objects(list(papers), *listing_lookups())


#: The publishing window's columns, last in the sort indexes: a page is filtered from
#: the index alone.
WINDOW = ("publish_at", "unpublish_at")


class PublicationQuerySet(PublicQuerySet):
    def for_listing(self):
        """Paper lists: authors (with people and affiliations) and institutions prefetched,
        a fixed number of queries whatever the number of rows."""
        return self.prefetch_related(*listing_lookups())

    def for_rows(self):
        """Papers for the ``paper_rows`` template tag: their own columns, without the raw
        import record. The tag prefetches the relations of the rows it has to render
        (``prefetch_for_listing``) and keeps every row per content generation, so a page
        whose rows are all kept runs no prefetch at all."""
        return self.defer(*ROW_UNUSED_FIELDS)

    def summaries(self):
        """Papers with only the columns a page reads from each besides its row: what
        links, dates, groups and counts it (``SUMMARY_FIELDS``, about half the cost of a
        full row to load). ``paper_rows`` reloads in full the rows it has to render."""
        return self.only(*SUMMARY_FIELDS)

    def for_detail(self):
        """The paper page: everything the list needs, plus topics."""
        return self.for_listing().prefetch_related("topics")

    def for_citation(self):
        """Exports (BibTeX, RIS, CSL-JSON) and feeds: the authors in order, in one extra
        query whatever the number of papers."""
        return self.prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person"))
        )


class Publication(PublicModel):
    class Kind(models.TextChoices):
        JOURNAL_ARTICLE = "journal_article", "Journal article"
        CONFERENCE_PAPER = "conference_paper", "Conference paper"
        PREPRINT = "preprint", "Preprint"
        REPORT = "report", "Report"
        THESIS = "thesis", "Thesis"
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        POST = "post", "Blog or forum post"
        OTHER = "other", "Other"

    class DatePrecision(models.TextChoices):
        YEAR = "year", "Year"
        MONTH = "month", "Month"
        DAY = "day", "Day"

    slug = models.SlugField(max_length=255, unique=True)
    title = models.CharField(max_length=1000)
    abstract = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PREPRINT)
    published_on = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="For a year or month only, pick its first day and set the precision.",
    )
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    venue = models.CharField(max_length=500, blank=True, help_text="Journal or conference.")
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    journal_ref = models.CharField("journal reference", max_length=500, blank=True)
    note = models.CharField(max_length=1000, blank=True, help_text="e.g. arXiv comment.")
    keywords = models.JSONField(default=list, blank=True)

    doi = models.CharField("DOI", max_length=255, blank=True, help_text="e.g. 10.1000/xyz123")
    arxiv_id = models.CharField(
        "arXiv id", max_length=40, blank=True, help_text="Without version, e.g. 2401.05566."
    )
    arxiv_version = models.PositiveSmallIntegerField("arXiv version", null=True, blank=True)
    semantic_scholar_id = models.CharField("Semantic Scholar id", max_length=40, blank=True)
    openalex_id = models.CharField("OpenAlex id", max_length=40, blank=True)

    url = models.URLField(max_length=1000, blank=True)
    pdf_url = models.URLField("PDF URL", max_length=1000, blank=True)
    code_url = models.URLField("code URL", max_length=1000, blank=True)

    arxiv_primary_category = models.CharField(
        "arXiv primary category", max_length=20, blank=True, help_text="e.g. cs.LG"
    )
    arxiv_categories = models.JSONField(
        "other arXiv categories", default=list, blank=True, help_text='e.g. ["cs.AI", "cs.CL"]'
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="publications")
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="publications",
        verbose_name="institutions",
        help_text="Institutions of the paper as a whole, when per-author affiliations "
        "are not known.",
    )
    has_more_authors = models.BooleanField(
        "author list incomplete",
        default=False,
        help_text="Tick when the source lists only the first authors (“et al.”).",
    )

    citation_count = models.PositiveIntegerField(null=True, blank=True)
    citation_count_as_of = models.DateField("citations counted on", null=True, blank=True)
    citation_source = models.CharField(max_length=100, blank=True)
    citations_by_year = models.JSONField(
        default=dict, blank=True, help_text='Citations received per year, e.g. {"2024": 31}.'
    )

    is_featured = models.BooleanField("featured", default=False)
    source_record = models.JSONField(
        default=dict, blank=True, help_text="The raw record this paper was imported from."
    )
    edited_fields = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Fields an editor changed by hand; imports leave them alone.",
    )
    import_fingerprint = models.CharField(
        max_length=80,
        blank=True,
        editable=False,
        help_text="Digest of the record the last import merged with no effect, and that "
        "import run: a re-import skips an identical record while nothing else changed.",
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # One index per sort of the paper list (publications.filters.SORTS), in its
            # exact order after the published flag, ending with the publishing window:
            # a page at any depth is read off the index, never sorted. On PostgreSQL
            # migration 0006 rebuilds the first two with DESC NULLS LAST, the order the
            # sorts ask for (SQLite puts NULLs last in DESC anyway, and rejects the words).
            models.Index(
                fields=["is_published", "-published_on", "title", "id", *WINDOW],
                name="pub_newest",
            ),
            models.Index(
                fields=["is_published", "-citation_count", "-published_on", "id", *WINDOW],
                name="pub_most_cited",
            ),
            models.Index(fields=["is_published", "title", "id", *WINDOW], name="pub_by_title"),
            # Every visible-paper count (lists, facets, home) reads only this index: the
            # publishing window is checked without reading the (large) rows.
            models.Index(fields=["is_published", "publish_at", "unpublish_at"], name="pub_visible"),
            # The category and venue filters ignore case (UPPER on both sides,
            # publications.filters): these serve them, with a year range and the
            # publishing window, from the index alone.
            models.Index(
                Upper("arxiv_primary_category"),
                F("is_published"),
                F("published_on"),
                *(F(name) for name in WINDOW),
                name="pub_category_ci",
            ),
            models.Index(
                Upper("venue"),
                F("is_published"),
                F("published_on"),
                *(F(name) for name in WINDOW),
                name="pub_venue_ci",
            ),
            models.Index(fields=["kind"], name="pub_kind"),
            models.Index(fields=["-citation_count"], name="pub_citation_count"),
            models.Index(fields=["title"], name="pub_title"),
            models.Index(fields=["is_featured"], name="pub_featured"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="publication_unique_doi",
                violation_error_message="Another paper already has this DOI.",
            ),
            models.UniqueConstraint(
                fields=["arxiv_id"], condition=~Q(arxiv_id=""), name="publication_unique_arxiv_id"
            ),
            models.UniqueConstraint(
                fields=["semantic_scholar_id"],
                condition=~Q(semantic_scholar_id=""),
                name="publication_unique_semantic_scholar_id",
            ),
            models.UniqueConstraint(
                fields=["openalex_id"],
                condition=~Q(openalex_id=""),
                name="publication_unique_openalex_id",
            ),
        ]

    def __str__(self):
        year = f" ({self.published_on.year})" if self.published_on else ""
        return f"{self.title}{year}"

    def note_edited(self, names):
        """Fields an editor set by hand, kept through later imports (``edited_fields``);
        a change to the author rows counts as ``authors``."""
        names = {"authors" if name == "authorships" else name for name in names}
        self.edited_fields = sorted(set(self.edited_fields or ()) | names)

    @property
    def plain_abstract(self):
        """The abstract as plain Unicode text, TeX markup decoded (``abstracts``)."""
        return abstract_text(self.abstract)

    @property
    def listed_authorships(self):
        """The author list in order: the authors whose position is known."""
        return [a for a in self.authorships.all() if a.position is not None]

    @property
    def unlisted_authorships(self):
        """Authors known to be behind “et al.”, their position unknown."""
        return [a for a in self.authorships.all() if a.position is None]

    @property
    def is_author_list_truncated(self):
        """Whether the ordered author list is incomplete (shown with “et al.”)."""
        return self.has_more_authors or any(a.position is None for a in self.authorships.all())

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def year(self):
        return self.published_on.year if self.published_on else None

    @property
    def primary_category_short(self):
        return short_code(self.arxiv_primary_category)

    @property
    def primary_category_name(self):
        return category_name(self.arxiv_primary_category)

    @property
    def arxiv_url(self):
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""


class Authorship(PublicRow):
    """One author of a paper, at its position. Author order is data, kept exactly.

    An author without a position is one the paper is known to have but whose place in the
    list the source does not give: they are among the authors behind “et al.” (a scholar
    page that lists three authors and “…” for a paper of twenty). They count for their
    profile (the paper is on it, in its metrics and filters) but never enter an ordered
    author list: citations, exports and metadata list the positioned authors and “et al.”.
    """

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships"
    )
    position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="1 for the first author. Leave empty for an author known to be among "
        "those behind “et al.”, whose place in the list is not known.",
    )
    name = models.CharField("name as written", max_length=300)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authorships",
        help_text="The profile of this author, if they have one.",
    )
    affiliations = models.ManyToManyField(Organization, blank=True, related_name="authorships")
    is_equal_contribution = models.BooleanField("equal contribution", default=False)
    is_corresponding = models.BooleanField("corresponding author", default=False)

    class Meta:
        # Authors without a position come last, on every database.
        ordering = ["publication", models.F("position").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["person", "publication"], name="authorship_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "position"], name="authorship_unique_position"
            ),
            models.UniqueConstraint(
                fields=["publication", "person"],
                condition=Q(position__isnull=True, person__isnull=False),
                name="authorship_unique_unlisted_person",
                violation_error_message="This person is already behind “et al.” on this paper.",
            ),
        ]

    def __str__(self):
        if self.position is None:
            return f"et al.: {self.name}"
        return f"{self.position}. {self.name}"

    @property
    def behind_et_al(self):
        """Known to be an author, among those behind “et al.”; position unknown."""
        return self.position is None


class ImportRun(models.Model):
    """One run of an import: who, when, what, with which options, and what came of it."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    source = models.CharField(max_length=1000, help_text="File names or online ids.")
    format = models.CharField(max_length=30, blank=True)
    checksum = models.CharField("SHA-256", max_length=64, blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    messages = models.JSONField(default=list, blank=True)
    world_state = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Digest of the papers, authors and people as this run left them.",
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Import of {self.source} at {self.started_at:%Y-%m-%d %H:%M}"


class ImportRunPaper(models.Model):
    """A paper an import run created or changed (a dry run writes none, and is not kept)."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="papers")
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="import_records"
    )
    action = models.CharField(max_length=10, choices=Action)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "publication"], name="import_run_paper_once")
        ]

    def __str__(self):
        return f"{self.get_action_display()} by run #{self.run_id}: paper #{self.publication_id}"
