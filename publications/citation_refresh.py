"""Refreshing papers' citation counts from OpenAlex or Semantic Scholar.

For each paper with an id a source knows (OpenAlex: OpenAlex id or DOI; Semantic Scholar:
S2 id, DOI or arXiv id), ask the sources in order until one answers with a count. A good
answer replaces ``citation_count``, sets ``citation_count_as_of`` to today and
``citation_source`` to the source's name, and merges its per-year counts into
``citations_by_year`` (OpenAlex gives the last ten years; Semantic Scholar gives none, so
the stored years stay). When every source fails, the paper keeps its last good value and
date, which the paper page shows as "as of" that date. Papers without ids are skipped.

Requests go through ``core.http.client.PoliteClient`` (User-Agent with a contact, timeouts, one
request per ``min_interval`` per host, 429/5xx retried with backoff and Retry-After).
The answers are read by the importer's own parsers, so a field means the same in both.
"""

import json
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.http.client import FetchError, PoliteClient
from core.http.page_cache import bump_generation

from .importing import openalex, semantic_scholar
from .importing.records import Location
from .models import Publication

UPDATED, UNCHANGED, FAILED, SKIPPED = "updated", "unchanged", "failed", "skipped"


class SourceError(Exception):
    """A source gave no usable count for a paper."""


@dataclass
class Citations:
    count: int
    by_year: dict = field(default_factory=dict)


def _get_json(client, url, headers=None):
    try:
        response = client.get(url, headers={"Accept": "application/json", **(headers or {})})
    except FetchError as error:
        raise SourceError(str(error)) from None
    if response.status == 404:
        raise SourceError("not found (HTTP 404)")
    if not response.ok:
        raise SourceError(f"HTTP {response.status}")
    try:
        data = json.loads(response.body)
    except ValueError:
        raise SourceError("the answer is not JSON") from None
    if not isinstance(data, dict):
        raise SourceError("the answer is not a JSON object")
    if data.get("error") or (data.get("message") and len(data) <= 2):
        raise SourceError(f"error: {data.get('error') or data.get('message')}")
    return data


class OpenAlexSource:
    name = openalex.SOURCE_NAME
    key = "openalex"

    def lookup(self, paper):
        if paper.openalex_id:
            return paper.openalex_id
        if paper.doi:
            return "doi:" + paper.doi
        return ""

    def fetch(self, paper, client):
        lookup = self.lookup(paper)
        params = {"select": "id,doi,cited_by_count,counts_by_year"}
        if settings.SITE_CONTACT:
            params["mailto"] = settings.SITE_CONTACT  # OpenAlex's "polite pool"
        url = (
            f"{settings.OPENALEX_API.rstrip('/')}/works/"
            f"{urllib.parse.quote(lookup, safe=':/')}?{urllib.parse.urlencode(params)}"
        )
        data = _get_json(client, url)
        record = openalex.work_record(data, Location(url))
        if record.citation_count is None:
            raise SourceError("no cited_by_count in the answer")
        return Citations(record.citation_count, dict(record.citations_by_year))


class SemanticScholarSource:
    name = semantic_scholar.SOURCE_NAME
    key = "semantic_scholar"

    def lookup(self, paper):
        if paper.semantic_scholar_id:
            return paper.semantic_scholar_id
        if paper.doi:
            return "DOI:" + paper.doi
        if paper.arxiv_id:
            return "ARXIV:" + paper.arxiv_id
        return ""

    def fetch(self, paper, client):
        lookup = self.lookup(paper)
        url = (
            f"{settings.SEMANTIC_SCHOLAR_API.rstrip('/')}/paper/"
            f"{urllib.parse.quote(lookup, safe=':/')}?fields=paperId,externalIds,citationCount"
        )
        headers = {}
        if settings.SEMANTIC_SCHOLAR_API_KEY:
            headers["x-api-key"] = settings.SEMANTIC_SCHOLAR_API_KEY
        data = _get_json(client, url, headers)
        record = semantic_scholar.paper_record(data, Location(url))
        if record.citation_count is None:
            raise SourceError("no citationCount in the answer")
        return Citations(record.citation_count)


