"""Parsing what a visitor typed."""

from search.query import parse_query


def test_query_parsing():
    parsed = parse_query('  "model organisms"  -toy  Sleeper\x00 ' + "y" * 60)
    assert [(t.text, t.excluded) for t in parsed.terms] == [
        ("model organisms", False),
        ("toy", True),
        ("Sleeper", False),
        ("y" * 40, False),
    ]
    assert parsed.text == '"model organisms" -toy Sleeper ' + "y" * 40
    assert parsed.notices == ["Words longer than 40 characters were shortened."]
