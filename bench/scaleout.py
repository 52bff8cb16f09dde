"""Two gunicorn instances on one machine sharing one PostgreSQL database and one Redis:
an edit saved on one shows on the other's cached pages, an admin session works on both,
one instance killed under load leaves the other serving, and (``--with-pg-restart``) a
PostgreSQL restart under load is ridden out without restarting the app.

    .venv/bin/python bench/scaleout.py
    .venv/bin/python bench/scaleout.py --with-pg-restart      # restarts the PostgreSQL server
    .venv/bin/python bench/scaleout.py --ports 8101,8102 --seconds 10

What it does, and undoes:

1. a scratch PostgreSQL database (SCALEOUT_PG_URL, default
   ``postgres://postgres@127.0.0.1:5432/scaleout_bench``, dropped and re-created),
   migrated, with the demo content and a superuser with a random password;
2. ``collectstatic`` into a temporary folder;
3. gunicorn A and B (gunicorn.conf.py, 2 sync workers each) on two loopback ports with
   production settings (DJANGO_DEBUG=0, one shared strong DJANGO_SECRET_KEY,
   DJANGO_SECURE_SSL_REDIRECT=0), both on that database and on Redis (SCALEOUT_REDIS_URL,
   default ``redis://127.0.0.1:6379/5``) under a key prefix of their own: the page cache,
   its content generation and the sessions (``cached_db``) are shared;
4. the checks, each printed as PASS or FAIL in a table at the end;
5. stops both instances, deletes its Redis keys (that prefix only) and drops the database,
   whatever happens. The exit code is 1 when a check failed.

The load during the last two checks comes from Python threads (two per instance), each
sending GET requests over a keep-alive connection in turn over cached pages and API lists
(the API is never page-cached, so it reaches the database); each answer or error is
recorded with its time.

``--with-pg-restart`` runs ``pg_ctlcluster --skip-systemctl-redirect <version> main
restart``: every other client of that PostgreSQL server loses its connections too, so it
is off by default. Some requests fail while the server is down; the check passes when
every request sent after it accepts connections again succeeds, with the same gunicorn
workers (no restart of the app).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    PYTHON,
    ROOT,
    Server,
    collectstatic,
    machine,
    manage,
    production_env,
    redis_prefix,
    scratch_database,
    table,
)

PG_URL = os.environ.get("SCALEOUT_PG_URL", "postgres://postgres@127.0.0.1:5432/scaleout_bench")
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/5")
ADMIN = "scaleout-admin"
LOAD_PATHS = ("/", "/people/", "/publications/", "/api/v1/publications/", "/api/v1/people/")

PICK_PAPER = """
import json
import django
django.setup()
from publications.models import Publication
paper = Publication.objects.published().order_by("pk").first()
print(json.dumps({"pk": paper.pk, "url": paper.get_absolute_url(), "title": paper.title}))
"""


# -- a minimal browser: cookies, CSRF, forms -----------------------------------------------


class Browser:
    """Keeps cookies for one host (by name, whatever their Secure flag: the instances
    run plain HTTP on 127.0.0.1) and submits forms as a browser would."""

    def __init__(self):
        self.cookies = {}

    def request(self, base, method, path, data=None):
        parts = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Host": parts.hostname}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def get(self, base, path):
        return self.request(base, "GET", path)

    def post(self, base, path, data):
        return self.request(base, "POST", path, data)


class FormFields(HTMLParser):
    """The fields of the form with ``form_id`` as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._options = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self._select = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def log_in(browser, base, password):
    _, _, page = browser.get(base, "/admin/login/?next=/admin/")
    status, _, _ = browser.post(
        base,
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": ADMIN,
            "password": password,
            "next": "/admin/",
        },
    )
    return status == 302 and "sessionid" in browser.cookies


def logged_in_admin(browser, base):
    status, _, page = browser.get(base, "/admin/")
    return status == 200 and "Log out" in page and ADMIN in page


# -- load -------------------------------------------------------------------------------


