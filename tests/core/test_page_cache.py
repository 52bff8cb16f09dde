"""The anonymous page cache: hits run no query, every content change is seen at once."""

import datetime
import os
import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_second_visit_is_a_hit_without_queries(client, django_assert_num_queries):
    PublicationFactory(title="Cached paper", authors=3)
    url = reverse("publications:list")
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Cached paper" in second.content.decode()


def test_query_strings_are_cached_separately(client):
    PublicationFactory(title="Paper A")
    url = reverse("publications:list")
    get(client, url)
    assert get(client, url + "?page=1")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    "change",
    [
        "paper_title",
        "person_headline",
        "media_title",
        "topic_name",
        "author_name",
        "paper_topics",
        "unpublish",
        "delete",
        "appearance",
    ],
)
def test_every_kind_of_change_is_seen_at_once(client, change):
    person = PersonFactory(headline="Old headline")
    paper = PublicationFactory(title="Old title")
    authorship = AuthorshipFactory(publication=paper, position=1, name="Old Author", person=person)
    item = MediaItemFactory(title="Old episode")
    topic = TopicFactory(name="Old topic")
    urls = {
        "paper_title": paper.get_absolute_url(),
        "person_headline": person.get_absolute_url(),
        "media_title": item.get_absolute_url(),
        "topic_name": reverse("topics:list"),
        "author_name": paper.get_absolute_url(),
        "paper_topics": paper.get_absolute_url(),
        "unpublish": reverse("publications:list"),
        "delete": reverse("publications:list"),
        "appearance": item.get_absolute_url(),
    }
    url = urls[change]
    before = get(client, url).content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"
    if change == "paper_title":
        paper.title = "New title"
        paper.save()
        expected, gone = "New title", "Old title"
    elif change == "person_headline":
        person.headline = "New headline"
        person.save()
        expected, gone = "New headline", "Old headline"
    elif change == "media_title":
        item.title = "New episode"
        item.save()
        expected, gone = "New episode", "Old episode"
    elif change == "topic_name":
        topic.name = "New topic"
        topic.save()
        expected, gone = "New topic", "Old topic"
    elif change == "author_name":
        authorship.name = "New Author"
        authorship.save()
        expected, gone = "New Author", "Old Author"
    elif change == "paper_topics":
        paper.topics.add(topic)
        expected, gone = "Old topic", None
    elif change == "unpublish":
        paper.is_published = False
        paper.save()
        expected, gone = None, "Old title"
    elif change == "delete":
        paper.delete()
        expected, gone = None, "Old title"
    else:
        AppearanceFactory(media_item=item, person=PersonFactory(name="Newly Appearing"))
        expected, gone = "Newly Appearing", None
    after = get(client, url)
    assert after["X-Page-Cache"] == "miss"
    html = after.content.decode()
    if expected:
        assert expected in html and expected not in before
    if gone:
        assert gone not in html


def test_scheduled_item_appears_on_time_without_any_job(client):
    soon = timezone.now() + datetime.timedelta(seconds=1.5)
    PublicationFactory(title="Scheduled paper", publish_at=soon)
    url = reverse("publications:list")
    assert "Scheduled paper" not in get(client, url).content.decode()
    time.sleep(2)
    response = get(client, url)
    assert "Scheduled paper" in response.content.decode()


def test_logged_in_staff_bypass_the_cache(staff_client):
    PublicationFactory(title="A draft", is_published=False)
    url = reverse("publications:list")
    response = staff_client.get(url)
    assert "X-Page-Cache" not in response
    assert "A draft" in response.content.decode()


def test_a_visitor_never_gets_a_page_cached_for_staff(client, staff_client):
    PublicationFactory(title="A draft", is_published=False)
    url = reverse("publications:list")
    staff_client.get(url)
    client.cookies.clear()
    assert "A draft" not in client.get(url).content.decode()


def test_conditional_requests_get_304(client):
    PublicationFactory()
    url = reverse("publications:list")
    first = get(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert get(client, url, if_none_match=etag).status_code == 304
    assert get(client, url, if_modified_since=modified).status_code == 304
    time.sleep(1.1)  # HTTP dates have one-second resolution
    PublicationFactory(title="Added later")
    changed = get(client, url, if_none_match=etag)
    assert changed.status_code == 200 and "Added later" in changed.content.decode()
    assert get(client, url, if_modified_since=modified).status_code == 200


def test_not_found_pages_are_not_cached(client):
    url = reverse("publications:detail", kwargs={"slug": "not-yet"})
    assert get(client, url).status_code == 404
    PublicationFactory(slug="not-yet")
    assert get(client, url).status_code == 200


# -- every content type × every kind of change ------------------------------------------
# For each type: its own page, and a page that lists it among others (for publish,
# unpublish, delete and schedule, where the object's own page is a 404 on one side).
TYPES = ("person", "paper", "media item", "topic", "organization", "outlet")
CHANGES = ("edit", "publish", "unpublish", "scheduled publish", "scheduled unpublish", "delete")
# Far enough ahead that the pages before it are requested before it, on a busy machine.
BOUNDARY = datetime.timedelta(seconds=3)


def sleep_past(moment):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.3)


