"""The one record type every parser yields, and the errors parsers and the importer raise.

A ``PaperRecord`` is plain data: no model instances, no database access. Parsers fill it
from their format; ``merge`` turns records into ``Publication`` rows.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class InputError(Exception):
    """A whole input cannot be used: unreadable, unrecognizable, an API error payload.

    ``source`` names the file or online id, ``line`` the line when known.
    """

    def __init__(self, message: str, *, source: str = "", line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self):
        where = self.source + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.message}" if where else self.message


@dataclass(slots=True)
class Location:
    """Where a record came from, for messages: ``papers.bib, line 12 (entry smith2024)``."""

    source: str = ""
    line: int | None = None
    key: str = ""

    def __str__(self):
        parts = [self.source or "input"]
        if self.line:
            parts.append(f"line {self.line}")
        text = ", ".join(parts)
        return f"{text} ({self.key})" if self.key else text


@dataclass(slots=True)
class RecordProblem:
    """A record that cannot be imported, and why. Parsers yield it in place of a record.

    ``skip`` marks an item that is not a paper at all (e.g. a ``null`` in a Semantic
    Scholar batch for an unknown id): it is counted as skipped, not as invalid input.
    """

    location: Location
    message: str
    skip: bool = False

    def __str__(self):
        return f"{self.location}: {self.message}"


@dataclass(slots=True)
class AffiliationRef:
    name: str
    ror_id: str = ""


@dataclass(slots=True)
class AuthorRecord:
    """One author as the source wrote them, in order, display form ("Given Family")."""

    name: str
    affiliations: list[AffiliationRef] = field(default_factory=list)
    orcid: str = ""
    semantic_scholar_id: str = ""
    openalex_id: str = ""
    is_corresponding: bool = False


@dataclass(slots=True)
class PaperRecord:
    """A paper as one source describes it. Empty string / None / empty list = unknown."""

    title: str = ""
    authors: list[AuthorRecord] = field(default_factory=list)
    has_more_authors: bool = False
    published_on: datetime.date | None = None
    date_precision: str = ""  # "year", "month" or "day" when published_on is set
    kind: str = ""  # a Publication.Kind value, or "" when the source does not say
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    journal_ref: str = ""
    note: str = ""
    abstract: str = ""
    doi: str = ""
    arxiv_id: str = ""
    arxiv_version: int | None = None
    semantic_scholar_id: str = ""
    openalex_id: str = ""
    related_dois: list[str] = field(default_factory=list)  # other versions of this work
    url: str = ""
    pdf_url: str = ""
    code_url: str = ""
    arxiv_primary_category: str = ""
    categories: list[str] = field(default_factory=list)  # other arXiv categories
    keywords: list[str] = field(default_factory=list)
    citation_count: int | None = None
    citations_by_year: dict[str, int] = field(default_factory=dict)
    source_format: str = ""
    # A digest of what the parser read, when the same input always gives the same
    # record (BibTeX: the entry's type and evaluated fields); "" = digest the record.
    fingerprint: str = ""
    raw: Any = None
    location: Location = field(default_factory=Location)
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.published_on.year if self.published_on else None

    def __str__(self):
        year = f" ({self.year})" if self.year else ""
        return f"{self.title or '(untitled)'}{year}"


@dataclass(slots=True)
class KnownRecord:
    """A record its parser did not build, because its ``fingerprint`` is one the merge
    gave it (``Merger.known_fingerprints``): a paper took that very input, with no
    effect, and nothing has changed since. The merge counts it unchanged, or, if the
    paper changed earlier in the same run, calls ``build()`` and merges the record."""

    fingerprint: str
    location: Location
    warnings: list[str]
    build: Callable[[], PaperRecord]


# What a parser's code raises when a record's values are not of the types its format
# promises (a list where a string belongs, a number for an object…).
SHAPE_ERRORS = (AttributeError, TypeError, ValueError, KeyError, IndexError, OverflowError)


def guarded(
    location: Location, build: Callable[..., PaperRecord], *args
) -> PaperRecord | RecordProblem:
    """``build(*args)``, or a ``RecordProblem`` saying the record is malformed when a value
    in it is not of the expected type: one odd record never stops the others."""
    try:
        return build(*args)
    except SHAPE_ERRORS as error:
        detail = str(error)[:200]
        return RecordProblem(
            location, f"malformed record: a value of an unexpected type ({detail})"
        )
