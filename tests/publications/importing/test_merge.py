"""One merge step: dedupe, preprint + published version, editors' changes, options."""

import datetime
import json

import pytest

from profiles.models import Person
from publications.models import Authorship, Publication
from tests import factories

from .conftest import sample

ARXIV_AEW10 = "arxiv-atom-idlist-34-authors-from-arxiv.py-tests.xml"
AEW10_TITLE = "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"


def write(tmp_path, text, name="papers.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(result):
    data = json.loads(result.out)
    return {key: data[key] for key in ("created", "updated", "unchanged", "skipped", "failed")}


@pytest.mark.parametrize("bibtex_first", [True, False])
def test_datacite_arxiv_doi_in_bibtex_counts_as_the_arxiv_id(run_import, tmp_path, bibtex_first):
    bib = write(
        tmp_path,
        "@misc{immink2017,\n  title = {Proceedings of Workshop {AEW10}: Concepts in Information"
        " Theory and Communications},\n  author = {Immink, Kees A. Schouhamer and Baggen, Stan},\n"
        "  year = {2017},\n  doi = {10.48550/ARXIV.1707.08567},\n  publisher = {arXiv},\n}\n",
    )
    order = [bib, sample(ARXIV_AEW10)] if bibtex_first else [sample(ARXIV_AEW10), bib]
    for path in order:
        assert run_import(path).code == 0
    pub = Publication.objects.get()
    assert pub.arxiv_id == "1707.08567"
    assert pub.doi == ""  # arXiv's own DOI is the arXiv id, not a second identifier
    # arXiv's 34-author list wins over the two-author BibTeX one, in arXiv's order.
    assert pub.authorships.count() == 34
    assert pub.authorships.get(position=2).name == "Stan Baggen"


@pytest.mark.parametrize("bibtex_first", [True, False])
def test_preprint_and_published_version_become_one_record(run_import, tmp_path, bibtex_first):
    """The published version (journal DOI, no arXiv id) is found by title and year."""
    bib = write(
        tmp_path,
        "@inproceedings{immink2017aew,\n  title = {Proceedings of Workshop {AEW10}: Concepts in "
        "Information Theory and Communications},\n  author = {Kees A. Schouhamer Immink and "
        "Stan Baggen},\n  booktitle = {Asia-Europe Workshop on Information Theory},\n"
        "  year = {2017},\n  doi = {10.1109/AEW10.2017.1},\n}\n",
    )
    order = [bib, sample(ARXIV_AEW10)] if bibtex_first else [sample(ARXIV_AEW10), bib]
    for path in order:
        result = run_import(path)
        assert result.code == 0, result
    pub = Publication.objects.get()
    assert (pub.doi, pub.arxiv_id) == ("10.1109/aew10.2017.1", "1707.08567")
    assert pub.kind == "conference_paper"  # the preprint became the published paper
    assert pub.venue == "Asia-Europe Workshop on Information Theory"
    assert pub.title == AEW10_TITLE


def test_published_bibtex_with_eprint_merges_by_arxiv_id(run_import, tmp_path):
    assert run_import(sample(ARXIV_AEW10)).code == 0
    bib = write(
        tmp_path,
        "@article{other,\n  title = {AEW10 proceedings (journal version, retitled)},\n"
        "  author = {Immink, K.},\n  journal = {J. Inf. Theory},\n  year = {2018},\n"
        "  doi = {10.1000/JIT.2018.5},\n  eprint = {1707.08567v2},\n"
        "  archivePrefix = {arXiv},\n}\n",
    )
    result = run_import("--json", bib)
    assert counts(result)["updated"] == 1 and counts(result)["created"] == 0
    pub = Publication.objects.get()
    assert (pub.doi, pub.arxiv_id, pub.arxiv_version) == ("10.1000/jit.2018.5", "1707.08567", 2)
    assert pub.title == AEW10_TITLE  # filled fields are not replaced


@pytest.mark.parametrize(
    "existing,payload",
    [
        (
            {"doi": "10.1371/JOURNAL.PONE.0033693", "title": "Something else entirely"},
            "crossref-work-single-journal-article-from-habanero-tests.json",
        ),
        (
            {"arxiv_id": "2104.12255", "title": "Zero"},
            "arxiv-atom-idlist-versioned-title-zero-from-arxiv.py-tests.xml",
        ),
        (
            {"semantic_scholar_id": "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce", "title": "DiD"},
            "s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json",
        ),
        (
            {"openalex_id": "W4239223537", "title": "BDRE"},
            "openalex-works-list-response-meta-results-from-zotero-translators-tests.json",
        ),
        (
            {
                "title": "THE BIG DATA research ecosystem.",
                "published_on": datetime.date(2020, 1, 1),
            },
            "openalex-works-list-response-meta-results-from-zotero-translators-tests.json",
        ),
    ],
    ids=["doi", "arxiv", "semantic-scholar", "openalex", "title-and-year"],
)
def test_dedupe_finds_the_existing_paper(run_import, existing, payload):
    paper = factories.PublicationFactory(**existing)
    before = Publication.objects.count()
    result = run_import("--json", sample(payload))
    assert result.code == 0, result
    new = Publication.objects.count() - before
    data = counts(result)
    assert data["updated"] + data["unchanged"] >= 1
    assert new == data["created"]
    paper.refresh_from_db()
    assert paper.title == existing["title"]  # an existing value is kept
    if "semantic_scholar_id" in existing:
        assert paper.doi == "10.2139/ssrn.288970"  # identifiers are added


def test_title_match_needs_the_same_year(run_import):
    factories.PublicationFactory(
        title="The Big Data Research Ecosystem", published_on=datetime.date(2011, 1, 1)
    )
    result = run_import(
        "--json",
        sample("openalex-works-list-response-meta-results-from-zotero-translators-tests.json"),
    )
    assert counts(result)["created"] == 5
    assert Publication.objects.filter(title="The Big Data Research Ecosystem").count() == 2


def test_reimport_is_idempotent(run_import):
    files = [
        sample("bibtex-jabref-bibdesk-acm-latex-accents-from-jabref-tests.bib"),
        sample(ARXIV_AEW10),
        sample("openalex-works-list-response-meta-results-from-zotero-translators-tests.json"),
        sample("s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json"),
        sample("crossref-work-single-journal-article-from-habanero-tests.json"),
        sample("ris-aip-export-author-no-space-from-jabref-tests.ris"),
        sample("csl-json-crossref-transform-science-1970-from-habanero-tests.json"),
    ]
    first = counts(run_import("--json", *files))
    assert first["created"] > 20
    rows = Publication.objects.count(), Authorship.objects.count()
    second = counts(run_import("--json", *files))
    assert second["created"] == 0 and second["updated"] == 0
    assert second["unchanged"] == first["created"] + first["updated"] + first["unchanged"]
    assert (Publication.objects.count(), Authorship.objects.count()) == rows


def test_editors_change_survives_reimport_and_overwrite_replaces_it(run_import):
    path = sample("crossref-work-single-journal-article-from-habanero-tests.json")
    assert run_import(path).code == 0
    pub = Publication.objects.get()
    imported_title = pub.title
    pub.title = "Methylphenidate and dopamine neurons (editor's title)"
    pub.venue = "PLOS ONE"
    pub.edited_fields = ["title", "venue"]
    pub.save()

    result = run_import("--json", path)
    assert counts(result)["created"] == 0 and counts(result)["updated"] == 0
    pub.refresh_from_db()
    assert pub.title == "Methylphenidate and dopamine neurons (editor's title)"
    assert pub.venue == "PLOS ONE"

    result = run_import("--json", "--overwrite", path)
    assert counts(result)["updated"] == 1
    pub.refresh_from_db()
    assert pub.title == imported_title
    assert pub.venue == "PLoS ONE"


def test_person_links_the_matching_author(run_import):
    person = factories.PersonFactory(name="Esther Duflo", slug="esther-duflo")
    other = factories.PersonFactory(name="Marianne Bertrand", slug="marianne-bertrand")
    result = run_import(
        "--person",
        "esther-duflo",
        sample("s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json"),
    )
    assert result.code == 0, result
    linked = Authorship.objects.filter(person=person)
    # "E. Duflo" is matched loosely because the import is for her.
    assert linked.count() == 3
    assert set(linked.values_list("name", flat=True)) == {"E. Duflo"}
    # Others are linked by exact name only.
    assert Authorship.objects.get(person=other).position == 1


def test_person_unknown_slug_is_a_usage_error(run_import):
    result = run_import("--person", "nobody", sample(ARXIV_AEW10))
    assert result.code == 2
    assert "nobody" in result.err
    assert Publication.objects.count() == 0


def test_new_papers_are_drafts_unless_publish(run_import):
    assert run_import(sample(ARXIV_AEW10)).code == 0
    assert Publication.objects.get().is_published is False
    assert (
        run_import(
            "--publish", sample("csl-json-crossref-transform-science-1970-from-habanero-tests.json")
        ).code
        == 0
    )
    assert Publication.objects.get(doi="10.1126/science.169.3946.635").is_published is True
    # --publish does not publish a draft that already exists.
    assert run_import("--publish", sample(ARXIV_AEW10)).code == 0
    assert Publication.objects.get(arxiv_id="1707.08567").is_published is False


def test_affiliations_become_organizations(run_import):
    from profiles.models import Organization

    result = run_import(
        sample("openalex-works-list-response-meta-results-from-zotero-translators-tests.json")
    )
    assert result.code == 0
    org = Organization.objects.get(name="University of South Africa")
    assert org.is_published is False
    assert Authorship.objects.filter(affiliations=org).count() == 2
    assert not Person.objects.exists()


def test_bulk_inserts_go_through_execute_wrappers_and_the_query_log(run_import, tmp_path):
    """The import's multi-row INSERTs bypass Django's cursor (for speed), not what
    watches the connection: execute wrappers and the query log still see them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seen = []

    def watch(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    bib = write(tmp_path, "@article{a, title={Watched}, author={Perez, Ethan}, year=2024}\n")
    with connection.execute_wrapper(watch), CaptureQueriesContext(connection) as queries:
        assert run_import(bib).code == 0
    for table in ("publications_publication", "publications_authorship", "reversion_version"):
        insert = f'INSERT INTO "{table}"'
        assert any(sql.startswith(insert) for sql in seen), table
        assert any(query["sql"].startswith(insert) for query in queries.captured_queries), table
