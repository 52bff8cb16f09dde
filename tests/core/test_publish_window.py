"""Scheduled publishing: visitors see an object only inside its window, with no cron job."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from profiles.models import Person
from publications.models import Publication
from tests.factories import MediaItemFactory, PersonFactory, PublicationFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)

WINDOWS = {
    "before": {"publish_at": lambda now: now + HOUR},
    "inside": {"publish_at": lambda now: now - HOUR, "unpublish_at": lambda now: now + HOUR},
    "after": {"unpublish_at": lambda now: now - HOUR},
    "open": {},
}


def window(name):
    now = timezone.now()
    return {field: make(now) for field, make in WINDOWS[name].items()}


@pytest.mark.parametrize(
    ("factory", "url_name"),
    [
        (PersonFactory, "people:detail"),
        (PublicationFactory, "publications:detail"),
        (MediaItemFactory, "media:detail"),
        (TopicFactory, "topics:detail"),
    ],
)
@pytest.mark.parametrize(
    ("name", "visible"), [("before", False), ("inside", True), ("after", False), ("open", True)]
)
def test_detail_page_and_permalink_follow_the_window(client, factory, url_name, name, visible):
    obj = factory(**window(name))
    expected = 200 if visible else 404
    assert client.get(reverse(url_name, kwargs={"slug": obj.slug})).status_code == expected
    assert client.get(obj.get_permalink()).status_code == (302 if visible else 404)
    assert obj.is_live is visible
    assert (obj in type(obj).objects.published()) is visible


def test_unpublished_objects_stay_hidden_whatever_their_window():
    paper = PublicationFactory(is_published=False, **window("inside"))
    assert not paper.is_live
    assert not Publication.objects.published().filter(pk=paper.pk).exists()


def test_staff_preview_a_scheduled_item(staff_client):
    person = PersonFactory(**window("before"))
    assert staff_client.get(person.get_absolute_url()).status_code == 200


def test_lists_hide_items_outside_their_window(client):
    PublicationFactory(title="Visible paper")
    PublicationFactory(title="Future paper", **window("before"))
    PublicationFactory(title="Expired paper", **window("after"))
    page = client.get(reverse("publications:list")).content.decode()
    assert "Visible paper" in page
    assert "Future paper" not in page
    assert "Expired paper" not in page


def test_window_is_checked_when_the_query_runs_not_when_it_is_built():
    queryset = Person.objects.published()  # built once, like a FilterSet's choices
    person = PersonFactory(publish_at=timezone.now() + datetime.timedelta(seconds=2))
    assert person not in queryset.all()
    Person.objects.filter(pk=person.pk).update(publish_at=timezone.now() - HOUR)
    assert person in queryset.all()


def test_unpublish_must_come_after_publish():
    now = timezone.now()
    paper = PublicationFactory.build(publish_at=now, unpublish_at=now - HOUR)
    with pytest.raises(ValidationError) as error:
        paper.clean()
    assert "unpublish_at" in error.value.message_dict
