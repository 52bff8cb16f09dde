import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publications.citation_refresh import (
    DEFAULT_ORDER,
    FAILED,
    SOURCES,
    citation_client,
    papers_to_refresh,
    refresh_citations,
)


class Command(BaseCommand):
    help = (
        "Refresh papers' citation counts and per-year history from OpenAlex or Semantic "
        "Scholar (papers with an OpenAlex id, Semantic Scholar id, DOI or arXiv id). A paper "
        "whose sources all fail keeps its last good count and date. Exits 1 when any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            choices=sorted(SOURCES),
            action="append",
            help=(
                "Ask only this source (repeat for several, in order). Default: "
                + ", then ".join(DEFAULT_ORDER)
                + "."
            ),
        )
        parser.add_argument(
            "--older-than", type=float, metavar="DAYS", help="Only counts older than this."
        )
        parser.add_argument("--limit", type=int, help="Refresh at most this many papers.")
        parser.add_argument("--timeout", type=float, default=15.0, help="Seconds per request.")

    def handle(self, *args, source, older_than, limit, timeout, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        if timeout <= 0:
            raise CommandError("--timeout must be positive.")
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must not be negative.")
        counted_before = (
            timezone.localdate() - datetime.timedelta(days=older_than)
            if older_than is not None
            else None
        )
        papers = papers_to_refresh(counted_before=counted_before, limit=limit)
        verbose = options["verbosity"] > 1

        def progress(outcome):
            if outcome.status == FAILED:
                self.stderr.write(self.style.WARNING(str(outcome)))
            elif verbose:
                self.stdout.write(f"  {outcome}")

        report = refresh_citations(
            papers,
            client=citation_client(timeout=timeout),
            order=tuple(source or DEFAULT_ORDER),
            progress=progress,
        )
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} paper(s) could not be refreshed; their last good "
                "counts were kept.",
                returncode=1,
            )
