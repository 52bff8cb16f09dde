import pytest
from django.core.cache import cache

from tests.api.conftest import client_for
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_anonymous_clients_are_throttled_with_retry_after(api_client, settings):
    settings.API_ANON_RATE = "3/minute"
    PublicationFactory()
    statuses = [api_client.get(f"{API}/publications/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get(f"{API}/publications/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_the_limit_is_per_address(api_client, settings):
    settings.API_ANON_RATE = "1/hour"
    assert api_client.get(f"{API}/outlets/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert api_client.get(f"{API}/outlets/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api_client.get(f"{API}/outlets/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_counter_resets_when_the_cache_does(api_client, settings):
    settings.API_ANON_RATE = "1/day"
    assert api_client.get(f"{API}/outlets/").status_code == 200
    assert api_client.get(f"{API}/outlets/").status_code == 429
    cache.clear()
    assert api_client.get(f"{API}/outlets/").status_code == 200


def test_authenticated_staff_are_not_throttled(editor, settings):
    settings.API_ANON_RATE = "1/minute"
    client = client_for(editor)
    assert [client.get(f"{API}/outlets/").status_code for _ in range(3)] == [200, 200, 200]


def test_an_empty_rate_turns_the_throttle_off(api_client, settings):
    settings.API_ANON_RATE = None
    assert {api_client.get(f"{API}/outlets/").status_code for _ in range(5)} == {200}


def test_the_default_rate_comes_from_the_environment(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("API_ANON_RATE", "7/hour")
    try:
        assert importlib.reload(config.settings).API_ANON_RATE == "7/hour"
        monkeypatch.setenv("API_ANON_RATE", "")
        assert importlib.reload(config.settings).API_ANON_RATE is None
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)


def test_the_page_cache_leaves_the_api_alone(api_client, settings):
    # A cached page would skip the throttle, the token check and content negotiation.
    settings.PAGE_CACHE_SECONDS = 300
    settings.API_ANON_RATE = "2/minute"
    html = api_client.get(f"{API}/outlets/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    response = api_client.get(f"{API}/outlets/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert "X-Page-Cache" not in response
    assert api_client.get(f"{API}/outlets/").status_code == 429
