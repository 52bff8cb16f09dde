"""Scheduled publishing needs no job for correctness: ``published()`` checks the window
when a query runs and the page cache expires at the next boundary. This module lists
what crossed a boundary recently, for pushing to places outside the site (a CDN, a feed
reader ping) and for the record."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.db.visibility import public_models
from core.http.page_cache import bump_generation


@dataclass(frozen=True)
class Crossing:
    obj: object
    appeared: bool  # False: it disappeared
    at: datetime.datetime


def recent_crossings(*, since: datetime.timedelta, now=None):
    """Published objects whose publish_at or unpublish_at fell in ``(now - since, now]``."""
    now = now or timezone.now()
    start = now - since
    crossings = []
    for model in public_models():
        published = model.objects.filter(is_published=True)
        for obj in published.filter(publish_at__gt=start, publish_at__lte=now):
            crossings.append(Crossing(obj, True, obj.publish_at))
        for obj in published.filter(unpublish_at__gt=start, unpublish_at__lte=now):
            crossings.append(Crossing(obj, False, obj.unpublish_at))
    return sorted(crossings, key=lambda c: c.at)


def push_scheduled(*, since):
    """Refresh cached pages if anything crossed a boundary; return the crossings."""
    crossings = recent_crossings(since=since)
    if crossings:
        bump_generation()
    return crossings
