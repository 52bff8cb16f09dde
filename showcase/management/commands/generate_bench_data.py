"""``manage.py generate_bench_data``: a thin command over ``bench.fake_content.generate``.

The generator is benchmark tooling (``bench/``), not an app. The command stays here
with its options, since benchmarks, checks and ``bench/page_snapshot.py`` call it by
name; showcase is the one app that sits above every app the generator fills.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.fake_content import NotABenchDatabase, generate


class Command(BaseCommand):
    help = (
        "Fill an empty (or bench-only) database with deterministic, realistic benchmark "
        "content. Refuses to touch a database with real content."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100)
        parser.add_argument("--publications", type=int, default=1000)
        parser.add_argument("--media", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, people, publications, media, seed, **options):
        if min(people, publications, media) < 0 or people == 0:
            raise CommandError("--people must be at least 1 and counts cannot be negative.")
        started = time.perf_counter()
        progress = self.stdout.write if options["verbosity"] > 1 else None
        try:
            counts = generate(
                people=people, publications=publications, media=media, seed=seed, progress=progress
            )
        except NotABenchDatabase as exc:
            raise CommandError(f"refusing to generate bench data: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts.people} people, {counts.publications} publications "
                f"({counts.authorships} authorships) and {counts.media} media items "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
