"""The smaller findings of issue 13 (finding 7): the security headers on every kind of
response, ``Cache-Control: private`` on what staff are shown, and ``/media-files/``
serving only real uploads that are still in use.
"""

import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.admin.forms import change_form_data
from tests.api.conftest import client_for
from tests.core.test_security_settings import assert_security_headers
from tests.factories import EditorFactory, PersonFactory, PublicationFactory
from tests.profiles.test_photo_uploads import image_file, upload

pytestmark = pytest.mark.django_db


# -- security headers, X-Frame-Options included, on every kind of response --------------------
def test_headers_on_a_static_file(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)


def test_headers_on_a_304(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    paper = PublicationFactory()
    etag = client.get(paper.get_absolute_url())["ETag"]
    response = client.get(paper.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert_security_headers(response)


def test_headers_on_a_413(client):
    response = client.post("/search/", data=b"x", content_type="text/plain", CONTENT_LENGTH=10**9)
    assert response.status_code == 413
    assert_security_headers(response)


def test_headers_on_a_414(client):
    response = client.get("/publications/?q=" + "a" * 9000)
    assert response.status_code == 414
    assert_security_headers(response)


def test_headers_on_the_redirect_that_adds_a_slash(client):
    response = client.get("/people")
    assert response.status_code == 301
    assert response["Location"] == "/people/"
    assert_security_headers(response)


# -- what staff are shown is private -----------------------------------------------------------
def test_staff_pages_showing_drafts_are_private(client):
    draft = PersonFactory(is_published=False)
    client.force_login(EditorFactory())
    for url in (draft.get_absolute_url(), reverse("people:list")):
        response = client.get(url)
        assert response.status_code == 200
        assert draft.name in response.content.decode()
        assert "private" in response["Cache-Control"], url


def test_api_answers_to_a_token_are_private():
    draft = PersonFactory(is_published=False)
    response = client_for(EditorFactory()).get(f"/api/v1/people/{draft.slug}/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_visitors_pages_stay_shareable(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    response = client.get(reverse("people:list"))
    assert "private" not in response.get("Cache-Control", "")
    assert client.get(reverse("people:list"))["X-Page-Cache"] == "hit"


# -- /media-files/ serves real uploads only ----------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    (root / "people").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG)
    return root, outside


def test_a_symlink_inside_media_root_is_not_followed(client, media_root):
    root, outside = media_root
    os.symlink(outside / "secret.png", root / "people" / "link.png")
    os.symlink(outside, root / "people" / "folder")
    assert client.get("/media-files/people/link.png").status_code == 404
    assert client.get("/media-files/people/folder/secret.png").status_code == 404


def test_a_symlinked_upload_folder_is_not_followed(client, media_root):
    root, outside = media_root
    (root / "people").rmdir()
    os.symlink(outside, root / "people")
    assert client.get("/media-files/people/secret.png").status_code == 404


def test_only_the_upload_folders_are_served(client, media_root):
    root, _ = media_root
    (root / "people" / "real.png").write_bytes(PNG)
    (root / "backups").mkdir()
    (root / "backups" / "dump.png").write_bytes(PNG)
    (root / "top.png").write_bytes(PNG)
    assert client.get("/media-files/people/real.png").status_code == 200
    assert client.get("/media-files/backups/dump.png").status_code == 404
    assert client.get("/media-files/top.png").status_code == 404


@pytest.fixture
def photographed(staff_client, django_capture_on_commit_callbacks):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(staff_client, person, image_file(name="old.png")).status_code == 302
    person.refresh_from_db()
    assert staff_client.get(person.photo.url).status_code == 200
    return person


def gone(client, name):
    served = client.get(f"/media-files/{name}").status_code == 200
    return not default_storage.exists(name) and not served


def test_a_replaced_photo_is_deleted_and_no_longer_served(
    client, staff_client, photographed, django_capture_on_commit_callbacks
):
    old = photographed.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(staff_client, photographed, image_file(name="new.png")).status_code == 302
    photographed.refresh_from_db()
    assert photographed.photo.name != old
    assert gone(client, old)
    assert client.get(photographed.photo.url).status_code == 200


def test_a_cleared_photo_is_deleted(
    client, staff_client, photographed, django_capture_on_commit_callbacks
):
    old = photographed.photo.name
    url = reverse("admin:profiles_person_change", args=[photographed.pk])
    data = change_form_data(staff_client.get(url), **{"photo-clear": "on"})
    data.pop("photo", None)
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, data).status_code == 302
    photographed.refresh_from_db()
    assert not photographed.photo
    assert gone(client, old)


def test_a_deleted_persons_photo_is_deleted(
    client, photographed, django_capture_on_commit_callbacks
):
    old = photographed.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        photographed.delete()
    assert gone(client, old)


def test_a_refused_replacement_keeps_the_photo(
    client, staff_client, photographed, django_capture_on_commit_callbacks
):
    old = photographed.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(staff_client, photographed, image_file("GIF", name="anim.gif"))
    assert response.status_code == 200  # the form again, with the reason
    assert Path(default_storage.path(old)).is_file()
    assert client.get(f"/media-files/{old}").status_code == 200
