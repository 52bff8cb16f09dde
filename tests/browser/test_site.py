"""Every page type on a phone and a desktop, filters, "Load more" with JavaScript on
and off, copying a citation; no console errors and no serious or critical axe-core
violations anywhere."""

from urllib.parse import parse_qs, urlsplit

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.urls import reverse

from media_items.models import MediaItem, Outlet
from profiles.models import Organization, Person
from publications.models import Publication, Topic
from showcase.queries import ACTIVITY_PER_PAGE
from tests.factories import AuthorshipFactory, PublicationFactory

from .conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first(model, **filters):
    return model.objects.published().filter(**filters).order_by("pk").first()


PAGES = {
    "home": lambda: reverse("site:home"),
    "people": lambda: reverse("people:list"),
    "profile": lambda: first(Person, slug="evan-hubinger").get_absolute_url(),
    "organization": lambda: first(Organization, slug="anthropic").get_absolute_url(),
    "publications": lambda: reverse("publications:list"),
    "publications filtered and grouped": lambda: (
        reverse("publications:list") + "?category=cs.AI&group=kind&sort=cited"
    ),
    "publication": lambda: first(Publication, arxiv_primary_category="cs.AI").get_absolute_url(),
    "media": lambda: reverse("media:list"),
    "media item": lambda: first(MediaItem).get_absolute_url(),
    "outlet": lambda: first(Outlet).get_absolute_url(),
    "topics": lambda: reverse("topics:list"),
    "topic": lambda: first(Topic).get_absolute_url(),
    "search": lambda: reverse("site:search") + "?q=misalignment",
    "search without results": lambda: reverse("site:search") + "?q=zzzzqqq",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_works_on_phone_and_desktop(name, demo, open_tab):
    path = PAGES[name]()
    for viewport in VIEWPORTS:
        tab = open_tab(viewport)
        tab.goto(path)
        page = tab.page
        assert page.locator("h1").count() == 1, f"{name} on {viewport}: one h1"
        assert page.get_by_role("main").count() == 1
        assert page.get_by_role("banner").count() == 1
        assert page.get_by_role("contentinfo").count() == 1
        assert page.get_by_role("navigation", name="Main").count() == 1
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{name} on {viewport}: {overflow}px of horizontal scrolling"
        violations = tab.axe_violations()
        assert not violations, f"{name} on {viewport}:\n" + "\n".join(violations)
        tab.assert_no_errors()


def test_not_found_page_is_styled_and_accessible(demo, open_tab):
    tab = open_tab("phone")
    tab.allowed = ("status of 404",)  # Chromium logs the page's own 404 status
    tab.goto("/publications/no-such-paper/", status=404)
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert not tab.axe_violations()
    tab.assert_no_errors()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filtering_the_paper_list(javascript, demo, open_tab):
    tab = open_tab("desktop", javascript=javascript)
    tab.goto(reverse("publications:list"))
    page = tab.page
    page.get_by_label("arXiv category").select_option("cs.AI")
    page.get_by_label("Sort by").select_option("title")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert query["category"] == ["cs.AI"] and query["sort"] == ["title"]
    if javascript:  # empty fields are left out of a shared link
        assert all(values != [""] for values in query.values()), query
    expected = list(
        Publication.objects.published()
        .filter(arxiv_primary_category="cs.AI")
        .order_by("title")
        .values_list("title", flat=True)
    )
    titles = page.locator("main .paper-title").all_inner_texts()
    assert [t.strip() for t in titles] == expected
    # The list's exports hold exactly what it shows.
    href = page.get_by_role("link", name="BibTeX").get_attribute("href")
    assert parse_qs(urlsplit(href).query)["category"] == ["cs.AI"]
    tab.assert_no_errors()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_load_more_on_the_profile_timeline(javascript, demo, open_tab):
    evan = Person.objects.get(slug="evan-hubinger")
    for _ in range(2 * ACTIVITY_PER_PAGE):  # enough for three pages of activity
        AuthorshipFactory(publication=PublicationFactory(), position=1, person=evan)
    tab = open_tab("phone", javascript=javascript)
    tab.goto(evan.get_absolute_url())
    page = tab.page
    entries = page.locator("#activity-list > li")
    assert entries.count() == ACTIVITY_PER_PAGE
    if javascript:
        address = page.url
        page.get_by_role("link", name="Load more").click()
        page.wait_for_function(
            f"() => document.querySelectorAll('#activity-list > li').length > {ACTIVITY_PER_PAGE}"
        )
        # Appended in place: the same document, the address updated to match.
        assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
        assert page.url != address and "activity=2" in page.url
    else:
        with page.expect_navigation():
            page.get_by_role("link", name="Load more").click()
        assert "activity=2" in page.url
    assert entries.count() == 2 * ACTIVITY_PER_PAGE
    titles = entries.locator(".what a").all_inner_texts()
    assert len(set(titles)) == len(titles), "no entry is shown twice"
    tab.assert_no_errors()


def test_copy_bibtex_and_citation(demo, open_tab):
    paper = first(Publication, arxiv_primary_category="cs.AI")
    tab = open_tab("desktop", permissions=("clipboard-read", "clipboard-write"))
    tab.goto(paper.get_absolute_url())
    page = tab.page
    page.get_by_role("button", name="Copy BibTeX").click()
    page.get_by_text("BibTeX copied.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    library = bibtexparser.parse_string(copied, append_middleware=[LatexDecodingMiddleware()])
    [entry] = library.entries
    assert entry["title"] == paper.title
    assert entry["year"] == str(paper.year)

    page.get_by_role("button", name="Copy citation").click()
    page.get_by_text("Citation copied.").wait_for()
    reference = page.evaluate("() => navigator.clipboard.readText()")
    assert paper.title in reference and f"({paper.year})" in reference
    tab.assert_no_errors()


def test_copy_buttons_are_hidden_without_javascript(demo, open_tab):
    paper = first(Publication)
    tab = open_tab("phone", javascript=False)
    tab.goto(paper.get_absolute_url())
    assert not tab.page.get_by_role("button", name="Copy BibTeX").is_visible()
    # The text is there to select, and the files to download.
    assert "@" in tab.page.locator("pre.cite-bibtex").inner_text()
    assert tab.page.get_by_role("link", name="RIS").is_visible()


def test_the_harness_catches_console_errors_and_axe_violations(open_tab):
    """The checks above can fail: a console error and a missing alt text are caught."""
    tab = open_tab("desktop")
    tab.page.set_content(
        '<html lang="en"><body><main><h1>x</h1><img src="data:image/gif;base64,'
        'R0lGODlhAQABAAAAACw=">'
        "<script>console.error('boom')</script></main></body></html>"
    )
    assert any("boom" in error for error in tab.errors)
    assert any(v.startswith("image-alt") for v in tab.axe_violations())
