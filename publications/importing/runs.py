"""Run bookkeeping: every import but a dry run is an ``ImportRun``, committed before the
import's transaction begins (so a run killed midway stays "running"), then finished with
its counts, messages and status, and with the papers it created and changed
(``ImportRunPaper``). A database that refuses these writes raises
``DatabaseWriteError`` with a one-line reason.
"""

import hashlib

from django.db import transaction
from django.utils import timezone

from core.db import errors as db_errors
from core.db.bulk import insert_rows
from core.db.errors import DatabaseWriteError

from ..models import ImportRun, ImportRunPaper
from .detect import Inspected
from .reimport import world_state
from .text import clip

MAX_STORED_MESSAGES = 1000


def message(level: str, location, text: str) -> dict:
    """A message as results and runs hold it."""
    return {"level": level, "location": str(location) if location else "", "message": text}


def checksum(inspected: list[Inspected]) -> str:
    """One checksum for the inputs."""
    if len(inspected) == 1:
        return inspected[0].checksum
    digest = hashlib.sha256()
    for item in inspected:
        digest.update(item.checksum.encode())
    return digest.hexdigest()


def start_run(*, user, sources, inspected: list[Inspected], label: str, options: dict):
    """The run, created (and committed) before the import's transaction."""
    try:
        return ImportRun.objects.create(
            user=user if user is not None and user.is_authenticated else None,
            source=clip(label or ", ".join(source.name for source in sources), 1000),
            checksum=checksum(inspected) if inspected else "",
            options=options,
        )
    except db_errors.ENVIRONMENT_ERRORS as error:
        raise DatabaseWriteError(f"{db_errors.problem(error)}; nothing was written") from error


def record_papers(run: ImportRun, touched: dict[int, str]):
    """Inside the import's transaction: the papers the run created and changed (for its
    admin page), and the world state it leaves (for the next run's shortcut)."""
    insert_rows(
        ImportRunPaper,
        [ImportRunPaper._meta.get_field(name) for name in ("run", "publication", "action")],
        ((run.pk, pk, action) for pk, action in touched.items()),
        prepared=True,
    )
    run.world_state = world_state()


def finish_run(run: ImportRun, result, formats: list[str]):
    """Store the run's outcome: format, status, counts, messages (the first
    ``MAX_STORED_MESSAGES``)."""
    run.format = clip("+".join(result.formats) or "+".join(formats), 30)
    run.status = result.status
    run.finished_at = timezone.now()
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.skipped, run.failed = result.skipped, result.failed
    run.messages = (result.errors + result.warnings)[:MAX_STORED_MESSAGES]
    try:
        run.save()
    except db_errors.ENVIRONMENT_ERRORS as error:
        written = "the papers were written" if result.written else "no paper was written"
        raise DatabaseWriteError(
            f"{db_errors.problem(error)}; {written}, but the import run could not be recorded"
        ) from error


def record_failure(run: ImportRun, text: str):
    """Mark ``run`` failed, if the database still takes that one small write."""
    run.status = ImportRun.Status.FAILED
    run.finished_at = timezone.now()
    run.messages = [message("error", "", text)]
    try:
        with transaction.atomic():  # a savepoint: a refusal cannot spoil an outer transaction
            run.save(update_fields=["status", "finished_at", "messages"])
    except db_errors.ENVIRONMENT_ERRORS:
        pass  # refused too: the run stays "running", which says it never finished
