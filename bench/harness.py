"""What the benchmark scripts share: a scratch database, the production settings,
gunicorn on 127.0.0.1, wrk, and tidy-up of everything they start.

Nothing here touches the project's own database: every run gets a fresh SQLite file
in a temporary directory, or a PostgreSQL database (``perfbench`` by default) that is
dropped and created again at the start and dropped at the end.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():
    PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/perfbench")


def _stop_on_sigterm(signum, frame):
    # `timeout`, `kill` or a closed terminal: unwind, so every `finally` stops what it
    # started (gunicorn, scratch databases).
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _stop_on_sigterm)
signal.signal(signal.SIGHUP, _stop_on_sigterm)


def production_env(database_url, **extra):
    """The environment of a production deployment on 127.0.0.1 (no TLS in front)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "API_"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def _pg_admin(url, sql):
    import psycopg

    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def scratch_database(vendor, *, pg_url=None):
    """Yield the DATABASE_URL of an empty, migrated scratch database; remove it after.

    ``pg_url`` names the PostgreSQL database (default BENCH_PG_URL)."""
    tmp = Path(tempfile.mkdtemp(prefix="perfbench-"))
    if vendor == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
    elif vendor == "postgres":
        url = pg_url or PG_URL
        name = url.rsplit("/", 1)[1]
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(url, f'CREATE DATABASE "{name}"')
    else:
        raise ValueError(vendor)
    try:
        manage(url, "migrate", "--noinput", "-v0")
        yield url
    finally:
        if vendor == "postgres":
            _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def manage(database_url, *args, **env):
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=production_env(database_url, **env),
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def generate(database_url, *, people, publications, media, seed=1):
    """Run ``generate_bench_data`` and return its wall time in seconds."""
    return manage(
        database_url,
        "generate_bench_data",
        f"--people={people}",
        f"--publications={publications}",
        f"--media={media}",
        f"--seed={seed}",
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn (gunicorn.conf.py, 2 sync workers) on 127.0.0.1, stopped on exit. ``env``
    adds to, or overrides, the environment below."""

    def __init__(self, database_url, static_root, *, workers=2, port=None, **env):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        defaults = {
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": workers,
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "DJANGO_STATIC_ROOT": static_root,
            "API_ANON_RATE": "",  # the anonymous API throttle would cap the load run
            # No recycling mid-run: a recycled worker starts with an empty local-memory
            # page cache, which would turn "cached" runs into partly uncached ones.
            "GUNICORN_MAX_REQUESTS": 0,
        }
        self.env = production_env(database_url, **{**defaults, **env})
        self.process = None

    def __enter__(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("gunicorn exited:\n" + self.log.read().decode()[-3000:])
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=5).read()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def worker_pids(self):
        """The gunicorn workers' process ids (the master's children)."""
        return children(self.process.pid)

    def get(self, path, headers=None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()


def children(pid):
    try:
        return sorted(
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        )
    except OSError:
        return []


def rss_kib(pid):
    """Resident memory of a process in KiB (VmRSS), or 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def collectstatic(database_url, static_root):
    manage(database_url, "collectstatic", "--noinput", "-v0", DJANGO_STATIC_ROOT=static_root)


@contextlib.contextmanager
def redis_prefix(url, label="bench"):
    """A key prefix of this run's own; its keys are deleted at the end."""
    import redis

    prefix = f"{label}-{secrets.token_hex(4)}"
    client = redis.Redis.from_url(url)
    client.ping()
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


WRK = shutil.which("wrk")


def wrk(url, *, seconds=5, connections=4, threads=2):
    """Requests per second that wrk measured, after checking every answer was a 2xx.

    A page so slow that no request completes in ``seconds`` is run again for four times
    as long; if still none completes, 0.0 is returned (and reported as such)."""
    rps = _wrk(url, seconds=seconds, connections=connections, threads=threads)
    if not rps:
        print(f"  (no answer within {seconds} s from {url}; retrying for {4 * seconds} s)")
        rps = _wrk(url, seconds=4 * seconds, connections=connections, threads=threads)
    return rps


def _wrk(url, *, seconds, connections, threads):
    out = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 90,
    ).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"non-2xx answers from {url}:\n{out}")
    if "Socket errors" in out and re.search(r"timeout [1-9]", out):
        print(f"  (wrk timeouts on {url})", file=sys.stderr)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps


def median(values):
    return statistics.median(values)


def machine():
    """One line about the machine and its load, for the results."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu}), load average {load} at start"


def table(headers, rows):
    widths = [
        max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
        for i, h in enumerate(headers)
    ]
    line = "| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join([line, rule, *body])
