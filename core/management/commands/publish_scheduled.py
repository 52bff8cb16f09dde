import datetime

from django.core.management.base import BaseCommand, CommandError

from core.db.scheduling import push_scheduled


class Command(BaseCommand):
    help = (
        "List items whose scheduled publish/unpublish time passed recently and refresh "
        "cached pages. Optional: visitors see scheduled items on time without it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=float, default=60, metavar="MINUTES", help="Look back this far."
        )

    def handle(self, *args, since, **options):
        if since <= 0:
            raise CommandError("--since must be a positive number of minutes.")
        crossings = push_scheduled(since=datetime.timedelta(minutes=since))
        for crossing in crossings:
            state = "appeared" if crossing.appeared else "disappeared"
            meta = crossing.obj._meta
            self.stdout.write(
                f"{crossing.at:%Y-%m-%d %H:%M} {state}: {meta.verbose_name} “{crossing.obj}”"
            )
        self.stdout.write(f"{len(crossings)} scheduled changes in the last {since:g} minutes.")
