"""``manage.py import_papers`` under faults, run as a real process against a real database
file or server: killed mid-import (SIGKILL), a read-only database, a full one.

Each leaves every paper, author, organization, person and revision exactly as it was.
The run's own ``ImportRun`` row is written before the import's transaction begins, so
the attempt stays on record: a killed run stays "running" (it never finished), a
refused one is marked failed when the database still takes that one write.

On SQLite each test works on a copy of a migrated database file holding the demo
content. On PostgreSQL (when the suite runs on it) the tests work on the test database
itself, with committed data (transactional tests). A full PostgreSQL disk cannot be made
here (it would need a tablespace on a small filesystem), so that test has the server
raise the very error a full disk raises (SQLSTATE 53100, ``disk_full``) from a trigger.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from bench.gen_bibtex import generate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
ENTRIES = 5000  # a few seconds of importing: time to catch it inside its transaction

SNAPSHOT = """
import hashlib, json
import django
django.setup()
from django.apps import apps
from django.core import serializers
from publications.models import ImportRun

state = {}
for model in apps.get_models():
    label = model._meta.label_lower
    if model._meta.proxy or not model._meta.managed or label in (
        "publications.importrun", "sessions.session"
    ):
        continue
    rows = list(model._default_manager.order_by("pk"))
    data = serializers.serialize("json", rows).encode()
    state[label] = [len(rows), hashlib.sha256(data).hexdigest()]
runs = [[run.status, run.created, run.updated] for run in ImportRun.objects.order_by("pk")]
print(json.dumps({"tables": state, "runs": runs}))
"""


def process_env(database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_URL", "CACHE_URL", "PG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.publications.importing.fault_settings",
        DJANGO_DEBUG="0",
        DATABASE_URL=database_url,
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_PAGE_CACHE_GENERATION_FILE=os.devnull,
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def run(env, *args):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def snapshot(env):
    result = run(env, "-c", SNAPSHOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_refused_cleanly(result, reason):
    """Exit code 3, one line on stderr saying why, no traceback."""
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"CommandError: import failed: {reason}"), lines[0]


@pytest.fixture(scope="session")
def big_bibtex(tmp_path_factory):
    path = tmp_path_factory.mktemp("faults") / f"papers-{ENTRIES}.bib"
    path.write_text(generate(ENTRIES, seed=7), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory):
    """A migrated SQLite file with the demo content, made once; tests copy it."""
    path = tmp_path_factory.mktemp("faults") / "template.db"
    env = process_env(f"sqlite:///{path}")
    for args in (("migrate", "-v0"), ("load_demo",)):
        result = run(env, "manage.py", *args)
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def sqlite_site(demo_sqlite, tmp_path):
    path = tmp_path / "site.db"
    shutil.copyfile(demo_sqlite, path)
    return path


# -- SQLite ---------------------------------------------------------------------------------


def sqlite_writer_is_mid_transaction(path):
    """True while another connection holds the write lock and has spilled over a
    megabyte of uncommitted pages into the WAL: the import is inside its transaction and
    writing (the ImportRun row it committed first is a few kilobytes)."""
    wal = Path(f"{path}-wal")
    if not wal.exists() or wal.stat().st_size < 1_000_000:
        return False
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # database is locked: the writer is in its transaction
        return True
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def kill_when(process, condition, *, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the import ended before it could be killed:\n{out}\n{err}")
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.01)
    process.kill()
    process.wait()
    pytest.fail("the import never got inside its transaction")


def test_sqlite_import_killed_mid_transaction_leaves_the_data_as_it_was(sqlite_site, big_bibtex):
    env = process_env(f"sqlite:///{sqlite_site}")
    before = snapshot(env)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_papers", str(big_bibtex)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    kill_when(process, lambda: sqlite_writer_is_mid_transaction(sqlite_site))

    after = snapshot(env)
    assert after["tables"] == before["tables"]
    assert after["runs"] == [*before["runs"], ["running", 0, 0]]  # it never finished
    # The database is sound and takes the same import afterwards.
    again = run(env, "manage.py", "import_papers", str(big_bibtex), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["created"] > ENTRIES * 0.9


def test_sqlite_read_only_database_is_refused_in_one_line(sqlite_site, big_bibtex):
    env = process_env(f"sqlite:///{sqlite_site}")
    before = snapshot(env)
    result = run(
        {**env, "FAULT_SQLITE_PRAGMAS": "PRAGMA query_only=ON;"},
        "manage.py",
        "import_papers",
        str(big_bibtex),
    )
    assert_refused_cleanly(result, "the database is read-only")
    assert "nothing was written" in result.stderr
    assert snapshot(env) == before  # not even the run record


def test_sqlite_full_database_is_refused_in_one_line(sqlite_site, big_bibtex):
    env = process_env(f"sqlite:///{sqlite_site}")
    before = snapshot(env)
    with sqlite3.connect(sqlite_site) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    # Room for the run record, not for thousands of papers: SQLite's own SQLITE_FULL.
    result = run(
        {**env, "FAULT_SQLITE_PRAGMAS": f"PRAGMA max_page_count={pages + 8};"},
        "manage.py",
        "import_papers",
        str(big_bibtex),
    )
    assert_refused_cleanly(result, "the database is full")
    assert "no paper was written" in result.stderr
    after = snapshot(env)
    assert after["tables"] == before["tables"]
    assert after["runs"] == [*before["runs"], ["failed", 0, 0]]


# -- PostgreSQL -----------------------------------------------------------------------------

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the suite runs on SQLite (DATABASE_URL is not PostgreSQL)",
)


@pytest.fixture
def postgres_site(transactional_db):
    """The test database with the demo content committed, and its URL for a process."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    params = connection.get_connection_params()
    url = (
        f"postgres://{params.get('user', '')}:{params.get('password', '') or ''}"
        f"@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{params['dbname']}"
    )
    return url, params["dbname"]


