"""Staff preview a draft, or the unsaved values of a change form, exactly as a visitor
would see the page, at a URL only staff can open; nothing is saved."""

import pytest
from django.urls import reverse

from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Publication
from tests.admin.forms import change_form_data
from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
)
from tests.showcase.page import page

pytestmark = pytest.mark.django_db


def preview_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def h1(response):
    return page(response).find("h1").text


def banner(response):
    found = page(response).find(cls="draft-banner")
    return found.text if found else ""


@pytest.fixture
def draft_paper():
    paper = PublicationFactory(title="Draft paper title", is_published=False)
    AuthorshipFactory(publication=paper, position=1, name="Ada Author")
    return paper


@pytest.fixture
def draft_person():
    return PersonFactory(name="Draft Person", headline="Old headline", is_published=False)


@pytest.fixture
def draft_media():
    item = MediaItemFactory(title="Draft episode", is_published=False)
    AppearanceFactory(media_item=item, person=PersonFactory(name="Guest Person"))
    return item


@pytest.fixture(params=["person", "paper", "media"])
def draft(request, draft_person, draft_paper, draft_media):
    return {"person": draft_person, "paper": draft_paper, "media": draft_media}[request.param]


def title_field(obj):
    return "name" if isinstance(obj, Person) else "title"


def test_visitors_get_404_on_the_public_page_and_login_on_the_preview(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    for method in (client.get, client.post):
        response = method(preview_url(draft))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_non_staff_user_cannot_preview(client, draft):
    client.force_login(UserFactory())
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_preview_a_draft_as_visitors_will_see_it(staff_client, draft):
    response = staff_client.get(preview_url(draft))
    assert response.status_code == 200
    assert getattr(draft, title_field(draft)) in h1(response)
    text = banner(response)
    assert text.startswith("Preview")
    assert "not visible to visitors yet" in text
    assert "because you are staff" not in text
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_the_change_form_offers_both_previews(staff_client, draft):
    response = staff_client.get(change_url(draft))
    doc = page(response)
    url = preview_url(draft)
    assert doc.find("a", href=url).text == "Preview"
    # "Preview changes" submits the change form itself, which carries the CSRF token.
    (form,) = [f for f in doc.find_all("form") if f.find("input", name="_preview")]
    button = form.find("input", name="_preview")
    assert button["formaction"] == url
    assert button["formtarget"] == "_blank"
    assert form.find("input", name="csrfmiddlewaretoken")


def test_preview_shows_unsaved_changes_and_saves_nothing(staff_client, draft):
    field = title_field(draft)
    before = type(draft).objects.get(pk=draft.pk)
    form = staff_client.get(change_url(draft))
    data = change_form_data(form, **{field: "Brand new unsaved title"})
    response = staff_client.post(preview_url(draft), data)
    assert response.status_code == 200
    assert "Brand new unsaved title" in h1(response)
    assert "nothing has been saved" in banner(response)
    after = type(draft).objects.get(pk=draft.pk)
    assert getattr(after, field) == getattr(before, field)
    assert after.updated_at == before.updated_at
    assert staff_client.get(draft.get_absolute_url()).status_code == 200
    assert "Brand new unsaved title" not in h1(staff_client.get(draft.get_absolute_url()))


def test_unsaved_preview_uses_the_posted_publishing_state(staff_client, draft_paper):
    form = staff_client.get(change_url(draft_paper))
    data = change_form_data(form, is_published="on")
    response = staff_client.post(preview_url(draft_paper), data)
    assert "not visible to visitors yet" not in banner(response)
    assert Publication.objects.get(pk=draft_paper.pk).is_published is False


def test_preview_shows_saved_inlines(staff_client, draft_paper, draft_media):
    form = staff_client.get(change_url(draft_paper))
    response = staff_client.post(preview_url(draft_paper), change_form_data(form))
    assert "Ada Author" in response.content.decode()
    form = staff_client.get(change_url(draft_media))
    response = staff_client.post(preview_url(draft_media), change_form_data(form))
    assert "Guest Person" in response.content.decode()


def test_preview_of_an_invalid_form_says_what_is_wrong(staff_client, draft_paper):
    form = staff_client.get(change_url(draft_paper))
    data = change_form_data(form, title="")
    response = staff_client.post(preview_url(draft_paper), data)
    assert response.status_code == 400
    assert "nothing to preview" in response.content.decode()
    assert Publication.objects.get(pk=draft_paper.pk).title == "Draft paper title"


def test_preview_renders_the_surroundings_as_a_visitor_sees_them(staff_client):
    """A profile preview lists the person's published papers only, like a visitor's."""
    person = PersonFactory(name="Previewed Person", is_published=False)
    AuthorshipFactory(
        publication=PublicationFactory(title="Published paper"), person=person, position=1
    )
    AuthorshipFactory(
        publication=PublicationFactory(title="Hidden draft paper", is_published=False),
        person=person,
        position=1,
    )
    response = staff_client.get(preview_url(person))
    html = response.content.decode()
    assert "Published paper" in html
    assert "Hidden draft paper" not in html
    # The public page shows staff the draft paper (with a badge), the preview does not.
    assert "Hidden draft paper" in staff_client.get(person.get_absolute_url()).content.decode()


def test_preview_is_not_confused_by_an_edit_conflict_token(staff_client, draft_media):
    form = staff_client.get(change_url(draft_media))
    MediaItem.objects.filter(pk=draft_media.pk).update(title="Changed elsewhere")
    data = change_form_data(form, title="My unsaved title")
    response = staff_client.post(preview_url(draft_media), data)
    assert response.status_code == 200
    assert "My unsaved title" in h1(response)


def test_unknown_object_preview_is_404_for_staff(staff_client):
    url = reverse("admin:publications_publication_preview", args=[999999])
    assert staff_client.get(url).status_code == 404
