"""The citation formats, read back by the libraries reference managers use."""

import datetime
import json
import re
from urllib.parse import parse_qs

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    MonthIntMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)

from publications import citations
from publications.models import Publication

from .conftest import TRICKY_TITLE, make_paper

pytestmark = pytest.mark.django_db


def parse_bibtex(text):
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            LatexDecodingMiddleware(),
            MonthIntMiddleware(),
            SeparateCoAuthors(),
            SplitNameParts(),
        ],
    )
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library.entries


def fetch(paper):
    return Publication.objects.for_citation().get(pk=paper.pk)


def full_name(parts):
    return " ".join([*parts.first, *parts.von, *parts.last, *parts.jr])


class TestSplitName:
    @pytest.mark.parametrize(
        ("written", "given", "family", "suffix"),
        [
            ("Evan Hubinger", "Evan", "Hubinger", ""),
            ("Samuel R. Bowman", "Samuel R.", "Bowman", ""),
            ("Ludwig van Beethoven", "Ludwig", "van Beethoven", ""),
            ("Jean-Paul de la Fontaine", "Jean-Paul", "de la Fontaine", ""),
            ("Hubinger, Evan", "Evan", "Hubinger", ""),
            ("Martin Luther King Jr.", "Martin Luther", "King", "Jr."),
            ("Aristotle", "", "Aristotle", ""),
            ("José María Núñez", "José María", "Núñez", ""),
        ],
    )
    def test_parts(self, written, given, family, suffix):
        name = citations.split_name(written)
        assert (name.given, name.family, name.suffix) == (given, family, suffix)

    def test_initials_keep_hyphens(self):
        assert citations.split_name("Jean-Paul Sartre").initials == "J.-P."
        assert citations.split_name("Samuel R. Bowman").initials == "S. R."


class TestBibtex:
    def test_round_trip_title_authors_year(self, sleeper_agents):
        [entry] = parse_bibtex(citations.to_bibtex([fetch(sleeper_agents)]))
        assert entry["title"] == sleeper_agents.title
        assert entry["year"] == "2024"
        assert entry["month"] == 1
        authors = [full_name(parts) for parts in entry["author"]]
        assert authors == ["Evan Hubinger", "Carson Denison", "Jesse Mu", "Ludwig van Beethoven"]
        assert entry["eprint"] == "2401.05566"
        assert entry["doi"] == "10.48550/arXiv.2401.05566"
        assert entry.key == "hubinger2024sleeper"
        assert entry.entry_type == "misc"

    def test_special_characters_are_escaped_and_read_back(self, db):
        paper = make_paper(
            title=TRICKY_TITLE,
            authors=("Ann O'Neil & Co", "Bob_Smith", "Zoë Ünal"),
            venue="Journal of 50% & More",
            kind="journal_article",
        )
        text = citations.to_bibtex([fetch(paper)])
        # Nothing TeX would take as markup is left bare in the title.
        title_line = next(line for line in text.splitlines() if line.strip().startswith("title"))
        assert not re.search(r"(?<!\\)[&%$#_]", title_line)
        assert "~" not in title_line
        [entry] = parse_bibtex(text)
        assert entry["title"] == TRICKY_TITLE
        assert entry["journal"] == "Journal of 50% & More"
        assert [full_name(p) for p in entry["author"]] == [
            "Ann O'Neil & Co",
            "Bob_Smith",
            "Zoë Ünal",
        ]

    def test_capitals_inside_words_are_protected(self, sleeper_agents):
        text = citations.to_bibtex([fetch(sleeper_agents)])
        assert "{LLMs}" in text
        assert "{Sleeper}" not in text

    def test_incomplete_author_list_ends_with_others(self, db):
        paper = make_paper(authors=("Roger Grosse", "Juhan Bae"), has_more_authors=True)
        [entry] = parse_bibtex(citations.to_bibtex([fetch(paper)]))
        assert [full_name(p) for p in entry["author"]] == ["Roger Grosse", "Juhan Bae", "others"]

    def test_entry_types_and_venue_fields(self, db):
        article = make_paper(
            kind="journal_article", venue="Nature", volume="5", issue="2", pages="1--9"
        )
        talk = make_paper(kind="conference_paper", venue="NeurIPS")
        thesis = make_paper(kind="thesis", venue="Stanford University")
        entries = parse_bibtex(citations.to_bibtex([fetch(article), fetch(talk), fetch(thesis)]))
        assert [e.entry_type for e in entries] == ["article", "inproceedings", "phdthesis"]
        assert entries[0]["journal"] == "Nature"
        assert (entries[0]["volume"], entries[0]["number"], entries[0]["pages"]) == (
            "5",
            "2",
            "1–9",
        )  # -- is an en dash in TeX
        assert entries[1]["booktitle"] == "NeurIPS"
        assert entries[2]["school"] == "Stanford University"

    def test_keys_are_unique_in_a_file_and_stable_for_a_paper(self, db):
        date = datetime.date(2023, 5, 1)
        first = make_paper(title="Model organisms", authors=("Evan Hubinger",), published_on=date)
        second = make_paper(
            title="Model organisms II", authors=("Evan Hubinger",), published_on=date
        )
        entries = parse_bibtex(citations.to_bibtex([fetch(first), fetch(second)]))
        assert [e.key for e in entries] == ["hubinger2023modela", "hubinger2023modelb"]
        [alone] = parse_bibtex(citations.to_bibtex([fetch(first)]))
        assert alone.key == "hubinger2023model"

    def test_year_precision_writes_no_month(self, db):
        paper = make_paper(published_on=datetime.date(2019, 1, 1), date_precision="year")
        [entry] = parse_bibtex(citations.to_bibtex([fetch(paper)]))
        assert entry["year"] == "2019"
        assert "month" not in entry

    def test_page_url_is_the_link_of_last_resort(self, db):
        paper = make_paper()
        text = citations.to_bibtex([fetch(paper)], page_url=lambda p: f"https://site/{p.slug}/")
        [entry] = parse_bibtex(text)
        assert entry["url"] == f"https://site/{paper.slug}/"


