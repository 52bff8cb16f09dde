"""Who may do what: anonymous, editor, staff without permissions, staff who may only view,
a non-staff user with permissions, and a superuser, × GET/POST/PATCH/DELETE on every route.
(The whole site's matrix, admin and public pages included: tests/security/.)"""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.api.conftest import client_for
from tests.factories import (
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    StaffFactory,
    SuperuserFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"

ROUTES = {
    "people": (PersonFactory, {"name": "New Person"}, {"name": "Renamed"}),
    "organizations": (OrganizationFactory, {"name": "New Org"}, {"name": "Renamed"}),
    "publications": (PublicationFactory, {"title": "New paper"}, {"title": "Renamed"}),
    "media-items": (MediaItemFactory, {"title": "New episode"}, {"title": "Renamed"}),
    "outlets": (OutletFactory, {"name": "New outlet"}, {"name": "Renamed"}),
    "topics": (TopicFactory, {"name": "New topic"}, {"name": "Renamed"}),
}


def make_user(role):
    editors = Group.objects.get(name="Editors")
    if role == "anonymous":
        return None
    if role == "editor":
        user = StaffFactory()
        user.groups.add(editors)
    elif role == "staff_without_permissions":
        user = StaffFactory()
    elif role == "staff_who_may_only_view":
        user = StaffFactory()
        user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    elif role == "non_staff_with_permissions":
        user = UserFactory()
        user.groups.add(editors)
    else:
        user = SuperuserFactory()
    return user


# role → expected status for (GET list, GET detail, POST, PATCH, DELETE)
EXPECTED = {
    "anonymous": (200, 200, 401, 401, 401),
    "staff_without_permissions": (200, 200, 403, 403, 403),
    "staff_who_may_only_view": (200, 200, 403, 403, 403),
    "non_staff_with_permissions": (200, 200, 403, 403, 403),
    "editor": (200, 200, 201, 200, 204),
    "superuser": (200, 200, 201, 200, 204),
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("route", list(ROUTES))
def test_permission_matrix(role, route):
    factory, create_body, patch_body = ROUTES[route]
    client = client_for(make_user(role))
    target = factory()
    expected = EXPECTED[role]
    model = factory._meta.model
    name_field = next(iter(patch_body))
    may_write = expected[2] == 201

    assert client.get(f"{API}/{route}/").status_code == expected[0]
    assert client.get(f"{API}/{route}/{target.slug}/").status_code == expected[1]
    assert client.post(f"{API}/{route}/", create_body).status_code == expected[2]
    assert model.objects.filter(**create_body).exists() is may_write
    assert client.patch(f"{API}/{route}/{target.slug}/", patch_body).status_code == expected[3]
    target.refresh_from_db()
    assert (getattr(target, name_field) == "Renamed") is may_write
    assert client.delete(f"{API}/{route}/{target.slug}/").status_code == expected[4]
    assert model.objects.filter(pk=target.pk).exists() is not may_write


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("route", ["publications", "media-items"])
def test_person_scoped_routes_are_read_only_for_everyone(role, route):
    PersonFactory(slug="ada")
    client = client_for(make_user(role))
    assert client.get(f"{API}/people/ada/{route}/").status_code == 200
    expected_write = {201: 405}.get(EXPECTED[role][2], EXPECTED[role][2])
    assert client.post(f"{API}/people/ada/{route}/", {"title": "x"}).status_code == expected_write
    assert client.delete(f"{API}/people/ada/{route}/").status_code == expected_write


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("route", list(ROUTES))
def test_drafts_only_for_those_who_may_view_them(role, route):
    factory = ROUTES[route][0]
    draft = factory(is_published=False)
    client = client_for(make_user(role))
    sees_drafts = role in {"editor", "staff_who_may_only_view", "superuser"}
    assert client.get(f"{API}/{route}/{draft.slug}/").status_code == (200 if sees_drafts else 404)
    assert client.get(f"{API}/{route}/").json()["count"] == (1 if sees_drafts else 0)


def test_writers_need_each_specific_permission():
    user = StaffFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_outlet"))
    client = client_for(user)
    outlet = OutletFactory(slug="show")
    assert client.post(f"{API}/outlets/", {"name": "Show 2"}).status_code == 201
    assert client.patch(f"{API}/outlets/show/", {"name": "x"}).status_code == 403
    assert client.delete(f"{API}/outlets/show/").status_code == 403
    assert client.post(f"{API}/publications/", {"title": "x"}).status_code == 403
    outlet.refresh_from_db()
    assert outlet.name != "x"
