"""The paper list: every facet, sort, grouping, pagination and bad input, as rendered."""

import datetime

import pytest
from django.urls import reverse

from publications.exports import FORMATS
from publications.models import Publication
from tests.factories import (
    AuthorshipFactory,
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

from .page import main_text, page

pytestmark = pytest.mark.django_db

URL = reverse("publications:list")


def titles(response):
    return [h.text for h in page(response).find_all(cls="paper-title")]


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def papers(db):
    ada = PersonFactory(name="Ada Lovelace", slug="ada")
    topic = TopicFactory(name="Interpretability", slug="interpretability")
    old = PublicationFactory(
        title="Old preprint",
        abstract="An early draft posted for feedback.",
        published_on=datetime.date(2018, 3, 1),
        kind=Publication.Kind.PREPRINT,
        arxiv_primary_category="cs.LG",
        citation_count=5,
        venue="",
    )
    mid = PublicationFactory(
        title="Middle conference paper",
        abstract="Results presented at a workshop.",
        published_on=datetime.date(2021, 6, 1),
        kind=Publication.Kind.CONFERENCE_PAPER,
        arxiv_primary_category="cs.CL",
        citation_count=50,
        venue="NeurIPS",
        code_url="https://github.com/example/mid",
        is_featured=True,
    )
    new = PublicationFactory(
        title="A new journal article",
        abstract="A longer version with proofs.",
        published_on=datetime.date(2024, 9, 1),
        kind=Publication.Kind.JOURNAL_ARTICLE,
        arxiv_primary_category="cs.AI",
        citation_count=None,
        venue="JMLR",
    )
    AuthorshipFactory(publication=mid, position=1, name="Ada Lovelace", person=ada)
    AuthorshipFactory(publication=new, position=1, name="Someone Else")
    mid.topics.add(topic)
    return {"old": old, "mid": mid, "new": new, "ada": ada, "topic": topic}


def test_default_order_is_newest_first(client, papers):
    assert titles(get(client)) == [
        "A new journal article",
        "Middle conference paper",
        "Old preprint",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["A new journal article", "Middle conference paper", "Old preprint"]),
        ("oldest", ["Old preprint", "Middle conference paper", "A new journal article"]),
        ("cited", ["Middle conference paper", "Old preprint", "A new journal article"]),
        ("title", ["A new journal article", "Middle conference paper", "Old preprint"]),
    ],
)
def test_sorting(client, papers, sort, expected):
    response = get(client, sort=sort)
    assert titles(response) == expected
    assert (
        page(response).find("select", id="pf-sort").find("option", value=sort).get("selected")
        is not None
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year_min": "2020"}, ["A new journal article", "Middle conference paper"]),
        ({"year_max": "2021"}, ["Middle conference paper", "Old preprint"]),
        ({"year_min": "2019", "year_max": "2022"}, ["Middle conference paper"]),
        ({"kind": "conference_paper"}, ["Middle conference paper"]),
        ({"category": "cs.LG"}, ["Old preprint"]),
        ({"category": "CS.lg"}, ["Old preprint"]),
        ({"author": "ada"}, ["Middle conference paper"]),
        ({"topic": "interpretability"}, ["Middle conference paper"]),
        ({"venue": "jmlr"}, ["A new journal article"]),
        ({"has_code": "true"}, ["Middle conference paper"]),
        ({"has_code": "false"}, ["A new journal article", "Old preprint"]),
        ({"featured": "true"}, ["Middle conference paper"]),
        ({"kind": "preprint", "year_min": "2020"}, []),
    ],
)
def test_each_facet_narrows_the_list(client, papers, params, expected):
    response = get(client, **params)
    assert titles(response) == expected
    if not expected:
        assert "No papers match these filters." in main_text(response)


def test_active_filters_show_as_chips_that_remove_one_filter(client, papers):
    response = get(client, kind="conference_paper", author="ada")
    chips = page(response).find("ul", cls="chips")
    texts = [li.text for li in chips.find_all("li", cls="chip")]
    assert "Kind: Conference paper ×" in texts
    assert "Author: Ada Lovelace ×" in texts
    remove_author = chips.find("a", **{"aria-label": "Remove filter Author: Ada Lovelace"})
    assert remove_author["href"] == f"{URL}?kind=conference_paper"