def world():
    """One of every type, all linked, so each shows up on the others' pages."""
    from tests.factories import AffiliationFactory, OrganizationFactory, OutletFactory

    org = OrganizationFactory(name="Orgname Alpha")
    outlet = OutletFactory(name="Outletname Alpha")
    person = PersonFactory(name="Personname Alpha")
    AffiliationFactory(person=person, organization=org)
    paper = PublicationFactory(title="Papertitle Alpha")
    AuthorshipFactory(publication=paper, position=1, person=person, name=person.name)
    paper.organizations.add(org)
    topic = TopicFactory(name="Topicname Alpha")
    paper.topics.add(topic)
    item = MediaItemFactory(title="Mediatitle Alpha", outlet=outlet)
    item.topics.add(topic)
    AppearanceFactory(media_item=item, person=person)
    return {
        "person": person,
        "paper": paper,
        "media item": item,
        "topic": topic,
        "organization": org,
        "outlet": outlet,
    }


def label_field(obj):
    return "title" if hasattr(obj, "title") else "name"


def listing_url(kind, objects):
    """A page that shows ``kind`` among other things (and stays 200 whatever happens)."""
    return {
        "person": reverse("people:list"),
        "paper": reverse("publications:list"),
        "media item": reverse("media:list"),
        "topic": reverse("topics:list"),
        "organization": objects["person"].get_absolute_url(),
        "outlet": reverse("media:list"),
    }[kind]


def shows(client, url, text):
    response = get(client, url)
    return response.status_code == 200 and text in response.content.decode()


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("kind", TYPES)
def test_no_stale_page_after_any_change_to_any_type(client, kind, change):
    objects = world()
    obj = objects[kind]
    field = label_field(obj)
    name = getattr(obj, field)
    own, listing = obj.get_absolute_url(), listing_url(kind, objects)

    if change in ("publish", "scheduled publish"):
        obj.is_published = change == "publish"
        obj.publish_at = None
        type(obj).objects.filter(pk=obj.pk).update(is_published=False)
        obj.refresh_from_db()
        # Refresh the generation the way a save would, then cache the "before" pages.
        obj.save()
        if change == "scheduled publish":
            obj.is_published = True
            obj.publish_at = boundary = timezone.now() + BOUNDARY
            obj.save()
    listed = f'href="{own}"' if kind == "organization" else name
    assert shows(client, listing, listed) == (change not in ("publish", "scheduled publish"))
    assert shows(client, own, name) == (change not in ("publish", "scheduled publish"))
    assert get(client, listing)["X-Page-Cache"] == "hit"

    if change == "edit":
        setattr(obj, field, name.replace("Alpha", "Omega"))
        obj.save()
        # (The old name may rightly stay: an authorship keeps the name as printed.)
        expected, gone = name.replace("Alpha", "Omega"), None
    elif change == "publish":
        obj.is_published = True
        obj.save()
        expected, gone = name, None
    elif change == "unpublish":
        obj.is_published = False
        obj.save()
        expected, gone = None, name
    elif change == "scheduled publish":
        sleep_past(boundary)  # no save: the cached page must expire at the boundary by itself
        expected, gone = name, None
    elif change == "scheduled unpublish":
        obj.unpublish_at = boundary = timezone.now() + BOUNDARY
        obj.save()
        assert shows(client, listing, name) and shows(client, own, name)
        assert get(client, listing)["X-Page-Cache"] == "hit"
        sleep_past(boundary)
        expected, gone = None, name
    else:
        # Rows that protect it go first; then its own page is cached again.
        if kind == "organization":
            obj.affiliations.all().delete()
        elif kind == "outlet":
            obj.media_items.update(outlet=None)
        assert shows(client, own, name)
        assert get(client, own)["X-Page-Cache"] == "hit"
        obj.delete()
        expected, gone = None, name

    for url in (listing, own):
        # A draft organization's name stays on a profile, unlinked: there, its link
        # is what says it is public.
        marker = f'href="{own}"' if kind == "organization" and url == listing else None
        if expected:
            assert shows(client, url, marker or expected), (url, expected)
        if gone:
            assert not shows(client, url, marker or gone), (url, gone)


