"""Template helpers for showing papers: folded author lists, affiliation marks,
dates at their precision. They work on prefetched rows and never query.

Author names are built here in Python (``author_name``, ``author_list``,
``et_al``), not with one ``{% include %}`` per author: a profile lists thousands of
them, and an include costs about a hundred times a ``format_html``. Every value is
escaped (``format_html``, ``conditional_escape``); the markup is what the templates
that these replaced produced.
"""

import hashlib
from dataclasses import dataclass, field

from django import template
from django.utils import dateformat
from django.utils.html import conditional_escape, format_html, strip_spaces_between_tags
from django.utils.safestring import mark_safe

from core.http.page_cache import cached_each_for_content
from core.http.site_url import site_origin

from .. import abstracts
from ..models import prefetch_for_listing, rows_to_render

register = template.Library()

ROW_TEMPLATE = "includes/publication_row.html"

AUTHORS_SHOWN = 3  # as on the scholar page: three names, then the rest folded


@dataclass
class AuthorFold:
    shown: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    #: The highlighted author, when they sit past the fold and are shown after "…".
    pulled: object = None
    total: int = 0
    #: Authors known to be behind "et al.", position unknown ("et al., incl. …").
    unlisted: list = field(default_factory=list)
    #: Whether the list ends with "et al.".
    truncated: bool = False


@register.simple_tag
def author_fold(paper, highlight=None, limit=AUTHORS_SHOWN):
    """Split ``paper``'s authors into the first ``limit`` and the rest.

    When ``highlight`` (the profile's own person) is past the fold, they are
    shown anyway, after an ellipsis, matched by identity (``authorship.person``),
    never by name.
    """
    authors = paper.listed_authorships
    # One more name is cheaper to show than a "+1 more" toggle.
    cut = limit if len(authors) > limit + 1 else len(authors)
    shown, hidden = authors[:cut], authors[cut:]
    pulled = None
    highlight_pk = getattr(highlight, "pk", None)
    if highlight_pk is not None:
        for authorship in hidden:
            if authorship.person_id == highlight_pk:
                pulled = authorship
                hidden = [a for a in hidden if a is not authorship]
                break
    return AuthorFold(
        shown=shown,
        hidden=hidden,
        pulled=pulled,
        total=len(authors),
        unlisted=paper.unlisted_authorships,
        truncated=paper.is_author_list_truncated,
    )


@register.filter
def institutions(paper):
    """The paper's institutions: its own list, else its authors' affiliations, in order."""
    organizations = list(paper.organizations.all())
    if organizations:
        return organizations
    seen = {}
    for authorship in paper.authorships.all():
        for organization in authorship.affiliations.all():
            seen.setdefault(organization.pk, organization)
    return list(seen.values())


@dataclass
class MarkedAuthor:
    authorship: object
    marks: list


@register.simple_tag
def affiliation_marks(paper):
    """Authors with superscript numbers pointing into a numbered list of affiliations,
    as printed on a paper's first page, and which marks the legend must explain."""
    numbers, organizations, authors = {}, [], []
    for authorship in paper.listed_authorships:
        marks = []
        for organization in authorship.affiliations.all():
            if organization.pk not in numbers:
                numbers[organization.pk] = len(organizations) + 1
                organizations.append(organization)
            marks.append(numbers[organization.pk])
        authors.append(MarkedAuthor(authorship, marks))
    return {
        "authors": authors,
        "organizations": organizations,
        "has_equal_contribution": any(a.authorship.is_equal_contribution for a in authors),
        "has_corresponding": any(a.authorship.is_corresponding for a in authors),
    }


@register.filter
def abstract_html(text):
    """An abstract as safe HTML, its TeX markup (``features'', \\emph{...}) rendered."""
    return abstracts.abstract_html(text)


@register.filter
def paper_date(value, precision="day"):
    """A date as precise as it is known: "Aug 7, 2023", "Aug 2023" or "2023"."""
    if not value:
        return ""
    if precision == "year":
        return f"{value.year}"
    return dateformat.format(value, "M Y" if precision == "month" else "M j, Y")


@register.filter
def iso_date(value, precision="day"):
    """The ``datetime`` attribute for ``<time>`` at the same precision."""
    if not value:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


EQUAL_CONTRIBUTION_MARK = mark_safe(
    '<sup class="author-marks" title="Equal contribution">*'
    '<span class="visually-hidden"> (equal contribution)</span></sup>'
)
CORRESPONDING_MARK = mark_safe(
    '<sup class="author-marks" title="Corresponding author">✉'
    '<span class="visually-hidden"> (corresponding author)</span></sup>'
)


def author_name(authorship, *, highlight=None, links_drafts=False, marks=None):
    """One author as a ``<span class="author">``: linked to their profile when it is
    published (or the viewer may preview people, ``links_drafts``), ``author-me`` when
    they are the highlighted person, with equal-contribution, corresponding and
    affiliation marks."""
    person = authorship.person if authorship.person_id is not None else None
    name = conditional_escape(authorship.name)
    if person is not None and (person.is_live or links_drafts):
        name = format_html('<a href="{}">{}</a>', person.get_absolute_url(), name)
    highlight_pk = getattr(highlight, "pk", None)
    me = highlight_pk is not None and authorship.person_id == highlight_pk
    html = (
        f'<span class="author{" author-me" if me else ""}">{name}'
        f"{EQUAL_CONTRIBUTION_MARK if authorship.is_equal_contribution else ''}"
        f"{CORRESPONDING_MARK if authorship.is_corresponding else ''}"
    )
    if marks:
        html += format_html('<sup class="author-marks">{}</sup>', ",".join(map(str, marks)))
    # As {% spaceless %} did: a name of blanks between two tags disappears.
    return mark_safe(strip_spaces_between_tags(html + "</span>"))


