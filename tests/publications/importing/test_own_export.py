"""Re-importing this site's own citation files (cite.bib / .ris / .json) keeps a paper's
link: the site's own page, written as the link of last resort, is never imported as the
paper's URL."""

import pytest
from django.urls import reverse

from publications.importing.detect import Source
from publications.importing.service import import_papers
from publications.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db

EXTERNAL = "https://example.org/papers/monosemanticity"


def export(client, paper, fmt):
    response = client.get(reverse("publications:cite", kwargs={"slug": paper.slug, "fmt": fmt}))
    assert response.status_code == 200
    return response.content


def reimport(data, fmt):
    result = import_papers([Source(name=f"cite.{fmt}", data=data)], overwrite=True)
    assert result.ok, result.errors
    return result


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_reimporting_an_export_made_before_the_url_was_set_keeps_the_url(client, fmt):
    paper = PublicationFactory(title="Engineering Monosemanticity in Toy Models", authors=2)
    data = export(client, paper, fmt)  # no link of its own yet: the file names our page
    assert b"http://testserver/publications/" in data
    Publication.objects.filter(pk=paper.pk).update(url=EXTERNAL)

    result = reimport(data, fmt)

    paper.refresh_from_db()
    assert paper.url == EXTERNAL
    assert result.created == 0
    assert Publication.objects.count() == 1


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_reimporting_an_export_with_the_external_url_keeps_it(client, fmt):
    paper = PublicationFactory(title="Engineering Monosemanticity in Toy Models", url=EXTERNAL)
    data = export(client, paper, fmt)

    reimport(data, fmt)

    paper.refresh_from_db()
    assert paper.url == EXTERNAL


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_a_paper_without_a_link_does_not_get_its_own_page_as_url(client, fmt):
    paper = PublicationFactory(title="Engineering Monosemanticity in Toy Models", authors=2)
    data = export(client, paper, fmt)

    reimport(data, fmt)

    paper.refresh_from_db()
    assert paper.url == ""


def test_the_dropped_link_is_named_in_a_warning(client):
    paper = PublicationFactory(title="Engineering Monosemanticity in Toy Models", authors=2)

    result = reimport(export(client, paper, "bib"), "bib")

    assert any(
        "http://testserver/publications/" in w["message"] and "not imported" in w["message"]
        for w in result.warnings
    )


def test_the_same_path_on_another_host_is_imported_as_the_link():
    entry = (
        "@misc{k, title = {A paper elsewhere}, year = {2021},\n"
        "  url = {https://other.example.net/publications/a-paper-elsewhere/}}\n"
    )
    reimport(entry.encode(), "bib")
    assert (
        Publication.objects.get().url == "https://other.example.net/publications/a-paper-elsewhere/"
    )
