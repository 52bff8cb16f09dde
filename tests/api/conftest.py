import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user):
    """An API client authenticated as ``user`` by token (None: anonymous)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def editor_api(editor):
    return client_for(editor)


@pytest.fixture
def superuser_api(superuser):
    return client_for(superuser)


@pytest.fixture
def staff_without_permissions(db):
    return factories.StaffFactory()
