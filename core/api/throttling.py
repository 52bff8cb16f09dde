from django.conf import settings
from rest_framework import throttling


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, with its rate read from ``settings.API_ANON_RATE`` on each
    request rather than once at import, so the rate is configurable per deployment and
    per test. ``None`` turns it off."""

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", None) or None
