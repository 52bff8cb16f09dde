"""Snippets and highlighting."""

from search.query import parse_query
from search.snippets import highlight, snippet, term_pattern


def test_highlight_marks_word_starts_and_stems():
    pattern = term_pattern(parse_query("organisms model").terms)
    assert str(highlight("Model organism of a remodelled <system>", pattern)) == (
        "<mark>Model</mark> <mark>organism</mark> of a remodelled &lt;system&gt;"
    )


def test_snippet_is_a_window_around_the_first_match():
    pattern = term_pattern(parse_query("needle").terms)
    text = "hay " * 200 + "a needle here " + "hay " * 200
    cut = str(snippet(["", text], pattern, length=100))
    assert cut.startswith("… ") and cut.endswith(" …")
    assert "<mark>needle</mark>" in cut
    assert len(cut) < 140
