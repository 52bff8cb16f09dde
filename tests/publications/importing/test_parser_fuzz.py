"""Property-based fuzzing of every parser, through the path an import takes (detection,
decoding, the parser, with its limits): random and adversarial input gives records and
per-record problems, or an ``InputError`` for the whole input, never another exception,
and never holds more memory than the limits allow. Seeds are fixed (``derandomize``), so
CI runs the same examples every time; small limits keep each example cheap."""

import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.http.limits import ImportLimits
from publications.importing import service
from publications.importing.detect import Source, inspect
from publications.importing.records import InputError, KnownRecord, PaperRecord, RecordProblem

LIMITS = ImportLimits(
    max_record_bytes=4000,
    max_field_chars=1000,
    max_expansion_chars=20_000,
    max_nesting=12,
    max_json_bytes=200_000,
)
# What one example may allocate at its peak: a small multiple of the largest record (or
# JSON document), plus what the parsers' tables and caches take on first use.
MEMORY_BOUND = 40 * max(LIMITS.max_record_bytes, LIMITS.max_json_bytes // 4) + 4 * 2**20
FUZZ = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def outcome(data: bytes, fmt: str = "") -> list:
    """What importing ``data`` yields: records and problems, or [InputError]."""
    source = Source(name="fuzz", data=data, format=fmt)
    tracemalloc.start()
    try:
        inspected = inspect(source)
        reader = service._CountingReader(source.open())
        items = list(service._records(source, inspected, reader, frozenset(), LIMITS))
    except InputError as error:
        items = [error]
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"{peak:,} bytes at the peak"
    for item in items:
        assert isinstance(item, (PaperRecord, KnownRecord, RecordProblem, InputError)), item
        if isinstance(item, (RecordProblem, InputError)):
            assert str(item).strip()  # a reason, not an empty message
        if isinstance(item, PaperRecord):
            for value in (item.title, item.abstract, item.venue, item.note):
                assert len(value) <= LIMITS.max_field_chars
            service.validate(item, LIMITS)  # validation copes with whatever was parsed
    return items


# -- BibTeX ------------------------------------------------------------------------------
NAME = st.sampled_from(["a", "b", "venue", "jan", "x1", "A", "title"])
WORD = st.text(alphabet="abcXYZ019 _-:.\\'`^~\"{}$&%#@,=()\n", max_size=12)
BRACED = st.recursive(
    WORD.map(lambda text: "{" + text.replace("{", "").replace("}", "") + "}"),
    lambda inner: st.lists(st.one_of(inner, WORD), max_size=3).map(
        lambda parts: "{" + "".join(parts) + "}"
    ),
    max_leaves=8,
)
VALUE = st.lists(st.one_of(BRACED, NAME, st.integers(0, 3000).map(str)), min_size=1, max_size=4)
FIELD = st.tuples(
    st.sampled_from(["title", "author", "year", "journal", "crossref", "xdata", "abstract", "doi"]),
    VALUE.map(" # ".join),
).map(lambda pair: f"{pair[0]} = {pair[1]}")
ENTRY = st.builds(
    lambda kind, key, fields: f"@{kind}{{{key},\n  " + ",\n  ".join(fields) + "\n}",
    st.sampled_from(["article", "inproceedings", "proceedings", "book", "inbook", "set", "xdata"]),
    NAME,
    st.lists(FIELD, max_size=5),
)
STRING = st.builds(lambda name, value: f"@string{{{name} = {value}}}", NAME, VALUE.map(" # ".join))
BIBTEX = st.lists(st.one_of(ENTRY, STRING, WORD), max_size=8).map("\n".join)


def doubling_bomb(levels: int, width: int = 50) -> str:
    lines = ['@string{m0 = "' + "x" * width + '"}']
    lines += [f"@string{{m{n} = m{n - 1} # m{n - 1} # m{n - 1}}}" for n in range(1, levels)]
    return "\n".join(lines) + f"\n@misc{{bomb, title = m{levels - 1}, note = m{levels - 1}}}\n"


@FUZZ
@given(BIBTEX, st.integers(min_value=0), st.sampled_from(["", "{", "}", '"', "#", "\n@misc{"]))
@example(doubling_bomb(30), 0, "")
@example("@misc{deep, title = " + "{" * 500 + "x" + "}" * 500 + "}", 0, "")
@example("@string{big = {" + "y" * 900 + "}}\n" + "@misc{k, title = big # big # big}\n" * 40, 0, "")
def test_bibtex(text, position, insertion):
    position %= len(text) + 1
    text = text[:position] + insertion + text[position:]
    items = outcome(("@misc{first, title={First}}\n" + text).encode())
    assert items  # at least the first entry, or why not


# -- RIS ---------------------------------------------------------------------------------
TAG = st.sampled_from(
    ["TY", "TI", "T1", "ST", "AU", "A1", "PY", "DA", "DO", "UR", "AB", "ER", "KW"]
)
RIS_LINE = st.builds(
    lambda tag, dash, value: f"{tag}{dash}{value}",
    TAG,
    st.sampled_from(["  - ", " - ", "  -", "- ", " -"]),
    st.text(alphabet="ab1 /:.-,;\u00e9\t", max_size=30),
)
RIS = st.lists(st.one_of(RIS_LINE, st.just("TY  - JOUR"), st.just("ER  - ")), max_size=20).map(
    "\n".join
)


@FUZZ
@given(RIS)
@example("TY  - JOUR\nAB  - " + "z" * 10_000 + "\nER  - \nTY  - JOUR\nTI  - After\nER  - \n")
@example("TY - JOUR\nT1 - One space\nER -\n")
def test_ris(text):
    outcome(("TY  - JOUR\nTI  - First\nER  - \n" + text).encode(), "ris")


# -- arXiv Atom --------------------------------------------------------------------------
XML_TEXT = st.text(alphabet="ab <>&;/\"'=:.\n\u00e9", max_size=20)
ARXIV_ENTRY = st.builds(
    lambda arxiv_id, title, extra: (
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}</id><title>{title}</title>"
        f"<published>2020-01-02T00:00:00Z</published>{extra}"
        "<author><name>A. Author</name></author></entry>"
    ),
    st.sampled_from(["2101.00001v1", "hep-th/9901001", "nonsense", ""]),
    XML_TEXT,
    st.sampled_from(["", "<summary>s</summary>", '<category term="cs.LG"/>', "<x><y/></x>"]),
)
ATOM = st.lists(ARXIV_ENTRY, max_size=4).map(
    lambda entries: '<feed xmlns="http://www.w3.org/2005/Atom">' + "".join(entries) + "</feed>"
)


