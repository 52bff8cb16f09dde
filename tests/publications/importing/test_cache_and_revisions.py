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


def test_import_versions_are_what_reversion_itself_writes(run_import):
    """Import revisions are written in bulk; they must match reversion's own, field for
    field, and restore like any other revision."""
    import json

    import reversion
    from django.core import serializers

    from publications.models import Authorship

    org = factories.OrganizationFactory()
    topic = factories.TopicFactory()
    assert (
        run_import(
            sample("openalex-works-list-response-meta-results-from-zotero-translators-tests.json")
        ).code
        == 0
    )
    pub = Publication.objects.get(openalex_id="W4239223537")
    pub.topics.add(topic)
    pub.organizations.add(org)
    assert Version.objects.get_for_object(pub).count() == 1
    # The bulk writer ran before the topic was added: compare a fresh one.
    from publications.importing.revisions import record_revisions

    record_revisions([pub.pk], run=ImportRun.objects.get())
    ours = Version.objects.get_for_object(pub).first()
    for obj, mine in [
        (pub, ours),
        *(
            (a, Version.objects.get_for_object(a).first())
            for a in Authorship.objects.filter(publication=pub)
        ),
    ]:
        options = reversion.revisions._get_options(type(obj))
        expected = serializers.serialize("json", [obj], fields=options.fields)
        assert json.loads(mine.serialized_data) == json.loads(expected)
        assert mine.object_repr == str(obj)
    assert ours.field_dict["topics"] == [topic.pk]

    # Restoring the import's revision brings back the imported values.
    title = pub.title
    pub.title = "Edited"
    pub.save()
    ours.revision.revert()
    pub.refresh_from_db()
    assert pub.title == title


def test_versions_of_new_papers_are_exactly_what_reversion_writes(run_import):
    """New papers are versioned from the values just written, not read back: the text
    must still be what reversion writes for the stored rows (with people, corresponding
    authors, affiliations and non-ASCII names)."""
    import json

    import reversion
    from django.core import serializers

    from publications.models import Authorship

    person = factories.PersonFactory(name="Ying Pang")
    path = sample("openalex-works-list-response-meta-results-from-zotero-translators-tests.json")
    assert run_import(path).code == 0
    authorships = Authorship.objects.exclude(affiliations=None)
    assert authorships.exists()
    assert Authorship.objects.filter(person=person, is_corresponding=True).exists()
    assert Authorship.objects.filter(name__contains="Кузнецов").exists()
    for pub in Publication.objects.all():
        (version,) = Version.objects.get_for_object(pub)
        options = reversion.revisions._get_options(Publication)
        expected = serializers.serialize("json", [pub], fields=options.fields)
        # PostgreSQL returns JSON fields with their keys in its own order: compare values.
        assert json.loads(version.serialized_data) == json.loads(expected)
        assert version.object_repr == str(pub)
        for authorship in pub.authorships.all():
            (author_version,) = Version.objects.get_for_object(authorship)
            options = reversion.revisions._get_options(Authorship)
            assert author_version.revision_id == version.revision_id
            assert author_version.serialized_data == serializers.serialize(
                "json", [authorship], fields=options.fields
            )
            assert author_version.object_repr == str(authorship)


def test_a_paper_changed_again_later_in_the_run_has_one_version_of_its_final_state(
    run_import, tmp_path, monkeypatch
):
    from publications.importing import service
    from publications.models import Authorship

    monkeypatch.setattr(service, "BATCH_SIZE", 1)  # every record written on its own
    path = tmp_path / "papers.bib"
    path.write_text(
        "@article{a, title={Same Paper}, author={Ann One}, doi={10.1000/x}, year=2020}\n"
        "@article{b, title={Other Paper}, author={Bo Two}, year=2021}\n"
        "@article{c, title={Same Paper}, author={Ann One}, doi={10.1000/x}, year=2020,"
        " pages={1--2}}\n"
    )
    assert run_import(path).code == 0
    pub = Publication.objects.get(doi="10.1000/x")
    (version,) = Version.objects.get_for_object(pub)
    assert version.field_dict["pages"] == "1–2"
    (author,) = Authorship.objects.filter(publication=pub)
    (author_version,) = Version.objects.get_for_object(author)
    assert author_version.revision_id == version.revision_id
    assert Version.objects.filter(revision__comment__startswith="Import run").count() == 4
