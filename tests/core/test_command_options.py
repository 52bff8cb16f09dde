"""check_links and refresh_citations refuse the same bad values with the same words
(core.management.options), before they visit anything."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

BAD = [
    (("--limit", "0"), "--limit must be at least 1."),
    (("--timeout", "0"), "--timeout must be positive."),
    (("--timeout", "-1"), "--timeout must be positive."),
    (("--older-than", "-1"), "--older-than must not be negative."),
]


@pytest.mark.parametrize("command", ["check_links", "refresh_citations"])
@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_values_are_refused_with_exit_status_1(command, args, message):
    with pytest.raises(CommandError) as raised:
        call_command(command, *args, stdout=StringIO(), stderr=StringIO())
    assert str(raised.value) == message
    assert raised.value.returncode == 1


@pytest.mark.parametrize("command", ["check_links", "refresh_citations"])
def test_both_commands_offer_the_same_options(command):
    from django.core.management import load_command_class

    app = "showcase" if command == "check_links" else "publications"
    parser = load_command_class(app, command).create_parser("manage.py", command)
    options = {a.dest for a in parser._actions}
    assert {"older_than", "limit", "timeout"} <= options
