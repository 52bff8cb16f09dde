"""One polite HTTP client for everything that fetches from other sites.

Online importers (arXiv, Crossref, Semantic Scholar, OpenAlex, ORCID) and the link
checker use it. It names the site and a contact in its User-Agent, times out, waits
between requests to the same host, retries 429 and 5xx answers with backoff (honouring
``Retry-After``) and, the same way, connections that were refused, reset or timed out;
it can respect robots.txt, and never reads more than ``max_bytes``.
Uses only the standard library, so nothing extra is needed to run it.
"""

import email.utils
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field

from django.conf import settings

RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """The resource could not be fetched (network error, timeout, refused by robots.txt)."""


class TransientFetchError(FetchError):
    """A failure that may pass if tried again: the connection was refused, reset or
    timed out. ``get`` retries these like a 503 before giving up."""


# Connection failures worth another try (a DNS error or a bad URL is not).
TRANSIENT_ERRORS = (TimeoutError, ConnectionError)


def _fetch_error(url, reason):
    """The FetchError for a request to ``url`` that failed with ``reason``: transient
    (retried) for a refused, reset or timed-out connection."""
    kind = TransientFetchError if isinstance(reason, TRANSIENT_ERRORS) else FetchError
    return kind(f"{url}: {reason}")


@dataclass
class Response:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False  # the body was longer than max_bytes
    size: int = 0  # bytes received (at most max_bytes + 1 when truncated)

    @property
    def ok(self):
        return 200 <= self.status < 300

    @property
    def content_type(self):
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self):
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip("\"'")
        return "utf-8"

    def text(self):
        try:
            return self.body.decode(self.charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def user_agent():
    return f"{settings.SITE_NAME} (research-profile CMS; mailto:{settings.SITE_CONTACT})"


class PoliteClient:
    """Fetches URLs one at a time, at most one request per ``min_interval`` per host."""

    def __init__(
        self,
        *,
        timeout=10.0,
        min_interval=1.0,
        retries=3,
        backoff=1.0,
        max_bytes=2_000_000,
        respect_robots=False,
        opener=None,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.timeout = timeout
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self.opener = opener or urllib.request.build_opener()
        self.sleep = sleep
        self.clock = clock
        self._last_request = {}
        self._robots = {}
        self._lock = threading.Lock()

    # -- politeness ------------------------------------------------------------------
    def _wait_turn(self, host):
        with self._lock:
            last = self._last_request.get(host)
            if last is not None:
                delay = self.min_interval - (self.clock() - last)
                if delay > 0:
                    self.sleep(delay)
            self._last_request[host] = self.clock()

    def allowed(self, url):
        """Whether robots.txt of the URL's host lets us fetch it (True when it has none)."""
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            try:
                response = self._request(f"{origin}/robots.txt", max_bytes=500_000)
            except FetchError:
                parser.parse([])  # unreachable robots.txt: no rules
            else:
                if response.status in (401, 403):
                    parser.disallow_all = True
                elif response.ok:
                    parser.parse(response.text().splitlines())
                else:
                    parser.parse([])
            self._robots[origin] = parser
        return self._robots[origin].can_fetch(user_agent(), url)

    # -- fetching --------------------------------------------------------------------
    def get(self, url, *, headers=None, max_bytes=None):
        """GET ``url``; retries 429/5xx answers and transient connection failures with
        backoff. Returns the final Response (any status); raises FetchError when nothing
        could be fetched at all (``TransientFetchError`` once the retries are used up)."""
        try:
            scheme = urllib.parse.urlsplit(url).scheme
        except ValueError as error:  # e.g. an unclosed IPv6 bracket
            raise FetchError(f"not a valid URL: {url} ({error})") from None
        if scheme not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url}")
        if self.respect_robots and not self.allowed(url):
            raise FetchError(f"robots.txt of {urllib.parse.urlsplit(url).netloc} disallows {url}")
        attempt = 0
        while True:
            try:
                response = self._request(url, headers=headers, max_bytes=max_bytes)
            except TransientFetchError:
                if attempt >= self.retries:
                    raise
                response = None
            else:
                if response.status not in RETRY_STATUSES or attempt >= self.retries:
                    return response
            attempt += 1
            self.sleep(self._retry_delay(response, attempt))

    def _retry_delay(self, response, attempt):
        retry_after = "" if response is None else response.headers.get("retry-after", "").strip()
        if retry_after.isdigit():
            return min(float(retry_after), 60.0)
        if retry_after:
            when = email.utils.parsedate_to_datetime(retry_after)
            if when is not None:
                return max(0.0, min(when.timestamp() - time.time(), 60.0))
        return self.backoff * (2 ** (attempt - 1))

    def _request(self, url, *, headers=None, max_bytes=None):
        limit = self.max_bytes if max_bytes is None else max_bytes
        self._wait_turn(urllib.parse.urlsplit(url).netloc)
        request = urllib.request.Request(
            url, headers={"User-Agent": user_agent(), "Accept": "*/*", **(headers or {})}
        )
        try:
            raw = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raw = error  # an HTTP answer with an error status: still a response
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise _fetch_error(url, getattr(error, "reason", error)) from None
        try:
            body = raw.read(limit + 1) if raw.fp is not None else b""
        except (TimeoutError, OSError) as error:
            raise _fetch_error(url, error) from None
        finally:
            raw.close()
        return Response(
            url=url,
            final_url=raw.geturl() or url,
            status=raw.status if hasattr(raw, "status") else raw.code,
            headers={k.lower(): v for k, v in raw.headers.items()},
            body=body[:limit],
            truncated=len(body) > limit,
            size=len(body),
        )
