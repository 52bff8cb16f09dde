"""Revisions: every admin save is kept with who and when, shown as a diff, restorable."""

import pytest
from django.urls import reverse
from reversion.models import Version

from publications.models import Publication
from tests.admin.forms import change_form_data
from tests.factories import AuthorshipFactory, EditorFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])


def revision_url(obj, version):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_revision", args=[obj.pk, version.pk])


def restore_in_admin(client, obj, version):
    """Open the version's restore page, as an editor does from History, and confirm."""
    page = client.get(revision_url(obj, version))
    assert page.status_code == 200
    assert "Restore this version" in page.content.decode()
    response = client.post(revision_url(obj, version))
    assert response.status_code == 302, response
    return page


def save_in_admin(client, obj, **changes):
    page = client.get(change_url(obj))
    response = client.post(change_url(obj), change_form_data(page, **changes))
    assert response.status_code == 302, response.context and [
        f.errors for f in [response.context["adminform"].form]
    ]
    return response


@pytest.fixture
def paper():
    paper = PublicationFactory(title="First title")
    AuthorshipFactory(publication=paper, position=1, name="Ada Lovelace")
    AuthorshipFactory(publication=paper, position=2, name="Charles Babbage")
    return paper


def test_each_save_is_a_version_with_who_and_a_field_diff(editor_client, editor, paper):
    save_in_admin(editor_client, paper)
    save_in_admin(
        editor_client,
        paper,
        title="Second title",
        **{"authorships-1-name": "Grace Hopper"},
    )
    versions = Version.objects.get_for_object(paper)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {editor}
    page = editor_client.get(history_url(paper)).content.decode()
    assert "First title" in page and "Second title" in page
    assert "1. Ada Lovelace, 2. Charles Babbage" in page  # the author list before…
    assert "1. Ada Lovelace, 2. Grace Hopper" in page  # …and after
    assert "Changed Title" in page and "Keywords" not in page


def test_restoring_a_version_brings_back_fields_and_authors(staff_client, paper):
    save_in_admin(staff_client, paper)
    first = Version.objects.get_for_object(paper).get()
    save_in_admin(
        staff_client,
        paper,
        title="Changed title",
        **{"authorships-0-name": "Someone Else"},
    )
    page = restore_in_admin(staff_client, paper, first).content.decode()
    assert "Changed title" in page and "First title" in page  # shown before it is done
    assert "Someone Else" in page and "Ada Lovelace" in page
    paper.refresh_from_db()
    assert paper.title == "First title"
    assert [a.name for a in paper.authorships.all()] == ["Ada Lovelace", "Charles Babbage"]


def test_bulk_publish_is_recorded_as_a_revision(staff_client, superuser):
    drafts = PublicationFactory.create_batch(2, is_published=False)
    staff_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish", "_selected_action": [p.pk for p in drafts]},
    )
    for paper in drafts:
        version = Version.objects.get_for_object(paper).get()
        assert version.revision.user == superuser
        assert version.revision.get_comment() == "Bulk action: published."
        assert version.field_dict["is_published"] is True


def test_each_model_follows_exactly_the_rows_its_admin_edits():
    from reversion.revisions import _get_options

    from media_items.models import MediaItem, Outlet
    from profiles.models import Organization, Person
    from publications.models import Topic

    follows = {
        model.__name__: _get_options(model).follow
        for model in (Person, Publication, MediaItem, Organization, Topic, Outlet)
    }
    assert follows == {
        "Person": ("affiliations", "links", "reported_metrics", "selected_work"),
        "Publication": ("authorships",),
        "MediaItem": ("appearances", "key_points"),
        "Organization": (),
        "Topic": (),
        "Outlet": (),
    }


def test_person_revisions_follow_affiliations_and_selected_work(staff_client):
    from tests.factories import AffiliationFactory, SelectedWorkFactory

    person = PersonFactory(name="Evan")
    AffiliationFactory(person=person, role="Research scientist")
    SelectedWorkFactory(person=person, title="Conditioning Predictive Models", url="https://x.org")
    save_in_admin(staff_client, person)
    version = Version.objects.get_for_object(person).get()
    held = sorted((v.content_type.model, v.object_repr) for v in version.revision.version_set.all())
    assert [model for model, _ in held] == ["affiliation", "person", "selectedwork"]
    assert ("selectedwork", "Conditioning Predictive Models") in held


def test_second_editor_cannot_silently_overwrite_the_first(client, paper):
    alice, bob = EditorFactory(username="alice"), EditorFactory(username="bob")
    client.force_login(alice)
    save_in_admin(client, paper)  # the paper has a recorded version…
    client.force_login(bob)
    bobs_page = client.get(change_url(paper))  # …Bob opens the form…
    client.force_login(alice)
    save_in_admin(client, paper, title="Alice's title")  # …Alice saves first…
    client.force_login(bob)
    response = client.post(
        change_url(paper), change_form_data(bobs_page, title="Bob's title")
    )  # …then Bob saves.
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved by alice on " in page and "after you opened it" in page
    assert "They changed: Title." in page
    assert 'value="Bob&#x27;s title"' in page  # Bob's typing is kept in the form
    assert Publication.objects.get(pk=paper.pk).title == "Alice's title"