class Load:
    """Threads sending GET requests in turn over ``paths`` to each instance until
    stopped; every answer or error is recorded as (start, end, instance, outcome)."""

    def __init__(self, servers, paths=LOAD_PATHS, threads_per_server=2):
        self.servers, self.paths = servers, paths
        self.threads_per_server = threads_per_server
        self.records, self.stop = [], threading.Event()
        self.lock = threading.Lock()
        self.threads = []

    def __enter__(self):
        for name, server in self.servers.items():
            for number in range(self.threads_per_server):
                thread = threading.Thread(target=self._run, args=(name, server, number))
                thread.start()
                self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def _run(self, name, server, number):
        conn, turn = None, number
        while not self.stop.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                outcome = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                if conn is not None:
                    conn.close()
                conn = None
            with self.lock:
                self.records.append((started, time.monotonic(), name, outcome))
            if not isinstance(outcome, int):
                time.sleep(0.05)  # a refused connection fails at once: do not spin

    def counts(self, name, since=0.0, until=float("inf")):
        ok = failed = 0
        for started, _end, server, outcome in self.records:
            if server != name or not since <= started < until:
                continue
            if isinstance(outcome, int) and outcome < 500:
                ok += 1
            else:
                failed += 1
        return ok, failed


# -- the checks -------------------------------------------------------------------------


def check_edit_shows_on_the_other_instance(a, b, browser, paper, deadline):
    """An edit saved through A's admin, seen on B's cached page within ``deadline`` s."""
    anonymous = Browser()
    for _ in range(2):
        _, headers, page = anonymous.get(b.base, paper["url"])
    cached = headers.get("X-Page-Cache") == "hit" and paper["title"] in page
    change = f"/admin/publications/publication/{paper['pk']}/change/"
    status, _, page = browser.get(a.base, change)
    fields = form_fields(page, "publication_form")
    new_title = f"Scale-out check {secrets.token_hex(4)}"
    data = [(name, new_title if name == "title" else value) for name, value in fields]
    data.append(("_save", "Save"))
    status, headers, body = browser.post(a.base, change, data)
    saved_at = time.monotonic()
    if status != 302:
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)
        return False, f"admin save on A answered {status} {errors[:3]}"
    seen_after = None
    while time.monotonic() - saved_at < max(10, 2 * deadline):
        _, headers, page = anonymous.get(b.base, paper["url"])
        if new_title in page:
            seen_after = time.monotonic() - saved_at
            break
        time.sleep(0.02)
    if seen_after is None:
        return False, "B still served the old title long after the save"
    detail = (
        f"B's page was {'a cache hit' if cached else 'NOT cached'} before; the new title "
        f"showed on B {seen_after * 1000:.0f} ms after A's admin answered the save"
    )
    return cached and seen_after < deadline, detail


def check_session_on_both(a, b, browser):
    on_a = logged_in_admin(browser, a.base)
    on_b = logged_in_admin(browser, b.base)
    stranger = logged_in_admin(Browser(), b.base)
    detail = (
        f"logged in on A; admin index as that user: A {'yes' if on_a else 'no'}, "
        f"B {'yes' if on_b else 'no'}; without the cookie B {'yes' if stranger else 'no'}"
    )
    return on_a and on_b and not stranger, detail


def check_pg_restart(a, b, seconds):
    version = sorted(os.listdir("/etc/postgresql"))[0]
    workers_before = {"A": a.worker_pids(), "B": b.worker_pids()}
    with Load({"A": a, "B": b}) as load:
        time.sleep(2)
        restart_at = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            timeout=120,
            capture_output=True,
        )
        while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode:
            if time.monotonic() - restart_at > 120:
                break
            time.sleep(0.05)
        ready_at = time.monotonic()
        time.sleep(seconds)
    failed = [r for r in load.records if not (isinstance(r[3], int) and r[3] < 500)]
    after_ok = sum(load.counts(name, since=ready_at)[0] for name in ("A", "B"))
    after_failed = sum(load.counts(name, since=ready_at)[1] for name in ("A", "B"))
    total = len(load.records)
    window = (max(r[1] for r in failed) - min(r[0] for r in failed)) if failed else 0.0
    statuses = sorted({str(r[3]) for r in failed})
    same_workers = workers_before == {"A": a.worker_pids(), "B": b.worker_pids()}
    detail = (
        f"restart took {ready_at - restart_at:.1f} s; {len(failed)} of {total} requests "
        f"failed ({', '.join(statuses) or 'none'}) over {window:.1f} s; after PostgreSQL "
        f"accepted connections again: {after_ok} ok, {after_failed} failed; "
        f"gunicorn workers {'unchanged' if same_workers else 'RESTARTED'}"
    )
    return after_failed == 0 and after_ok > 0 and same_workers, detail


