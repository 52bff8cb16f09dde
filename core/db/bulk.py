"""Multi-row INSERTs straight through the database driver: for writes of thousands of
rows where ``bulk_create``'s per-value work is most of the time (an import and its
revisions). Generic: any model, any concrete fields; no app is named here."""

import time
from contextlib import contextmanager
from functools import partial

from django.db import connection


def insert_rows(model, fields, rows, *, prepared=False, returning=False, batch_size=500):
    """Multi-row INSERTs straight through the driver's cursor; with ``returning``, the
    new rows' ids in order.

    ``bulk_create`` spends most of a large write compiling SQL and adapting each value
    of each row; plain values (text, numbers, booleans, keys) need no such work, and
    dates and JSON are adapted here once per field type. ``prepared`` rows hold only
    plain values (str, int, bool, None).
    Each statement's text is built once per row count, with the driver's placeholder
    (see ``_driver_cursor``). The ids come from ``RETURNING``, in the order of the rows,
    as ``bulk_create`` takes them on SQLite and PostgreSQL.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    adapters = []  # (index, adapt) for the values that need adapting
    for index, model_field in enumerate(fields):
        internal = model_field.get_internal_type()
        if prepared or internal in PLAIN_TYPES:
            continue
        if internal == "DateField":
            adapters.append((index, ops.adapt_datefield_value))
        elif internal == "DateTimeField":
            adapters.append((index, _last_one_kept(ops.adapt_datetimefield_value)))
        elif internal == "JSONField":
            adapt = partial(ops.adapt_json_value, encoder=model_field.encoder)
            adapters.append((index, _empty_ones_kept(adapt)))
        else:
            adapters.append((index, partial(model_field.get_db_prep_save, connection=connection)))
    placeholder = "?" if connection.Database.paramstyle == "qmark" else "%s"
    row_sql = "(" + ", ".join([placeholder] * len(fields)) + ")"
    per_statement = max(1, min(batch_size, 30000 // len(fields)))
    returning_sql = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    statements: dict[int, str] = {}  # rows in the statement → its text
    chunk: list = []
    ids: list[int] = []
    with _driver_cursor() as execute:

        def flush():
            count = len(chunk) // len(fields)
            sql = statements.get(count)
            if sql is None:
                values = ", ".join([row_sql] * count)
                sql = statements[count] = (
                    f"INSERT INTO {table} ({columns}) VALUES {values}{returning_sql}"
                )
            cursor = execute(sql, chunk)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())

        count = 0
        for row in rows:
            if adapters:
                row = list(row)
                for index, adapt in adapters:
                    if row[index] is not None:
                        row[index] = adapt(row[index])
            chunk.extend(row)
            count += 1
            if count == per_statement:
                flush()
                chunk, count = [], 0
        if chunk:
            flush()
    return ids


@contextmanager
def _driver_cursor():
    """``execute(sql, params)`` on the database driver's own cursor (statements use its
    placeholder: "?" for SQLite, "%s" for psycopg), through the connection's execute
    wrappers, with Django's error classes and, when the connection logs queries (DEBUG,
    ``CaptureQueriesContext``), its log.

    Django's SQLite cursor turns every "%s" of a statement into "?" with a regular
    expression: for the 20,000 placeholders of each multi-row INSERT of a large import
    that took more time than the statements it converted took to insert their rows."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def run(sql, params, many, context):
        return cursor.execute(sql, params)

    def execute(sql, params):
        start = time.monotonic()
        runner = run
        for wrapper in reversed(connection.execute_wrappers):
            runner = partial(wrapper, runner)
        with connection.wrap_database_errors:
            runner(sql, params, False, {"connection": connection, "cursor": cursor})
        if connection.queries_logged:
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - start:.3f}"})
        return cursor

    try:
        yield execute
    finally:
        cursor.close()


def _last_one_kept(adapt):
    """``adapt``, reusing the last result for the same value (a batch's rows share one
    ``created_at``)."""
    last = [object(), None]

    def adapt_same(value):
        if value != last[0]:
            last[:] = value, adapt(value)
        return last[1]

    return adapt_same


def _empty_ones_kept(adapt):
    """``adapt`` for JSON, with ``[]`` and ``{}`` (most JSON values of a new paper)
    adapted once."""
    empty_list, empty_dict = adapt([]), adapt({})

    def adapt_json(value):
        if value == [] and type(value) is list:
            return empty_list
        if value == {} and type(value) is dict:
            return empty_dict
        return adapt(value)

    return adapt_json


PLAIN_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "URLField",
    "EmailField",
    "BooleanField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "ForeignKey",
}
