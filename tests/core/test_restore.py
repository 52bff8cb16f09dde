"""Restoring a version changes that object and its own rows, nothing else; it shows what
it will change first, refuses (changing nothing) what it cannot do, and is recorded."""

import json

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from core.db.revisions import history
from media_items.models import MediaItem
from profiles.models import Person
from publications.importing.detect import Source
from publications.importing.service import import_papers
from publications.models import Authorship, Publication
from tests.admin.forms import change_form_data
from tests.core.test_revisions import change_url, history_url, restore_in_admin, revision_url
from tests.core.test_revisions import save_in_admin as save
from tests.factories import (
    AuthorshipFactory,
    EditorFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

TWO_PAPERS = b"""
@article{alpha, title = {Alpha paper}, author = {Ada Lovelace and Charles Babbage},
  journal = {Journal A}, year = {2020}}
@article{beta, title = {Beta paper}, author = {Grace Hopper and Alan Turing},
  journal = {Journal B}, year = {2021}}
"""


def import_bib(data, **options):
    result = import_papers([Source(name="papers.bib", data=data)], **options)
    assert result.ok, result.errors
    return result


def test_restoring_one_paper_of_an_import_run_leaves_the_other_as_edited(editor_client):
    import_bib(TWO_PAPERS)
    alpha, beta = (
        Publication.objects.get(title="Alpha paper"),
        Publication.objects.get(title="Beta paper"),
    )
    (alpha_first,) = Version.objects.get_for_object(alpha)
    (beta_first,) = Version.objects.get_for_object(beta)
    assert alpha_first.revision_id == beta_first.revision_id  # one revision for the run

    save(editor_client, beta, venue="Journal B, edited", **{"authorships-1-name": "A. M. Turing"})
    save(editor_client, alpha, title="Alpha, renamed")
    restore_in_admin(editor_client, alpha, alpha_first)

    alpha.refresh_from_db()
    beta.refresh_from_db()
    assert alpha.title == "Alpha paper"
    assert beta.venue == "Journal B, edited"
    assert [a.name for a in beta.authorships.all()] == ["Grace Hopper", "A. M. Turing"]
    assert Version.objects.get_for_object(beta).count() == 2  # nothing new in B's history


def test_restoring_a_person_demo_version_leaves_papers_an_import_changed(editor_client):
    from showcase.demo import load_demo

    load_demo()
    person = Person.objects.get(slug="evan-hubinger")
    paper = Publication.objects.filter(authorships__person=person).order_by("pk").first()
    (person_demo,) = Version.objects.get_for_object(person)
    # An import adds an arXiv id and authors to one of the demo's papers…
    Publication.objects.filter(arxiv_id="2999.00001").delete()
    with reversion.create_revision():
        paper.arxiv_id = "2999.00001"
        paper.save()
        for position in range(90, 97):
            Authorship.objects.create(
                publication=paper, position=position, name=f"Added {position}"
            )
    authors_before = list(paper.authorships.values_list("name", flat=True))
    # …and the person's headline is edited, then their demo version restored.
    save(editor_client, person, headline="A new headline")
    restore_in_admin(editor_client, person, person_demo)

    person.refresh_from_db()
    paper.refresh_from_db()
    assert person.headline != "A new headline"
    assert paper.arxiv_id == "2999.00001"
    assert list(paper.authorships.values_list("name", flat=True)) == authors_before


def test_the_restore_page_shows_each_change_with_labels_before_anything_changes(editor_client):
    paper = PublicationFactory(title="First title", venue="NeurIPS")
    AuthorshipFactory(publication=paper, position=1, name="Ada Lovelace")
    AuthorshipFactory(publication=paper, position=2, name="Charles Babbage")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(
        editor_client,
        paper,
        venue="ICML",
        **{"authorships-1-is_equal_contribution": "on", "authorships-0-name": "A. Lovelace"},
    )
    page = editor_client.get(revision_url(paper, first)).content.decode()
    assert "What restoring it changes" in page
    assert "Venue" in page and "<del>ICML</del>" in page and "<ins>NeurIPS</ins>" in page
    assert "Equal contribution <del>Yes</del> → <ins>No</ins>" in page
    assert "Name as written <del>A. Lovelace</del> → <ins>Ada Lovelace</ins>" in page
    assert "is_equal_contribution" not in page and "published_on" not in page  # labels only
    paper.refresh_from_db()
    assert paper.venue == "ICML"  # looking changed nothing


def test_a_restore_is_a_new_version_by_the_editor_and_counts_as_an_edit(editor_client, editor):
    paper = PublicationFactory(title="Imported title")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, title="Edited title")
    Publication.objects.filter(pk=paper.pk).update(edited_fields=[])
    restore_in_admin(editor_client, paper, first)
    newest = Version.objects.get_for_object(paper).order_by("-pk").first()
    assert newest.revision.user == editor
    assert newest.revision.get_comment().startswith("Restored the version of ")
    assert newest.field_dict["title"] == "Imported title"
    paper.refresh_from_db()
    assert "title" in paper.edited_fields  # later imports leave the restored title alone


