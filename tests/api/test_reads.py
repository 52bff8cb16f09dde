"""What anonymous clients read: every route, lookups, nested routes, filters, search,
ordering and pagination, and never a draft."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    AuthorshipFactory,
    KeyPointFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    ProfileLinkFactory,
    PublicationFactory,
    ReportedMetricFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_api_root_lists_every_route(api_client):
    body = api_client.get(f"{API}/").json()
    assert set(body) == {
        "people",
        "organizations",
        "publications",
        "media-items",
        "outlets",
        "topics",
    }


def test_person_detail_shows_profile_affiliations_links_and_reported_metrics(api_client):
    person = PersonFactory(slug="ada", name="Ada Lovelace", name_variants="A. Lovelace\nA. L.")
    AffiliationFactory(person=person, organization=OrganizationFactory(slug="lab", name="Lab"))
    AffiliationFactory(person=person, is_current=False, role="Intern")
    ProfileLinkFactory(person=person, kind="github", url="https://github.com/ada")
    ReportedMetricFactory(person=person, label="h-index", value="54")

    body = api_client.get(f"{API}/people/ada/").json()

    assert body["name"] == "Ada Lovelace"
    assert body["stable_id"] == person.stable_id
    assert body["html_url"] == "http://testserver/people/ada/"
    assert body["api_url"] == "http://testserver/api/v1/people/ada/"
    assert body["permalink"] == f"http://testserver/r/{person.stable_id}"
    assert body["name_variants"] == ["A. Lovelace", "A. L."]
    assert [a["is_current"] for a in body["affiliations"]] == [True, False]
    assert body["affiliations"][0]["organization"]["slug"] == "lab"
    assert body["links"] == [
        {
            "kind": "github",
            "url": "https://github.com/ada",
            "label": "Website",
            "is_highlighted": False,
        }
    ]
    assert body["reported_metrics"][0] == {
        "source": "Semantic Scholar",
        "source_url": "",
        "as_of": "2026-01-01",
        "label": "h-index",
        "value": "54",
    }


def test_person_list_shows_current_affiliations_only(api_client):
    person = PersonFactory(slug="ada")
    AffiliationFactory(person=person, organization=OrganizationFactory(slug="now"))
    AffiliationFactory(
        person=person, organization=OrganizationFactory(slug="then"), is_current=False
    )
    row = api_client.get(f"{API}/people/").json()["results"][0]
    assert [a["organization"]["slug"] for a in row["current_affiliations"]] == ["now"]
    assert "bio" not in row


@pytest.mark.parametrize(
    ("route", "factory"),
    [
        ("people", PersonFactory),
        ("organizations", OrganizationFactory),
        ("publications", PublicationFactory),
        ("media-items", MediaItemFactory),
        ("outlets", OutletFactory),
        ("topics", TopicFactory),
    ],
)
def test_every_route_finds_an_object_by_slug_and_by_stable_id(api_client, route, factory):
    obj = factory()
    by_slug = api_client.get(f"{API}/{route}/{obj.slug}/")
    by_id = api_client.get(f"{API}/{route}/{obj.stable_id}/")
    forgiving = api_client.get(f"{API}/{route}/{obj.stable_id.lower()}/")
    assert by_slug.status_code == by_id.status_code == forgiving.status_code == 200
    assert by_slug.json() == by_id.json() == forgiving.json()
    assert by_slug.json()["slug"] == obj.slug
    assert slugs(api_client.get(f"{API}/{route}/")) == [obj.slug]


@pytest.mark.parametrize(
    ("route", "factory"),
    [
        ("people", PersonFactory),
        ("organizations", OrganizationFactory),
        ("publications", PublicationFactory),
        ("media-items", MediaItemFactory),
        ("outlets", OutletFactory),
        ("topics", TopicFactory),
    ],
)
def test_drafts_are_invisible_to_visitors_in_lists_details_and_counts(api_client, route, factory):
    published = factory()
    draft = factory(is_published=False)
    listing = api_client.get(f"{API}/{route}/").json()
    assert listing["count"] == 1
    assert [row["slug"] for row in listing["results"]] == [published.slug]
    assert api_client.get(f"{API}/{route}/{draft.slug}/").status_code == 404
    assert api_client.get(f"{API}/{route}/{draft.stable_id}/").status_code == 404


@pytest.mark.parametrize(
    ("route", "factory"),
    [
        ("people", PersonFactory),
        ("organizations", OrganizationFactory),
        ("publications", PublicationFactory),
        ("media-items", MediaItemFactory),
        ("outlets", OutletFactory),
        ("topics", TopicFactory),
    ],
)
@pytest.mark.parametrize(
    ("window", "visible"),
    [
        ({"publish_at": datetime.timedelta(hours=1)}, False),
        ({"publish_at": -datetime.timedelta(hours=1)}, True),
        ({"unpublish_at": datetime.timedelta(hours=1)}, True),
        ({"unpublish_at": -datetime.timedelta(hours=1)}, False),
    ],
)
def test_visitors_see_scheduled_objects_only_inside_their_window(
    api_client, route, factory, window, visible
):
    now = timezone.now()
    obj = factory(**{field: now + offset for field, offset in window.items()})
    assert (slugs(api_client.get(f"{API}/{route}/")) == [obj.slug]) is visible
    expected = 200 if visible else 404
    assert api_client.get(f"{API}/{route}/{obj.slug}/").status_code == expected
    assert api_client.get(f"{API}/{route}/{obj.stable_id}/").status_code == expected


def test_slug_wins_over_a_stable_id_spelled_the_same(api_client):
    first = OrganizationFactory()
    second = OrganizationFactory(slug=first.stable_id.lower())
    body = api_client.get(f"{API}/organizations/{first.stable_id.lower()}/").json()
    assert body["stable_id"] == second.stable_id
    assert api_client.get(f"{API}/organizations/{first.stable_id}/").json()["slug"] == first.slug


def test_unknown_object_is_404_with_a_reason(api_client):
    response = api_client.get(f"{API}/publications/no-such-paper/")
    assert response.status_code == 404
    assert "slug or stable id" in response.json()["detail"]


def test_publication_shows_ordered_authors_people_affiliations_and_identifiers(api_client):
    paper = PublicationFactory(
        slug="sleeper",
        doi="10.1000/xyz",
        arxiv_id="2401.05566",
        citation_count=412,
        citation_count_as_of=datetime.date(2026, 1, 2),
        citation_source="Semantic Scholar",
        citations_by_year={"2024": 300, "2025": 112},
    )
    ada = PersonFactory(slug="ada", name="Ada Lovelace")
    lab = OrganizationFactory(slug="lab")
    third = AuthorshipFactory(publication=paper, position=3, name="C. Third")
    first = AuthorshipFactory(publication=paper, position=1, name="A. Lovelace", person=ada)
    first.affiliations.add(lab)
    AuthorshipFactory(publication=paper, position=2, name="B. Second", is_corresponding=True)
    assert third.pk < first.pk  # created out of order on purpose
    paper.topics.add(TopicFactory(slug="deception"))

    body = api_client.get(f"{API}/publications/sleeper/").json()

    assert [(a["position"], a["name"]) for a in body["authorships"]] == [
        (1, "A. Lovelace"),
        (2, "B. Second"),
        (3, "C. Third"),
    ]
    assert body["authorships"][0]["person"]["slug"] == "ada"
    assert body["authorships"][0]["affiliations"][0]["slug"] == "lab"
    assert body["authorships"][1]["person"] is None
    assert body["authorships"][1]["is_corresponding"] is True
    assert body["doi"] == "10.1000/xyz"
    assert body["doi_url"] == "https://doi.org/10.1000/xyz"
    assert body["arxiv_url"] == "https://arxiv.org/abs/2401.05566"
    assert body["citation_count"] == 412
    assert body["citation_count_as_of"] == "2026-01-02"
    assert body["citations_by_year"] == {"2024": 300, "2025": 112}
    assert body["arxiv_primary_category_name"] == "Machine Learning"
    assert [t["slug"] for t in body["topics"]] == ["deception"]


def test_media_item_shows_appearances_key_points_and_discussed_papers(api_client):
    item = MediaItemFactory(slug="ep-1", duration=datetime.timedelta(hours=1, minutes=2, seconds=3))
    host = PersonFactory(slug="host")
    guest = PersonFactory(slug="guest")
    AppearanceFactory(media_item=item, person=guest, role="guest", position=0)
    AppearanceFactory(media_item=item, person=host, role="host", position=1)
    KeyPointFactory(media_item=item, position=1, text="Second point")
    KeyPointFactory(media_item=item, position=0, text="First point")
    paper = PublicationFactory(slug="paper")
    item.discusses.add(paper)

    body = api_client.get(f"{API}/media-items/ep-1/").json()

    assert [(a["person"]["slug"], a["role"]) for a in body["appearances"]] == [
        ("guest", "guest"),
        ("host", "host"),
    ]
    assert body["key_points"] == ["First point", "Second point"]
    assert body["discusses"][0]["slug"] == "paper"
    assert body["discusses"][0]["year"] == paper.published_on.year
    assert body["outlet"]["slug"] == item.outlet.slug
    assert body["duration"] == "01:02:03"
    assert "cached_content" in body
    listed = api_client.get(f"{API}/media-items/").json()["results"][0]
    assert "cached_content" not in listed
    assert listed["key_points"] == ["First point", "Second point"]


def test_relations_to_drafts_are_hidden_from_visitors(api_client):
    paper = PublicationFactory(slug="paper")
    hidden_person = PersonFactory(is_published=False, slug="hidden")
    hidden_org = OrganizationFactory(is_published=False)
    authorship = AuthorshipFactory(publication=paper, position=1, person=hidden_person)
    authorship.affiliations.add(hidden_org)
    paper.topics.add(TopicFactory(is_published=False))
    paper.organizations.add(hidden_org)
    item = MediaItemFactory(slug="ep", outlet=OutletFactory(is_published=False))
    AppearanceFactory(media_item=item, person=hidden_person)
    item.discusses.add(PublicationFactory(is_published=False))
    person = PersonFactory(slug="ada")
    AffiliationFactory(person=person, organization=hidden_org)

    body = api_client.get(f"{API}/publications/paper/").json()
    assert body["authorships"][0]["name"] == authorship.name
    assert body["authorships"][0]["person"] is None
    assert body["authorships"][0]["affiliations"] == []
    assert body["topics"] == body["organizations"] == []
    media = api_client.get(f"{API}/media-items/ep/").json()
    assert media["outlet"] is None
    assert media["appearances"] == media["discusses"] == []
    assert api_client.get(f"{API}/people/ada/").json()["affiliations"] == []
    assert api_client.get(f"{API}/people/").json()["results"][0]["current_affiliations"] == []


def test_editors_see_drafts_and_relations_to_drafts(editor_api):
    paper = PublicationFactory(slug="draft-paper", is_published=False)
    AuthorshipFactory(publication=paper, position=1, person=PersonFactory(is_published=False))
    assert editor_api.get(f"{API}/publications/").json()["count"] == 1
    body = editor_api.get(f"{API}/publications/draft-paper/").json()
    assert body["is_published"] is False
    assert body["authorships"][0]["person"] is not None


def test_staff_without_view_permission_do_not_see_drafts(staff_without_permissions):
    from tests.api.conftest import client_for

    PublicationFactory(slug="draft-paper", is_published=False)
    client = client_for(staff_without_permissions)
    assert client.get(f"{API}/publications/").json()["count"] == 0
    assert client.get(f"{API}/publications/draft-paper/").status_code == 404


def test_drafts_of_a_related_model_need_that_models_view_permission():
    from django.contrib.auth.models import Permission

    from tests.api.conftest import client_for
    from tests.factories import StaffFactory

    user = StaffFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_publication"))
    paper = PublicationFactory(slug="draft-paper", is_published=False)
    AuthorshipFactory(publication=paper, position=1, person=PersonFactory(is_published=False))
    body = client_for(user).get(f"{API}/publications/draft-paper/").json()
    assert body["is_published"] is False  # may view draft papers...
    assert body["authorships"][0]["person"] is None  # ...but not draft people


class TestPersonScopedRoutes:
    def test_a_persons_publications_lists_each_paper_once(self, api_client):
        ada = PersonFactory(slug="ada")
        mine = PublicationFactory(slug="mine")
        AuthorshipFactory(publication=mine, position=1, person=ada)
        AuthorshipFactory(publication=mine, position=2, person=ada)  # listed twice by mistake
        PublicationFactory(slug="theirs", authors=2)
        draft = PublicationFactory(slug="draft", is_published=False)
        AuthorshipFactory(publication=draft, position=1, person=ada)

        assert slugs(api_client.get(f"{API}/people/ada/publications/")) == ["mine"]
        assert slugs(api_client.get(f"{API}/people/{ada.stable_id}/publications/")) == ["mine"]

    def test_a_persons_media_items(self, api_client):
        ada = PersonFactory(slug="ada")
        AppearanceFactory(person=ada, media_item=MediaItemFactory(slug="with-ada"))
        AppearanceFactory(media_item=MediaItemFactory(slug="without"))
        assert slugs(api_client.get(f"{API}/people/ada/media-items/")) == ["with-ada"]

    def test_filters_apply_to_a_persons_lists(self, api_client):
        ada = PersonFactory(slug="ada")
        for slug, kind in [("pre", "preprint"), ("journal", "journal_article")]:
            AuthorshipFactory(
                publication=PublicationFactory(slug=slug, kind=kind), position=1, person=ada
            )
        assert slugs(api_client.get(f"{API}/people/ada/publications/?kind=preprint")) == ["pre"]
        response = api_client.get(f"{API}/people/ada/publications/?nope=1")
        assert response.status_code == 400

    @pytest.mark.parametrize("route", ["publications", "media-items"])
    def test_unknown_or_draft_person_is_404(self, api_client, route):
        PersonFactory(slug="draft", is_published=False)
        assert api_client.get(f"{API}/people/nobody/{route}/").status_code == 404
        assert api_client.get(f"{API}/people/draft/{route}/").status_code == 404


class TestFiltersSearchOrdering:
    def test_publication_facets_are_those_of_the_html_list(self, api_client):
        ada = PersonFactory(slug="ada")
        topic = TopicFactory(slug="honesty")
        a = PublicationFactory(
            slug="a",
            kind="journal_article",
            published_on=datetime.date(2020, 5, 1),
            code_url="https://github.com/x/y",
            venue="NeurIPS",
            arxiv_primary_category="cs.AI",
            is_featured=True,
        )
        AuthorshipFactory(publication=a, position=1, person=ada)
        a.topics.add(topic)
        PublicationFactory(slug="b", kind="preprint", published_on=datetime.date(2023, 1, 1))

        def only(query):
            return slugs(api_client.get(f"{API}/publications/?{query}"))

        assert only("kind=journal_article") == ["a"]
        assert only("year_min=2021") == ["b"]
        assert only("year_max=2021") == ["a"]
        assert only("author=ada") == ["a"]
        assert only("topic=honesty") == ["a"]
        assert only("has_code=true") == ["a"]
        assert only("has_code=false") == ["b"]
        assert only("venue=neurips") == ["a"]
        assert only("category=cs.ai") == ["a"]
        assert only("featured=true") == ["a"]
        assert only("sort=oldest") == ["a", "b"]
        assert only("sort=newest") == ["b", "a"]

    def test_media_facets_are_those_of_the_html_list(self, api_client):
        ada = PersonFactory(slug="ada")
        outlet = OutletFactory(slug="axrp")
        item = MediaItemFactory(
            slug="talk", kind="talk", outlet=outlet, published_on=datetime.date(2024, 3, 1)
        )
        AppearanceFactory(media_item=item, person=ada, role="speaker")
        MediaItemFactory(slug="pod", published_on=datetime.date(2022, 1, 1))

        def only(query):
            return slugs(api_client.get(f"{API}/media-items/?{query}"))

        assert only("kind=talk") == only("outlet=axrp") == only("person=ada") == ["talk"]
        assert only("role=speaker") == only("year=2024") == ["talk"]

    def test_people_organizations_and_outlets_have_their_own_filters(self, api_client):
        lab = OrganizationFactory(slug="lab", kind="lab")
        OrganizationFactory(slug="uni", kind="university")
        AffiliationFactory(person=PersonFactory(slug="ada", is_featured=True), organization=lab)
        PersonFactory(slug="bob")
        OutletFactory(slug="conf", kind="conference")
        OutletFactory(slug="pod", kind="podcast")
        assert slugs(api_client.get(f"{API}/people/?organization=lab")) == ["ada"]
        assert slugs(api_client.get(f"{API}/people/?featured=true")) == ["ada"]
        assert slugs(api_client.get(f"{API}/organizations/?kind=lab")) == ["lab"]
        assert slugs(api_client.get(f"{API}/outlets/?kind=conference")) == ["conf"]

    def test_search_looks_at_titles_and_author_names(self, api_client):
        paper = PublicationFactory(slug="found", title="Sleeper agents")
        AuthorshipFactory(publication=paper, position=1, name="Evan Hubinger")
        AuthorshipFactory(publication=paper, position=2, name="Evan Other")
        PublicationFactory(slug="other", title="Something else")
        assert slugs(api_client.get(f"{API}/publications/?search=sleeper")) == ["found"]
        assert slugs(api_client.get(f"{API}/publications/?search=evan")) == ["found"]

    @pytest.mark.parametrize(
        ("route", "make", "query"),
        [
            ("people", lambda: PersonFactory(slug="ada", headline="Studies honesty"), "honesty"),
            ("people", lambda: PersonFactory(slug="ada", name_variants="A. Lovelace"), "lovelace"),
            ("organizations", lambda: OrganizationFactory(slug="lab", short_name="FHI"), "fhi"),
            ("media-items", lambda: MediaItemFactory(slug="ep", title="On deception"), "decept"),
            (
                "media-items",
                lambda: MediaItemFactory(slug="ep", outlet=OutletFactory(name="AXRP")),
                "axrp",
            ),
            ("outlets", lambda: OutletFactory(slug="show", description="Talks on AI"), "talks"),
            (
                "topics",
                lambda: TopicFactory(slug="mo", summary="Building misaligned models"),
                "misalign",
            ),
        ],
        ids=[
            "person-headline",
            "person-variant",
            "org",
            "media-title",
            "media-outlet",
            "outlet",
            "topic",
        ],
    )
    def test_search_on_every_route(self, api_client, route, make, query):
        obj = make()
        {
            "people": PersonFactory,
            "organizations": OrganizationFactory,
            "media-items": MediaItemFactory,
            "outlets": OutletFactory,
            "topics": TopicFactory,
        }[route]()
        assert slugs(api_client.get(f"{API}/{route}/?search={query}")) == [obj.slug]

    @pytest.mark.parametrize(
        ("route", "factory", "field", "values"),
        [
            ("people", PersonFactory, "name", ["Bea", "Ann", "Cy"]),
            ("organizations", OrganizationFactory, "name", ["Bea", "Ann", "Cy"]),
            ("media-items", MediaItemFactory, "importance", [50, 90, 10]),
            ("outlets", OutletFactory, "name", ["Bea", "Ann", "Cy"]),
            ("topics", TopicFactory, "name", ["Bea", "Ann", "Cy"]),
        ],
    )
    def test_ordering_on_every_route(self, api_client, route, factory, field, values):
        for n, value in enumerate(values):
            factory(slug=f"o{n}", **{field: value})
        ascending = [f"o{n}" for n, _ in sorted(enumerate(values), key=lambda pair: pair[1])]
        assert slugs(api_client.get(f"{API}/{route}/?ordering={field}")) == ascending
        assert slugs(api_client.get(f"{API}/{route}/?ordering=-{field}")) == ascending[::-1]
        response = api_client.get(f"{API}/{route}/?ordering=stable_id")
        assert response.status_code == 400
        assert "Allowed:" in response.json()["ordering"][0]

    def test_ordering_by_an_allowed_field_with_empty_values_last(self, api_client):
        PublicationFactory(slug="none", citation_count=None)
        PublicationFactory(slug="few", citation_count=3)
        PublicationFactory(slug="many", citation_count=300)
        assert slugs(api_client.get(f"{API}/publications/?ordering=-citation_count")) == [
            "many",
            "few",
            "none",
        ]
        assert slugs(api_client.get(f"{API}/publications/?ordering=citation_count")) == [
            "few",
            "many",
            "none",
        ]

    def test_ordering_overrides_the_filtersets_sort(self, api_client):
        PublicationFactory(slug="b", title="B")
        PublicationFactory(slug="a", title="A")
        assert slugs(api_client.get(f"{API}/publications/?sort=cited&ordering=title")) == ["a", "b"]


class TestSameFiltersAsTheHtmlLists:
    """The API list and the HTML list page answer the same query with the same rows, in
    the same order: both run the app's FilterSet."""

    @staticmethod
    def html_slugs(client, prefix, query):
        response = client.get(f"/{prefix}/?{query}")
        assert response.status_code == 200
        found = re.findall(rf'href="/{prefix}/([-\w]+)/"', response.content.decode())
        return list(dict.fromkeys(found))

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "kind=journal_article",
            "kind=preprint",
            "year_min=2021",
            "year_max=2021",
            "author=ada",
            "topic=honesty",
            "has_code=true",
            "sort=oldest",
            "sort=title",
            "sort=cited",
            "author=ada&year_min=2019&sort=oldest",
        ],
    )
    def test_publications(self, client, api_client, query):
        ada = PersonFactory(slug="ada")
        topic = TopicFactory(slug="honesty")
        for n, (kind, year, code) in enumerate(
            [
                ("journal_article", 2020, "https://x.org"),
                ("preprint", 2023, ""),
                ("preprint", 2019, ""),
            ]
        ):
            paper = PublicationFactory(
                slug=f"p{n}",
                kind=kind,
                published_on=datetime.date(year, 1, 1),
                code_url=code,
                citation_count=n * 10,
            )
            if n != 1:
                AuthorshipFactory(publication=paper, position=1, person=ada)
                paper.topics.add(topic)
        api = slugs(api_client.get(f"{API}/publications/?{query}"))
        assert api == self.html_slugs(client, "publications", query)
        assert api  # every query here matches something

    @pytest.mark.parametrize(
        "query", ["", "kind=talk", "outlet=axrp", "person=ada", "role=host", "year=2024"]
    )
    def test_media_items(self, client, api_client, query):
        ada = PersonFactory(slug="ada")
        outlet = OutletFactory(slug="axrp")
        talk = MediaItemFactory(
            slug="talk", kind="talk", outlet=outlet, published_on=datetime.date(2024, 3, 1)
        )
        AppearanceFactory(media_item=talk, person=ada, role="host")
        MediaItemFactory(slug="pod", published_on=datetime.date(2022, 1, 1))
        api = slugs(api_client.get(f"{API}/media-items/?{query}"))
        assert api == self.html_slugs(client, "media", query)
        assert api

    @pytest.mark.parametrize("query", ["", "organization=lab", "featured=true"])
    def test_people(self, client, api_client, query):
        lab = OrganizationFactory(slug="lab")
        AffiliationFactory(person=PersonFactory(slug="ada", is_featured=True), organization=lab)
        PersonFactory(slug="bob")
        api = slugs(api_client.get(f"{API}/people/?{query}"))
        assert sorted(api) == sorted(self.html_slugs(client, "people", query))
        assert api


