"""The profile page: header, computed and reported metrics, charts, publications with
filters, the author highlighted by identity, co-authors, and the activity timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from media_items.models import Appearance
from profiles.models import ProfileLink
from publications.models import Publication
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    OrganizationFactory,
    PersonFactory,
    ProfileLinkFactory,
    PublicationFactory,
    ReportedMetricFactory,
    SelectedWorkFactory,
)

from .page import main_text, page

pytestmark = pytest.mark.django_db


def profile_url(person, **params):
    url = reverse("people:detail", kwargs={"slug": person.slug})
    return url


def stats(response):
    doc = page(response).find("dl", cls="stats")
    return {div.find("dt").text: div.find("dd").text for div in doc.find_all("div", cls="stat")}


def test_header_shows_name_pronouns_headline_affiliations_links_and_disclaimer(client, author):
    author.pronouns = "she/her"
    author.public_email = "ada@example.org"
    author.disclaimer = "Views are my own."
    author.orcid = "0000-0002-1825-0097"
    author.save()
    AffiliationFactory(
        person=author,
        organization=OrganizationFactory(name="Anthropic", short_name="Anthropic"),
        role="Research scientist",
    )
    AffiliationFactory(
        person=author,
        organization=OrganizationFactory(
            name="Machine Intelligence Research Institute", short_name="MIRI"
        ),
        is_current=False,
    )
    ProfileLinkFactory(
        person=author, kind=ProfileLink.Kind.GITHUB, label="GitHub", url="https://github.com/ada"
    )
    ProfileLinkFactory(
        person=author, kind=ProfileLink.Kind.POST, label="Why I moved", url="", is_highlighted=True
    )
    header = page(client.get(profile_url(author))).find("header", cls="profile-header")
    text = header.text
    assert header.find("h1").text == "Ada Researcher (she/her)"
    assert "Anthropic (Research scientist) · Previously: MIRI" in text
    links = {a.text: a["href"] for a in header.find("ul", cls="profile-contact").find_all("a")}
    assert links == {
        "ada@example.org": "mailto:ada@example.org",
        "GitHub": "https://github.com/ada",
        "ORCID": "https://orcid.org/0000-0002-1825-0097",
    }
    assert "See: “Why I moved”" in text
    assert header.find("p", cls="disclaimer").text == "Views are my own."


def test_metrics_are_computed_from_published_papers_with_their_date(client, author, paper_by):
    as_of = datetime.date(2026, 3, 1)
    for count in (25, 12, 10, 3, 0):
        paper_by(citation_count=count, citation_count_as_of=as_of, citation_source="OpenAlex")
    paper_by(citation_count=1000, is_published=False)  # a draft counts for nothing
    response = client.get(profile_url(author))
    assert stats(response) == {
        "Papers": "5",
        "Citations": "50",
        "h-index": "3",
        "i10-index": "3",
        "Co-authors": "2",
    }
    note = page(response).find("p", cls="stat-note").text
    assert "citation counts as of Mar 1, 2026, from OpenAlex" in note


def test_unknown_citation_counts_hide_the_citation_figures(client, author, paper_by):
    paper_by(citation_count=None)
    response = client.get(profile_url(author))
    assert stats(response) == {"Papers": "1", "Co-authors": "2"}
    assert "No citation counts are recorded for these papers yet" in main_text(response)


def test_reported_metrics_are_labelled_with_source_and_date(client, author):
    ReportedMetricFactory(person=author, label="h-index", value="54", source="Scholar aggregator")
    ReportedMetricFactory(
        person=author, label="Citations", value="3,987", source="Scholar aggregator"
    )
    reported = page(client.get(profile_url(author))).find(cls="reported")
    assert reported.find("h3").text == "Reported by Scholar aggregator, Jan 1, 2026"
    assert [dd.text for dd in reported.find_all("dd")] == ["54", "3,987"]


def test_charts_are_accessible_svg_with_a_table(client, author, paper_by):
    paper_by(published_on=datetime.date(2021, 1, 1), citations_by_year={"2022": 4, "2024": 9})
    paper_by(published_on=datetime.date(2023, 1, 1), citations_by_year={"2024": 1})
    doc = page(client.get(profile_url(author)))
    figure = doc.find("figure", id="chart-citations-per-year")
    svg = figure.find("svg")
    assert svg["role"] == "img"
    labelled = svg["aria-labelledby"].split()
    assert [svg.find(id=i).tag for i in labelled] == ["title", "desc"]
    assert svg.find("desc").text == (
        "Citations per year, 2022–2024: 14 citations in all; the most, 10 citations, in 2024."
    )
    assert len(svg.find_all("rect", cls="bar")) == 2  # 2023 is a zero: no bar, but a slot
    rows = [
        [cell.text for cell in tr.find_all(["th", "td"][0]) + tr.find_all("td")]
        for tr in figure.find("tbody").find_all("tr")
    ]
    assert rows == [["2022", "4"], ["2023", "0"], ["2024", "10"]]
    papers = doc.find("figure", id="chart-papers-per-year")
    assert "2021–2023: 2 papers in all" in papers.find("desc").text


def test_no_chart_without_data(client, author, paper_by):
    paper_by(published_on=None)
    doc = page(client.get(profile_url(author)))
    assert doc.find("figure", cls="chart") is None


def test_own_name_is_highlighted_by_identity_not_by_name(client, author, paper_by):
    paper = paper_by(position=2)
    # Someone else with the same written name is not highlighted.
    AuthorshipFactory(publication=paper, position=4, name=author.name)
    authors = page(client.get(profile_url(author))).find(cls="authors")
    highlighted = authors.find_all("span", cls="author-me")
    assert len(highlighted) == 1
    assert highlighted[0].text == "Ada Researcher"
    spans = [
        s for s in authors.children if getattr(s, "tag", "") == "span" and "author" in s.classes
    ]
    assert spans.index(highlighted[0]) == 1


def test_own_name_past_the_fold_is_still_shown(client, author, paper_by):
    paper_by(position=9, authors=12)
    authors = page(client.get(profile_url(author))).find(cls="authors")
    assert authors.text.startswith("Coauthor 1, Coauthor 2, Coauthor 3, … Ada Researcher")
    assert authors.find("summary").text == "+8 more authors"


def test_publications_are_grouped_by_year_by_default(client, author, paper_by):
    paper_by(title="Newer", published_on=datetime.date(2024, 2, 1))
    paper_by(title="Older", published_on=datetime.date(2019, 2, 1))
    doc = page(client.get(profile_url(author)))
    section = doc.find("section", id="publications")
    assert [h.text for h in section.find_all("h3", cls="group-heading")] == ["2024 1", "2019 1"]


def test_publications_filter_on_the_profile(client, author, paper_by):
    paper_by(title="Has code", code_url="https://github.com/x/y")
    paper_by(title="No code")
    response = client.get(profile_url(author), {"has_code": "true", "group": ""})
    section = page(response).find("section", id="publications")
    assert [h.text for h in section.find_all(cls="paper-title")] == ["Has code"]
    assert "1 of 2 papers matches." in section.text
    # The metrics still cover every paper.
    assert stats(response)["Papers"] == "2"


def test_invalid_filter_on_the_profile_is_a_message(client, author, paper_by):
    paper_by()
    response = client.get(profile_url(author), {"year_min": "soon"})
    assert response.status_code == 200
    assert "From year: “soon” was not understood." in main_text(response)


def test_coauthors_are_counted_and_linked_when_they_have_a_profile(client, author):
    friend = PersonFactory(name="Friend With Profile", slug="friend")
    hidden = PersonFactory(name="Draft Friend", slug="draft-friend", is_published=False)
    for n in range(2):
        paper = PublicationFactory(title=f"Joint {n}")
        AuthorshipFactory(publication=paper, position=1, name=author.name, person=author)
        AuthorshipFactory(publication=paper, position=2, name="Friend W. Profile", person=friend)
        AuthorshipFactory(publication=paper, position=3, name="D. Friend", person=hidden)
    aside = page(client.get(profile_url(author))).find("aside", cls="profile-side-2")
    items = aside.find("ul", cls="coauthors").find_all("li")
    assert [li.text for li in items] == [
        "D. Friend 2 shared papers",
        "Friend With Profile 2 shared papers",
    ]
    assert aside.find("a")["href"] == friend.get_absolute_url()
    assert "Draft Friend" not in aside.text


def test_selected_work_links_to_the_item_or_its_url(client, author, paper_by):
    paper = paper_by(title="A pinned paper")
    SelectedWorkFactory(person=author, title="", publication=paper, position=0)
    SelectedWorkFactory(
        person=author, title="A sequence of posts", url="https://example.org/s", position=1
    )
    SelectedWorkFactory(person=author, title="A programme", url="", position=2)
    items = page(client.get(profile_url(author))).find("ul", cls="selected-work").find_all("li")
    assert [li.text for li in items] == [
        "A pinned paper 2023",
        "A sequence of posts",
        "A programme",
    ]
    assert items[0].find("a")["href"] == paper.get_absolute_url()
    assert items[1].find("a")["href"] == "https://example.org/s"
    assert items[2].find("a") is None


def test_media_appearances_with_role(client, author):
    item = MediaItemFactory(title="An interview")
    AppearanceFactory(media_item=item, person=author, role=Appearance.Role.GUEST)
    media = page(client.get(profile_url(author))).find("section", id="media")
    assert "An interview" in media.text
    assert "as guest" in media.text


# -- activity timeline ----------------------------------------------------------------------
@pytest.fixture
def busy_author(author, paper_by):
    for n in range(15):
        paper_by(title=f"Paper {n:02d}", published_on=datetime.date(2010 + n, 1, 1))
    for n in range(8):
        item = MediaItemFactory(title=f"Talk {n}", published_on=datetime.date(2010 + n, 6, 1))
        AppearanceFactory(media_item=item, person=author, role=Appearance.Role.SPEAKER)
    return author


def timeline(response):
    return [
        li.find("p", cls="what").find("a").text
        for li in page(response).find("ol", id="activity-list").find_all("li")
    ]


def test_activity_is_newest_first_with_load_more(client, busy_author):
    response = client.get(profile_url(busy_author))
    entries = timeline(response)
    assert len(entries) == 10
    assert entries[:3] == ["Paper 14", "Paper 13", "Paper 12"]
    more = page(response).find("a", **{"data-load-more": "#activity-list"})
    assert more.text == "Load more"
    assert more["href"] == "?activity=2#activity-page-2"
    assert more["data-fragment-url"] == "?activity=2&fragment=activity"
    assert "Showing 10 of 23" in page(response).find(cls="load-more").text


def test_load_more_without_javascript_shows_the_longer_page(client, busy_author):
    response = client.get(profile_url(busy_author) + "?activity=2")
    entries = timeline(response)
    assert len(entries) == 20
    assert page(response).find("li", id="activity-page-2") is not None
    assert "Showing 20 of 23" in page(response).find(cls="load-more").text


def test_load_more_with_javascript_gets_just_the_next_page_as_a_partial(client, busy_author):
    response = client.get(profile_url(busy_author), {"activity": "3", "fragment": "activity"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<main" not in html
    doc = page(response)
    items = doc.find("ol").find_all("li")
    assert len(items) == 3
    assert items[0]["id"] == "activity-page-3"
    assert doc.find("a", **{"data-load-more": "#activity-list"}) is None  # the last page
    assert "Showing 23 of 23" in doc.find(cls="load-more").text


def test_load_more_keeps_the_publication_filters(client, busy_author):
    response = client.get(profile_url(busy_author), {"kind": "preprint"})
    more = page(response).find("a", **{"data-load-more": "#activity-list"})
    assert more["href"] == "?kind=preprint&activity=2#activity-page-2"


@pytest.mark.parametrize("number", ["999999", "abc", "0", "9" * 400])
def test_odd_activity_numbers_never_fail(client, busy_author, number):
    response = client.get(profile_url(busy_author), {"activity": number})
    assert response.status_code == 200
    fragment = client.get(profile_url(busy_author), {"activity": number, "fragment": "activity"})
    assert fragment.status_code == 200


def test_fragment_of_a_draft_profile_is_404(client, busy_author):
    busy_author.is_published = False
    busy_author.save()
    response = client.get(profile_url(busy_author), {"activity": "2", "fragment": "activity"})
    assert response.status_code == 404


def test_load_more_script_is_served_locally(client):
    response = client.get("/static/js/site.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"data-load-more" in body


def about(response):
    section = page(response).find("section", **{"aria-labelledby": "about-h"})
    return section.find(cls="prose").text.strip() if section is not None else None


@pytest.mark.parametrize(
    "bio",
    [
        "",
        "Research scientist at Anthropic leading work on model organisms of misalignment",
        "I am a research scientist at Anthropic leading work on model organisms of misalignment.",
        "*Research scientist* at Anthropic leading work on model organisms of misalignment.",
    ],
)
def test_about_is_left_out_when_the_bio_says_no_more_than_the_headline(client, author, bio):
    author.headline = (
        "Research scientist at Anthropic leading work on model organisms of misalignment"
    )
    author.bio = bio
    author.save()
    response = client.get(profile_url(author))
    assert about(response) is None
    assert main_text(response).count("model organisms of misalignment") == 1


def test_about_shows_a_bio_that_says_more_than_the_headline(client, author):
    author.headline = "Research scientist at Anthropic"
    author.bio = "I am a research scientist at Anthropic. Before that I was at **MIRI**."
    author.save()
    assert about(client.get(profile_url(author))) == (
        "I am a research scientist at Anthropic. Before that I was at MIRI."
    )


def test_demo_profile_says_its_one_self_description_once(client, demo):
    response = client.get(reverse("people:detail", kwargs={"slug": "evan-hubinger"}))
    assert about(response) is None
    assert main_text(response).count("leading work on model organisms of misalignment") == 1


def when(response, title):
    for li in page(response).find("ol", id="activity-list").find_all("li"):
        if li.find("p", cls="what").find("a").text == title:
            return li.find(cls="when").text
    raise AssertionError(f"{title} is not in the timeline")


def test_an_undated_appearance_is_placed_on_the_day_it_was_added(client, busy_author):
    item = MediaItemFactory(title="Undated episode", published_on=None)
    AppearanceFactory(media_item=item, person=busy_author, role=Appearance.Role.GUEST)
    response = client.get(profile_url(busy_author))
    # Added today: newer than every dated entry, so first, not after 23 entries.
    assert timeline(response)[0] == "Undated episode"
    added = timezone.localdate(item.created_at)
    assert when(response, "Undated episode").startswith(
        f"Date unknown · added {added:%b} {added.day}, {added.year}"
    )


def test_an_undated_entry_added_long_ago_sits_among_that_time(client, busy_author, paper_by):
    old = paper_by(title="Undated paper", published_on=None)
    Publication.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2012, 3, 1, 12, tzinfo=datetime.UTC)
    )
    entries = timeline(client.get(profile_url(busy_author) + "?activity=3"))
    at = entries.index("Undated paper")
    # Paper 02 is dated 2012-01-01, the talk 2 2012-06-01: March 2012 falls between.
    assert entries[at - 1] == "Talk 2"
    assert entries[at + 1] == "Paper 02"


def test_demo_episode_without_a_date_is_on_the_first_page_of_activity(client, demo):
    response = client.get(reverse("people:detail", kwargs={"slug": "evan-hubinger"}))
    assert "AXRP Episode 39 - Evan Hubinger on Model Organisms of Misalignment" in timeline(
        response
    )


def test_activity_shows_a_paper_date_at_its_precision(client, author, paper_by):
    paper_by(
        title="Known by its year", published_on=datetime.date(2021, 1, 1), date_precision="year"
    )
    assert when(client.get(profile_url(author)), "Known by its year").startswith("2021 ")
