from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.db.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write every row and uploaded file to one .tar.gz archive with a checksummed manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="Archive to write (default: backup-<date-time>.tar.gz)."
        )

    def handle(self, *args, path, **options):
        path = path or f"backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            summary = backup(path)
        except (BackupError, OSError) as error:
            raise CommandError(f"backup failed: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(summary.rows.values())} rows in {len(summary.rows)} tables "
                f"and {summary.files} files to {summary.path}"
            )
        )
