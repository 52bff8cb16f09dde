"""The command as a user runs it: output, --json, exit codes, all-or-nothing, ImportRun."""

import hashlib
import json

from publications.models import Authorship, ImportRun, Publication
from tests import factories

from .conftest import SAMPLES, sample

JABREF = "bibtex-jabref-bibdesk-acm-latex-accents-from-jabref-tests.bib"
CROSSREF = "crossref-work-single-journal-article-from-habanero-tests.json"
JSON_KEYS = {"created", "updated", "unchanged", "skipped", "failed", "errors"}


def database_state():
    return (
        Publication.objects.count(),
        Authorship.objects.count(),
        list(Publication.objects.order_by("pk").values_list("title", "doi", "venue")),
    )


def test_success_prints_a_summary_and_exits_0(run_import):
    result = run_import(sample(JABREF))
    assert result.code == 0, result
    assert "created" in result.out and "18" in result.out
    assert Publication.objects.count() == 18
    assert "\r" not in result.err  # no progress bar when output is not a terminal


def test_json_output_is_one_object_with_the_counts(run_import):
    result = run_import("--json", sample(JABREF))
    assert result.code == 0
    data = json.loads(result.out)  # nothing but the JSON on stdout
    assert set(data) >= JSON_KEYS
    assert (data["created"], data["updated"], data["failed"], data["errors"]) == (18, 0, 0, [])
    assert data["unchanged"] == 1  # the file holds one paper twice
    assert data["import_run"] == ImportRun.objects.get().pk


