"""Fetching papers from online services, politely, as ``Source``s for the same parsers.

``PoliteClient`` names the site and a contact in its User-Agent, times out, waits between
requests to the same host (arXiv asks for one request every three seconds), and retries
429 and 5xx answers with exponential backoff (honouring ``Retry-After``). Its
``transport`` is a plain callable, so tests pass recorded payloads and never touch the
network.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from ..identifiers import arxiv_id_from_doi, normalize_doi, split_arxiv_id
from . import arxiv
from .detect import Source
from .records import InputError, Location, RecordProblem

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org/works/"
DOI_RESOLVER = "https://doi.org/"
ORCID_API = "https://pub.orcid.org/v3.0/"
S2_API = "https://api.semanticscholar.org/graph/v1/"
OPENALEX_API = "https://api.openalex.org/works"
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
ARXIV_IDS_PER_REQUEST = 100
ORCID_WORKS_PER_REQUEST = 100
MAX_PAGES = 200


class FetchError(InputError):
    """An online source could not be reached or refused the request."""


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)
    url: str = ""

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise FetchError(f"{self.url} did not return JSON", source=self.url) from None


Transport = Callable[[str, dict, float], Response]


def urllib_transport(url: str, headers: dict, timeout: float, max_bytes: int) -> Response:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read(max_bytes + 1)
            status, answer_headers = answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        body = error.read(max_bytes + 1) if error.fp else b""
        status, answer_headers = error.code, dict(error.headers or {})
    if len(body) > max_bytes:
        raise FetchError(f"the answer from {url} is larger than {max_bytes:,} bytes", source=url)
    return Response(
        status, body, {key.lower(): value for key, value in answer_headers.items()}, url
    )


class PoliteClient:
    def __init__(
        self,
        *,
        transport: Transport | None = None,
        user_agent: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 2.0,
        max_wait: float = 60.0,
        max_bytes: int = 50 * 1024 * 1024,
        intervals: dict | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.user_agent = user_agent or default_user_agent()
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.intervals = HOST_INTERVALS if intervals is None else intervals
        self.sleep = sleep
        self.clock = clock
        self._transport = transport
        self._last_request: dict[str, float] = {}

    def _send(self, url, headers):
        if self._transport is not None:
            return self._transport(url, headers, self.timeout)
        return urllib_transport(url, headers, self.timeout, self.max_bytes)

    def _wait_for_turn(self, host: str):
        interval = self.intervals.get(host, 0.5)
        last = self._last_request.get(host)
        if last is not None:
            wait = last + interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def get(self, url: str, *, params: dict | None = None, headers: dict | None = None) -> Response:
        """GET with retries. Returns the last response (any status) or raises ``FetchError``
        when the host cannot be reached or keeps failing."""
        if params:
            url = f"{url}?{urllib.parse.urlencode(params, safe=',:*')}"
        host = urllib.parse.urlsplit(url).hostname or ""
        request_headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        request_headers.update(headers or {})
        attempt = 0
        while True:
            self._wait_for_turn(host)
            try:
                response = self._send(url, request_headers)
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
                reason = getattr(error, "reason", error)
                if attempt >= self.max_retries:
                    raise FetchError(
                        f"could not reach {host}: {reason} (after {attempt + 1} tries)", source=url
                    ) from None
            else:
                if response.status != 429 and response.status < 500:
                    response.url = response.url or url
                    return response
                if attempt >= self.max_retries:
                    raise FetchError(
                        f"{host} answered HTTP {response.status} (after {attempt + 1} tries)",
                        source=url,
                    )
                retry_after = (response.headers or {}).get("retry-after", "")
                if retry_after.strip().isdigit():
                    self.sleep(min(float(retry_after), self.max_wait))
                    attempt += 1
                    continue
            self.sleep(min(self.backoff * 2**attempt, self.max_wait))
            attempt += 1


def default_user_agent() -> str:
    site = getattr(settings, "SITE_NAME", "Research profiles")
    contact = getattr(settings, "SITE_CONTACT", "")
    return f"{site} paper importer (mailto:{contact})" if contact else f"{site} paper importer"


@dataclass
class Fetched:
    sources: list[Source] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)


def fetch_arxiv(ids: list[str], client: PoliteClient) -> Fetched:
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


def fetch_dois(dois: list[str], client: PoliteClient) -> Fetched:
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


def fetch_orcid(orcid_id: str, client: PoliteClient) -> Fetched:
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


def fetch_s2_author(author_id: str, client: PoliteClient, api_key: str = "") -> Fetched:
    """Every page of a Semantic Scholar author's papers."""
    headers = {"x-api-key": api_key} if api_key else {}
    fetched, offset = Fetched(), 0
    for _ in range(MAX_PAGES):
        response = client.get(
            f"{S2_API}author/{urllib.parse.quote(author_id)}/papers",
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


def fetch_openalex_author(author_id: str, client: PoliteClient, mailto: str = "") -> Fetched:
    """Every page of an OpenAlex author's works (cursor paging)."""
    author_id = author_id.strip().rsplit("/", 1)[-1]
    fetched, cursor = Fetched(), "*"
    for page in range(1, MAX_PAGES + 1):
        params = {"filter": f"author.id:{author_id}", "per-page": 200, "cursor": cursor}
        if mailto:
            params["mailto"] = mailto  # OpenAlex's "polite pool"
        response = client.get(OPENALEX_API, params=params)
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
