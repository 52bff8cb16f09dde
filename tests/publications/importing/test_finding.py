"""Finding a record's paper: identifiers first, then title and year."""

import datetime

import pytest

from publications.importing.finding import PaperIndex, same_paper_by_title
from publications.importing.records import PaperRecord
from publications.importing.reimport import Fingerprints
from tests.factories import PublicationFactory


def record(year=None, **values):
    published_on = datetime.date(year, 1, 1) if year else None
    return PaperRecord(title="A Paper", published_on=published_on, **values)


def test_same_title_needs_the_same_year_or_versions_close_in_time():
    assert same_paper_by_title(record(2024), 2024, "journal_article", "", "")
    assert not same_paper_by_title(record(2024), 2023, "journal_article", "", "")
    assert same_paper_by_title(record(2024, kind="preprint"), 2022, "journal_article", "", "")
    assert not same_paper_by_title(record(2024, kind="preprint"), 2021, "journal_article", "", "")
    assert same_paper_by_title(record(), None, "other", "", "")
    assert not same_paper_by_title(record(2024), None, "other", "", "")


def test_two_dois_or_arxiv_ids_are_never_one_paper():
    assert not same_paper_by_title(record(2024, doi="10.1/a"), 2024, "", "10.1/b", "")
    # a preprint server's DOI does not count against it
    assert same_paper_by_title(record(2024, doi="10.1101/a"), 2024, "", "10.1/b", "")
    assert not same_paper_by_title(record(2024, arxiv_id="2401.1"), 2024, "", "", "2401.2")


@pytest.mark.django_db
def test_index_finds_by_identifier_then_title():
    by_doi = PublicationFactory(title="One", doi="10.1/ONE", published_on=datetime.date(2024, 1, 1))
    by_title = PublicationFactory(title="Two: A Study", published_on=datetime.date(2024, 5, 1))
    index = PaperIndex(Fingerprints(None, enabled=False))
    assert index.find(PaperRecord(title="x", doi="10.1/one"), "x") == (by_doi.pk, "DOI", [])
    two = PaperRecord(title="two a study", published_on=datetime.date(2024, 1, 1))
    assert index.find(two, "twoastudy") == (by_title.pk, "title and year", [])
    both = PaperRecord(title="Two: A Study", doi="10.1/one", semantic_scholar_id="")
    assert index.find(both, "twoastudy")[0] == by_doi.pk
    assert index.find(PaperRecord(title="Three"), "three") == (None, "", [])
    assert by_doi.slug in index.slugs
