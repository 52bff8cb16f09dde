"""The secret key: how strong it must be, where it comes from, and the refusal to serve
production without one from the environment.

Without DJANGO_SECRET_KEY a random key is generated once per checkout into
``.secret_key`` (git-ignored, mode 600): enough for development and for management
commands (makemigrations, check, import_papers). Serving without DEBUG (config/wsgi.py,
config/asgi.py) and ``check --deploy`` refuse it, because several app servers must share
one key. A key that is set but weak refuses to start anything without DEBUG.
"""

import os
import secrets

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
PLACEHOLDERS = ("django-insecure", "change", "replace", "your-secret", "example")


def weakness(key):
    """Why ``key`` is unfit for production, or "" when it is fine."""
    if not key:
        return "it is not set"
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {MIN_LENGTH}"
    if len(set(key)) < 5:
        return "it has fewer than 5 different characters"
    lowered = key.lower()
    for marker in PLACEHOLDERS:
        if marker in lowered:
            return f"it looks like a placeholder (contains {marker!r})"
    return ""


def unfit_message(reason):
    return (
        f"DJANGO_SECRET_KEY is unfit for production: {reason}. Set it to a random "
        f"string of at least {MIN_LENGTH} characters, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "(or set DJANGO_DEBUG=1 for local development)."
    )


def resolve(key, *, debug, key_file):
    """The key to use: ``key`` from the environment (refused when weak and not ``debug``),
    else the checkout's generated key file."""
    if key:
        reason = "" if debug else weakness(key)
        if reason:
            raise ImproperlyConfigured(unfit_message(reason))
        return key
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def serving_problem(settings):
    """The reason production may not serve with these settings, or ""."""
    if settings.DEBUG or settings.SECRET_KEY_FROM_ENVIRONMENT:
        return ""
    return unfit_message("it is not set")


def require_for_serving():
    """Called by the WSGI and ASGI entry points once settings are loaded."""
    from django.conf import settings

    problem = serving_problem(settings)
    if problem:
        raise ImproperlyConfigured(problem)