def test_facet_options_show_counts_and_category_names(client, papers):
    doc = page(get(client))
    kinds = [o.text for o in doc.find("select", id="pf-kind").find_all("option")]
    assert "Preprint (1)" in kinds and "Conference paper (1)" in kinds
    categories = [o.text for o in doc.find("select", id="pf-category").find_all("option")]
    assert "LG · Machine Learning (1)" in categories
    authors = [o.text for o in doc.find("select", id="pf-author").find_all("option")]
    assert authors == ["Anyone", "Ada Lovelace (1)"]
    venues = [o.text for o in doc.find("select", id="pf-venue").find_all("option")]
    assert venues == ["Any venue", "JMLR (1)", "NeurIPS (1)"]


def test_search_box_narrows_the_list(client, papers):
    assert titles(get(client, q="conference")) == ["Middle conference paper"]
    assert titles(get(client, q="Lovelace")) == ["Middle conference paper"]


@pytest.mark.parametrize(
    ("group", "headings"),
    [
        ("year", ["2024 1", "2021 1", "2018 1"]),
        ("kind", ["Journal article 1", "Conference paper 1", "Preprint 1"]),
    ],
)
def test_grouping(client, papers, group, headings):
    response = get(client, group=group)
    assert [h.text for h in page(response).find_all("h2", cls="group-heading")] == headings


def test_grouping_by_year_follows_the_sort(client, papers):
    response = get(client, group="year", sort="oldest")
    headings = [h.text.split()[0] for h in page(response).find_all("h2", cls="group-heading")]
    assert headings == ["2018", "2021", "2024"]


def test_grouping_keeps_rows_of_a_year_together_with_another_sort(client, papers):
    PublicationFactory(title="Zeta 2024", published_on=datetime.date(2024, 1, 1), citation_count=99)
    response = get(client, group="year", sort="cited")
    doc = page(response)
    headings = [h.text.split()[0] for h in doc.find_all("h2", cls="group-heading")]
    assert headings == ["2024", "2021", "2018"]
    assert titles(response)[:2] == ["Zeta 2024", "A new journal article"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "novel"}, "Kind: “novel” was not understood."),
        ({"year_min": "twenty"}, "From year: “twenty” was not understood."),
        ({"year_min": "99999999"}, "From year: “99999999” was not understood."),
        ({"year_max": "-5"}, "To year: “-5” was not understood."),
        ({"year_min": "2023.5"}, "From year: “2023.5” was not understood."),
        ({"author": "nobody-at-all"}, "Author: “nobody-at-all” was not understood."),
        ({"topic": "x" * 500}, "Topic: “" + "x" * 40 + "…” was not understood."),
        ({"sort": "random"}, "Sort: “random” was not understood."),
        ({"category": "c" * 200}, "arXiv category: “" + "c" * 40 + "…” was not understood."),
    ],
)
def test_invalid_filter_values_give_a_clear_message_not_an_error(client, papers, params, message):
    response = get(client, **params)
    errors = page(response).find(cls="errors")
    assert errors is not None
    assert message in errors.text
    assert titles(response) == []


def test_unknown_grouping_falls_back_with_a_message(client, papers):
    response = get(client, group="colour")
    assert "Group by: “colour” is not an option" in main_text(response)
    assert len(titles(response)) == 3


def test_unknown_parameters_are_ignored(client, papers):
    assert len(titles(get(client, utm_source="newsletter"))) == 3


@pytest.fixture
def many_papers(db):
    for n in range(60):
        PublicationFactory(
            title=f"Paper {n:02d}",
            kind=Publication.Kind.REPORT,
            published_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=n),
        )


def test_pagination_keeps_the_filters_and_marks_next_and_prev(client, many_papers):
    PublicationFactory(title="Not a report", kind=Publication.Kind.BOOK)
    response = get(client, kind="report", sort="oldest", page="2")
    doc = page(response)
    assert titles(response)[0] == "Paper 25"
    next_link = doc.find("a", rel="next")
    prev_link = doc.find("a", rel="prev")
    # Parameters in their canonical (sorted) order, the form the page cache keeps.
    assert next_link["href"] == "?kind=report&page=3&sort=oldest"
    assert prev_link["href"] == "?kind=report&sort=oldest"
    third = client.get(URL + next_link["href"])
    assert titles(third) == [f"Paper {n}" for n in range(50, 60)]
    assert page(third).find("a", rel="next") is None


@pytest.mark.parametrize("number", ["999", "99999999999999999999999999", "1" * 5000])
def test_huge_page_numbers_show_the_last_page_with_a_notice(client, many_papers, number):
    response = get(client, page=number)
    assert titles(response)[0] == "Paper 09"
    text = main_text(response)
    assert "this list has 3 pages, and the last one is shown" in text
    # Never a page number the visitor did not ask for.
    asked = f"{int(number):,}" if len(number) <= 15 else "that far"
    assert f"There is no page {asked}:" in text


