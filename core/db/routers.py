"""Read replicas: writes and most reads go to ``default``; reads made while serving an
anonymous visitor's GET or HEAD outside the admin go to a replica.

Installed only when ``DATABASE_REPLICA_URLS`` names replicas (``DATABASE_ROUTERS`` in
config/settings.py). ``core.http.middleware.ReplicaReadsMiddleware`` marks the requests whose
reads may go to a replica; everything else (the admin, logged-in users, form posts, the
API's writes, management commands, any read inside a transaction) reads from
``default``, so an editor always sees what was just saved, whatever the replicas' lag.
"""

import contextlib
import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction

_replica_reads = ContextVar("replica_reads", default=False)


@contextlib.contextmanager
def replica_reads():
    """Within this block, reads outside a transaction may go to a replica."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = getattr(settings, "DATABASE_REPLICAS", [])
        if (
            not replicas
            or not _replica_reads.get()
            or transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: an object read from a replica may be linked to
        # one read from default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas get their schema from the primary's replication, never from migrate.
        return db == DEFAULT_DB_ALIAS
