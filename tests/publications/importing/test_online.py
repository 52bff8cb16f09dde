"""Online sources, through core.http.client.PoliteClient, served recorded payloads.

An injected urllib opener answers every request from the recorded samples; nothing here
touches the network. The opener sits below PoliteClient, so the real User-Agent,
retry, backoff and pacing code runs.
"""

import email.message
import io
import json
import urllib.parse
import urllib.request
import urllib.response

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from publications.models import Authorship, ImportRun, Publication
from tests import factories

from .conftest import SAMPLES


def payload(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


class Recorded(urllib.request.BaseHandler):
    """Answers http(s) requests from ``routes``: (host, path prefix) → list of answers
    (status, body, headers), used in turn; the last one repeats."""

    handler_order = 100  # before urllib's real HTTP(S) handlers

    def __init__(self, routes):
        self.routes = {key: list(value) for key, value in routes.items()}
        self.requests = []

    def _answer(self, request):
        parts = urllib.parse.urlsplit(request.full_url)
        self.requests.append((request.full_url, dict(request.header_items())))
        for (host, prefix), answers in self.routes.items():
            if parts.hostname == host and parts.path.startswith(prefix):
                status, body, headers = answers.pop(0) if len(answers) > 1 else answers[0]
                break
        else:
            raise AssertionError(f"unexpected request {request.full_url}")
        message = email.message.Message()
        for key, value in headers.items():
            message[key] = value
        response = urllib.response.addinfourl(io.BytesIO(body), message, request.full_url, status)
        response.msg = "recorded"
        return response

    http_open = https_open = _answer


def ok(body, content_type="application/json"):
    return (200, body, {"Content-Type": content_type})


ATOM = "application/atom+xml"


@pytest.fixture
def online(db):
    """Run the command with recorded answers; returns (exit code, stdout, stderr, handler,
    sleeps)."""

    def run(routes, *args):
        handler = Recorded(routes)
        sleeps = []
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            call_command(
                "import_papers",
                *args,
                http_opener=urllib.request.build_opener(handler),
                http_sleep=sleeps.append,
                stdout=out,
                stderr=err,
            )
        except CommandError as error:
            code = error.returncode
            err.write(str(error))
        return code, out.getvalue(), err.getvalue(), handler, sleeps

    return run


ARXIV_34 = {
    ("export.arxiv.org", "/api/query"): [
        ok(payload("arxiv-atom-idlist-34-authors-from-arxiv.py-tests.xml"), ATOM)
    ]
}


def test_arxiv_ids_fetched_politely(online):
    code, _out, err, handler, _ = online(
        ARXIV_34, "--skip-invalid", "--arxiv", "0808.05394", "1707.08567v1"
    )
    assert code == 0, err
    ((url, headers),) = handler.requests
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["id_list"] == ["0808.05394,1707.08567v1"]
    assert settings.SITE_CONTACT in headers["User-agent"]
    assert settings.SITE_NAME in headers["User-agent"]
    pub = Publication.objects.get()
    assert pub.arxiv_id == "1707.08567" and pub.authorships.count() == 34
    # arXiv silently drops a malformed id: it is reported, not lost.
    assert "arxiv:0808.05394: arXiv has no paper with this id" in err


def test_arxiv_missing_id_stops_an_all_or_nothing_run(online):
    code, _out, err, _, _ = online(ARXIV_34, "--arxiv", "0808.05394", "1707.08567")
    assert code == 1
    assert "0808.05394" in err and "nothing was written" in err
    assert Publication.objects.count() == 0


def test_doi_goes_to_crossref_and_arxiv_doi_to_arxiv(online):
    routes = {
        ("api.crossref.org", "/works/10.1371/journal.pone.0033693"): [
            ok(payload("crossref-work-single-journal-article-from-habanero-tests.json"))
        ],
        ("export.arxiv.org", "/api/query"): [
            ok(payload("arxiv-atom-idlist-versioned-title-zero-from-arxiv.py-tests.xml"), ATOM)
        ],
    }
    code, _out, err, handler, _sleeps = online(
        routes, "--doi", "https://doi.org/10.1371/JOURNAL.PONE.0033693", "10.48550/arXiv.2104.12255"
    )
    assert code == 0, err
    assert Publication.objects.get(doi="10.1371/journal.pone.0033693").venue == "PLoS ONE"
    zero = Publication.objects.get(arxiv_id="2104.12255")
    assert zero.title == "0" and zero.doi == ""
    hosts = [urllib.parse.urlsplit(url).hostname for url, _ in handler.requests]
    assert hosts == ["api.crossref.org", "export.arxiv.org"]


def test_unknown_doi_falls_back_to_doi_org_then_reports_it(online):
    routes = {
        ("api.crossref.org", "/works/"): [(404, b"Resource not found.", {})],
        ("doi.org", "/"): [(404, b"DOI Not Found", {})],
    }
    code, _out, err, handler, _ = online(routes, "--doi", "10.9999/nothing")
    assert code == 1
    assert "doi:10.9999/nothing: no such DOI" in err
    assert handler.requests[1][1]["Accept"] == "application/vnd.citationstyles.csl+json"


def test_429_and_5xx_are_retried_with_backoff(online):
    routes = {
        ("api.crossref.org", "/works/"): [
            (503, b"busy", {}),
            (429, b"slow down", {"Retry-After": "7"}),
            ok(payload("crossref-work-single-journal-article-from-habanero-tests.json")),
        ]
    }
    code, _out, err, handler, sleeps = online(routes, "--doi", "10.1371/journal.pone.0033693")
    assert code == 0, err
    assert len(handler.requests) == 3
    assert 7.0 in sleeps  # Retry-After honoured
    assert Publication.objects.count() == 1


def test_a_host_that_keeps_failing_exits_1(online):
    routes = {("api.crossref.org", "/works/"): [(503, b"down", {})]}
    code, _out, err, handler, sleeps = online(routes, "--doi", "10.1371/journal.pone.0033693")
    assert code == 1
    assert "api.crossref.org answered HTTP 503" in err
    assert len(handler.requests) == 5  # one try and four retries
    # Exponential backoff between tries (the short waits are the per-host pacing).
    assert [wait for wait in sleeps if wait >= 1] == [2.0, 4.0, 8.0, 16.0]
    assert Publication.objects.count() == 0


def test_requests_to_arxiv_are_paced(online):
    routes = {
        ("export.arxiv.org", "/api/query"): [
            ok(payload("arxiv-atom-idlist-34-authors-from-arxiv.py-tests.xml"), ATOM),
            ok(payload("arxiv-atom-idlist-versioned-title-zero-from-arxiv.py-tests.xml"), ATOM),
        ]
    }
    code, _out, err, handler, sleeps = online(
        routes, "--arxiv", "1707.08567", "--doi", "10.48550/arXiv.2104.12255"
    )
    assert code == 0, err
    assert len(handler.requests) == 2
    assert any(2.5 < wait <= 3.0 for wait in sleeps)  # one request every 3 s
    assert Publication.objects.count() == 2


def test_orcid_works_with_contributors(online):
    record = json.loads(
        payload("orcid-v3-full-record-official-sample-invalid-doi-from-orcid-source.json")
    )
    summary = record["activities-summary"]["works"]  # what /works answers
    work = json.loads(payload("orcid-v3-work-single-bibtex-citation-2-from-rorcid-tests.json"))
    routes = {
        ("pub.orcid.org", "/v3.0/0000-0002-1825-0097/works/"): [
            ok(json.dumps({"bulk": [{"work": work}]}).encode())
        ],
        ("pub.orcid.org", "/v3.0/0000-0002-1825-0097/works"): [ok(json.dumps(summary).encode())],
    }
    person = factories.PersonFactory(orcid="0000-0002-1825-0097", name="Sebastian Kreutzer")
    code, _out, err, handler, _ = online(routes, "--orcid", "https://orcid.org/0000-0002-1825-0097")
    assert code == 0, err
    assert handler.requests[1][0].endswith("/works/178602")
    pub = Publication.objects.get()
    assert pub.title == "Introducing an R package for luminescence dating analysis"
    # The ORCID record's owner is the profile the import is for.
    assert Authorship.objects.get(person=person).position == 1


def test_orcid_not_found_exits_1(online):
    routes = {
        ("pub.orcid.org", "/v3.0/"): [
            (404, payload("orcid-v3-error-404-bad-id-from-rorcid-tests.json"), {})
        ]
    }
    code, _out, err, _, _ = online(routes, "--orcid", "0000-0000-0000-0000")
    assert code == 1 and "not found" in err
    assert ImportRun.objects.count() == 0 and Publication.objects.count() == 0


def test_semantic_scholar_author_pages(online):
    page = json.loads(
        payload("s2-graph-author-papers-last-page-no-next-from-semanticscholar-tests.json")
    )
    first = {**page, "offset": 0, "next": 100, "data": page["data"][:40]}
    last = {**page, "offset": 100, "data": page["data"][40:]}
    routes = {
        ("api.semanticscholar.org", "/graph/v1/author/1741101/papers"): [
            ok(json.dumps(first).encode()),
            ok(json.dumps(last).encode()),
        ]
    }
    code, _out, err, handler, _ = online(routes, "--s2-author", "1741101")
    assert code == 0, err
    offsets = [
        urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["offset"]
        for url, _ in handler.requests
    ]
    assert offsets == [["0"], ["100"]]
    assert Publication.objects.count() == 75


def test_openalex_author_works(online):
    routes = {
        ("api.openalex.org", "/works"): [
            ok(
                payload(
                    "openalex-works-list-response-meta-results-from-zotero-translators-tests.json"
                )
            )
        ]
    }
    code, _out, err, handler, _ = online(
        routes, "--openalex-author", "https://openalex.org/A5023888391"
    )
    assert code == 0, err
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.requests[0][0]).query)
    assert query["filter"] == ["author.id:A5023888391"]
    assert query["mailto"] == [settings.SITE_CONTACT]
    assert Publication.objects.filter(openalex_id__startswith="W").count() == 5


def test_an_empty_request_fetches_nothing():
    from publications.importing.online import OnlineRequest, fetch_request

    def opener(*args, **kwargs):
        raise AssertionError("no request expected")

    fetched = fetch_request(OnlineRequest(), opener=opener)
    assert (fetched.sources, fetched.problems, fetched.person) == ([], [], None)
