"""Fetching papers from online services, politely, as ``Source``s for the same parsers.

Every request goes through ``core.http.client.PoliteClient`` (the site's one HTTP client): a
User-Agent naming the site and a contact, timeouts, retries with exponential backoff on
429 and 5xx (honouring ``Retry-After``) and a size limit. ``Fetcher`` keeps one client per
host so each host gets its own pace (arXiv asks for one request every three seconds).
Tests inject an ``opener`` serving recorded payloads, so they never touch the network.
"""

import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from core.http import client as http
from core.http.limits import JSONLimitError, load_json

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from . import arxiv
from .detect import Source
from .records import InputError, Location, RecordProblem

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org/works/"
DOI_RESOLVER = "https://doi.org/"
ORCID_API = "https://pub.orcid.org/v3.0/"
S2_FIELDS = (
    "paperId,externalIds,url,title,abstract,venue,publicationVenue,year,publicationDate,"
    "journal,authors,citationCount,fieldsOfStudy,publicationTypes,openAccessPdf,tldr"
)
# Seconds between two requests to the same host.
HOST_INTERVALS = {
    "export.arxiv.org": 3.0,
    "api.semanticscholar.org": 1.0,
    "api.crossref.org": 0.2,
    "doi.org": 0.2,
    "pub.orcid.org": 0.1,
    "api.openalex.org": 0.1,
}
DEFAULT_INTERVAL = 0.5
TIMEOUT = 30.0
RETRIES = 4
BACKOFF = 2.0
MAX_BYTES = 50 * 1024 * 1024
ARXIV_IDS_PER_REQUEST = 100
ORCID_WORKS_PER_REQUEST = 100
MAX_PAGES = 200


class FetchError(InputError):
    """An online source could not be reached or refused the request."""


@dataclass
class Response:
    status: int
    body: bytes
    url: str

    def json(self):
        try:
            return load_json(self.body)
        except JSONLimitError as error:
            raise FetchError(
                f"{self.url} returned JSON that is refused: {error}", source=self.url
            ) from None
        except ValueError:
            raise FetchError(f"{self.url} did not return JSON", source=self.url) from None


class Fetcher:
    """``core.http.client.PoliteClient``s, one per host, behind a ``get`` that adds query
    parameters and turns transport failures into ``FetchError`` (a clear message, exit 1).
    """

    def __init__(
        self,
        *,
        opener=None,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = RETRIES,
        timeout: float = TIMEOUT,
    ):
        self.opener = opener
        self.sleep = sleep
        self.retries, self.timeout = retries, timeout
        self._clients: dict[str, http.PoliteClient] = {}

    def client(self, host: str) -> http.PoliteClient:
        if host not in self._clients:
            self._clients[host] = http.PoliteClient(
                timeout=self.timeout,
                min_interval=HOST_INTERVALS.get(host, DEFAULT_INTERVAL),
                retries=self.retries,
                backoff=BACKOFF,
                max_bytes=MAX_BYTES,
                opener=self.opener,
                sleep=self.sleep,
            )
        return self._clients[host]

    def get(self, url: str, *, params: dict | None = None, headers: dict | None = None):
        if params:
            url = f"{url}?{urllib.parse.urlencode(params, safe=',:*')}"
        host = urllib.parse.urlsplit(url).hostname or ""
        try:
            answer = self.client(host).get(
                url, headers={"Accept": "application/json", **(headers or {})}
            )
        except http.FetchError as error:
            raise FetchError(f"could not reach {host}: {error}", source=url) from None
        if answer.status in http.RETRY_STATUSES:
            raise FetchError(
                f"{host} answered HTTP {answer.status} (after {self.retries + 1} tries)", source=url
            )
        if answer.truncated:
            raise FetchError(f"the answer is larger than {MAX_BYTES:,} bytes", source=url)
        return Response(answer.status, answer.body, url)


@dataclass
class Fetched:
    sources: list[Source] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)


def fetch_arxiv(ids: list[str], client: Fetcher) -> Fetched:
    """arXiv Atom feeds for ``ids`` (with or without version; old-style ids too)."""
    fetched, wanted = Fetched(), []
    for raw in ids:
        arxiv_id, version = split_arxiv_id(raw)
        if not arxiv_id:
            fetched.problems.append(RecordProblem(Location(f"arxiv:{raw}"), "not an arXiv id"))
        else:
            wanted.append(f"{arxiv_id}v{version}" if version else arxiv_id)
    for start in range(0, len(wanted), ARXIV_IDS_PER_REQUEST):
        chunk = wanted[start : start + ARXIV_IDS_PER_REQUEST]
        response = client.get(
            ARXIV_API,
            params={"id_list": ",".join(chunk), "max_results": len(chunk)},
            headers={"Accept": "application/atom+xml"},
        )
        name = "arxiv:" + ",".join(chunk)
        # arXiv answers an invalid id with HTTP 400 and an error feed; the parser names it.
        source = Source(name=name, data=response.body, format="arxiv")
        found = set()
        try:
            root = arxiv.load_feed(source.open(), name)
            for entry in root.findall(f"{arxiv.ATOM}entry"):
                found.add(split_arxiv_id(arxiv.text_of(entry, f"{arxiv.ATOM}id"))[0])
        except InputError:
            pass  # reported when the payload is imported
        for arxiv_id in chunk:
            if split_arxiv_id(arxiv_id)[0] not in found and response.status == 200:
                fetched.problems.append(
                    RecordProblem(Location(f"arxiv:{arxiv_id}"), "arXiv has no paper with this id")
                )
        if found or response.status != 200:
            fetched.sources.append(source)
    return fetched


