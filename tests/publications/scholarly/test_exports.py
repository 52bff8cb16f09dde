"""Citation downloads: one paper, a filtered list, a person's list."""

import datetime
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.test import Client
from django.urls import reverse

from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory

from .conftest import TRICKY_TITLE, make_paper

pytestmark = pytest.mark.django_db


def bib_titles(response):
    library = bibtexparser.parse_string(
        response.content.decode(), append_middleware=[LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks
    return [entry["title"] for entry in library.entries]


def ris_titles(response):
    return [entry["title"] for entry in rispy.loads(response.content.decode())]


def csl_titles(response):
    return [item["title"] for item in json.loads(response.content)]


TITLES = {"bib": bib_titles, "ris": ris_titles, "json": csl_titles}
TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


def cite_url(paper, fmt):
    return reverse("publications:cite", kwargs={"slug": paper.slug, "fmt": fmt})


def export_url(fmt, query=""):
    url = reverse("publications:export", kwargs={"fmt": fmt})
    return f"{url}?{query}" if query else url


def person_url(person, fmt):
    return reverse("people:export", kwargs={"slug": person.slug, "fmt": fmt})


class TestOnePaper:
    @pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
    def test_download_parses_back(self, client, fmt):
        paper = make_paper(title=TRICKY_TITLE, slug="tricky")
        response = client.get(cite_url(paper, fmt))
        assert response.status_code == 200
        assert response["Content-Type"] == TYPES[fmt]
        assert response["Content-Disposition"] == f'attachment; filename="tricky.{fmt}"'
        assert TITLES[fmt](response) == [TRICKY_TITLE]

    def test_ris_starts_with_its_type_line(self, client):
        # rispy numbers records with a "1." line of its own; RIS files start with TY.
        paper = make_paper()
        body = client.get(cite_url(paper, "ris")).content.decode()
        assert body.startswith("TY  - ")
        assert body.splitlines()[-1] == "ER  - "

    def test_draft_is_404_for_visitors_and_downloadable_by_staff(self, client, staff_client):
        draft = make_paper(is_published=False)
        assert Client().get(cite_url(draft, "bib")).status_code == 404
        assert staff_client.get(cite_url(draft, "bib")).status_code == 200

    def test_unknown_format_and_slug_are_404(self, client):
        paper = make_paper()
        assert client.get(cite_url(paper, "docx")).status_code == 404
        assert client.get(reverse("publications:cite", args=["nope", "bib"])).status_code == 404

    def test_fixed_queries(self, client, django_assert_num_queries):
        paper = make_paper(authors=[f"Author {n}" for n in range(30)])
        with django_assert_num_queries(2):  # the paper, its authors
            assert client.get(cite_url(paper, "bib")).status_code == 200


class TestFilteredList:
    @pytest.fixture
    def papers(self, db):
        ada = PersonFactory(slug="ada", name="Ada Lovelace")
        preprint = make_paper(title="Preprint by Ada", kind="preprint", authors=[("Ada L.", ada)])
        article = make_paper(title="Article by Ada", kind="journal_article", authors=[("Ada", ada)])
        other = make_paper(title="Preprint by Bob", kind="preprint", authors=["Bob"])
        draft = make_paper(title="Draft by Ada", kind="preprint", authors=[("Ada", ada)])
        draft.is_published = False
        draft.save()
        return {"preprint": preprint, "article": article, "other": other, "draft": draft}

    @pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
    def test_export_holds_exactly_the_filtered_papers(self, client, papers, fmt):
        response = client.get(export_url(fmt, "author=ada&kind=preprint"))
        assert response.status_code == 200
        assert response["Content-Type"] == TYPES[fmt]
        assert TITLES[fmt](response) == ["Preprint by Ada"]

    @pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
    def test_unfiltered_export_has_every_published_paper_and_no_draft(self, client, papers, fmt):
        titles = TITLES[fmt](client.get(export_url(fmt)))
        assert sorted(titles) == ["Article by Ada", "Preprint by Ada", "Preprint by Bob"]

    def test_staff_exports_leave_drafts_out_too(self, staff_client, papers):
        assert "Draft by Ada" not in bib_titles(staff_client.get(export_url("bib")))

    def test_export_is_not_paginated_and_keeps_the_list_order(self, client):
        for n in range(60):
            PublicationFactory(title=f"Paper {n:02d}", published_on=datetime.date(2000 + n, 1, 1))
        titles = csl_titles(client.get(export_url("json", "sort=oldest&page=2")))
        assert titles == [f"Paper {n:02d}" for n in range(60)]

    def test_invalid_filter_is_a_clear_400(self, client, papers):
        response = client.get(export_url("bib", "kind=poem&year_min=abc"))
        assert response.status_code == 400
        text = response.content.decode()
        assert "not understood" in text and "poem" in text

    def test_queries_do_not_grow_with_papers(self, client, django_assert_max_num_queries):
        for _ in range(40):
            PublicationFactory(authors=4)
        with django_assert_max_num_queries(3):
            response = client.get(export_url("ris"))
        assert len(ris_titles(response)) == 40
        body = response.content.decode()
        assert body.startswith("TY  - ")
        # records are separated by one blank line, with no numbered header lines
        assert body.count("\nER  - \n\nTY  - ") == 39
        assert not any(line.rstrip(".").isdigit() for line in body.splitlines())


class TestPersonList:
    def test_whole_list_newest_first_without_drafts(self, client):
        ada = PersonFactory(slug="ada")
        for year, published in [(2020, True), (2024, True), (2022, False)]:
            paper = PublicationFactory(
                title=f"Ada {year}", published_on=datetime.date(year, 1, 1), is_published=published
            )
            AuthorshipFactory(publication=paper, position=1, person=ada)
        PublicationFactory(title="Someone else's")
        response = client.get(person_url(ada, "bib"))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="ada-publications.bib"'
        assert bib_titles(response) == ["Ada 2024", "Ada 2020"]

    def test_draft_person_is_404(self, client):
        person = PersonFactory(is_published=False)
        assert client.get(person_url(person, "ris")).status_code == 404

    def test_fixed_queries(self, client, django_assert_max_num_queries):
        ada = PersonFactory(slug="ada")
        for _ in range(25):
            paper = PublicationFactory(authors=3)
            AuthorshipFactory(publication=paper, position=10, person=ada)
        with django_assert_max_num_queries(3):
            response = client.get(person_url(ada, "json"))
        assert len(csl_titles(response)) == 25