SOURCES = {source.key: source for source in (OpenAlexSource(), SemanticScholarSource())}
# OpenAlex first: it also gives the per-year counts.
DEFAULT_ORDER = ("openalex", "semantic_scholar")


@dataclass
class Outcome:
    paper: Publication
    status: str
    source: str = ""
    old_count: int | None = None
    new_count: int | None = None
    errors: list[str] = field(default_factory=list)  # "<source>: <what went wrong>"

    def __str__(self):
        label = f"{self.paper.title[:70]} [{self.paper.stable_id}]"
        if self.status in (UPDATED, UNCHANGED):
            return f"{self.status}: {label}: {self.old_count} → {self.new_count} ({self.source})"
        if self.status == SKIPPED:
            return f"skipped: {label}: no id any source knows"
        kept = (
            f"kept {self.old_count} as of {self.paper.citation_count_as_of}"
            if self.old_count is not None
            else "no count yet"
        )
        return f"failed: {label}: {'; '.join(self.errors)} ({kept})"


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, status):
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def failed(self):
        return self.of(FAILED)

    def summary(self):
        return (
            f"Citation counts: {len(self.of(UPDATED))} updated, {len(self.of(UNCHANGED))} "
            f"unchanged, {len(self.failed)} failed (last good value kept), "
            f"{len(self.of(SKIPPED))} skipped (no ids)."
        )


def citation_client(**overrides):
    """The client citation refreshes use: one request a second per host (Semantic
    Scholar's limit without an API key), 429/5xx retried with backoff."""
    options = {"timeout": 15.0, "min_interval": 1.0, "retries": 3, "backoff": 2.0}
    return PoliteClient(**{**options, **overrides})


def papers_to_refresh(*, counted_before=None, limit=None):
    """Every paper (drafts too), the longest-unrefreshed first."""
    papers = Publication.objects.order_by("citation_count_as_of", "pk")
    if counted_before is not None:
        papers = papers.filter(citation_count_as_of__lt=counted_before) | papers.filter(
            citation_count_as_of__isnull=True
        )
    return papers[:limit] if limit else papers


def refresh_paper(paper, *, client, order=DEFAULT_ORDER, today=None) -> Outcome:
    outcome = Outcome(paper=paper, status=SKIPPED, old_count=paper.citation_count)
    sources = [SOURCES[key] for key in order if SOURCES[key].lookup(paper)]
    if not sources:
        return outcome
    for source in sources:
        try:
            citations = source.fetch(paper, client)
        except SourceError as error:
            outcome.errors.append(f"{source.name}: {error}")
            continue
        by_year = {**(paper.citations_by_year or {}), **citations.by_year}
        changed = citations.count != paper.citation_count or by_year != paper.citations_by_year
        fields = {
            "citation_count": citations.count,
            "citation_count_as_of": today or timezone.localdate(),
            "citation_source": source.name,
            "citations_by_year": by_year,
        }
        # A plain UPDATE: a refreshed metric is not an editor's change (no revision, no
        # updated_at); the caller bumps the page cache once at the end.
        Publication.objects.filter(pk=paper.pk).update(**fields)
        for name, value in fields.items():
            setattr(paper, name, value)
        outcome.status = UPDATED if changed else UNCHANGED
        outcome.source, outcome.new_count = source.name, citations.count
        return outcome
    outcome.status = FAILED
    return outcome


def refresh_citations(papers, *, client=None, order=DEFAULT_ORDER, progress=None) -> Report:
    client = client or citation_client()
    report = Report()
    today = timezone.localdate()
    try:
        for paper in papers:
            with transaction.atomic():
                outcome = refresh_paper(paper, client=client, order=order, today=today)
            report.outcomes.append(outcome)
            if progress:
                progress(outcome)
    finally:
        if any(outcome.status in (UPDATED, UNCHANGED) for outcome in report.outcomes):
            bump_generation()  # pages show the counts and their dates
    return report
