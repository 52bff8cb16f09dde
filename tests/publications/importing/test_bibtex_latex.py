"""BibTeX/biblatex features and LaTeX decoding, on entries as real exporters write them."""

import datetime

from publications.models import Publication

BIB = r"""
% A comment line before the entries
@string{ jmlr = "Journal of Machine " # "Learning Research" }
@comment{ this is ignored }

@article{dvorak2024,
  author = {Du{\v{s}}an Dvo{\v{r}}{\'a}k and M{\"u}ller, J{\"o}rg and Erd{\H o}s, P{\'a}l
            and {\L}ukasz Kaiser and Ma{\l}gorzata Sm{\k{e}}tek and others},
  title = {{Scaling {LLM}s} for \textit{In-Context} Learning: $\Sigma^{0}$ bounds},
  journal = jmlr,
  year = 2024,
  month = mar,
  volume = {25},
  pages = {1--42},
  doi = {https://doi.org/10.5555/JMLR.2024.001},
  keywords = {language models; in-context learning},
  abstract = {We show 50\% gains \& more.},
}

@misc{vaswani2017attention,
  title = {Attention Is All You Need},
  author = {Ashish Vaswani and Noam Shazeer and Niki Parmar},
  year = {2017},
  eprint = {1706.03762v7},
  archivePrefix = {arXiv},
  primaryClass = {cs.CL},
}

@online{biblatex2020,
  title = {A biblatex entry},
  author = {Fran{\c{c}}ois Chollet},
  date = {2020-05-17},
  eprinttype = {arxiv},
  eprint = {hep-th/9901001},
}
"""


def authors(pub):
    return list(pub.authorships.order_by("position").values_list("name", flat=True))


def test_latex_accents_braces_macros_and_others(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(BIB, encoding="utf-8")
    result = run_import(path)
    assert result.code == 0, result

    pub = Publication.objects.get(doi="10.5555/jmlr.2024.001")
    assert pub.title == "Scaling LLMs for In-Context Learning: Σ^0 bounds"
    # Author order kept exactly, accents decoded, "Family, Given" turned round.
    assert authors(pub) == [
        "Dušan Dvořák",
        "Jörg Müller",
        "Pál Erdős",
        "Łukasz Kaiser",
        "Małgorzata Smętek",
    ]
    assert pub.has_more_authors is True  # "and others"
    assert pub.venue == "Journal of Machine Learning Research"  # @string with #
    assert pub.published_on == datetime.date(2024, 3, 1) and pub.date_precision == "month"
    assert pub.pages == "1–42"
    assert pub.abstract == "We show 50% gains & more."
    assert pub.keywords == ["language models", "in-context learning"]

    attention = Publication.objects.get(arxiv_id="1706.03762")
    assert attention.arxiv_version == 7
    assert attention.arxiv_primary_category == "cs.CL"
    assert authors(attention) == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]

    old_style = Publication.objects.get(arxiv_id="hep-th/9901001")
    assert old_style.published_on == datetime.date(2020, 5, 17)
    assert authors(old_style) == ["François Chollet"]


def test_a_field_given_twice_is_reported_with_line_and_key(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(
        "@article{fine, title={Fine}, year=2020}\n\n"
        "@article{twice,\n  title={One},\n  title={Two},\n  year=2021\n}\n"
    )
    result = run_import(path)
    assert result.code == 1
    assert "papers.bib, line 3 (twice): broken entry: the field “title” is given twice" in (
        result.err
    )
    assert Publication.objects.count() == 0


def test_error_lines_count_lines_that_end_with_a_backslash(run_import, tmp_path):
    path = tmp_path / "papers.bib"
    path.write_text(
        "@article{first, title={First}, year=2020,\n"
        "  abstract={A line break \\\\\n and a lone backslash \\\n at line ends}}\n"
        "@article{second, year=2021, title={Unclosed}\n"
        "@article{third, title={Third}, year=2022}\n"
    )
    result = run_import(path)
    assert result.code == 1
    assert "papers.bib, line 5 (second)" in result.err


def test_entries_across_read_boundaries_import_the_same(run_import, tmp_path, monkeypatch):
    """The file is read in pieces: macros, crossref parents that come later, and
    entries cut by a piece boundary come out as when it is read whole."""
    from publications.importing import bibtex_scan

    path = tmp_path / "papers.bib"
    path.write_text(
        BIB + "\n@inproceedings{child, title={Child Paper}, crossref={parent}}\n"
        "@proceedings{parent, title={Parent Proceedings}, year=2019}\n"
    )

    def imported():
        return sorted(
            Publication.objects.values_list("title", "venue", "published_on", "doi", "arxiv_id")
        )

    assert run_import(path).code == 0
    whole = imported()
    Publication.objects.all().delete()
    monkeypatch.setattr(bibtex_scan, "CHUNK_CHARS", 16)
    assert run_import(path).code == 0
    assert imported() == whole
    assert ("Child Paper", "Parent Proceedings") in [row[:2] for row in whole]
    assert (
        "Scaling LLMs for In-Context Learning: Σ^0 bounds",
        "Journal of Machine Learning Research",
    ) in [row[:2] for row in whole]