@FUZZ
@given(ATOM, st.integers(min_value=0), st.sampled_from(["", "<", "</entry>", "&bogus;", "<!"]))
@example(
    '<feed xmlns="http://www.w3.org/2005/Atom">' + "<a>" * 200 + "</a>" * 200 + "</feed>", 0, ""
)
@example(
    '<!DOCTYPE x [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom">&a;</feed>', 0, ""
)
@example(
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001</id>'
    "<title>" + "t" * 20_000 + "</title></entry></feed>",
    0,
    "",
)
def test_arxiv(text, position, insertion):
    position %= len(text) + 1
    outcome((text[:position] + insertion + text[position:]).encode(), "arxiv")


# -- the JSON formats ---------------------------------------------------------------------
KEYS = st.sampled_from(
    "title author authors name paperId externalIds DOI ArXiv id type issued date-parts "
    "container-title results meta message message-type status items data papers group "
    "work-summary bulk put-code external-ids external-id external-id-type "
    "external-id-value authorships institutions abstract_inverted_index publication_date "
    "year display_name given family publicationDate venue journal citationCount "
    "counts_by_year contributors credit-name value".split()
)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=15),
)
JSON_VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)
SHAPES = {
    "semantic_scholar": lambda value: {"paperId": "p1", "title": "T", "authors": value},
    "openalex": lambda value: {
        "meta": {},
        "results": [{"id": "https://openalex.org/W1", "authorships": value}],
    },
    "crossref": lambda value: {"status": "ok", "message-type": "work", "message": {"title": value}},
    "csl_json": lambda value: [{"type": "article-journal", "title": "T", "issued": value}],
    "orcid": lambda value: {"group": [{"work-summary": [value]}]},
}


@FUZZ
@given(st.sampled_from(sorted(SHAPES)), JSON_VALUE, st.booleans())
@example("csl_json", [[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]], False)
@example("crossref", {"items": [None, 1, "x", {"title": 5}]}, True)
def test_json_formats(flavour, value, wrap):
    data = SHAPES[flavour](value) if wrap else value
    text = json.dumps(data)  # NaN, Infinity and huge integers go through as written
    outcome(text.encode(), flavour if wrap else "")


@pytest.mark.parametrize(
    "text",
    ['{"paperId": 1' + "0" * 5000 + "}", '[{"title": NaN}]', '{"a": 1e400}', "[" * 200 + "]" * 200],
)
def test_json_numbers_and_nesting_are_an_input_error(text):
    (error,) = outcome(text.encode())
    assert isinstance(error, InputError) and str(error).startswith("fuzz: malformed JSON:")


def test_the_memory_check_can_fail(monkeypatch):
    """The bound above is real: a parser that kept 100 copies of its input would pass it."""
    monkeypatch.setattr(
        service, "_records", lambda *args: iter([PaperRecord(title="x" * 2 * MEMORY_BOUND)])
    )
    with pytest.raises(AssertionError, match="at the peak"):
        outcome(b"@misc{a, title={A}}")
