"""How much one request or import may hold. The numbers live here so that the public
search, the admin's search and the API's ``?search=`` agree, and the API and the importer
refuse the same JSON; the request-size defaults are settings (``MAX_URL_BYTES``,
``MAX_REQUEST_BODY_BYTES``, see core.http.middleware)."""

import json
import math
from dataclasses import dataclass

# Words of a search that are used, and its length in characters. Each word is one more
# condition over every searched field: a thousand words make a query SQLite refuses and
# PostgreSQL works on for seconds.
MAX_SEARCH_WORDS = 12
MAX_SEARCH_CHARS = 200

# Path and query of a request. gunicorn reads request lines of at most 8,190 bytes
# (``limit_request_line`` in gunicorn.conf.py, its maximum): this stays below that, method
# and protocol included, so that a long address gets the site's own 414.
MAX_URL_BYTES = 8000
MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024

# Far deeper than any JSON we take (an API body with authors and their affiliations is
# four levels, a scholarly API's record under ten); deeper input (``[[[[…]]]]``) ends in a
# RecursionError, in the decoder or in the code that walks the data.
MAX_JSON_DEPTH = 64


def json_depth(value):
    """How deeply ``value`` (decoded JSON) nests lists and objects; without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


# Importing (``publications.importing``): what one input may make the importer hold. Each
# parser enforces these while it reads, so memory follows the largest record, not the
# file (README, "Limits of an import"). ``import_papers`` takes other values per run.
MAX_RECORD_BYTES = 4 * 1024 * 1024  # one BibTeX entry, RIS record or arXiv entry
MAX_FIELD_CHARS = 1024 * 1024  # one field's value, after @string macros are expanded
MAX_EXPANSION_CHARS = 32 * 1024 * 1024  # text all @string macros of one input add, in all
MAX_NESTING = 64  # braces in a BibTeX value, XML elements, JSON lists and objects
MAX_JSON_BYTES = 32 * 1024 * 1024  # a JSON document is read whole: the most it may hold
MAX_JSON_DIGITS = 30  # digits of a JSON integer (a count or a year, never a bignum)


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """The limits of one import; the defaults are the numbers above."""

    max_record_bytes: int = MAX_RECORD_BYTES
    max_field_chars: int = MAX_FIELD_CHARS
    max_expansion_chars: int = MAX_EXPANSION_CHARS
    max_nesting: int = MAX_NESTING
    max_json_bytes: int = MAX_JSON_BYTES


class JSONLimitError(ValueError):
    """JSON that is valid for ``json.loads`` but not taken: NaN or an infinite number (they
    cannot be stored in a JSON column), an integer longer than ``MAX_JSON_DIGITS`` digits,
    or nesting deeper than allowed."""


def _reject_constant(name: str):
    raise JSONLimitError(f"{name} is not a JSON number (only finite numbers are taken)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONLimitError(f"the number {text[:40]} is too large to store")
    return value


def _short_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_JSON_DIGITS:
        raise JSONLimitError(
            f"an integer with {digits:,} digits (the most taken is {MAX_JSON_DIGITS})"
        )
    return int(text)


def load_json(text: str, *, max_depth: int = MAX_JSON_DEPTH):
    """``json.loads`` for input from outside: NaN, Infinity, non-finite and very long
    numbers and nesting deeper than ``max_depth`` raise ``JSONLimitError`` with the reason;
    malformed JSON raises ``json.JSONDecodeError`` as usual."""
    try:
        data = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_short_int,
        )
    except RecursionError:
        raise JSONLimitError(f"nested more than {max_depth} levels") from None
    if json_depth(data) > max_depth:
        raise JSONLimitError(f"nested more than {max_depth} levels")
    return data
