"""Every format, parsed from real payloads (tests/fixtures/samples/), into the database."""

import datetime

import pytest

from publications.importing.detect import Source, inspect
from publications.importing.records import InputError
from publications.models import Publication

from .conftest import SAMPLES, sample


def authors(pub):
    return list(pub.authorships.order_by("position").values_list("name", flat=True))


def only(**filters):
    return Publication.objects.get(**filters)


def test_bibtex_latex_accents_month_macro_keywords(run_import):
    result = run_import(sample("bibtex-latex-accents-from-bibtexparser-v1-tests.bib"))
    assert result.code == 0, result
    pub = only(title="An amazing title")
    assert authors(pub) == ["Jean Césarü"]  # {\'e} and {\"u}
    assert pub.published_on == datetime.date(2013, 1, 1) and pub.date_precision == "month"
    assert (pub.venue, pub.volume, pub.pages) == ("Nice Journal", "12", "12–23")
    assert pub.keywords == ["keyword1", "keyword2"]
    assert pub.abstract.startswith("This is an abstract. This line should be long enough")
    assert "érudit" in pub.abstract
    assert pub.kind == "journal_article"


def test_bibtex_jabref_acm_export_accents_and_dois(run_import):
    result = run_import(sample("bibtex-jabref-bibdesk-acm-latex-accents-from-jabref-tests.bib"))
    assert result.code == 0, result
    pub = only(doi="10.1145/1137627.1137631")
    assert authors(pub) == [
        "Gustav Boström",
        "Jaana Wäyrynen",
        "Marine Bodén",
        "Konstantin Beznosov",
        "Philippe Kruchten",
    ]
    assert pub.kind == "conference_paper"
    assert pub.venue.startswith("SESS '06: Proceedings of the 2006")
    assert only(doi="10.1109/mic.2008.67").title == "Useful Computer Security"


def test_bibtex_nested_case_insensitive_string_macros(run_import):
    result = run_import(
        sample("bibtex-string-macros-nested-caseinsensitive-from-bibtexparser-v1-tests.bib")
    )
    assert result.code == 0, result
    pub = only(title="Cool Stuff")
    assert pub.venue == "My International Conference"
    assert authors(pub) == ["John Doe"]


def test_bibtex_crossref_field_inherits_parent_venue(run_import):
    result = run_import(sample("bibtex-crossref-biber-from-bibtexparser-v1-tests.bib"))
    assert result.code == 0, result
    assert only(title="Great and Good Graphs").venue == "Graphs of the Continent"
    assert only(title="Great and Good Graphs").published_on.year == 1974
    assert only(title="Enterprising Entities").venue == "Vanquished, Victor, Vandal"


def test_bibtex_dotless_i_and_string_macro(run_import):
    result = run_import(sample("bibtex-biblatex-set-string-macro-dotless-i-from-jabref-tests.bib"))
    assert result.code == 0, result
    names = [name for pub in Publication.objects.all() for name in authors(pub)]
    assert all("\\" not in name and "{" not in name for name in names), names


def test_bibtex_gbk_encoded_file(run_import):
    result = run_import(sample("bibtex-gbk-encoded-chinese-from-bibtexparser-tests.bib"))
    assert result.code == 0, result
    pub = only(title="Test Title")
    assert pub.venue == "测试期刊" and authors(pub) == ["凯撒"]


def test_bibtex_uppercase_field_names(run_import):
    result = run_import(sample("bibtex-uppercase-fields-two-urls-from-citeproc-py-tests.bib"))
    assert result.code == 0, result
    pub = Publication.objects.get()
    assert pub.title and authors(pub)
    assert pub.url.startswith("http") and " " not in pub.url


def test_biblatex_doi_export(run_import):
    result = run_import(sample("bibtex-biblatex-crossref-doi-export-from-jabref.bib"))
    assert result.code == 0, result
    assert Publication.objects.count() == 15
    assert Publication.objects.exclude(doi="").count() >= 10
    assert not Publication.objects.filter(title__contains="{").exists()


def test_arxiv_atom_34_authors_version_categories(run_import):
    result = run_import(sample("arxiv-atom-idlist-34-authors-from-arxiv.py-tests.xml"))
    assert result.code == 0, result
    pub = only(arxiv_id="1707.08567")
    assert pub.arxiv_version == 1  # "1707.08567v1": the version is stripped, kept apart
    assert pub.kind == "preprint"
    assert pub.arxiv_primary_category == "cs.IT"
    assert pub.pdf_url == "https://arxiv.org/pdf/1707.08567v1"
    names = authors(pub)
    assert len(names) == 34
    assert names[:3] == ["Kees A. Schouhamer Immink", "Stan Baggen", "Ferdaous Chaabane"]
    assert "Peter H. N. de With" in names


def test_arxiv_paper_titled_zero(run_import):
    result = run_import(sample("arxiv-atom-idlist-versioned-title-zero-from-arxiv.py-tests.xml"))
    assert result.code == 0, result
    pub = only(arxiv_id="2104.12255")
    assert pub.title == "0"
    assert pub.published_on == datetime.date(2021, 4, 20)
    assert pub.abstract.startswith("What is the funniest number in cryptography?")