class TestRis:
    def test_round_trip(self, sleeper_agents):
        [entry] = rispy.loads(citations.to_ris([fetch(sleeper_agents)]))
        assert entry["type_of_reference"] == "UNPB"
        assert entry["title"] == sleeper_agents.title
        assert entry["authors"] == [
            "Hubinger, Evan",
            "Denison, Carson",
            "Mu, Jesse",
            "van Beethoven, Ludwig",
        ]
        assert entry["year"] == "2024"
        assert entry["date"] == "2024/01/10/"
        assert entry["doi"] == "10.48550/arXiv.2401.05566"
        assert "https://arxiv.org/abs/2401.05566" in entry["urls"]
        assert entry["abstract"] == sleeper_agents.abstract

    def test_special_characters_are_kept_verbatim(self, db):
        paper = make_paper(title=TRICKY_TITLE, kind="journal_article", venue="J & K", pages="10–20")
        [entry] = rispy.loads(citations.to_ris([fetch(paper)]))
        assert entry["title"] == TRICKY_TITLE
        assert entry["type_of_reference"] == "JOUR"
        assert entry["journal_name"] == "J & K"
        assert (entry["start_page"], entry["end_page"]) == ("10", "20")

    def test_several_papers_in_order(self, db):
        papers = [make_paper(title=f"Paper {n}") for n in range(3)]
        entries = rispy.loads(citations.to_ris([fetch(p) for p in papers]))
        assert [e["title"] for e in entries] == ["Paper 0", "Paper 1", "Paper 2"]


class TestCslJson:
    def test_items(self, sleeper_agents):
        [item] = json.loads(citations.to_csl_json([fetch(sleeper_agents)]))
        assert item["type"] == "article"
        assert item["title"] == sleeper_agents.title
        assert item["author"][0] == {"family": "Hubinger", "given": "Evan"}
        assert item["author"][3] == {"family": "van Beethoven", "given": "Ludwig"}
        assert item["issued"] == {"date-parts": [[2024, 1, 10]]}
        assert item["DOI"] == "10.48550/arXiv.2401.05566"
        assert item["number"] == "arXiv:2401.05566"

    def test_month_precision_and_unique_ids(self, db):
        date = datetime.date(2022, 3, 1)
        a = make_paper(
            title="Same", authors=("Ann Lee",), published_on=date, date_precision="month"
        )
        b = make_paper(
            title="Same", authors=("Ann Lee",), published_on=date, date_precision="month"
        )
        items = json.loads(citations.to_csl_json([fetch(a), fetch(b)]))
        assert items[0]["issued"] == {"date-parts": [[2022, 3]]}
        assert len({item["id"] for item in items}) == 2

    def test_single_word_author_is_a_literal(self, db):
        paper = make_paper(authors=("Aristotle",))
        [item] = json.loads(citations.to_csl_json([fetch(paper)]))
        assert item["author"] == [{"literal": "Aristotle"}]


class TestFormattedCitation:
    def test_apa_style(self, sleeper_agents):
        text = citations.formatted_citation(fetch(sleeper_agents))
        assert text == (
            "Hubinger, E., Denison, C., Mu, J., & van Beethoven, L. (2024). Sleeper Agents: "
            "Training Deceptive LLMs that Persist Through Safety Training. arXiv:2401.05566. "
            "https://doi.org/10.48550/arXiv.2401.05566"
        )

    def test_et_al_and_venue_in_italics(self, db):
        paper = make_paper(
            authors=("Roger Grosse",),
            has_more_authors=True,
            venue="Nature <Science>",
            volume="12",
            published_on=datetime.date(2023, 8, 7),
        )
        paper = fetch(paper)
        assert citations.formatted_citation(paper).startswith("Grosse, R., et al. (2023).")
        html = citations.formatted_citation_html(paper)
        assert "<i>Nature &lt;Science&gt;</i>, <i>12</i>" in html

    def test_undated_paper_without_authors(self, db):
        paper = make_paper(authors=(), title="Untitled notes", published_on=None)
        assert citations.formatted_citation(fetch(paper)).startswith("Untitled notes. (n.d.).")


class TestCoins:
    def test_context_object(self, sleeper_agents):
        query = citations.coins_query(fetch(sleeper_agents))
        fields = parse_qs(query)
        assert fields["ctx_ver"] == ["Z39.88-2004"]
        assert fields["rft.atitle"] == [sleeper_agents.title]
        assert fields["rft.au"] == [
            "Evan Hubinger",
            "Carson Denison",
            "Jesse Mu",
            "Ludwig van Beethoven",
        ]
        assert fields["rft.aulast"] == ["Hubinger"]
        assert fields["rft.date"] == ["2024-01-10"]
        assert "info:doi/10.48550/arXiv.2401.05566" in fields["rft_id"]

    def test_span_escapes_the_title(self, db):
        paper = make_paper(title='A "quoted" <title> & more')
        span = citations.coins(fetch(paper))
        assert span.startswith('<span class="Z3988" title="')
        assert "<title>" not in span and '"quoted"' not in span
