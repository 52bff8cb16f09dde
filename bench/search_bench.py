"""Search time at 100,000 papers ÷ search time at 10,000 papers, on SQLite and on
PostgreSQL, plus page 200 ÷ page 1 of the paper list at both sizes.

    .venv/bin/python bench/search_bench.py                 # both databases
    .venv/bin/python bench/search_bench.py --db postgres   # or just one

For each database: a scratch database (temporary SQLite file, or PostgreSQL
``perfbench``, dropped and re-created, dropped again at the end) gets
``generate_bench_data --people 75 --publications 10000 --media 500``; then the search
page and the paper list are timed; then a second ``generate_bench_data --people 675
--publications 90000 --media 0`` brings it to 100,000 papers (media stay at 500, so
the ratio is about papers) and the same pages are timed again. Both generation times
are reported.

Timing is Django-side (the test client in a fresh process with the production
settings and the page cache off, DJANGO_PAGE_CACHE_SECONDS=0): the median of 7 requests
after 2 warm-up requests, whole response (queries, ranking, snippets, template). Queries:

- selective: a long-tail abstract term (``RARE_WORDS[99]``, in about 0.3% of papers);
- medium:    the commonest long-tail term (``RARE_WORDS[0]``, in about a quarter);
- common:    "interpretability", from the common vocabulary (in most abstracts).

Output: markdown tables on stdout, JSON in bench/results/search-<db>.json.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    PYTHON,
    ROOT,
    collectstatic,
    generate,
    machine,
    production_env,
    scratch_database,
    table,
)

MEASURE = """
import json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bench.fake_content import RARE_WORDS
from publications.models import Publication

queries = {"selective": RARE_WORDS[99], "medium": RARE_WORDS[0], "common": "interpretability"}
client = Client()

def timed(url, runs=7):
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {"ms": 1000 * statistics.median(times), "queries": len(captured)}

result = {"papers": Publication.objects.count(), "search": {}, "papers_tab": {}, "matches": {}}
from search.engine import search_queryset
from django.contrib.auth.models import AnonymousUser
for name, word in queries.items():
    result["search"][name] = timed(f"/search/?q={word}")
    result["papers_tab"][name] = timed(f"/search/?q={word}&type=papers")
    result["matches"][name] = search_queryset(
        Publication.objects.published(), "papers", word).count()
result["list"] = {"page 1": timed("/publications/"), "page 200": timed("/publications/?page=200")}
print(json.dumps(result))
"""


def measure(url):
    static_root = tempfile.mkdtemp(prefix="perfbench-static-")
    try:
        collectstatic(url, static_root)
        out = subprocess.run(
            [PYTHON, "-c", MEASURE],
            env=production_env(url, DJANGO_PAGE_CACHE_SECONDS=0, DJANGO_STATIC_ROOT=static_root),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def save(vendor, data):
    """Keep each step as soon as it is measured (the large step can take long)."""
    out = ROOT / "bench" / "results" / f"search-{vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), **data}, indent=2))


def run(vendor, first=10_000, total=100_000):
    with scratch_database(vendor) as url:
        gen_small = generate(
            url, people=max(1, first * 75 // 10_000), publications=first, media=500
        )
        print(f"[{vendor}] {first:,} papers generated in {gen_small:.0f} s", flush=True)
        small = measure(url)
        print(f"[{vendor}] measured at {small['papers']:,} papers", flush=True)
        save(vendor, {"generate_small_s": gen_small, "small": small})
        more = total - first
        gen_large = generate(url, people=max(1, more * 75 // 10_000), publications=more, media=0)
        print(f"[{vendor}] +{more:,} papers generated in {gen_large:.0f} s", flush=True)
        large = measure(url)
        print(f"[{vendor}] measured at {large['papers']:,} papers", flush=True)
    return {
        "generate_10k_s": gen_small,
        "generate_90k_s": gen_large,
        "small": small,
        "large": large,
    }


def report(vendor, data):
    small, large = data["small"], data["large"]
    rows = []
    for page, key in (("search, all types", "search"), ("search, papers tab", "papers_tab")):
        for name in small[key]:
            a, b = small[key][name]["ms"], large[key][name]["ms"]
            rows.append(
                [
                    f"{page}: {name}",
                    f"{small['matches'][name]:,} → {large['matches'][name]:,}",
                    f"{a:.0f}",
                    f"{b:.0f}",
                    f"{b / a:.2f}×",
                    f"{small[key][name]['queries']} / {large[key][name]['queries']}",
                ]
            )
    print()
    print(
        f"## Search scaling on {vendor} ({small['papers']:,} → {large['papers']:,} papers; "
        f"generated in {data['generate_10k_s']:.0f} s + {data['generate_90k_s']:.0f} s)"
    )
    print()
    print(
        table(
            ["page: query", "matching papers", "ms small", "ms large", "large ÷ small", "queries"],
            rows,
        )
    )
    print()
    print(f"## Paper list pagination on {vendor} (Django-side, uncached)")
    print()
    rows = []
    for size in ("small", "large"):
        one, deep = data[size]["list"]["page 1"]["ms"], data[size]["list"]["page 200"]["ms"]
        rows.append(
            [f"{data[size]['papers']:,}", f"{one:.0f}", f"{deep:.0f}", f"{deep / one:.2f}×"]
        )
    print(table(["papers", "page 1 ms", "page 200 ms", "page 200 ÷ page 1"], rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--first", type=int, default=10_000, help="papers in the first step")
    parser.add_argument("--total", type=int, default=100_000, help="papers in the second step")
    args = parser.parse_args()
    vendors = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"# Search bench: {machine()}")
    results = {}
    for vendor in vendors:
        results[vendor] = run(vendor, args.first, args.total)
        save(vendor, results[vendor])
    for vendor, data in results.items():
        report(vendor, data)


if __name__ == "__main__":
    main()