def check_kill_one_instance(a, b, seconds):
    with Load({"A": a, "B": b}) as load:
        time.sleep(seconds / 2)
        killed_at = time.monotonic()
        os.killpg(a.process.pid, signal.SIGKILL)
        a.process.wait()
        time.sleep(seconds / 2)
    ok_b, failed_b = load.counts("B")
    after_b = load.counts("B", since=killed_at)[0]
    ok_a_after, failed_a_after = load.counts("A", since=killed_at)
    detail = (
        f"A killed (SIGKILL, master and workers) {seconds / 2:.0f} s into {seconds:.0f} s "
        f"of load; B: {ok_b} ok, {failed_b} errors ({after_b} ok after the kill); "
        f"A after the kill: {failed_a_after} refused, {ok_a_after} answered"
    )
    return failed_b == 0 and after_b > 0, detail


# -- set-up and tear-down ----------------------------------------------------------------


def run_checks(args):
    results = []
    ports = [int(port) for port in args.ports.split(",")] if args.ports else [None, None]
    secret = secrets.token_urlsafe(50)
    password = secrets.token_urlsafe(18)
    static_root = tempfile.mkdtemp(prefix="scaleout-static-")
    try:
        with (
            scratch_database("postgres", pg_url=args.pg_url) as url,
            redis_prefix(args.redis_url, "scaleout-bench") as prefix,
        ):
            manage(url, "load_demo")
            manage(
                url,
                "shell",
                "--no-imports",
                "-c",
                "from django.contrib.auth import get_user_model; get_user_model()"
                f".objects.create_superuser({ADMIN!r}, 'admin@example.org', {password!r})",
            )
            paper = json.loads(
                subprocess.run(
                    [PYTHON, "-c", PICK_PAPER],
                    env=production_env(url),
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            collectstatic(url, static_root)
            shared = {
                "DJANGO_SECRET_KEY": secret,
                "REDIS_URL": args.redis_url,
                "CACHE_KEY_PREFIX": prefix,
            }
            with (
                Server(url, static_root, port=ports[0], **shared) as a,
                Server(url, static_root, port=ports[1], **shared) as b,
            ):
                print(f"A on {a.base}, B on {b.base}; Redis {args.redis_url} prefix {prefix}")
                browser = Browser()
                if not log_in(browser, a.base, password):
                    results.append(("admin login on A", False, "login failed"))
                    return results
                checks = [
                    (
                        f"edit on A shows on B's cached page within {args.edit_deadline:g} s",
                        lambda: check_edit_shows_on_the_other_instance(
                            a, b, browser, paper, args.edit_deadline
                        ),
                    ),
                    (
                        "admin session from A works on B",
                        lambda: check_session_on_both(a, b, browser),
                    ),
                ]
                if args.with_pg_restart:
                    checks.append(
                        (
                            "PostgreSQL restart under load: recovers without an app restart",
                            lambda: check_pg_restart(a, b, args.seconds),
                        )
                    )
                checks.append(
                    (
                        "A killed mid-load: B serves with zero errors",
                        lambda: check_kill_one_instance(a, b, args.seconds),
                    )
                )
                for name, check in checks:
                    print(f"- {name} …", flush=True)
                    passed, detail = check()
                    print(f"  {'PASS' if passed else 'FAIL'}: {detail}", flush=True)
                    results.append((name, passed, detail))
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=PG_URL, help="scratch database (dropped!)")
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--ports", help="two loopback ports, e.g. 8101,8102 (default: free)")
    parser.add_argument("--seconds", type=float, default=10, help="length of each load phase")
    parser.add_argument(
        "--edit-deadline",
        type=float,
        default=1.0,
        help="seconds within which B must show A's edit (the tests, on a busy CI machine, "
        "check that it shows at all)",
    )
    parser.add_argument(
        "--with-pg-restart",
        action="store_true",
        help="also restart the PostgreSQL server under load (affects its other clients)",
    )
    parser.add_argument("--json", help="where to write the results (default bench/results/)")
    args = parser.parse_args()
    print(f"# Scale-out checks: {machine()}")
    results = run_checks(args)
    print()
    print(
        table(
            ["check", "result", "detail"], [[n, "PASS" if p else "FAIL", d] for n, p, d in results]
        )
    )
    out = Path(args.json) if args.json else ROOT / "bench" / "results" / "scaleout.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": vars(args),
                "checks": [{"check": n, "passed": p, "detail": d} for n, p, d in results],
            },
            indent=2,
        )
    )
    sys.exit(0 if results and all(passed for _, passed, _ in results) else 1)


if __name__ == "__main__":
    main()
