"""The OpenAPI schema at /api/schema/ and the documentation UI at /api/docs/."""

import re
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/people/", "get"),
    ("/api/v1/people/", "post"),
    ("/api/v1/people/{slug}/", "get"),
    ("/api/v1/people/{slug}/", "put"),
    ("/api/v1/people/{slug}/", "patch"),
    ("/api/v1/people/{slug}/", "delete"),
    ("/api/v1/people/{person_slug}/publications/", "get"),
    ("/api/v1/people/{person_slug}/media-items/", "get"),
    *(
        (path, method)
        for route in ("organizations", "publications", "media-items", "outlets", "topics")
        for path, method in (
            (f"/api/v1/{route}/", "get"),
            (f"/api/v1/{route}/", "post"),
            (f"/api/v1/{route}/{{slug}}/", "get"),
            (f"/api/v1/{route}/{{slug}}/", "put"),
            (f"/api/v1/{route}/{{slug}}/", "patch"),
            (f"/api/v1/{route}/{{slug}}/", "delete"),
        )
    ),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def parameters(schema, path, method):
    return {p["name"]: p for p in schema["paths"][path][method].get("parameters", [])}


def component(schema, name):
    return schema["components"]["schemas"][name]


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_schema_generates_without_warnings():
    # `--fail-on-warn` turns every guess drf-spectacular would make into an error.
    out = StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    assert yaml.safe_load(out.getvalue())["info"]["title"].endswith("API")


def test_schema_covers_every_route_and_method(schema):
    found = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert found == OPERATIONS


def test_filters_have_their_real_types(schema):
    params = parameters(schema, "/api/v1/publications/", "get")
    assert params["year_min"]["schema"] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    assert params["has_code"]["schema"]["type"] == "boolean"
    assert set(params["kind"]["schema"]["enum"]) >= {"preprint", "journal_article"}
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    ordering = re.compile(params["ordering"]["schema"]["pattern"])
    assert ordering.match("-citation_count,title")
    assert not ordering.match("abstract")
    media = parameters(schema, "/api/v1/media-items/", "get")
    assert set(media) >= {
        "kind",
        "outlet",
        "person",
        "role",
        "year",
        "search",
        "ordering",
        "page",
        "page_size",
    }
    people = parameters(schema, "/api/v1/people/{person_slug}/publications/", "get")
    assert people["person_slug"]["in"] == "path"
    assert "year_min" in people


def test_responses_have_accurate_field_types(schema):
    paper = component(schema, "Publication")["properties"]
    assert paper["year"] == {"type": "integer", "readOnly": True, "nullable": True}
    assert paper["citation_count"]["maximum"] == 2147483647
    assert paper["citation_count"]["nullable"] is True
    assert paper["citations_by_year"]["additionalProperties"]["type"] == "integer"
    assert paper["authorships"]["items"] == {"$ref": "#/components/schemas/Authorship"}
    assert paper["html_url"]["format"] == "uri"
    author = component(schema, "Authorship")["properties"]
    assert author["person"]["allOf"] == [{"$ref": "#/components/schemas/PersonSummary"}]
    assert author["person"]["nullable"] is True
    assert author["affiliations"]["items"] == {"$ref": "#/components/schemas/OrganizationSummary"}
    media = component(schema, "MediaItem")["properties"]
    assert media["key_points"]["items"]["type"] == "string"
    assert media["importance"]["maximum"] == 100
    person = component(schema, "Person")["properties"]
    assert person["photo_url"]["format"] == "uri"
    assert person["photo_url"]["nullable"] is True


def test_requests_take_slugs_for_related_objects(schema):
    author = component(schema, "AuthorshipRequest")["properties"]
    assert author["person"]["type"] == "string"
    assert author["affiliations"]["items"]["type"] == "string"
    paper = component(schema, "PublicationRequest")
    assert paper["required"] == ["title"]
    assert "stable_id" not in paper["properties"]


def test_errors_are_documented(schema):
    list_responses = schema["paths"]["/api/v1/publications/"]["get"]["responses"]
    assert {"200", "400", "401", "404", "429"} <= set(list_responses)
    assert "Retry-After" in list_responses["429"]["headers"]
    delete = schema["paths"]["/api/v1/outlets/{slug}/"]["delete"]["responses"]
    assert {"204", "401", "403", "404", "409"} <= set(delete)
    create = schema["paths"]["/api/v1/publications/"]["post"]
    assert {"201", "400", "401", "403"} <= set(create["responses"])
    assert list(create["requestBody"]["content"]) == ["application/json"]


def test_reads_need_no_credentials_and_writes_take_a_token_or_session(schema):
    read = schema["paths"]["/api/v1/publications/"]["get"]["security"]
    write = schema["paths"]["/api/v1/publications/"]["post"]["security"]
    assert {} in read
    assert {} not in write
    assert {"tokenAuth": []} in write and {"cookieAuth": []} in write


def test_docs_page_uses_only_local_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/static/drf_spectacular_sidecar/") for a in assets), assets
    assert "cdn" not in html.lower()
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        served.close()
    assert '"/api/schema/"' in html
