"""Database failures that are not the program's fault, said in one line a person can act
on: a read-only database, a full disk, a database that cannot be reached."""

from django.db import DatabaseError, InternalError, OperationalError

# What the database's state or surroundings cause (read-only, full, gone), as opposed to
# errors in the program (IntegrityError, ProgrammingError, DataError), which stay loud.
ENVIRONMENT_ERRORS = (OperationalError, InternalError)

# SQLite result codes (sqlite3 errors' ``sqlite_errorname``) and PostgreSQL SQLSTATEs
# (psycopg errors' ``sqlstate``; a class of two characters matches the whole class).
READ_ONLY = {"SQLITE_READONLY", "25006"}
FULL = {"SQLITE_FULL", "53100", "53000", "54000"}
UNREACHABLE = {"SQLITE_CANTOPEN", "SQLITE_IOERR", "08", "57P01", "57P02", "57P03"}


class DatabaseWriteError(Exception):
    """The database refused to store anything; the message says why in one line."""


def _code(error):
    cause = error.__cause__ or error
    return getattr(cause, "sqlite_errorname", None) or getattr(cause, "sqlstate", None) or ""


def _matches(code, codes):
    return code in codes or code[:2] in codes


def problem(error: DatabaseError) -> str:
    """What went wrong, e.g. "the database is read-only (attempt to write a readonly
    database)"."""
    detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
    code = _code(error)
    if _matches(code, READ_ONLY):
        reason = "the database is read-only"
    elif _matches(code, FULL):
        reason = "the database is full (no space left on its disk, or its size limit)"
    elif _matches(code, UNREACHABLE):
        reason = "the database cannot be reached"
    else:
        reason = "the database refused the write"
    return f"{reason} ({detail})"
