"""Re-importing a file skips records already merged with no effect, but only while
nothing else changed: an edit, a new person or another import makes them merge again."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import Authorship, ImportRun, Publication
from tests import factories

BIB = """
@article{one, title={Sleeper Agents}, author={Hubinger, Evan and Denison, Carson},
  journal={Journal of Tests}, year=2024, doi={10.1000/one}}
@article{two, title={Another Paper}, author={Perez, Ethan}, year=2023, doi={10.1000/two}}
"""


def counts(result):
    data = json.loads(result.out)
    return data["created"], data["updated"], data["unchanged"]


def papers_loaded(queries):
    """Queries that load papers by id, to merge into them."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and 'FROM "publications_publication" WHERE "publications_publication"."id" IN' in q["sql"]
    ]


def test_unchanged_reimport_skips_the_merge_and_writes_nothing(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    assert counts(run_import("--json", path)) == (2, 0, 0)
    before = list(Publication.objects.order_by("pk").values())
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert papers_loaded(queries.captured_queries) == []
    assert list(Publication.objects.order_by("pk").values()) == before
    assert ImportRun.objects.latest("pk").world_state


def test_a_changed_record_is_merged(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    path.write_text(BIB.replace("year=2023,", "year=2023, pages={1--9},"))
    assert counts(run_import("--json", path)) == (0, 1, 1)
    assert Publication.objects.get(doi="10.1000/two").pages == "1–9"


def test_an_edit_elsewhere_makes_the_records_merge_again(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    pub = Publication.objects.get(doi="10.1000/one")
    pub.venue = ""  # cleared without marking it edited: an import may fill it again
    pub.save()
    assert counts(run_import("--json", path)) == (0, 1, 1)
    assert Publication.objects.get(doi="10.1000/one").venue == "Journal of Tests"


def test_a_new_person_is_linked_on_reimport(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    person = factories.PersonFactory(name="Ethan Perez")
    assert counts(run_import("--json", path)) == (0, 1, 1)
    assert Authorship.objects.get(name="Ethan Perez").person == person
    # The updated paper is merged once more (to learn that its record now changes
    # nothing); after that, with nothing changed, both are skipped.
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert len(papers_loaded(queries.captured_queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert papers_loaded(queries.captured_queries) == []


def test_overwrite_never_takes_the_shortcut(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    pub = Publication.objects.get(doi="10.1000/one")
    Publication.objects.filter(pk=pub.pk).update(venue="Typed by hand")  # no updated_at bump
    assert counts(run_import("--json", "--overwrite", path)) == (0, 1, 1)
    assert Publication.objects.get(pk=pub.pk).venue == "Journal of Tests"


def test_a_changed_string_macro_is_merged(run_import, tmp_path):
    """The fingerprint covers the evaluated values, not the entry's raw text."""
    path = tmp_path / "papers.bib"
    template = "@string{venue = {%s}}\n@article{one, title={A Paper}, journal=venue, year=2024}\n"
    path.write_text(template % "Old Journal")
    assert counts(run_import("--json", path)) == (1, 0, 0)
    # An import fills an empty venue only; clear it without touching the world state
    # (update() leaves updated_at alone), so only the record's fingerprint can tell.
    Publication.objects.update(venue="")
    path.write_text(template % "Journal of Tests")
    assert counts(run_import("--json", path)) == (0, 1, 0)
    assert Publication.objects.get().venue == "Journal of Tests"


def test_new_importer_code_makes_the_records_merge_again(run_import, tmp_path, monkeypatch):
    from publications.importing import merge

    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    monkeypatch.setattr(merge, "code_version", lambda: "the next release")
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert len(papers_loaded(queries.captured_queries)) == 1  # one query for both papers
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert papers_loaded(queries.captured_queries) == []
