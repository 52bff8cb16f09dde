"""Guards that answer hostile requests early, before any view or query runs."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from config.routers import replica_reads


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
    """Refuse absurdly long query strings with 414 instead of parsing them.

    Real filter, search and pagination URLs stay far below the limit
    (``MAX_QUERY_STRING_BYTES``, 8 KB by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "MAX_QUERY_STRING_BYTES", 8192)
        if len(request.META.get("QUERY_STRING", "")) > limit:
            body = render_to_string("414.html", {"limit": limit, "SITE_NAME": settings.SITE_NAME})
            return HttpResponse(body, status=414)
        return self.get_response(request)


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
