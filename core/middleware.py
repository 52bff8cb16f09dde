"""Guards that answer hostile requests early, before any view or query runs."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

from config.routers import replica_reads

from .limits import MAX_QUERY_STRING_BYTES, MAX_REQUEST_BODY_BYTES


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def is_anonymous_read(request):
    """A GET or HEAD without a session cookie or credentials, outside the admin: a request
    that the page cache may answer and whose reads may come from a replica (nobody logged
    in, so no draft and nothing just saved by this visitor to see)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith("/" + settings.ADMIN_URL.lstrip("/"))
    )


class RequestLimitsMiddleware:
    """Refuse absurdly long query strings (414) and request bodies (413) before anything
    parses them, with a page that says why (JSON under ``/api/``).

    Real filter, search and pagination URLs stay far below ``MAX_QUERY_STRING_BYTES``
    (8 KB by default). ``MAX_REQUEST_BODY_BYTES`` (10 MB by default) bounds every body,
    uploads included: Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves out uploaded files,
    which it streams to disk, so without this a multipart body of any size would be read
    (the CSRF check reads it, even for a visitor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_limit = getattr(settings, "MAX_QUERY_STRING_BYTES", MAX_QUERY_STRING_BYTES)
        if len(request.META.get("QUERY_STRING", "")) > query_limit:
            return self.refuse(
                request,
                414,
                "414.html",
                f"The query string is longer than {filesizeformat(query_limit)}.",
                limit=query_limit,
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


class ReplicaReadsMiddleware:
    """Lets the reads of anonymous GET/HEAD requests go to a read replica
    (config/routers.py; without replicas every read goes to default anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