@pytest.mark.parametrize("number", ["abc", "0", "-1", "2.5", "٣"])
def test_page_values_that_are_not_page_numbers_show_the_first_page(client, many_papers, number):
    response = get(client, page=number)
    assert titles(response)[0] == "Paper 59"
    assert "is not a page number, so the first page is shown" in main_text(response)


def test_empty_list_has_a_message(client, db):
    response = get(client)
    assert titles(response) == []
    assert "No papers match these filters." in main_text(response)


def test_paper_row_shows_marks_affiliations_and_buttons(client, db):
    org = OrganizationFactory(name="Stanford University", short_name="Stanford")
    paper = PublicationFactory(
        title="Marked paper",
        arxiv_id="2401.05566",
        doi="10.1000/xyz",
        pdf_url="https://example.org/paper.pdf",
        code_url="https://github.com/example/code",
    )
    first = AuthorshipFactory(
        publication=paper, position=1, name="Equal One", is_equal_contribution=True
    )
    first.affiliations.add(org)
    AuthorshipFactory(publication=paper, position=2, name="Equal Two", is_equal_contribution=True)
    AuthorshipFactory(publication=paper, position=3, name="Corresponding", is_corresponding=True)
    row = page(get(client)).find(cls="paper")
    authors = row.find(cls="authors")
    assert "Equal One* (equal contribution)" in authors.text
    assert "Corresponding✉ (corresponding author)" in authors.text
    assert row.find(cls="institutions").text == "· Stanford"
    # The link buttons; the "Cite" toggle's file links have their own test below.
    buttons = {a.text: a["href"] for a in row.find(cls="paper-actions").find_all("a", cls="button")}
    assert buttons == {
        "PDF": "https://example.org/paper.pdf",
        "arXiv": "https://arxiv.org/abs/2401.05566",
        "DOI": "https://doi.org/10.1000/xyz",
        "Code": "https://github.com/example/code",
    }
    assert row.find("details", cls="toggle").find("summary").text == "Abstract"


def test_long_author_lists_fold_behind_a_toggle(client, db):
    paper = PublicationFactory(title="Big collaboration")
    for position in range(1, 11):
        AuthorshipFactory(publication=paper, position=position, name=f"Author {position}")
    authors = page(get(client)).find(cls="authors")
    shown = [span.text for span in authors.children if getattr(span, "tag", "") == "span"]
    assert shown == ["Author 1", "Author 2", "Author 3"]
    more = authors.find("details", cls="more-authors")
    assert more.find("summary").text == "+7 more authors"
    assert "Author 10" in more.text


def test_source_truncated_author_lists_say_et_al(client, db):
    paper = PublicationFactory(title="Truncated", has_more_authors=True)
    AuthorshipFactory(publication=paper, position=1, name="First Author")
    authors = page(get(client)).find(cls="authors")
    assert authors.text == "First Author et al."
    assert authors.find("details") is None


@pytest.mark.parametrize(
    "url",
    [
        lambda _: reverse("publications:list"),
        lambda _: reverse("site:home"),
        lambda _: reverse("people:detail", kwargs={"slug": "evan-hubinger"}),
    ],
    ids=["list", "home", "profile"],
)
def test_every_paper_row_offers_cite_with_links_to_its_files(client, demo, url):
    doc = page(client.get(url(None)))
    rows = [r for r in doc.find_all("li", cls="paper") if r.find(cls="paper-title")]
    assert rows
    for row in rows:
        paper = Publication.objects.get(title=row.find(cls="paper-title").text)
        cite = row.find("details", cls="cite-toggle")
        assert cite.find("summary").text == "Cite"
        links = {a.text.split(" (")[0]: a["href"] for a in cite.find_all("a")}
        files = {fmt: reverse("publications:cite", args=[paper.slug, fmt]) for fmt in FORMATS}
        # Without JavaScript: the files themselves.
        assert links == {"BibTeX": files["bib"], "RIS": files["ris"], "CSL-JSON": files["json"]}
        # With it: Copy buttons (hidden until copy.js shows them) fetching the same files.
        buttons = {b.text: b for b in cite.find_all("button")}
        assert set(buttons) == {"Copy BibTeX", "Copy RIS"}
        assert buttons["Copy BibTeX"]["data-copy-url"] == files["bib"]
        assert buttons["Copy RIS"]["data-copy-url"] == files["ris"]
        assert all("hidden" in b.attrs for b in buttons.values())
    assert any("js/copy" in (s.attrs.get("src") or "") for s in doc.find_all("script"))
