from django.core.management.base import BaseCommand, CommandError

from profiles.models import Person
from showcase.demo import DEMO_FILE, DemoDataError, load_demo


class Command(BaseCommand):
    help = "Load the demo content (the seed pages) into the database. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE), help="YAML file to load.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has people (so `make run` never "
            "reverts what editors changed).",
        )

    def handle(self, *args, file, if_empty, **options):
        if if_empty and Person.objects.exists():
            self.stdout.write(
                "Site has content already; demo not loaded (drop --if-empty to sync)."
            )
            return
        try:
            report = load_demo(file)
        except DemoDataError as exc:
            raise CommandError(f"demo data not loaded: {exc}") from None
        if options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(f"  {change}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        )
