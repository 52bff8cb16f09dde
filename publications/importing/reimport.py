"""The re-import shortcut: a record already merged, with nothing changed since, is
``unchanged`` without being merged again (nor, when its identifiers alone find its
paper, even built by its parser).

After a run, each paper a record created or left unchanged stores
``<record digest>@<run id>`` (and a “+” when the record's identifiers alone find the
paper). The next run trusts these only when its world state (every paper, authorship,
person and organization, and the importer's code: ``world_state``) is the one a run
recorded when it finished: then the same record would merge to the same result.
Only for plain runs: ``overwrite`` and ``person`` change the outcome.
"""

import dataclasses
import functools
import hashlib
import importlib.metadata
from pathlib import Path

from django.db.models import Count, Max

from core import names
from core.db import slugs
from profiles.models import Organization, Person

from .. import identifiers
from ..models import Authorship, ImportRun, Publication
from .records import PaperRecord
from .targets import Target

# What a merge reads from a record: all of it but where it came from and the raw text.
_DIGESTED = [
    item.name
    for item in dataclasses.fields(PaperRecord)
    if item.name not in {"raw", "location", "warnings", "fingerprint"}
]
# Code outside the package whose rules change what a merge makes of a record.
_SHARED_CODE = (identifiers, names, slugs)


def record_digest(record: PaperRecord) -> str:
    """The record's own fingerprint when its parser gave one, else a digest of it."""
    if record.fingerprint:
        return record.fingerprint
    return hashlib.sha1(
        repr([getattr(record, name) for name in _DIGESTED]).encode(), usedforsecurity=False
    ).hexdigest()


@functools.cache
def code_version() -> str:
    """A digest of the importer's code and of pylatexenc's version: what the parsers make
    of an input, and what the merge does with a record, may change with either."""
    digest = hashlib.sha256(importlib.metadata.version("pylatexenc").encode())
    package = Path(__file__).resolve().parent
    shared = [Path(module.__file__) for module in _SHARED_CODE]
    for path in sorted([*package.glob("*.py"), *shared]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def world_state() -> str:
    """A digest of everything a merge reads besides the record and its paper: every
    paper, authorship, person and organization (how many, and the latest change), and
    the importer's code."""
    parts = [code_version()]
    for model, latest in (
        (Publication, "updated_at"),
        (Authorship, "id"),
        (Person, "updated_at"),
        (Organization, "updated_at"),
    ):
        row = model.objects.aggregate(count=Count("pk"), latest=Max(latest))
        parts.append(f"{model._meta.label}:{row['count']}:{row['latest']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class Fingerprints:
    """The stored fingerprints this run may trust, read with the papers (``note``)."""

    def __init__(self, run_id, *, enabled: bool):
        self.run_id = run_id
        self.enabled = enabled
        self.fingerprints: dict[int, str] = {}  # pk → digest of the record, when valid
        # Digests of records that find their paper by identifiers alone (see
        # ``finding.PaperIndex.identifies``) → that paper: the parser need not build these
        # records at all.
        self.known: dict[str, int | None] = {}
        self.valid_runs: set[str] = set()
        if enabled:
            state = world_state()
            self.valid_runs = {
                str(pk)
                for pk in ImportRun.objects.filter(world_state=state).values_list("pk", flat=True)
            }

    def note(self, pk: int, fingerprint: str):
        """Take in paper ``pk``'s stored fingerprint, if a valid run stored it."""
        digest, _, run_id = fingerprint.partition("@")
        if run_id.rstrip("+") in self.valid_runs:
            self.fingerprints[pk] = digest
            if run_id.endswith("+"):
                # Two papers with one digest cannot happen; if it did, neither.
                self.known[digest] = None if digest in self.known else pk

    @property
    def known_digests(self) -> frozenset[str]:
        """Fingerprints a parser may turn into ``KnownRecord``s instead of records."""
        return frozenset(digest for digest, pk in self.known.items() if pk is not None)

    def known_paper(self, digest: str) -> int | None:
        """The paper a ``KnownRecord``'s digest names, while it is still valid."""
        pk = self.known.get(digest)
        return pk if pk is not None and self.fingerprints.get(pk) == digest else None

    def skips(self, pk, notes, digest) -> bool:
        """Whether the record (its ``digest``) is the one last merged into paper ``pk``."""
        return bool(digest) and not notes and self.fingerprints.get(pk) == digest

    def forget(self, pk):
        """Paper ``pk`` is merged now: no shortcut for it later in this run."""
        self.fingerprints.pop(pk, None)

    def stored(self, target: Target) -> str:
        """``digest@run``, and a "+" when the record's identifiers alone find the paper."""
        if not target.fingerprint:
            return ""
        return f"{target.fingerprint}@{self.run_id}{'+' if target.identified else ''}"
