"""Soak: mixed traffic at 50 concurrent connections against gunicorn on 127.0.0.1 for a
minute; no 5xx, and worker memory growing by less than 10%.

    .venv/bin/python bench/soak.py                        # SQLite, 60 s, 50 connections
    .venv/bin/python bench/soak.py --db postgres --seconds 60
    .venv/bin/python bench/soak.py --redis-url redis://127.0.0.1:6379/5   # shared cache

What it does, and undoes:

1. a scratch database (a temporary SQLite file, or the PostgreSQL database of
   ``--pg-url``/BENCH_PG_URL, dropped and re-created), migrated, filled with
   ``generate_bench_data --people 40 --publications 2000 --media 150 --seed 1`` and the
   demo content;
2. ``collectstatic`` into a temporary folder, then gunicorn (gunicorn.conf.py, 4 sync
   workers as ``make serve`` has on two cores, production settings as the other benches;
   workers are not recycled mid-run, GUNICORN_MAX_REQUESTS=0, so memory growth shows);
3. wrk with a Lua script that rotates over ~60 requests: home, people, profiles, paper
   and media lists with filters and pages, paper and media details, topics, search with
   several queries, API lists and details, the Atom feeds, and conditional requests
   (If-None-Match with the page's ETag) that must get 304; wrk counts the answers by
   status class;
4. a warm-up of the same traffic (20 s, so that every worker has filled its page cache),
   the resident memory (VmRSS) of every worker, the soak itself, and the workers'
   memory again;
5. stops gunicorn and removes the scratch database (and its Redis keys), whatever happens.

Prints a table of checks (PASS/FAIL) and exits 1 when one fails: zero 5xx, zero socket
errors, every other answer 2xx/3xx (the 4xx count is reported), at least one 304, and
every worker's memory growth under 10%. JSON in bench/results/soak-<db>.json.
"""

import argparse
import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    PYTHON,
    ROOT,
    WRK,
    Server,
    collectstatic,
    generate,
    machine,
    manage,
    production_env,
    redis_prefix,
    rss_kib,
    scratch_database,
    table,
)

PICK = """
import json
import django
django.setup()
from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Publication, Topic
print(json.dumps({
    "people": [p.slug for p in Person.objects.published().order_by("pk")[:6]],
    "papers": [p.slug for p in Publication.objects.published().order_by("-pk")[:8]],
    "media": [m.slug for m in MediaItem.objects.published().order_by("pk")[:5]],
    "topics": [t.slug for t in Topic.objects.order_by("pk")[:3]],
}))
"""

