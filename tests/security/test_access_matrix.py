"""The access-control matrix: anonymous, editor, staff without permission, staff with some
permissions and superuser, against every route the URL resolver knows.

Each route is classified (an admin model view, an admin site view, a public page, an API
endpoint); a route nobody classified fails ``test_every_route_has_an_expectation``. For
the admin the expectation follows from the rights in ``tests/security/access.py``: a
role gets the page (200), the login redirect (anonymous), a 403, or a 404, and a refused
write (POST) leaves every admin-managed table exactly as it was. Draft visibility on the
public site and in the API is in ``test_draft_leaks.py``; API writes per role are in
``tests/api/test_permissions.py``.
"""

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from reversion.models import Version

from core.models import LinkCheck, SlugHistory
from profiles.models import Person
from publications.models import ImportRun, Publication, Topic
from tests.factories import (
    ImportRunFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
    UserFactory,
)

from .access import ADMIN_MODELS, FACTORIES, ROLES, client_for, may_view, rights
from .routes import API_ROUTES, FILE_ROUTES, PUBLIC_ROUTES, all_routes, public_url

pytestmark = pytest.mark.django_db

ADMIN = "admin:"
ROUTES = all_routes()
BIBTEX = "@article{a, title={Imported by the matrix}, author={Doe, Jane}, year={2024}}"


def label_of(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


REGISTERED = {label_of(model): model for model in admin.site._registry}


# -- classification ---------------------------------------------------------------------------
def admin_model_action(route):
    """(model label, action) for a route of one model's admin, else None."""
    for label in REGISTERED:
        app_label, model_name = label.split(".")
        prefix = f"{ADMIN}{app_label}_{model_name}_"
        if route.name and route.name.startswith(prefix):
            return label, route.name.removeprefix(prefix)
        if route.name is None and route.pattern == (
            f"{settings.ADMIN_URL}{app_label}/{model_name}/<path:object_id>/"
        ):
            return label, "object_redirect"
    return None


ADMIN_SITE_ROUTES = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
    f"{settings.ADMIN_URL}(?P<url>.*)$",  # the catch-all: 404 for staff
}

# The API's JSON 404 for every other address under /api/.
API_NOT_FOUND = "api/^(?:[\\s\\S]*/)?\\Z"


def classify(route):
    if admin_model_action(route) is not None:
        return "admin model"
    if route.name in ADMIN_SITE_ROUTES or route.pattern in ADMIN_SITE_ROUTES:
        return "admin site"
    if route.name in PUBLIC_ROUTES or route.name in FILE_ROUTES:
        return "public"
    if route.name in API_ROUTES or route.pattern == API_NOT_FOUND:
        return "api"
    return None


def test_every_route_has_an_expectation():
    unclassified = [str(route) for route in ROUTES if classify(route) is None]
    assert not unclassified, f"Routes with no access expectation: {unclassified}"
    assert set(REGISTERED) == set(ADMIN_MODELS), "A model admin is missing from access.py"
    names = {route.name for route in ROUTES}
    stale = (
        set(PUBLIC_ROUTES)
        | set(FILE_ROUTES)
        | set(API_ROUTES)
        | {n for n in ADMIN_SITE_ROUTES if ":" in n}
    )
    assert not stale - names, f"Expectations for routes that no longer exist: {stale - names}"


# -- data -------------------------------------------------------------------------------------
def snapshot():
    """Every row of every admin-managed table (and revisions): a refused write changes none."""
    tables = {
        label: list(model._default_manager.order_by("pk").values())
        for label, model in REGISTERED.items()
    }
    tables["versions"] = Version.objects.count()
    return tables


ACCESS_ROW = {"ip_address": "192.0.2.1", "user_agent": "x", "http_accept": "*/*"}
OTHER_OBJECTS = {
    "publications.importrun": ImportRunFactory,
    "core.slughistory": lambda: SlugHistory.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=PersonFactory().pk,
        slug="an-old-slug",
    ),
    "core.linkcheck": lambda: LinkCheck.objects.create(url="https://example.org/checked"),
    "auth.user": lambda: UserFactory(username="target-user"),
    "auth.group": lambda: Group.objects.create(name="Reviewers"),
    "authtoken.tokenproxy": lambda: Token.objects.create(user=UserFactory()),
    "axes.accessattempt": lambda: AccessAttempt.objects.create(
        **ACCESS_ROW, get_data="", post_data="", failures_since_start=1
    ),
    "axes.accesslog": lambda: AccessLog.objects.create(**ACCESS_ROW),
    "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(**ACCESS_ROW),
}


