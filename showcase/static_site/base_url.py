"""The settings a static build renders under.

A build under ``https://user.github.io/site/`` must print every link, asset, canonical
URL, feed id and sitemap ``<loc>`` under that prefix. Django makes them so itself: the
script prefix (``FORCE_SCRIPT_NAME`` and ``set_script_prefix``) for ``reverse``,
``STATIC_URL`` and ``MEDIA_URL`` for files, ``SITE_URL`` (the origin) for absolute URLs.
No HTML is rewritten.
"""

import contextlib
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.test.utils import override_settings
from django.urls import get_script_prefix, set_script_prefix

DEFAULT_BASE_URL = "http://localhost:8000/"
STATIC_FOLDER = "static"
# The test client's host: a build never answers another one.
HOST = "testserver"


@dataclass(frozen=True)
class BaseURL:
    origin: str  # https://user.github.io
    prefix: str  # /site/ (always starts and ends with a slash)

    def __str__(self):
        return self.origin + self.prefix

    def strip(self, path):
        """``/site/people/x/`` as the path the site's URLconf knows (``/people/x/``), or
        None for a path outside the prefix."""
        if not path.startswith(self.prefix):
            return None
        return "/" + path[len(self.prefix) :]


def parse_base_url(value=None):
    """``--base-url`` (or ``SITE_URL``, or ``http://localhost:8000/``) as a ``BaseURL``.
    Raises ``ValueError`` for anything but an http(s) URL without query or fragment."""
    value = (value or getattr(settings, "SITE_URL", "") or DEFAULT_BASE_URL).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--base-url must be an http(s) URL, not {value!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"--base-url takes no query, fragment or credentials: {value!r}")
    prefix = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    return BaseURL(origin=f"{parts.scheme}://{parts.netloc}", prefix=prefix)


def media_is_local():
    """Whether uploads are served from this site's own ``MEDIA_URL`` (then the build copies
    the ones its pages show); an absolute ``MEDIA_URL`` (a bucket) stays as it is."""
    return (settings.MEDIA_URL or "").startswith("/")


@contextlib.contextmanager
def build_settings(base, static_root):
    """Render as an anonymous visitor of the site served at ``base``: DEBUG off, the page
    cache off, a cache of its own (so nothing rendered for another prefix is reused), and
    the hashed static files collected into ``static_root``."""
    overrides = {
        "DEBUG": False,
        "ALLOWED_HOSTS": [HOST],
        "SITE_URL": base.origin,
        "FORCE_SCRIPT_NAME": base.prefix.rstrip("/") or None,
        "STATIC_URL": base.prefix + STATIC_FOLDER + "/",
        "STATIC_ROOT": str(static_root),
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
        "PAGE_CACHE_SECONDS": 0,
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"static-site-{base}",
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            }
        },
    }
    if media_is_local():
        overrides["MEDIA_URL"] = base.prefix + settings.MEDIA_URL.lstrip("/")
    previous = get_script_prefix()
    # A seed the site answers 404 (an old slug of an unpublished paper) is no news.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    with override_settings(**overrides):
        set_script_prefix(base.prefix)
        request_log.setLevel(logging.ERROR)
        try:
            yield
        finally:
            request_log.setLevel(level)
            set_script_prefix(previous)
