"""The shared ``markdown`` filter: Markdown rendered, anything dangerous removed."""

import pytest
from django.template import Context, Template

from core.templatetags.markup import render_markdown


def render(text):
    return Template("{% load markup %}{{ text|markdown }}").render(Context({"text": text}))


def test_markdown_is_rendered():
    html = render(
        "Some *emphasis*, **strength** and a [link](https://example.org).\n\n- one\n- two"
    )
    assert "<em>emphasis</em>" in html
    assert "<strong>strength</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">link</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="position:fixed">x</p>',
        "<svg onload=alert(1)>",
    ],
)
def test_dangerous_markup_is_removed(dangerous):
    html = render(dangerous)
    for bad in ("<script", "onerror", "javascript:", "<iframe", "style=", "<svg", "onload"):
        assert bad not in html


def test_headings_cannot_compete_with_the_page():
    html = render("# Big\n\n## Bigger")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h4>Bigger</h4>" in html


def test_empty_text_renders_nothing():
    assert render("") == ""
    assert render_markdown(None) == ""
