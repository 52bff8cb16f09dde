"""Printing a profile: what the screen folds is on paper (every co-author, every author
of a paper), in the print stylesheet alone (JavaScript off) and with site.js."""

import pytest

from profiles.models import Person
from tests.factories import AuthorshipFactory, PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_author_list(demo):
    evan = Person.objects.get(slug="evan-hubinger")
    paper = PublicationFactory(title="A paper with many authors")
    for position in range(1, 9):
        AuthorshipFactory(
            publication=paper,
            position=position,
            name="Evan Hubinger" if position == 1 else f"Folded Author {position}",
            person=evan if position == 1 else None,
        )
    return paper


def visible_names(page, selector):
    return page.locator(selector).evaluate_all(
        "nodes => nodes.filter(n => n.checkVisibility()).map(n => n.textContent.trim())"
    )


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_printed_profile_shows_every_coauthor_and_author(long_author_list, open_tab, javascript):
    tab = open_tab("desktop", javascript=javascript)
    tab.goto("/people/evan-hubinger/")
    page = tab.page
    folded = page.locator("details.more-coauthors li")
    assert folded.count() > 0
    # On screen the folds are closed: the rest of the co-authors is hidden.
    assert not folded.first.is_visible()
    assert not page.locator("#publications").get_by_text("Folded Author 8").is_visible()

    page.emulate_media(media="print")
    if javascript:
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")

    assert folded.count() == len(visible_names(page, "details.more-coauthors li"))
    for n in range(2, 9):
        assert page.locator("#publications").get_by_text(f"Folded Author {n}").is_visible()
    assert not page.get_by_text("Show all").is_visible()
    assert not page.locator("details.more-authors > summary").first.is_visible()

    if javascript:  # afterwards the screen is as it was
        page.emulate_media(media="screen")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        assert not folded.first.is_visible()
    tab.assert_no_errors()
