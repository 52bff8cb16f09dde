"""Every admin page renders; editors edit content, not accounts; search finds papers by id."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from media_items.models import MediaItem
from publications.models import Publication
from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    ImportRunFactory,
    KeyPointFactory,
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
    SelectedWorkFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def content():
    person = PersonFactory()
    paper = PublicationFactory(authors=3)
    paper.topics.set([TopicFactory()])
    AuthorshipFactory(publication=paper, position=9, person=person)
    appearance = AppearanceFactory(person=person)
    KeyPointFactory(media_item=appearance.media_item)
    SelectedWorkFactory(person=person, publication=paper)
    OrganizationFactory()
    ImportRunFactory()
    return person


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_add_and_change_pages_render(staff_client, content, app_label, model_name):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "a"}).status_code == 200
    add = staff_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (200, 403)  # 403 where adding by hand makes no sense
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        assert staff_client.get(change).status_code == 200


def test_editors_group_has_content_permissions_and_nothing_on_accounts():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("content_type__app_label", "codename"))
    for model in ("publication", "authorship", "person", "mediaitem", "selectedwork", "topic"):
        for action in ("add", "change", "delete", "view"):
            app = {
                "publication": "publications",
                "authorship": "publications",
                "topic": "publications",
                "person": "profiles",
                "mediaitem": "media_items",
                "selectedwork": "showcase",
            }[model]
            assert (app, f"{action}_{model}") in codenames
    assert ("publications", "view_importrun") in codenames
    assert ("publications", "change_importrun") not in codenames
    assert not {c for c in codenames if c[0] in ("auth", "sessions", "contenttypes", "admin")}
    assert not Permission.objects.filter(group=editors, codename__endswith="_user").exists()


def test_editor_can_edit_a_paper_but_not_users(editor_client):
    paper = PublicationFactory(title="Old title")
    url = reverse("admin:publications_publication_change", args=[paper.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "title": "New title",
            "slug": paper.slug,
            "kind": paper.kind,
            "date_precision": paper.date_precision,
            "published_on": "2024-01-10",
            "keywords": "",
            "arxiv_categories": "",
            "authorships-TOTAL_FORMS": "0",
            "authorships-INITIAL_FORMS": "0",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    paper.refresh_from_db()
    assert paper.title == "New title"
    assert "title" in paper.edited_fields
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_admin_index_for_editor_lists_content_not_accounts(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Publications" in page
    assert "Media items" in page
    assert "Users" not in page


@pytest.mark.parametrize(
    "term",
    [
        "Sleeper agents",
        "10.48550/arXiv.2401.05566",
        "https://doi.org/10.1000/SLEEPER",
        "arXiv:2401.05566v2",
        "2401.05566",
    ],
)
def test_admin_search_finds_a_paper_by_title_doi_or_arxiv_id(staff_client, term):
    wanted = PublicationFactory(
        title="Sleeper Agents: Training Deceptive LLMs",
        doi="10.1000/sleeper",
        arxiv_id="2401.05566",
    )
    PublicationFactory(title="Something else", doi="10.1000/other", arxiv_id="2401.00001")
    page = staff_client.get(reverse("admin:publications_publication_changelist"), {"q": term})
    assert list(page.context["cl"].result_list) == [wanted]


def test_publish_and_unpublish_actions(staff_client):
    drafts = PublicationFactory.create_batch(3, is_published=False)
    url = reverse("admin:publications_publication_changelist")
    ids = [p.pk for p in drafts]
    staff_client.post(url, {"action": "publish", "_selected_action": ids})
    assert Publication.objects.filter(pk__in=ids, is_published=True).count() == 3
    staff_client.post(url, {"action": "unpublish", "_selected_action": ids[:1]})
    assert Publication.objects.filter(is_published=False).count() == 1


def test_invalid_media_item_keeps_what_the_editor_typed(staff_client):
    url = reverse("admin:media_items_mediaitem_add")
    response = staff_client.post(
        url,
        {
            "title": "An interview I typed carefully",
            "slug": "an-interview",
            "kind": "podcast_episode",
            "importance": "150",
            "source_kind": "primary",
            "description": "Typed description",
            "appearances-TOTAL_FORMS": "0",
            "appearances-INITIAL_FORMS": "0",
            "key_points-TOTAL_FORMS": "0",
            "key_points-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in page
    assert 'value="An interview I typed carefully"' in page
    assert "Typed description" in page
    assert not MediaItem.objects.exists()


def test_duplicate_author_position_is_reported_not_a_server_error(staff_client):
    paper = PublicationFactory()
    url = reverse("admin:publications_publication_change", args=[paper.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "keywords": "",
            "arxiv_categories": "",
            "published_on": str(paper.published_on),
            "authorships-TOTAL_FORMS": "2",
            "authorships-INITIAL_FORMS": "0",
            "authorships-0-position": "1",
            "authorships-0-name": "Ada Lovelace",
            "authorships-1-position": "1",
            "authorships-1-name": "Charles Babbage",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for position" in response.content.decode()
    assert 'value="Charles Babbage"' in response.content.decode()
    assert paper.authorships.count() == 0


def test_view_on_site_link_for_public_models(staff_client):
    paper = PublicationFactory()
    page = staff_client.get(reverse("admin:publications_publication_change", args=[paper.pk]))
    assert "View on site" in page.content.decode()


def test_the_paper_list_shows_dates_at_their_precision_in_short_columns(staff_client):
    PublicationFactory(
        title="Year only", published_on=datetime.date(2019, 1, 1), date_precision="year"
    )
    PublicationFactory(
        title="Month only", published_on=datetime.date(2020, 3, 1), date_precision="month"
    )
    PublicationFactory(title="Cited", published_on=datetime.date(2021, 5, 17), citation_count=42)
    html = staff_client.get(reverse("admin:publications_publication_changelist")).content.decode()
    assert '<td class="field-date">2019</td>' in html
    assert '<td class="field-date">2020-03</td>' in html
    assert '<td class="field-date">2021-05-17</td>' in html
    assert '<td class="field-cited">42</td>' in html
    assert ">Category</a>" in html and ">Cited</a>" in html  # short, sortable headings
