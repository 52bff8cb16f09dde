from django.conf import settings
from rest_framework import throttling

from core.http.client_ip import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, with its rate read from ``settings.API_ANON_RATE`` on each
    request rather than once at import, so the rate is configurable per deployment and
    per test (``None`` turns it off), counted per ``core.http.client_ip``: the address the
    login lockout uses, never an ``X-Forwarded-For`` that a client wrote itself (DRF's own
    identity takes that header from anyone)."""

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", None) or None

    def get_ident(self, request):
        return client_ip(request)
