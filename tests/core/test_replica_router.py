"""Read replicas (core/routers.py, core.http.middleware.ReplicaReadsMiddleware): anonymous
page views read from a replica; writes, the admin, logged-in users and transactions use
default."""

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.http.middleware import ReplicaReadsMiddleware
from publications.models import Publication

ROOT = Path(__file__).resolve().parents[2]
ROUTED = override_settings(
    DATABASE_REPLICAS=["replica_1"], DATABASE_ROUTERS=["core.db.routers.PrimaryReplicaRouter"]
)


def read_alias_while_serving(request):
    """The alias a read of a paper would use while the middleware serves ``request``."""
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Publication)
        seen["write"] = router.db_for_write(Publication)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen


@ROUTED
def test_an_anonymous_page_view_reads_from_the_replica_and_writes_to_default():
    seen = read_alias_while_serving(RequestFactory().get("/publications/"))
    assert seen == {"read": "replica_1", "write": "default"}


@ROUTED
@pytest.mark.parametrize(
    "request_for",
    [
        lambda factory: factory.post("/publications/"),
        lambda factory: factory.get("/admin/publications/publication/"),
        lambda factory: factory.get("/publications/", HTTP_COOKIE="sessionid=abc"),
        lambda factory: factory.get("/api/v1/publications/", HTTP_AUTHORIZATION="Token abc"),
    ],
    ids=["form post", "admin", "logged-in visitor", "API token"],
)
def test_writes_the_admin_and_logged_in_users_read_from_default(request_for):
    assert read_alias_while_serving(request_for(RequestFactory()))["read"] == "default"


@ROUTED
def test_after_the_request_and_outside_any_request_reads_go_to_default():
    read_alias_while_serving(RequestFactory().get("/"))
    assert router.db_for_read(Publication) == "default"  # e.g. a management command


@ROUTED
@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_default():
    seen = {}

    def view(request):
        with transaction.atomic():
            seen["read"] = router.db_for_read(Publication)
        return HttpResponse()

    # (pytest-django's own test transaction is the outer atomic block here)
    ReplicaReadsMiddleware(view)(RequestFactory().get("/"))
    assert seen["read"] == "default"


def test_without_replicas_everything_reads_from_default():
    assert read_alias_while_serving(RequestFactory().get("/"))["read"] == "default"


# -- end to end: two SQLite files, the second standing in for a lagging replica ---------

CLIENT_SCRIPT = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client

anonymous = Client()
print("anonymous:", "Replica Name" in anonymous.get("/people/evan-hubinger/").text)
boss = get_user_model().objects.get(username="boss")
staff = Client()
staff.force_login(boss)
print("staff:", "Replica Name" in staff.get("/people/evan-hubinger/").text)
changed = staff.post(
    f"/admin/auth/user/{boss.pk}/password/",
    {"password1": "a-new-long-Passw0rd!", "password2": "a-new-long-Passw0rd!"},
)
print("admin post:", changed.status_code)
"""


def test_anonymous_pages_come_from_the_replica_and_admin_writes_go_to_the_primary(tmp_path):
    """A replica copy whose person has another name: anonymous visitors see the
    replica's name, staff see the primary's, and an admin write lands in the primary."""
    primary, replica = tmp_path / "primary.db", tmp_path / "replica.db"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_URL", "CACHE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        # Debug only so pages render without `collectstatic`; routing does not depend on it.
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_PAGE_CACHE_SECONDS="0",
        DJANGO_PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"),
        DATABASE_URL=f"sqlite:///{primary}",
    )

    def run(*args, **extra):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("manage.py", "migrate", "-v0")
    run("manage.py", "load_demo")
    run(
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_superuser('boss', 'b@example.org', 'pw-long-enough')",
    )
    shutil.copyfile(primary, replica)
    with sqlite3.connect(replica) as db:
        db.execute("UPDATE profiles_person SET name = 'Replica Name' WHERE slug = 'evan-hubinger'")
    with sqlite3.connect(primary) as db:
        old_hash = db.execute("SELECT password FROM auth_user WHERE username = 'boss'").fetchone()

    out = run("-c", CLIENT_SCRIPT, DATABASE_REPLICA_URLS=f"sqlite:///{replica}")

    assert "anonymous: True" in out
    assert "staff: False" in out
    assert "admin post: 302" in out
    with sqlite3.connect(primary) as db:
        assert (
            db.execute("SELECT password FROM auth_user WHERE username = 'boss'").fetchone()
            != old_hash
        )
    with sqlite3.connect(replica) as db:
        assert (
            db.execute("SELECT password FROM auth_user WHERE username = 'boss'").fetchone()
            == old_hash
        )
