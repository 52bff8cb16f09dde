import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.http.page_cache import current_generation
from tests.factories import MediaItemFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_reports_what_appeared_and_disappeared_and_refreshes_pages():
    now = timezone.now()
    PublicationFactory(title="Went live", publish_at=now - datetime.timedelta(minutes=5))
    MediaItemFactory(title="Went away", unpublish_at=now - datetime.timedelta(minutes=10))
    PublicationFactory(title="Long ago", publish_at=now - datetime.timedelta(days=3))
    PublicationFactory(title="Not yet", publish_at=now + datetime.timedelta(minutes=5))
    PublicationFactory(title="Draft", is_published=False, publish_at=now)
    before = current_generation()
    out = StringIO()
    call_command("publish_scheduled", "--since", "30", stdout=out)
    output = out.getvalue()
    assert "appeared: publication “Went live" in output
    assert "disappeared: media item “Went away" in output
    assert "Long ago" not in output and "Not yet" not in output and "Draft" not in output
    assert "2 scheduled changes in the last 30 minutes." in output
    assert current_generation() != before


def test_nothing_to_do_leaves_the_cache_alone():
    before = current_generation()
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "0 scheduled changes" in out.getvalue()
    assert current_generation() == before


def test_bad_since_is_a_usage_error():
    with pytest.raises(CommandError, match="positive"):
        call_command("publish_scheduled", "--since", "0", stdout=StringIO())
