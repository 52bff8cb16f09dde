import pytest
from django.urls import reverse

from tests.factories import MediaItemFactory, PersonFactory, PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory", [PersonFactory, PublicationFactory, MediaItemFactory, TopicFactory]
)
def test_permalink_redirects_to_current_page(client, factory):
    obj = factory()
    response = client.get(f"/r/{obj.stable_id}")
    assert response.status_code == 302
    assert response["Location"] == obj.get_absolute_url()


def test_permalink_forgives_case_and_misread_letters(client):
    paper = PublicationFactory()
    typed = paper.stable_id.lower().replace("0", "o").replace("1", "l")
    response = client.get(f"/r/{typed}")
    assert response["Location"] == paper.get_absolute_url()


def test_permalink_of_a_draft_is_404_for_visitors(client):
    paper = PublicationFactory(is_published=False)
    assert client.get(f"/r/{paper.stable_id}").status_code == 404


def test_permalink_of_a_draft_works_for_staff(staff_client):
    paper = PublicationFactory(is_published=False)
    assert staff_client.get(f"/r/{paper.stable_id}").status_code == 302


def test_unknown_permalink_is_a_styled_404(client):
    response = client.get("/r/NOSUCHID00")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_stable_id_survives_a_slug_change():
    paper = PublicationFactory(slug="old-title")
    stable_id = paper.stable_id
    paper.slug = "new-title"
    paper.save()
    paper.refresh_from_db()
    assert paper.stable_id == stable_id


@pytest.mark.parametrize(
    ("factory", "url_name"),
    [
        (PersonFactory, "people:detail"),
        (PublicationFactory, "publications:detail"),
        (MediaItemFactory, "media:detail"),
        (TopicFactory, "topics:detail"),
    ],
)
def test_old_slug_redirects_permanently_after_a_rename(client, factory, url_name):
    obj = factory(slug="first-slug")
    obj.refresh_from_db()
    obj.slug = "second-slug"
    obj.save()
    obj.slug = "third-slug"
    obj.save()
    for old in ("first-slug", "second-slug"):
        response = client.get(reverse(url_name, kwargs={"slug": old}))
        assert response.status_code == 301
        assert response["Location"] == reverse(url_name, kwargs={"slug": "third-slug"})
    assert client.get(reverse(url_name, kwargs={"slug": "third-slug"})).status_code == 200


def test_old_slug_of_an_unpublished_object_stays_404(client):
    paper = PublicationFactory(slug="was-here")
    paper.refresh_from_db()
    paper.slug = "moved"
    paper.is_published = False
    paper.save()
    old_url = reverse("publications:detail", kwargs={"slug": "was-here"})
    assert client.get(old_url).status_code == 404
