import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.linkcheck import link_checker_client
from showcase.link_health import check_links, urls_to_check


class Command(BaseCommand):
    help = (
        "Visit the external links of papers and media items politely (robots.txt, one "
        "request a second per host), record their health and refresh cached copies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only-broken", action="store_true", help="Recheck broken links.")
        parser.add_argument(
            "--older-than", type=float, metavar="HOURS", help="Only links not checked since."
        )
        parser.add_argument("--limit", type=int, help="Check at most this many links.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")

    def handle(self, *args, only_broken, older_than, limit, timeout, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        if timeout <= 0:
            raise CommandError("--timeout must be positive.")
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
