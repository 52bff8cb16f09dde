"""Import fidelity (issue 12, part 5): every entry that Zotero or JabRef would turn into an
item is imported. crossref and xdata inheritance as biber does it, parents imported as
works of their own, @set entries not works, RIS with one space before the dash, ST for a
missing title; biblatex's own example file imports cleanly and re-imports as unchanged."""

import json

import pytest

from publications.importing import bibtex
from publications.importing.detect import detect_text_format
from publications.importing.records import PaperRecord, RecordProblem
from publications.models import Publication

from .conftest import sample

pytestmark = pytest.mark.django_db
EXAMPLES = "bibtex-biblatex-examples-from-biblatex.bib"


def counts(run) -> tuple[int, int, int, int]:
    result = json.loads(run.out)
    return result["created"], result["updated"], result["unchanged"], result["failed"]


def records(text: str) -> dict:
    """Records by entry key; problems as strings under "problems"."""
    found = {"problems": []}
    for item in bibtex.parse_text(text, "test.bib"):
        if isinstance(item, RecordProblem):
            found["problems"].append(item.message)
        else:
            found[item.location.key] = item
    return found


def test_biblatex_examples_import_whole_and_reimport_creates_nothing(run_import):
    first = run_import("--json", sample(EXAMPLES))
    assert first.code == 0, first
    created, updated, unchanged, failed = counts(first)
    # 100 blocks: 8 @string, 2 @set, 90 entries. Five describe a work another entry
    # describes too (the ":related" copies, an article and its arXiv preprint) and merge.
    assert (created + updated + unchanged, failed) == (90, 0)
    assert created == Publication.objects.count() == 85
    again = run_import("--json", sample(EXAMPLES))
    assert again.code == 0, again
    assert counts(again) == (0, 0, 90, 0)


def test_biblatex_examples_crossref_child_and_collection_parent(run_import):
    assert run_import(sample(EXAMPLES)).code == 0
    child = Publication.objects.get(title__startswith="The True Frontier")
    assert (child.kind, child.venue) == ("chapter", "Space and Beyond")
    assert child.publisher == "Greenwood"
    assert child.published_on.year == 2000
    parent = Publication.objects.get(title__startswith="Space and Beyond")
    assert parent.kind == "book"
    # The @set entries are no works; their members are.
    assert not Publication.objects.filter(title="").exists()
    members = ("Partial Symmetries of Weak Interactions", "Weak and Electromagnetic Interactions")
    assert Publication.objects.filter(title__in=members).count() == 2


def test_biber_crossref_sample_children_inherit_and_parents_are_works(run_import):
    result = run_import("--json", sample("bibtex-crossref-biber-from-bibtexparser-v1-tests.bib"))
    assert result.code == 0, result
    venue = dict(Publication.objects.values_list("title", "venue"))
    assert venue["Great and Good Graphs"] == "Graphs of the Continent"  # @inbook ← @book
    assert venue["Title of inproceeding"] == "Manual booktitle"  # the child's own wins
    assert venue["Title of Collection bit"] == "Book Title"  # @incollection ← @collection
    assert venue["Title of Book bit"] == "Book Title"
    bit = Publication.objects.get(title="Title of Collection bit")
    assert (bit.publisher, bit.published_on.year) == ("Publisher of Collection", 2010)
    parents = Publication.objects.filter(
        title__in=["Graphs of the Continent", "Title of proceeding", "Book Title: Book Subtitle"]
    )
    assert sorted(parents.values_list("kind", flat=True)) == ["book"] * 3
    # 8 children and 6 parents, two of which are the same book (same title and year).
    assert Publication.objects.count() == 13


def test_proceedings_parent_gives_booktitle_publisher_and_year_and_is_imported():
    found = records(
        "@inproceedings{paper, title = {A Paper}, author = {Doe, Jane}, crossref = {proc}}\n"
        "@proceedings{proc, title = {Proceedings of the Workshop}, subtitle = {WS 2019},\n"
        "  editor = {Roe, Rick}, publisher = {ACM}, year = 2019, doi = {10.1000/proc},\n"
        "  shorttitle = {WS}, url = {https://ws.example.org}}\n"
    )
    paper, proceedings = found["paper"], found["proc"]
    assert (paper.title, paper.kind) == ("A Paper", "conference_paper")
    assert paper.venue == "Proceedings of the Workshop"
    assert (paper.publisher, paper.year) == ("ACM", 2019)
    assert (paper.doi, paper.url) == ("", "")  # identifiers name the parent
    assert (proceedings.title, proceedings.kind) == ("Proceedings of the Workshop: WS 2019", "book")
    assert proceedings.doi == "10.1000/proc"


