"""The other public pages: home, people, paper detail, media list, topics,
organizations and outlets, the 404 page, and page structure (one h1, landmarks)."""

import datetime

import pytest
from django.urls import reverse

from media_items.models import Appearance, MediaItem
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    SelectedWorkFactory,
    TopicFactory,
)

from .page import main_text, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    org = OrganizationFactory(name="Anthropic", short_name="Anthropic", slug="anthropic")
    person = PersonFactory(name="Evan Example", slug="evan", is_featured=True)
    AffiliationFactory(person=person, organization=org, role="Research scientist")
    topic = TopicFactory(
        name="Model organisms", slug="model-organisms", summary="**Built** to fail."
    )
    paper = PublicationFactory(
        title="Sleeper agents",
        slug="sleeper-agents",
        abstract="Deceptive behaviour persists.",
        published_on=datetime.date(2024, 1, 10),
        citation_count=300,
        citation_count_as_of=datetime.date(2026, 2, 1),
        citation_source="Semantic Scholar",
        arxiv_id="2401.05566",
    )
    AuthorshipFactory(
        publication=paper, position=1, name="Evan Example", person=person, is_corresponding=True
    )
    co = AuthorshipFactory(
        publication=paper, position=2, name="Carson Coauthor", is_equal_contribution=True
    )
    co.affiliations.add(org)
    paper.topics.add(topic)
    outlet = OutletFactory(
        name="AXRP - the AI X-risk Research Podcast", short_name="AXRP", slug="axrp"
    )
    episode = MediaItemFactory(
        title="Episode 39",
        slug="episode-39",
        outlet=outlet,
        episode_number=39,
        kind=MediaItem.Kind.PODCAST_EPISODE,
        published_on=datetime.date(2024, 12, 1),
        duration=datetime.timedelta(hours=1, minutes=42),
        summary="A *talk* about [it](https://example.org).",
    )
    AppearanceFactory(media_item=episode, person=person, role=Appearance.Role.GUEST)
    KeyPointFactory(media_item=episode, text="First point.")
    episode.discusses.add(paper)
    episode.topics.add(topic)
    talk = MediaItemFactory(
        title="A keynote",
        slug="a-keynote",
        kind=MediaItem.Kind.TALK,
        outlet=None,
        published_on=datetime.date(2022, 5, 5),
    )
    AppearanceFactory(media_item=talk, person=person, role=Appearance.Role.SPEAKER)
    SelectedWorkFactory(person=person, title="", publication=paper)
    return {
        "person": person,
        "paper": paper,
        "episode": episode,
        "topic": topic,
        "org": org,
        "outlet": outlet,
        "talk": talk,
    }


PAGES = [
    ("site:home", None),
    ("people:list", None),
    ("people:detail", "evan"),
    ("people:organization", "anthropic"),
    ("publications:list", None),
    ("publications:detail", "sleeper-agents"),
    ("media:list", None),
    ("media:detail", "episode-39"),
    ("media:outlet", "axrp"),
    ("topics:list", None),
    ("topics:detail", "model-organisms"),
    ("site:search", None),
]


@pytest.mark.parametrize(("name", "slug"), PAGES)
def test_every_page_has_exactly_one_search_box(client, site, name, slug):
    # The header's search box, or instead of it the page's own (home, search): never two.
    url = reverse(name, kwargs={"slug": slug} if slug else None)
    response = client.get(url, {"q": "sleeper"} if name == "site:search" else {})
    doc = page(response)
    forms = doc.find_all("form", role="search")
    assert len(forms) == 1, [f.attrs for f in forms]
    if name == "site:search":
        assert forms[0].find("input", id="search-q")["value"] == "sleeper"