def make_object(label):
    """An object the admin of ``label`` manages; for a public model with two revisions,
    and a deleted one that the recover views can offer."""
    if label not in FACTORIES:
        return OTHER_OBJECTS[label]()
    factory = FACTORIES[label]
    with reversion.create_revision():
        obj, gone = factory(), factory()
    with reversion.create_revision():
        obj.save()
        gone.delete()
    return obj


def object_id(label, obj):
    # The token admin addresses a token by its user's id.
    return obj.user_id if label == "authtoken.tokenproxy" else obj.pk


# -- admin model views ------------------------------------------------------------------------
def login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


class Matrix:
    """Requests one role makes, and every way the answers differ from the expectation."""

    def __init__(self, client, role, *, login_required=True):
        self.client, self.role, self.problems = client, role, []
        self.login_required = login_required

    def check(self, method, url, expected, data=None, unchanged=True):
        """``expected``: a status, "login" (anonymous), or "allowed" (anything but a refusal
        or an error). With ``unchanged``, a POST must leave the database as it was."""
        before = snapshot() if method == "post" and unchanged else None
        response = getattr(self.client, method)(url, data or {})
        if self.role == "anonymous" and self.login_required:
            expected = "login"
        got = response.status_code
        if expected == "login":
            ok = login_redirect(response)
        elif expected == "allowed":
            ok = got not in (401, 403, 404, 405) and got < 500
        else:
            ok = got == expected
        if not ok:
            self.problems.append(f"{method.upper()} {url}: {got}, expected {expected}")
        if before is not None and snapshot() != before:
            self.problems.append(f"{method.upper()} {url} ({got}) changed the database")
        return response


def gate(allowed, status=200):
    return status if allowed else 403


def check_admin_action(m, label, action, obj):
    """One admin view of ``label`` (of ``obj``) for the role of ``m``."""
    granted = rights(m.role, label)
    view, add, change, delete = (
        may_view(m.role, label),
        "a" in granted,
        "c" in granted,
        "d" in granted,
    )
    app_label, model_name = label.split(".")
    name = f"{ADMIN}{app_label}_{model_name}_{action}"
    model = REGISTERED[label]
    pk = object_id(label, obj)
    if action == "changelist":
        url = reverse(name)
        m.check("get", url, gate(view))
        # delete_selected without "post" only asks for confirmation: nothing is deleted.
        m.check(
            "post",
            url,
            "allowed" if view else 403,
            {"action": "delete_selected", "_selected_action": [pk]},
        )
    elif action == "add":
        m.check("get", reverse(name), gate(add))
        if not add:  # (an allowed one would only redisplay the empty form)
            m.check("post", reverse(name), 403, {"name": "x", "title": "x", "slug": "x"})
    elif action == "change":
        url = reverse(name, args=[pk])
        m.check("get", url, gate(view))
        m.check("post", url, "allowed" if change else 403, {})
    elif action == "history":
        m.check("get", reverse(name, args=[pk]), gate(view))
    elif action == "delete":
        url = reverse(name, args=[pk])
        m.check("get", url, gate(delete))
        m.check("post", url, 302 if delete else 403, {"post": "yes"}, unchanged=not delete)
        if delete and model._default_manager.filter(pk=obj.pk).exists():
            m.problems.append(f"POST {url}: not deleted")
    elif action == "revision":
        version = Version.objects.get_for_object(obj).order_by("pk").first()
        url = reverse(name, args=[pk, version.pk])
        m.check("get", url, gate(view))
        if not change:
            m.check("post", url, 403, {})
    elif action == "recoverlist":
        m.check("get", reverse(name), gate(add and change))
    elif action == "recover":
        version = Version.objects.get_deleted(model).first()
        url = reverse(name, args=[version.pk])
        m.check("get", url, gate(add and change))
        allowed = add and change  # then the POST recovers the object: a write
        m.check("post", url, 302 if allowed else 403, {}, unchanged=not allowed)
        if allowed and not model._base_manager.filter(pk=version.object_id).exists():
            m.problems.append(f"POST {url}: not recovered")
    elif action == "preview":
        url = reverse(name, args=[pk])
        m.check("get", url, gate(view))
        m.check("post", url, gate(change, 400), {})  # an empty form cannot be previewed
    elif action == "import":
        url = reverse(name)
        m.check("get", url, gate(add))
        if not add:
            m.check("post", url, 403, {"text": BIBTEX})
    elif action == "password_change":
        url = reverse(name, args=[pk])
        m.check("get", url, gate(change))
        m.check("post", url, gate(change), {"password1": "x", "password2": "y"})
    elif action == "object_redirect":
        url = f"/{settings.ADMIN_URL}{app_label}/{model_name}/{pk}/"
        response = m.check("get", url, 302)
        change_url = reverse(f"{ADMIN}{app_label}_{model_name}_change", args=[pk])
        if m.role != "anonymous" and response.get("Location") != change_url:
            m.problems.append(f"GET {url}: redirects to {response.get('Location')}")
    else:
        m.problems.append(f"{name}: no expectation for this admin view")