def admin_sql(sql):
    """Run SQL on its own connection, outside the test's connection and its settings."""
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        password=params.get("password"),
        dbname=params["dbname"],
        autocommit=True,
    ) as conn:
        conn.execute("SET default_transaction_read_only = off")
        rows = conn.execute(sql)
        return rows.fetchall() if rows.description else None


@on_postgres
def test_postgres_import_killed_mid_transaction_leaves_the_data_as_it_was(
    postgres_site, big_bibtex
):
    url, _ = postgres_site
    app_name = f"import-fault-{os.getpid()}"
    env = process_env(url, PGAPPNAME=app_name)
    before = snapshot(env)

    def writing_papers():
        # The import's backend holds a write lock on the papers table: it is inside its
        # transaction and has inserted papers (locks are released at commit).
        return bool(
            admin_sql(
                "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                f"WHERE a.application_name = '{app_name}' AND l.mode = 'RowExclusiveLock' "
                "AND l.relation = 'publications_publication'::regclass"
            )
        )

    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_papers", str(big_bibtex)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    kill_when(process, writing_papers)

    after = snapshot(env)
    assert after["tables"] == before["tables"]
    assert after["runs"] == [*before["runs"], ["running", 0, 0]]


@on_postgres
def test_postgres_read_only_database_is_refused_in_one_line(postgres_site, big_bibtex):
    url, name = postgres_site
    env = process_env(url)
    before = snapshot(env)
    admin_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        result = run(
            env,
            "manage.py",
            "import_papers",
            str(big_bibtex),
        )
    finally:
        admin_sql(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    assert_refused_cleanly(result, "the database is read-only")
    assert snapshot(env) == before


@on_postgres
def test_postgres_full_disk_is_refused_in_one_line(postgres_site, big_bibtex):
    url, _ = postgres_site
    env = process_env(url)
    before = snapshot(env)
    admin_sql(
        "CREATE FUNCTION scaleout_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' "
        "USING ERRCODE = 'disk_full'; END $$"
    )
    admin_sql(
        "CREATE TRIGGER scaleout_disk_full BEFORE INSERT ON publications_authorship "
        "FOR EACH ROW EXECUTE FUNCTION scaleout_disk_full()"
    )
    try:
        result = run(env, "manage.py", "import_papers", str(big_bibtex))
    finally:
        admin_sql("DROP TRIGGER scaleout_disk_full ON publications_authorship")
        admin_sql("DROP FUNCTION scaleout_disk_full()")
    assert_refused_cleanly(result, "the database is full")
    assert "No space left on device" in result.stderr
    after = snapshot(env)
    assert after["tables"] == before["tables"]
    assert after["runs"] == [*before["runs"], ["failed", 0, 0]]


def test_a_snapshot_sees_a_changed_row(sqlite_site):
    """The before/after comparison above can fail: one changed title changes it."""
    env = process_env(f"sqlite:///{sqlite_site}")
    before = snapshot(env)
    with sqlite3.connect(sqlite_site) as db:
        db.execute("UPDATE publications_publication SET title = title || '!' WHERE id = 1")
    assert snapshot(env)["tables"] != before["tables"]
