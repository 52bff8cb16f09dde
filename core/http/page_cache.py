"""Whole-page cache for anonymous visitors, invalidated whenever content changes.

A cache hit costs one cache read and no database query. Every saved, deleted or
re-linked content row bumps a site-wide *content generation* (at once, and again when its
transaction commits); cached pages carry the generation they were made from, so none is
served after a change (over-invalidation by design: one edit refreshes every page,
never a stale one). A page is kept at most until
the next scheduled publish/unpublish time, so scheduled items appear on time without a
cron job. Responses carry an ETag and Last-Modified; a matching conditional request gets
304 Not Modified.

The generation must be the same in every app-server process. A shared cache (Redis)
holds it; with the default process-local cache (local memory, one per gunicorn worker)
it lives in a small file instead (``PAGE_CACHE_GENERATION_FILE``, its modification time
in nanoseconds): one ``stat`` per request, and a save in one worker invalidates the
pages every other worker has cached.

Only GET/HEAD requests without a session cookie are cached, and only 200 responses that
set no cookie, so staff (who see drafts) and forms with CSRF tokens are never cached;
nor are pages that use their Content-Security-Policy nonce (it must change every time).

A page is kept under everything that changes its bytes besides content: the origin its
absolute URLs start with (``core.http.site_url``: ``SITE_URL``, or else the request's scheme
and host, port included, after Django's ``ALLOWED_HOSTS`` check) and its canonical path
and query (``core.http.query``: only the parameters the page reads, sorted). A page rendered
for one ``Host`` therefore never reaches a visitor of another, and unknown parameters make
no new entries.
"""

import hashlib
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Min, Value
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from core.http.middleware import carries_credentials, is_public_page
from core.http.site_url import site_origin

GENERATION_KEY = "page-cache:generation"
BOUNDARY_KEY = "page-cache:next-boundary:{generation}"
PAGE_KEY = "page-cache:page:{generation}:{method}:{page}"
DATA_KEY = "page-cache:data:{generation}:{name}"


def cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def _generation_file():
    path = getattr(settings, "PAGE_CACHE_GENERATION_FILE", None)
    return Path(path) if path else None


def current_generation():
    path = _generation_file()
    if path is not None:
        try:
            return path.stat().st_mtime_ns
        except FileNotFoundError:
            bump_generation()
            return path.stat().st_mtime_ns
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def bump_generation(**kwargs):
    """Invalidate every cached page. Connected to content models' save/delete signals."""
    path = _generation_file()
    if path is None:
        cache.set(GENERATION_KEY, time.time_ns(), None)
        return
    try:
        previous = path.stat().st_mtime_ns
    except FileNotFoundError:
        previous = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    # Always forward, even when two bumps fall within the clock's resolution.
    now = max(time.time_ns(), previous + 1)
    os.utime(path, ns=(now, now))


def bump_for_change(using=DEFAULT_DB_ALIAS):
    """Invalidate every cached page for a change written to database ``using``: at once,
    and again when its transaction commits.

    The second bump matters with several app servers: between the first and the commit,
    another process can miss the cache, render the page from what is still committed
    (the old content) and cache it under the new generation; the bump at commit retires
    that page. One bump per transaction is queued, however many rows it saves."""
    bump_generation()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not (
        connection.run_on_commit and connection.run_on_commit[-1][1] is bump_generation
    ):
        transaction.on_commit(bump_generation, using=using)


def seconds_until_next_boundary(generation):
    """Seconds until the next scheduled publish/unpublish time of any object, or None.

    Worked out once per content generation, in one query on a cache miss (the earliest
    future time of each model and field, as one UNION ALL)."""
    key = BOUNDARY_KEY.format(generation=generation)
    boundary = cache.get(key)
    if boundary is None:
        boundary = _next_boundary(timezone.now())
        # Kept as long as what it bounds (pages, or data when the page cache is off), and
        # not past the boundary itself, after which the next one is looked up.
        keep = max(cache_seconds(), _data_seconds())
        if boundary:
            keep = min(keep, max(1, int(boundary - time.time()) + 1))
        cache.set(key, boundary, keep)
    return max(0.0, boundary - time.time()) if boundary else None


