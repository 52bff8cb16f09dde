"""Uploaded photos are served from MEDIA_ROOT with safe headers; nothing else there is."""

import pytest
from django.urls import reverse

from core.http.media import CONTENT_TYPES
from profiles.uploads import ALLOWED_FORMATS
from tests.factories import PersonFactory
from tests.profiles.test_photo_uploads import image_file, upload

pytestmark = pytest.mark.django_db


def test_every_accepted_photo_type_is_served():
    assert set(ALLOWED_FORMATS.values()) <= set(CONTENT_TYPES)


def test_an_uploaded_photo_shows_on_the_profile_and_is_served_as_an_image(staff_client, client):
    person = PersonFactory(name="Photo Owner")
    assert upload(staff_client, person, image_file(name="me.png")).status_code == 302
    person.refresh_from_db()

    page = client.get(person.get_absolute_url()).content.decode()
    assert f'src="{person.photo.url}"' in page

    response = client.get(person.photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "max-age=" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x89PNG")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "people").mkdir(parents=True)
    (settings.MEDIA_ROOT / "people" / "page.html").write_text("<script>alert(1)</script>")
    (settings.MEDIA_ROOT / "people" / ".hidden.png").write_bytes(b"x")
    (settings.MEDIA_ROOT / "people" / "ok.JPG").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "secret.png").write_bytes(b"secret")
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    "path",
    [
        "people/page.html",  # a type uploads never have
        "people/.hidden.png",
        "people/missing.png",
        "people/",
        "people/../../secret.png",
        "people/%2e%2e/%2e%2e/secret.png",
        "%2fetc/passwd.png",
    ],
)
def test_anything_but_an_uploaded_image_is_a_404(client, media_root, path):
    assert client.get(f"/media-files/{path}").status_code == 404


def test_extension_case_does_not_matter(client, media_root):
    response = client.get("/media-files/people/ok.JPG")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_only_safe_methods(client, media_root):
    assert client.post("/media-files/people/ok.JPG").status_code == 405


def test_no_route_when_uploads_live_in_object_storage(settings):
    from core.http import media

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    assert media.urlpatterns() == []
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_URL = "https://cdn.example.org/media/"
    assert media.urlpatterns() == []


def test_the_route_is_named():
    assert reverse("uploaded-file", kwargs={"path": "people/x.png"}) == "/media-files/people/x.png"
