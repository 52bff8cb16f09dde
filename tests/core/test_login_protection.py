"""Login protection: repeated failures for one username from one address lock that
combination out with a clear page; admins unlock; password validators are on; the admin
lives at a configurable URL."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import SuperuserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_user():
    return SuperuserFactory(username="ada", password=PASSWORD)


def login(client, username, password, ip="203.0.113.5"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def fail(client, times, username="ada", ip="203.0.113.5"):
    for _ in range(times):
        response = login(client, username, "wrong password", ip)
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()


def lock_out(client, username="ada", ip="203.0.113.5"):
    fail(client, settings.AXES_FAILURE_LIMIT - 1, username, ip)
    assert login(client, username, "wrong password", ip).status_code == 429


def test_lockout_after_the_configured_number_of_failures(client, admin_user):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == settings.LOGIN_FAILURE_LIMIT == 5
    fail(client, limit - 1)
    response = login(client, "ada", "wrong password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "Logging in as <strong>ada</strong> from your address is" in page
    assert f"locked after {limit} failed attempts" in page
    assert "You can try again in 1:00:00" in page
    # Now even the right password is refused from here.
    locked = login(client, "ada", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_limit_is_configurable(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    fail(client, 1)
    response = login(client, "ada", "wrong password")
    assert response.status_code == 429
    assert "locked after 2 failed attempts" in response.content.decode()


def test_lockout_is_per_username_and_address(client, admin_user):
    SuperuserFactory(username="grace", password=PASSWORD)
    lock_out(client)
    assert login(client, "ada", PASSWORD).status_code == 429
    # The same user from another address, and another user from the same address, still
    # log in.
    other_address = login(client, "ada", PASSWORD, ip="198.51.100.7")
    assert other_address.status_code == 302
    client.logout()
    other_user = login(client, "grace", PASSWORD)
    assert other_user.status_code == 302


def test_a_success_before_the_limit_clears_the_count(client, admin_user):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert login(client, "ada", PASSWORD).status_code == 302
    client.logout()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert login(client, "ada", PASSWORD).status_code == 302


def test_behind_the_proxy_the_forwarded_address_counts(client, admin_user, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # a proxy is trusted only when named
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "ada", "password": "nope"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    # Another visitor behind the same proxy is not locked out.
    response = client.post(
        reverse("admin:login"),
        {"username": "ada", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302


def test_a_direct_client_cannot_choose_its_address(client, admin_user):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "ada", "password": "nope"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",  # ignored: not from a trusted proxy
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert login(client, "ada", PASSWORD).status_code == 429


def test_an_admin_unlocks_in_the_admin(client, admin_user):
    lock_out(client)
    attempt = AccessAttempt.objects.get(username="ada")
    other = SuperuserFactory(username="root")
    client.force_login(other)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "203.0.113.5" in listing.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert login(client, "ada", PASSWORD).status_code == 302


def test_an_admin_unlocks_with_a_command(client, admin_user):
    lock_out(client)
    assert login(client, "ada", PASSWORD).status_code == 429
    out = StringIO()
    call_command("axes_reset_username", "ada", stdout=out)
    assert "1 attempts removed" in out.getvalue()
    assert login(client, "ada", PASSWORD).status_code == 302


def test_authenticate_outside_a_request_must_pass_one():
    """The test client's login() and code calling authenticate() give the request, so
    failures are counted; the backend refuses to run blind."""
    SuperuserFactory(username="ada", password=PASSWORD)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    assert authenticate(request, username="ada", password=PASSWORD).username == "ada"
    from django.test import Client

    assert Client().login(request=request, username="ada", password=PASSWORD)


def test_password_validators_are_on():
    user = SuperuserFactory.build(username="ada", email="ada@example.org")
    for weak, message in [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("48213957601234", "entirely numeric"),
        ("ada@example.org", "too similar"),
    ]:
        with pytest.raises(ValidationError, match=message):
            validate_password(weak, user)
    validate_password(PASSWORD, user)


def test_the_admin_url_is_configurable():
    code = (
        "from django.urls import reverse; print(reverse('admin:index')); "
        "print(reverse('admin:login'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_ADMIN_URL": "backstage-7f3a/",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/backstage-7f3a/", "/backstage-7f3a/login/"]
