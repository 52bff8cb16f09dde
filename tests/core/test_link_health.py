"""check_links against a local HTTP server on 127.0.0.1: never the internet."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from core.http.client import PoliteClient
from core.http.linkcheck import check_url, html_to_text
from core.models import LinkCheck
from media_items.models import MediaItem
from showcase.link_health import check_links
from tests.factories import MediaItemFactory, PublicationFactory

pytestmark = pytest.mark.django_db

PAGE = b"""<!doctype html><html><head><title>Episode 39</title><style>p{color:red}</style>
<script>alert('x')</script></head><body><h1>Model organisms</h1>
<p>Evan Hubinger talks about <b>Sleeper Agents</b> &amp; more.</p></body></html>"""


class Handler(BaseHTTPRequestHandler):
    hits = {}

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if self.path == "/ok":
            return self.send(200, PAGE)
        if self.path == "/moved":
            return self.send(301, headers=[("Location", "/ok")])
        if self.path == "/missing":
            return self.send(404, b"<p>not here</p>")
        if self.path == "/error":
            return self.send(500, b"oops")
        if self.path == "/flaky":
            if Handler.hits[self.path] == 1:
                return self.send(503, b"busy", headers=[("Retry-After", "0")])
            return self.send(200, PAGE)
        if self.path == "/slow":
            time.sleep(2)
            return self.send(200, PAGE)
        if self.path == "/huge":
            return self.send(200, b"<p>" + b"x" * 3_000_000 + b"</p>")
        if self.path == "/paper.pdf":
            return self.send(200, b"%PDF-1.7 binary", "application/pdf")
        if self.path.startswith("/private/"):
            return self.send(200, PAGE)
        return self.send(404)


@pytest.fixture
def server():
    Handler.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def http_client():
    return PoliteClient(timeout=1.0, min_interval=0, retries=1, backoff=0, respect_robots=True)


def test_html_is_stripped_to_readable_text():
    text = html_to_text(PAGE.decode())
    assert "Model organisms" in text
    assert "Evan Hubinger talks about Sleeper Agents & more." in text
    assert "alert" not in text and "color:red" not in text


def test_healthy_page_is_recorded_with_a_snapshot(server, http_client):
    check = check_url(f"{server}/ok", client=http_client)
    assert (check.status, check.is_broken) == (200, False)
    assert check.snapshot_size == len(PAGE)
    assert check.snapshot_content_type == "text/html"
    assert "Model organisms" in check.snapshot_text


def test_redirect_is_followed_and_its_target_recorded(server, http_client):
    check = check_url(f"{server}/moved", client=http_client)
    assert check.status == 200
    assert check.final_url == f"{server}/ok"


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/error", 500)])
def test_error_statuses_are_broken(server, http_client, path, status):
    check = check_url(f"{server}{path}", client=http_client)
    assert (check.status, check.is_broken, check.error) == (status, True, f"HTTP {status}")


def test_a_failure_keeps_the_last_good_snapshot(server, http_client):
    good = check_url(f"{server}/ok", client=http_client)
    LinkCheck.objects.filter(pk=good.pk).update(url=f"{server}/missing")
    check = check_url(f"{server}/missing", client=http_client)
    assert check.is_broken
    assert "Model organisms" in check.snapshot_text  # what it said when it was up


def test_timeout_is_broken_not_a_crash(server):
    client = PoliteClient(timeout=0.3, min_interval=0, retries=0)
    check = check_url(f"{server}/slow", client=client)
    assert check.is_broken and check.status is None
    assert "timed out" in check.error


def test_huge_pages_are_read_up_to_the_cap(server):
    client = PoliteClient(timeout=2, min_interval=0, retries=0, max_bytes=100_000)
    check = check_url(f"{server}/huge", client=client)
    assert check.status == 200
    assert check.snapshot_size == 3_000_007  # from Content-Length, not what was read
    assert len(check.snapshot_text) <= 100_000


def test_non_html_gets_status_and_size_but_no_text(server, http_client):
    check = check_url(f"{server}/paper.pdf", client=http_client)
    assert (check.status, check.snapshot_content_type, check.snapshot_text) == (
        200,
        "application/pdf",
        "",
    )


def test_retries_a_busy_server(server, http_client):
    check = check_url(f"{server}/flaky", client=http_client)
    assert check.status == 200
    assert Handler.hits["/flaky"] == 2


def test_robots_txt_is_respected(server, http_client):
    check = check_url(f"{server}/private/page", client=http_client)
    assert check.is_broken and "robots.txt" in check.error
    assert "/private/page" not in Handler.hits


def test_command_checks_papers_and_media_and_refreshes_cached_copies(server):
    PublicationFactory(code_url=f"{server}/ok", pdf_url=f"{server}/missing")
    item = MediaItemFactory(url=f"{server}/ok", transcript_url=f"{server}/error")
    out = StringIO()
    call_command("check_links", "--timeout", "1", stdout=out)
    output = out.getvalue()
    assert "Checked 3 links: 2 broken, 1 cached copies refreshed." in output
    assert f"broken: {server}/missing (HTTP 404)" in output
    item.refresh_from_db()
    assert item.cached_content_status == 200
    assert "Model organisms" in item.cached_content
    assert item.cached_content_size == len(PAGE)


def test_only_broken_rechecks_just_those(server):
    PublicationFactory(code_url=f"{server}/ok", pdf_url=f"{server}/missing")
    client = PoliteClient(timeout=1, min_interval=0, retries=0, respect_robots=True)
    check_links([f"{server}/ok", f"{server}/missing"], client=client)
    out = StringIO()
    call_command("check_links", "--only-broken", stdout=out)
    assert "Checked 1 links: 1 broken" in out.getvalue()


def test_broken_links_are_listed_first_in_the_admin(staff_client, server, http_client):
    check_url(f"{server}/ok", client=http_client)
    check_url(f"{server}/missing", client=http_client)
    page = staff_client.get("/admin/core/linkcheck/?is_broken__exact=1").content.decode()
    assert f"{server}/missing" in page
    assert f"{server}/ok<" not in page
    assert not MediaItem.objects.exists()
