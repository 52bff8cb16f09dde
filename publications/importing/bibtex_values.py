"""BibTeX field values: ``{…}``, ``"…"``, numbers, ``@string`` macros and ``#`` joins.

The one place where macros are expanded, and so where expansion is bounded (issue 13: a
700-byte file of doubling ``@string``s expanded to gigabytes). A ``@string`` is kept as
the pieces it was written with (text, and the macros it names, as they were defined at
that point, as BibTeX does), with its expanded length worked out without expanding it. A
value is expanded only when an entry uses it, and refused before any text is built when
it would be longer than ``ImportLimits.max_field_chars``, or when the text that macros
added to one input would pass ``max_expansion_chars``. Braces nested deeper than
``max_nesting`` are refused too (the LaTeX decoder recurses on them).
"""

import re

from core.http.limits import ImportLimits

from . import bibtex_scan

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
DEFAULT_LIMITS = ImportLimits()
# Expanded text kept per macro, so a venue macro used by thousands of entries is joined once.
_CACHED_CHARS = 4096

_BARE = re.compile(r"[^\s#{}\"=,]+")
_BRACES = re.compile(r"(?<!\\)[{}]")
# One {…} group nested at most four deep, in one match (a brace right after a backslash
# is text, as for _BRACES); deeper nesting is left to _matching_brace.
_ONE_GROUP = re.compile(bibtex_scan.braced_group(r"[^{}\\]++|\\[{}]?", depth=4))
_BRACES_QUOTES = re.compile(r'(?<!\\)[{}"]')


class BibValueError(Exception):
    """A field value that is not valid BibTeX (e.g. a missing comma), or over a limit."""


class Macro:
    """A ``@string``'s value as written: text and the macros it names. ``length`` is the
    length of its expansion; ``refused`` says why it may not be used, or is ""."""

    __slots__ = ("_text", "length", "name", "parts", "refused")

    def __init__(self, name: str, parts: tuple, refused: str = ""):
        self.name, self.parts, self.refused = name, parts, refused
        self.length = sum(len(part) if isinstance(part, str) else part.length for part in parts)
        self._text = None

    def expand(self, limit: int) -> str:
        """The text, built without recursion; ``limit`` bounds it (checked by the caller
        against ``length`` already, so this never builds more)."""
        if self._text is not None:
            return self._text
        if self.length > limit:
            raise BibValueError(self.too_long(limit))
        pieces, stack = [], [iter(self.parts)]
        while stack:
            part = next(stack[-1], None)
            if part is None:
                stack.pop()
            elif isinstance(part, str):
                pieces.append(part)
            elif part._text is not None:
                pieces.append(part._text)
            else:
                if part.refused:
                    raise BibValueError(part.refused)
                stack.append(iter(part.parts))
        text = "".join(pieces)
        if self.length <= _CACHED_CHARS:
            self._text = text
        return text

    def too_long(self, limit: int) -> str:
        return (
            f"@string “{self.name}” expands to {self.length:,} characters; a value may "
            f"hold at most {limit:,} (a macro bomb?)"
        )


class Macros(dict):
    """@string definitions by lower-case name (BibTeX's are case-insensitive), and the
    month abbreviations. Counts the text expansion adds, for ``max_expansion_chars``."""

    def __init__(self, limits: ImportLimits = DEFAULT_LIMITS):
        super().__init__({name: _MONTH_NAMES[number - 1] for name, number in MONTHS.items()})
        self.limits = limits
        self.max_field_chars = limits.max_field_chars  # read for every value
        self.expanded = 0

    def define(self, name: str, raw: str) -> str:
        """Define ``name`` from its raw value; returns why it is refused, or ""."""
        parts = tuple(_pieces(raw, self, None))
        macro = Macro(name, parts)
        if macro.length > self.limits.max_field_chars:
            macro.refused = macro.too_long(self.limits.max_field_chars)
            macro.parts = ()  # nothing to expand, ever
        self[name.lower()] = macro
        return macro.refused

    def use(self, macro) -> str:
        if isinstance(macro, str):
            return macro
        if macro.refused:
            raise BibValueError(macro.refused)
        limits = self.limits
        if macro.length > limits.max_field_chars:
            raise BibValueError(macro.too_long(limits.max_field_chars))
        self.expanded += macro.length
        if self.expanded > limits.max_expansion_chars:
            raise BibValueError(
                f"@string macros expand to more than {limits.max_expansion_chars:,} "
                f"characters in this input (at “{macro.name}”; a macro bomb?)"
            )
        return macro.expand(limits.max_field_chars)


