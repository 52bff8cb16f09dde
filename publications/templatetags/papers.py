"""Template helpers for showing papers: folded author lists, affiliation marks,
dates at their precision. They work on prefetched rows and never query."""

from dataclasses import dataclass, field

from django import template
from django.utils import dateformat

register = template.Library()

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
