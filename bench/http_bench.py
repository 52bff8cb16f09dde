"""Pages per second as a share of a static file of the same size, cached and uncached,
and page 200 of the paper list against page 1, all measured in one run.

    .venv/bin/python bench/http_bench.py --db sqlite      # or --db postgres
    .venv/bin/python bench/http_bench.py --db postgres --seconds 5 --connections 4

What it does, and undoes:

1. a scratch database (a temporary SQLite file, or the PostgreSQL database named in
   BENCH_PG_URL, default ``postgres://postgres@127.0.0.1:5432/perfbench``, dropped and
   re-created), migrated and filled with ``generate_bench_data --people 75
   --publications 10000 --media 500 --seed 1``;
2. ``collectstatic`` into a temporary STATIC_ROOT (``DJANGO_STATIC_ROOT``);
3. gunicorn with gunicorn.conf.py and 2 sync workers on 127.0.0.1, production settings
   (DJANGO_DEBUG=0, a freshly generated secret key, DJANGO_SECURE_SSL_REDIRECT=0,
   DJANGO_ALLOWED_HOSTS=127.0.0.1; the anonymous API throttle off so it does not cap
   the run), first with the page cache on (the default, 300 s), then with
   DJANGO_PAGE_CACHE_SECONDS=0;
4. for every page: fetch it once, write its exact bytes to STATIC_ROOT/bench/<page>.html
   (before gunicorn starts, so whitenoise serves it like any static file), then run
   wrk against the page and against that static file back to back, so both see the
   same neighbours on this shared machine; the ratio is page rps ÷ static rps (workers
   are not recycled mid-run, GUNICORN_MAX_REQUESTS=0: see bench/README.md);
5. stop gunicorn and drop the scratch database, whatever happens.

Output: markdown tables on stdout, and JSON in bench/results/http-<db>.json.
"""

import argparse
import json
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
    production_env,
    scratch_database,
    table,
    wrk,
)

PICK = """
import json
import django
django.setup()
from django.db.models import Count, Q
from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Publication
live = Q(authorships__publication__is_published=True)
people = Person.objects.published().annotate(
    n=Count("authorships__publication", filter=live, distinct=True))
profile = min(people, key=lambda p: abs(p.n - 300))
paper = (Publication.objects.published().annotate(n=Count("authorships"))
         .filter(n=10).order_by("pk").first())
item = MediaItem.objects.published().exclude(cached_content="").order_by("pk").first()
print(json.dumps({"profile": profile.slug, "profile_papers": profile.n,
                  "paper": paper.slug, "media": item.slug}))
"""


def pages(picked):
    return {
        "home": "/",
        "people list": "/people/",
        f"profile ({picked['profile_papers']} papers)": f"/people/{picked['profile']}/",
        "paper list, 2 filters": "/publications/?category=cs.LG&year_min=2015",
        "paper detail (10 authors)": f"/publications/{picked['paper']}/",
        "media detail (transcript)": f"/media/{picked['media']}/",
        "search": "/search/?q=interpretability+circuits",
        "API list": "/api/v1/publications/",
    }


def file_name(label):
    return "".join(c if c.isalnum() else "-" for c in label).strip("-") + ".html"


def drain(server):
    """Wait until both workers are free again (abandoned slow requests finished)."""
    for _ in range(120):
        started = time.monotonic()
        for _ in range(4):
            server.get("/robots.txt")
        if time.monotonic() - started < 0.5:
            return
    print("  (server still busy after the run)")


