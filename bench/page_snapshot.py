"""Save what the site answers, to show that moving code changed no page.

    .venv/bin/python bench/page_snapshot.py build DIR        # demo.sqlite3 and bench.sqlite3 in DIR
    .venv/bin/python bench/page_snapshot.py save DIR OUT     # every page, as files under OUT
    .venv/bin/python bench/page_snapshot.py compare OUT1 OUT2

``build`` makes two databases once (the demo content; bench data with 200 papers) with an
editor account in each; keep DIR between the two ``save`` runs, since stable ids are random
per database. ``save`` copies each database, then fetches through Django's test client
(DEBUG off, page cache off): every public page of the demo reachable by links from ``/``
and from the sitemap, the first 100 pages of the bench data in the same order, each
anonymously and as the editor, and the OpenAPI schema (YAML and JSON). ``compare`` lists
the pages that differ, are missing or are new, and exits 1 if any does.
"""

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EDITOR = "snapshot-editor"
DEMO_PAGES, BENCH_PAGES = 5000, 100


def _env(database):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "0",
    }


def build(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, fill in (
        ("demo", ["load_demo"]),
        ("bench", ["generate_bench_data", "--people", "20", "--publications", "200"]),
    ):
        database = directory / f"{name}.sqlite3"
        database.unlink(missing_ok=True)
        env = _env(database)
        for command in (["migrate", "-v0"], fill):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, __file__, "_editor"], cwd=ROOT, env=env, check=True)
    print(f"built {directory}/demo.sqlite3 and {directory}/bench.sqlite3")


def _make_editor():
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(EDITOR, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))


def save(directory, out):
    out = Path(out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name, limit in (("demo", DEMO_PAGES), ("bench", BENCH_PAGES)):
        scratch = out / f".{name}.sqlite3"
        shutil.copy(Path(directory) / f"{name}.sqlite3", scratch)
        # The databases were built by the code of the first save: bring them up to this
        # code's migrations (so a comparison also shows that migrating loses nothing).
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(scratch), check=True
        )
        subprocess.run(
            [PYTHON, __file__, "_save", str(out / name), str(limit)],
            cwd=ROOT,
            env=_env(scratch),
            check=True,
        )
        scratch.unlink()
    print(f"saved into {out}")


def _save(out, limit):
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    sys.path.insert(0, str(ROOT))
    from tests.seams.test_crawl import links_of, sitemap_paths

    out = Path(out)
    anonymous, editor = Client(), Client()
    editor.force_login(User.objects.get(username=EDITOR))
    seen, queue = [], ["/", *sitemap_paths(anonymous)]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        response = anonymous.get(url)
        queue.extend(link for link in links_of(url, response) if link not in seen)
    seen += ["/api/schema/", "/api/schema/?format=json"]
    manifest = {}
    for role, client in (("anonymous", anonymous), ("editor", editor)):
        folder = out / role
        folder.mkdir(parents=True, exist_ok=True)
        for url in seen:
            response = client.get(url)
            name = quote(url, safe="")[:200]
            (folder / name).write_bytes(response.content)
            manifest[f"{role} {url}"] = [response.status_code, response.get("Content-Type", "")]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def compare(first, second):
    first, second = Path(first), Path(second)
    different = []
    for name in ("demo", "bench"):
        a = json.loads((first / name / "manifest.json").read_text())
        b = json.loads((second / name / "manifest.json").read_text())
        for key in sorted(set(a) | set(b)):
            if key not in b or key not in a:
                different.append(f"{name}: {key}: {'missing' if key not in b else 'new'}")
                continue
            role, url = key.split(" ", 1)
            file = quote(url, safe="")[:200]
            same = a[key] == b[key] and filecmp.cmp(
                first / name / role / file, second / name / role / file, shallow=False
            )
            if not same:
                different.append(f"{name}: {key}: differs")
        print(f"{name}: {len(set(a) & set(b))} answers compared")
    for line in different:
        print(line)
    print(f"{len(different)} differ" if different else "all identical, byte for byte")
    return 1 if different else 0


if __name__ == "__main__":
    verb, *args = sys.argv[1:] or ["help"]
    if verb == "build":
        build(*args)
    elif verb == "save":
        save(*args)
    elif verb == "compare":
        sys.exit(compare(*args))
    elif verb == "_editor":
        _make_editor()
    elif verb == "_save":
        _save(args[0], int(args[1]))
    else:
        print(__doc__)
        sys.exit(2)