LUA = r"""
-- Rotates over the requests below; counts answers by status class in each thread.
local requests = %(requests)s
local counter, threads = 0, {}
counts = {}  -- a global: done() reads each thread's copy with thread:get

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7
  counts = {s2 = 0, s3 = 0, s304 = 0, s4 = 0, s5 = 0}
end

function request()
  counter = counter + 1
  local item = requests[(counter %% #requests) + 1]
  return wrk.format("GET", item[1], item[2])
end

function response(status, headers, body)
  if status == 304 then counts.s304 = counts.s304 + 1 end
  if status >= 500 then counts.s5 = counts.s5 + 1
  elseif status >= 400 then counts.s4 = counts.s4 + 1
  elseif status >= 300 then counts.s3 = counts.s3 + 1
  else counts.s2 = counts.s2 + 1 end
end

function done(summary, latency, requests_done)
  local total = {s2 = 0, s3 = 0, s304 = 0, s4 = 0, s5 = 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  local e = summary.errors
  io.write(string.format(
    'SOAK {"requests": %%d, "seconds": %%.2f, "2xx": %%d, "3xx": %%d, "304": %%d, '
    .. '"4xx": %%d, "5xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, '
    .. '"status_errors": %%d, "p50_ms": %%.1f, "p99_ms": %%.1f, "max_ms": %%.1f}\n',
    summary.requests, summary.duration / 1e6, total.s2, total.s3, total.s304, total.s4,
    total.s5, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def traffic(picked):
    """The rotation: (path, headers) pairs, most of them pages a visitor gets."""
    people, papers, media, topics = (
        picked["people"],
        picked["papers"],
        picked["media"],
        picked["topics"],
    )
    paths = [
        "/",
        "/people/",
        *(f"/people/{slug}/" for slug in people),
        "/publications/",
        "/publications/?page=3",
        "/publications/?page=40",
        "/publications/?year_min=2015",
        "/publications/?category=cs.LG&year_min=2015",
        "/publications/?kind=preprint&sort=cited",
        "/publications/?has_code=true&sort=oldest",
        *(f"/publications/{slug}/" for slug in papers),
        "/media/",
        "/media/?page=2",
        *(f"/media/{slug}/" for slug in media),
        "/topics/",
        *(f"/topics/{slug}/" for slug in topics),
        "/search/?q=interpretability",
        "/search/?q=language+models+safety",
        "/search/?q=podcast",
        "/search/?q=zzzz-no-match",
        "/api/v1/publications/",
        "/api/v1/publications/?page=5",
        "/api/v1/people/",
        "/api/v1/media-items/",
        *(f"/api/v1/publications/{slug}/" for slug in papers[:3]),
        "/publications/feed.atom",
        "/media/feed.atom",
        *(f"/people/{slug}/feed.atom" for slug in people[:2]),
        "/sitemap.xml",
        "/robots.txt",
    ]
    return [(path, {}) for path in paths]


def with_revalidations(server, requests):
    """Every request answered 200 once (a typo in the rotation fails here, loudly), plus
    conditional requests for pages that carry an ETag: each of those must get 304."""
    conditional = []
    for path, _ in requests:
        status, headers, _ = server.get(path)  # raises on an error status
        if status == 200 and headers.get("ETag"):
            conditional.append((path, {"If-None-Match": headers["ETag"]}))
    return requests + conditional[:12]


def lua_script(requests):
    def quote(text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    items = ",\n  ".join(
        "{"
        + quote(path)
        + ", {"
        + ", ".join(f"[{quote(k)}] = {quote(v)}" for k, v in headers.items())
        + "}}"
        for path, headers in requests
    )
    return LUA % {"requests": "{\n  " + items + "\n}"}


def run_wrk(base, script, *, seconds, connections, threads=2):
    out = subprocess.run(
        [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            script,
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    ).stdout
    match = re.search(r"^SOAK (\{.*\})$", out, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    return json.loads(match.group(1))


def memory(server):
    return {pid: rss_kib(pid) for pid in server.worker_pids()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", help="scratch PostgreSQL database (dropped!)")
    parser.add_argument("--redis-url", help="use a shared Redis cache (default: local memory)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20, help="seconds before the first sample")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, help="loopback port (default: a free one)")
    parser.add_argument("--json", help="where to write the results (default bench/results/)")
    args = parser.parse_args()
    if not WRK:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    print(f"# Soak on {args.db}: {machine()}")
    with contextlib.ExitStack() as stack:
        static_root = tempfile.mkdtemp(prefix="soak-static-")
        stack.callback(shutil.rmtree, static_root, ignore_errors=True)
        script = Path(static_root) / "soak.lua"
        url = stack.enter_context(scratch_database(args.db, pg_url=args.pg_url))
        took = generate(url, people=40, publications=2000, media=150)
        manage(url, "load_demo")
        print(f"data: generate_bench_data in {took:.1f} s, plus the demo content")
        picked = json.loads(
            subprocess.run(
                [PYTHON, "-c", PICK],
                env=production_env(url),
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        collectstatic(url, static_root)
        env = {}
        if args.redis_url:
            prefix = stack.enter_context(redis_prefix(args.redis_url, "soak-bench"))
            env = {"REDIS_URL": args.redis_url, "CACHE_KEY_PREFIX": prefix}
        server = stack.enter_context(
            Server(url, static_root, workers=args.workers, port=args.port, **env)
        )
        requests = with_revalidations(server, traffic(picked))
        script.write_text(lua_script(requests))
        print(f"{len(requests)} requests in the rotation; warm-up {args.warmup} s")
        run_wrk(server.base, str(script), seconds=args.warmup, connections=args.connections)
        before = memory(server)
        started = time.monotonic()
        print(f"soak: {args.seconds} s at {args.connections} connections …", flush=True)
        soak = run_wrk(server.base, str(script), seconds=args.seconds, connections=args.connections)
        elapsed = time.monotonic() - started
        after = memory(server)

    growth = {pid: (after.get(pid, 0) - rss) / rss * 100 for pid, rss in before.items() if rss}
    same_workers = sorted(before) == sorted(after)
    worst = max(growth.values(), default=float("inf"))
    socket_errors = soak["connect"] + soak["read"] + soak["write"] + soak["timeout"]
    checks = [
        ("zero 5xx", soak["5xx"] == 0, f"{soak['5xx']} of {soak['requests']:,}"),
        (
            "every other answer 2xx/3xx",
            soak["4xx"] == 0,
            f"2xx {soak['2xx']:,}, 3xx {soak['3xx']:,} (304: {soak['304']:,}), 4xx {soak['4xx']:,}",
        ),
        ("revalidations answered 304", soak["304"] > 0, f"{soak['304']:,} × 304"),
        (
            "zero socket errors",
            socket_errors == 0,
            f"connect {soak['connect']}, read {soak['read']}, write {soak['write']}, "
            f"timeout {soak['timeout']}",
        ),
        (
            "worker memory growth < 10%",
            same_workers and worst < 10,
            "; ".join(
                f"{before[pid] / 1024:.1f} → {after.get(pid, 0) / 1024:.1f} MiB "
                f"({growth[pid]:+.1f}%)"
                for pid in sorted(before)
            )
            + ("" if same_workers else " (workers were replaced!)"),
        ),
    ]
    print()
    print(
        f"## Soak ({args.db}{', Redis' if args.redis_url else ''}, {args.seconds} s, "
        f"{args.connections} connections, gunicorn {args.workers} sync workers): "
        f"{soak['requests']:,} requests, {soak['requests'] / elapsed:.0f}/s, latency p50 "
        f"{soak['p50_ms']:.0f} ms, p99 {soak['p99_ms']:.0f} ms, max {soak['max_ms']:.0f} ms"
    )
    print()
    print(
        table(
            ["check", "result", "measured"], [[n, "PASS" if p else "FAIL", d] for n, p, d in checks]
        )
    )
    out = Path(args.json) if args.json else ROOT / "bench" / "results" / f"soak-{args.db}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": vars(args),
                "wrk": soak,
                "rss_kib_before": before,
                "rss_kib_after": after,
                "checks": [{"check": n, "passed": p, "measured": d} for n, p, d in checks],
            },
            indent=2,
        )
    )
    sys.exit(0 if all(passed for _, passed, _ in checks) else 1)


if __name__ == "__main__":
    main()
