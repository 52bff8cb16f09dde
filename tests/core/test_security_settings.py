"""Production settings: `check --deploy` is clean, weak secrets refuse to start, and every
response carries the security headers, with a Content-Security-Policy that allows inline
scripts only by nonce."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PersonFactory, PublicationFactory

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    """Run manage.py in a fresh interpreter with only the given Django environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )


def production_env(**overrides):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40)[:50],
        "DJANGO_ALLOWED_HOSTS": "example.org",
        **overrides,
    }


def test_production_settings_pass_the_deploy_check_with_zero_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_the_ssl_redirect_switch_is_the_only_warning_it_costs():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production_env(DJANGO_SECURE_SSL_REDIRECT="0"),
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT off: said, not hidden


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x" * 10, "fewer than 50"),
        ("ab" * 40, "fewer than 5 different characters"),
        ("django-insecure-" + "k2j3h4g5f6d7s8a9" * 3, "placeholder"),
        ("please-change-me-" + "q1w2e3r4t5y6u7i8" * 3, "placeholder"),
    ],
)
def test_production_refuses_to_start_with_a_weak_secret(key, reason):
    env = production_env(DJANGO_SECRET_KEY=key)
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is unfit for production" in result.stderr
    assert reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # says how to make a good one


@pytest.mark.parametrize("key", [None, ""])
def test_production_refuses_to_serve_without_a_secret_from_the_environment(key):
    env = production_env()
    if key is None:
        del env["DJANGO_SECRET_KEY"]
    else:
        env["DJANGO_SECRET_KEY"] = key
    # Management commands run on the checkout's key file (e.g. CI's makemigrations check)...
    assert manage("makemigrations", "--check", "--dry-run", **env).returncode == 0
    # ...but `check --deploy` fails and the WSGI and ASGI entry points refuse to serve.
    deploy = manage("check", "--deploy", **env)
    assert deploy.returncode != 0
    assert "DJANGO_SECRET_KEY is unfit for production: it is not set" in deploy.stderr
    for entry in ("config.wsgi", "config.asgi"):
        base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        served = subprocess.run(
            [sys.executable, "-c", f"import {entry}"],
            cwd=ROOT,
            env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert served.returncode != 0, entry
        assert "ImproperlyConfigured: DJANGO_SECRET_KEY is unfit for production" in served.stderr
        assert "it is not set" in served.stderr


def test_debug_without_a_secret_uses_the_development_key_file():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(len(settings.SECRET_KEY))",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 50
    key_file = ROOT / ".secret_key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o077) == 0


# -- headers on every kind of response ---------------------------------------------------


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = dict(
        [*part.split(" ", 1), ""][:2] for part in response["Content-Security-Policy"].split("; ")
    )
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    script_src = csp["script-src"].split()
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    return csp


@pytest.mark.django_db
def test_headers_on_a_public_page(client):
    paper = PublicationFactory(is_published=True)
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_headers_on_a_page_served_from_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    person = PersonFactory(is_published=True)
    client.get(person.get_absolute_url())
    cached = client.get(person.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    assert_security_headers(cached)


@pytest.mark.django_db
def test_headers_on_the_admin_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_headers_on_an_api_response(client):
    response = client.get("/api/v1/publications/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert_security_headers(response)


@pytest.mark.django_db
def test_headers_on_a_404(client):
    response = client.get("/publications/no-such-paper/")
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.django_db
def test_hsts_and_secure_cookies_in_production(client):
    # The test settings are production ones with the HTTPS redirect off.
    assert not settings.DEBUG
    response = client.get(reverse("admin:login"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] is True
    assert settings.SESSION_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY


# -- inline scripts carry the nonce ----------------------------------------------------------


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline = []  # (attrs, has_body) of <script> without src
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attrs = dict(attrs)
            self._open = attrs if "src" not in attrs else None

    def handle_data(self, data):
        if self._open is not None and data.strip():
            self.inline.append(self._open)
            self._open = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def executable_inline_scripts(html):
    parser = Scripts()
    parser.feed(html)
    return [
        attrs
        for attrs in parser.inline
        if attrs.get("type", "text/javascript") in ("text/javascript", "module", "")
    ]


def header_nonce(response):
    found = re.search(r"script-src [^;]*'nonce-([^']+)'", response["Content-Security-Policy"])
    return found.group(1) if found else None


@pytest.mark.django_db
def test_the_api_docs_inline_script_carries_the_responses_nonce(client):
    first = client.get("/api/docs/")
    second = client.get("/api/docs/")
    assert first.status_code == 200
    scripts = executable_inline_scripts(first.content.decode())
    assert scripts, "the Swagger UI set-up script is inline"
    nonce = header_nonce(first)
    assert nonce and all(attrs.get("nonce") == nonce for attrs in scripts)
    assert header_nonce(second) != nonce  # new on every response


@pytest.mark.django_db
def test_no_page_has_an_inline_script_without_the_nonce(staff_client):
    paper = PublicationFactory(is_published=True)
    person = PersonFactory(is_published=True)
    urls = [
        "/",
        paper.get_absolute_url(),
        person.get_absolute_url(),
        reverse("publications:list"),
        reverse("site:search") + "?q=sleeper",
        "/no-such-page/",
        reverse("admin:index"),
        reverse("admin:publications_publication_changelist"),
        reverse("admin:publications_publication_change", args=[paper.pk]),
        reverse("admin:publications_publication_add"),
        "/api/v1/",
        "/api/docs/",
    ]
    for url in urls:
        response = staff_client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 404), url
        nonce = header_nonce(response)
        for attrs in executable_inline_scripts(response.content.decode()):
            assert nonce and attrs.get("nonce") == nonce, (url, attrs)


@pytest.mark.django_db
def test_a_page_that_used_its_nonce_is_not_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_SKIP = ()  # let /api/docs/ through to the page cache
    first = client.get("/api/docs/")
    second = client.get("/api/docs/")
    assert "X-Page-Cache" not in second
    assert header_nonce(first) != header_nonce(second)
    assert f'nonce="{header_nonce(second)}"' in second.content.decode()


def test_favicon_ico_sends_browsers_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert client.get(response["Location"]).status_code == 200
