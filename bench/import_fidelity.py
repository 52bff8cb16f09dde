"""Import fidelity: entries imported ÷ entries Zotero or JabRef would turn into items, per
real file (the recorded samples in tests/fixtures/samples, or the files given).

    .venv/bin/python bench/import_fidelity.py [FILE ...]

Each file goes through ``import_papers`` as a dry run with skip-invalid, on a scratch
SQLite database. "Imported" counts the entries that became a paper or merged into one
(created + updated + unchanged). The denominator is counted independently of our parser:

- BibTeX: the entries bibtexparser 2 reads (JabRef imports every entry, also of unknown
  types and with a repeated key), less ``@set`` and ``@xdata`` entries (groups and data
  for other entries, not works); entries with no title at all are counted (JabRef keeps
  them) and listed, since we refuse them by design;
- RIS: records that begin with ``TY`` and one or two spaces before the dash (Zotero's
  RIS translator's own test);
- arXiv Atom: ``<entry>`` elements, less arXiv's error entry;
- JSON: the work objects in the payload (``null`` items of a Semantic Scholar batch, API
  error payloads and ORCID summaries' empty groups are no works);
- other text: 0 (not a bibliography format these importers read).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
sys.path.insert(0, str(ROOT))


def expected(path: Path) -> tuple[int, int]:
    """(entries Zotero/JabRef would import, of which have no title)."""
    data = path.read_bytes()
    name = path.name
    if name.endswith(".bib"):
        import bibtexparser

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gbk")
        library = bibtexparser.parse_string(text)
        entries = [e for e in library.entries if e.entry_type.lower() not in {"set", "xdata"}]
        # A repeated key: JabRef keeps both entries.
        entries += [
            block.ignore_error_block
            for block in library.failed_blocks
            if type(block).__name__ == "DuplicateBlockKeyBlock"
        ]
        untitled = sum(
            1 for e in entries if not any(f.key.lower() == "title" and f.value for f in e.fields)
        )
        return len(entries), untitled
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if name.endswith(".ris"):
        return len(re.findall(r"^\ufeff?\s*TY {1,2}- ", text, re.MULTILINE)), 0
    if name.endswith(".xml"):
        entries = re.findall(r"<entry>.*?</entry>", text, re.DOTALL)
        return sum(1 for entry in entries if "/api/errors" not in entry), 0
    if name.endswith(".json"):
        works = _json_works(json.loads(text))
        return len(works), sum(1 for work in works if not _has_title(work))
    if re.search(r"^(?:FN (?:Clarivate|Thomson)|VR \d)", text, re.MULTILINE):
        # Web of Science tagged text: Zotero has a translator for it; records end with ER.
        return len(re.findall(r"^ER\s*$", text, re.MULTILINE)), 0
    return 0, 0


def _has_title(work: dict) -> bool:
    title = work.get("title") or work.get("display_name")
    if isinstance(title, dict):  # ORCID: {"title": {"value": …}}
        title = title.get("title", {}).get("value") if "title" in title else title.get("value")
    if isinstance(title, list):
        title = "".join(str(part) for part in title)
    return bool(str(title or "").strip())


def _json_works(data) -> list:
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    if not isinstance(data, dict):
        return []
    if data.get("status") == "failed" or "response-code" in data or "error" in data:
        return []
    for key in ("results", "data", "papers", "items", "bulk"):
        if isinstance(data.get(key), list):
            works = [item for item in data[key] if isinstance(item, dict)]
            return [work.get("work", work) for work in works]
    if isinstance(data.get("message"), dict):
        return _json_works(data["message"]) if "items" in data["message"] else [data["message"]]
    if "activities-summary" in data:
        data = data["activities-summary"].get("works") or {}
    if isinstance(data.get("group"), list):
        return [
            group["work-summary"][0] for group in data["group"] if (group or {}).get("work-summary")
        ]
    return [data]


MEASURE = """
import json, sys
import django
django.setup()
from publications.importing.detect import Source
from publications.importing.service import import_papers
from pathlib import Path
path = Path(sys.argv[1])
result = import_papers([Source(name=path.name, path=path)], dry_run=True, skip_invalid=True)
print(json.dumps({"imported": result.created + result.updated + result.unchanged,
                  "failed": result.failed, "formats": result.formats,
                  "errors": [e["message"] for e in result.errors][:5]}))
"""


def main():
    files = [Path(arg) for arg in sys.argv[1:]] or sorted(
        path for path in SAMPLES.iterdir() if not path.name.endswith((".txt", ".md"))
    ) + sorted(SAMPLES.glob("*.txt"))
    files = [path for path in files if not path.name.endswith(".source.txt")]
    workdir = Path(tempfile.mkdtemp(prefix="import-fidelity-"))
    database = workdir / "db.sqlite3"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", DJANGO_DEBUG="0")
    env.setdefault("DJANGO_SECRET_KEY", "fidelity-" + "x" * 50)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    total_expected = total_imported = total_titled = 0
    print("| file | imported | Zotero/JabRef | ratio | of those with a title | note |")
    print("|---|---|---|---|---|---|")
    try:
        for path in files:
            want, untitled = expected(path)
            done = subprocess.run(
                [sys.executable, "-c", MEASURE, str(path)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            got = json.loads(done.stdout.strip().splitlines()[-1])
            ratio = f"{got['imported'] / want:.0%}" if want else "–"
            titled = want - untitled
            titled_ratio = f"{min(got['imported'], titled) / titled:.0%}" if titled else "–"
            notes = []
            if untitled:
                notes.append(f"{untitled} without any title (refused by design).")
            if got["imported"] < titled or (not want and got["errors"]):
                notes.append("; ".join(dict.fromkeys(got["errors"][:2]))[:160])
            total_expected += want
            total_imported += min(got["imported"], want)
            total_titled += titled
            print(
                f"| {path.name} | {got['imported']} | {want} | {ratio} | {titled_ratio} "
                f"| {' '.join(notes)} |"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"| **all files** | {total_imported} | {total_expected} | "
        f"{total_imported / max(total_expected, 1):.1%} | "
        f"{min(total_imported, total_titled) / max(total_titled, 1):.1%} | |"
    )


if __name__ == "__main__":
    main()