def et_al(unlisted, *, highlight=None, links_drafts=False):
    """“et al.”, naming the authors known to be behind it (``unlisted``)."""
    html = '<span class="et-al" title="The source lists only the first authors">et al.</span>'
    if unlisted:
        names = ", ".join(
            author_name(a, highlight=highlight, links_drafts=links_drafts) for a in unlisted
        )
        html += f'<span class="et-al-incl"> (incl. {names})</span>'
    return mark_safe(strip_spaces_between_tags(html) + "\n")


def _links_drafts(context):
    """Whether the viewer may follow links to draft profiles (``can_preview.person``)."""
    visibility = context.get("can_preview")  # a DraftVisibility, which is always falsy
    return visibility is not None and visibility["person"]


@register.simple_tag(takes_context=True)
def author_list(context, paper, highlight=None):
    """A paper row's author line: the first names, the highlighted person (``highlight``,
    a Person or nothing) pulled past the fold, the rest folded in ``<details>``, “et al.”,
    then the institutions."""
    highlight = highlight or None  # an unset template variable arrives as ""
    links_drafts = _links_drafts(context)

    def name(authorship):
        return author_name(authorship, highlight=highlight, links_drafts=links_drafts)

    fold = author_fold(paper, highlight=highlight)
    html = ['<div class="authors">', ", ".join(name(a) for a in fold.shown)]
    if fold.pulled:
        html.append(f", … {name(fold.pulled)}")
    if fold.hidden:
        hidden = len(fold.hidden)
        html.append(
            f' <details class="more-authors"><summary>+{hidden} more '
            f"author{'s' if hidden != 1 else ''}</summary>"
        )
        html.extend(f", {name(a)}" for a in fold.hidden)
        html.append("</details>")
    if fold.truncated:
        html.append(" " + et_al(fold.unlisted, highlight=highlight, links_drafts=links_drafts))
    organizations = institutions(paper)
    if organizations:
        html.append(' <span class="institutions">· ')
        html.append(
            ", ".join(
                format_html('<span title="{}">{}</span>', org.name, org.short_name or org.name)
                for org in organizations
            )
        )
        html.append("</span>")
    html.append("</div>\n")
    return mark_safe("".join(html))


@register.simple_tag(takes_context=True)
def author_block(context, paper, marked):
    """A paper page's author line: every listed author with their affiliation marks
    (``affiliation_marks``), then “et al.”."""
    links_drafts = _links_drafts(context)
    html = ", ".join(
        author_name(m.authorship, links_drafts=links_drafts, marks=m.marks)
        for m in marked["authors"]
    )
    if paper.is_author_list_truncated:
        html += " " + et_al(paper.unlisted_authorships, links_drafts=links_drafts)
    return mark_safe(html)


class RenderedRows(dict):
    """``{paper pk: row HTML}`` in the order of the papers; printed, every row in order."""

    def __html__(self):
        return "".join(self.values())

    __str__ = __html__


@register.simple_tag(takes_context=True)
def paper_rows(context, papers, heading_level=3, show_kind=False, highlight_person=None):
    """``papers`` as the ``<li>`` rows of a paper list (``includes/publication_row.html``).

    Returns ``RenderedRows``: print it for every row in order, or keep it (``as rows``)
    and print one row with ``rows|row:paper``. ``papers`` need no prefetches, and may be
    ``summaries()``: the rows that must be rendered are completed in one go
    (``rows_to_render``, ``prefetch_for_listing``).

    For a viewer who sees only what visitors see, each row is kept per content generation
    (``cached_each_for_content``, one ``get_many`` for all rows), keyed by everything it
    depends on: the paper, the heading level, the kind shown or not, the highlighted
    person and the site's own address (the COinS link falls back to the paper's page). A
    viewer who may preview drafts gets rows rendered for them and never kept.
    """
    papers = {paper.pk: paper for paper in papers}
    highlight_person = highlight_person or None  # an unset template variable is ""
    request = context.get("request")
    values = {
        "heading_level": heading_level,
        "show_kind": show_kind,
        "highlight_person": highlight_person,
        "can_preview": context.get("can_preview"),
        "request": request,
    }

    def render(pks):
        rendering = rows_to_render(papers[pk] for pk in pks)
        prefetch_for_listing(rendering)
        template = context.template.engine.get_template(ROW_TEMPLATE)
        # An isolated context, as {% include ... only %}: a kept row cannot pick up
        # anything of the page it was first rendered on.
        return {
            paper.pk: template.render(context.new({**values, "paper": paper}))
            for paper in rendering
        }

    if request is None:  # no site address to key kept rows by
        return RenderedRows(render(list(papers)))
    site = hashlib.sha256(site_origin(request).encode()).hexdigest()[:16]
    highlight = getattr(highlight_person, "pk", "")
    variant = f"{heading_level}:{int(bool(show_kind))}:{highlight}:{site}"
    names = {f"paper-row:{pk}:{variant}": pk for pk in papers}

    def render_missing(missing):
        rendered = render([names[name] for name in missing])
        return {name: rendered[names[name]] for name in missing}

    kept = cached_each_for_content(names, render_missing, user=getattr(request, "user", None))
    return RenderedRows((pk, kept[name]) for name, pk in names.items())


@register.filter
def row(rows, paper):
    """The row of ``paper`` in ``RenderedRows``."""
    return rows[paper.pk]