def test_restoring_swapped_author_positions_works(editor_client):
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, position=1, name="First")
    AuthorshipFactory(publication=paper, position=2, name="Second")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, **{"authorships-0-position": "3"})
    save(editor_client, paper, **{"authorships-0-position": "1"})
    save(editor_client, paper, **{"authorships-1-position": "2"})
    assert [a.name for a in paper.authorships.all()] == ["Second", "First"]
    restore_in_admin(editor_client, paper, first)
    assert [(a.position, a.name) for a in paper.authorships.all()] == [(1, "First"), (2, "Second")]


def test_a_state_changed_without_a_version_is_recorded_before_a_restore(editor_client):
    paper = PublicationFactory(title="One")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, title="Two")
    Publication.objects.filter(pk=paper.pk).update(title="Three, by a script")
    restore_in_admin(editor_client, paper, first)
    titles = [v.field_dict["title"] for v in Version.objects.get_for_object(paper).order_by("pk")]
    assert titles == ["One", "Two", "Three, by a script", "One"]


def test_a_slug_taken_since_stops_the_restore_and_changes_nothing(editor_client):
    paper = PublicationFactory(title="Paper", slug="the-slug")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, slug="new-slug", title="Paper, renamed")
    PublicationFactory(slug="the-slug")
    page = editor_client.get(revision_url(paper, first)).content.decode()
    assert "Slug" in page and "already exists" in page
    assert "Restore this version" not in page
    response = editor_client.post(revision_url(paper, first), follow=True)
    assert "Nothing was restored" in response.content.decode()
    paper.refresh_from_db()
    assert (paper.slug, paper.title) == ("new-slug", "Paper, renamed")


def test_a_related_object_deleted_since_stops_the_restore_and_says_which(editor_client):
    topic = TopicFactory(name="Deceptive alignment")
    paper = PublicationFactory(title="Paper")
    paper.topics.add(topic)
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, title="Paper, renamed")
    topic.delete()
    page = editor_client.get(revision_url(paper, first)).content.decode()
    assert "has been deleted since this version was saved" in page
    assert "Restore this version" not in page
    editor_client.post(revision_url(paper, first))
    paper.refresh_from_db()
    assert paper.title == "Paper, renamed"


def test_recovering_a_deleted_paper_brings_back_its_authors_only(editor_client):
    import_bib(TWO_PAPERS)
    alpha = Publication.objects.get(title="Alpha paper")
    version = Version.objects.get_for_object(alpha).get()
    alpha_pk = alpha.pk
    alpha.delete()
    beta = Publication.objects.get(title="Beta paper")
    save(editor_client, beta, venue="Edited")
    url = reverse("admin:publications_publication_recover", args=[version.pk])
    page = editor_client.get(url)
    assert page.status_code == 200 and "Recover this publication" in page.content.decode()
    assert editor_client.post(url).status_code == 302
    alpha = Publication.objects.get(pk=alpha_pk)
    assert [a.name for a in alpha.authorships.all()] == ["Ada Lovelace", "Charles Babbage"]
    assert Publication.objects.get(title="Beta paper").venue == "Edited"


def test_only_editors_who_may_change_can_restore(client, editor_client):
    paper = PublicationFactory(title="One")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, title="Two")
    viewer = EditorFactory(username="viewer")
    viewer.groups.clear()
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(viewer)
    page = client.get(revision_url(paper, first))
    assert page.status_code == 200 and "Restore this version" not in page.content.decode()
    assert client.post(revision_url(paper, first)).status_code == 403
    assert Publication.objects.get(pk=paper.pk).title == "Two"