def measure(server, urls, *, seconds, connections, rounds):
    """{label: (page rps, static rps, bytes)}; page and its static file run back to back."""
    results = {}
    for label, path in urls.items():
        page, static = [], []
        for _ in range(rounds):
            # Static first: after a slow page, the workers are still finishing the
            # requests wrk gave up on, and would slow the static run behind it.
            static.append(
                wrk(
                    f"{server.base}/static/bench/{file_name(label)}",
                    seconds=seconds,
                    connections=connections,
                )
            )
            page.append(wrk(server.base + path, seconds=seconds, connections=connections))
            drain(server)
        results[label] = (sorted(page)[len(page) // 2], sorted(static)[len(static) // 2])
        print(f"  {label}: {results[label][0]:.0f} rps vs static {results[label][1]:.0f} rps")
    return results


def phase(database_url, urls, *, cache_seconds, args):
    """Start a server with the page cache on or off and measure every page."""
    static_root = tempfile.mkdtemp(prefix="perfbench-static-")
    try:
        collectstatic(database_url, static_root)
        env = {"DJANGO_PAGE_CACHE_SECONDS": cache_seconds}
        # First pass: fetch every page to learn its bytes; the static copies must exist
        # before gunicorn starts (whitenoise indexes STATIC_ROOT at start-up).
        sizes = {}
        with Server(database_url, static_root, **env) as server:
            for label, path in urls.items():
                status, _headers, body = server.get(path)
                assert status == 200, (path, status)
                sizes[label] = len(body)
                target = Path(static_root) / "bench" / file_name(label)
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(body)
            # Warm both workers' caches (and the database's) before the clock runs.
            for path in urls.values():
                for _ in range(4):
                    server.get(path)
        with Server(database_url, static_root, **env) as server:
            for path in urls.values():
                for _ in range(4):
                    server.get(path)
            extra = {}
            if cache_seconds == 0:
                extra = {"page 1": "/publications/", "page 200": "/publications/?page=200"}
                for path in extra.values():
                    server.get(path)
            results = measure(
                server,
                urls,
                seconds=args.seconds,
                connections=args.connections,
                rounds=args.rounds,
            )
            deep = {}
            for label, path in extra.items():
                deep[label] = wrk(
                    server.base + path, seconds=args.seconds, connections=args.connections
                )
                print(f"  {label}: {deep[label]:.0f} rps")
        return results, sizes, deep
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1, help="wrk runs per page (median)")
    parser.add_argument("--publications", type=int, default=10000)
    args = parser.parse_args()
    if not WRK:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    print(f"# HTTP bench on {args.db}: {machine()}")
    with scratch_database(args.db) as url:
        took = generate(url, people=75, publications=args.publications, media=500)
        print(f"generate_bench_data: {args.publications} papers in {took:.1f} s")
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
        urls = pages(picked)
        print("cached (page cache on):")
        cached, sizes, _ = phase(url, urls, cache_seconds=300, args=args)
        print("uncached (DJANGO_PAGE_CACHE_SECONDS=0):")
        uncached, _, deep = phase(url, urls, cache_seconds=0, args=args)

    rows = []
    for label in urls:
        c_page, c_static = cached[label]
        u_page, u_static = uncached[label]
        rows.append(
            [
                label,
                f"{sizes[label]:,}",
                f"{c_page:.1f} / {c_static:.0f}",
                f"{100 * c_page / c_static:.2f}%",
                f"{u_page:.1f} / {u_static:.0f}",
                f"{100 * u_page / u_static:.2f}%",
                f"{c_page / u_page:.1f}×" if u_page else "∞ (uncached: none in time)",
            ]
        )
    print()
    print(
        f"## Pages vs a static file of the same size ({args.db}, {args.publications:,} papers, "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn 2 sync workers)"
    )
    print()
    print(
        table(
            [
                "page",
                "bytes",
                "cached rps / static rps",
                "cached ÷ static",
                "uncached rps / static rps",
                "uncached ÷ static",
                "cached ÷ uncached",
            ],
            rows,
        )
    )
    print()
    print(f"## Deep pagination ({args.db}, uncached)")
    print()
    slowdown = deep["page 1"] / deep["page 200"] if deep["page 200"] else float("inf")
    print(
        table(
            ["page 1 rps", "page 200 rps", "page 200 time ÷ page 1 time"],
            [[f"{deep['page 1']:.1f}", f"{deep['page 200']:.1f}", f"{slowdown:.2f}×"]],
        )
    )
    out = ROOT / "bench" / "results" / f"http-{args.db}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": vars(args),
                "picked": picked,
                "sizes": sizes,
                "cached": cached,
                "uncached": uncached,
                "deep": deep,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
