"""refresh_citations against recorded OpenAlex and Semantic Scholar payloads served by a
local HTTP server on 127.0.0.1: never the internet."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.http.page_cache import current_generation
from publications.citation_refresh import (
    FAILED,
    SKIPPED,
    UPDATED,
    citation_client,
    refresh_citations,
)
from publications.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "citations"


def recorded(name):
    return (FIXTURES / name).read_bytes()


OPENALEX_LIST = json.loads(
    recorded("openalex-works-list-response-meta-results-from-zotero-translators-tests.json")
)
S2_BATCH = json.loads(
    recorded("s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json")
)
OPENALEX_WORK = OPENALEX_LIST["results"][0]  # W2046245907, cited_by_count 2, no years
OPENALEX_WITH_YEARS = recorded("openalex-work-select-counts-by-year.json")  # 7: 2025, 2023, 2016
S2_PAPER = S2_BATCH[1]  # c31c87c5…, DOI 10.2139/ssrn.288970, citationCount 10670
S2_NO_COUNT = recorded("s2-graph-paper-null-values-from-semanticscholar-tests.json")
S2_NOT_FOUND = recorded("s2-graph-error-404-paper-not-found-from-semanticscholar-tests.json")


class Handler(BaseHTTPRequestHandler):
    routes = {}  # path → list of (status, body, headers), consumed in order; last repeats
    requests = []  # (path, query, headers)

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        Handler.requests.append((parts.path, parse_qs(parts.query), dict(self.headers)))
        answers = Handler.routes.get(parts.path)
        if not answers:
            status, body, headers = 404, b'{"error": "Not Found"}', ()
        else:
            status, body, headers = answers.pop(0) if len(answers) > 1 else answers[0]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def answer(payload, status=200, headers=()):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return (status, body, tuple(headers))


@pytest.fixture
def server(settings):
    Handler.routes, Handler.requests = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.OPENALEX_API = base + "/openalex"
    settings.SEMANTIC_SCHOLAR_API = base + "/s2/graph/v1"
    settings.SEMANTIC_SCHOLAR_API_KEY = ""
    yield Handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def client_fast():
    sleeps = []
    client = citation_client(timeout=2.0, min_interval=0, backoff=0, sleep=sleeps.append)
    client.sleeps = sleeps
    return client


def refresh(client, *papers, **kwargs):
    papers = papers or Publication.objects.order_by("pk")
    return refresh_citations(list(papers), client=client, **kwargs)


def reload(paper):
    return Publication.objects.get(pk=paper.pk)


OLD_DATE = datetime.date(2025, 1, 15)


def paper_with_old_count(**ids):
    return PublicationFactory(
        citation_count=50,
        citation_count_as_of=OLD_DATE,
        citation_source="OpenAlex",
        citations_by_year={"2014": 20, "2024": 30},
        **ids,
    )


def test_openalex_by_id_updates_count_years_date_and_source(server, client_fast):
    server.routes["/openalex/works/W2046245907"] = [answer(OPENALEX_WITH_YEARS)]
    paper = paper_with_old_count(openalex_id="W2046245907")
    report = refresh(client_fast, paper)
    assert [o.status for o in report.outcomes] == [UPDATED]
    paper = reload(paper)
    assert paper.citation_count == 7
    assert paper.citation_count_as_of == timezone.localdate()
    assert paper.citation_source == "OpenAlex"
    # New years replace, years OpenAlex no longer lists are kept.
    assert paper.citations_by_year == {"2014": 20, "2016": 3, "2023": 1, "2024": 30, "2025": 3}
    path, query, headers = server.requests[0]
    assert path == "/openalex/works/W2046245907"
    assert query["select"] == ["id,doi,cited_by_count,counts_by_year"]
    assert query["mailto"] == ["webmaster@example.org"]
    assert "mailto:webmaster@example.org" in headers["User-Agent"]


def test_openalex_by_doi_reads_the_recorded_work(server, client_fast):
    server.routes["/openalex/works/doi:10.1109/tau.1965.1161805"] = [answer(OPENALEX_WORK)]
    paper = PublicationFactory(doi="10.1109/tau.1965.1161805")
    refresh(client_fast, paper)
    paper = reload(paper)
    assert (paper.citation_count, paper.citation_source) == (2, "OpenAlex")
    assert paper.citations_by_year == {}


@pytest.mark.parametrize(
    ("ids", "path"),
    [
        ({"semantic_scholar_id": S2_PAPER["paperId"]}, f"/s2/graph/v1/paper/{S2_PAPER['paperId']}"),
        ({"arxiv_id": "2401.05566"}, "/s2/graph/v1/paper/ARXIV:2401.05566"),
    ],
)
def test_semantic_scholar_by_s2_id_or_arxiv_id(server, client_fast, ids, path):
    server.routes[path] = [answer(S2_PAPER)]
    paper = paper_with_old_count(**ids)
    report = refresh(client_fast, paper)
    assert report.outcomes[0].status == UPDATED
    paper = reload(paper)
    assert (paper.citation_count, paper.citation_source) == (10670, "Semantic Scholar")
    assert paper.citation_count_as_of == timezone.localdate()
    assert paper.citations_by_year == {"2014": 20, "2024": 30}  # S2 gives no years: kept
    assert server.requests[0][1]["fields"] == ["paperId,externalIds,citationCount"]


def test_semantic_scholar_by_doi_when_openalex_does_not_know_it(server, client_fast):
    server.routes["/openalex/works/doi:10.2139/ssrn.288970"] = [
        answer({"error": "Not Found"}, status=404)
    ]
    server.routes["/s2/graph/v1/paper/DOI:10.2139/ssrn.288970"] = [answer(S2_PAPER)]
    paper = PublicationFactory(doi="10.2139/ssrn.288970")
    report = refresh(client_fast, paper)
    assert report.outcomes[0].status == UPDATED
    assert reload(paper).citation_count == 10670
    assert [path for path, *_ in server.requests] == [
        "/openalex/works/doi:10.2139/ssrn.288970",
        "/s2/graph/v1/paper/DOI:10.2139/ssrn.288970",
    ]


def test_failing_sources_keep_the_last_good_value_and_its_date(server, client_fast, client):
    server.routes["/openalex/works/doi:10.1000/kept"] = [answer(b"oops", status=500)]
    server.routes["/s2/graph/v1/paper/DOI:10.1000/kept"] = [answer(S2_NOT_FOUND, status=404)]
    paper = paper_with_old_count(doi="10.1000/kept")
    report = refresh(client_fast, paper)
    outcome = report.outcomes[0]
    assert outcome.status == FAILED
    assert outcome.errors == [
        "OpenAlex: HTTP 500",
        "Semantic Scholar: not found (HTTP 404)",
    ]
    assert "kept 50 as of 2025-01-15" in str(outcome)
    paper = reload(paper)
    assert paper.citation_count == 50
    assert paper.citation_count_as_of == OLD_DATE
    assert paper.citation_source == "OpenAlex"
    assert paper.citations_by_year == {"2014": 20, "2024": 30}
    # The 500 was retried (3 retries) before giving up.
    assert [path for path, *_ in server.requests].count("/openalex/works/doi:10.1000/kept") == 4
    # The page shows the kept value with its date.
    page = client.get(paper.get_absolute_url()).content.decode()
    assert '<dt>Citations</dt><dd>50 <span class="muted">(OpenAlex, as of Jan 15, 2025)' in page


def test_an_answer_without_a_count_is_a_failure(server, client_fast):
    server.routes[f"/s2/graph/v1/paper/{json.loads(S2_NO_COUNT)['paperId']}"] = [
        answer(S2_NO_COUNT)
    ]
    paper = paper_with_old_count(semantic_scholar_id=json.loads(S2_NO_COUNT)["paperId"])
    outcome = refresh(client_fast, paper).outcomes[0]
    assert outcome.status == FAILED
    assert outcome.errors == ["Semantic Scholar: no citationCount in the answer"]
    assert reload(paper).citation_count == 50


def test_unreachable_source_keeps_the_value(settings, client_fast):
    settings.OPENALEX_API = "http://127.0.0.1:9/openalex"  # nothing listens
    paper = paper_with_old_count(openalex_id="W1")
    outcome = refresh(client_fast, paper).outcomes[0]
    assert outcome.status == FAILED and outcome.errors[0].startswith("OpenAlex: ")
    assert reload(paper).citation_count == 50


def test_429_is_retried_after_the_wait_it_asks_for(server, client_fast):
    server.routes["/openalex/works/W2046245907"] = [
        answer({"error": "rate limited"}, status=429, headers=[("Retry-After", "3")]),
        answer(OPENALEX_WITH_YEARS),
    ]
    paper = PublicationFactory(openalex_id="W2046245907")
    report = refresh(client_fast, paper)
    assert report.outcomes[0].status == UPDATED
    assert reload(paper).citation_count == 7
    assert len(server.requests) == 2
    assert client_fast.sleeps == [3.0]  # honoured Retry-After


def test_a_paper_without_ids_is_skipped_without_a_request(server, client_fast):
    paper = PublicationFactory(citation_count=4, citation_count_as_of=OLD_DATE)
    outcome = refresh(client_fast, paper).outcomes[0]
    assert outcome.status == SKIPPED
    assert server.requests == []
    assert reload(paper).citation_count_as_of == OLD_DATE


def test_updates_bump_the_page_cache(server, client_fast, client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    server.routes["/openalex/works/W2046245907"] = [answer(OPENALEX_WITH_YEARS)]
    paper = paper_with_old_count(openalex_id="W2046245907")
    first = client.get(paper.get_absolute_url())
    assert "50" in first.content.decode()
    assert client.get(paper.get_absolute_url())["X-Page-Cache"] == "hit"
    before = current_generation()
    refresh(client_fast, paper)
    assert current_generation() != before
    fresh = client.get(paper.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss"
    today = timezone.localdate()
    assert f'<dt>Citations</dt><dd>7 <span class="muted">(OpenAlex, as of {today:%b} ' in (
        fresh.content.decode()
    )


def test_nothing_refreshed_leaves_the_page_cache_alone(server, client_fast):
    paper = PublicationFactory()
    before = current_generation()
    refresh(client_fast, paper)
    assert current_generation() == before


# -- the command -------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("refresh_citations", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_command_summary_and_exit_code_zero(server):
    server.routes["/openalex/works/W2046245907"] = [answer(OPENALEX_WITH_YEARS)]
    updated = PublicationFactory(openalex_id="W2046245907", title="Amplifier distortion")
    PublicationFactory()  # no ids
    code, out, err = run("-v", "2")
    assert code == 0, err
    assert "updated: Amplifier distortion" in out and "None → 7 (OpenAlex)" in out
    assert out.strip().endswith(
        "Citation counts: 1 updated, 0 unchanged, 0 failed (last good value kept), "
        "1 skipped (no ids)."
    )
    assert reload(updated).citation_count == 7


def test_command_exits_1_when_a_paper_failed(server):
    server.routes["/s2/graph/v1/paper/ARXIV:2401.00001"] = [answer(S2_NOT_FOUND, status=404)]
    paper = paper_with_old_count(arxiv_id="2401.00001", title="Sleeper paper")
    code, out, err = run()
    assert code == 1
    assert "failed: Sleeper paper" in err
    assert "Semantic Scholar: not found (HTTP 404)" in err and "kept 50 as of 2025-01-15" in err
    assert "1 failed (last good value kept)" in out
    assert "1 paper(s) could not be refreshed" in err
    assert reload(paper).citation_count == 50


def test_command_source_and_older_than(server):
    server.routes["/s2/graph/v1/paper/DOI:10.2139/ssrn.288970"] = [answer(S2_PAPER)]
    stale = PublicationFactory(doi="10.2139/ssrn.288970", citation_count_as_of=OLD_DATE)
    fresh = PublicationFactory(doi="10.1000/fresh", citation_count_as_of=timezone.localdate())
    code, out, err = run("--source", "semantic_scholar", "--older-than", "7")
    assert code == 0, err
    assert [path for path, *_ in server.requests] == [
        "/s2/graph/v1/paper/DOI:10.2139/ssrn.288970"
    ]  # OpenAlex not asked; the fresh paper not refreshed
    assert reload(stale).citation_count == 10670
    assert reload(fresh).citation_count is None
    assert "1 updated" in out


def test_command_rejects_bad_options():
    assert run("--limit", "0")[0] == 1
    with pytest.raises(CommandError):
        call_command("refresh_citations", "--source", "scholar", stdout=StringIO())
