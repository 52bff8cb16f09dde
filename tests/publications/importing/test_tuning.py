"""tuning.fast_import: fewer collections and a roomy SQLite page cache, restored after."""

import gc

import pytest
from django.db import connection

from publications.importing.tuning import (
    GC_THRESHOLD,
    IMPORT_CACHE_KIB,
    fast_import,
    fewer_collections,
)


def cache_size():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_fast_import_tunes_and_restores():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    before = cache_size() if connection.vendor == "sqlite" else None
    with fast_import():
        assert gc.get_threshold()[0] >= GC_THRESHOLD
        if connection.vendor == "sqlite":
            assert cache_size() == IMPORT_CACHE_KIB
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == frozen
    if connection.vendor == "sqlite":
        assert cache_size() == before


def test_fewer_collections_restores_after_an_error():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)
