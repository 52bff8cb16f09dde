import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from profiles.models import Person
from tests.admin.forms import change_form_data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def image_file(fmt="PNG", size=(64, 64), name="me.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload(staff_client, person, photo):
    url = reverse("admin:profiles_person_change", args=[person.pk])
    data = change_form_data(staff_client.get(url), photo=photo)
    return staff_client.post(url, data)


def test_a_real_photo_is_stored_under_a_random_name(staff_client):
    person = PersonFactory()
    response = upload(staff_client, person, image_file(name="../../etc/evil name.png"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo.name.startswith("people/")
    assert person.photo.name.endswith(".png")
    assert "evil" not in person.photo.name and ".." not in person.photo.name


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (SimpleUploadedFile("fake.png", b"<script>alert(1)</script>"), "Upload a valid image"),
        (image_file("GIF", name="anim.gif"), "Upload a JPEG, PNG or WebP image"),
        (image_file(size=(9000, 6000), name="bomb.png"), "at most 40 megapixels"),
    ],
)
def test_bad_photos_are_refused_with_a_reason(staff_client, photo, message):
    person = PersonFactory(name="Keeps Her Name")
    response = upload(staff_client, person, photo)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.get(pk=person.pk).photo


def test_byte_limit(settings):
    settings.PHOTO_MAX_BYTES = 1000
    person = PersonFactory.build(photo=image_file(size=(400, 400)))
    with pytest.raises(ValidationError, match="the limit is"):
        person.full_clean(exclude=["slug", "stable_id"])
