"""``import_papers``: the one function the command and the admin page call.

parse → validate → merge, in one transaction. All or nothing by default: one invalid
record (or unusable input) and nothing is written. ``skip_invalid`` writes the valid
records and lists the others. ``dry_run`` does everything, reports what would change
field by field, and rolls back. Every call but a dry run is recorded as an
``ImportRun``, committed before the transaction begins, with the papers it created and
changed (``ImportRunPaper``). A database that refuses the writes (read-only, full,
gone) raises ``DatabaseWriteError`` with a one-line reason; the transaction leaves no
paper behind, nor does a process killed mid-import (its run stays "running").
"""

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from core.db import errors as db_errors
from core.db.errors import DatabaseWriteError
from core.http.limits import MAX_JSON_DEPTH, ImportLimits, JSONLimitError, load_json
from core.http.page_cache import bump_generation
from profiles.models import Organization

from ..models import Authorship, ImportRun, Publication
from . import arxiv, bibtex, crossref, csl_json, openalex, orcid, ris, runs, semantic_scholar
from .detect import FORMATS, Inspected, Source, detect_json, inspect
from .merge import Merger
from .own_pages import drop_own_pages, without_own_pages
from .records import (
    SHAPE_ERRORS,
    InputError,
    KnownRecord,
    Location,
    PaperRecord,
    RecordProblem,
)
from .revisions import RunRevisions
from .runs import message as _message
from .targets import Outcome
from .tuning import fast_import

BATCH_SIZE = 1000
JSON_PARSERS = {
    "semantic_scholar": semantic_scholar.parse,
    "openalex": openalex.parse,
    "crossref": crossref.parse,
    "csl_json": csl_json.parse,
    "orcid": orcid.parse,
}
# Field limits come from the model, so they cannot drift from it.
_PUBLICATION_LIMITS = {
    name: Publication._meta.get_field(name).max_length
    for name in (
        "title",
        "venue",
        "volume",
        "issue",
        "pages",
        "publisher",
        "journal_ref",
        "note",
        "doi",
        "arxiv_id",
        "semantic_scholar_id",
        "openalex_id",
        "url",
        "pdf_url",
        "code_url",
        "arxiv_primary_category",
    )
}
_AUTHOR_NAME_LIMIT = Authorship._meta.get_field("name").max_length
_ORGANIZATION_NAME_LIMIT = Organization._meta.get_field("name").max_length
_ROR_LIMIT = Organization._meta.get_field("ror_id").max_length


class _Rollback(Exception):
    pass


@dataclass
class ImportResult:
    """Counts are per record. ``changes`` lists what was (or, in a dry run, would be)
    created or changed; ``errors`` what stopped records or inputs."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    organizations_created: int = 0
    written: bool = False
    run: ImportRun | None = None  # None for a dry run
    status: str = ImportRun.Status.RUNNING
    changed_ids: list[int] = field(default_factory=list, repr=False)
    # Paper id → "created" or "updated" (its first change in this run).
    touched: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """True when the run did what was asked (``skip_invalid`` runs may list failures)."""
        return self.status == ImportRun.Status.SUCCEEDED

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
            "errors": self.errors,
            "warnings": self.warnings,
            "dry_run": self.dry_run,
            "written": self.written,
            "formats": self.formats,
            "organizations_created": self.organizations_created,
            "changes": self.changes,
            "import_run": self.run.pk if self.run else None,
        }


def validate(record: PaperRecord, limits: ImportLimits | None = None) -> list[str]:
    """Why a record cannot be stored as it is; empty when it can. Nothing is truncated."""
    problems = []
    if not record.title:
        problems.append("it has no title")
    max_field = (limits or ImportLimits()).max_field_chars
    if len(record.abstract) > max_field or len(record.note) > max_field:
        problems.append(f"its abstract or note is longer than {max_field:,} characters")
    for name, limit in _PUBLICATION_LIMITS.items():
        value = getattr(record, name)
        if value and len(value) > limit:
            problems.append(
                f"{name.replace('_', ' ')} is {len(value):,} characters long; the limit is "
                f"{limit:,} (not truncated: shorten it in the source)"
            )
    for position, author in enumerate(record.authors, start=1):
        if len(author.name) > _AUTHOR_NAME_LIMIT:
            problems.append(
                f"author {position}'s name is {len(author.name):,} characters long; "
                f"the limit is {_AUTHOR_NAME_LIMIT}"
            )
        for affiliation in author.affiliations:
            if len(affiliation.name) > _ORGANIZATION_NAME_LIMIT:
                problems.append(
                    f"author {position}'s affiliation is {len(affiliation.name):,} characters "
                    f"long; the limit is {_ORGANIZATION_NAME_LIMIT}"
                )
            if len(affiliation.ror_id) > _ROR_LIMIT:
                problems.append(f"author {position}'s ROR id “{affiliation.ror_id}” is too long")
    if len(record.authors) > 32767:
        problems.append("it has more authors than can be stored")
    return problems


class _CountingReader(io.RawIOBase):
    """Counts bytes read, for the progress bar."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)

    def close(self):
        self.raw.close()
        super().close()