class TestBadInput:
    @pytest.mark.parametrize(
        ("route", "query", "parameter"),
        [
            ("publications", "colour=red", "colour"),
            ("publications", "year_min=last", "year_min"),
            ("publications", "year_min=20000", "year_min"),
            ("publications", "year_max=2020.5", "year_max"),
            ("publications", "kind=novel", "kind"),
            ("publications", "author=nobody", "author"),
            ("publications", "has_code=maybe", "has_code"),
            ("publications", "sort=random", "sort"),
            ("publications", "ordering=abstract", "ordering"),
            ("publications", "ordering=title,,", "ordering"),
            ("publications", "page=0", "page"),
            ("publications", "page=two", "page"),
            ("publications", "page_size=101", "page_size"),
            ("publications", "search=a%00b", "search"),
            ("media-items", "year=nineteen", "year"),
            ("media-items", "role=audience", "role"),
            ("media-items", "outlet=nowhere", "outlet"),
            ("people", "organization=nowhere", "organization"),
            ("people", "ordering=bio", "ordering"),
            ("organizations", "kind=club", "kind"),
            ("outlets", "kind=blog", "kind"),
            ("topics", "kind=talk", "kind"),
            ("topics", "ordering=summary", "ordering"),
            ("people/ada/publications", "venue=x&kind=novel", "kind"),
        ],
    )
    def test_bad_query_is_400_naming_the_parameter(self, api_client, route, query, parameter):
        PersonFactory(slug="ada")
        response = api_client.get(f"{API}/{route}/?{query}")
        assert response.status_code == 400
        body = response.json()
        assert list(body) == [parameter]
        assert body[parameter] and all(isinstance(message, str) for message in body[parameter])

    def test_every_bad_parameter_is_reported_at_once(self, api_client):
        body = api_client.get(f"{API}/publications/?colour=red&year_min=x").json()
        assert set(body) == {"colour", "year_min"}
        assert "Allowed:" in body["colour"][0]

    def test_a_page_past_the_end_is_404(self, api_client):
        PublicationFactory()
        assert api_client.get(f"{API}/publications/?page=2").status_code == 404

    def test_detail_ignores_list_parameters(self, api_client):
        paper = PublicationFactory(kind="preprint")
        assert api_client.get(f"{API}/publications/{paper.slug}/?kind=book").status_code == 200


