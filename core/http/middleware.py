"""Guards that answer hostile requests early, before any view or query runs, and the
rules that decide which requests are public reads."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from core.db.routers import replica_reads
from core.http.limits import MAX_REQUEST_BODY_BYTES, MAX_URL_BYTES
from core.http.query import canonicalize


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def carries_credentials(request):
    """Whether ``request`` may be someone's: it has a session cookie or an
    ``Authorization`` header (an API token). Its answer may show what only that user
    sees (drafts, for staff), so it is never cached for others."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def _in_admin(request):
    return request.path.startswith("/" + settings.ADMIN_URL.lstrip("/"))


def is_anonymous_read(request):
    """A GET or HEAD without a session cookie or credentials, outside the admin: a request
    that the page cache may answer and whose reads may come from a replica (nobody logged
    in, so no draft and nothing just saved by this visitor to see)."""
    return (
        request.method in ("GET", "HEAD")
        and not carries_credentials(request)
        and not _in_admin(request)
    )


def is_public_page(request):
    """A GET or HEAD of a page the page cache may keep, whoever asks: outside the admin
    and outside ``PAGE_CACHE_SKIP`` (the API, which refuses unknown parameters itself)."""
    return (
        request.method in ("GET", "HEAD")
        and not _in_admin(request)
        and not request.path.startswith(tuple(getattr(settings, "PAGE_CACHE_SKIP", ())))
    )


class RequestLimitsMiddleware:
    """Refuse absurdly long URLs (414) and request bodies (413) before anything parses
    them, with a page that says why (JSON under ``/api/``).

    Real filter, search and pagination URLs stay far below ``MAX_URL_BYTES`` (8,000 bytes
    of path and query by default), which gunicorn's own request-line limit
    (``gunicorn.conf.py``) leaves room for, so that this page answers rather than
    gunicorn's bare 400. ``MAX_REQUEST_BODY_BYTES`` (10 MB by default) bounds every body,
    uploads included: Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves out uploaded files,
    which it streams to disk, so without this a multipart body of any size would be read
    (the CSRF check reads it, even for a visitor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        url_limit = getattr(settings, "MAX_URL_BYTES", MAX_URL_BYTES)
        if url_bytes(request) > url_limit:
            return self.refuse(
                request,
                414,
                "414.html",
                f"The address is longer than {url_limit:,} bytes.",
                limit=url_limit,
            )
        body_limit = getattr(settings, "MAX_REQUEST_BODY_BYTES", MAX_REQUEST_BODY_BYTES)
        size = _content_length(request)
        if size > body_limit:
            return self.refuse(
                request,
                413,
                "413.html",
                f"The request body is {filesizeformat(size)}; at most "
                f"{filesizeformat(body_limit)} is accepted.",
                limit=body_limit,
                size=size,
            )
        return self.get_response(request)

    def refuse(self, request, status, template, detail, **context):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail}, status=status)
        body = render_to_string(template, {**context, "SITE_NAME": settings.SITE_NAME})
        return HttpResponse(body, status=status)


def url_bytes(request):
    """Length of the path and query, percent-encoded as in the request line."""
    return len(request.get_full_path())


class CanonicalQueryMiddleware:
    """Public pages see only the query parameters they declare, sorted (core.http.query), so
    that an unknown parameter neither changes a page nor makes a new page-cache entry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_public_page(request):
            canonicalize(request)
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """``Cache-Control: private`` on every answer to a request with credentials (a
    session or an API token): staff see drafts, so no shared cache (a proxy, a CDN) may
    keep what they were shown and hand it to someone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if carries_credentials(request):
            patch_cache_control(response, private=True)
        return response


class ReplicaReadsMiddleware:
    """Lets the reads of anonymous GET/HEAD requests go to a read replica
    (core/routers.py; without replicas every read goes to default anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
