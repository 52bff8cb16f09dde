import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import LinkCheck
from tests.factories import ImportRunFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_drafts_scheduled_items_imports_and_changes(staff_client):
    PublicationFactory.create_batch(3, is_published=False)
    PublicationFactory(publish_at=timezone.now() + datetime.timedelta(days=2))
    PersonFactory(is_published=False)
    ImportRunFactory(source="hubinger.bib", created=7)
    LinkCheck.objects.create(url="https://example.org/gone", is_broken=True, error="HTTP 404")
    staff_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish", "_selected_action": [PublicationFactory(is_published=False).pk]},
    )
    page = staff_client.get(reverse("admin:index"))
    html = page.content.decode()
    assert "Waiting for an editor" in html
    assert (
        '<tr><th scope="row">Publications</th>'
        '<td><a href="/admin/publications/publication/?is_published__exact=0">3</a></td>'
        "<td>1</td></tr>"
    ) in html
    assert '<tr><th scope="row">People</th>' in html
    assert "hubinger.bib" in html
    assert "Bulk action: published." in html
    assert "https://example.org/gone" in html and "HTTP 404" in html


def test_editor_dashboard_has_no_account_data(editor_client):
    PublicationFactory(is_published=False)
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Waiting for an editor" in html
    assert "Users" not in html


def test_dashboard_query_count_does_not_grow(staff_client, django_assert_max_num_queries):
    for _ in range(10):
        ImportRunFactory()
    PublicationFactory.create_batch(10, is_published=False)
    with django_assert_max_num_queries(30):
        assert staff_client.get(reverse("admin:index")).status_code == 200
