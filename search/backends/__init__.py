"""One module per database: ``postgres`` (full text on stored, GIN-indexed documents),
``sqlite`` (FTS5) and ``fallback`` (containment, where SQLite lacks FTS5).

Each backend's matcher, built for one kind and one query, answers the same questions:
``matched()`` (a ``Q`` of every match), ``tiers()`` (the conditions whose newest rows are
the candidates), ``rank(within=None)`` (an expression, higher is better) and optionally
``newest(queryset, condition)``."""

from django.db import connections

from . import fallback, postgres, sqlite


def matcher(queryset, kind, query):
    """The matcher for the database ``queryset`` reads."""
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return postgres.Postgres(kind, query)
    if connection.vendor == "sqlite" and sqlite.fts5_ready(connection):
        return sqlite.SQLite(kind, query)
    return fallback.Fallback(kind, query)