@pytest.mark.parametrize(("name", "slug"), PAGES)
def test_every_page_has_one_h1_landmarks_and_labelled_controls(client, site, name, slug):
    url = reverse(name, kwargs={"slug": slug} if slug else None)
    response = client.get(url, {"q": "sleeper"} if name == "site:search" else {})
    assert response.status_code == 200
    doc = page(response)
    assert len(doc.find_all("h1")) == 1
    assert doc.find("html")["lang"] == "en"
    assert doc.find("main", id="main") is not None
    assert doc.find("header", cls="site-header") is not None
    assert doc.find("footer", cls="site-footer") is not None
    assert doc.find("nav", **{"aria-label": "Main"}) is not None
    assert doc.find("a", cls="skip-link")["href"] == "#main"
    ids = [n["id"] for n in doc.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    labels = {lab.get("for") for lab in doc.find_all("label")}
    for control in doc.find_all("input") + doc.find_all("select"):
        if control.get("type") in ("hidden", "submit"):
            continue
        wrapped = any(p.tag == "label" for p in _ancestors(control))
        assert control.get("id") in labels or wrapped or control.get("aria-label"), control.attrs


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def test_current_section_is_marked_in_the_navigation(client, site):
    doc = page(client.get(reverse("publications:detail", kwargs={"slug": "sleeper-agents"})))
    current = doc.find("nav", **{"aria-label": "Main"}).find("a", **{"aria-current": "page"})
    assert current.text == "Publications"


def test_home_shows_people_newest_papers_and_appearances(client, site):
    doc = page(client.get(reverse("site:home")))
    assert "Evan Example" in doc.find("section", **{"aria-labelledby": "people-h"}).text
    assert "Sleeper agents" in doc.find("section", **{"aria-labelledby": "papers-h"}).text
    media = doc.find("section", **{"aria-labelledby": "media-h"}).text
    assert media.index("Episode 39") < media.index("A keynote")
    assert "1 person · 1 paper · 2 media appearances" in doc.find("p", cls="totals").text


def test_people_list_shows_affiliation_and_counts(client, site):
    PersonFactory(name="Zed Nobody", slug="zed")
    cards = page(client.get(reverse("people:list"))).find_all("li", cls="card")
    assert [c.find("h3").text for c in cards] == ["Evan Example", "Zed Nobody"]  # featured first
    assert "Anthropic" in cards[0].text
    assert "1 paper · 2 media appearances" in cards[0].text


def test_people_list_filters_by_organization(client, site):
    PersonFactory(name="Zed Nobody", slug="zed")
    response = client.get(reverse("people:list"), {"organization": "anthropic"})
    assert [c.find("h3").text for c in page(response).find_all("li", cls="card")] == [
        "Evan Example"
    ]
    bad = client.get(reverse("people:list"), {"organization": "nowhere"})
    assert "was not understood" in main_text(bad)


def test_paper_page(client, site):
    response = client.get(reverse("publications:detail", kwargs={"slug": "sleeper-agents"}))
    doc = page(response)
    assert doc.find("h1").text == "Sleeper agents"
    authors = doc.find("p", cls="author-block")
    assert authors.find("a")["href"] == site["person"].get_absolute_url()
    assert "Evan Example✉ (corresponding author)" in authors.text
    assert "Carson Coauthor* (equal contribution)1" in authors.text
    assert doc.find("ol", cls="affiliation-list").text == "1 Anthropic"
    assert doc.find("p", cls="marks-legend").text == "* Equal contribution · ✉ Corresponding author"
    facts = doc.find("dl", cls="facts").text
    assert "Citations 300 (Semantic Scholar, as of Feb 1, 2026)" in facts
    assert "Topics Model organisms" in facts
    discussed = doc.find("section", **{"aria-labelledby": "discussed-h"}).text
    assert "Episode 39" in discussed
    cited = [
        [td.text for td in tr.find_all("td")]
        for tr in doc.find("section", **{"aria-labelledby": "cited-h"}).find("tbody").find_all("tr")
    ]
    assert cited == [
        ["Model organisms", "Topic"],
        ["Episode 39", "Podcast episode"],
        ["Evan Example", "Person"],
    ]
    assert doc.find("a", string=None, href="https://arxiv.org/abs/2401.05566") is not None
    permalink = doc.find("p", cls="permalink")
    assert site["paper"].stable_id in permalink.text


def test_paper_date_is_as_precise_as_it_is_known(client, db):
    PublicationFactory(slug="yearly", published_on=datetime.date(2019, 1, 1), date_precision="year")
    PublicationFactory(
        slug="monthly", published_on=datetime.date(2020, 3, 1), date_precision="month"
    )
    rows = page(client.get(reverse("publications:list"))).find_all("time")
    assert [(t.text, t["datetime"]) for t in rows] == [("Mar 2020", "2020-03"), ("2019", "2019")]


def test_media_list_facets_sort_and_group(client, site):
    url = reverse("media:list")

    def titles(**params):
        return [
            h.find("h3").text for h in page(client.get(url, params)).find_all("li", cls="media-row")
        ]

    assert titles() == ["Episode 39", "A keynote"]
    assert titles(sort="oldest") == ["A keynote", "Episode 39"]
    assert titles(sort="title") == ["A keynote", "Episode 39"]
    assert titles(kind="talk") == ["A keynote"]
    assert titles(outlet="axrp") == ["Episode 39"]
    assert titles(person="evan", role="speaker") == ["A keynote"]
    assert titles(year="2024") == ["Episode 39"]
    grouped = page(client.get(url, {"group": "kind"}))
    assert [h.text for h in grouped.find_all("h2", cls="group-heading")] == [
        "Podcast episode 1",
        "Talk 1",
    ]
    bad = client.get(url, {"year": "next year", "role": "boss"})
    assert bad.status_code == 200
    text = main_text(bad)
    assert "Year: “next year” was not understood." in text
    assert "Role: “boss” was not understood." in text


def test_media_page_renders_markdown_safely_and_lists_people(client, site):
    doc = page(client.get(reverse("media:detail", kwargs={"slug": "episode-39"})))
    summary = doc.find("section", **{"aria-labelledby": "summary-h"})
    assert summary.find("em").text == "talk"
    assert summary.find("a")["rel"] == "nofollow noopener noreferrer"
    assert "1 h 42 min" in doc.find("header", cls="detail-head").text
    assert doc.find("ul", cls="key-points").text == "First point."
    assert "Evan Example (guest)" in doc.find("aside", cls="detail-side").text


def test_topic_page_lists_papers_media_and_people(client, site):
    doc = page(client.get(reverse("topics:detail", kwargs={"slug": "model-organisms"})))
    assert doc.find("strong").text == "Built"  # the summary is Markdown
    assert "Sleeper agents" in doc.find("section", **{"aria-labelledby": "papers-h"}).text
    assert "Episode 39" in doc.find("section", **{"aria-labelledby": "media-h"}).text
    assert "Evan Example" in doc.find("aside").text
    assert "1 paper · 1 media item · 1 person" in doc.find("header", cls="detail-head").text


def test_topic_list_counts(client, site):
    doc = page(client.get(reverse("topics:list")))
    assert "1 paper · 1 media item" in doc.find("ul", cls="topic-list").text


def test_organization_page_lists_members_and_papers(client, site):
    doc = page(client.get(reverse("people:organization", kwargs={"slug": "anthropic"})))
    assert (
        "Evan Example — Research scientist"
        in doc.find("section", **{"aria-labelledby": "people-h"}).text
    )
    assert "Sleeper agents" in doc.find("section", **{"aria-labelledby": "papers-h"}).text


def test_outlet_page_lists_its_items(client, site):
    doc = page(client.get(reverse("media:outlet", kwargs={"slug": "axrp"})))
    assert "Episode 39" in doc.find("section", **{"aria-labelledby": "items-h"}).text


@pytest.mark.parametrize(
    "url",
    [
        "/people/nobody/",
        "/publications/nothing-here/",
        "/media/no-such-episode/",
        "/media/outlets/no-such-show/",
        "/topics/no-such-topic/",
        "/people/organizations/no-such-org/",
        "/r/NOSUCHID00",
        "/r/" + "Z" * 300,
        "/no/such/page/",
    ],
)
def test_unknown_addresses_get_a_styled_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    doc = page(response)
    assert doc.find("h1").text == "Page not found"
    assert doc.find("form", role="search") is not None
    assert doc.find("link", rel="stylesheet") is not None
