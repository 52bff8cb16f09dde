"""People's names: splitting, normalising and comparing them, in one place.

- ``fold``: the comparison form of a name (or a title): lower case, accents removed,
  punctuation and spaces collapsed. ``name_key`` is ``fold`` cached for names, which
  recur across a large import.
- ``family_key`` and ``given_family_key``: the folded family name, and first + last
  word (middle names and initials dropped), for matching and counting co-authors.
- ``names_compatible``: “E. Hubinger” and “Evan Hubinger” are the same author.
- ``split_name``: a name as written → given, family (with particle) and suffix, with
  BibTeX's own rules, for citations.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

_NOT_WORD = re.compile(r"[\W_]+")
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}


def fold(value: str) -> str:
    """Lower case, accents removed, punctuation and spaces collapsed: “Müller-Lyer, J.” →
    “muller lyer j”. Used to compare titles and names across sources."""
    if value.isascii():
        return _NOT_WORD.sub(" ", value.lower()).strip()
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("ß", "ss").replace("ı", "i").replace("ø", "o")
    text = text.replace("đ", "d").replace("ł", "l").replace("æ", "ae").replace("œ", "oe")
    return _NOT_WORD.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Names match when their keys do: ``fold``, cached."""
    return fold(name)


def family_key(name: str) -> str:
    """The folded last word: “Evan J. Hubinger” → “hubinger”."""
    return name_key(name).rpartition(" ")[2]


def given_family_key(name: str) -> str:
    """“Adam S. Jermyn” and “Adam Jermyn” share a key: first and last word, folded
    (middle names and initials dropped). “E. Hubinger” keeps its own: an initial alone
    does not say which Evan or Emma it is."""
    words = fold(name).split()
    return f"{words[0]} {words[-1]}" if len(words) > 2 else " ".join(words)


def names_compatible(a: str, b: str) -> bool:
    """“E. Hubinger” and “Evan Hubinger” are the same author; “E. Perez” and “Evan
    Hubinger” are not. Same family name (last word), and each given name agrees with the
    other's initial or full form."""
    left, right = fold(a).split(), fold(b).split()
    if not left or not right or left[-1] != right[-1]:
        return False
    for x, y in zip(left[:-1], right[:-1], strict=False):
        if x == y:
            continue
        if (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            continue
        return False
    return True


@dataclass(frozen=True)
class Name:
    given: str = ""
    family: str = ""
    suffix: str = ""

    @property
    def initials(self):
        """“Samuel R.” → “S. R.”; “Jean-Paul” → “J.-P.”."""
        parts = []
        for word in self.given.split():
            pieces = [p for p in word.split("-") if p]
            parts.append("-".join(f"{p[0]}." for p in pieces))
        return " ".join(parts)


def split_name(name):
    """Split a name as written into given, family (with particle) and suffix."""
    name = " ".join(name.split())
    suffix = ""
    if "," not in name:
        words = name.split(" ")
        if len(words) > 2 and words[-1].lower() in SUFFIXES:
            suffix, name = words[-1], " ".join(words[:-1])
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return Name(family=name, suffix=suffix)
    family = " ".join([*parts.von, *parts.last])
    given = " ".join(parts.first)
    suffix = suffix or " ".join(parts.jr)
    if not family:  # e.g. a single lower-case word
        family, given = given, ""
    return Name(given=given, family=family, suffix=suffix)