# -- versions written before this code ---------------------------------------------------
def _old_style_revision(objects, comment="Loaded the demo content."):
    """A revision as older code wrote them: several top-level objects in one."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        for obj in objects:
            reversion.add_to_revision(obj)
    return Revision.objects.order_by("-pk").first()


def test_history_renders_for_old_versions_of_every_shape(editor_client):
    person = PersonFactory(name="Evan Hubinger")
    paper = PublicationFactory(title="Sleeper Agents", has_more_authors=True)
    AuthorshipFactory(publication=paper, position=1, name="Evan Hubinger")
    AuthorshipFactory(publication=paper, position=None, name="Behind et al.", person=person)
    item = MediaItemFactory(title="Episode")
    # One revision holding everything, as the demo loader wrote it.
    _old_style_revision([person, paper, item])
    # A version whose data no longer fits the model (a field that changed type).
    version = Version.objects.get_for_object(paper).get()
    broken = json.loads(version.serialized_data)
    broken[0]["fields"]["published_on"] = "not a date"
    Version.objects.create(
        revision=Revision.objects.create(comment="Broken", date_created=timezone.now()),
        object_id=str(paper.pk),
        content_type=version.content_type,
        db=version.db,
        format="json",
        serialized_data=json.dumps(broken),
        object_repr="Sleeper Agents",
    )
    # A related person deleted since.
    helper = PersonFactory(name="Deleted later")
    AuthorshipFactory(publication=paper, position=2, name="Deleted later", person=helper)
    save(editor_client, paper)
    helper.delete()
    save(editor_client, paper, title="Sleeper Agents (v2)")

    for obj in (person, paper, item):
        response = editor_client.get(history_url(obj))
        assert response.status_code == 200
        for entry in history(obj):
            assert editor_client.get(revision_url(obj, entry["version"])).status_code == 200
    page = editor_client.get(history_url(paper)).content.decode()
    assert "can no longer be read" in page
    assert "et al.: Behind et al." in page
    person_page = editor_client.get(history_url(person)).content.decode()
    assert "Sleeper Agents" not in person_page  # the paper is not part of the person


def test_restoring_an_old_multi_object_revision_touches_one_object(editor_client):
    person = PersonFactory(name="Evan Hubinger", headline="Old headline")
    paper = PublicationFactory(title="Old title")
    revision = _old_style_revision([person, paper])
    person_version = revision.version_set.get(content_type__model="person")
    Person.objects.filter(pk=person.pk).update(headline="New headline")
    Publication.objects.filter(pk=paper.pk).update(title="New title")
    restore_in_admin(editor_client, person, person_version)
    assert Person.objects.get(pk=person.pk).headline == "Old headline"
    assert Publication.objects.get(pk=paper.pk).title == "New title"


def test_media_item_restore_keeps_other_items_appearances(editor_client):
    guest = PersonFactory(name="Guest")
    one, two = MediaItemFactory(title="One"), MediaItemFactory(title="Two")
    from tests.factories import AppearanceFactory

    AppearanceFactory(media_item=one, person=guest)
    AppearanceFactory(media_item=two, person=guest)
    revision = _old_style_revision([one, two])
    MediaItem.objects.filter(pk=one.pk).update(title="One, edited")
    MediaItem.objects.filter(pk=two.pk).update(title="Two, edited")
    two.appearances.all().delete()
    restore_in_admin(
        editor_client,
        one,
        revision.version_set.get(object_id=str(one.pk), content_type__model="mediaitem"),
    )
    assert MediaItem.objects.get(pk=one.pk).title == "One"
    assert MediaItem.objects.get(pk=two.pk).title == "Two, edited"
    assert not MediaItem.objects.get(pk=two.pk).appearances.exists()


def test_the_change_form_of_a_restored_paper_saves_again(editor_client):
    paper = PublicationFactory(title="One")
    save(editor_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save(editor_client, paper, title="Two")
    restore_in_admin(editor_client, paper, first)
    page = editor_client.get(change_url(paper))
    response = editor_client.post(change_url(paper), change_form_data(page, title="Three"))
    assert response.status_code == 302


def test_api_writes_are_versions_an_editor_can_restore_and_recover(editor_client, editor):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(editor)
    created = api.post(
        "/api/v1/publications/",
        {"title": "Through the API", "kind": "preprint", "authorships": [{"name": "Ada"}]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    paper = Publication.objects.get(title="Through the API")
    slug = paper.slug
    assert (
        api.patch(f"/api/v1/publications/{slug}/", {"venue": "ICML"}, format="json").status_code
        == 200
    )
    versions = list(Version.objects.get_for_object(paper).order_by("pk"))
    assert [v.revision.get_comment() for v in versions] == [
        "Created through the API.",
        "Changed through the API.",
    ]
    assert {v.revision.user for v in versions} == {editor}
    restore_in_admin(editor_client, paper, versions[0])
    assert Publication.objects.get(pk=paper.pk).venue == ""

    assert api.delete(f"/api/v1/publications/{slug}/").status_code == 204
    (deleted,) = Version.objects.get_deleted(Publication)
    url = reverse("admin:publications_publication_recover", args=[deleted.pk])
    assert editor_client.post(url).status_code == 302
    assert [a.name for a in Publication.objects.get(pk=paper.pk).authorships.all()] == ["Ada"]


def test_a_photo_deleted_since_is_not_restored_and_the_page_says_so(
    editor_client, django_capture_on_commit_callbacks
):
    from tests.profiles.test_photo_uploads import image_file, upload

    person = PersonFactory(name="Photographed", headline="First headline")
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(editor_client, person, image_file(name="one.png")).status_code == 302
    first = Version.objects.get_for_object(person).order_by("-pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(editor_client, person, image_file(name="two.png")).status_code == 302
    save(editor_client, person, headline="Second headline")
    person.refresh_from_db()
    current = person.photo.name
    page = editor_client.get(revision_url(person, first)).content.decode()
    assert "has been deleted since; the current one is kept" in page
    restore_in_admin(editor_client, person, first)
    person.refresh_from_db()
    assert person.headline == "First headline" and person.photo.name == current
