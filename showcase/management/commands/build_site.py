import json
import sys

from django.core.management.base import BaseCommand, CommandError

from showcase.static_site import BuildError, build_site


class Command(BaseCommand):
    help = (
        "Write the public site as static files into DIR (pages, feeds, exports, sitemap, "
        "permalink redirects, 404.html, static files, uploads). A second build writes only "
        "what changed; the folder is swapped in whole, or left as it was on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--base-url",
            help="Where the site is served, e.g. https://user.github.io/site/ "
            "(default: SITE_URL, else http://localhost:8000/).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object: pages, written, unchanged, deleted, seconds.",
        )

    def handle(self, *args, directory, base_url, as_json, **options):
        progress = None
        if not as_json and sys.stderr.isatty():
            progress = self._progress
        try:
            result = build_site(directory, base_url=base_url, progress=progress)
        except BuildError as error:
            raise CommandError(str(error)) from error
        if progress:
            self.stderr.write("")
        if result.warning:
            self.stderr.write(self.style.WARNING(result.warning))
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self.stdout.write(
                f"{result.pages} pages in {result.seconds:.1f} s into {directory}: "
                f"{result.written} files written, {result.unchanged} unchanged, "
                f"{result.deleted} deleted."
            )

    def _progress(self, done, total):
        self.stderr.write(f"\r{done}/{total} pages", ending="")
        self.stderr.flush()
