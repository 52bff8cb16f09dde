"""gunicorn settings for production-like serving (`make serve`), overridable by env."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count(), 4)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down.
# (Each recycled worker starts with an empty local-memory page cache; Redis keeps it.)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The proxies whose X-Forwarded-Proto gunicorn believes: those the app trusts for the
# client address (DJANGO_TRUSTED_PROXIES), unless set apart. None by default.
forwarded_allow_ips = os.environ.get(
    "GUNICORN_FORWARDED_ALLOW_IPS", os.environ.get("DJANGO_TRUSTED_PROXIES", "")
)
# gunicorn's largest request line (its default, 4,094 bytes, would answer a long address
# with a bare 400): the app's own limit (core.http.limits.MAX_URL_BYTES, 8,000) answers first,
# with its 414 page and the security headers.
limit_request_line = 8190
