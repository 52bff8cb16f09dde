"""Writes by staff: nested authors, appearances and key points, validation per field,
conflicts, and the two ways to authenticate (token, session with CSRF)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import SlugHistory
from media_items.models import MediaItem, Outlet
from profiles.models import Organization, Person
from publications.models import Publication
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    EditorFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


class TestPublications:
    def test_create_a_paper_with_ordered_authors(self, editor_api):
        ada = PersonFactory(slug="ada", name="Ada Lovelace")
        OrganizationFactory(slug="lab")
        TopicFactory(slug="honesty")
        payload = {
            "title": "Sleeper Agents",
            "kind": "preprint",
            "published_on": "2024-01-10",
            "doi": "https://doi.org/10.48550/ARXIV.2401.05566",
            "arxiv_id": "arXiv:2401.05566v3",
            "topics": ["honesty"],
            "authorships": [
                {"name": "Evan Hubinger", "is_corresponding": True},
                {"person": "ada", "affiliations": ["lab"]},
                {"name": "C. Third", "is_equal_contribution": True},
            ],
            "citation_count": 412,
            "citation_count_as_of": "2026-01-02",
            "citations_by_year": {"2024": 300},
            "is_published": True,
        }

        response = editor_api.post(f"{API}/publications/", payload)

        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["slug"] == "sleeper-agents"
        assert [a["name"] for a in body["authorships"]] == [
            "Evan Hubinger",
            "Ada Lovelace",
            "C. Third",
        ]
        paper = Publication.objects.get(slug="sleeper-agents")
        assert paper.doi == "10.48550/arxiv.2401.05566"
        assert (paper.arxiv_id, paper.arxiv_version) == ("2401.05566", 3)
        authors = list(paper.authorships.order_by("position"))
        assert [(a.position, a.name) for a in authors] == [
            (1, "Evan Hubinger"),
            (2, "Ada Lovelace"),
            (3, "C. Third"),
        ]
        assert authors[1].person == ada
        assert [o.slug for o in authors[1].affiliations.all()] == ["lab"]
        assert authors[0].is_corresponding and authors[2].is_equal_contribution
        assert [t.slug for t in paper.topics.all()] == ["honesty"]
        assert paper.citation_count_as_of == datetime.date(2026, 1, 2)

    def test_patch_replaces_the_author_list_only_when_sent(self, editor_api):
        paper = PublicationFactory(slug="paper", authors=3)

        response = editor_api.patch(f"{API}/publications/paper/", {"venue": "ICML"})
        assert response.status_code == 200
        assert len(response.json()["authorships"]) == 3

        response = editor_api.patch(
            f"{API}/publications/paper/",
            {"authorships": [{"name": "Only Author"}]},
        )
        assert response.status_code == 200
        assert [a["name"] for a in response.json()["authorships"]] == ["Only Author"]
        assert list(paper.authorships.values_list("position", "name")) == [(1, "Only Author")]
        paper.refresh_from_db()
        assert paper.venue == "ICML"
        assert set(paper.edited_fields) == {"venue", "authors"}

    def test_renaming_keeps_the_old_slug_in_history_and_the_stable_id(self, editor_api):
        paper = PublicationFactory(slug="old")
        response = editor_api.patch(f"{API}/publications/{paper.stable_id}/", {"slug": "new"})
        assert response.status_code == 200
        assert response.json()["stable_id"] == paper.stable_id
        assert SlugHistory.find(Publication, "old") == paper
        assert editor_api.get(f"{API}/publications/new/").status_code == 200

    @pytest.mark.parametrize(
        ("payload", "errors"),
        [
            ({"title": ""}, {"title"}),
            ({"title": "x" * 1001}, {"title"}),
            ({"title": "T", "doi": "not a doi"}, {"doi"}),
            ({"title": "T", "arxiv_id": "yesterday"}, {"arxiv_id"}),
            ({"title": "T", "kind": "novel"}, {"kind"}),
            ({"title": "T", "published_on": "2024-13-01"}, {"published_on"}),
            ({"title": "T", "url": "not a url"}, {"url"}),
            ({"title": "T", "arxiv_version": 0}, {"arxiv_version"}),
            ({"title": "T", "citation_count": -1}, {"citation_count"}),
            ({"title": "T", "citation_count": 2**40}, {"citation_count"}),
            ({"title": "T", "citations_by_year": {"last year": 3}}, {"citations_by_year"}),
            ({"title": "T", "keywords": "not a list"}, {"keywords"}),
            ({"title": "T", "topics": ["no-such-topic"]}, {"topics"}),
            ({"title": "T", "topics": [{"slug": "x"}]}, {"topics"}),
            ({"title": "T", "slug": "not a slug!"}, {"slug"}),
            ({"title": "T\x00"}, {"title"}),
            ({"title": "T", "authorships": [{"name": "A\x00"}]}, {"authorships"}),
            ({"title": "T", "citations_by_year": {"20\x0024": 1}}, {"citations_by_year"}),
            ({"title": "T", "authorships": "Ada"}, {"authorships"}),
            ({"title": "T", "authorships": [{"name": ""}]}, {"authorships"}),
            ({"title": "T", "authorships": [{"person": "nobody"}]}, {"authorships"}),
        ],
    )
    def test_invalid_paper_is_400_per_field_and_nothing_is_written(
        self, editor_api, payload, errors
    ):
        response = editor_api.post(f"{API}/publications/", payload)
        assert response.status_code == 400
        assert set(response.json()) == errors
        assert not Publication.objects.exists()

    def test_nested_author_errors_name_the_author_and_field(self, editor_api):
        response = editor_api.post(
            f"{API}/publications/",
            {"title": "T", "authorships": [{"name": "Fine"}, {"is_corresponding": True}]},
        )
        assert response.status_code == 400
        errors = response.json()["authorships"]
        assert errors["1"]["name"] == ["Give the name as written, or a person."]
        assert "0" not in errors

    def test_a_person_listed_twice_is_refused(self, editor_api):
        PersonFactory(slug="ada")
        response = editor_api.post(
            f"{API}/publications/",
            {"title": "T", "authorships": [{"person": "ada"}, {"person": "ada"}]},
        )
        assert response.status_code == 400
        assert "only once" in response.json()["authorships"][0]

    @pytest.mark.parametrize(
        ("existing", "sent"),
        [
            ({"doi": "10.1000/abc"}, {"doi": "https://doi.org/10.1000/ABC"}),
            ({"arxiv_id": "2401.05566"}, {"arxiv_id": "arXiv:2401.05566v2"}),
            ({"semantic_scholar_id": "S2"}, {"semantic_scholar_id": "S2"}),
            ({"openalex_id": "W1"}, {"openalex_id": "W1"}),
            ({"slug": "taken"}, {"slug": "taken"}),
        ],
    )
    def test_identifiers_are_unique_however_written(self, editor_api, existing, sent):
        PublicationFactory(**existing)
        response = editor_api.post(f"{API}/publications/", {"title": "T", **sent})
        assert response.status_code == 400
        assert set(response.json()) == set(sent)
        assert Publication.objects.count() == 1

    def test_a_paper_keeps_its_own_identifiers_on_update(self, editor_api):
        paper = PublicationFactory(slug="p", doi="10.1000/abc", arxiv_id="2401.05566")
        response = editor_api.patch(
            f"{API}/publications/p/", {"doi": "10.1000/ABC", "arxiv_id": "2401.05566"}
        )
        assert response.status_code == 200, response.json()
        paper.refresh_from_db()
        assert paper.doi == "10.1000/abc"

    def test_malformed_requests_are_400(self, editor_api):
        response = editor_api.post(
            f"{API}/publications/", "{not json", content_type="application/json"
        )
        assert response.status_code == 400
        assert "JSON parse error" in response.json()["detail"]
        response = editor_api.post(f"{API}/publications/", ["a list"])
        assert response.status_code == 400
        assert "non_field_errors" in response.json()

    def test_form_encoded_bodies_are_refused(self, editor_api):
        response = editor_api.post(
            f"{API}/publications/", "title=T", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 415


class TestMediaItems:
    def test_create_with_appearances_key_points_and_discussed_papers(self, editor_api):
        PersonFactory(slug="guest")
        PersonFactory(slug="host")
        OutletFactory(slug="axrp")
        PublicationFactory(slug="paper")
        payload = {
            "title": "Episode 39",
            "outlet": "axrp",
            "duration": "01:42:10",
            "importance": 80,
            "appearances": [
                {"person": "guest", "role": "guest"},
                {"person": "host", "role": "host"},
            ],
            "key_points": ["First", "Second"],
            "discusses": ["paper"],
            "external_ids": {"Longterm Wiki resource": "abc123"},
        }
        response = editor_api.post(f"{API}/media-items/", payload)
        assert response.status_code == 201, response.json()
        item = MediaItem.objects.get(slug="episode-39")
        assert item.duration == datetime.timedelta(hours=1, minutes=42, seconds=10)
        assert [(a.person.slug, a.role, a.position) for a in item.appearances.all()] == [
            ("guest", "guest", 0),
            ("host", "host", 1),
        ]
        assert [k.text for k in item.key_points.all()] == ["First", "Second"]
        assert [p.slug for p in item.discusses.all()] == ["paper"]
        assert response.json()["key_points"] == ["First", "Second"]

    def test_patch_replaces_key_points_and_appearances_only_when_sent(self, editor_api):
        item = MediaItemFactory(slug="ep")
        AppearanceFactory(media_item=item)
        KeyPointFactory(media_item=item, text="Old")
        editor_api.patch(f"{API}/media-items/ep/", {"title": "Renamed"})
        assert item.appearances.count() == 1
        response = editor_api.patch(
            f"{API}/media-items/ep/", {"key_points": ["New"], "appearances": []}
        )
        assert response.status_code == 200
        assert [k.text for k in item.key_points.all()] == ["New"]
        assert not item.appearances.exists()

    @pytest.mark.parametrize(
        ("payload", "errors"),
        [
            ({"title": "T", "importance": 101}, {"importance"}),
            ({"title": "T", "duration": "forever"}, {"duration"}),
            ({"title": "T", "duration": "99999999 00:00:00"}, {"duration"}),
            ({"title": "T", "outlet": "nowhere"}, {"outlet"}),
            ({"title": "T", "key_points": ["", "x"]}, {"key_points"}),
            ({"title": "T", "appearances": [{"person": "p", "role": "fan"}]}, {"appearances"}),
            (
                {"title": "T", "appearances": [{"person": "p"}, {"person": "p"}]},
                {"appearances"},
            ),
            ({"title": "T", "external_ids": {"k": 1.5, "j": ["x"]}}, {"external_ids"}),
        ],
    )
    def test_invalid_media_item_is_400_per_field(self, editor_api, payload, errors):
        PersonFactory(slug="p")
        response = editor_api.post(f"{API}/media-items/", payload)
        assert response.status_code == 400
        assert set(response.json()) == errors
        assert not MediaItem.objects.exists()


class TestPeopleOrganizationsOutlets:
    def test_create_a_person_with_name_variants(self, editor_api):
        response = editor_api.post(
            f"{API}/people/", {"name": "Ada Lovelace", "name_variants": ["A. Lovelace", "A. L."]}
        )
        assert response.status_code == 201
        person = Person.objects.get(slug="ada-lovelace")
        assert person.name_variants == "A. Lovelace\nA. L."
        assert person.is_published is False

    def test_person_identifiers_are_unique(self, editor_api):
        PersonFactory(orcid="0000-0002-1825-0097")
        response = editor_api.post(
            f"{API}/people/", {"name": "Someone", "orcid": "0000-0002-1825-0097"}
        )
        assert response.status_code == 400
        assert set(response.json()) == {"orcid"}

    def test_a_name_variant_is_one_line(self, editor_api):
        response = editor_api.post(f"{API}/people/", {"name": "A", "name_variants": ["a\nb"]})
        assert response.status_code == 400
        assert set(response.json()) == {"name_variants"}

    def test_create_organization_and_outlet(self, editor_api):
        response = editor_api.post(
            f"{API}/organizations/", {"name": "Alignment Lab", "kind": "lab"}
        )
        assert response.status_code == 201
        assert Organization.objects.get(slug="alignment-lab").kind == "lab"
        response = editor_api.post(f"{API}/outlets/", {"name": "AXRP", "kind": "podcast"})
        assert response.status_code == 201
        assert Outlet.objects.filter(slug="axrp").exists()

    def test_deleting_what_others_still_use_is_a_409_with_the_reason(self, editor_api):
        org = OrganizationFactory(slug="lab")
        AffiliationFactory(organization=org)
        outlet = OutletFactory(slug="show")
        MediaItemFactory(outlet=outlet)

        response = editor_api.delete(f"{API}/organizations/lab/")
        assert response.status_code == 409
        assert "affiliations" in response.json()["detail"]
        response = editor_api.delete(f"{API}/outlets/show/")
        assert response.status_code == 409
        assert "media items" in response.json()["detail"]
        assert Organization.objects.filter(pk=org.pk).exists()
        assert Outlet.objects.filter(pk=outlet.pk).exists()

    def test_deleting_a_paper_deletes_its_authorships(self, editor_api):
        paper = PublicationFactory(slug="p", authors=2)
        assert editor_api.delete(f"{API}/publications/p/").status_code == 204
        assert not Publication.objects.filter(pk=paper.pk).exists()
        assert not AuthorshipFactory._meta.model.objects.exists()


class TestAuthentication:
    def test_token_from_the_management_command_authenticates_writes(self):
        editor = EditorFactory(username="ed")
        out = StringIO()
        call_command("drf_create_token", "ed", stdout=out)
        key = Token.objects.get(user=editor).key
        assert key in out.getvalue()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.post(f"{API}/outlets/", {"name": "Show"}).status_code == 201

    def test_a_wrong_token_is_401_even_for_reads(self, api_client):
        api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
        response = api_client.get(f"{API}/publications/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    def test_session_writes_need_a_csrf_token(self, editor):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(editor)
        response = client.post(f"{API}/outlets/", {"name": "Show"})
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]

        page = client.get(f"{API}/outlets/", HTTP_ACCEPT="text/html")
        csrf = page.cookies["csrftoken"].value
        response = client.post(f"{API}/outlets/", {"name": "Show"}, HTTP_X_CSRFTOKEN=csrf)
        assert response.status_code == 201

    def test_inactive_staff_cannot_write(self, editor):
        from tests.api.conftest import client_for

        client = client_for(editor)
        editor.is_active = False
        editor.save()
        assert client.post(f"{API}/outlets/", {"name": "Show"}).status_code == 401

    def test_tokens_can_be_created_in_the_admin(self, superuser, client):
        client.force_login(superuser)
        editor = EditorFactory()
        response = client.post("/admin/authtoken/tokenproxy/add/", {"user": editor.pk})
        assert response.status_code == 302
        assert Token.objects.filter(user=editor).exists()


def test_a_database_conflict_is_a_409_not_a_500():
    # Validation checks uniqueness first; the database's refusal answers a concurrent write.
    from django.db import IntegrityError

    from core.api.views import exception_handler

    response = exception_handler(IntegrityError("duplicate key"), {})
    assert response.status_code == 409
    assert "unique" in response.data["detail"]


def test_staff_can_schedule_publication_and_visitors_see_it_only_in_its_window(editor_api):
    from rest_framework.test import APIClient

    paper = PublicationFactory(slug="p")
    response = editor_api.patch(
        f"{API}/publications/p/",
        {"publish_at": "2999-01-01T00:00:00Z", "unpublish_at": "3000-01-01T00:00:00Z"},
    )
    assert response.status_code == 200
    paper.refresh_from_db()
    assert paper.publish_at.year == 2999
    assert APIClient().get(f"{API}/publications/p/").status_code == 404
    assert APIClient().get(f"{API}/publications/").json()["count"] == 0
    response = editor_api.patch(f"{API}/publications/p/", {"unpublish_at": "2998-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert set(response.json()) == {"unpublish_at"}