def test_saving_again_after_reloading_works(editor_client, paper):
    save_in_admin(editor_client, paper, title="One")
    save_in_admin(editor_client, paper, title="Two")
    paper.refresh_from_db()
    assert paper.title == "Two"


def test_conflict_on_an_item_without_recorded_versions_still_refuses(client, paper):
    bob = EditorFactory(username="bob")
    client.force_login(bob)
    bobs_page = client.get(change_url(paper))
    Publication.objects.filter(pk=paper.pk).update(title="Changed by a script")
    paper.refresh_from_db()
    paper.save()  # bumps updated_at, as any save does
    response = client.post(change_url(paper), change_form_data(bobs_page, title="Bob's title"))
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Publication.objects.get(pk=paper.pk).title == "Changed by a script"


def _person_with_inlines():
    from tests.factories import AffiliationFactory, ProfileLinkFactory

    person = PersonFactory(name="Rosalind Franklin")
    AffiliationFactory(person=person, role="Research fellow")
    ProfileLinkFactory(person=person, label="Lab page")
    return person


def _media_item_with_inlines():
    from tests.factories import AppearanceFactory, KeyPointFactory, MediaItemFactory

    item = MediaItemFactory(title="Episode one")
    AppearanceFactory(media_item=item, person=PersonFactory(name="Guest Person"))
    KeyPointFactory(media_item=item, position=1, text="The first key point")
    return item


INLINE_CASES = {
    # case: (build, main field, {inline form field: (old, new)}, read the inline values back)
    "person affiliation": (
        _person_with_inlines,
        "name",
        {"affiliations-0-role": ("Research fellow", "Professor")},
        lambda obj: [a.role for a in obj.affiliations.all()],
    ),
    "person link": (
        _person_with_inlines,
        "name",
        {"links-0-label": ("Lab page", "Old lab page")},
        lambda obj: [link.label for link in obj.links.all()],
    ),
    "media item key point": (
        _media_item_with_inlines,
        "title",
        {"key_points-0-text": ("The first key point", "A rewritten key point")},
        lambda obj: [k.text for k in obj.key_points.all()],
    ),
    "media item appearance": (
        _media_item_with_inlines,
        "title",
        {"appearances-0-role": ("guest", "host")},
        lambda obj: [a.role for a in obj.appearances.all()],
    ),
}


@pytest.mark.parametrize("case", list(INLINE_CASES))
def test_history_and_restore_cover_each_model_and_its_inlines(staff_client, case):
    build, main_field, inline_change, read_inline = INLINE_CASES[case]
    obj = build()
    ((inline_field, (old, new)),) = inline_change.items()
    original = getattr(obj, main_field)
    save_in_admin(staff_client, obj)
    first = Version.objects.get_for_object(obj).get()
    page = staff_client.get(change_url(obj))
    assert inline_field in change_form_data(page), sorted(change_form_data(page))
    save_in_admin(staff_client, obj, **{main_field: "Renamed", inline_field: new})
    obj.refresh_from_db()
    assert getattr(obj, main_field) == "Renamed"
    assert read_inline(obj) == [new]
    history = staff_client.get(history_url(obj)).content.decode()
    assert "Renamed" in history and original in history

    restore_in_admin(staff_client, obj, first)
    obj.refresh_from_db()
    assert getattr(obj, main_field) == original
    assert read_inline(obj) == [old]


def test_conflict_after_an_import_names_only_who_saved_since_and_what_differs(client):
    from publications.importing.detect import Source
    from publications.importing.service import import_papers

    bib = b"@article{a, title={Imported paper}, author={Ada Lovelace and Bob Byte}, year={2020}}"
    assert import_papers([Source(name="a.bib", data=bib)]).ok
    paper = Publication.objects.get()
    alice, bob = EditorFactory(username="alice"), EditorFactory(username="bob")
    client.force_login(bob)
    bobs_page = client.get(change_url(paper))
    client.force_login(alice)
    save_in_admin(client, paper, venue="Alice's venue", **{"authorships-1-name": "B. Byte"})
    client.force_login(bob)
    response = client.post(change_url(paper), change_form_data(bobs_page, title="Bob's title"))
    page = response.content.decode()
    assert "saved by alice on " in page
    assert "import" not in page.split("saved by")[1].split("after you opened it")[0]
    assert "They changed: Venue, Authors." in page
    assert Publication.objects.get(pk=paper.pk).title == "Imported paper"
