from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_creates_an_admin_once_and_prints_its_password_once():
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    password = out.getvalue().split("password '")[1].split("'")[0]
    # Login protection (django-axes) tracks failures per request, so it needs one.
    login = RequestFactory().post("/admin/login/")
    assert authenticate(login, username="admin", password=password).is_superuser
    again = StringIO()
    call_command("ensure_local_admin", stdout=again)
    assert "no account created" in again.getvalue()
    assert password not in again.getvalue()
    assert get_user_model().objects.count() == 1
