"""Settings for the research-profile CMS.

Every setting that differs between machines is read from the environment here,
in one place. ``config.test_settings`` only overrides a few of them for speed.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP

from config import deployment
from core import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    import os

    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)


# Production needs a strong DJANGO_SECRET_KEY; see core/secret_key.py.
SECRET_KEY = secret_key.resolve(
    env("DJANGO_SECRET_KEY", ""), debug=DEBUG, key_file=BASE_DIR / ".secret_key"
)
SECRET_KEY_FROM_ENVIRONMENT = bool(env("DJANGO_SECRET_KEY", ""))

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The site's public origin (https://research.example.org): every absolute URL (canonical
# links, og:url, JSON-LD, feeds, sitemaps, permalinks, exports, the API) starts with it,
# so no response depends on the Host header. Empty: each request's own scheme and host
# (core.http.site_url), and the page cache keeps a copy per host.
SITE_URL = deployment.site_url(env("SITE_URL"))
SITE_NAME = env("SITE_NAME", "Research profiles")
SITE_CONTACT = env("SITE_CONTACT_EMAIL", "webmaster@example.org")

INSTALLED_APPS = [
    "core.apps.AdminConfig",  # django.contrib.admin, its site core.admin_site.AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "reversion",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "search",
    "profiles",
    "publications",
    "media_items",
    "showcase",
]

MIDDLEWARE = [
    # The security headers first, so that every response gets them: static files, 304s,
    # the 413/414 refusals and the redirects that add a slash included.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so cached pages get the header too (see SECURE_CSP).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.http.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers to a session or token are `Cache-Control: private` (staff see drafts).
    "core.http.middleware.PrivateResponsesMiddleware",
    # Public pages see only the query parameters they declare, sorted (core.http.query).
    "core.http.middleware.CanonicalQueryMiddleware",
    # Anonymous GET/HEAD outside the admin may read from replicas (core/routers.py).
    "core.http.middleware.ReplicaReadsMiddleware",
    # Before sessions and auth: a cache hit needs no database query at all.
    "core.http.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last: answers a locked-out login attempt with the lockout page (see AXES_*).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.http.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Database: SQLite in the project folder unless DATABASE_URL says otherwise. PostgreSQL
# connections persist (DJANGO_CONN_MAX_AGE) and are health-checked before each request
# uses them, so the app rides out a database restart without being restarted itself.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
CONN_MAX_AGE = int(env("DJANGO_CONN_MAX_AGE", "600"))
DATABASES = {
    "default": deployment.database(DATABASE_URL, conn_max_age=CONN_MAX_AGE),
    # Read replicas (comma-separated URLs): anonymous public page views read from them,
    # everything else (writes, the admin, logged-in users) uses default; core/routers.py.
    **deployment.replica_databases(env("DATABASE_REPLICA_URLS"), conn_max_age=CONN_MAX_AGE),
}
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["core.db.routers.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis when REDIS_URL or CACHE_URL names one.
CACHE_URL = env("CACHE_URL") or env("REDIS_URL")
if CACHE_URL and CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "rp"),
        }
    }
    # Sessions read from the shared cache and are written through to the database, so
    # a login on one app server is valid on every other, and survives a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "research-profiles",
            # Pages, and per content generation the rows of paper lists (a profile of 300
            # papers keeps 300): Django's default of 300 entries would evict them in turn.
            # The least recently used third goes when full; rows are a few KB each.
            "OPTIONS": {"MAX_ENTRIES": int(env("DJANGO_LOCMEM_CACHE_ENTRIES", "5000"))},
        }
    }
# The page cache's content generation must be shared by every app-server process: a
# shared cache (Redis) holds it; with a process-local cache it is kept in this file.
PAGE_CACHE_GENERATION_FILE = env("DJANGO_PAGE_CACHE_GENERATION_FILE") or (
    ""
    if CACHES["default"]["BACKEND"].endswith(("RedisCache", "DummyCache"))
    else str(BASE_DIR / ".page-cache-generation")
)
# Whole pages for anonymous visitors (core.http.page_cache); 0 turns it off. Off while
# debugging, so template edits show at once.
PAGE_CACHE_SECONDS = int(env("DJANGO_PAGE_CACHE_SECONDS", "0" if DEBUG else "300"))
# Not the API: its answers depend on the Authorization header and on content negotiation
# (JSON or the browsable HTML), and every request must reach the anonymous throttle.
PAGE_CACHE_SKIP = ("/api/",)
# What uncached pages share and is costly to work out (facet counts, paper rows, profile
# sections, people's and topics' figures), kept per content generation like cached pages
# (core.http.page_cache.cached_for_content and cached_each_for_content); 0: off.
DATA_CACHE_SECONDS = int(env("DJANGO_DATA_CACHE_SECONDS", "3600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login protection (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username
# from one client IP address, that combination is locked out for LOGIN_COOLOFF_MINUTES
# (0: until an admin unlocks it, under Axes > Access attempts, or with
# `manage.py axes_reset_username <name>` / `axes_reset`). A successful login clears the
# count. Behind a proxy, the client address is taken from X-Forwarded-For only when the
# request comes from one of DJANGO_TRUSTED_PROXIES (core.http.client_ip); the API's anonymous
# throttle counts by the same address.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = int(env("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(env("DJANGO_LOGIN_COOLOFF_MINUTES", "60"))
# None by default: a proxy is trusted only when named (addresses or networks, e.g.
# "127.0.0.1" for nginx on the same machine). Also what gunicorn trusts X-Forwarded-Proto
# from, unless GUNICORN_FORWARDED_ALLOW_IPS says otherwise (gunicorn.conf.py).
TRUSTED_PROXIES = deployment.trusted_proxies(env("DJANGO_TRUSTED_PROXIES"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES) if LOGIN_COOLOFF_MINUTES else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves them from STATIC_ROOT; with DJANGO_STATIC_URL naming a
# CDN (https://cdn.example.org/static/), pages link to the CDN and whitenoise is its origin.
STATIC_URL = deployment.static_url(env("DJANGO_STATIC_URL"))
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files: MEDIA_ROOT on this machine, or an S3-compatible bucket when
# DJANGO_MEDIA_STORAGE=s3 (django-storages, the optional `s3` extra).
_media_storage, _media_url = deployment.media_storage(
    env("DJANGO_MEDIA_STORAGE"),
    bucket=env("AWS_STORAGE_BUCKET_NAME", ""),
    endpoint_url=env("AWS_S3_ENDPOINT_URL", ""),
    region=env("AWS_S3_REGION_NAME", ""),
    custom_domain=env("AWS_S3_CUSTOM_DOMAIN", ""),
    location=env("AWS_LOCATION", ""),
)
MEDIA_URL = _media_url or "/media-files/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # Compressed, content-hashed files in production; plain storage while debugging
        # so a missing `collectstatic` never breaks `make run`.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security headers on every response (SecurityMiddleware, XFrameOptionsMiddleware and
# ContentSecurityPolicyMiddleware). The app runs behind a proxy that terminates TLS and
# sends X-Forwarded-Proto; gunicorn only trusts it from GUNICORN_FORWARDED_ALLOW_IPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)

# Content-Security-Policy (Django's built-in support). Scripts only from this origin or
# inline with the per-response nonce (`nonce="{{ csp_nonce }}"`); never 'unsafe-inline'
# for scripts. Inline styles stay allowed: the admin and a few templates use style
# attributes, which nonces cannot cover. JSON-LD blocks are data, not scripts, and need no
# nonce. A page that uses the nonce is never put in the page cache (core.http.page_cache), since
# the nonce must be new on every response. DJANGO_CSP_EXTRA_ORIGINS adds origins (a CDN or
# object storage for static and media files) to the script, style, image and font sources.
# The CDN of DJANGO_STATIC_URL and the media files' domain are added by themselves.
CSP_EXTRA_ORIGINS = list(
    dict.fromkeys(
        [*env_list("DJANGO_CSP_EXTRA_ORIGINS"), *deployment.origins(STATIC_URL, MEDIA_URL)]
    )
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE, *CSP_EXTRA_ORIGINS],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE, *CSP_EXTRA_ORIGINS],
    "img-src": [CSP.SELF, "data:", *CSP_EXTRA_ORIGINS],
    "font-src": [CSP.SELF, *CSP_EXTRA_ORIGINS],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ADMIN_URL = env("DJANGO_ADMIN_URL", "admin/")

# The REST API (/api/v1/). Anonymous clients are throttled to API_ANON_RATE
# ("<number>/<second|minute|hour|day>"; empty turns the throttle off). The counters live
# in the default cache, so several app servers need the shared Redis cache to share them.
API_ANON_RATE = env("API_ANON_RATE", "120/minute") or None
API_PAGE_SIZE = int(env("API_PAGE_SIZE", "20"))
API_MAX_PAGE_SIZE = int(env("API_MAX_PAGE_SIZE", "100"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous write is then answered 401 with `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.StaffModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.StrictFilterBackend",
        "core.api.filters.SearchFilter",
        "core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.views.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": (
        "People, organizations, publications, media items and outlets. Read-only and "
        "published objects only for anonymous clients; staff with model permissions write, "
        "authenticated by `Authorization: Token <key>` or by session with CSRF."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components: reads nest summaries, writes take slugs.
    "COMPONENT_SPLIT_REQUEST": True,
    # Documentation UI from the sidecar package's static files: works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "profiles.models.Organization.Kind",
        "ProfileLinkKindEnum": "profiles.models.ProfileLink.Kind",
        "PublicationKindEnum": "publications.models.Publication.Kind",
        "OutletKindEnum": "media_items.models.Outlet.Kind",
        "MediaItemKindEnum": "media_items.models.MediaItem.Kind",
        "AppearanceRoleEnum": "media_items.models.Appearance.Role",
    },
}

# The scholarly APIs that `import_papers` (publications.importing.fetch) and
# `refresh_citations` (publications.citation_refresh) ask. SEMANTIC_SCHOLAR_API_KEY is
# optional (a key gets a higher rate limit).
OPENALEX_API = env("OPENALEX_API", "https://api.openalex.org")
SEMANTIC_SCHOLAR_API = env("SEMANTIC_SCHOLAR_API", "https://api.semanticscholar.org/graph/v1")
SEMANTIC_SCHOLAR_API_KEY = env("SEMANTIC_SCHOLAR_API_KEY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

# Admin paper import page: the largest file (or pasted text) it accepts. Larger files:
# `manage.py import_papers`, which streams them.
IMPORT_MAX_UPLOAD_BYTES = int(env("IMPORT_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024)))
# ... and the most records it imports at once (each is parsed and merged while the request
# waits). More: `manage.py import_papers`, which has neither limit.
IMPORT_MAX_RECORDS = int(env("IMPORT_MAX_RECORDS", "2000"))
# The largest request body any URL accepts, uploads included (core.http.middleware: 413 above
# it, before anything reads the body). Keep it above IMPORT_MAX_UPLOAD_BYTES and the photo
# limit, so that those pages can say what their own limit is.
MAX_REQUEST_BODY_BYTES = int(env("MAX_REQUEST_BODY_BYTES", str(10 * 1024 * 1024)))