def _records(
    source: Source,
    inspected: Inspected,
    reader: _CountingReader,
    known: frozenset[str],
    limits: ImportLimits,
) -> Iterator:
    fmt = inspected.format
    if fmt in {"bibtex", "ris"}:
        text = io.TextIOWrapper(
            io.BufferedReader(reader), encoding=inspected.encoding, errors="replace"
        )
        if fmt == "bibtex":
            yield from bibtex.parse(text, source.name, known, limits)
        else:
            yield from ris.parse(text, source.name, limits)
        return
    if fmt == "arxiv":
        yield from arxiv.parse(io.BufferedReader(reader), source.name, limits)
        return
    if fmt == "json" or fmt in JSON_PARSERS:
        data = _load_json(source, inspected, reader, limits)
        try:
            flavour = detect_json(data, source.name)
            if fmt == "json":
                fmt = inspected.format = flavour
            yield from JSON_PARSERS[fmt](data, source.name)
        except SHAPE_ERRORS as error:
            # The document's outer structure is not what the format has (its records
            # are each checked by the parser).
            raise InputError(
                f"not {FORMATS[fmt]} as expected: {str(error)[:200]}", source=source.name
            ) from None
        return
    raise InputError(f"unknown format “{fmt}”", source=source.name)


def _load_json(source: Source, inspected: Inspected, reader, limits: ImportLimits):
    """The JSON document, read whole (at most ``limits.max_json_bytes``) and decoded with
    ``core.http.limits.load_json``: NaN, infinite or overlong numbers and deep nesting are an
    ``InputError`` that says so, as is malformed JSON."""
    if inspected.size > limits.max_json_bytes:
        raise InputError(
            f"this JSON document is {inspected.size:,} bytes; one may hold at most "
            f"{limits.max_json_bytes:,} (import_papers --max-json-bytes), as it is read whole",
            source=source.name,
        )
    text = io.TextIOWrapper(
        io.BufferedReader(reader), encoding=inspected.encoding, errors="replace"
    )
    try:
        return load_json(text.read(), max_depth=min(MAX_JSON_DEPTH, limits.max_nesting))
    except json.JSONDecodeError as error:
        raise InputError(
            f"malformed JSON: {error.msg} (column {error.colno})",
            source=source.name,
            line=error.lineno,
        ) from None
    except JSONLimitError as error:
        raise InputError(f"malformed JSON: {error}", source=source.name) from None


def _change_entry(outcome: Outcome) -> dict:
    pub = outcome.target.pub
    return {
        "action": outcome.action,
        "title": pub.title,
        "location": str(outcome.record.location),
        "publication": pub.pk,
        "fields": [
            {"field": change.field, "old": _display(change.old), "new": _display(change.new)}
            for change in outcome.changes
        ],
    }


