"""The editor's admin in a real browser, at a desktop and a phone width: chips for
keywords, rows added to the citations table, author rows that fit, a dashboard that does
not overflow a phone, and the same forms without JavaScript."""

import pytest
from django.urls import reverse

from publications.models import Authorship, Publication
from tests.factories import PersonFactory, PublicationFactory, SuperuserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
OVERFLOW = "el => el.scrollWidth - el.clientWidth"


def logged_in(open_tab, viewport="desktop", *, javascript=True):
    SuperuserFactory(username="ada", password=PASSWORD)
    tab = open_tab(viewport, javascript=javascript)
    tab.goto(reverse("admin:login"))
    tab.page.fill("#id_username", "ada")
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url("**" + reverse("admin:index"))
    return tab


@pytest.fixture
def paper(db):
    paper = PublicationFactory(
        keywords=["alignment", "evaluations"], citations_by_year={"2024": 3}, authors=3
    )
    PersonFactory(name="Jane Coauthor", name_variants="A. Coauthor")
    return paper


def test_chips_and_rows_with_javascript(open_tab, paper):
    tab = logged_in(open_tab)
    tab.goto(reverse("admin:publications_publication_change", args=[paper.pk]))
    page = tab.page
    box = page.locator(".field-keywords .tag-typing")
    box.fill("interpretability")
    box.press("Enter")  # adds a chip; does not submit the form
    chips = page.locator(".field-keywords li.tag")
    assert chips.evaluate_all("els => els.map(el => el.firstChild.textContent)") == [
        "alignment",
        "evaluations",
        "interpretability",
    ]
    page.locator(".field-keywords button[aria-label='Remove evaluations']").click()
    page.locator("summary", has_text="Citations").click()  # a collapsed fieldset
    page.locator(".field-citations_by_year button.pairs-add").click()
    page.locator("input[name=citations_by_year_key]").last.fill("2025")
    page.locator("input[name=citations_by_year_value]").last.fill("9")
    # A new author row, its name typed and no person chosen.
    page.locator("#authorships-group .add-row a").click()
    page.locator("#authorships-group tr.dynamic-authorships input[name$=-position]").last.fill("4")
    page.locator("#authorships-group tr.dynamic-authorships input[name$=-name]").last.fill(
        "A. Coauthor"
    )
    page.click("input[name=_continue]")
    page.wait_for_load_state("load")
    assert "Linked “A. Coauthor” to Jane Coauthor." in page.content()
    stored = Publication.objects.get(pk=paper.pk)
    assert stored.keywords == ["alignment", "interpretability"]
    assert stored.citations_by_year == {"2024": 3, "2025": 9}
    assert Authorship.objects.get(publication=paper, position=4).person.name == "Jane Coauthor"
    tab.assert_no_errors()


def test_author_rows_fit_a_desktop_screen(open_tab, paper):
    tab = logged_in(open_tab)
    tab.goto(reverse("admin:publications_publication_change", args=[paper.pk]))
    wrapper = tab.page.locator("#authorships-group .wrapper")
    assert wrapper.evaluate(OVERFLOW) <= 0  # nothing to scroll sideways
    for name in ("is_equal_contribution", "is_corresponding"):
        box = tab.page.locator(f"#authorships-group td.field-{name} input").first.bounding_box()
        assert box["x"] + box["width"] <= 1280


def test_the_dashboard_and_author_rows_on_a_phone(open_tab, paper):
    tab = logged_in(open_tab, "phone")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 360
    tab.goto(reverse("admin:publications_publication_change", args=[paper.pk]))
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 360
    # Each author row is a block of fields, each under its column's heading.
    assert tab.page.locator("#authorships-group.labelled").count() == 1
    cell = tab.page.locator("#authorships-group td.field-is_corresponding").first
    assert cell.get_attribute("data-label") == "Corresponding author"
    assert tab.page.locator("#authorships-group .wrapper").evaluate(OVERFLOW) <= 0
    tab.assert_no_errors()


def test_the_same_form_without_javascript(open_tab, paper):
    tab = logged_in(open_tab, javascript=False)
    tab.goto(reverse("admin:publications_publication_change", args=[paper.pk]))
    page = tab.page
    keywords = page.locator("input[name=keywords]")
    assert keywords.get_attribute("type") == "text"
    assert keywords.input_value() == "alignment, evaluations"
    keywords.fill("alignment, safety cases")
    page.locator("summary", has_text="Citations").click()  # <details>: no script needed
    page.locator("input[name=citations_by_year_key]").nth(1).fill("2025")
    page.locator("input[name=citations_by_year_value]").nth(1).fill("4")
    page.click("input[name=_continue]")
    page.wait_for_load_state("load")
    stored = Publication.objects.get(pk=paper.pk)
    assert stored.keywords == ["alignment", "safety cases"]
    assert stored.citations_by_year == {"2024": 3, "2025": 4}
