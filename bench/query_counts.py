"""SQL queries per page and API list at 10, 1,000 and 10,000 papers, and on a cache hit.

    .venv/bin/python bench/query_counts.py --db sqlite     # or --db postgres

A scratch database (as in the other benches) grows in three steps with
``generate_bench_data`` (10 papers and 10 media items; then 1,000 and 100; then
10,000 and 1,000). After each step a fresh process with the production settings
requests every public page and API list through Django's test client, anonymously,
with the page cache off (DJANGO_PAGE_CACHE_SECONDS=0), and counts the queries
(CaptureQueriesContext) of three requests: the first after the cache is emptied
("cold": what the first visitor after a content change costs, the data kept per
content generation -- facets, paper rows, profile sections, the next publishing
boundary -- worked out again), then the same page again ("warm": the steady state,
what every later request costs until content changes). Then the page cache is turned
on and the queries of a second, cached request are counted. The profile is the person
with the most papers; the detail pages use the first row of each kind.

Target (issue #7): at most 8 queries on every page, the same count at every size, and
none on a cache hit. Output: a markdown table, JSON in bench/results/queries-<db>.json.
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

STEPS = ((10, 10, 2), (1_000, 100, 8), (10_000, 1_000, 75))  # papers, media, people (totals)

MEASURE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from media_items.models import MediaItem, Outlet
from profiles.models import Organization, Person
from publications.models import Publication, Topic

person = Person.objects.published().annotate(n=Count("authorships")).order_by("-n", "pk").first()
paper = Publication.objects.published().order_by("pk").first()
item = MediaItem.objects.published().order_by("pk").first()
topic = Topic.objects.published().order_by("pk").first()
org = Organization.objects.published().order_by("pk").first()
outlet = Outlet.objects.published().order_by("pk").first()
pages = {
    "home": "/",
    "people list": "/people/",
    "profile": f"/people/{person.slug}/",
    "organization": f"/people/organizations/{org.slug}/",
    "paper list": "/publications/",
    "paper list, 2 filters": "/publications/?category=cs.LG&year_min=2015",
    "paper list, page 200": "/publications/?page=200",
    "paper detail": f"/publications/{paper.slug}/",
    "media list": "/media/",
    "media detail": f"/media/{item.slug}/",
    "outlet": f"/media/outlets/{outlet.slug}/",
    "topic list": "/topics/",
    "topic": f"/topics/{topic.slug}/",
    "search": "/search/?q=interpretability",
    "search, papers tab": "/search/?q=interpretability&type=papers",
    "API people": "/api/v1/people/",
    "API organizations": "/api/v1/organizations/",
    "API publications": "/api/v1/publications/",
    "API media items": "/api/v1/media-items/",
    "API outlets": "/api/v1/outlets/",
    "API person's publications": f"/api/v1/people/{person.slug}/publications/",
    "API person's media items": f"/api/v1/people/{person.slug}/media-items/",
}
client = Client()

def count(url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)

result = {}
for label, url in pages.items():
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    cold = count(url)
    uncached = count(url)
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    client.get(url)
    hit = count(url)
    result[label] = {"queries": uncached, "cold": cold, "cache hit": hit}
print(json.dumps({"papers": Publication.objects.count(), "pages": result}))
"""


def measure(url):
    static_root = tempfile.mkdtemp(prefix="perfbench-static-")
    try:
        collectstatic(url, static_root)
        out = subprocess.run(
            [PYTHON, "-c", MEASURE],
            env=production_env(url, DJANGO_STATIC_ROOT=static_root, API_ANON_RATE=""),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    print(f"# Query counts on {args.db}: {machine()}")
    steps = []
    with scratch_database(args.db) as url:
        have = (0, 0, 0)
        for papers, media, people in STEPS:
            generate(
                url,
                people=people - have[2],
                publications=papers - have[0],
                media=media - have[1],
            )
            have = (papers, media, people)
            steps.append(measure(url))
            print(f"measured at {steps[-1]['papers']:,} papers", flush=True)
    labels = list(steps[0]["pages"])
    rows = []
    for label in labels:
        counts = [step["pages"][label]["queries"] for step in steps]
        colds = [step["pages"][label]["cold"] for step in steps]
        hits = [step["pages"][label]["cache hit"] for step in steps]
        verdict = "yes" if max(counts) <= 8 and len(set(counts)) == 1 else "no"
        cold_verdict = "yes" if max(colds) <= 8 and len(set(colds)) == 1 else "no"
        rows.append(
            [
                label,
                *counts,
                "/".join(map(str, colds)),
                "/".join(map(str, hits)),
                verdict,
                cold_verdict,
            ]
        )
    sizes = [f"{step['papers']:,} papers" for step in steps]
    print()
    print(f"## Queries per page on {args.db}")
    print()
    headers = ["page", *sizes, "cold", "cache hit", "≤ 8 and constant", "cold too"]
    print(table(headers, rows))
    out = ROOT / "bench" / "results" / f"queries-{args.db}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "steps": steps}, indent=2))


if __name__ == "__main__":
    main()
