from django.core.management.base import BaseCommand, CommandError

from core.db.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database and uploaded files with a backup made by `backup`. "
        "Checks the archive first; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive written by `manage.py backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the current data."
        )

    def handle(self, *args, path, yes, **options):
        if not yes and _ask("This replaces ALL current data. Type 'yes' to continue: ") != "yes":
            raise CommandError("restore cancelled; nothing was changed.")
        try:
            summary = restore(path)
        except (BackupError, OSError) as error:
            raise CommandError(f"restore failed, nothing was changed: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(summary.rows.values())} rows in {len(summary.rows)} tables "
                f"and {summary.files} files from {summary.path}"
            )
        )


def _ask(prompt):
    try:
        return input(prompt).strip()
    except EOFError:  # no terminal: never assume consent
        return ""
