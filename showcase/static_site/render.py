"""One URL of the site as the file a static host serves.

The page is what the served site answers an anonymous visitor (Django's test client,
the same views and templates). A page at ``/people/x/`` becomes ``people/x/index.html``;
feeds, exports, the sitemap and robots.txt keep their path. A redirect (a permalink, an
old slug) becomes a small HTML page that sends the browser on.
"""

import posixpath
from dataclasses import dataclass, field
from html import escape
from urllib.parse import unquote, urljoin

from .crawl import references, sitemap_locations

REDIRECTS = (301, 302, 303, 307, 308)
# A path no URL pattern matches: its answer is the site's 404 page.
NOT_FOUND_PATH = "/-/static-site/not-found/"


class RenderError(Exception):
    """A page that failed to render: the message names the URL and the error."""


@dataclass
class Output:
    path: str  # the site path asked for, /people/x/
    file: str  # where the static host serves it from, people/x/index.html
    content: bytes
    pages: list = field(default_factory=list)  # site paths it links to
    files: list = field(default_factory=list)  # site paths of the files it uses


def file_for(path, *, directory=False):
    """The file that serves ``path``: ``index.html`` inside a folder for a path ending in a
    slash (and for ``directory``), the path itself otherwise."""
    name = posixpath.normpath("/" + unquote(path)).lstrip("/")  # never above the root
    if path.endswith("/") or directory:
        return posixpath.join(name, "index.html") if name else "index.html"
    return name


def redirect_page(target):
    """A page that sends the browser to the absolute URL ``target``: a meta refresh, the
    canonical link (so search engines index the target) and a plain link."""
    url = escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Redirecting to {url}</title>\n"
        f'<link rel="canonical" href="{url}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{url}">{url}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()


def _content(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _get(client, path, expected):
    try:
        response = client.get(path, secure=True)  # production settings redirect http
    except Exception as error:
        raise RenderError(f"{path}: {type(error).__name__}: {error}") from error
    if response.status_code not in expected:
        raise RenderError(f"{path}: the site answered {response.status_code}")
    return response


def render(client, base, path):
    """The ``Output`` for the site path ``path``, or None when the site has no such page
    for a visitor (404). Anything but 200, a redirect or 404 raises ``RenderError``."""
    response = _get(client, path, (200, 404, *REDIRECTS))
    if response.status_code == 404:
        return None
    if response.status_code in REDIRECTS:
        full = base.origin + base.prefix.rstrip("/") + path
        target = urljoin(full, response["Location"])
        page = redirect_page(target)
        return Output(path, file_for(path, directory=True), page)
    content = _content(response)
    output = Output(path, file_for(path), content)
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        output.pages, output.files = references(base, path, content)
    elif "xml" in content_type and path.startswith("/sitemap"):
        output.pages = sitemap_locations(base, content)
    return output


def render_not_found(client):
    """``404.html``: the site's own 404 page (static hosts serve it for a missing path)."""
    return _content(_get(client, NOT_FOUND_PATH, (404,)))
