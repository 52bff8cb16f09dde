"""Test settings: only overrides of ``config.settings``, for speed and isolation."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 48)

from .settings import *  # noqa: F403
from .settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="rp-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
STATIC_ROOT = tempfile.mkdtemp(prefix="rp-test-static-")
PAGE_CACHE_SECONDS = 0  # tests that exercise the page cache turn it on themselves
DATA_CACHE_SECONDS = 0  # likewise for core.http.page_cache.cached_for_content
# Per test process (xdist workers must not invalidate each other's pages mid-test).
PAGE_CACHE_GENERATION_FILE = os.path.join(
    tempfile.mkdtemp(prefix="rp-test-page-cache-"), "generation"
)
