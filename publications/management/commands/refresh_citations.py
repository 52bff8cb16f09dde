import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.management.options import add_batch_arguments, check_batch_options
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
        add_batch_arguments(
            parser,
            age_unit="DAYS",
            age_help="Only counts older than this.",
            limit_help="Refresh at most this many papers.",
            timeout=15.0,
        )

    def handle(self, *args, source, older_than, limit, timeout, **options):
        check_batch_options(older_than=older_than, limit=limit, timeout=timeout)
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
