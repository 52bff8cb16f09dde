import zlib

import factory.random
import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no throttle counters left by earlier tests
    (an API test hitting the anonymous rate because a faster suite fitted more requests
    into the minute), and no pages or data kept from content a rollback has removed."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _deterministic_factories(request):
    """Seed Faker and factory_boy from the test's id: the same test builds the same data
    on every run and in every xdist worker, so a text search cannot pass or fail by chance
    on words Faker happened to write."""
    factory.random.reseed_random(zlib.crc32(request.node.nodeid.encode()))


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
