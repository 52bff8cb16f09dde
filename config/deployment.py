"""Settings for more than one machine, built from environment values: read replicas,
uploaded media on S3-compatible object storage, and static files through a CDN.

Plain functions of the values ``config/settings.py`` reads, so each can be tested
without reloading the settings. Every one returns the single-machine default when its
variables are unset.
"""

import ipaddress
from importlib.util import find_spec
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

REPLICA_PREFIX = "replica_"
S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"


def database(url, *, conn_max_age):
    """One DATABASES entry: persistent connections with health checks, so a connection
    that died (a database restart, a failover) is replaced on its next use. SQLite keeps
    no connection open and runs in WAL mode."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers and one writer work at once; IMMEDIATE avoids lock upgrades.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
    return config


def replica_databases(urls, *, conn_max_age):
    """``{"replica_1": {...}, ...}`` for the comma-separated ``DATABASE_REPLICA_URLS``.

    In tests each replica mirrors ``default`` (Django's ``TEST["MIRROR"]``), so code
    that reads from a replica sees what the test wrote."""
    replicas = {}
    for number, url in enumerate(_split(urls), start=1):
        try:
            config = database(url, conn_max_age=conn_max_age)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS: replica {number} is not a database URL ({error})"
            ) from None
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"{REPLICA_PREFIX}{number}"] = config
    return replicas


def media_storage(backend, *, bucket="", endpoint_url="", region="", custom_domain="", location=""):
    """The ``STORAGES["default"]`` entry for uploaded files and the ``MEDIA_URL`` it needs
    (``None``: keep the local one).

    ``backend`` is ``DJANGO_MEDIA_STORAGE``: empty or ``filesystem`` keeps files under
    ``MEDIA_ROOT``; ``s3`` stores them in an S3-compatible bucket through django-storages
    (the optional ``s3`` extra: ``pip install -e '.[s3]'``). Credentials are not settings:
    boto3 reads ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (or an instance role)."""
    backend = (backend or "filesystem").strip().lower()
    if backend == "filesystem":
        return {"BACKEND": FILESYSTEM_BACKEND}, None
    if backend != "s3":
        raise ImproperlyConfigured(
            f"DJANGO_MEDIA_STORAGE must be 'filesystem' or 's3', not {backend!r}"
        )
    if find_spec("storages") is None or find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "DJANGO_MEDIA_STORAGE=s3 needs django-storages and boto3: "
            "pip install -e '.[s3]' (or pip install 'django-storages[s3]')"
        )
    if not bucket:
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    options = {
        "bucket_name": bucket,
        # Uploads never replace each other: a second "photo.jpg" gets a suffix.
        "file_overwrite": False,
        "default_acl": None,  # the bucket's policy decides who may read
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url  # MinIO, Ceph, R2, Spaces, …
    if region:
        options["region_name"] = region
    if location:
        options["location"] = location.strip("/")
    media_url = None
    if custom_domain:
        # Public files through a CDN or the bucket's own domain: plain URLs, unsigned.
        options["custom_domain"] = custom_domain
        options["querystring_auth"] = False
        prefix = f"{options['location']}/" if location else ""
        media_url = f"https://{custom_domain}/{prefix}"
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}, media_url


def static_url(value):
    """``STATIC_URL``: ``/static/`` unless ``DJANGO_STATIC_URL`` names a CDN
    (``https://cdn.example.org/static/``). whitenoise keeps serving ``/static/`` as the
    CDN's origin, so the path of a CDN URL must be ``/static/`` too."""
    if not value:
        return "/static/"
    value = value if value.endswith("/") else value + "/"
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ImproperlyConfigured(
            f"DJANGO_STATIC_URL must be an absolute http(s) URL such as "
            f"https://cdn.example.org/static/, not {value!r}"
        )
    if parts.path != "/static/":
        raise ImproperlyConfigured(
            f"DJANGO_STATIC_URL must end in /static/ (whitenoise serves the CDN's origin "
            f"at /static/), not {value!r}"
        )
    return value


def site_url(value):
    """``SITE_URL``: the site's public origin (``https://research.example.org``) that every
    absolute URL starts with (core.http.site_url), or "" to use each request's own scheme and
    host. Only a scheme and host (and port): the site is served at the root."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's origin, such as https://research.example.org "
            f"(a scheme and host, no path), not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def trusted_proxies(value):
    """``DJANGO_TRUSTED_PROXIES``: the reverse proxies (addresses or networks, comma-
    separated) whose ``X-Forwarded-For`` names the client (core.http.client_ip). None when
    unset: a proxy is trusted only when named, loopback included."""
    entries = _split(value)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"DJANGO_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return entries


def origins(*urls):
    """The distinct ``scheme://host`` of each absolute URL, for the CSP sources."""
    found = []
    for url in urls:
        parts = urlsplit(url or "")
        if parts.scheme and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return found


def _split(value):
    return [item.strip() for item in (value or "").split(",") if item.strip()]