def routes_of(label):
    return [
        action
        for route in ROUTES
        if (found := admin_model_action(route)) and found[0] == label
        for action in [found[1]]
    ]


@pytest.mark.parametrize("label", ADMIN_MODELS)
@pytest.mark.parametrize("role", ROLES)
def test_admin_model_views(client, role, label):
    obj = make_object(label)
    m = Matrix(client_for(client, role), role)
    actions = routes_of(label)
    assert actions, f"{label} has no admin routes"
    # Deleting last: the other views need the object.
    for action in sorted(actions, key=lambda a: a == "delete"):
        check_admin_action(m, label, action, obj)
    assert not m.problems, "\n".join(m.problems)


# -- admin site views -------------------------------------------------------------------------
def app_labels_of(role):
    return {
        label.split(".")[0]
        for label in ADMIN_MODELS
        if rights(role, label) or may_view(role, label)
    }


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_views(client, role):
    m = Matrix(client_for(client, role), role)
    staff = role != "anonymous"
    m.check("get", reverse("admin:index"), 200)
    m.check("get", reverse("admin:password_change"), 200)
    m.check("get", reverse("admin:password_change_done"), 200)
    m.check("get", reverse("admin:jsi18n"), 200)
    m.check("get", f"/{settings.ADMIN_URL}no-such-page/", 404)
    # The login page sends staff on to the index.
    login = m.client.get(reverse("admin:login"))
    if login.status_code != (302 if staff else 200):
        m.problems.append(f"GET {reverse('admin:login')}: {login.status_code}")
    for app_label in (
        "auth",
        "authtoken",
        "axes",
        "core",
        "profiles",
        "publications",
        "media_items",
    ):
        m.check(
            "get",
            reverse("admin:app_list", args=[app_label]),
            200 if app_label in app_labels_of(role) else 404,
        )
    # Autocomplete of a paper's topics: for those who may view topics.
    m.check(
        "get",
        reverse("admin:autocomplete")
        + "?app_label=publications&model_name=publication&field_name=topics",
        gate(may_view(role, "publications.topic")),
    )
    # "View on site" reveals where an object lives (a draft's slug): viewers of its model only.
    for label in ("publications.topic", "profiles.person"):
        draft = FACTORIES[label](is_published=False)
        url = reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(draft).pk, draft.pk]
        )
        response = m.check("get", url, 302 if may_view(role, label) else 403)
        if (
            staff
            and may_view(role, label)
            and not response["Location"].endswith(draft.get_absolute_url())
        ):
            m.problems.append(f"GET {url}: redirects to {response['Location']}")
    assert not m.problems, "\n".join(m.problems)


def test_admin_logout_is_a_post():
    assert Client().get(reverse("admin:logout")).status_code in (302, 405)


# -- public pages, feeds, exports, API --------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_public_routes_are_open_and_read_only(client, public_objects, role):
    """Every public page, feed, export, sitemap and API read answers every role alike (live
    objects); every one of them refuses writes (POST 405) and changes nothing."""
    m = Matrix(client_for(client, role), role, login_required=False)
    for template, status in [*PUBLIC_ROUTES.values(), *FILE_ROUTES.values()]:
        url = public_url(template, public_objects)
        m.check("get", url, status)
        m.check("post", url, 405)
    for template in API_ROUTES.values():
        url = public_url(template, public_objects)
        m.check("get", url, 200)
        # The same endpoint with a format suffix: /api/v1/people.json, /api/v1/.json
        m.check("get", url + ".json" if url.endswith("v1/") else url.rstrip("/") + ".json", 200)
    m.check("get", "/api/v1/no-such-endpoint/", 404)
    m.check("post", "/api/anything/else/", 404)
    assert not m.problems, "\n".join(m.problems)


# -- CSRF -------------------------------------------------------------------------------------
@pytest.fixture
def csrf_editor(db):
    from tests.factories import EditorFactory

    client = Client(enforce_csrf_checks=True)
    client.force_login(EditorFactory())
    return client


