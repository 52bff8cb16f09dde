"""Schemathesis against the app's own schema, in process (WSGI), with a fixed seed.

Every operation of /api/schema/ becomes a test, fed schema-valid and schema-invalid
requests (path slugs drawn half of the time from real objects, so details, updates and
deletes reach the database). Each response must be no 5xx, have a documented status code
and content type, and match its documented schema and headers; invalid requests must be
rejected.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    SuperuserFactory,
    TopicFactory,
)

SEED = 20260105
EXAMPLES = 60
SLUGS = ["ada", "bob", "lab", "paper", "draft-paper", "episode", "show", "honesty"]
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
]


def build_data():
    ada = PersonFactory(slug="ada")
    PersonFactory(slug="bob", is_published=False)
    lab = OrganizationFactory(slug="lab")
    AffiliationFactory(person=ada, organization=lab)
    topic = TopicFactory(slug="honesty")
    paper = PublicationFactory(slug="paper", citation_count=3, citations_by_year={"2024": 3})
    paper.topics.add(topic)
    authorship = AuthorshipFactory(publication=paper, position=1, person=ada)
    authorship.affiliations.add(lab)
    AuthorshipFactory(
        publication=PublicationFactory(slug="draft-paper", is_published=False), position=1
    )
    item = MediaItemFactory(slug="episode", outlet=OutletFactory(slug="show"))
    AppearanceFactory(media_item=item, person=ada)
    KeyPointFactory(media_item=item)
    item.discusses.add(paper)


def config():
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "dictionaries": {"slugs": {"values": SLUGS}},
            "parameters": {
                "path.slug": {"dictionary": "slugs", "probability": 0.5},
                "path.person_slug": {"dictionary": "slugs", "probability": 0.5},
                "query.author": {"dictionary": "slugs", "probability": 0.3},
                "query.person": {"dictionary": "slugs", "probability": 0.3},
                "query.organization": {"dictionary": "slugs", "probability": 0.3},
                "query.outlet": {"dictionary": "slugs", "probability": 0.3},
                "query.topic": {"dictionary": "slugs", "probability": 0.3},
            },
        }
    )


# The schema as the running app serves it. Generating it touches no database, so it can
# be loaded while pytest collects; every operation becomes its own test.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler(), config=config())


@pytest.fixture
def app_state(db, settings):
    # Many requests from one address: the anonymous throttle has its own tests.
    settings.API_ANON_RATE = None
    # A real WSGI handler closes the database connection after each request; inside a
    # test transaction it must not (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    build_data()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def superuser_token(app_state):
    return Token.objects.create(user=SuperuserFactory()).key


fuzz_settings = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)


@schema.parametrize()
@fuzz_settings
def test_anonymous_requests_conform_to_the_schema(case, app_state):
    case.call_and_validate()


@schema.parametrize()
@fuzz_settings
def test_staff_requests_conform_to_the_schema(case, superuser_token):
    case.call_and_validate(headers={"Authorization": f"Token {superuser_token}"})


def test_every_operation_of_the_schema_is_fuzzed():
    from tests.api.test_schema import OPERATIONS

    fuzzed = {
        (operation.path, operation.method)
        for operation in (result.ok() for result in schema.get_all_operations())
    }
    assert fuzzed == OPERATIONS
