import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.http.linkcheck import link_checker_client
from core.management.options import add_batch_arguments, check_batch_options
from showcase.link_health import check_links, urls_to_check


class Command(BaseCommand):
    help = (
        "Visit the external links of papers and media items politely (robots.txt, one "
        "request a second per host), record their health and refresh cached copies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only-broken", action="store_true", help="Recheck broken links.")
        add_batch_arguments(
            parser,
            age_unit="HOURS",
            age_help="Only links not checked since.",
            limit_help="Check at most this many links.",
            timeout=10.0,
        )

    def handle(self, *args, only_broken, older_than, limit, timeout, **options):
        check_batch_options(older_than=older_than, limit=limit, timeout=timeout)
        checked_before = (
            timezone.now() - datetime.timedelta(hours=older_than) if older_than else None
        )
        urls = urls_to_check(only_broken=only_broken, checked_before=checked_before, limit=limit)

        def progress(check):
            if options["verbosity"] > 1:
                state = f"HTTP {check.status}" if check.status else check.error
                self.stdout.write(f"  {state:>10}  {check.url}")

        report = check_links(urls, client=link_checker_client(timeout=timeout), progress=progress)
        for check in report.broken:
            self.stdout.write(self.style.WARNING(f"broken: {check.url} ({check.error})"))
        self.stdout.write(
            f"Checked {report.checked} links: {len(report.broken)} broken, "
            f"{report.snapshots_refreshed} cached copies refreshed."
        )
