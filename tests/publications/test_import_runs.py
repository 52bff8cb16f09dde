"""Import runs in the admin: what a run created, changed and skipped, readable and
linked; "Publish the drafts this run created"; dry runs are not runs."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version

from publications.importing.detect import Source
from publications.importing.service import import_papers
from publications.models import ImportRun, ImportRunPaper, Publication
from tests.factories import EditorFactory, PublicationFactory, StaffFactory
from tests.publications.importing.conftest import SAMPLES

pytestmark = pytest.mark.django_db

BIB = """
@article{created2024,
  title = {A paper the run creates},
  author = {Ada Lovelace},
  year = {2024},
  doi = {10.1000/created},
}
@article{updated2024,
  title = {A paper already here},
  author = {Charles Babbage},
  year = {2024},
  doi = {10.1000/updated},
  journal = {Journal of Engines},
}
@article{second2024,
  title = {Another paper the run creates},
  author = {Ada Lovelace},
  year = {2024},
}
"""
S2_WITH_NULL = "s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json"


@pytest.fixture
def run():
    PublicationFactory(
        doi="10.1000/updated", title="A paper already here", venue="", is_published=False
    )
    result = import_papers(
        [
            Source(name="papers.bib", data=BIB.encode()),
            Source(name="s2.json", data=(SAMPLES / S2_WITH_NULL).read_bytes()),
        ],
        skip_invalid=True,
    )
    assert result.ok, result.errors
    return result.run


def run_url(run):
    return reverse("admin:publications_importrun_change", args=[run.pk])


def test_a_run_records_the_papers_it_created_and_changed(run):
    created = set(run.papers.filter(action="created").values_list("publication__title", flat=True))
    assert {"A paper the run creates", "Another paper the run creates"} <= created
    (updated,) = run.papers.filter(action="updated")
    assert updated.publication.title == "A paper already here"
    assert run.papers.count() == run.created + run.updated


def test_the_run_page_is_a_readable_summary_with_links(staff_client, run):
    html = staff_client.get(run_url(run)).content.decode()
    assert f"<strong>Succeeded</strong>: {run.created} created, 1 updated" in html
    for paper in Publication.objects.filter(import_records__run=run):
        link = reverse("admin:publications_publication_change", args=[paper.pk])
        assert f'<a href="{link}">{paper.title}</a>' in html
    assert "A paper the run creates</a> (draft)" in html
    # The record Semantic Scholar answered with null: skipped, and why.
    assert "Skipped (not papers)" in html
    assert "s2.json (item 1): null: Semantic Scholar knows no paper for the id asked" in html
    assert "Skip invalid records</th><td>yes" in html
    # No JSON in sight.
    assert "{&quot;" not in html and "[{&quot;" not in html


def test_publish_the_drafts_this_run_created(client, run):
    editor = EditorFactory()
    client.force_login(editor)
    page = client.get(run_url(run)).content.decode()
    assert f"Publish the {run.created} drafts this run created" in page
    response = client.post(
        reverse("admin:publications_importrun_changelist"),
        {"action": "publish_created_drafts", "_selected_action": [run.pk], "from_run": "1"},
    )
    assert response.status_code == 302 and response["Location"] == run_url(run)
    created = Publication.objects.filter(import_records__run=run, import_records__action="created")
    assert created.count() == run.created and all(paper.is_published for paper in created)
    # The paper it only changed stays a draft: the run did not make it.
    assert not Publication.objects.get(doi="10.1000/updated").is_published
    # Published the way the paper list's own action does: with a revision by the editor.
    version = Version.objects.get_for_object(created.first()).first()
    assert version.revision.user == editor and "published" in version.revision.get_comment()
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"{run.created} items published." in notes
    # Nothing left to publish: no button.
    assert "drafts this run created" not in client.get(run_url(run)).content.decode()


def test_only_those_who_may_change_papers_may_publish_them(client, run):
    user = StaffFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_importrun"))
    client.force_login(user)
    page = client.get(run_url(run))
    assert page.status_code == 200
    html = page.content.decode()
    assert "drafts this run created" not in html
    # The papers' titles (drafts) are for those who may view papers; the counts are not.
    assert "A paper the run creates" not in html and "1 updated" in html
    client.post(
        reverse("admin:publications_importrun_changelist"),
        {"action": "publish_created_drafts", "_selected_action": [run.pk]},
    )
    assert not Publication.objects.filter(is_published=True).exists()


def test_the_paper_list_narrowed_to_a_run(staff_client, run):
    url = reverse("admin:publications_publication_changelist")
    page = staff_client.get(f"{url}?import_run={run.pk}-created")
    titles = {paper.title for paper in page.context["cl"].result_list}
    assert titles == set(
        ImportRunPaper.objects.filter(run=run, action="created").values_list(
            "publication__title", flat=True
        )
    )
    assert f"Run #{run.pk}: created" in page.content.decode()
    updated = staff_client.get(f"{url}?import_run={run.pk}-updated")
    assert [p.title for p in updated.context["cl"].result_list] == ["A paper already here"]
    nonsense = staff_client.get(f"{url}?import_run=nonsense")
    assert nonsense.status_code == 200 and list(nonsense.context["cl"].result_list) == []


def test_a_dry_run_is_not_an_import_run(db):
    result = import_papers([Source(name="papers.bib", data=BIB.encode())], dry_run=True)
    assert result.ok and result.created == 3 and result.run is None
    assert not ImportRun.objects.exists() and not Publication.objects.exists()


def test_the_import_runs_list_reads_as_results(staff_client, run):
    html = staff_client.get(reverse("admin:publications_importrun_changelist")).content.decode()
    assert f"Succeeded: {run.created} created, 1 updated, 1 skipped" in html
    assert "Dry run" not in html
