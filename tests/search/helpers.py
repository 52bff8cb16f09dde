"""What the search tests share."""

import pytest
from django.db import connection

from search.engine import KINDS, search_queryset

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="FTS5 indexes are SQLite's (the search migration)"
)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL-only"
)


def found_titles(q, kind="papers"):
    return [row.title for row in search_queryset(KINDS[kind].model.objects.published(), kind, q)]
