"""bench/scaleout.py as CI runs it: two gunicorn instances on one PostgreSQL database and
one Redis. An edit on A must show on B's cached page (the bench itself, recorded in
bench/RESULTS.md, also holds it to 1 s; here only that it shows, since a busy CI machine
is no place for a timing assertion), the admin session works on both, and A killed under
load leaves B answering everything. The PostgreSQL restart is not run here: it would cut
every other client of the server."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def beside_the_test_database(suffix):
    """A PostgreSQL URL naming a scratch database beside the suite's own."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path=parts.path.rstrip("/") + suffix).geturl()


def redis_url():
    return os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/7")


def reachable(url):
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
        client.close()
        return True
    except Exception:
        return False


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs with the PostgreSQL pass of the suite (DATABASE_URL=postgres://…)",
)
def test_two_instances_share_cache_sessions_and_survive_one_being_killed(tmp_path):
    if not reachable(redis_url()):
        pytest.skip(f"no Redis at {redis_url()}")
    # A scratch database beside the suite's: <test database>_scaleout, dropped at the end.
    pg_url = beside_the_test_database("_scaleout")
    result = subprocess.run(
        [
            sys.executable,
            "bench/scaleout.py",
            "--pg-url",
            pg_url,
            "--redis-url",
            redis_url(),
            "--seconds",
            "4",
            "--edit-deadline",
            "20",
            "--json",
            str(tmp_path / "scaleout.json"),  # not bench/results/, which holds recorded runs
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == 3, result.stdout
    assert all("| PASS " in row for row in rows), result.stdout
    assert "B: " in result.stdout and ", 0 errors" in result.stdout
