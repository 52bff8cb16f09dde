"""Import benchmark: bibtexparser 2 alone vs ``import_papers`` into an empty SQLite
database vs a re-import of the same file, and peak memory, measured in one run.

    .venv/bin/python bench/import_bench.py [--entries 10000] [--repeat 3]

Each measurement runs in its own fresh Python process (so peak memory is that phase's
own), the three phases take turns round after round (so a noisy neighbour slows all
of them alike), and the median of the rounds is reported. Timed:

- parse:    ``bibtexparser.parse_file(path)`` with its default parse stack;
- import:   ``call_command("import_papers", path)`` into a freshly migrated, empty
            SQLite database (the command exactly as a user runs it, minus Django start-up
            and migrations, which are not timed);
- reimport: the same command again on that database (must create and update nothing).

Targets: import ≤ 2× parse, re-import ≤ 2× parse, peak memory < 300 MB.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARSE = """
import json, resource, sys, time, logging
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
import bibtexparser
start = time.perf_counter()
library = bibtexparser.parse_file(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "entries": len(library.entries),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

IMPORT = """
import io, json, os, resource, sys, time
import django
django.setup()
from django.core.management import call_command
from publications.models import Authorship, Publication
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = io.StringIO()
start = time.perf_counter()
call_command("import_papers", sys.argv[1], "--json", stdout=out)
seconds = time.perf_counter() - start
result = json.loads(out.getvalue())
print(json.dumps({"seconds": seconds, "created": result["created"], "updated": result["updated"],
                  "unchanged": result["unchanged"], "failed": result["failed"],
                  "publications": Publication.objects.count(),
                  "authorships": Authorship.objects.count(),
                  "baseline_mb": baseline,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, path: Path, env: dict | None = None) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"benchmark step failed:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def django_env(database: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "benchmark-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "localhost",
        }
    )
    return env


def main():
    parser = argparse.ArgumentParser(description="import benchmark")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "import.json")
    args = parser.parse_args()

    from bench.gen_bibtex import generate

    data = ROOT / "bench" / "data" / f"papers-{args.entries}.bib"
    text = generate(args.entries)
    if not data.exists() or data.read_text(encoding="utf-8") != text:
        data.parent.mkdir(parents=True, exist_ok=True)
        data.write_text(text, encoding="utf-8")
    size = data.stat().st_size

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    template = workdir / "empty.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=django_env(template),
        check=True,
    )
    rounds = []
    try:
        for number in range(1, args.repeat + 1):
            database = workdir / f"round-{number}.sqlite3"
            shutil.copy(template, database)
            parse = run(PARSE, data)
            first = run(IMPORT, data, django_env(database))
            second = run(IMPORT, data, django_env(database))
            rounds.append({"parse": parse, "import": first, "reimport": second})
            print(
                f"round {number}: parse {parse['seconds']:.2f} s, import {first['seconds']:.2f} s"
                f" ({first['created']} created), re-import {second['seconds']:.2f} s"
                f" ({second['created']} created, {second['updated']} updated)",
                flush=True,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def median(phase, key="seconds"):
        return statistics.median(item[phase][key] for item in rounds)

    parse_s, import_s, reimport_s = median("parse"), median("import"), median("reimport")
    peak = max(max(item["import"]["peak_mb"], item["reimport"]["peak_mb"]) for item in rounds)
    last = rounds[-1]
    summary = {
        "entries": args.entries,
        "file_bytes": size,
        "rounds": args.repeat,
        "python": sys.version.split()[0],
        "parse_seconds": round(parse_s, 3),
        "import_seconds": round(import_s, 3),
        "reimport_seconds": round(reimport_s, 3),
        "import_ratio": round(import_s / parse_s, 2),
        "reimport_ratio": round(reimport_s / parse_s, 2),
        "peak_memory_mb": round(peak, 1),
        "parse_peak_memory_mb": round(max(item["parse"]["peak_mb"] for item in rounds), 1),
        "django_baseline_mb": round(last["import"]["baseline_mb"], 1),
        "created": last["import"]["created"],
        "reimport_created": last["reimport"]["created"],
        "reimport_updated": last["reimport"]["updated"],
        "publications": last["import"]["publications"],
        "authorships": last["import"]["authorships"],
        "all_rounds": rounds,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=2) + "\n")

    def verdict(ok):
        return "met" if ok else "MISSED"

    print()
    print(
        f"| measure ({args.entries:,} entries, {size / 1e6:.1f} MB, median of {args.repeat}) "
        "| value | target |"
    )
    print("|---|---|---|")
    print(f"| bibtexparser 2 parse alone | {parse_s:.2f} s | – |")
    print(
        f"| import into empty SQLite | {import_s:.2f} s ({import_s / parse_s:.2f}× parse) | "
        f"≤ 2× parse: {verdict(import_s <= 2 * parse_s)} |"
    )
    print(
        f"| re-import (created {summary['reimport_created']}, updated "
        f"{summary['reimport_updated']}) | {reimport_s:.2f} s "
        f"({reimport_s / parse_s:.2f}× parse) | "
        f"≤ 2× parse: {verdict(reimport_s <= 2 * parse_s)} |"
    )
    print(f"| peak memory of an import process | {peak:.0f} MB | < 300 MB: {verdict(peak < 300)} |")
    print(f"\nwritten to {args.output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
