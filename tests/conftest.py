import pytest

from tests import factories


@pytest.fixture
def superuser(db):
    return factories.SuperuserFactory()


@pytest.fixture
def editor(db):
    return factories.EditorFactory()


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
