import datetime

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import LinkCheck
from tests.factories import (
    ImportRunFactory,
    PersonFactory,
    PublicationFactory,
    StaffFactory,
    SuperuserFactory,
)

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
        '<td class="count"><a href="/admin/publications/publication/?is_published__exact=0">3</a>'
        '</td><td class="count">1</td></tr>'
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


def test_the_admin_is_named_after_the_site(staff_client, settings):
    settings.SITE_NAME = "Alignment Lab profiles"
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Django administration" not in html and "Django site admin" not in html
    assert '<a href="/admin/">Alignment Lab profiles</a>' in html  # the header
    assert "<title>Alignment Lab profiles: dashboard | Alignment Lab profiles admin</title>" in html
    login = Client().get(reverse("admin:login")).content.decode()
    assert "Alignment Lab profiles" in login and "Django administration" not in login


def _draft_person_revision():
    """A draft person saved in the admin: a revision naming them, with a comment and
    its author."""
    author = SuperuserFactory(username="secret-editor")
    person = PersonFactory(name="Undisclosed Hire", is_published=False)
    with reversion.create_revision():
        reversion.set_user(author)
        reversion.set_comment("Added Undisclosed Hire from the embargoed announcement")
        person.save()
    return person


def _staff(*permissions):
    user = StaffFactory()
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_recent_changes_hide_revisions_of_models_the_user_may_not_view(client):
    """Issue 13, finding 4: a staff account without permissions saw a draft person's
    name, the change comment and who made it."""
    _draft_person_revision()
    client.force_login(_staff())
    html = client.get(reverse("admin:index")).content.decode()
    assert "Recently changed" in html
    assert "Undisclosed Hire" not in html
    assert "embargoed announcement" not in html
    assert "secret-editor" not in html


def test_recent_changes_show_what_the_user_may_view_and_nothing_else(client):
    _draft_person_revision()
    paper = PublicationFactory(title="A paper anyone here may see", authors=2)
    with reversion.create_revision():
        reversion.set_comment("Fixed the title")
        paper.save()
        for authorship in paper.authorships.all():  # the paper's inline rows come along
            authorship.save()
    client.force_login(_staff("view_publication"))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Fixed the title" in html and "A paper anyone here may see" in html
    assert "Undisclosed Hire" not in html and "embargoed announcement" not in html

    client.force_login(_staff("view_publication", "view_person"))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Undisclosed Hire" in html and "embargoed announcement" in html


def test_recent_changes_name_the_papers_an_import_changed_not_their_author_rows(staff_client):
    from publications.importing.detect import Source
    from publications.importing.service import import_papers

    bib = b"@article{a, title={Imported paper}, author={Ada Lovelace and Bob Byte}, year={2020}}"
    assert import_papers([Source(name="a.bib", data=bib)]).ok
    paper = PublicationFactory._meta.model.objects.get(title="Imported paper")
    page = staff_client.get(reverse("admin:index")).content.decode()
    changes = page.split('id="dashboard-changes"')[1].split("</div>")[0]
    history = reverse("admin:publications_publication_history", args=[paper.pk])
    assert f'<a href="{history}">Imported paper (2020)</a>' in changes
    assert "Ada Lovelace" not in changes
