"""The BibTeX block scanner against bibtexparser 2's splitter, which it replaced: the
same entries, @string definitions, fields, raw values and broken blocks, on the recorded
samples, on the benchmark's generated file and on generated input; and the same blocks
whether the text is scanned whole or streamed in small pieces."""

import io
import logging

import bibtexparser
import pytest
from bibtexparser import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.gen_bibtex import generate
from publications.importing import bibtex_scan
from publications.importing.bibtex_scan import BrokenBlock, Entry, StringDefinition

from .conftest import SAMPLES


def theirs(text: str) -> list[tuple]:
    """bibtexparser's blocks (no middleware) as comparable tuples; comments dropped."""
    logger = logging.getLogger("bibtexparser")
    level, logger.level = logger.level, logging.CRITICAL
    try:
        library = bibtexparser.parse_string(text, parse_stack=[])
    finally:
        logger.setLevel(level)
    blocks = []
    for block in library.blocks:
        if isinstance(block, model.DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # a repeated key: not the splitter's concern
        if isinstance(block, model.DuplicateFieldKeyBlock):
            block = block.ignore_error_block  # ours reports repeated fields later
        if isinstance(block, model.Entry):
            fields = [(field.key, field.value) for field in block.fields]
            blocks.append(
                ("entry", block.start_line, block.entry_type, block.key, fields, block.raw)
            )
        elif isinstance(block, model.String):
            blocks.append(("string", block.start_line, block.key, block.value, block.raw))
        elif isinstance(block, model.ParsingFailedBlock):
            reason = block.error.abort_reason.strip()
            blocks.append(("broken", block.start_line, block.raw, reason))
    return blocks


def as_tuple(block) -> tuple:
    # bibtexparser counts lines from 0.
    if isinstance(block, Entry):
        return ("entry", block.line - 1, block.entry_type, block.key, block.fields, block.raw)
    if isinstance(block, StringDefinition):
        return ("string", block.line - 1, block.name, block.value, block.raw)
    assert isinstance(block, BrokenBlock)
    return ("broken", block.line - 1, block.raw, block.reason.strip())


def ours(text: str) -> list[tuple]:
    return [as_tuple(block) for block in bibtex_scan.scan(text)]


def without_lines(blocks: list[tuple]) -> list[tuple]:
    return [(kind, *rest) for kind, _line, *rest in blocks]


def assert_same_as_bibtexparser(text: str):
    expected, found = theirs(text), ours(text)
    if "\\\n" in text:
        # bibtexparser does not count a newline right after a backslash; we do.
        expected, found = without_lines(expected), without_lines(found)
    assert found == expected


def streamed(text: str, chunk_chars: int) -> list[tuple]:
    return [as_tuple(block) for block in bibtex_scan.scan_stream(io.StringIO(text), chunk_chars)]


SAMPLE_FILES = sorted(SAMPLES.glob("*.bib"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name[:50])
def test_recorded_samples_split_like_bibtexparser(path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gbk")
    assert_same_as_bibtexparser(text)
    assert streamed(text, 97) == ours(text)


def test_benchmark_file_splits_like_bibtexparser():
    text = generate(400)
    assert_same_as_bibtexparser(text)
    assert len([block for block in ours(text) if block[0] == "entry"]) == 400
    assert streamed(text, 1000) == ours(text)


@pytest.mark.parametrize(
    "text",
    [
        # {"} is a quote character inside a quoted value; \{ and \" are not markup.
        '@misc{a, title = "A {"} quote", note = {x \\{ y}, other = "q \\" r"}',
        # "@" inside a value is text unless it starts a line.
        "@misc{a, title = {LeQua @ {CLEF}}, email = {me@example.org}}",
        # A block start at the beginning of a line ends a broken entry; the next is read.
        "@article{broken, title = {Never closed,\n@article{fine, title = {Fine}}\n",
        "@article{broken, title = {x}\n  @misc{indented, title = {y}}",
        # Parentheses as delimiters, with a ")" inside quotes in a @string.
        '@string(venue = "Proc. (Online)")\n@misc(b, title = {T}, year = 2020)',
        # Concatenation, bare words, macros, a trailing comma, no fields at all.
        '@misc{c, title = "A" # venue # {B}, year = 2024, month = jan,}\n@misc{nofields}',
        # @comment and @preamble with nested braces, text between blocks.
        'junk @comment{ {a} b } more @preamble{ "x" # {y} }\n@misc{d, title={T}}',
        # Errors: missing "=", missing comma after the key, end of file.
        "@misc{e, title {T}}\n@misc{f title = {T}}\n@misc{g, title = {T",
        # Deep nesting (beyond the one-step match), and "@type" words that are not blocks.
        "@misc{h, title = {a{b{c{d{e{f}}}}}}, note = {@ not a block}, x = @y}",
        # A block start right after an opening delimiter, with spaces in the mark.
        "\n@(@ (x)\n@misc{i, title = {T}}",
    ],
)
def test_edge_cases_split_like_bibtexparser(text):
    assert_same_as_bibtexparser(text)
    for chunk_chars in (1, 5, 16):
        assert streamed(text, chunk_chars) == ours(text)


def test_line_numbers_count_every_newline():
    text = "@misc{a,\n  abstract = {one \\\\\n two \\\n three},\n}\n\n@misc{b, title = {B}}\n"
    lines = [block.line for block in bibtex_scan.scan(text)]
    assert lines == [1, 7]
    assert [block.line for block in bibtex_scan.scan(text, first_line=10)] == [10, 16]


def test_stream_is_read_in_pieces_not_whole():
    text = generate(300)

    class Reader(io.StringIO):
        reads = 0

        def read(self, size=-1):
            assert size > 0  # never "the rest of the file"
            Reader.reads += 1
            return super().read(size)

    stream = Reader(text)
    blocks = bibtex_scan.scan_stream(stream, chunk_chars=4096)
    first = next(blocks)
    assert isinstance(first, (Entry, StringDefinition))
    assert stream.tell() < len(text) // 10  # the first block came before the file was read
    assert len(list(blocks)) == 300  # the @string, then 300 entries
    assert Reader.reads > len(text) // 4096


# Generated input: pieces that matter to the splitter, put together at random.
TEXT = st.text(alphabet="ab \t\n,=#\"{}()@\\%'", max_size=12)
WORD = st.text(alphabet="abcXYZ019_-:.", min_size=1, max_size=8)
BRACED = st.recursive(
    TEXT.map(lambda text: "{" + text.replace("{", "").replace("}", "") + "}"),
    lambda inner: st.lists(st.one_of(inner, TEXT), max_size=4).map(
        lambda parts: "{" + "".join(parts) + "}"
    ),
    max_leaves=6,
)
QUOTED = st.lists(st.one_of(WORD, BRACED, st.just('{"}'), st.just(" ")), max_size=4).map(
    lambda parts: '"' + "".join(parts) + '"'
)
VALUE = st.lists(st.one_of(BRACED, QUOTED, WORD), min_size=1, max_size=3).map(" # ".join)
FIELD = st.tuples(WORD, st.sampled_from([" = ", "=", " =\n  "]), VALUE).map("".join)
ENTRY = st.builds(
    lambda kind, opening, key, fields, trailing: (
        f"@{kind}{opening}{key},\n  "
        + ",\n  ".join(fields)
        + trailing
        + ("}" if opening == "{" else ")")
    ),
    st.sampled_from(["article", "misc", "InProceedings", "string", "comment", "preamble"]),
    st.sampled_from(["{", "("]),
    WORD,
    st.lists(FIELD, max_size=4),
    st.sampled_from(["", ",", ",\n"]),
)
BLOCKS = st.lists(st.one_of(ENTRY, TEXT), max_size=6).map("\n".join)


def mutate(text: str, position: int, insertion: str) -> str:
    """Break the text: cut it, or drop or insert a character somewhere."""
    if not text:
        return insertion
    position %= len(text) + 1
    return text[:position] + insertion + text[position + 1 :]


@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(BLOCKS)
def test_generated_input_splits_like_bibtexparser(text):
    assert_same_as_bibtexparser(text)
    assert streamed(text, 7) == ours(text)


@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(BLOCKS, st.integers(min_value=0), st.sampled_from(["", "{", "}", '"', ",", "\n@misc{", "="]))
def test_broken_input_splits_like_bibtexparser(text, position, insertion):
    broken = mutate(text, position, insertion)
    assert_same_as_bibtexparser(broken)
    assert streamed(broken, 7) == ours(broken)
