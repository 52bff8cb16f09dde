"""Figures about a person computed from the papers on this site.

Nothing here is typed in by an editor: paper count, total citations, h-index,
i10-index, co-authors and the per-year series are all derived from the person's
*published* papers. Figures an external index reports are a different thing
(``ReportedMetric``) and are shown beside these, labelled as reported.

``compute_metrics`` works on papers already loaded with their authorships (the
profile page loads them anyway), so the figures cost no extra queries;
``metrics_for_person`` loads them itself in a fixed number of queries.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from core.names import given_family_key
from profiles.charts import bar_chart

from .models import Publication


@dataclass(frozen=True)
class Coauthor:
    name: str
    papers: int
    person: object = None  # the co-author's published Person, when they have one

    @property
    def url(self):
        return self.person.get_absolute_url() if self.person is not None else ""


@dataclass
class Metrics:
    papers: int = 0
    #: Sum of the known citation counts; None when no paper has a count at all.
    citations: int | None = None
    #: How many of the papers have a citation count (the rest are unknown, not zero).
    papers_with_counts: int = 0
    h_index: int | None = None
    i10_index: int | None = None
    #: The dates the counts were taken: earliest and latest (equal when taken at once).
    counted_from: date | None = None
    counted_to: date | None = None
    citation_sources: list[str] = field(default_factory=list)
    citations_per_year: dict[int, int] = field(default_factory=dict)
    papers_per_year: dict[int, int] = field(default_factory=dict)
    coauthors: list[Coauthor] = field(default_factory=list)

    @property
    def has_citations(self):
        return self.citations is not None


def h_index(counts):
    """The largest h such that h of the papers have at least h citations each."""
    ranked = sorted((c for c in counts if c), reverse=True)
    h = 0
    for rank, count in enumerate(ranked, start=1):
        if count >= rank:
            h = rank
        else:
            break
    return h


def i10_index(counts):
    """How many papers have at least 10 citations."""
    return sum(1 for c in counts if c and c >= 10)


def _year(value):
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 9999 else None


def _count(value):
    try:
        count = int(value)
    except (TypeError, ValueError):
        return None
    return count if count >= 0 else None


def compute_metrics(person, papers):
    """Metrics for ``person`` from ``papers``: their published papers, each with its
    authorships prefetched (``Publication.objects.for_listing()``). No queries are run.

    Papers are counted once each, whatever the order or duplicates in ``papers``.
    A paper without a citation count is unknown, not zero: it does not lower the
    indexes, and when no paper has a count the citation figures are None.
    """
    unique = list({paper.pk: paper for paper in papers}.values())
    counts = [p.citation_count for p in unique if p.citation_count is not None]
    dates = sorted(p.citation_count_as_of for p in unique if p.citation_count_as_of)
    sources = sorted({p.citation_source for p in unique if p.citation_source})

    citations_per_year = Counter()
    for paper in unique:
        for key, value in (paper.citations_by_year or {}).items():
            year, count = _year(key), _count(value)
            if year is not None and count is not None:
                citations_per_year[year] += count

    papers_per_year = Counter(p.published_on.year for p in unique if p.published_on)

    return Metrics(
        papers=len(unique),
        citations=sum(counts) if counts else None,
        papers_with_counts=len(counts),
        h_index=h_index(counts) if counts else None,
        i10_index=i10_index(counts) if counts else None,
        counted_from=dates[0] if dates else None,
        counted_to=dates[-1] if dates else None,
        citation_sources=sources,
        citations_per_year=dict(sorted(citations_per_year.items())),
        papers_per_year=dict(sorted(papers_per_year.items())),
        coauthors=coauthors_of(person, unique),
    )


def coauthors_of(person, papers):
    """Everyone who shares a paper with ``person``, most shared papers first.

    Authors are the same co-author when they link to the same Person, or, when
    unlinked, when their written names agree on the first and last word (case, accents
    and middle initials ignored: “Adam S. Jermyn” is “Adam Jermyn”), shown under the
    fullest spelling. A co-author links to their profile only when it is published; a
    draft profile counts under its written name, never revealing the draft.
    """
    tally = {}
    for paper in papers:
        seen_on_paper = set()
        for authorship in paper.authorships.all():
            if person is not None and authorship.person_id == person.pk:
                continue
            linked = authorship.person if authorship.person_id else None
            if linked is not None and linked.is_live:
                key = ("person", linked.pk)
                name = linked.name
            else:
                linked = None
                name = " ".join(authorship.name.split())
                key = ("name", given_family_key(name))
            if key in seen_on_paper or not name:
                continue
            seen_on_paper.add(key)
            entry = tally.setdefault(key, {"name": name, "person": linked, "papers": 0})
            entry["papers"] += 1
            if len(name) > len(entry["name"]):
                entry["name"] = name
    ordered = sorted(tally.values(), key=lambda e: (-e["papers"], e["name"].casefold()))
    return [Coauthor(name=e["name"], papers=e["papers"], person=e["person"]) for e in ordered]


def metrics_for_person(person):
    """Load ``person``'s published papers (a fixed number of queries) and compute."""
    papers = (
        Publication.objects.published().for_listing().filter(authorships__person=person).distinct()
    )
    return compute_metrics(person, list(papers))


def profile_metrics(person, papers):
    """The profile's figures and its two charts (citations and papers per year)."""
    metrics = compute_metrics(person, papers)
    return {
        "metrics": metrics,
        "citations_chart": bar_chart(
            metrics.citations_per_year,
            slug="citations-per-year",
            title="Citations per year",
            unit="citation",
            unit_plural="citations",
        ),
        "papers_chart": bar_chart(
            metrics.papers_per_year,
            slug="papers-per-year",
            title="Papers per year",
            unit="paper",
            unit_plural="papers",
        ),
    }