def test_parents_of_parents_and_xdata_entries_are_followed_in_any_order():
    found = records(
        "@inbook{chapter, title = {The Chapter}, author = {Doe, Jane}, crossref = {volume},\n"
        "  pages = {1--10}}\n"
        "@book{volume, title = {Volume Two}, crossref = {series}, xdata = {pubdata}}\n"
        "@mvbook{series, title = {The Whole Series}, author = {Roe, Rick}, date = 2001}\n"
        "@xdata{pubdata, publisher = {Springer}, location = {Berlin}}\n"
        "@article{own, title = {Own Publisher}, journal = {J}, xdata = {pubdata},\n"
        "  publisher = {Mine}, year = 2005}\n"
    )
    chapter, volume = found["chapter"], found["volume"]
    assert (chapter.venue, chapter.publisher, chapter.year) == ("Volume Two", "Springer", 2001)
    assert [author.name for author in chapter.authors] == ["Jane Doe"]
    # A @book under an @mvbook takes its title as maintitle, not booktitle: no venue.
    assert (volume.title, volume.venue, volume.publisher) == ("Volume Two", "", "Springer")
    assert [author.name for author in volume.authors] == ["Rick Roe"]
    assert found["own"].publisher == "Mine"  # the entry's own field wins over xdata
    assert "pubdata" not in found and "series" in found  # @xdata is no work; @mvbook is
    assert found["problems"] == []


def test_a_missing_parent_or_a_crossref_loop_is_a_warning_not_a_failure():
    found = records(
        "@inproceedings{lost, title = {Lost}, crossref = {nowhere}, year = 2020}\n"
        "@inbook{a, title = {A}, crossref = {b}, year = 2020}\n"
        "@inbook{b, title = {B}, crossref = {a}, year = 2020}\n"
    )
    assert "crossref “nowhere” names no entry in this file" in found["lost"].warnings
    assert any("goes round in a loop" in warning for warning in found["a"].warnings)
    assert any("goes round in a loop" in warning for warning in found["b"].warnings)


def test_set_entries_are_not_works_but_their_members_are():
    found = records(
        "@set{both, entryset = {one,two}}\n"
        "@article{one, title = {One}, journal = {J}, year = 2001}\n"
        "@article{two, title = {Two}, journal = {J}, year = 2002}\n"
    )
    assert sorted(key for key in found if key != "problems") == ["one", "two"]


def test_an_entry_with_no_title_stays_a_clear_error(run_import, tmp_path):
    path = tmp_path / "untitled.bib"
    path.write_text(
        "@article{untitled, author = {Doe, Jane}, journal = {J}, year = 2020}\n"
        "@inbook{part, crossref = {whole}, pages = {1--2}}\n"
        "@book{whole, title = {The Whole}, year = 2020}\n"
    )
    result = run_import(path)
    assert result.code == 1
    assert "untitled.bib, line 1 (untitled): it has no title" in result.err
    # A @book's title is its @inbook's booktitle, not its title (biber's rule).
    assert "untitled.bib, line 2 (part): it has no title" in result.err
    assert not Publication.objects.exists()


def test_ris_with_one_space_before_the_dash_is_read_as_ris(run_import):
    path = sample("ris-single-space-before-dash-from-bibdesk-tests.ris")
    with open(path) as stream:
        assert detect_text_format(stream.read(), "x") == "ris"
    result = run_import(path)
    assert result.code == 0, result
    pub = Publication.objects.get()
    assert pub.title == "Julian Steward, American Anthropology, and Colonialism"
    assert (pub.venue, pub.volume, pub.pages, pub.published_on.year) == (
        "Histories of Anthropology Annual",
        "4",
        "172–204",
        2008,
    )
    assert [a.name for a in pub.authorships.all()] == ["Marc Pinkoski"]


def test_ris_short_title_stands_in_for_a_missing_title(run_import, tmp_path):
    path = tmp_path / "export.ris"
    path.write_text(
        "TY  - JOUR\nST  - Short Title Only\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
        "TY  - JOUR\nTI  - The Full Title\nST  - Full\nPY  - 2021\nER  - \n"
        "TY  - JOUR\nAU  - Roe, Rick\nPY  - 2022\nER  - \n"
    )
    result = run_import("--skip-invalid", path)
    assert "export.ris, line 11: it has no title" in result.err
    assert sorted(Publication.objects.values_list("title", flat=True)) == [
        "Short Title Only",
        "The Full Title",
    ]


def test_fixtures_parse_without_unexpected_problems():
    """Every real BibTeX file we have parses; only entries that are broken in the file
    are problems."""
    with open(sample(EXAMPLES), encoding="utf-8") as stream:
        items = list(bibtex.parse(stream, EXAMPLES))
    assert len(items) == 90
    assert all(isinstance(item, PaperRecord) for item in items)
