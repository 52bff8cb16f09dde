"""Imports refresh the public page cache and leave a revision per paper, naming the run."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from reversion.models import Version

from publications.importing.detect import Source
from publications.importing.service import import_papers
from publications.models import ImportRun, Publication
from tests import factories

from .conftest import SAMPLES, sample

CROSSREF = "crossref-work-single-journal-article-from-habanero-tests.json"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_an_import_refreshes_cached_pages(
    run_import, client, page_cache, django_capture_on_commit_callbacks
):
    factories.PublicationFactory(title="Already listed")
    url = reverse("publications:list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import("--publish", sample(CROSSREF)).code == 0
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Methylphenidate Exposure Induces Dopamine Neuron Loss" in page.content.decode()


def test_command_import_records_a_revision_naming_the_run(run_import):
    assert run_import(sample(CROSSREF)).code == 0
    pub = Publication.objects.get()
    run = ImportRun.objects.get()
    (version,) = Version.objects.get_for_object(pub)
    assert version.revision.comment.startswith(f"Import run #{run.pk}: ")
    assert CROSSREF in version.revision.comment
    assert version.revision.user is None  # no user on the command line
    assert version.field_dict["title"] == pub.title
    # The authors are kept with the paper, as the admin keeps them.
    authors = version.revision.version_set.exclude(pk=version.pk)
    assert authors.count() == pub.authorships.count() == 6

    # Unchanged on re-import: no new revision. A change: one more.
    assert run_import(sample(CROSSREF)).code == 0
    assert Version.objects.get_for_object(pub).count() == 1
    pub.venue = ""
    pub.save()
    assert run_import(sample(CROSSREF)).code == 0
    versions = Version.objects.get_for_object(pub)
    assert versions.count() == 2
    latest = ImportRun.objects.latest("pk")
    assert versions.first().revision.comment.startswith(f"Import run #{latest.pk}")


def test_revision_is_attributed_to_the_staff_user(db):
    user = factories.EditorFactory()
    source = Source(name="upload.json", data=(SAMPLES / CROSSREF).read_bytes())
    result = import_papers([source], user=user)
    assert result.ok
    pub = Publication.objects.get()
    (version,) = Version.objects.get_for_object(pub)
    assert version.revision.user == user
    assert result.run.user == user


def test_dry_run_and_failed_runs_record_no_revision(run_import, tmp_path):
    assert run_import("--dry-run", sample(CROSSREF)).code == 0
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{a, title={Fine}, year=2020}\n@article{b, year=2020}\n")
    assert run_import(bad).code == 1
    assert Version.objects.count() == 0
