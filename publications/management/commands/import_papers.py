"""``manage.py import_papers``: a thin shell over ``publications.importing.service``."""

import argparse
import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.db import errors as db_errors
from core.db.errors import DatabaseWriteError
from core.http.limits import MAX_FIELD_CHARS, MAX_JSON_BYTES, MAX_RECORD_BYTES, ImportLimits
from profiles.models import Person
from publications.importing.detect import FORMATS, Source
from publications.importing.online import OnlineRequest, fetch_request
from publications.importing.records import InputError
from publications.importing.service import import_papers

EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
MAX_LISTED = 20
_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def _size(text: str) -> int:
    """``4096``, ``512K``, ``16M`` or ``1G`` → bytes (characters, for text)."""
    number, unit = text.strip().upper().rstrip("B"), ""
    if number and number[-1] in _UNITS:
        number, unit = number[:-1], number[-1]
    if not number.isdigit() or int(number) == 0:
        raise argparse.ArgumentTypeError(f"“{text}” is not a size such as 4096, 512K or 16M")
    return int(number) * _UNITS[unit]


class Command(BaseCommand):
    help = (
        "Import papers from files (BibTeX, RIS, arXiv Atom, Semantic Scholar, OpenAlex, "
        "Crossref, ORCID or CSL-JSON; detected from the content) or online sources. "
        "All or nothing unless --skip-invalid. Exit codes: 0 success, 1 invalid input, "
        "2 usage error, 3 the database refused the writes (read-only, full, unreachable)."
    )
    stealth_options = ("stdin", "http_opener", "http_sleep")
    # No system checks before importing: on a read-only SQLite file Django's JSONField
    # check cannot open its IMMEDIATE test transaction and reports "SQLite does not
    # support JSONFields", hiding the real problem, which this command reports itself
    # (exit code 3). `check`, `migrate` and the servers still run every check.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", metavar="FILE", help="files to import; - reads standard input"
        )
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="skip detection: the files are in this format"
        )
        parser.add_argument("--encoding", help="text encoding of the files (default: detected)")
        online = parser.add_argument_group("online sources")
        online.add_argument(
            "--arxiv",
            nargs="+",
            default=[],
            metavar="ID",
            help="arXiv ids, e.g. 2401.05566 hep-th/9901001",
        )
        online.add_argument(
            "--doi", nargs="+", default=[], metavar="DOI", help="DOIs (Crossref, DataCite or arXiv)"
        )
        online.add_argument("--orcid", metavar="ID", help="every public work of an ORCID iD")
        online.add_argument(
            "--s2-author", metavar="ID", help="every paper of a Semantic Scholar author id"
        )
        online.add_argument(
            "--openalex-author", metavar="ID", help="every work of an OpenAlex author id (A…)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would change, field by field; write nothing",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid records and list the invalid ones",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="let imported values replace existing ones, even fields an editor changed",
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish new papers (default: drafts)"
        )
        parser.add_argument(
            "--person",
            metavar="SLUG",
            help="the profile these papers belong to (links the matching author)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object with the counts and errors, nothing else",
        )
        limits = parser.add_argument_group(
            "limits (memory follows the largest record, not the file; README: Limits)"
        )
        limits.add_argument(
            "--max-record-bytes",
            type=_size,
            default=MAX_RECORD_BYTES,
            metavar="SIZE",
            help="largest BibTeX entry, RIS record or arXiv entry, e.g. 16M "
            f"(default {MAX_RECORD_BYTES // 2**20}M; counted in characters of the text)",
        )
        limits.add_argument(
            "--max-field-chars",
            type=_size,
            default=MAX_FIELD_CHARS,
            metavar="SIZE",
            help=f"longest value of one field (default {MAX_FIELD_CHARS // 2**20}M)",
        )
        limits.add_argument(
            "--max-json-bytes",
            type=_size,
            default=MAX_JSON_BYTES,
            metavar="SIZE",
            help=f"largest JSON document, which is read whole (default {MAX_JSON_BYTES // 2**20}M)",
        )

    def handle(self, *args, **options):
        try:
            self._import(options)
        except DatabaseWriteError as error:
            raise CommandError(f"import failed: {error}", returncode=EXIT_DATABASE) from None
        except db_errors.ENVIRONMENT_ERRORS as error:
            raise CommandError(
                f"import failed: {db_errors.problem(error)}; nothing was written",
                returncode=EXIT_DATABASE,
            ) from None

    def _import(self, options):
        person = self._person(options)
        sources, problems, online_person = self._sources(options)
        person = person or online_person
        progress = None
        if not options["json"] and options["verbosity"] > 0 and self.stderr.isatty():
            progress = self._progress
        result = import_papers(
            sources,
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            overwrite=options["overwrite"],
            publish=options["publish"],
            person=person,
            problems=problems,
            progress=progress,
            collect_changes=options["dry_run"] or options["verbosity"] > 1,
            limits=ImportLimits(
                max_record_bytes=options["max_record_bytes"],
                max_field_chars=options["max_field_chars"],
                max_json_bytes=options["max_json_bytes"],
            ),
        )
        if progress:
            self.stderr.write("\r\033[K", ending="")
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, default=str))
        else:
            self._report(result, options)
        if not result.ok:
            count = len([e for e in result.errors if e["location"]])
            written = (
                "nothing was written" if not result.written else "the valid records were written"
            )
            raise CommandError(
                f"import failed ({count} error{'s' if count != 1 else ''}); {written}",
                returncode=EXIT_INVALID_INPUT,
            )

    # -- arguments --------------------------------------------------------------------

    def _person(self, options):
        slug = options["person"]
        if not slug:
            return None
        person = Person.objects.filter(slug=slug).first()
        if person is None:
            raise CommandError(f"no person with the slug “{slug}”", returncode=EXIT_USAGE)
        return person

    def _sources(self, options):
        sources = []
        for name in options["files"]:
            if name == "-":
                stdin = options.get("stdin") or sys.stdin.buffer
                sources.append(
                    Source(
                        name="<stdin>",
                        data=stdin.read(),
                        format=options["format"] or "",
                        encoding=options["encoding"] or "",
                    )
                )
                continue
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"no such file: {name}", returncode=EXIT_USAGE)
            sources.append(
                Source(
                    name=name,
                    path=path,
                    format=options["format"] or "",
                    encoding=options["encoding"] or "",
                )
            )
        request = OnlineRequest(
            arxiv=options["arxiv"],
            dois=options["doi"],
            orcid=options["orcid"] or "",
            s2_author=options["s2_author"] or "",
            openalex_author=options["openalex_author"] or "",
        )
        if not sources and not request:
            raise CommandError(
                "nothing to import: give one or more files (- for standard input) or an "
                "online source (--arxiv, --doi, --orcid, --s2-author, --openalex-author)",
                returncode=EXIT_USAGE,
            )
        try:
            fetched = fetch_request(
                request,
                opener=options.get("http_opener"),
                sleep=options.get("http_sleep") or time.sleep,
            )
        except InputError as error:
            raise CommandError(str(error), returncode=EXIT_INVALID_INPUT) from None
        return sources + fetched.sources, fetched.problems, fetched.person

    # -- output -----------------------------------------------------------------------

    def _progress(self, done, fraction):
        width = 30
        filled = int(width * min(fraction, 1.0))
        bar = "█" * filled + "·" * (width - filled)
        self.stderr.write(f"\r{bar} {fraction:4.0%}  {done:,} records", ending="")
        self.stderr.flush()

    def _report(self, result, options):
        verbose = options["verbosity"] > 1
        if result.changes:
            heading = "Would change" if result.dry_run else "Changes"
            self.stdout.write(self.style.MIGRATE_HEADING(f"{heading}:"))
            for change in result.changes:
                sign = "+" if change["action"] == "created" else "~"
                verb = "create" if change["action"] == "created" else "update"
                self.stdout.write(f"{sign} {verb}: {change['title']}  [{change['location']}]")
                for item in change["fields"]:
                    if change["action"] == "created":
                        self.stdout.write(f"    {item['field']}: {item['new']}")
                    else:
                        self.stdout.write(
                            f"    {item['field']}: {item['old'] or '∅'} → {item['new'] or '∅'}"
                        )
        for title, messages, style in (
            ("Errors", result.errors, self.style.ERROR),
            ("Warnings", result.warnings, self.style.WARNING),
        ):
            if not messages or (title == "Warnings" and options["verbosity"] == 0):
                continue
            stream = self.stderr if title == "Errors" else self.stdout
            stream.write(style(f"{title}:"))
            shown = messages if verbose or title == "Errors" else messages[:MAX_LISTED]
            for message in shown:
                where = f"{message['location']}: " if message["location"] else ""
                stream.write(f"  {where}{message['message']}")
            if len(shown) < len(messages):
                stream.write(f"  … and {len(messages) - len(shown)} more (-v 2 lists all)")
        rows = [
            ("created", result.created),
            ("updated", result.updated),
            ("unchanged", result.unchanged),
            ("skipped", result.skipped),
            ("failed", result.failed),
        ]
        title = "Dry run (nothing written)" if result.dry_run else "Import"
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"{title}: {', '.join(result.formats) or '-'}")
        )
        for label, count in rows:
            self.stdout.write(f"  {label:<10} {count:>7,}")
        if result.organizations_created:
            self.stdout.write(f"  {'new organizations':<10} {result.organizations_created:>7,}")
        if result.run is not None:
            self.stdout.write(f"  recorded as import run #{result.run.pk}")
