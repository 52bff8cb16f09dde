"""BibTeX text → blocks: entries, ``@string`` definitions, and blocks too broken to read.

This follows bibtexparser 2's splitter rule for rule (it replaced it: that splitter was
four fifths of bibtexparser's parse time, and ours spent the same). What it keeps:

- A block starts at ``@type`` followed by ``{`` or ``(`` (spaces and tabs between are
  allowed) and ends at the matching ``}`` or ``)``. Braces nest; a brace, quote, comma,
  equals sign or newline right after a backslash is not markup.
- Field values are ``{…}``, ``"…"``, bare words and ``#`` joins of them, kept raw (the
  caller evaluates them). Inside quotes, braces do not count; ``{"}`` is a quote
  character, not the end of the value.
- ``@comment`` and ``@preamble`` blocks (and text between blocks) are skipped.
- Error recovery: a block start at the beginning of a line (after optional
  whitespace) ends any block that is still open, which is reported as broken with the
  reason; a block start elsewhere is text (``LeQua @ {CLEF}``). A block that breaks
  the rules in another way is reported and scanning goes on after the offending mark.

Differences, on purpose: line numbers count every newline (bibtexparser skips one right
after a backslash), and nothing is logged. Instead of walking every mark in the text as
bibtexparser does, each step searches for the next character that matters in the
current state (inside braces only braces do), which is what makes it several times
faster. ``tests/publications/importing/test_bibtex_scan.py`` checks it against bibtexparser.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

# "@type" right before "{" or "(". Every state looks for it too: at the start of a line
# it ends whatever block is open.
_BLOCK_START = r"@\w*[ \t]*(?=[{(])"
_START = re.compile(_BLOCK_START)
_ESCAPED_NOT = r"(?<!\\)"


def _marks(chars: str) -> re.Pattern:
    return re.compile(f"{_ESCAPED_NOT}[{re.escape(chars)}]|{_BLOCK_START}")


# The marks that matter in each state, for blocks closed by "}" and by ")".
_KEY = {"}": _marks('{}",='), ")": _marks('{}",=)')}  # before "=" (and after the entry key)
_VALUE = {"}": _marks('{}",'), ")": _marks('{}",)')}  # a value, outside braces and quotes
_NESTED = _marks("{}")  # inside braces in a value
_QUOTED = _marks('"')  # inside quotes in a value
_FREE = {"}": _marks("{}"), ")": _marks("{})")}  # @comment, and @string/@preamble in {…}
_FREE_QUOTED = _marks('{})"')  # @string/@preamble in (…): a ")" inside quotes is text
_LINE_START_BLOCK = re.compile(r"\n[^\S\n]*" + _BLOCK_START)


def braced_group(text: str, depth: int) -> str:
    """A regular expression for one ``{…}`` group nested at most ``depth`` deep, where
    ``text`` matches what may come between braces (it must not match an unescaped
    brace). Possessive, so a failed match costs no backtracking."""
    group = r"\{(?:" + text + r")*+\}"
    for _ in range(depth - 1):
        group = r"\{(?:" + text + "|" + group + r")*+\}"
    return group


def _whole_field(closing: str) -> re.Pattern:
    """``key = value`` up to the "," or closing delimiter after it, in one match, for the
    usual fields: a ``{…}`` value nested at most four deep, a ``"…"`` value or a bare
    word, no "@" and no backslash outside the value. It matches only where the
    mark-by-mark walk (``_KEY``, then ``_value_end``) finds the same key and value."""
    group = braced_group(r"[^{}@\\]++|\\[{}]?", depth=4)  # no "@": it may start a block
    # Inside quotes only quotes count, but not one right after a backslash, nor {"}.
    quoted = r'"(?:[^"@\\{]++|\\"?|\{"\}(?=[\s\S])|\{)*+"'
    marks = r'{}",=@\\' + (r"\)" if closing == ")" else "")
    key = rf"[^{marks}\s][^{marks}]*?"
    bare = rf"[^{marks}\s]++"
    ends = "," + re.escape(closing)
    return re.compile(rf"\s*+({key})\s*+=\s*+({group}|{quoted}|{bare})\s*+(?=[{ends}])")


_FIELD = {"}": _whole_field("}"), ")": _whole_field(")")}
CHUNK_CHARS = 1 << 20


@dataclass(slots=True)
class Entry:
    line: int  # of the "@"
    entry_type: str  # lower case
    key: str
    fields: list[tuple[str, str]]  # (name as written, raw value), in order, repeats kept
    raw: str


@dataclass(slots=True)
class StringDefinition:
    line: int
    name: str
    value: str  # raw
    raw: str


@dataclass(slots=True)
class BrokenBlock:
    line: int
    raw: str
    reason: str


Block = Entry | StringDefinition | BrokenBlock


class _Abort(Exception):
    """The block cannot be read: ``end`` ends its raw text, scanning resumes at ``resume``."""

    def __init__(self, reason: str, end: int, resume: int):
        self.reason, self.end, self.resume = reason, end, resume


def _end_of_file(text: str) -> _Abort:
    return _Abort("Unexpectedly reached end of file.", len(text), len(text))


def _at_line_start(text: str, index: int) -> bool:
    line_start = text.rfind("\n", 0, index) + 1
    return line_start == index or text[line_start:index].isspace()


def _search(pattern: re.Pattern, text: str, index: int) -> re.Match:
    mark = pattern.search(text, index)
    if mark is None:
        raise _end_of_file(text)
    return mark


def _value_end(text: str, index: int, closing: str) -> int:
    """Index of the "," or closing delimiter that ends the value starting at ``index``."""
    depth, quoted = 0, False
    plain = _VALUE[closing]
    while True:
        pattern = _NESTED if depth else _QUOTED if quoted else plain
        mark = _search(pattern, text, index)
        char, index = mark.group(), mark.end()
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == '"':
            start = mark.start()
            if (
                quoted
                and start + 2 < len(text)
                and text[start - 1] == "{"
                and text[start + 1] == "}"
            ):
                continue  # {"}: a quote character inside a quoted value
            quoted = not quoted
        elif char == "," or char == closing:
            if not (depth or quoted):
                return mark.start()
        elif char[0] == "@" and _at_line_start(text, mark.start()):
            looking_for = '`"`' if quoted else "`}`" if depth else f"`,` or `{closing}`"
            raise _Abort(
                f"Unexpected block start: `{char}`. "
                f"Was still looking for field-value closing {looking_for}",
                mark.start() - 1,
                mark.start(),
            )


def _fields(text: str, index: int, closing: str) -> tuple[list[tuple[str, str]], int]:
    """The fields from ``index`` (just after the entry key's comma) to the end of the
    entry, and the index just after its closing delimiter."""
    fields = []
    whole_field, key_pattern = _FIELD[closing], _KEY[closing]
    key_start = index
    while True:
        match = whole_field.match(text, index)
        if match is not None:
            fields.append(match.group(1, 2))
            end = match.end()
            if text[end] == ",":
                key_start = index = end + 1
                continue
            return fields, end + 1
        mark = _search(key_pattern, text, index)
        char = mark.group()
        if char == closing:
            dangling = text[key_start : mark.start()].strip()
            if dangling:
                raise _Abort(
                    f"Expected a `=` after entry key `{dangling}`, "
                    f"but found the end of the entry (`{closing}`).",
                    mark.end(),
                    mark.end(),
                )
            return fields, mark.end()
        if char != "=":
            raise _Abort(
                f"Expected a `=` after entry key, but found `{char}`.", mark.start(), mark.start()
            )
        end = _value_end(text, mark.end(), closing)
        fields.append((text[key_start : mark.start()].strip(), text[mark.end() : end].strip()))
        # After a ",": the next key. After the closing delimiter: the end, found above.
        key_start = index = end + 1 if text[end] == "," else end


def _closing_delimiter(text: str, index: int, closing: str, *, track_quotes: bool) -> int:
    """Index of the delimiter that closes a free-text block (``@comment``, ``@string``,
    ``@preamble``), braces nesting. In ``(…)`` blocks with ``track_quotes``, a ``)``
    inside ``"…"`` does not close the block."""
    track_quotes = track_quotes and closing == ")"
    pattern = _FREE_QUOTED if track_quotes else _FREE[closing]
    depth, quoted = 0, False
    while True:
        mark = _search(pattern, text, index)
        char, index = mark.group(), mark.end()
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char[0] == "@":
            if _at_line_start(text, mark.start()):
                raise _Abort(
                    f"Unexpected block start: `{char}`. Was still looking for closing bracket",
                    mark.start() - 1,
                    mark.start(),
                )
        elif depth:
            continue
        elif char == '"':
            quoted = not quoted
        elif char == closing and not quoted:
            return mark.start()


def _entry(text: str, start: re.Match, closing: str, line: int) -> tuple[Entry, int]:
    opening = start.end()
    mark = _search(_KEY[closing], text, opening + 1)
    char = mark.group()
    key = text[opening + 1 : mark.start()].strip()
    if char == closing:
        # "@article{key}": no comma, no fields (RefTeX writes these).
        fields, end = [], mark.end()
    elif char != ",":
        raise _Abort(f"Expected comma after entry key, but found {char}", mark.end(), mark.start())
    else:
        fields, end = _fields(text, mark.end(), closing)
    entry_type = start.group()[1:].strip().lower()
    return Entry(line, entry_type, key, fields, text[start.start() : end]), end


def _string(text: str, start: re.Match, closing: str, line: int) -> tuple[StringDefinition, int]:
    opening = start.end()
    mark = _search(_KEY[closing], text, opening + 1)
    if mark.group() != "=":
        raise _Abort(
            f"Expected equals sign after field key, but found {mark.group()}",
            mark.end(),
            mark.start(),
        )
    end = _closing_delimiter(text, mark.end(), closing, track_quotes=True)
    name = text[opening + 1 : mark.start()].strip()
    value = text[mark.end() : end].strip()
    return StringDefinition(line, name, value, text[start.start() : end + 1]), end + 1


def scan(text: str, first_line: int = 1, stop: int | None = None) -> Iterator[Block]:
    """The entries, @string definitions and broken blocks of ``text``, in order.
    ``first_line`` is the line number of the text's first line. With ``stop`` (a block
    start at the beginning of a line, see ``last_block_start``), only the blocks that
    start before it: they all end there at the latest, so the text from ``stop`` on scans
    the same on its own."""
    index, line, counted = 0, first_line, 0
    stop = len(text) if stop is None else stop
    while True:
        start = _START.search(text, index, stop)
        if start is None:
            return
        at = start.start()
        line += text.count("\n", counted, at)
        counted = at
        kind = start.group().lower()
        closing = "}" if text[start.end()] == "{" else ")"
        try:
            if kind.startswith("@comment"):
                index = _closing_delimiter(text, start.end() + 1, closing, track_quotes=False) + 1
            elif kind.startswith("@preamble"):
                index = _closing_delimiter(text, start.end() + 1, closing, track_quotes=True) + 1
            elif kind.startswith("@string"):
                block, index = _string(text, start, closing, line)
                yield block
            else:
                block, index = _entry(text, start, closing, line)
                yield block
        except _Abort as abort:
            yield BrokenBlock(line, text[at : abort.end], abort.reason)
            index = abort.resume


def too_large(limit: int, what: str = "entry", size: int | None = None) -> str:
    """Why a block, record or entry over ``limit`` characters is refused."""
    length = (
        f"{size:,} characters long; one {what} may hold at most {limit:,}"
        if size
        else (f"longer than {limit:,} characters, the most one {what} may hold")
    )
    return f"the {what} is {length} (import_papers --max-record-bytes)"


def scan_stream(
    stream, chunk_chars: int | None = None, max_block_chars: int | None = None
) -> Iterator[Block]:
    """``scan`` over a text stream, read in pieces of about ``chunk_chars`` (default
    ``CHUNK_CHARS``) cut where a block starts at the beginning of a line, so memory
    stays bounded by the largest block, not the file, and the blocks are exactly those
    of the whole text. With ``max_block_chars``, a block that grows past it is reported
    as broken as soon as it does, and skipped unread up to the next block start at the
    beginning of a line: memory stays bounded by that limit, whatever the input."""
    chunk_chars = chunk_chars or CHUNK_CHARS
    buffer, line, read_size = "", 1, chunk_chars
    while True:
        piece = stream.read(read_size)
        if not piece:
            yield from scan(buffer, line)
            return
        # The text read before has no block start after its first line: look in the new.
        since = max(0, len(buffer) - 256)
        buffer += piece
        stop = last_block_start(buffer, since)
        if stop > 0:
            yield from scan(buffer, line, stop)
            line += buffer.count("\n", 0, stop)
            buffer = buffer[stop:]
            read_size = chunk_chars
        else:
            # One large block: read more at a time, so joining the pieces stays linear.
            read_size = min(max(chunk_chars, len(buffer)), 64 * CHUNK_CHARS)
        if max_block_chars is not None and len(buffer) > max_block_chars:
            yield BrokenBlock(line, buffer[:1000], too_large(max_block_chars))
            skipped = _skip_to_next_block(stream, buffer, line, chunk_chars)
            if skipped is None:
                return
            buffer, line = skipped


def _skip_to_next_block(stream, buffer: str, line: int, chunk_chars: int):
    """Read on, keeping nothing, up to the next block start at the beginning of a line:
    (the text from there, its line number), or None at the end of the stream."""
    text = buffer
    while True:
        match = _LINE_START_BLOCK.search(text)
        if match is not None:
            start = match.start() + 1
            return text[start:], line + text.count("\n", 0, start)
        newline = text.rfind("\n")
        if newline >= 0:
            line += text.count("\n", 0, newline)
            text = text[newline : newline + 256]  # a line start, and what may follow it
        else:
            text = text[:256]
        piece = stream.read(chunk_chars)
        if not piece:
            return None
        text += piece


def last_block_start(text: str, since: int = 0) -> int:
    """Index of the last block start at the beginning of a line in ``text`` (0 when there
    is none after the first line), looking from ``since`` on. Every block still open ends
    at such a line."""
    position = len(text)
    while True:
        position = text.rfind("\n@", since, position)
        if position <= 0:
            break
        if _START.match(text, position + 1):
            return position + 1
    # Indented block starts only (rare, so a full pass is fine): keep the last one.
    last = 0
    for match in _LINE_START_BLOCK.finditer(text, since):
        last = match.start() + 1
    return last
