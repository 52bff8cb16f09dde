"""The admin import page: permission, upload or paste, dry-run diff, confirm, size limit."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from publications.models import ImportRun, Publication
from tests import factories

from .conftest import SAMPLES

URL = "admin:publications_publication_import"
CROSSREF = "crossref-work-single-journal-article-from-habanero-tests.json"
BIB = (SAMPLES / "bibtex-latex-accents-from-bibtexparser-v1-tests.bib").read_text()


@pytest.fixture
def importer(client, db):
    user = factories.StaffFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="add_publication"),
        Permission.objects.get(codename="view_publication"),
        Permission.objects.get(codename="view_importrun"),
    )
    client.force_login(user)
    client.user = user
    return client


def token_of(page) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match, "no confirm form"
    return match.group(1)


def test_staff_without_the_permission_are_refused(client, db):
    user = factories.StaffFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == 403
    page = client.post(reverse(URL), {"text": BIB})
    assert page.status_code == 403
    assert Publication.objects.count() == 0 and ImportRun.objects.count() == 0
    changelist = client.get(reverse("admin:publications_publication_changelist"))
    assert "Import papers" not in changelist.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    page = client.get(reverse(URL))
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_linked_from_the_changelists(importer):
    for name in ("publication", "importrun"):
        page = importer.get(reverse(f"admin:publications_{name}_changelist"))
        assert reverse(URL) in page.content.decode()


def test_paste_preview_then_confirm(importer):
    page = importer.get(reverse(URL))
    assert page.status_code == 200 and "Preview the import" in page.content.decode()

    preview = importer.post(reverse(URL), {"text": BIB, "preview": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Preview (nothing written yet)" in html
    assert "New: An amazing title" in html
    assert "Jean Césarü" in html and "Nice Journal" in html
    # Field labels and choices by name, not column names and codes.
    assert '<th scope="row">Publication date</th>' in html
    assert "<td>Journal article</td>" in html
    assert "published_on" not in html and "journal_article" not in html
    assert Publication.objects.count() == 0
    # The preview wrote nothing, not even an import run.
    assert not ImportRun.objects.exists()

    done = importer.post(reverse(URL), {"token": token_of(preview), "confirm": "1"})
    run = ImportRun.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:publications_importrun_change", args=[run.pk])
    pub = Publication.objects.get()
    assert pub.title == "An amazing title" and pub.is_published is False
    assert run.user == importer.user and run.created == 1
    assert [record.publication for record in run.papers.all()] == [pub]
    (version,) = Version.objects.get_for_object(pub)
    assert version.revision.user == importer.user
    assert version.revision.comment.startswith(f"Import run #{run.pk}")
    followed = importer.get(done["Location"])
    assert "1 created" in followed.content.decode()


def test_upload_with_options_shows_changes_to_existing_papers(importer):
    person = factories.PersonFactory(name="Shankar Sadasivan", slug="shankar")
    factories.PublicationFactory(doi="10.1371/journal.pone.0033693", title="Old", venue="")
    upload = SimpleUploadedFile("works.json", (SAMPLES / CROSSREF).read_bytes())
    preview = importer.post(
        reverse(URL), {"file": upload, "person": person.pk, "publish": "on", "preview": "1"}
    )
    html = preview.content.decode()
    assert "Changed: Old" in html
    assert "PLoS ONE" in html
    importer.post(reverse(URL), {"token": token_of(preview), "confirm": "1"})
    pub = Publication.objects.get()
    assert pub.venue == "PLoS ONE" and pub.title == "Old"
    assert pub.authorships.get(position=1).person == person


def test_bad_input_keeps_what_the_editor_typed(importer):
    text = BIB + "\n@article{broken2020,\n  title = {Unclosed,\n"
    page = importer.post(reverse(URL), {"text": text, "overwrite": "on", "preview": "1"})
    html = page.content.decode()
    assert "nothing was written" in html
    assert "pasted text, line" in html
    assert "Confirm" not in html
    # The textarea still holds the text, and the option stays ticked.
    assert "@article{broken2020," in html
    assert re.search(r'name="overwrite"[^>]*checked', html)
    assert Publication.objects.count() == 0


def test_an_upload_over_the_limit_gets_a_clear_message(importer, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.bib", BIB.encode() * 5)
    page = importer.post(reverse(URL), {"file": upload, "preview": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "the import page accepts at most 1000" in html
    assert "IMPORT_MAX_UPLOAD_BYTES" in html and "manage.py import_papers" in html
    assert Publication.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_request_over_djangos_own_limit_gets_the_same_message(importer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    page = importer.post(reverse(URL), {"text": BIB * 5, "preview": "1"})
    assert page.status_code == 413
    assert "the import page accepts at most" in page.content.decode()


def test_an_altered_token_is_refused(importer):
    preview = importer.post(reverse(URL), {"text": BIB, "preview": "1"})
    token = token_of(preview)
    done = importer.post(reverse(URL), {"token": token[:-2] + "xx", "confirm": "1"}, follow=True)
    assert "expired or was altered" in done.content.decode()
    assert Publication.objects.count() == 0


def test_another_users_token_is_refused(importer, client):
    preview = importer.post(reverse(URL), {"text": BIB, "preview": "1"})
    token = token_of(preview)
    other = factories.SuperuserFactory()
    client.force_login(other)
    done = client.post(reverse(URL), {"token": token, "confirm": "1"}, follow=True)
    assert "expired or was altered" in done.content.decode()
    assert Publication.objects.count() == 0


def test_a_database_that_refuses_the_import_is_said_plainly_and_the_form_kept(
    importer, monkeypatch
):
    from core.db.errors import DatabaseWriteError

    def refuse(*args, **kwargs):
        raise DatabaseWriteError(
            "the database is read-only (attempt to write a readonly database); nothing was written"
        )

    monkeypatch.setattr("publications.admin_import.import_papers", refuse)
    page = importer.post(reverse(URL), {"text": BIB})
    assert page.status_code == 503
    body = page.content.decode()
    assert "The import could not be saved: the database is read-only" in body
    assert "An amazing title" in body  # what was pasted is still in the form


def _person_choices(page) -> str:
    html = page.content.decode()
    return html[html.index('name="person"') : html.index("</select>", html.index('name="person"'))]


def test_the_person_menu_lists_only_people_the_user_may_see(importer):
    """Issue 13, finding 4: the menu listed draft people to staff without view_person."""
    factories.PersonFactory(name="Published Person")
    draft = factories.PersonFactory(name="Draft Person", is_published=False)
    menu = _person_choices(importer.get(reverse(URL)))
    assert "Published Person" in menu and "Draft Person" not in menu
    # Nor can a draft be chosen by its id.
    page = importer.post(reverse(URL), {"text": BIB, "person": draft.pk, "preview": "1"})
    assert "Select a valid choice" in page.content.decode()
    assert "token" not in page.context

    importer.user.user_permissions.add(Permission.objects.get(codename="view_person"))
    importer.user = type(importer.user).objects.get(pk=importer.user.pk)  # fresh permissions
    menu = _person_choices(importer.get(reverse(URL)))
    assert "Published Person" in menu and "Draft Person" in menu


def test_breadcrumbs_look_like_the_rest_of_the_admin(importer):
    html = importer.get(reverse(URL)).content.decode()
    assert '<ol class="breadcrumbs">' in html
    assert '<li aria-current="page">Import papers</li>' in html
    assert 'class="breadcrumbs"' in html and '<div class="breadcrumbs">' not in html