def _display(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def import_papers(
    sources: list[Source],
    *,
    user=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    overwrite: bool = False,
    publish: bool = False,
    person=None,
    problems: list[RecordProblem] | None = None,
    label: str = "",
    progress: Callable[[int, float], None] | None = None,
    collect_changes: bool | None = None,
    max_records: int | None = None,
    limits: ImportLimits | None = None,
) -> ImportResult:
    """Import papers from ``sources``; see the module docstring for the contract.

    ``problems`` are failures found before parsing (e.g. an arXiv id the API does not
    know); they count as failed records. ``progress(records_done, fraction)`` is called
    as the input is read. ``collect_changes`` (default: only for dry runs) fills
    ``result.changes`` with a field-by-field account. With ``max_records``, an input
    holding more records (valid or not) fails as a whole as soon as the next one is read,
    and nothing is written: the admin page bounds its work this way. ``limits`` (default:
    ``core.http.limits``' numbers) bound what each parser holds: record, field and JSON
    document sizes, macro expansion, nesting.
    """
    result = ImportResult(dry_run=dry_run)
    reading = _Reading(
        limits=limits or ImportLimits(),
        collect=dry_run if collect_changes is None else collect_changes,
        max_records=max_records,
        progress=progress,
    )
    for problem in problems or []:
        result.failed += 1
        result.errors.append(_message("error", problem.location, problem.message))
    inspected = _inspect(sources, result, reading)
    options = {
        "dry_run": dry_run,
        "skip_invalid": skip_invalid,
        "overwrite": overwrite,
        "publish": publish,
        "person": person.slug if person is not None else None,
        "formats": sorted({source.format for source in sources if source.format}),
    }
    run = None
    if not dry_run:  # a dry run writes nothing, not even its run
        run = runs.start_run(
            user=user,
            sources=sources,
            inspected=[item for _, item in inspected],
            label=label,
            options=options,
        )
    result.run = run
    reading.total_bytes = sum(item.size for _, item in inspected) or 1
    try:
        with fast_import(), transaction.atomic():
            revisions = None if dry_run else RunRevisions(run)
            merger = Merger(
                overwrite=overwrite,
                publish=publish,
                person=person,
                collect_changes=reading.collect,
                run=run,
                revisions=revisions,
            )
            for source, info in inspected:
                _import_source(source, info, merger, result, reading)
            result.organizations_created = merger.organizations_created
            if result.errors and not skip_invalid:
                raise _Rollback
            if dry_run:
                transaction.set_rollback(True)
            else:
                result.written = True
                revisions.finish(result.changed_ids)
                runs.record_papers(run, result.touched)
                # Cached pages go stale once the new rows are visible, not before.
                transaction.on_commit(bump_generation)
    except _Rollback:
        # Nothing was written: the valid records were not imported either.
        result.skipped += result.created + result.updated + result.unchanged
        result.created = result.updated = result.unchanged = 0
        result.organizations_created = 0
        result.changes = []
        result.errors.append(
            _message("error", "", "nothing was written: fix the errors above, or use skip-invalid")
        )
    except db_errors.ENVIRONMENT_ERRORS as error:
        # The transaction was rolled back: no paper, author or revision was written.
        message = f"{db_errors.problem(error)}; no paper was written"
        if run is not None:
            runs.record_failure(run, message)
        raise DatabaseWriteError(message) from error

    # skip-invalid tolerates bad records, not an input that could not be read at all.
    fatal = bool(result.errors) and (not skip_invalid or reading.input_errors > 0)
    result.status = ImportRun.Status.FAILED if fatal else ImportRun.Status.SUCCEEDED
    if run is not None:
        runs.finish_run(run, result, options["formats"])
    return result


@dataclass
class _Reading:
    """What reading the inputs counts across them, and how it reports."""

    limits: ImportLimits
    collect: bool
    max_records: int | None
    progress: Callable[[int, float], None] | None
    total_bytes: int = 1
    bytes_before: int = 0  # of the inputs read whole
    done: int = 0  # records merged
    records_read: int = 0
    input_errors: int = 0  # inputs that could not be used at all


def _inspect(sources, result: ImportResult, reading: _Reading):
    """Each source and what ``inspect`` found (format, encoding, size); a source that
    cannot be read or recognized is an error of the result."""
    inspected: list[tuple[Source, Inspected]] = []
    for source in sources:
        try:
            inspected.append((source, inspect(source)))
        except InputError as error:
            reading.input_errors += 1
            result.failed += 1
            result.errors.append(
                _message("error", Location(error.source, error.line), error.message)
            )
        except OSError as error:
            reading.input_errors += 1
            result.failed += 1
            result.errors.append(
                _message("error", Location(source.name), f"cannot read: {error.strerror}")
            )
    return inspected


def _import_source(
    source: Source, info: Inspected, merger: Merger, result: ImportResult, reading: _Reading
):
    """Parse one input, validate its records and merge them in batches of ``BATCH_SIZE``."""
    reader = _CountingReader(source.open())
    records = _records(source, info, reader, merger.known_fingerprints, reading.limits)
    batch: list[PaperRecord] = []
    found = 0
    try:
        for item in records:
            found += 1
            reading.records_read += 1
            if reading.max_records is not None and reading.records_read > reading.max_records:
                raise InputError(
                    f"more than {reading.max_records:,} records, the most one import here may hold",
                    source=source.name,
                )
            if isinstance(item, RecordProblem):
                if item.skip:
                    result.skipped += 1
                    result.warnings.append(
                        {**_message("warning", item.location, item.message), "skipped": True}
                    )
                else:
                    result.failed += 1
                    result.errors.append(_message("error", item.location, item.message))
                continue
            # A KnownRecord was merged with no effect before, from this very input: it is
            # valid.
            invalid = [] if isinstance(item, KnownRecord) else validate(item, reading.limits)
            if invalid:
                result.failed += 1
                result.errors.append(_message("error", item.location, "; ".join(invalid)))
                continue
            if isinstance(item, KnownRecord):
                item.build = without_own_pages(item.build)
            else:
                drop_own_pages(item)
            for warning in item.warnings:
                result.warnings.append(_message("warning", item.location, warning))
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                reading.done += _merge(merger, batch, result, reading.collect)
                batch = []
                if reading.progress:
                    reading.progress(
                        reading.done, (reading.bytes_before + reader.count) / reading.total_bytes
                    )
        if batch:
            reading.done += _merge(merger, batch, result, reading.collect)
        if found == 0:
            raise InputError("no papers found in this input", source=source.name)
    except InputError as error:
        reading.input_errors += 1
        result.failed += 1
        location = Location(error.source or source.name, error.line)
        result.errors.append(_message("error", location, error.message))
    finally:
        records.close()
        reader.close()
    reading.bytes_before += info.size
    if info.format not in result.formats:
        result.formats.append(info.format)
    for note in info.notes:
        result.warnings.append(_message("warning", Location(source.name), note))
    if reading.progress:
        reading.progress(reading.done, reading.bytes_before / reading.total_bytes)


def _merge(merger: Merger, batch: list[PaperRecord], result: ImportResult, collect: bool) -> int:
    for outcome in merger.merge(batch):
        setattr(result, outcome.action, getattr(result, outcome.action) + 1)
        if outcome.action != "unchanged":
            result.changed_ids.append(outcome.target.pub.pk)
            result.touched.setdefault(outcome.target.pub.pk, outcome.action)
        for note in outcome.notes:
            result.warnings.append(_message("warning", outcome.record.location, note))
        if collect and outcome.action != "unchanged":
            result.changes.append(_change_entry(outcome))
    return len(batch)


def describe_formats() -> str:
    return ", ".join(f"{key} ({label})" for key, label in FORMATS.items())
