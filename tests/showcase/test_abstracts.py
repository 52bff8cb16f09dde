"""Abstracts written in TeX (``features'', \\emph{...}, as arXiv and the scholar page give
them) are shown as a reader expects wherever an abstract shows: the paper page, the list's
abstract toggle, profile rows, search snippets, feeds, exports and metadata; plain
abstracts are shown as written; both always escaped."""

import json

import feedparser
import pytest
import rispy
from django.urls import reverse

from publications.models import Publication
from tests.factories import PublicationFactory
from tests.publications.scholarly.pages import json_ld, meta_values

from .page import page

pytestmark = pytest.mark.django_db

MONOSEMANTICITY = "Engineering Monosemanticity in Toy Models"
RENDERED = "natural “features” in the input. Such monosemantic neurons"
RAW_MARKS = ("``", "''", "\\emph", "\\")


def demo_paper():
    return Publication.objects.get(title=MONOSEMANTICITY)


def assert_rendered(node):
    """``node`` (an abstract's element) shows curly quotes and real emphasis."""
    assert RENDERED in " ".join(node.text.split())
    assert [em.text for em in node.find_all("em")] == ["monosemantic"]
    for mark in RAW_MARKS:
        assert mark not in node.text


def test_demo_abstract_holds_tex_as_the_scholar_page_gave_it(demo):
    assert "natural ``features''" in demo_paper().abstract
    assert "\\emph{monosemantic}" in demo_paper().abstract


def test_paper_page_renders_the_tex_abstract(client, demo):
    response = client.get(demo_paper().get_absolute_url())
    section = page(response).find("section", **{"aria-labelledby": "abstract-h"})
    assert_rendered(section)


def test_list_abstract_toggle_renders_the_tex_abstract(client, demo):
    response = client.get(reverse("publications:list"), {"q": "monosemanticity"})
    (row,) = [r for r in page(response).find_all(cls="paper") if MONOSEMANTICITY in r.text]
    assert_rendered(row.find("p", cls="abstract-text"))


def test_profile_row_renders_the_tex_abstract(client, demo):
    response = client.get(reverse("people:detail", kwargs={"slug": "evan-hubinger"}))
    (row,) = [r for r in page(response).find_all(cls="paper") if MONOSEMANTICITY in r.text]
    assert_rendered(row.find("p", cls="abstract-text"))


def test_search_snippet_shows_the_abstract_as_text(client, demo):
    response = client.get(reverse("site:search"), {"q": "monosemantic neurons", "type": "papers"})
    hits = page(response).find("main").text
    assert "“features”" in hits
    assert "\\emph" not in hits and "``" not in hits


def test_exports_feeds_and_metadata_carry_plain_text(client, demo):
    paper = demo_paper()
    ris = rispy.loads(
        client.get(reverse("publications:cite", args=[paper.slug, "ris"])).content.decode()
    )
    csl = json.loads(client.get(reverse("publications:cite", args=[paper.slug, "json"])).content)
    feed = feedparser.parse(client.get(reverse("publications:feed")).content)
    (entry,) = [e for e in feed.entries if e.title == MONOSEMANTICITY]
    html = client.get(paper.get_absolute_url()).content.decode()
    (article,) = [d for d in json_ld(html) if d.get("name") == MONOSEMANTICITY]
    texts = [
        ris[0]["abstract"],
        csl[0]["abstract"],
        entry.summary,
        article["abstract"],
        article["description"],
        *meta_values(html, "og:description"),
        *meta_values(html, "description"),
    ]
    for text in texts:
        assert "“features”" in text, text
        for mark in RAW_MARKS:
            assert mark not in text, text
    assert RENDERED in ris[0]["abstract"] and RENDERED in csl[0]["abstract"]


def test_tex_markup_is_escaped_never_run(client):
    paper = PublicationFactory(abstract="An \\emph{<script>alert(1)</script>} and <b>bold</b>.")
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "<em>&lt;script&gt;alert(1)&lt;/script&gt;</em> and &lt;b&gt;bold&lt;/b&gt;." in html
    assert "<script>alert(1)" not in html


def test_a_plain_abstract_is_shown_as_written(client):
    text = "About ~80% of runs cost $5 -- or $10 -- each: `make test` and x_1 {sic}."
    paper = PublicationFactory(abstract=text)
    section = page(client.get(paper.get_absolute_url())).find(
        "section", **{"aria-labelledby": "abstract-h"}
    )
    assert section.find("p").text.strip() == text


def test_tex_abstract_keeps_plain_dollars_and_tildes(client):
    paper = PublicationFactory(abstract="Costs ~\\$5 or $5 for ``runs'' of $O(n^2)$, see Fig.~3.")
    html = client.get(paper.get_absolute_url()).content.decode()
    # "~" after a space and a "$" opening no formula keep their plain meaning; TeX's "~"
    # between two words is a no-break space.
    assert "Costs ~$5 or $5 for “runs” of O(n^2), see Fig.\u00a03." in html
