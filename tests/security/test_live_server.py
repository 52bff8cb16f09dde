"""The attacks of issue 13 where the server in front matters, against a real gunicorn
(``gunicorn.conf.py``, DEBUG off, production settings) that the tests start on
127.0.0.1 on a free port and stop: the ``Host`` header through gunicorn and the page cache
(finding 2), ``X-Forwarded-For`` against the API's anonymous throttle (finding 3), and
request lines longer than gunicorn's default limit (finding 7).

The site is a scratch SQLite database (migrated, with one published person) and
collected static files, both removed at the end (``bench.harness``).
"""

import http.client
import socket

import pytest

from bench.harness import Server, collectstatic, manage, scratch_database

pytestmark = pytest.mark.slow

FOREIGN_HOST = "127.0.0.1:6666"
SECURITY_HEADERS = (
    "X-Frame-Options",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
)
PERSON = (
    "from profiles.models import Person; "
    "Person.objects.create(name='Live Person', slug='live-person', is_published=True)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    with scratch_database("sqlite") as database_url:
        manage(database_url, "shell", "-c", PERSON)
        collectstatic(database_url, str(folder / "static"))
        with Server(
            database_url,
            str(folder / "static"),
            workers=1,  # one local-memory page cache: what one visitor leaves, the next meets
            DJANGO_PAGE_CACHE_SECONDS=300,
            DJANGO_PAGE_CACHE_GENERATION_FILE=str(folder / "generation"),
            DJANGO_MEDIA_ROOT=str(folder / "media"),
            API_ANON_RATE="3/minute",
        ) as running:
            yield running


def get(server, path, **headers):
    """(status, headers, body) of a GET with exactly these headers (``Host`` included)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{server.port}", **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def raw(server, request_line):
    """The status line, headers and body gunicorn answers to ``request_line``."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(
            f"{request_line}\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n".encode()
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    return int(status.split()[1]), headers, body


@pytest.mark.parametrize(
    "path", ["/people/live-person/", "/sitemap.xml", "/people/live-person/feed.atom", "/robots.txt"]
)
def test_a_foreign_host_never_reaches_another_visitor(server, path):
    status, _, poisoned = get(server, path, Host=FOREIGN_HOST)
    assert status == 200
    assert FOREIGN_HOST.encode() in poisoned  # the attacker's own copy names their host
    status, _, page = get(server, path)
    assert status == 200
    assert FOREIGN_HOST.encode() not in page
    assert f"127.0.0.1:{server.port}".encode() in page


def test_forwarded_for_does_not_escape_the_anonymous_throttle(server):
    statuses = [
        get(server, "/api/v1/outlets/", **{"X-Forwarded-For": f"10.9.8.{n}"})[0] for n in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_a_request_line_over_4094_bytes_reaches_the_site(server):
    status, headers, _ = raw(server, f"GET /publications/?q={'a' * 5000} HTTP/1.1")
    assert status == 200
    assert all(name.lower() in headers for name in SECURITY_HEADERS)


def test_an_address_over_the_limit_gets_the_sites_414(server):
    status, headers, body = raw(server, f"GET /publications/?q={'a' * 8100} HTTP/1.1")
    assert status == 414
    assert "That address is too long" in body.decode()
    assert headers["x-frame-options"] == "DENY"
    assert all(name.lower() in headers for name in SECURITY_HEADERS)


def test_an_api_address_over_the_limit_gets_a_json_414(server):
    status, headers, body = raw(server, f"GET /api/v1/publications/?search={'a' * 8100} HTTP/1.1")
    assert status == 414
    assert headers["content-type"] == "application/json"
    assert b"longer than 8,000 bytes" in body
    assert all(name.lower() in headers for name in SECURITY_HEADERS)
