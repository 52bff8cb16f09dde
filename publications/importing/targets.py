"""What a merge works on: the paper a record goes into (``Target``), its author rows,
and what one record did (``Outcome``, ``FieldChange``). Plain data."""

from dataclasses import dataclass, field

from ..models import Publication
from .records import PaperRecord


@dataclass(slots=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(slots=True)
class AuthorRow:
    name: str
    person_id: int | None = None
    affiliation_ids: list[int] = field(default_factory=list)
    is_corresponding: bool = False
    id: int | None = None
    dirty: bool = False
    new_affiliations: bool = False


@dataclass(slots=True, eq=False)
class Target:
    """A paper being merged into: a loaded row or one created in this run."""

    pub: Publication
    is_new: bool
    authors: list[AuthorRow] = field(default_factory=list)
    authors_replaced: bool = False
    dirty: set = field(default_factory=set)
    keys: list = field(default_factory=list)  # index entries pointing at this target
    fingerprint: str = ""  # the record digest to store with the row ("" clears it)
    identified: bool = False  # the record's identifiers alone find this paper
    touches: int = 0  # records merged into it in this batch
    # People known to be behind "et al." (authorships without a position), which a merge
    # never replaces; and those this run adds (``--person`` on a truncated list).
    unlisted_people: set = field(default_factory=set)
    new_unlisted: set = field(default_factory=set)


@dataclass(slots=True)
class Outcome:
    """What one record did: ``created``, ``updated`` or ``unchanged`` a paper."""

    action: str
    record: PaperRecord
    target: Target
    changes: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class KnownPaper:
    """A paper a re-import skipped (its record is the one last merged into it, unchanged):
    only its id is known."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk
