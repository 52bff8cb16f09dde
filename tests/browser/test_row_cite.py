"""A list row's "Cite": Copy BibTeX / Copy RIS fetch the paper's files and copy them
(copy.js); without JavaScript the row links to the same files."""

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.urls import reverse

from publications.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_row(page):
    row = page.locator("ul.papers > li.paper").first
    title = row.locator(".paper-title").inner_text()
    return row, Publication.objects.get(title=title)


def test_copy_bibtex_and_ris_from_a_list_row(demo, open_tab):
    tab = open_tab("desktop", permissions=("clipboard-read", "clipboard-write"))
    tab.goto(reverse("publications:list"))
    page = tab.page
    row, paper = first_row(page)
    row.locator("details.cite-toggle > summary").click()

    row.get_by_role("button", name="Copy BibTeX").click()
    row.get_by_text("BibTeX copied.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    library = bibtexparser.parse_string(copied, append_middleware=[LatexDecodingMiddleware()])
    [entry] = library.entries
    assert entry["title"] == paper.title

    row.get_by_role("button", name="Copy RIS").click()
    row.get_by_text("RIS copied.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("TY  - ")
    assert [record["title"] for record in rispy.loads(copied)] == [paper.title]
    tab.assert_no_errors()


def test_without_javascript_a_row_links_to_the_files(demo, open_tab):
    tab = open_tab("phone", javascript=False)
    tab.goto(reverse("publications:list"))
    row, paper = first_row(tab.page)
    row.locator("details.cite-toggle > summary").click()
    assert not row.get_by_role("button", name="Copy BibTeX").is_visible()
    link = row.get_by_role("link", name="BibTeX")
    assert link.is_visible()
    assert link.get_attribute("href") == reverse("publications:cite", args=[paper.slug, "bib"])
    assert row.get_by_role("link", name="RIS").is_visible()


def test_paper_page_copies_ris_too(demo, open_tab):
    paper = Publication.objects.published().order_by("pk").first()
    tab = open_tab("desktop", permissions=("clipboard-read", "clipboard-write"))
    tab.goto(paper.get_absolute_url())
    page = tab.page
    page.get_by_role("button", name="Copy RIS").click()
    page.get_by_text("RIS copied.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert [record["title"] for record in rispy.loads(copied)] == [paper.title]
    tab.assert_no_errors()