@pytest.mark.parametrize(
    ("change", "page", "text"),
    [
        ("paper topics", "paper", "Topicname Beta"),
        ("media item topics", "media item", "Topicname Beta"),
        ("topic's papers", "topic", "Papertitle Beta"),
        ("organization's papers", "organization", "Papertitle Beta"),
        ("media item discusses", "media item", "Papertitle Beta"),
        ("author affiliations", "paper", "Orgname Beta"),
    ],
)
def test_no_stale_page_after_a_many_to_many_change(client, change, page, text):
    from tests.factories import OrganizationFactory

    objects = world()
    url = objects[page].get_absolute_url()
    assert text not in get(client, url).content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"
    other_topic = TopicFactory(name="Topicname Beta")
    other_org = OrganizationFactory(name="Orgname Beta")
    other_paper = PublicationFactory(title="Papertitle Beta")
    # The new rows alone already refresh the cache; cache the page again so the
    # assertion below is about the many-to-many change only.
    assert text not in get(client, url).content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"
    if change == "paper topics":
        objects["paper"].topics.add(other_topic)
    elif change == "media item topics":
        objects["media item"].topics.add(other_topic)
    elif change == "topic's papers":
        other_topic.delete()
        objects["topic"].publications.add(other_paper)
    elif change == "organization's papers":
        objects["organization"].publications.add(other_paper)
    elif change == "media item discusses":
        objects["media item"].discusses.add(other_paper)
    else:
        objects["paper"].authorships.get().affiliations.add(other_org)
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert text in response.content.decode()


def test_no_stale_page_after_an_import(client, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    PublicationFactory(title="Papertitle Alpha")
    url = reverse("publications:list")
    assert "Imported by bibtex" not in get(client, url).content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"
    path = tmp_path / "new.bib"
    path.write_text(
        "@article{imported2026,\n  title = {Imported by bibtex},\n"
        "  author = {Doe, Jane and Roe, Richard},\n  year = {2026},\n"
        "  journal = {Journal of Tests},\n}\n"
    )
    # The import bumps the generation when its transaction commits (the test's own
    # transaction never commits, so its on-commit callbacks are run here).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_papers", str(path), "--publish", stdout=StringIO())
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "Imported by bibtex" in response.content.decode()


def test_bookkeeping_rows_no_page_shows_keep_the_cached_pages(client, tmp_path):
    """A dry-run import (an ImportRun row, no paper) and a link check change nothing a
    visitor sees, so cached pages stay."""
    from django.core.management import call_command

    from core.models import LinkCheck

    PublicationFactory(title="Papertitle Alpha")
    url = reverse("publications:list")
    get(client, url)
    path = tmp_path / "new.bib"
    path.write_text("@article{a, title = {Only a dry run}, author = {Doe, Jane}, year = {2026}}")
    call_command("import_papers", str(path), "--dry-run", stdout=StringIO())
    LinkCheck.objects.create(url="https://example.org/", status=200)
    response = get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert "Only a dry run" not in response.content.decode()


def test_a_save_in_another_process_invalidates_this_process_pages(client, settings, tmp_path):
    """gunicorn runs several workers, each with its own local-memory cache: a save that
    one worker handles must stop every other worker from serving its cached copy."""
    import subprocess
    import sys

    settings.PAGE_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    PublicationFactory(title="Papertitle Alpha")
    url = reverse("publications:list")
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    # Another worker saves something: a separate Python process with its own cache.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; "
            f"settings.PAGE_CACHE_GENERATION_FILE = {str(tmp_path / 'generation')!r}; "
            "from core.http.page_cache import bump_generation; bump_generation()",
        ],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
        cwd=settings.BASE_DIR,
    )
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_without_a_generation_file_the_shared_cache_holds_the_generation(client, settings):
    settings.PAGE_CACHE_GENERATION_FILE = ""
    paper = PublicationFactory(title="Papertitle Alpha")
    url = reverse("publications:list")
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    paper.title = "Papertitle Omega"
    paper.save()
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss" and "Papertitle Omega" in response.content.decode()


@pytest.mark.parametrize("kind", ["home", *TYPES])
def test_every_page_type_answers_conditional_requests_with_304(client, kind):
    objects = world()
    url = reverse("site:home") if kind == "home" else objects[kind].get_absolute_url()
    first = get(client, url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    by_etag = get(client, url, if_none_match=first["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert get(client, url, if_modified_since=first["Last-Modified"]).status_code == 304
    assert get(client, url, if_none_match='"something-else"').status_code == 200


def test_a_page_cached_from_the_old_content_before_a_commit_is_retired_at_the_commit(
    client, django_capture_on_commit_callbacks
):
    """With several app servers, another process may cache a page rendered from what is
    still committed (the old content) between a save and its commit: the commit bumps
    the generation again, once however many rows the transaction saved."""
    from django.db import transaction

    from core.http.page_cache import current_generation

    url = reverse("publications:list")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        paper = PublicationFactory(title="Papertitle Alpha")
        paper.title = "Papertitle Omega"
        paper.save()
        PersonFactory()
        # Stands in for the other process: a page cached during the transaction.
        assert get(client, url)["X-Page-Cache"] == "miss"
        assert get(client, url)["X-Page-Cache"] == "hit"
        during = current_generation()
    assert len(callbacks) == 1
    callbacks[0]()
    assert current_generation() != during
    assert get(client, url)["X-Page-Cache"] == "miss"
