"""Re-importing a file skips records already merged with no effect, but only while
nothing else changed: an edit, a new person or another import makes them merge again."""

import json

import pytest
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
    from publications.importing import reimport

    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    monkeypatch.setattr(reimport, "code_version", lambda: "the next release")
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert len(papers_loaded(queries.captured_queries)) == 1  # one query for both papers
    with CaptureQueriesContext(connection) as queries:
        assert counts(run_import("--json", path)) == (0, 0, 2)
    assert papers_loaded(queries.captured_queries) == []


@pytest.fixture
def built(monkeypatch):
    """The entry keys of the BibTeX records built from here on."""
    from publications.importing import bibtex

    keys = []
    build_record = bibtex.build_record

    def counting(entry_type, key, *args):
        keys.append(key)
        return build_record(entry_type, key, *args)

    monkeypatch.setattr(bibtex, "build_record", counting)
    return keys


def test_known_entries_are_not_even_built_and_warn_the_same(run_import, tmp_path, built):
    path = tmp_path / "papers.bib"
    path.write_text(
        BIB
        + "@thing{three, title={Odd Type}, journal=undefinedmacro, year=2022, doi={10.1000/3}}\n"
        + "@article{noid, title={No Identifier}, author={Anna Nobody}, year=2021}\n"
    )
    first = json.loads(run_import("--json", path).out)
    assert (first["created"], first["updated"], first["unchanged"]) == (4, 0, 0)
    built.clear()
    second = json.loads(run_import("--json", path).out)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 4)
    # Found by their identifiers alone: not built. Without one: built, then skipped.
    assert built == ["noid"]
    assert second["warnings"] == first["warnings"]
    assert any("unknown entry type @thing" in w["message"] for w in second["warnings"])
    assert any("undefinedmacro" in w["message"] for w in second["warnings"])


def test_a_known_entry_is_merged_after_all_when_its_paper_changed_in_the_run(
    run_import, tmp_path, built
):
    path = tmp_path / "papers.bib"
    path.write_text(BIB)
    run_import("--json", path)
    changed = BIB.replace("year=2023,", "year=2023, pages={1--9},").replace("{two,", "{two2,")
    path.write_text(changed + BIB)  # the changed entry first, then the known one again
    built.clear()
    assert counts(run_import("--json", path)) == (0, 1, 3)
    # "two" (known) came after "two2" changed its paper: it was built and merged after
    # all. "one", twice, is known and its paper untouched: never built.
    assert built == ["two2", "two"]
    assert Publication.objects.get(doi="10.1000/two").pages == "1–9"


def test_an_entry_whose_identifiers_are_not_all_its_papers_is_built(run_import, tmp_path, built):
    """A record that reached its paper by one identifier while naming another that the
    paper does not hold could find a different paper once that identifier is taken:
    such records are always built and looked up (and skipped only after that)."""
    first, second = tmp_path / "first.bib", tmp_path / "second.bib"
    first.write_text("@article{a, title={T}, doi={10.1000/a}, eprint={2101.00001}, year=2021}\n")
    second.write_text("@article{r, title={T}, doi={10.1000/b}, eprint={2101.00001}, year=2021}\n")
    run_import("--json", first)
    assert counts(run_import("--json", second)) == (0, 0, 1)
    built.clear()
    assert counts(run_import("--json", second)) == (0, 0, 1)
    assert built == ["r"]
