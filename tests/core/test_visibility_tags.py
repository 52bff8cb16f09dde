"""The template filters over core.db.visibility: the rule in Python, not in templates."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.utils import timezone

from core.templatetags.visibility import draft_state, shown_to
from tests.factories import OrganizationFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_draft_state_says_why_visitors_do_not_see_an_object():
    assert draft_state(PublicationFactory()) == ""
    assert draft_state(PublicationFactory(is_published=False)) == "draft"
    later = timezone.now() + datetime.timedelta(days=1)
    assert draft_state(PublicationFactory(publish_at=later)) == "scheduled"
    assert draft_state(None) == draft_state("") == ""


def test_shown_to_is_is_shown(superuser):
    draft = OrganizationFactory(is_published=False)
    live = OrganizationFactory()
    assert shown_to(live, AnonymousUser()) and shown_to(live, "")
    assert not shown_to(draft, AnonymousUser()) and not shown_to(draft, "")
    assert shown_to(draft, superuser)
    assert not shown_to(None, superuser) and not shown_to("", superuser)


def test_shown_to_in_a_template(rf, superuser):
    draft = OrganizationFactory(is_published=False)
    template = Template("{% load visibility %}{% if org|shown_to:request.user %}yes{% endif %}")
    visitor, staff = rf.get("/"), rf.get("/")
    visitor.user, staff.user = AnonymousUser(), superuser
    assert template.render(Context({"org": draft, "request": visitor})) == ""
    assert template.render(Context({"org": draft, "request": staff})) == "yes"
    assert template.render(Context({"org": OrganizationFactory(), "request": visitor})) == "yes"
    # Without a request (none of the site's pages) {% if %} finds no argument: false.
    assert template.render(Context({"org": draft})) == ""
