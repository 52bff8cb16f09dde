"""Guards that answer hostile requests early, before any view or query runs."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


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
