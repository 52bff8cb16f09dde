"""The options of the batch commands that visit other sites (``check_links``,
``refresh_citations``): how old, how many, how long to wait. One set of names and one
check, so both commands refuse the same values with the same words.

    def add_arguments(self, parser):
        add_batch_arguments(parser, age_unit="DAYS", age_help=..., limit_help=..., timeout=15.0)

    def handle(self, *args, older_than, limit, timeout, **options):
        check_batch_options(older_than=older_than, limit=limit, timeout=timeout)
"""

from django.core.management.base import CommandError


def add_batch_arguments(parser, *, age_unit, age_help, limit_help, timeout):
    """``--older-than AGE_UNIT``, ``--limit`` and ``--timeout`` (seconds per request,
    ``timeout`` by default), in that order."""
    parser.add_argument("--older-than", type=float, metavar=age_unit, help=age_help)
    parser.add_argument("--limit", type=int, help=limit_help)
    parser.add_argument("--timeout", type=float, default=timeout, help="Seconds per request.")


def check_batch_options(*, older_than, limit, timeout):
    """Refuse values that make no sense (a ``CommandError``, exit status 1): a limit
    below 1, a timeout that is not positive, a negative age."""
    if limit is not None and limit < 1:
        raise CommandError("--limit must be at least 1.")
    if timeout <= 0:
        raise CommandError("--timeout must be positive.")
    if older_than is not None and older_than < 0:
        raise CommandError("--older-than must not be negative.")
