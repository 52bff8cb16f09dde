"""JSON-LD, Google Scholar tags, OpenGraph and canonical links, rendered by the meta
includes that every detail page puts in its <head>."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.http.metadata import json_ld_script
from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Publication, Topic
from tests.factories import (
    AffiliationFactory,
    AppearanceFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    ProfileLinkFactory,
    TopicFactory,
)

from .conftest import make_paper
from .pages import json_ld, links, meta_values, read

pytestmark = pytest.mark.django_db
BREAKOUT = 'Evil </script><script>alert("x")</script><!-- & more'


def render(template, name, obj):
    request = RequestFactory().get("/")
    return render_to_string(f"includes/meta/{template}.html", {name: obj}, request=request)


def render_paper(paper):
    return render("publication", "publication", Publication.objects.for_detail().get(pk=paper.pk))


class TestJsonLdEscaping:
    def test_script_end_tag_in_a_value_cannot_break_out(self):
        html = json_ld_script({"name": BREAKOUT})
        page = read(html)
        assert len(page.scripts) == 1  # no second <script> was opened
        assert "</script><script>" not in html and "<!--" not in html
        assert json_ld(html) == [{"name": BREAKOUT}]

    def test_paper_page_with_a_hostile_title(self):
        html = render_paper(make_paper(title=BREAKOUT))
        [document] = json_ld(html)
        assert document["name"] == BREAKOUT
        assert meta_values(html, "citation_title") == [BREAKOUT]
        assert len(read(html).scripts) == 1


class TestPublication:
    @pytest.fixture
    def paper(self, sleeper_agents):
        evan = PersonFactory(slug="evan", name="Evan Hubinger", orcid="0000-0002-1825-0097")
        draft_person = PersonFactory(slug="hidden", is_published=False)
        anthropic = OrganizationFactory(name="Anthropic")
        first, second = sleeper_agents.authorships.all()[:2]
        first.person = evan
        first.save()
        first.affiliations.add(anthropic)
        second.person = draft_person
        second.save()
        sleeper_agents.topics.add(TopicFactory(name="Deception"))
        sleeper_agents.topics.add(TopicFactory(name="Secret topic", is_published=False))
        sleeper_agents.venue = "ICLR"
        sleeper_agents.kind = "conference_paper"
        sleeper_agents.save()
        return sleeper_agents

    def test_scholarly_article_with_ordered_authors(self, paper):
        [document] = json_ld(render_paper(paper))
        assert document["@context"] == "https://schema.org"
        assert document["@type"] == "ScholarlyArticle"
        assert document["name"] == paper.title
        assert [a["name"] for a in document["author"]] == [
            "Evan Hubinger",
            "Carson Denison",
            "Jesse Mu",
            "Ludwig van Beethoven",
        ]
        assert document["author"][0]["url"] == "http://testserver/people/evan/"
        assert document["author"][0]["affiliation"] == [
            {"@type": "Organization", "name": "Anthropic"}
        ]
        assert "url" not in document["author"][1]  # a draft profile is never linked
        assert document["datePublished"] == "2024-01-10"
        assert {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi} in document[
            "identifier"
        ]
        assert document["encoding"]["contentUrl"] == paper.pdf_url
        assert document["keywords"] == ["Deception"]

    def test_google_scholar_tags(self, paper):
        html = render_paper(paper)
        assert meta_values(html, "citation_title") == [paper.title]
        assert meta_values(html, "citation_author") == [
            "Evan Hubinger",
            "Carson Denison",
            "Jesse Mu",
            "Ludwig van Beethoven",
        ]
        assert meta_values(html, "citation_author_institution") == ["Anthropic"]
        assert meta_values(html, "citation_author_orcid") == [
            "https://orcid.org/0000-0002-1825-0097"
        ]
        assert meta_values(html, "citation_publication_date") == ["2024/01/10"]
        assert meta_values(html, "citation_conference_title") == ["ICLR"]
        assert meta_values(html, "citation_pdf_url") == ["https://arxiv.org/pdf/2401.05566"]
        assert meta_values(html, "citation_arxiv_id") == ["2401.05566"]
        assert meta_values(html, "citation_doi") == ["10.48550/arXiv.2401.05566"]
        # The institution follows its author, as Scholar expects.
        names = [
            m.get("name") for m in read(html).metas if m.get("name", "").startswith("citation_a")
        ]
        assert names[:3] == [
            "citation_author",
            "citation_author_orcid",
            "citation_author_institution",
        ]

    def test_journal_title_and_date_precision(self, db):
        paper = make_paper(
            kind="journal_article",
            venue="Nature",
            published_on=datetime.date(2020, 5, 1),
            date_precision="month",
            pages="10--20",
        )
        html = render_paper(paper)
        assert meta_values(html, "citation_journal_title") == ["Nature"]
        assert meta_values(html, "citation_publication_date") == ["2020/05"]
        assert meta_values(html, "citation_firstpage") == ["10"]
        assert meta_values(html, "citation_lastpage") == ["20"]
        [document] = json_ld(html)
        assert document["datePublished"] == "2020-05"

    def test_opengraph_twitter_and_canonical(self, paper):
        html = render_paper(paper)
        url = f"http://testserver/publications/{paper.slug}/"
        assert [link["href"] for link in links(html, "canonical")] == [url]
        assert meta_values(html, "og:type") == ["article"]
        assert meta_values(html, "og:title") == [paper.title]
        assert meta_values(html, "og:url") == [url]
        assert meta_values(html, "og:description") == [paper.abstract]
        assert meta_values(html, "twitter:card") == ["summary"]
        assert meta_values(html, "twitter:title") == [paper.title]
        assert meta_values(html, "robots") == []

    def test_draft_preview_is_noindex(self, db):
        html = render_paper(make_paper(is_published=False))
        assert meta_values(html, "robots") == ["noindex"]

    def test_no_queries_beyond_the_detail_queryset(self, paper, django_assert_num_queries):
        obj = Publication.objects.for_detail().get(pk=paper.pk)
        with django_assert_num_queries(0):
            render("publication", "publication", obj)


class TestPerson:
    def test_person_with_same_as_for_every_identifier(self):
        person = PersonFactory(
            slug="evan",
            name="Evan Hubinger",
            headline="Research scientist",
            orcid="0000-0002-1825-0097",
            google_scholar_id="abcDEF123",
            semantic_scholar_id="146614650",
            dblp_id="123/4567",
            public_email="evan@example.org",
        )
        ProfileLinkFactory(person=person, kind="github", url="https://github.com/evhub")
        ProfileLinkFactory(person=person, kind="post", url="https://example.org/post")
        AffiliationFactory(person=person, organization=OrganizationFactory(name="Anthropic"))
        AffiliationFactory(
            person=person, organization=OrganizationFactory(name="MIRI"), is_current=False
        )
        html = render("person", "person", Person.objects.for_detail().get(pk=person.pk))
        [page] = json_ld(html)
        assert page["@type"] == "ProfilePage"
        data = page["mainEntity"]
        assert data["@type"] == "Person"
        assert data["name"] == "Evan Hubinger"
        assert data["url"] == "http://testserver/people/evan/"
        assert data["sameAs"] == [
            "https://orcid.org/0000-0002-1825-0097",
            "https://scholar.google.com/citations?user=abcDEF123",
            "https://www.semanticscholar.org/author/146614650",
            "https://dblp.org/pid/123/4567",
            "https://github.com/evhub",
        ]
        assert [org["name"] for org in data["worksFor"]] == ["Anthropic"]
        assert [org["name"] for org in data["alumniOf"]] == ["MIRI"]
        assert meta_values(html, "og:type") == ["profile"]
        assert [link["href"] for link in links(html, "canonical")] == [data["url"]]


class TestMediaItem:
    @pytest.mark.parametrize(
        ("kind", "schema_type"),
        [
            ("podcast_episode", "PodcastEpisode"),
            ("video", "VideoObject"),
            ("talk", "Event"),
            ("panel", "Event"),
            ("article", "Article"),
        ],
    )
    def test_type_by_kind(self, kind, schema_type):
        item = MediaItemFactory(kind=kind, duration=datetime.timedelta(hours=1, minutes=5))
        html = render("mediaitem", "mediaitem", MediaItem.objects.for_detail().get(pk=item.pk))
        [document] = json_ld(html)
        assert document["@type"] == schema_type
        assert document["name"] == item.title

    def test_podcast_episode_with_people_series_and_papers(self):
        outlet = OutletFactory(name="AXRP", kind="podcast", url="https://axrp.net/")
        item = MediaItemFactory(
            title="Evan Hubinger on Model Organisms",
            outlet=outlet,
            episode_number=39,
            published_on=datetime.date(2024, 12, 1),
            duration=datetime.timedelta(hours=1, minutes=30),
            audio_url="https://example.org/39.mp3",
        )
        AppearanceFactory(media_item=item, person=PersonFactory(name="Evan Hubinger"))
        AppearanceFactory(media_item=item, person=PersonFactory(name="Draft", is_published=False))
        paper = make_paper(title="Sleeper Agents")
        item.discusses.add(paper, make_paper(title="Unpublished", is_published=False))
        html = render("mediaitem", "mediaitem", MediaItem.objects.for_detail().get(pk=item.pk))
        [document] = json_ld(html)
        assert document["partOfSeries"] == {
            "@type": "PodcastSeries",
            "name": "AXRP",
            "url": "https://axrp.net/",
        }
        assert document["episodeNumber"] == "39"
        assert document["datePublished"] == "2024-12-01"
        assert document["duration"] == "PT1H30M0S"
        assert [p["name"] for p in document["actor"]] == ["Evan Hubinger"]
        assert [p["name"] for p in document["mentions"]] == ["Sleeper Agents"]
        assert document["associatedMedia"]["contentUrl"] == "https://example.org/39.mp3"


class TestTopic:
    def test_collection_page(self):
        topic = TopicFactory(
            name="Model organisms", slug="mo", summary="Building misaligned models."
        )
        html = render("topic", "topic", Topic.objects.get(pk=topic.pk))
        [document] = json_ld(html)
        assert document["@type"] == "CollectionPage"
        assert document["name"] == "Model organisms"
        assert meta_values(html, "og:type") == ["website"]
        assert meta_values(html, "description") == ["Building misaligned models."]
