"""Authors known to be behind “et al.” (an authorship without a position).

A scholar page lists the first three authors of a twenty-author paper and “et al.”; the
profile's owner is among the other seventeen. The paper belongs on their profile, but
no ordered author list (citations, exports, metadata) may invent a place for them.
"""

import json

import bibtexparser
import pytest
from django.urls import reverse

from publications.citations import formatted_citation, to_bibtex
from publications.metadata import publication_json_ld, scholar_meta
from publications.metrics import metrics_for_person
from publications.models import Authorship, Publication
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evan():
    return PersonFactory(slug="evan", name="Evan Hubinger")


@pytest.fixture
def truncated(evan):
    """Three listed authors, “et al.”, and Evan behind it."""
    paper = PublicationFactory(
        title="Studying Large Language Model Generalization with Influence Functions",
        slug="influence",
        has_more_authors=True,
    )
    for position, name in enumerate(["Roger Grosse", "Juhan Bae", "Cem Anil"], start=1):
        AuthorshipFactory(publication=paper, position=position, name=name)
    AuthorshipFactory(publication=paper, position=None, name=evan.name, person=evan)
    return Publication.objects.for_detail().get(pk=paper.pk)


def test_the_list_and_the_rest_are_kept_apart(truncated):
    assert [a.name for a in truncated.listed_authorships] == [
        "Roger Grosse",
        "Juhan Bae",
        "Cem Anil",
    ]
    assert [a.name for a in truncated.unlisted_authorships] == ["Evan Hubinger"]
    assert truncated.is_author_list_truncated
    # Unlisted authors sort last on every database.
    assert [a.position for a in truncated.authorships.all()] == [1, 2, 3, None]


def test_the_paper_is_on_the_profile_with_him_behind_et_al(client, truncated, evan):
    page = client.get(reverse("people:detail", kwargs={"slug": "evan"})).content.decode()
    assert truncated.title in page
    assert (
        'et al.</span><span class="et-al-incl"> (incl. <span class="author author-me">'
        '<a href="/people/evan/">Evan Hubinger</a></span>)</span>'
    ) in page
    assert metrics_for_person(evan).papers == 1


def test_paper_page_names_him_after_et_al(client, truncated):
    page = client.get(reverse("publications:detail", kwargs={"slug": "influence"}))
    html = page.content.decode()
    block = html[html.index('class="author-block"') :]
    block = block[: block.index("</p>")]
    assert block.index("Cem Anil") < block.index("et al.") < block.index("Evan Hubinger")
    assert 'href="/people/evan/"' in block


def test_citations_list_only_the_positioned_authors(truncated):
    entry = to_bibtex([truncated])
    parsed = bibtexparser.parse_string(entry).entries[0]
    assert (
        parsed.fields_dict["author"].value
        == "Grosse, Roger and Bae, Juhan and Anil, Cem and others"
    )
    assert "Hubinger" not in entry
    assert "et al." in formatted_citation(truncated)
    assert "Hubinger" not in formatted_citation(truncated)


def test_metadata_lists_only_the_positioned_authors(rf, truncated):
    request = rf.get("/")
    ld = publication_json_ld(truncated, request)
    assert [a["name"] for a in ld["author"]] == ["Roger Grosse", "Juhan Bae", "Cem Anil"]
    assert ld["creditText"] == "Roger Grosse, Juhan Bae, Cem Anil et al."
    authors = [
        value for name, value in scholar_meta(truncated, request) if name == "citation_author"
    ]
    assert authors == ["Roger Grosse", "Juhan Bae", "Cem Anil"]


def test_exports_of_his_list_include_the_paper(client, truncated):
    response = client.get(reverse("people:export", kwargs={"slug": "evan", "fmt": "bib"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Influence Functions" in text
    assert "Hubinger" not in text


def test_feed_names_the_list_and_et_al(client, truncated):
    feed = client.get(reverse("publications:feed")).content.decode()
    assert "Roger Grosse, Juhan Bae, Cem Anil et al." in feed


class TestAPI:
    def test_read_marks_the_author_behind_et_al(self, client, truncated):
        body = client.get("/api/v1/publications/influence/").json()
        assert [(a["position"], a["behind_et_al"], a["name"]) for a in body["authorships"]] == [
            (1, False, "Roger Grosse"),
            (2, False, "Juhan Bae"),
            (3, False, "Cem Anil"),
            (None, True, "Evan Hubinger"),
        ]

    def test_write_places_behind_et_al_authors_without_a_position(self, superuser, evan):
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(superuser)
        response = api.post(
            "/api/v1/publications/",
            {
                "title": "Sabotage Evaluations for Frontier Models",
                "has_more_authors": True,
                "authorships": [
                    {"name": "Joe Benton"},
                    {"person": "evan", "behind_et_al": True},
                    {"name": "Misha Wagner"},
                ],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        paper = Publication.objects.get(title__startswith="Sabotage")
        assert [(a.position, a.name) for a in paper.authorships.all()] == [
            (1, "Joe Benton"),
            (2, "Misha Wagner"),
            (None, "Evan Hubinger"),
        ]


def _change_data(page, **extra):
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "keywords": "",
            "arxiv_categories": "",
            "authorships-TOTAL_FORMS": "2",
            "authorships-INITIAL_FORMS": "0",
            "authorships-0-position": "1",
            "authorships-0-name": "Joe Benton",
            "authorships-1-position": "",
            "authorships-1-name": "Evan Hubinger",
        }
    )
    data.update(extra)
    return data


class TestAdmin:
    def test_blank_position_needs_an_incomplete_list(self, staff_client):
        paper = PublicationFactory(has_more_authors=False)
        url = reverse("admin:publications_publication_change", args=[paper.pk])
        data = _change_data(staff_client.get(url), published_on=str(paper.published_on))
        data.pop("has_more_authors", None)
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "tick “author list incomplete”" in response.content.decode()
        assert not Authorship.objects.filter(publication=paper).exists()

    def test_blank_position_with_et_al_is_saved(self, staff_client, evan):
        paper = PublicationFactory(has_more_authors=True)
        url = reverse("admin:publications_publication_change", args=[paper.pk])
        data = _change_data(
            staff_client.get(url),
            published_on=str(paper.published_on),
            has_more_authors="on",
            **{"authorships-1-person": str(evan.pk)},
        )
        response = staff_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert [(a.position, a.person_id) for a in paper.authorships.all()] == [
            (1, None),
            (None, evan.pk),
        ]

    def test_a_person_is_an_author_once(self, staff_client, evan):
        paper = PublicationFactory(has_more_authors=True)
        url = reverse("admin:publications_publication_change", args=[paper.pk])
        data = _change_data(
            staff_client.get(url),
            published_on=str(paper.published_on),
            has_more_authors="on",
            **{"authorships-0-person": str(evan.pk), "authorships-1-person": str(evan.pk)},
        )
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "A person can be an author of a paper only once." in response.content.decode()


def test_coauthors_with_and_without_a_middle_initial_are_one(evan):
    for name in ("Adam Jermyn", "Adam S. Jermyn"):
        paper = PublicationFactory()
        AuthorshipFactory(publication=paper, position=1, name=name)
        AuthorshipFactory(publication=paper, position=2, name=evan.name, person=evan)
    coauthors = metrics_for_person(evan).coauthors
    assert [(c.name, c.papers) for c in coauthors] == [("Adam S. Jermyn", 2)]


def test_json_ld_stays_json(rf, truncated):
    json.dumps(publication_json_ld(truncated, rf.get("/")))
