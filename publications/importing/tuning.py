"""How an import runs fast, apart from what it does: ``fast_import()`` around the run.

- The cyclic garbage collector runs less often, and not over the objects that were
  there before (``gc.freeze``): an import allocates millions of short-lived objects
  that reference counting frees, and the collector's passes over them cost a tenth of
  a large import.
- On SQLite, a 64 MB page cache (the default is 2 MB): a large import writes about
  100 MB in one transaction, and with a small cache SQLite writes index pages out and
  back several times before the commit.

Both are restored afterwards.
"""

import gc
from contextlib import contextmanager

from django.db import connection

IMPORT_CACHE_KIB = -65536  # SQLite's PRAGMA cache_size: negative = KiB, so 64 MB
GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation


@contextmanager
def fast_import():
    with fewer_collections(), roomy_page_cache():
        yield


@contextmanager
def fewer_collections():
    """Collect less often, and freeze the objects already there, unless something else
    froze objects already."""
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()
        gc.set_threshold(*thresholds)


@contextmanager
def roomy_page_cache():
    """On SQLite, ``PRAGMA cache_size`` of ``IMPORT_CACHE_KIB`` for the run."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(size)}")
