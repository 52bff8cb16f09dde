"""One client identity for every throttle and lockout (issue 13, findings 3 and 7).

The API's anonymous throttle and the login lockout both count by ``core.http.client_ip``:
``X-Forwarded-For`` names the client only when the request comes from a proxy named in
``TRUSTED_PROXIES``, and no proxy is trusted unless named (loopback included). The same
attack through a real gunicorn: ``test_live_server.py``.
"""

import importlib

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from config import deployment
from tests.factories import SuperuserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/outlets/"


@pytest.mark.parametrize(
    "peer",
    [
        "203.0.113.7",
        "127.0.0.1",  # loopback too, when no proxy is named
    ],
)
def test_forwarded_for_does_not_escape_the_anonymous_throttle(settings, peer):
    settings.API_ANON_RATE = "3/minute"
    client = APIClient()
    statuses = [
        client.get(API, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_a_named_proxy_each_client_has_its_own_count(settings):
    settings.API_ANON_RATE = "1/minute"
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    client = APIClient()

    def get(forwarded):
        return client.get(API, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert get("198.51.100.1") == 200
    assert get("198.51.100.2") == 200  # another visitor behind the same proxy
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    assert get("192.0.2.99, 198.51.100.1") == 429


def test_the_lockout_counts_by_the_same_address(client, settings):
    """Failed logins from loopback with a forwarded address are counted against
    loopback, as the throttle counts them, unless loopback is named as a proxy."""
    SuperuserFactory(username="ada")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "ada", "password": "nope"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_no_proxy_is_trusted_by_default(monkeypatch):
    import config.settings

    monkeypatch.delenv("DJANGO_TRUSTED_PROXIES", raising=False)
    try:
        assert importlib.reload(config.settings).TRUSTED_PROXIES == []
        monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
        assert importlib.reload(config.settings).TRUSTED_PROXIES == ["127.0.0.1", "10.0.0.0/8"]
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


def test_a_mistyped_proxy_stops_start_up_with_a_message():
    with pytest.raises(Exception, match="not an IP address or network"):
        deployment.trusted_proxies("127.0.0.1,localhost")