def _matching_brace(text: str, start: int, max_depth: int) -> int:
    depth = 0
    for match in _BRACES.finditer(text, start):
        if match.group() == "{":
            depth += 1
            if depth > max_depth:
                raise BibValueError(f"braces nested more than {max_depth} deep")
        else:
            depth -= 1
            if depth == 0:
                return match.start()
    raise BibValueError("unbalanced braces")


def _closing_quote(text: str, start: int, max_depth: int) -> int:
    depth = 0
    for match in _BRACES_QUOTES.finditer(text, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
            if depth > max_depth:
                raise BibValueError(f"braces nested more than {max_depth} deep")
        elif char == "}":
            depth -= 1
        elif depth == 0:
            return match.start()
    raise BibValueError("unterminated quoted value")


def _single_group(value: str, opening: str, limits: ImportLimits) -> bool:
    """Whether ``value`` is one ``{…}`` or ``"…"`` group (the usual case, checked fast)."""
    inner = value[1:-1]
    if "{" not in inner and "}" not in inner and (opening == "{" or '"' not in inner):
        return True
    if opening == "{" and _ONE_GROUP.fullmatch(value):
        return True
    closer = _matching_brace if opening == "{" else _closing_quote
    return closer(value, 0, limits.max_nesting) == len(value) - 1


def _pieces(raw: str, macros: Macros, undefined: list | None):
    """The pieces of a ``#`` join: text, or the ``Macro`` a bare name stands for."""
    value, max_depth = raw.strip(), macros.limits.max_nesting
    index, length = 0, len(value)
    if not value:
        return
    while True:
        while index < length and value[index].isspace():
            index += 1
        if index >= length:
            raise BibValueError("value ends with '#'")
        char = value[index]
        if char == "{":
            end = _matching_brace(value, index, max_depth)
            yield value[index + 1 : end]
            index = end + 1
        elif char == '"':
            end = _closing_quote(value, index, max_depth)
            yield value[index + 1 : end]
            index = end + 1
        else:
            match = _BARE.match(value, index)
            if not match:
                raise BibValueError(f"unexpected {char!r}")
            name = match.group(0)
            if name.isdigit():
                yield name
            elif name.lower() in macros:
                yield macros[name.lower()]
            else:
                if undefined is not None:
                    undefined.append(name)
                yield name
            index = match.end()
        while index < length and value[index].isspace():
            index += 1
        if index >= length:
            return
        if value[index] != "#":
            rest = value[index : index + 30].split("\n")[0]
            raise BibValueError(f"unexpected text after the value: {rest!r} (a missing comma?)")
        index += 1


def evaluate(raw: str, macros: Macros, undefined: list | None = None) -> str:
    """The text of a raw BibTeX value: ``{...}``, ``"..."``, a number, a macro name, or
    several of them joined with ``#``. Undefined macros stay as their name (and are
    added to ``undefined``). Over a limit of ``macros.limits``: ``BibValueError``."""
    value = raw.strip()
    if not value:
        return ""
    first, last = value[0], value[-1]
    if "#" not in value:
        if (first == "{" and last == "}" and _single_group(value, "{", macros.limits)) or (
            first == '"'
            and last == '"'
            and len(value) > 1
            and _single_group(value, '"', macros.limits)
        ):
            if len(value) - 2 > macros.max_field_chars:
                raise BibValueError(
                    f"the value is {len(value) - 2:,} characters long; the most taken is "
                    f"{macros.max_field_chars:,}"
                )
            return value[1:-1]
        if value.isdigit():
            return value
        if _BARE.fullmatch(value):  # one name: a month or an @string (the usual join)
            found = macros.get(value.lower())
            if found is not None:
                return found if isinstance(found, str) else macros.use(found)
    limits = macros.limits
    parts, size = [], 0
    for piece in _pieces(value, macros, undefined):
        size += len(piece) if isinstance(piece, str) else piece.length
        if size > limits.max_field_chars:
            name = f" (at @string “{piece.name}”)" if isinstance(piece, Macro) else ""
            raise BibValueError(
                f"the value is longer than {limits.max_field_chars:,} characters{name}"
            )
        parts.append(piece if isinstance(piece, str) else macros.use(piece))
    return "".join(parts)
