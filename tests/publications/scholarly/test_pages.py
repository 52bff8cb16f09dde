"""The metadata and citing tools on the real pages: what a crawler, a feed reader and
Zotero's connector find there."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AppearanceFactory,
    AuthorshipFactory,
    MediaItemFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)

from .conftest import make_paper
from .pages import hrefs as read_hrefs
from .pages import json_ld, links, meta_values, read

pytestmark = pytest.mark.django_db
BREAKOUT = "Deception </script><script>alert(1)</script>"


def feeds_advertised(html):
    return [
        link["href"]
        for link in links(html, "alternate")
        if link.get("type") == "application/atom+xml"
    ]


class TestPaperPage:
    def test_metadata_and_cite_box(self, client, sleeper_agents):
        html = client.get(sleeper_agents.get_absolute_url()).content.decode()
        [document] = json_ld(html)
        assert document["@type"] == "ScholarlyArticle"
        assert [a["name"] for a in document["author"]] == meta_values(html, "citation_author")
        assert meta_values(html, "citation_author") == [
            "Evan Hubinger",
            "Carson Denison",
            "Jesse Mu",
            "Ludwig van Beethoven",
        ]
        assert meta_values(html, "citation_doi") == [sleeper_agents.doi]
        canonical = f"http://testserver{sleeper_agents.get_absolute_url()}"
        assert [link["href"] for link in links(html, "canonical")] == [canonical]
        assert meta_values(html, "og:url") == [canonical]
        assert len(meta_values(html, "description")) == 1
        # The cite box: a formatted reference, BibTeX to copy, RIS and CSL-JSON files.
        assert "Copy BibTeX" in html and "Copy citation" in html
        assert "@misc{hubinger2024sleeper," in html
        for fmt in ("bib", "ris", "json"):
            assert reverse("publications:cite", args=[sleeper_agents.slug, fmt]) in html
        assert "/static/js/copy.js" in html

    def test_hostile_title_stays_inside_its_script(self, client):
        paper = make_paper(title=BREAKOUT)
        html = client.get(paper.get_absolute_url()).content.decode()
        assert [d["name"] for d in json_ld(html)] == [BREAKOUT]
        assert "<script>alert(1)" not in html


class TestListPages:
    def test_every_paper_on_the_list_has_a_coins_span(self, client):
        papers = [make_paper(title=f"Paper {n}") for n in range(5)]
        PublicationFactory(title="Hidden draft", is_published=False)
        html = client.get(reverse("publications:list")).content.decode()
        titles = sorted(parse_qs(span)["rft.atitle"][0] for span in read(html).coins)
        assert titles == sorted(p.title for p in papers)

    def test_filtered_list_links_its_own_exports_and_feed(self, client):
        ada = PersonFactory(slug="ada")
        AuthorshipFactory(publication=PublicationFactory(kind="preprint"), position=1, person=ada)
        html = client.get(reverse("publications:list") + "?author=ada&kind=preprint&page=1")
        html = html.content.decode()
        hrefs = [a for a in read_hrefs(html) if "export." in a or "feed.atom" in a]
        expected_query = {"author": ["ada"], "kind": ["preprint"]}
        for path in ("export.bib", "export.ris", "export.json", "feed.atom"):
            [href] = [h for h in hrefs if h.startswith(f"/publications/{path}?")]
            assert parse_qs(urlsplit(href).query) == expected_query
        advertised = feeds_advertised(html)
        assert any("author=ada" in href for href in advertised)
        assert reverse("publications:feed") in advertised  # the site-wide feed too
        assert reverse("publications:feed") in hrefs  # in the footer

    def test_media_list_links_its_feed(self, client):
        MediaItemFactory()
        html = client.get(reverse("media:list") + "?kind=podcast_episode").content.decode()
        assert any(
            urlsplit(h).path == reverse("media:feed") and "kind=podcast_episode" in h
            for h in read_hrefs(html)
        )


class TestProfile:
    def test_person_metadata_exports_and_feed(self, client):
        person = PersonFactory(slug="ada", name="Ada Lovelace", orcid="0000-0002-1825-0097")
        AuthorshipFactory(publication=PublicationFactory(), position=1, person=person)
        html = client.get(person.get_absolute_url()).content.decode()
        [page] = json_ld(html)
        assert page["mainEntity"]["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
        assert meta_values(html, "og:type") == ["profile"]
        assert reverse("people:feed", args=["ada"]) in feeds_advertised(html)
        hrefs = read_hrefs(html)
        for fmt in ("bib", "ris", "json"):
            assert reverse("people:export", args=["ada", fmt]) in hrefs
        assert len(read(html).coins) == 1


class TestMediaAndTopicPages:
    def test_media_item_json_ld(self, client):
        item = MediaItemFactory(kind="video", published_on=datetime.date(2024, 1, 1))
        AppearanceFactory(media_item=item)
        html = client.get(item.get_absolute_url()).content.decode()
        [document] = json_ld(html)
        assert document["@type"] == "VideoObject"
        assert meta_values(html, "og:type") == ["video.other"]

    def test_topic_json_ld(self, client):
        topic = TopicFactory(name="Interpretability")
        html = client.get(topic.get_absolute_url()).content.decode()
        [document] = json_ld(html)
        assert document["name"] == "Interpretability"
        assert [link["href"] for link in links(html, "canonical")] == [
            f"http://testserver{topic.get_absolute_url()}"
        ]


class TestQueryCounts:
    """The citing tools and metadata read prefetched rows: a page with many papers and
    authors runs as many queries as a page with few."""

    def count(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_paper_list(self, client):
        PublicationFactory.create_batch(2, authors=2)
        small = self.count(client, reverse("publications:list"))
        PublicationFactory.create_batch(23, authors=8)
        assert self.count(client, reverse("publications:list")) == small

    def test_paper_page(self, client):
        few = make_paper(authors=["A One"])
        many = make_paper(authors=[f"Author {n}" for n in range(40)])
        assert self.count(client, many.get_absolute_url()) == self.count(
            client, few.get_absolute_url()
        )

    def test_profile(self, client):
        person = PersonFactory(slug="ada")
        AuthorshipFactory(publication=PublicationFactory(authors=1), position=5, person=person)
        small = self.count(client, person.get_absolute_url())
        for _ in range(12):
            AuthorshipFactory(publication=PublicationFactory(authors=6), position=9, person=person)
        assert self.count(client, person.get_absolute_url()) == small
