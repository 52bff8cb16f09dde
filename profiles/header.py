"""What a profile's header and sidebar show about the person themself: affiliations,
the link line (with links made from their identifiers), the highlighted "See:" links,
figures external indexes reported, and "About" when the bio says more than the headline.
Read from what ``Person.objects.for_detail()`` prefetched: no query."""

from itertools import groupby

from .about import bio_adds_to_headline
from .models import ProfileLink

#: Where each identifier field of a Person points, for the profile's link line.
IDENTIFIER_LINKS = (
    ("orcid", ProfileLink.Kind.ORCID, "ORCID", "https://orcid.org/{}"),
    (
        "google_scholar_id",
        ProfileLink.Kind.GOOGLE_SCHOLAR,
        "Google Scholar",
        "https://scholar.google.com/citations?user={}",
    ),
    (
        "semantic_scholar_id",
        ProfileLink.Kind.SEMANTIC_SCHOLAR,
        "Semantic Scholar",
        "https://www.semanticscholar.org/author/{}",
    ),
    ("dblp_id", ProfileLink.Kind.DBLP, "DBLP", "https://dblp.org/pid/{}"),
    ("openalex_id", None, "OpenAlex", "https://openalex.org/{}"),
    ("arxiv_author_id", None, "arXiv", "https://arxiv.org/a/{}"),
)


def profile_links(person, links):
    """The header's link line: the editor's links (not the e-mail, shown on its own,
    nor the "See:" post), then identifier links the editor did not add by hand."""
    plain = [link for link in links if not link.is_highlighted and link.kind != "email"]
    kinds = {link.kind for link in links}
    extra = [
        {"label": label, "url": template.format(getattr(person, field))}
        for field, kind, label, template in IDENTIFIER_LINKS
        if getattr(person, field) and (kind is None or kind not in kinds)
    ]
    return [{"label": str(link), "url": link.url} for link in plain] + extra


def reported_snapshots(metrics):
    """Reported figures grouped by (source, date), newest snapshot first."""
    metrics = sorted(
        metrics,
        key=lambda m: (
            m.as_of is None,
            -(m.as_of.toordinal() if m.as_of else 0),
            m.source,
            m.position,
        ),
    )
    snapshots = []
    for (source, as_of, url), rows in groupby(
        metrics, key=lambda m: (m.source, m.as_of, m.source_url)
    ):
        snapshots.append({"source": source, "as_of": as_of, "url": url, "figures": list(rows)})
    return snapshots


def profile_header(person):
    """What the profile's header and sidebar show about ``person`` themself, from what
    ``Person.objects.for_detail()`` prefetched (no query)."""
    affiliations = list(person.affiliations.all())
    links = list(person.links.all())
    return {
        "current_affiliations": [a for a in affiliations if a.is_current],
        "previous_affiliations": [a for a in affiliations if not a.is_current],
        "profile_links": profile_links(person, links),
        "highlighted_links": [link for link in links if link.is_highlighted],
        "reported_snapshots": reported_snapshots(person.reported_metrics.all()),
        # "About" shows the bio only when it says more than the headline above it.
        "about": person.bio if bio_adds_to_headline(person.bio, person.headline) else "",
    }
