"""The merge rules as plain functions: which source wins each field, and the author list."""

import datetime
from types import SimpleNamespace

from publications.importing import rules
from publications.importing.records import AuthorRecord, PaperRecord
from publications.importing.targets import AuthorRow

TODAY = datetime.date(2026, 1, 2)


def paper(**values):
    defaults = {
        "title": "",
        "kind": "other",
        "published_on": None,
        "date_precision": "day",
        "doi": "",
        "arxiv_id": "",
        "arxiv_version": None,
        "semantic_scholar_id": "",
        "openalex_id": "",
        "keywords": [],
        "arxiv_categories": [],
        "citation_count": None,
        "citation_source": "",
        "citation_count_as_of": None,
        "citations_by_year": {},
        "has_more_authors": False,
        "source_record": {},
        **{name: "" for name in rules.TEXT_FIELDS if name != "title"},
    }
    return SimpleNamespace(**{**defaults, **values})


def updater(pub):
    changes = {}

    def update(name, value):
        if getattr(pub, name) != value:
            changes[name] = (getattr(pub, name), value)
            setattr(pub, name, value)

    return update, changes


def test_identifiers_fill_but_never_take_another_papers():
    pub = paper()
    record = PaperRecord(doi="10.1/a", arxiv_id="2401.00001")
    update, _ = updater(pub)
    notes = []
    added = rules.merge_identifiers(
        pub,
        record,
        update,
        edited=set(),
        overwrite=False,
        owned_by_another=lambda name, value: name == "arxiv_id",
        notes=notes,
    )
    assert added == [("doi", "10.1/a")]
    assert pub.doi == "10.1/a" and pub.arxiv_id == ""
    assert notes == ["arXiv id 2401.00001 belongs to another paper; not copied"]


def test_a_preprint_doi_gives_way_to_the_published_one():
    pub = paper(doi="10.1101/2024.01.01", kind="preprint")
    record = PaperRecord(doi="10.1038/x", kind="journal_article")
    update, _ = updater(pub)
    rules.merge_identifiers(
        pub,
        record,
        update,
        edited=set(),
        overwrite=False,
        owned_by_another=lambda *_: False,
        notes=[],
    )
    assert pub.doi == "10.1038/x"
    assert pub.source_record["previous_dois"] == ["10.1101/2024.01.01"]


def test_kind_only_grows_and_reports_the_published_version():
    pub = paper(kind="preprint")
    update, _ = updater(pub)
    assert (
        rules.merge_kind(pub, PaperRecord(kind="other"), update, edited=set(), overwrite=False)
        is False
    )
    assert pub.kind == "preprint"
    assert rules.merge_kind(
        pub, PaperRecord(kind="journal_article"), update, edited=set(), overwrite=False
    )
    assert pub.kind == "journal_article"
    edited = paper(kind="preprint")
    update, _ = updater(edited)
    rules.merge_kind(edited, PaperRecord(kind="book"), update, edited={"kind"}, overwrite=False)
    assert edited.kind == "preprint"


def test_a_date_gains_precision_in_the_same_year_only():
    pub = paper(published_on=datetime.date(2024, 1, 1), date_precision="year")
    update, _ = updater(pub)
    finer = PaperRecord(published_on=datetime.date(2024, 3, 5), date_precision="day")
    rules.merge_date(
        pub, finer, update, edited=set(), overwrite=False, published_version_arrived=False
    )
    assert (pub.published_on, pub.date_precision) == (datetime.date(2024, 3, 5), "day")
    other_year = PaperRecord(published_on=datetime.date(2025, 1, 1), date_precision="day")
    rules.merge_date(
        pub, other_year, update, edited=set(), overwrite=False, published_version_arrived=False
    )
    assert pub.published_on == datetime.date(2024, 3, 5)
    rules.merge_date(
        pub, other_year, update, edited=set(), overwrite=False, published_version_arrived=True
    )
    assert pub.published_on == datetime.date(2025, 1, 1)


def test_text_fills_empty_fields_and_overwrite_replaces():
    pub = paper(venue="Old", abstract="")
    update, _ = updater(pub)
    record = PaperRecord(venue="New", abstract="Text", keywords=["a"])
    rules.merge_text(pub, record, update, edited=set(), overwrite=False)
    assert (pub.venue, pub.abstract, pub.keywords) == ("Old", "Text", ["a"])
    rules.merge_text(pub, record, update, edited={"venue"}, overwrite=True)
    assert pub.venue == "Old"  # (the merger empties ``edited`` for overwrite)
    rules.merge_text(pub, record, update, edited=set(), overwrite=True)
    assert pub.venue == "New"


def test_citation_counts_grow_unless_their_source_corrects_them():
    pub = paper(citation_count=10, citation_source="OpenAlex")
    update, _ = updater(pub)
    lower = PaperRecord(citation_count=5, source_format="semantic_scholar")
    rules.merge_citations(pub, lower, update, edited=set(), overwrite=False, today=TODAY)
    assert pub.citation_count == 10
    correction = PaperRecord(citation_count=8, source_format="openalex")
    rules.merge_citations(pub, correction, update, edited=set(), overwrite=False, today=TODAY)
    assert (pub.citation_count, pub.citation_count_as_of) == (8, TODAY)
    by_year = PaperRecord(citations_by_year={"2025": 3, "2024": 1})
    rules.merge_citations(pub, by_year, update, edited=set(), overwrite=False, today=TODAY)
    assert list(pub.citations_by_year) == ["2024", "2025"]


def authors(*names):
    return [AuthorRecord(name=name) for name in names]


def rows(*names):
    return [AuthorRow(name=name) for name in names]


def test_author_list_choice():
    pub = paper(source_record={"authors_from": "bibtex"})
    choose = rules.author_list_choice
    same = PaperRecord(authors=authors("Esther Duflo"), source_format="crossref")
    assert choose(pub, rows("E. Duflo"), same, overwrite=False) == "enrich-names"
    weaker = PaperRecord(authors=authors("Esther Duflo"), source_format="bibtex")
    assert choose(pub, rows("E. Duflo"), weaker, overwrite=False) == "enrich"
    other = PaperRecord(authors=authors("A. B"), source_format="bibtex")
    assert choose(pub, rows("E. Duflo"), other, overwrite=False) == "keep"
    assert choose(pub, rows("E. Duflo"), other, overwrite=True) == "replace"
    assert choose(pub, [], other, overwrite=False) == "replace"
    assert choose(pub, rows("E. Duflo"), PaperRecord(), overwrite=True) == "keep"
    truncated = paper(has_more_authors=True, source_record={"authors_from": "crossref"})
    complete = PaperRecord(authors=authors("A. B", "C. D"), source_format="bibtex")
    assert choose(truncated, rows("X. Y"), complete, overwrite=False) == "replace"


def test_new_paper_values():
    record = PaperRecord(citation_count=3, source_format="openalex", categories=["cs.LG"])
    values = rules.new_paper_values(record, today=TODAY, publish=True)
    assert values["kind"] == "other" and values["is_published"] is True
    assert (values["citation_count_as_of"], values["citation_source"]) == (TODAY, "OpenAlex")
    assert values["arxiv_categories"] == ["cs.LG"]
    assert (
        rules.new_paper_values(PaperRecord(), today=TODAY, publish=False)["citation_count_as_of"]
        is None
    )
