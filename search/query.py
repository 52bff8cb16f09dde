"""The query a visitor typed: cleaned, bounded, split into terms (``parse_query``)."""

import re
import unicodedata
from dataclasses import dataclass, field

from core.http.limits import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS

MAX_QUERY_LENGTH = MAX_SEARCH_CHARS
MAX_TERM_LENGTH = 40
MAX_TERMS = MAX_SEARCH_WORDS
#: Words searched for by themselves are ignored, as PostgreSQL's English configuration does.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the "
    "their this to was were which with".split()
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_EDGE_PUNCT = "\"'“”‘’.,;:!?()[]{}<>"


@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool = False

    @property
    def is_phrase(self):
        return " " in self.text


@dataclass
class ParsedQuery:
    raw: str
    text: str  # the cleaned query, as shown back and sent to PostgreSQL
    terms: list[Term] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def positive(self):
        return [t for t in self.terms if not t.excluded]

    @property
    def excluded(self):
        return [t for t in self.terms if t.excluded]

    @property
    def searchable(self):
        """Positive words worth searching for: phrases, and words that are not stopwords
        (PostgreSQL drops those too, so both databases agree on what is searched)."""
        return [t for t in self.positive if t.is_phrase or t.text.casefold() not in STOPWORDS]

    def __bool__(self):
        return bool(self.searchable)


def parse_query(raw):
    """Clean what a visitor typed: bounded length, bounded words, no control characters.

    Overlong input is shortened, never rejected, and ``notices`` says what was done.
    """
    raw = raw if isinstance(raw, str) else ""
    notices = []
    text = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", raw)).split())
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
        notices.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters, "
            "so only its beginning was used."
        )
    terms, shortened = [], False
    for token in _TOKEN.findall(text):
        excluded = token.startswith("-") and len(token) > 1
        word = token[1:] if excluded else token
        word = " ".join(word.strip(_EDGE_PUNCT).split())
        if not word:
            continue
        if len(word) > MAX_TERM_LENGTH:
            word, shortened = word[:MAX_TERM_LENGTH], True
        term = Term(word, excluded)
        if term not in terms:
            terms.append(term)
    if shortened:
        notices.append(f"Words longer than {MAX_TERM_LENGTH} characters were shortened.")
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notices.append(f"Only the first {MAX_TERMS} words were used.")
    cleaned = " ".join(
        ("-" if t.excluded else "") + (f'"{t.text}"' if t.is_phrase else t.text) for t in terms
    )
    return ParsedQuery(raw=raw, text=cleaned, terms=terms, notices=notices)