def _next_boundary(now):
    """The earliest publish/unpublish time after ``now`` of any public object, as a
    timestamp, or 0 when none is scheduled."""
    from core.db.visibility import public_models

    first, *rest = [
        model.objects.filter(**{f"{name}__gt": now})
        .order_by()
        .values(part=Value(1))  # grouped by a constant: one row per part, NULL when none
        .annotate(at=Min(name))
        .values("at")
        for model in public_models()
        for name in ("publish_at", "unpublish_at")
    ]
    upcoming = [row["at"] for row in first.union(*rest, all=True).order_by() if row["at"]]
    return min(upcoming).timestamp() if upcoming else 0


def _data_seconds():
    return getattr(settings, "DATA_CACHE_SECONDS", 3600)


def _data_ttl(generation):
    """How long data of this generation may be kept: ``DATA_CACHE_SECONDS``, and no
    later than the next scheduled publish/unpublish time."""
    seconds = _data_seconds()
    until_boundary = seconds_until_next_boundary(generation)
    if until_boundary is not None:
        seconds = max(1, min(seconds, int(until_boundary)))
    return seconds


def cached_for_content(name, compute, *, user):
    """``compute()``, kept until content changes: the same content generation and the same
    scheduled-boundary rule as cached pages, so it is never stale after a save, a publish
    or a window opening. For what many uncached pages share and is costly to work out
    (the facet counts of a paper list). ``DATA_CACHE_SECONDS`` (0: off) caps its life.

    Only what a visitor sees is kept: for a ``user`` who may preview drafts
    (``core.views.sees_drafts``) ``compute()`` runs every time and nothing is stored, so
    ``compute`` may read what ``user`` may see. What is kept must not depend on anything
    else about who asks, beyond what ``name`` says."""
    return cached_each_for_content([name], lambda names: {name: compute()}, user=user)[name]


def cached_each_for_content(names, compute, *, user):
    """``{name: value}`` for every one of ``names``, each kept like ``cached_for_content``
    (and, like it, never for a ``user`` who sees drafts): one ``get_many`` for all of
    them, then one call ``compute(missing names)``, which returns ``{name: value}`` for
    those not kept, and one ``set_many``."""
    from core.db.visibility import sees_drafts

    if not _data_seconds() or sees_drafts(user):
        return compute(list(names))
    generation = current_generation()
    keys = {DATA_KEY.format(generation=generation, name=name): name for name in names}
    found = cache.get_many(keys)
    values = {keys[key]: value for key, value in found.items()}
    missing = [name for key, name in keys.items() if key not in found]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {DATA_KEY.format(generation=generation, name=name): computed[name] for name in missing},
            _data_ttl(generation),
        )
        values.update(computed)
    return values


def _cacheable_request(request):
    return is_public_page(request) and not carries_credentials(request)


def page_key(request):
    """What a page's bytes depend on besides content: the origin of its absolute URLs and
    its canonical path and query (``CanonicalQueryMiddleware`` ran before), hashed."""
    page = f"{site_origin(request)} {request.get_full_path()}"
    return hashlib.sha256(page.encode()).hexdigest()


def _not_modified(request, etag, last_modified):
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified is not None and int(last_modified) <= since


def _with_validators(request, response, etag, last_modified):
    if _not_modified(request, etag, last_modified):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        generation = current_generation()
        key = PAGE_KEY.format(
            generation=generation,
            method="GET",  # HEAD is answered from the GET entry
            page=page_key(request),
        )
        entry = cache.get(key)
        if entry is not None:
            response = HttpResponse(entry["content"], status=200)
            for header, value in entry["headers"]:
                response[header] = value
            response["X-Page-Cache"] = "hit"
            return _with_validators(request, response, entry["etag"], entry["last_modified"])

        response = self.get_response(request)
        if (
            response.status_code != 200
            or response.cookies
            or getattr(response, "streaming", False)
            or "private" in response.get("Cache-Control", "")
        ):
            return response
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return response
        if getattr(request, "_csp_nonce", None):
            # The page used its Content-Security-Policy nonce, which must be new on every
            # response: a cached copy would carry a stale one.
            return response
        ttl = seconds
        until_boundary = seconds_until_next_boundary(generation)
        if until_boundary is not None:
            ttl = max(1, min(ttl, int(until_boundary)))
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        last_modified = generation / 1e9
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_vary_headers(response, ("Cookie",))
        headers = [
            (header, value)
            for header, value in response.items()
            if header.lower() not in ("set-cookie", "x-page-cache")
        ]
        cache.set(
            key,
            {
                "content": response.content,
                "headers": headers,
                "etag": etag,
                "last_modified": last_modified,
            },
            ttl,
        )
        response["X-Page-Cache"] = "miss"
        return _with_validators(request, response, etag, last_modified)