def fetch_dois(dois: list[str], client: Fetcher) -> Fetched:
    """Crossref works for DOIs; arXiv DOIs go to arXiv; other registries (DataCite…)
    through doi.org content negotiation as CSL-JSON."""
    fetched, arxiv_ids = Fetched(), []
    for raw in dois:
        doi = normalize_doi(raw)
        if not doi:
            fetched.problems.append(RecordProblem(Location(f"doi:{raw}"), "not a DOI"))
            continue
        if arxiv_id_from_doi(doi):
            arxiv_ids.append(arxiv_id_from_doi(doi))
            continue
        quoted = urllib.parse.quote(doi, safe="/")
        response = client.get(CROSSREF_API + quoted)
        if response.status == 200:
            fetched.sources.append(Source(name=f"doi:{doi}", data=response.body, format="crossref"))
            continue
        if response.status == 404:
            csl = client.get(
                DOI_RESOLVER + quoted, headers={"Accept": "application/vnd.citationstyles.csl+json"}
            )
            if csl.status == 200:
                fetched.sources.append(Source(name=f"doi:{doi}", data=csl.body, format="csl_json"))
                continue
            fetched.problems.append(RecordProblem(Location(f"doi:{doi}"), "no such DOI"))
            continue
        fetched.problems.append(
            RecordProblem(Location(f"doi:{doi}"), f"Crossref answered HTTP {response.status}")
        )
    if arxiv_ids:
        more = fetch_arxiv(arxiv_ids, client)
        fetched.sources += more.sources
        fetched.problems += more.problems
    return fetched


def _require_ok(response: Response, what: str):
    if response.status == 404:
        raise FetchError(f"{what} not found", source=response.url)
    if response.status != 200:
        detail = ""
        try:
            data = response.json()
            detail = data.get("error") or data.get("message") or data.get("user-message") or ""
        except (FetchError, AttributeError):
            pass
        raise FetchError(
            f"{what}: HTTP {response.status}{': ' + str(detail) if detail else ''}",
            source=response.url,
        )


def fetch_orcid(orcid_id: str, client: Fetcher) -> Fetched:
    """Every public work of an ORCID record, with contributors (bulk work endpoint)."""
    orcid_id = orcid_id.strip().rsplit("/", 1)[-1]
    response = client.get(f"{ORCID_API}{orcid_id}/works")
    _require_ok(response, f"ORCID record {orcid_id}")
    summary = response.json()
    put_codes = []
    for group in summary.get("group") or []:
        summaries = (group or {}).get("work-summary") or []
        if summaries:
            best = min(summaries, key=lambda s: int(s.get("display-index") or 0))
            put_codes.append(str(best["put-code"]))
    fetched = Fetched()
    if not put_codes:
        raise FetchError(f"ORCID record {orcid_id} has no public works", source=response.url)
    for start in range(0, len(put_codes), ORCID_WORKS_PER_REQUEST):
        chunk = put_codes[start : start + ORCID_WORKS_PER_REQUEST]
        page = client.get(f"{ORCID_API}{orcid_id}/works/{','.join(chunk)}")
        _require_ok(page, f"ORCID works of {orcid_id}")
        fetched.sources.append(
            Source(
                name=f"orcid:{orcid_id} works {start + 1}–{start + len(chunk)}",
                data=page.body,
                format="orcid",
            )
        )
    return fetched


def fetch_s2_author(author_id: str, client: Fetcher, api_key: str = "") -> Fetched:
    """Every page of a Semantic Scholar author's papers."""
    headers = {"x-api-key": api_key} if api_key else {}
    fetched, offset = Fetched(), 0
    for _ in range(MAX_PAGES):
        response = client.get(
            f"{settings.SEMANTIC_SCHOLAR_API.rstrip('/')}/author/"
            f"{urllib.parse.quote(author_id)}/papers",
            params={"fields": S2_FIELDS, "limit": 100, "offset": offset},
            headers=headers,
        )
        _require_ok(response, f"Semantic Scholar author {author_id}")
        fetched.sources.append(
            Source(
                name=f"s2-author:{author_id} offset {offset}",
                data=response.body,
                format="semantic_scholar",
            )
        )
        following = response.json().get("next")
        if following is None:
            break
        offset = following
    return fetched


def fetch_openalex_author(author_id: str, client: Fetcher, mailto: str = "") -> Fetched:
    """Every page of an OpenAlex author's works (cursor paging)."""
    author_id = author_id.strip().rsplit("/", 1)[-1]
    fetched, cursor = Fetched(), "*"
    for page in range(1, MAX_PAGES + 1):
        params = {"filter": f"author.id:{author_id}", "per-page": 200, "cursor": cursor}
        if mailto:
            params["mailto"] = mailto  # OpenAlex's "polite pool"
        response = client.get(f"{settings.OPENALEX_API.rstrip('/')}/works", params=params)
        _require_ok(response, f"OpenAlex author {author_id}")
        data = response.json()
        if not data.get("results"):
            if page == 1:
                raise FetchError(
                    f"OpenAlex has no works for author {author_id}", source=response.url
                )
            break
        fetched.sources.append(
            Source(
                name=f"openalex-author:{author_id} page {page}",
                data=response.body,
                format="openalex",
            )
        )
        cursor = (data.get("meta") or {}).get("next_cursor")
        if not cursor:
            break
    return fetched
