"""Drafts, scheduled items (publish at a future time) and expired items (unpublish at a
past time) of every public model, each connected to the live objects in every way the
data allows, against every public page, feed, sitemap, search, export and API response,
for every role of the access matrix.

A role sees a model's hidden items exactly when it may view that model in the admin
(``tests/security/access.py``); everyone else never meets them: not a name, not a slug,
not a link. Previews show a visitor's view of everything around the previewed object.

Each hidden item carries its model's marker (``hiddenperson``, ``hiddentopic``, …) in its
slug and, except organizations, in its name. An organization's name is printed on papers
and profiles as affiliation text even while its own page is a draft (imports create
organizations as drafts), so only its slug is a marker: its page is never linked.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

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

from .access import FACTORIES, PUBLIC_MODELS, ROLES, client_for, may_view
from .routes import API_ROUTES, PUBLIC_ROUTES, public_url

pytestmark = pytest.mark.django_db

NAME_FIELD = {
    "profiles.person": "name",
    "profiles.organization": "name",
    "publications.topic": "name",
    "media_items.outlet": "name",
}


def marker(label):
    return "hidden" + label.split(".")[1]


def states():
    now = timezone.now()
    return {
        "draft": {"is_published": False},
        "scheduled": {"publish_at": now + datetime.timedelta(days=1)},
        "expired": {"unpublish_at": now - datetime.timedelta(days=1)},
    }


def hidden(label, state, window):
    name = marker(label).capitalize() + f" {state}"
    if label == "profiles.organization":
        name = f"Unlisted Institute {state}"
    return FACTORIES[label](
        **{NAME_FIELD.get(label, "title"): name, "slug": f"{marker(label)}-{state}", **window}
    )


@pytest.fixture
def world(db):
    """Live objects (``live``) and, for each state, a hidden object of every public model
    (``hidden[(label, state)]``), tied to each other in every way the data allows."""
    org = OrganizationFactory(slug="open-lab")
    outlet = OutletFactory(slug="open-show")
    topic = TopicFactory(slug="open-topic")
    person = PersonFactory(slug="ada")
    AffiliationFactory(person=person, organization=org)
    paper = PublicationFactory(slug="open-paper", title="A study of open things")
    AuthorshipFactory(publication=paper, position=1, name="Ada Author", person=person)
    paper.topics.add(topic)
    paper.organizations.add(org)
    item = MediaItemFactory(slug="open-episode", title="An open episode", outlet=outlet)
    AppearanceFactory(media_item=item, person=person, role=Appearance.Role.GUEST)
    item.discusses.add(paper)
    item.topics.add(topic)
    live = {
        "profiles.person": person,
        "profiles.organization": org,
        "publications.publication": paper,
        "publications.topic": topic,
        "media_items.mediaitem": item,
        "media_items.outlet": outlet,
    }
    hidden_objects = {}
    for state, window in states().items():
        h = {label: hidden(label, state, window) for label in FACTORIES}
        hidden_objects.update({(label, state): obj for label, obj in h.items()})
        h_person, h_org = h["profiles.person"], h["profiles.organization"]
        h_paper, h_topic = h["publications.publication"], h["publications.topic"]
        h_item, h_outlet = h["media_items.mediaitem"], h["media_items.outlet"]
        # A hidden person on live things.
        AffiliationFactory(person=h_person, organization=org)
        AuthorshipFactory(
            publication=paper, position=10 + len(hidden_objects), name="Co Author", person=h_person
        )
        AppearanceFactory(media_item=item, person=h_person, role=Appearance.Role.HOST)
        SelectedWorkFactory(person=h_person, title="", media_item=item)
        # A hidden organization of live people and papers.
        AffiliationFactory(person=person, organization=h_org, is_current=False)
        paper.organizations.add(h_org)
        # A hidden paper by a live person, on a live topic, discussed in a live episode.
        AuthorshipFactory(publication=h_paper, position=1, name="Ada Author", person=person)
        h_paper.topics.add(topic)
        h_paper.organizations.add(org)
        item.discusses.add(h_paper)
        SelectedWorkFactory(person=person, title="", publication=h_paper)
        # A hidden topic of live papers and episodes.
        paper.topics.add(h_topic)
        item.topics.add(h_topic)
        # A hidden episode of a live outlet, with a live guest, on live things.
        h_item.outlet = outlet
        h_item.save()
        AppearanceFactory(media_item=h_item, person=person, role=Appearance.Role.PANELIST)
        h_item.discusses.add(paper)
        h_item.topics.add(topic)
        # A live episode of a hidden outlet.
        MediaItemFactory(title=f"Another episode {state}", outlet=h_outlet)
    return {"live": live, "hidden": hidden_objects}


# Every public page type, feed, export, sitemap and API read, built on live objects, plus
# the ways a list can be asked about hidden things (filters, searches, grouping, paging).
EXTRA_URLS = [
    "/people/{person}/?activity=9",
    "/people/{person}/?activity=2&fragment=activity",
    "/people/{person}/?group=kind",
    "/publications/?group=kind",
    "/publications/?sort=cited",
    "/publications/?q=hidden",
    "/publications/?author=hiddenperson-draft",
    "/publications/?topic=hiddentopic-draft",
    "/publications/feed.atom?q=hidden",
    "/publications/export.bib",
    "/publications/export.json?q=hiddenpublication",
    "/people/{person}/publications.ris",
    "/media/?group=year",
    "/media/?outlet=hiddenoutlet-draft",
    "/media/?person=hiddenperson-draft",
    "/search/?q=hidden",
    "/search/?q=hiddenperson&type=people",
    "/search/?q=hiddenpublication&type=papers",
    "/search/?q=hiddenmediaitem&type=media",
    "/search/?q=hiddentopic",
    "/search/?q=unlisted institute",
    *(
        f"/sitemap-{section}.xml"
        for section in ("people", "publications", "media", "topics", "organizations", "outlets")
    ),
    "/api/v1/people/?search=hidden",
    "/api/v1/publications/?search=hidden",
    "/api/v1/media-items/?search=hidden",
    "/api/v1/publications/?author=hiddenperson-draft",
]


def visible_markers(role):
    return {marker(label) for label in PUBLIC_MODELS if may_view(role, label)}


def leaks(response, url, role):
    """Markers of models ``role`` may not view, in the response (values the URL itself
    asked for are taken out first: a page may echo a search or a filter value)."""
    content = response.content.decode().lower()
    for value in url.split("?", 1)[1].split("&") if "?" in url else ():
        content = content.replace(value.split("=", 1)[-1].lower(), "")
    return {m for m in map(marker, PUBLIC_MODELS) if m in content} - visible_markers(role)


@pytest.mark.parametrize("role", ROLES)
def test_hidden_items_reach_only_those_who_may_view_their_model(client, world, role):
    client = client_for(client, role)
    urls = [public_url(template, world["live"]) for template, _ in PUBLIC_ROUTES.values()]
    urls += [public_url(template, world["live"]) for template in API_ROUTES.values()]
    urls += [public_url(template, world["live"]) for template in EXTRA_URLS]
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 400 and response.status_code != 400:
            problems.append(f"{url}: {response.status_code}")
        if found := leaks(response, url, role):
            problems.append(f"{url}: shows {sorted(found)}")
    assert not problems, "\n".join(problems)


def test_those_who_may_view_a_model_do_see_its_hidden_items(client, world):
    """The other side of the matrix: staff who may view papers and topics (but not people)
    find hidden papers in lists and search, marked as drafts."""
    client = client_for(client, "staff")
    listing = client.get("/publications/").content.decode()
    assert all(f"Hiddenpublication {state}" in listing for state in states())
    assert "Hiddentopic draft" in client.get("/topics/").content.decode()
    found = client.get("/search/?q=hiddenpublication&type=papers").content.decode()
    assert all(f"/publications/hiddenpublication-{state}/" in found for state in states())
    assert "hiddenperson" not in client.get("/publications/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_hidden_detail_pages_answer_by_permission(client, world, role):
    """A hidden object's page, API detail, permalink, citation, person export and preview:
    there for those who may view its model, 404 (403 or login for the preview) for the
    rest, whatever its state. A hidden person's feed is a 404 for everyone."""
    client = client_for(client, role)
    api = {
        "profiles.person": "people",
        "profiles.organization": "organizations",
        "publications.publication": "publications",
        "media_items.mediaitem": "media-items",
        "media_items.outlet": "outlets",
    }
    problems = []

    def expect(url, status):
        response = client.get(url)
        if response.status_code != status:
            problems.append(f"{url}: {response.status_code}, expected {status}")
        elif status == 404 and marker_of in response.content.decode().lower():
            problems.append(f"{url}: the 404 names the hidden item")
        return response

    for (label, _state), obj in world["hidden"].items():
        marker_of = marker(label)
        sees = may_view(role, label)
        found = 200 if sees else 404
        expect(obj.get_absolute_url(), found)
        expect(reverse("core:permalink", args=[obj.stable_id]), 302 if sees else 404)
        if label in api:
            expect(f"/api/v1/{api[label]}/{obj.slug}/", found)
            expect(f"/api/v1/{api[label]}/{obj.stable_id}/", found)
        if label == "publications.publication":
            expect(f"/publications/{obj.slug}/cite.bib", found)
        if label == "profiles.person":
            expect(f"/people/{obj.slug}/publications.bib", found)
            expect(f"/people/{obj.slug}/feed.atom", 404)
            expect(f"/api/v1/people/{obj.slug}/publications/", found)
            expect(f"/api/v1/people/{obj.slug}/media-items/", found)
        opts = obj._meta
        preview = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
        response = client.get(preview)
        if role == "anonymous":
            wanted = response.status_code == 302 and "/login/" in response["Location"]
        else:
            wanted = response.status_code == (200 if sees else 403)
        if not wanted:
            problems.append(f"{preview}: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("label", PUBLIC_MODELS)
def test_a_preview_shows_other_hidden_items_to_nobody(client, world, label):
    """A superuser's preview of a live object shows its surroundings as a visitor sees
    them: none of the hidden items around it."""
    client = client_for(client, "superuser")
    obj = world["live"][label]
    opts = obj._meta
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
    )
    assert response.status_code == 200
    assert not leaks(response, "", "anonymous")


def test_hidden_organization_names_stay_unlinked_text(client, world):
    """The documented exception: a paper's affiliations print a draft organization's
    name as bibliographic text, never a link to it."""
    page = client.get(world["live"]["publications.publication"].get_absolute_url())
    html = page.content.decode()
    assert "Unlisted Institute draft" in html
    assert "hiddenorganization" not in html


def test_cached_pages_never_carry_what_staff_saw(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 300
    editor = client_for(client, "editor")
    assert b"Hiddenpublication" in editor.get("/publications/").content
    from django.test import Client

    visitor = Client()
    for _ in range(2):  # a miss, then a hit
        response = visitor.get("/publications/")
        assert b"hiddenpublication" not in response.content.lower()
    assert response["X-Page-Cache"] == "hit"
