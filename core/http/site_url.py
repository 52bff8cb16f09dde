"""The one rule for absolute URLs: every address the site prints with a scheme and host
(canonical links, ``og:url``, JSON-LD, Scholar tags, feed ids, sitemap ``<loc>``s,
permalinks, robots.txt, exports, the API's ``html_url``) starts with
``site_origin(request)``.

With ``SITE_URL`` set (``https://research.example.org``) that origin is fixed, so no
response depends on the ``Host`` header or on the scheme a request came in with. Without
it, the origin is the request's own scheme and host (port included), which Django checks
against ``ALLOWED_HOSTS``; the page cache then keeps one copy per origin
(``core.http.page_cache``), so a page rendered for one host never reaches a visitor of
another.
"""

from django.conf import settings


def site_origin(request):
    """``scheme://host[:port]`` that absolute URLs start with, without a trailing slash.

    ``request.get_host()`` is called either way, so a host outside ``ALLOWED_HOSTS`` is
    refused (``DisallowedHost``, a 400) before anything is rendered or looked up."""
    host = request.get_host()
    return getattr(settings, "SITE_URL", "") or f"{request.scheme}://{host}"


def absolute_url(request, path):
    """``path`` (``/people/x/``) as an absolute URL of this site. An empty ``path`` stays
    empty, an absolute one (a file on object storage) is returned as it is, and without a
    request (and without ``SITE_URL``) the path itself is returned."""
    if not path or path.startswith(("http://", "https://")):
        return path or ""
    if path.startswith("//"):  # scheme-relative, e.g. a storage URL: keeps its own host
        return "https:" + path
    if request is None:
        origin = getattr(settings, "SITE_URL", "")
        return origin + path if origin else path
    return site_origin(request) + path