def test_arxiv_empty_feed_is_an_error(run_import):
    result = run_import(sample("arxiv-atom-empty-not-found-from-arxiv.py-tests.xml"))
    assert result.code == 1
    assert "no papers found" in result.err
    assert Publication.objects.count() == 0


def test_semantic_scholar_batch_with_null(run_import):
    result = run_import(
        "--json",
        sample("s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json"),
    )
    assert result.code == 0, result
    pub = only(semantic_scholar_id="c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce")
    assert pub.title == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert pub.doi == "10.2139/ssrn.288970"  # S2 writes DOIs in upper case
    assert pub.citation_count == 10670 and pub.citation_source == "Semantic Scholar"
    assert pub.pdf_url == "http://papers.nber.org/papers/w8841.pdf"
    assert authors(pub) == ["Marianne Bertrand", "E. Duflo", "S. Mullainathan"]
    assert Publication.objects.count() == 3  # the null (unknown id) is skipped


def test_semantic_scholar_author_papers_pages(run_import):
    result = run_import(
        sample("s2-graph-author-with-papers-turing-from-semanticscholar-tests.json"),
        sample("s2-graph-author-papers-last-page-no-next-from-semanticscholar-tests.json"),
    )
    assert result.code == 0, result
    assert Publication.objects.count() == 135
    assert Publication.objects.filter(semantic_scholar_id="").count() == 0


def test_openalex_results_list(run_import):
    result = run_import(
        sample("openalex-works-list-response-meta-results-from-zotero-translators-tests.json")
    )
    assert result.code == 0, result
    pub = only(openalex_id="W4239223537")
    assert pub.title == "The Big Data Research Ecosystem"
    assert pub.doi == "10.4018/978-1-7998-7705-9.ch090"
    assert pub.kind == "chapter"
    assert authors(pub) == ["Moses John Strydom", "Sheryl Buckley"]
    first = pub.authorships.get(position=1)
    assert [org.name for org in first.affiliations.all()] == ["University of South Africa"]
    # abstract_inverted_index rebuilt into text
    assert pub.abstract.startswith("Big data is the emerging field where innovative technology")
    mixed = only(openalex_id="W78857221")
    assert authors(mixed) == ["L.V. Nevzgodina", "В. Г. Кузнецов", "Sychkov"]


def test_crossref_single_work(run_import):
    result = run_import(sample("crossref-work-single-journal-article-from-habanero-tests.json"))
    assert result.code == 0, result
    pub = only(doi="10.1371/journal.pone.0033693")
    assert pub.title.startswith("Methylphenidate Exposure Induces Dopamine Neuron Loss")
    assert pub.venue == "PLoS ONE" and pub.kind == "journal_article"
    assert pub.published_on == datetime.date(2012, 3, 21)
    assert authors(pub)[:3] == ["Shankar Sadasivan", "Brooks B. Pond", "Amar K. Pani"]


def test_crossref_author_with_family_name_only(run_import):
    result = run_import(sample("crossref-work-author-family-only-from-habanero-tests.json"))
    assert result.code == 0, result
    assert authors(Publication.objects.get()) == ["Stravopodis"]


def test_crossref_items_list(run_import):
    result = run_import(sample("crossref-works-list-field-query-author-from-habanero-tests.json"))
    assert result.code == 0, result
    assert Publication.objects.count() >= 7
    assert not Publication.objects.filter(doi="").exists()


def test_crossref_error_payload_is_rejected(run_import):
    result = run_import(sample("crossref-error-400-validation-failure-from-habanero-tests.json"))
    assert result.code == 1
    assert "Crossref error" in result.err
    assert Publication.objects.count() == 0


def test_csl_json(run_import):
    result = run_import(sample("csl-json-crossref-transform-science-1970-from-habanero-tests.json"))
    assert result.code == 0, result
    pub = only(doi="10.1126/science.169.3946.635")
    assert pub.title == "The Structure of Ordinary Water"
    assert pub.kind == "journal_article"
    assert (pub.venue, pub.volume, pub.pages) == ("Science", "169", "635–641")
    assert authors(pub) == ["Henry S. Frank"]
    assert "<" not in pub.abstract  # JATS stripped


def test_ris_family_comma_given_without_space(run_import):
    result = run_import(sample("ris-aip-export-author-no-space-from-jabref-tests.ris"))
    assert result.code == 0, result
    pub = only(doi="10.1063/1.1954747")
    assert authors(pub)[:2] == ["J. J. Valle-Delgado", "J. A. Molina-Bolívar"]
    assert pub.venue == "The Journal of Chemical Physics"
    assert pub.published_on == datetime.date(2005, 7, 15)