def csrf_token(client, url):
    client.get(url)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_admin_writes_need_the_csrf_token(csrf_editor):
    topic, paper = TopicFactory(), PublicationFactory()
    writes = [
        (
            reverse("admin:publications_topic_change", args=[topic.pk]),
            {"name": "Renamed", "slug": topic.slug},
        ),
        (reverse("admin:publications_topic_delete", args=[topic.pk]), {"post": "yes"}),
        (
            reverse("admin:publications_topic_changelist"),
            {"action": "unpublish", "_selected_action": [topic.pk]},
        ),
        (reverse("admin:publications_publication_import"), {"text": BIBTEX}),
        (reverse("admin:publications_publication_preview", args=[paper.pk]), {"title": "x"}),
        (reverse("admin:publications_topic_add"), {"name": "New", "slug": "new"}),
    ]
    for url, data in writes:
        before = snapshot()
        response = csrf_editor.post(url, data)
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode()
        assert snapshot() == before, url
    # With the token the same form works: the refusal above was the missing token.
    token = csrf_token(csrf_editor, reverse("admin:publications_topic_changelist"))
    response = csrf_editor.post(
        reverse("admin:publications_topic_changelist"),
        {"action": "unpublish", "_selected_action": [topic.pk], "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_published is False


# -- the import page --------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_import_page_upload_dry_run_and_confirm(client, role):
    """Only those who may add papers import: the upload and the paste both give a dry run
    that saves nothing, and the confirmation imports; nobody else gets past a 403."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(client, role)
    may_add = "a" in rights(role, "publications.publication")
    url = reverse("admin:publications_publication_import")
    upload = SimpleUploadedFile("papers.bib", BIBTEX.encode(), content_type="application/x-bibtex")
    for data in ({"file": upload}, {"text": BIBTEX}):
        response = client.post(url, data)
        if role == "anonymous":
            assert login_redirect(response)
        else:
            assert response.status_code == (200 if may_add else 403)
        assert not Publication.objects.filter(title__icontains="matrix").exists()
    if not may_add:
        assert not ImportRun.objects.exists()
        return
    token = response.context["token"]
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Publication.objects.filter(title="Imported by the matrix", is_published=False).exists()


def test_an_import_confirmation_is_bound_to_its_user(client, db):
    from tests.factories import EditorFactory

    url = reverse("admin:publications_publication_import")
    client.force_login(EditorFactory())
    token = client.post(url, {"text": BIBTEX}).context["token"]
    other = Client()
    other.force_login(EditorFactory())
    response = other.post(url, {"confirm": "1", "token": token}, follow=True)
    assert "expired or was altered" in response.content.decode()
    assert not Publication.objects.filter(title__icontains="matrix").exists()


# -- holes that were open ---------------------------------------------------------------------
@pytest.fixture
def topic_staff(client):
    return client_for(client, "staff")  # view and change topics, view papers


def test_a_revision_of_another_model_is_not_reverted_through_this_models_url(topic_staff):
    """reversion looks a version up by id and object id only: with a topic whose id equals
    a person's, a topic editor could revert the person (and save it) through the topic's
    revision URL."""
    with reversion.create_revision():
        person = PersonFactory(name="Original name")
    with reversion.create_revision():
        person.name = "Current name"
        person.save()
    old = Version.objects.get_for_object(person).order_by("pk").first()
    topic = TopicFactory()
    Topic.objects.filter(pk=topic.pk).update(id=person.pk)
    url = reverse("admin:publications_topic_revision", args=[person.pk, old.pk])
    assert topic_staff.get(url).status_code == 404
    assert topic_staff.post(url, {"name": "T", "slug": "t"}).status_code == 404
    person.refresh_from_db()
    assert person.name == "Current name"


def test_a_deleted_object_of_another_model_is_not_recovered_through_this_models_url(client):
    """With add and change on topics only, a deleted person could be recovered through the
    topic's recover URL."""
    from django.contrib.auth.models import Permission

    from tests.factories import StaffFactory

    with reversion.create_revision():
        person = PersonFactory(name="Deleted person")
    with reversion.create_revision():
        person.delete()
    version = Version.objects.get_deleted(Person).get()
    user = StaffFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_topic", "change_topic", "view_topic"])
    )
    client.force_login(user)
    url = reverse("admin:publications_topic_recover", args=[version.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert not Person.objects.filter(name="Deleted person").exists()


@pytest.mark.parametrize("object_id", ["abc", "%00", "1.5", "99999999999999999999999"])
@pytest.mark.parametrize("view", ["history", "preview"])
def test_a_malformed_object_id_is_a_404_not_a_server_error(staff_client, view, object_id):
    url = f"/{settings.ADMIN_URL}publications/publication/{object_id}/{view}/"
    assert staff_client.get(url).status_code == 404


def test_staff_without_permission_learn_nothing_from_object_ids(client):
    """403 before any lookup: the answer is the same whether the object exists or not."""
    client_for(client, "staff_without_permission")
    paper = PublicationFactory(is_published=False)
    for view in ("history", "preview"):
        for pk in (paper.pk, 999999):
            url = f"/{settings.ADMIN_URL}publications/publication/{pk}/{view}/"
            assert client.get(url).status_code == 403, url


def test_all_models_are_known_to_django():
    # Guards the labels in access.py against typos.
    for label in ADMIN_MODELS:
        apps.get_model(label)
