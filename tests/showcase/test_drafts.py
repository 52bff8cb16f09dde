"""Drafts never reach a visitor: not on a page, in a list, a count, a metric, a chart,
a timeline, a facet or a search result. Staff see them, with a Draft banner.

Every draft below has "SECRET" in its name or title; no page a visitor can reach
may contain that word, and counts must be the same as if the drafts did not exist.
"""

import datetime

import pytest
from django.urls import reverse

from media_items.models import Appearance
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
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
def world(db):
    org = OrganizationFactory(name="Open Lab", slug="open-lab")
    outlet = OutletFactory(name="Open Show", slug="open-show")
    topic = TopicFactory(name="Open topic", slug="open-topic")
    person = PersonFactory(name="Public Person", slug="public")
    AffiliationFactory(person=person, organization=org)
    paper = PublicationFactory(
        title="Public paper",
        slug="public-paper",
        citation_count=10,
        published_on=datetime.date(2020, 1, 1),
    )
    AuthorshipFactory(publication=paper, position=1, name="Public Person", person=person)
    paper.topics.add(topic)
    item = MediaItemFactory(title="Public episode", slug="public-episode", outlet=outlet)
    AppearanceFactory(media_item=item, person=person, role=Appearance.Role.GUEST)
    item.discusses.add(paper)
    item.topics.add(topic)

    # Drafts, each connected to the public objects in every way the data allows.
    secret_person = PersonFactory(name="SECRET Person", slug="secret-person", is_published=False)
    AffiliationFactory(person=secret_person, organization=org)
    AuthorshipFactory(publication=paper, position=2, name="Co Author", person=secret_person)
    AppearanceFactory(media_item=item, person=secret_person, role=Appearance.Role.HOST)
    secret_paper = PublicationFactory(
        title="SECRET paper",
        slug="secret-paper",
        citation_count=5000,
        is_published=False,
        published_on=datetime.date(2015, 1, 1),
        citations_by_year={"2016": 5000},
        arxiv_primary_category="q-bio.NC",
        venue="SECRET venue",
        kind="thesis",
    )
    AuthorshipFactory(publication=secret_paper, position=1, name="Public Person", person=person)
    AuthorshipFactory(publication=secret_paper, position=2, name="SECRET Coauthor")
    secret_paper.topics.add(topic)
    secret_paper.organizations.add(org)
    secret_item = MediaItemFactory(
        title="SECRET episode",
        slug="secret-episode",
        outlet=outlet,
        is_published=False,
        kind="panel",
        published_on=datetime.date(2030, 1, 1),
    )
    AppearanceFactory(media_item=secret_item, person=person, role=Appearance.Role.PANELIST)
    secret_item.discusses.add(paper)
    secret_item.topics.add(topic)
    secret_topic = TopicFactory(name="SECRET topic", slug="secret-topic", is_published=False)
    paper.topics.add(secret_topic)
    item.topics.add(secret_topic)
    secret_outlet = OutletFactory(name="SECRET show", slug="secret-show", is_published=False)
    SelectedWorkFactory(person=person, title="", publication=secret_paper)
    SelectedWorkFactory(person=secret_person, title="", media_item=item)
    return {
        "person": person,
        "paper": paper,
        "item": item,
        "topic": topic,
        "outlet": outlet,
        "secret_outlet": secret_outlet,
    }


VISITOR_URLS = [
    reverse("site:home"),
    reverse("people:list"),
    reverse("people:detail", kwargs={"slug": "public"}),
    reverse("people:detail", kwargs={"slug": "public"}) + "?activity=9",
    reverse("people:detail", kwargs={"slug": "public"}) + "?activity=1&fragment=activity",
    reverse("people:detail", kwargs={"slug": "public"}) + "?group=kind",
    reverse("people:organization", kwargs={"slug": "open-lab"}),
    reverse("publications:list"),
    reverse("publications:list") + "?group=kind",
    reverse("publications:list") + "?sort=cited",
    reverse("publications:list") + "?q=paper",
    reverse("publications:detail", kwargs={"slug": "public-paper"}),
    reverse("media:list"),
    reverse("media:list") + "?group=year",
    reverse("media:detail", kwargs={"slug": "public-episode"}),
    reverse("media:outlet", kwargs={"slug": "open-show"}),
    reverse("topics:list"),
    reverse("topics:detail", kwargs={"slug": "open-topic"}),
    reverse("site:search") + "?q=secret",
    reverse("site:search") + "?q=secret&type=papers",
    reverse("site:search") + "?q=public",
    reverse("site:search") + "?q=SECRT",
]