def test_ris_pubmed_keywords(run_import):
    result = run_import(sample("ris-pubmed-export-pmid-pmcid-from-jabref-tests.ris"))
    assert result.code == 0, result
    pub = only(doi="10.1589/jpts.28.186")
    assert pub.pages == "186–189"
    assert pub.keywords == ["Posture", "Respiratory function", "Smartphone"]


def test_ris_bom_and_short_title_only(run_import):
    result = run_import(sample("ris-bom-cyrillic-nonstandard-type-from-rispy-tests.ris"))
    assert result.code == 0, result
    pub = Publication.objects.get()
    assert pub.title.startswith("Состояние рецепторного аппарата эндометрия")
    assert pub.kind == "journal_article"  # "TY  - Journal Article"
    assert authors(pub)[0] == "Yu E. Dobrokhotova"


def test_ris_repeated_and_semicolon_urls_are_one_paper(run_import):
    result = run_import(sample("ris-multiple-urls-semicolon-from-rispy-tests.ris"))
    assert result.code == 0, result
    pub = Publication.objects.get()
    assert pub.title == "A Mathematical Theory of Communication"
    assert pub.url == "http://example.com"
    assert authors(pub) == ["Claude E. Shannon"]


def test_ris_provider_junk_between_records(run_import):
    result = run_import(sample("ris-extraneous-provider-headers-from-rispy-tests.ris"))
    assert result.code == 0, result
    assert Publication.objects.count() == 2


def test_ris_without_ty_is_invalid(run_import):
    result = run_import(sample("ris-malformed-no-TY-bom-from-jabref-tests.ris"))
    assert result.code == 1
    assert "line 2" in result.err and "TY" in result.err


def test_orcid_work_with_bibtex_citation(run_import):
    result = run_import(sample("orcid-v3-work-single-bibtex-citation-2-from-rorcid-tests.json"))
    assert result.code == 0, result
    pub = Publication.objects.get()
    assert pub.title == "Introducing an R package for luminescence dating analysis"
    assert authors(pub)[:2] == ["Sebastian Kreutzer", "Christoph Schmidt"]


@pytest.mark.parametrize(
    "name,message",
    [
        ("orcid-v3-error-404-bad-id-from-rorcid-tests.json", "ORCID error 404"),
        ("s2-graph-error-404-paper-not-found-from-semanticscholar-tests.json", "not found"),
        ("orcid-v3-works-empty-from-rorcid-tests.json", "no papers found"),
        ("wos-plaintext-tagged-export-from-rispy-tests.txt", "Web of Science"),
        ("text-citation-apa-crossref-content-negotiation-from-habanero-tests.txt", "unrecognized"),
    ],
)
def test_error_payloads_and_unknown_formats_exit_1(run_import, name, message):
    result = run_import(sample(name))
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.err
    assert Publication.objects.count() == 0


# -- detection ---------------------------------------------------------------------------

DETECTED = {
    "bibtex-latex-accents-from-bibtexparser-v1-tests.bib": "bibtex",
    "arxiv-atom-idlist-34-authors-from-arxiv.py-tests.xml": "arxiv",
    "ris-aip-export-author-no-space-from-jabref-tests.ris": "ris",
    "ris-bom-cyrillic-nonstandard-type-from-rispy-tests.ris": "ris",
    "s2-graph-paper-batch-full-fields-with-null-from-semanticscholar-tests.json": (
        "semantic_scholar"
    ),
    "s2-graph-author-papers-last-page-no-next-from-semanticscholar-tests.json": "semantic_scholar",
    "openalex-works-list-response-meta-results-from-zotero-translators-tests.json": "openalex",
    "crossref-work-single-journal-article-from-habanero-tests.json": "crossref",
    "crossref-works-list-field-query-author-from-habanero-tests.json": "crossref",
    "csl-json-crossref-transform-science-1970-from-habanero-tests.json": "csl_json",
    "orcid-v3-full-record-official-sample-invalid-doi-from-orcid-source.json": "orcid",
}


@pytest.mark.parametrize("name,expected", sorted(DETECTED.items()))
def test_format_is_detected_from_content_not_name(run_import, tmp_path, name, expected):
    # A misleading file name: detection must look at the content.
    renamed = tmp_path / "papers.txt"
    renamed.write_bytes((SAMPLES / name).read_bytes())
    result = run_import("--dry-run", "--json", renamed)
    import json

    assert json.loads(result.out)["formats"] == [expected], result


def test_format_flag_forces_a_format(run_import):
    result = run_import(
        "--format", "ris", sample("bibtex-latex-accents-from-bibtexparser-v1-tests.bib")
    )
    assert result.code == 1
    assert Publication.objects.count() == 0


def test_inspect_rejects_binary_and_empty():
    with pytest.raises(InputError, match="PDF"):
        inspect(Source(name="paper.bib", data=b"%PDF-1.7\n..."))
    with pytest.raises(InputError, match="binary"):
        inspect(Source(name="x.bib", data=b"@article{a,\x00\x01\x02\x03" * 10))
    with pytest.raises(InputError, match="empty"):
        inspect(Source(name="x.bib", data=b""))