class TestPagination:
    def test_page_size_and_a_stable_order_across_pages(self, api_client):
        for n in range(7):
            PublicationFactory(
                slug=f"p{n}", title="Same title", published_on=datetime.date(2020, 1, 1)
            )
        seen = []
        url = f"{API}/publications/?page_size=3"
        while url:
            body = api_client.get(url).json()
            assert body["count"] == 7
            seen += [row["slug"] for row in body["results"]]
            url = body["next"]
        assert sorted(seen) == sorted(f"p{n}" for n in range(7))
        assert len(seen) == 7

    def test_default_page_size(self, api_client, settings):
        OrganizationFactory.create_batch(25)
        assert len(api_client.get(f"{API}/organizations/").json()["results"]) == 20
        assert len(api_client.get(f"{API}/organizations/?page_size=100").json()["results"]) == 25


@pytest.mark.parametrize(
    "path",
    [
        "",
        "people/",
        "people/ada/",
        "people/ada/publications/",
        "organizations/",
        "publications/",
        "publications/paper/",
        "media-items/",
        "media-items/episode/",
        "outlets/",
        "topics/",
    ],
)
def test_browsable_api_renders_for_visitors_and_staff(client, superuser, path):
    PersonFactory(slug="ada")
    PublicationFactory(slug="paper", authors=2)
    MediaItemFactory(slug="episode")
    visitor = client.get(f"{API}/{path}", HTTP_ACCEPT="text/html")
    assert visitor.status_code == 200
    assert visitor["Content-Type"].startswith("text/html")
    client.force_login(superuser)
    staff = client.get(f"{API}/{path}", HTTP_ACCEPT="text/html")
    assert staff.status_code == 200


def test_topic_detail_shows_its_summary_and_links_to_its_papers(api_client):
    topic = TopicFactory(slug="mo", name="Model organisms", summary="Building *misaligned* models.")
    paper = PublicationFactory(slug="sleeper")
    paper.topics.add(topic)
    PublicationFactory(slug="elsewhere")

    body = api_client.get(f"{API}/topics/mo/").json()

    assert body["name"] == "Model organisms"
    assert body["summary"] == "Building *misaligned* models."
    assert body["html_url"] == "http://testserver/topics/mo/"
    assert body["permalink"] == f"http://testserver/r/{topic.stable_id}"
    assert body["publications_url"] == "http://testserver/api/v1/publications/?topic=mo"
    assert slugs(api_client.get(body["publications_url"])) == ["sleeper"]