@pytest.mark.parametrize("url", VISITOR_URLS)
def test_no_draft_reaches_a_visitor(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"SECRET" not in response.content
    assert b"secret-" not in response.content.lower()
    assert b"Draft" not in response.content


DRAFT_URLS = [
    reverse("people:detail", kwargs={"slug": "secret-person"}),
    reverse("people:detail", kwargs={"slug": "secret-person"}) + "?activity=2&fragment=activity",
    reverse("publications:detail", kwargs={"slug": "secret-paper"}),
    reverse("media:detail", kwargs={"slug": "secret-episode"}),
    reverse("topics:detail", kwargs={"slug": "secret-topic"}),
    reverse("media:outlet", kwargs={"slug": "secret-show"}),
]


@pytest.mark.parametrize("url", DRAFT_URLS)
def test_draft_pages_are_404_for_visitors(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"SECRET" not in response.content


@pytest.mark.parametrize("url", DRAFT_URLS[:1] + DRAFT_URLS[2:])
def test_staff_preview_drafts_with_a_banner(staff_client, world, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    banner = page(response).find("p", cls="draft-banner")
    assert banner.text.startswith("Draft — not visible to visitors")


@pytest.mark.parametrize("url", DRAFT_URLS)
def test_staff_without_view_permission_see_drafts_as_visitors_do(client, world, url):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 404
    assert b"SECRET" not in response.content
    listing = client.get(reverse("publications:list"))
    assert b"SECRET" not in listing.content


@pytest.mark.parametrize("url", DRAFT_URLS[:1] + DRAFT_URLS[2:])
def test_editors_preview_drafts(client, world, url):
    from tests.factories import EditorFactory

    client.force_login(EditorFactory())
    assert client.get(url).status_code == 200


def test_published_pages_have_no_banner_for_staff(staff_client, world):
    response = staff_client.get(reverse("publications:detail", kwargs={"slug": "public-paper"}))
    assert page(response).find("p", cls="draft-banner") is None


def test_staff_see_drafts_in_lists_marked_as_drafts(staff_client, world):
    response = staff_client.get(reverse("publications:list"))
    row = next(r for r in page(response).find_all("li", cls="paper") if "SECRET paper" in r.text)
    assert row.find("span", cls="draft").text == "Draft"


def test_counts_and_metrics_ignore_drafts(client, world):
    person = world["person"]
    response = client.get(reverse("people:detail", kwargs={"slug": person.slug}))
    stats = {
        div.find("dt").text: div.find("dd").text
        for div in page(response).find("dl", cls="stats").find_all("div", cls="stat")
    }
    assert stats == {
        "Papers": "1",
        "Citations": "10",
        "h-index": "1",
        "i10-index": "1",
        "Co-authors": "1",
    }
    assert page(response).find("figure", id="chart-citations-per-year") is None
    desc = page(response).find("figure", id="chart-papers-per-year").find("desc").text
    assert desc.startswith("Papers per year, 2020:")
    activity = page(response).find("section", id="activity")
    assert activity.find("span", cls="count").text == "2"
    listing = client.get(reverse("publications:list"))
    assert "1 paper" in main_text(listing)
    home = page(client.get(reverse("site:home"))).find("p", cls="totals").text
    assert home == "1 person · 1 paper · 1 media appearance"


def test_facets_offer_no_draft_values(client, world):
    doc = page(client.get(reverse("publications:list")))
    options = " ".join(o.text for o in doc.find_all("option"))
    assert "Thesis" not in options and "NC" not in options and "SECRET" not in options
    doc = page(client.get(reverse("media:list")))
    options = " ".join(o.text for o in doc.find_all("option"))
    assert "Panel" not in options and "Panelist" not in options and "Host" not in options


def test_filtering_by_a_draft_is_just_an_unknown_value(client, world):
    for url, params in [
        (reverse("publications:list"), {"author": "secret-person"}),
        (reverse("publications:list"), {"topic": "secret-topic"}),
        (reverse("media:list"), {"outlet": "secret-show"}),
        (reverse("media:list"), {"person": "secret-person"}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200
        assert "was not understood" in main_text(response)
        assert b"SECRET" not in response.content


def test_scheduled_items_stay_hidden_until_their_time(client, world):
    from django.utils import timezone

    later = PublicationFactory(
        title="SECRET scheduled paper",
        slug="scheduled",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    AuthorshipFactory(publication=later, position=1, name="Public Person", person=world["person"])
    for url in VISITOR_URLS[:8]:
        assert b"SECRET" not in client.get(url).content
    assert client.get(later.get_absolute_url()).status_code == 404


def test_staff_see_a_scheduled_object_with_a_scheduled_banner(staff_client, world):
    from django.utils import timezone

    later = PublicationFactory(slug="later", publish_at=timezone.now() + datetime.timedelta(days=1))
    banner = page(staff_client.get(later.get_absolute_url())).find("p", cls="draft-banner")
    assert banner.text.startswith(
        "Scheduled — not visible to visitors right now (outside its publishing window)."
    )


def test_a_draft_outlet_and_draft_people_are_linked_for_staff_only(client, staff_client, world):
    # The rule is core.db.visibility.is_shown, through the ``shown_to`` template filter.
    item = world["item"]
    item.outlet = world["secret_outlet"]
    item.save()
    url = reverse("media:detail", kwargs={"slug": "public-episode"})
    staff_page = staff_client.get(url).content
    assert b'href="/media/outlets/secret-show/"' in staff_page
    assert b'href="/people/secret-person/"' in staff_page
    staff_client.logout()
    visitor_page = client.get(url).content
    assert b"secret-show" not in visitor_page and b"secret-person" not in visitor_page