def test_json_output_on_failure_lists_errors_and_exits_1(run_import, tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{nokey2020,\n  author = {A. Person},\n  year = {2020},\n}\n")
    result = run_import("--json", bad)
    assert result.code == 1
    data = json.loads(result.out)
    assert data["failed"] == 1 and data["created"] == 0
    assert any("bad.bib" in e["location"] and "no title" in e["message"] for e in data["errors"])


def test_dry_run_prints_each_field_and_writes_nothing(run_import):
    existing = factories.PublicationFactory(
        doi="10.1371/journal.pone.0033693", title="Methylphenidate study", venue=""
    )
    before = database_state()
    result = run_import("--dry-run", sample(JABREF), sample(CROSSREF))
    assert result.code == 0, result
    assert database_state() == before
    assert "Would change" in result.out and "nothing written" in result.out
    # A new paper, field by field …
    assert "+ create: Useful Computer Security" in result.out
    assert "    doi: 10.1109/mic.2008.67" in result.out
    assert "    authors: Elizabeth Churchill; Les Nelson; Diana K. Smetters" in result.out
    # … and a change to an existing one, old → new.
    assert "~ update: Methylphenidate study" in result.out
    assert "    venue: ∅ → PLoS ONE" in result.out
    existing.refresh_from_db()
    assert existing.venue == ""
    # A dry run is not recorded as an import run: it wrote nothing.
    assert not ImportRun.objects.exists()
    assert "created         18" in result.out and "updated          1" in result.out
    assert "recorded as import run" not in result.out


def test_dry_run_json_lists_changes(run_import):
    result = run_import("--dry-run", "--json", sample(CROSSREF))
    data = json.loads(result.out)
    assert data["dry_run"] is True and data["written"] is False
    assert data["import_run"] is None and not ImportRun.objects.exists()
    (change,) = data["changes"]
    assert change["action"] == "created"
    fields = {item["field"]: item["new"] for item in change["fields"]}
    assert fields["doi"] == "10.1371/journal.pone.0033693"
    assert fields["venue"] == "PLoS ONE"
    assert Publication.objects.count() == 0


def test_usage_errors_exit_2(run_import, tmp_path):
    nothing = run_import()
    assert nothing.code == 2 and "nothing to import" in nothing.err
    missing = run_import(tmp_path / "missing.bib")
    assert missing.code == 2 and "no such file" in missing.err
    bad_option = run_import("--no-such-option", sample(JABREF))
    assert bad_option.code == 2
    bad_format = run_import("--format", "docx", sample(JABREF))
    assert bad_format.code == 2
    assert Publication.objects.count() == 0 and ImportRun.objects.count() == 0


def test_truncated_file_exits_1_and_writes_nothing(run_import, tmp_path):
    factories.PublicationFactory(title="Already here")
    before = database_state()
    data = (SAMPLES / JABREF).read_bytes()
    truncated = tmp_path / "truncated.bib"
    truncated.write_bytes(data[: len(data) // 2])
    result = run_import(truncated)
    assert result.code == 1
    assert "truncated.bib, line" in result.err and "end of file" in result.err
    assert "nothing was written" in result.err
    assert "Traceback" not in result.err
    assert database_state() == before
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_broken_entry_in_the_middle_is_named_and_nothing_is_written(run_import, tmp_path):
    lines = (SAMPLES / JABREF).read_text().split("\n")
    start = lines.index("@ARTICLE{1373163,")  # the fifth entry, line 67
    title = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("title"))
    lines[title] = "  title = {Useful {Computer Security},"  # an unbalanced brace
    broken = tmp_path / "broken.bib"
    broken.write_text("\n".join(lines))
    before = database_state()
    result = run_import(broken)
    assert result.code == 1
    assert "broken.bib, line 67 (1373163)" in result.err
    assert database_state() == before


def test_xml_entity_expansion_bomb_is_refused(run_import, tmp_path):
    bomb = tmp_path / "feed.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/1234.5678v1</id><title>&lol3;</title></entry></feed>\n"
    )
    result = run_import(bomb)
    assert result.code == 1
    assert "feed.xml" in result.err and "entity" in result.err
    assert Publication.objects.count() == 0


def test_binary_file_is_refused(run_import, tmp_path):
    binary = tmp_path / "papers.bib"
    binary.write_bytes(bytes(range(256)) * 20)
    pdf = tmp_path / "paper.bib"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = run_import(binary, pdf)
    assert result.code == 1
    assert "papers.bib: binary data" in result.err
    assert "paper.bib: this is a PDF document" in result.err
    assert Publication.objects.count() == 0


def test_one_bad_file_among_good_ones_writes_nothing(run_import, tmp_path):
    binary = tmp_path / "junk.bib"
    binary.write_bytes(b"\x00\x01" * 500)
    result = run_import(sample(CROSSREF), binary)
    assert result.code == 1
    assert Publication.objects.count() == 0


def test_skip_invalid_imports_the_good_records_and_lists_the_bad(run_import):
    path = sample("bibtex-biblatex-biber-examples-from-bibtexparser-v1-tests.bib")
    strict = run_import("--json", path)
    assert strict.code == 1 and Publication.objects.count() == 0
    result = run_import("--json", "--skip-invalid", path)
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["failed"] == 18
    assert data["created"] > 50
    assert Publication.objects.count() == data["created"]
    assert any("(tmn4)" in e["location"] and "no title" in e["message"] for e in data["errors"])
    assert ImportRun.objects.latest("pk").failed == 18


def test_skip_invalid_does_not_excuse_an_unreadable_file(run_import, tmp_path):
    binary = tmp_path / "junk.bib"
    binary.write_bytes(b"\x00\x01" * 500)
    result = run_import("--skip-invalid", sample(CROSSREF), binary)
    assert result.code == 1
    assert "the valid records were written" in result.err


def test_overlong_fields_are_reported_not_truncated(run_import, tmp_path):
    limit = Publication._meta.get_field("venue").max_length
    path = tmp_path / "long.bib"
    path.write_text(
        "@article{ok2020, title = {A fine paper}, author = {A. Person}, year = 2020}\n"
        f"@article{{long2020, title = {{Long venue}}, author = {{B. Person}}, year = 2020,\n"
        f"  journal = {{{'V' * (limit + 5)}}}}}\n"
    )
    result = run_import(path)
    assert result.code == 1
    assert f"long.bib, line 2 (long2020): venue is {limit + 5:,} characters long" in result.err
    assert "not truncated" in result.err
    assert Publication.objects.count() == 0
    result = run_import("--skip-invalid", path)
    assert result.code == 0
    assert list(Publication.objects.values_list("title", flat=True)) == ["A fine paper"]


def test_standard_input(run_import):
    data = (SAMPLES / CROSSREF).read_bytes()
    result = run_import("--json", "-", stdin=data)
    assert result.code == 0, result
    assert json.loads(result.out)["created"] == 1
    assert ImportRun.objects.get().source == "<stdin>"


def test_every_run_is_recorded(run_import, tmp_path):
    factories.PersonFactory(slug="henry-frank", name="Henry S. Frank")
    path = sample("csl-json-crossref-transform-science-1970-from-habanero-tests.json")
    assert run_import("--person", "henry-frank", "--publish", path).code == 0
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.source == path and run.format == "csl_json"
    assert run.checksum == hashlib.sha256((SAMPLES / path).read_bytes()).hexdigest()
    assert run.options["person"] == "henry-frank" and run.options["publish"] is True
    assert (run.created, run.updated, run.failed) == (1, 0, 0)
    assert run.finished_at is not None and run.user is None
    # What it created is recorded with it.
    (record,) = run.papers.all()
    assert record.action == "created" and record.publication.title


def test_an_import_leaves_the_process_settings_it_tunes_as_it_found_them(run_import):
    """An import runs the garbage collector less often and over new objects only, and,
    on SQLite, with a larger page cache; all are put back afterwards, also when the
    import fails."""
    import gc

    from django.db import connection

    def cache_size():
        if connection.vendor != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    def settings():
        return gc.get_threshold(), gc.get_freeze_count(), cache_size()

    before = settings()
    assert run_import(sample(JABREF)).code == 0
    assert settings() == before
    assert (
        run_import(sample("crossref-error-400-validation-failure-from-habanero-tests.json")).code
        == 1
    )
    assert settings() == before
