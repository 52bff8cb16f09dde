"""The search page (showcase's view over ``search.engine``), on whichever database the
suite runs on (SQLite or PostgreSQL): the same behaviour is expected from both. The search
app's own modules are tested in ``tests/search/``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.models import Publication
from search.backends.postgres import document
from search.engine import KINDS, search_queryset
from search.query import MAX_QUERY_LENGTH
from tests.factories import (
    AffiliationFactory,
    AuthorshipFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    TopicFactory,
)
from tests.search.helpers import found_titles, sqlite_only

from .page import main_text, page

pytestmark = pytest.mark.django_db

URL = reverse("site:search")


def hits(response):
    return [h.find("h3").text for h in page(response).find_all("li", cls="hit")]


def tabs(response):
    return {
        a.text.rsplit(" ", 1)[0]: int(a.text.rsplit(" ", 1)[1])
        for a in page(response).find("ul", cls="tabs").find_all("a")
    }


@pytest.fixture
def corpus(db):
    PersonFactory(name="Evan Hubinger", headline="Works on deceptive alignment")
    title_match = PublicationFactory(
        title="Deceptive alignment in language models", abstract="We study a phenomenon."
    )
    abstract_match = PublicationFactory(
        title="A survey of training", abstract="Among other things, deceptive alignment."
    )
    PublicationFactory(title="Unrelated optimisation", abstract="Nothing to see here.")
    MediaItemFactory(
        title="Episode on training",
        summary="A conversation about deceptive alignment.",
        cached_content="",
    )
    MediaItemFactory(
        title="Another episode",
        summary="Mostly about other things.",
        cached_content="Much later in the transcript: deceptive alignment comes up.",
    )
    TopicFactory(name="Deceptive alignment", summary="Models that look aligned but are not.")
    return {"title_match": title_match, "abstract_match": abstract_match}


def test_counts_per_type_are_tabs(client, corpus):
    response = client.get(URL, {"q": "deceptive alignment"})
    assert response.status_code == 200
    assert tabs(response) == {"All": 6, "People": 1, "Papers": 2, "Media": 2, "Topics": 1}


def test_title_ranks_above_abstract(client, corpus):
    response = client.get(URL, {"q": "deceptive alignment", "type": "papers"})
    assert hits(response) == ["Deceptive alignment in language models", "A survey of training"]


def test_media_summary_ranks_above_the_cached_transcript(client, corpus):
    response = client.get(URL, {"q": "deceptive alignment", "type": "media"})
    assert hits(response) == ["Episode on training", "Another episode"]


def test_matched_words_are_highlighted_in_title_and_snippet(client, corpus):
    response = client.get(URL, {"q": "deceptive alignment", "type": "media"})
    html = response.content.decode()
    assert "<mark>deceptive</mark> <mark>alignment</mark>" in html
    snippet_of_second = page(response).find_all("li", cls="hit")[1].find("p", cls="snippet")
    assert "deceptive alignment comes up" in snippet_of_second.text


def test_all_tab_has_a_section_per_type_with_links_to_the_rest(client, corpus):
    doc = page(client.get(URL, {"q": "deceptive alignment"}))
    headings = [h.text for h in doc.find_all("h2") if h.get("id", "").startswith("hits-")]
    assert headings == ["People 1", "Papers 2", "Media 2", "Topics 1"]


def test_snippets_are_escaped_and_only_mark_is_added(client, db):
    PublicationFactory(
        title="<b>Bold</b> claims about misalignment",
        abstract='<script>alert("x")</script> misalignment & <img src=x onerror=alert(1)>',
    )
    response = client.get(URL, {"q": "misalignment", "type": "papers"})
    html = response.content.decode()
    hit = html[html.index('<li class="hit">') : html.index("</li>", html.index('<li class="hit">'))]
    assert "<script>" not in hit and "<img" not in hit and "<b>" not in hit
    assert "&lt;script&gt;" in hit
    assert "&lt;b&gt;Bold&lt;/b&gt; claims about <mark>misalignment</mark>" in hit
    assert hit.count("<mark>") == 2


def test_drafts_are_never_found_or_counted(client, db):
    PublicationFactory(title="Secret misalignment result", is_published=False)
    PersonFactory(name="Hidden Misalignment Researcher", is_published=False)
    MediaItemFactory(title="Unreleased misalignment episode", is_published=False)
    TopicFactory(name="Draft misalignment topic", is_published=False)
    response = client.get(URL, {"q": "misalignment"})
    assert tabs(response) == {"All": 0, "People": 0, "Papers": 0, "Media": 0, "Topics": 0}
    assert "Secret" not in response.content.decode()


def test_staff_find_drafts_marked_as_drafts(staff_client, db):
    PublicationFactory(title="Secret misalignment result", is_published=False)
    response = staff_client.get(URL, {"q": "misalignment", "type": "papers"})
    hit = page(response).find("li", cls="hit")
    assert "Secret misalignment result" in hit.text
    assert hit.find("span", cls="draft").text == "Draft"


def test_authors_names_find_their_papers(client, db):
    paper = PublicationFactory(title="A paper about nothing in particular", abstract="Quiet.")
    AuthorshipFactory(publication=paper, position=1, name="Carson Denison")
    response = client.get(URL, {"q": "Denison", "type": "papers"})
    assert hits(response) == ["A paper about nothing in particular"]


def test_excluded_words_leave_results_out(client, corpus):
    response = client.get(URL, {"q": "deceptive alignment -survey", "type": "papers"})
    assert hits(response) == ["Deceptive alignment in language models"]


def test_no_results_suggest_a_spelling_and_ways_to_browse(client, corpus):
    response = client.get(URL, {"q": "deceptve alignmnt"})
    assert response.status_code == 200
    text = main_text(response)
    assert "Nothing matches “deceptve alignmnt”." in text
    suggestion = page(response).find("section", cls="notice").find("a")
    assert suggestion.text == "deceptive alignment"
    assert client.get(URL + suggestion["href"]).status_code == 200
    assert "Deceptive alignment" in text  # a topic to browse


def test_empty_query_offers_browsing(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Browse instead" in main_text(response)


def test_only_common_words_get_a_notice(client, corpus):
    response = client.get(URL, {"q": "the of and"})
    assert response.status_code == 200
    assert "Those words are too common to search for" in main_text(response)


@pytest.mark.parametrize(
    "q",
    [
        "alignment " * 200,
        "x" * 7_000,  # just under the 8 KB query-string limit (longer gets a 414)
        "a&b|c!d:*(e)<f>'\\",
        '"unclosed phrase',
        "--- - -",
        "\x00\x01 alignment \x7f",
        "ｄｅｃｅｐｔｉｖｅ",
        "OR OR OR",
        "-alignment",
    ],
)
def test_odd_and_overlong_queries_never_fail(client, corpus, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    for kind in KINDS:
        assert client.get(URL, {"q": q, "type": kind}).status_code == 200


def test_overlong_queries_are_shortened_with_a_notice(client, corpus):
    response = client.get(URL, {"q": "deceptive " * 100})
    text = main_text(response)
    assert f"longer than {MAX_QUERY_LENGTH} characters" in text
    assert tabs(response)["Papers"] == 2


def test_unknown_type_shows_everything(client, corpus):
    response = client.get(URL, {"q": "deceptive", "type": "spaceships"})
    assert response.status_code == 200
    assert page(response).find("a", **{"aria-current": "page"}).text.startswith("All")


def test_type_tab_is_paginated_with_rel_links(client, db):
    for n in range(25):
        PublicationFactory(title=f"Reward hacking study {n}")
    response = client.get(URL, {"q": "reward hacking", "type": "papers"})
    assert len(hits(response)) == 20
    next_link = page(response).find("a", rel="next")
    assert next_link["href"] == "?q=reward+hacking&type=papers&page=2"
    second = client.get(URL + next_link["href"])
    assert len(hits(second)) == 5
    assert page(second).find("a", rel="prev")["href"] == "?q=reward+hacking&type=papers"
    huge = client.get(URL, {"q": "reward hacking", "type": "papers", "page": "9" * 50})
    assert huge.status_code == 200
    assert len(hits(huge)) == 5


def test_search_queryset_narrows_any_queryset_the_same_way(corpus):
    found = search_queryset(Publication.objects.published(), "papers", "deceptive")
    assert [p.title for p in found] == [
        "Deceptive alignment in language models",
        "A survey of training",
    ]
    assert all(p.rank > 0 for p in found)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored documents are PostgreSQL-only"
)
@pytest.mark.parametrize("key", list(KINDS))
def test_stored_search_document_is_the_document_expression(corpus, key):
    """The generated column that search matches and ranks on holds exactly what
    ``document(kind)`` builds from the row's current text, after inserts and edits."""
    from search.backends.postgres import StoredDocument

    model = KINDS[key].model
    row = model.objects.order_by("pk").first()
    field = KINDS[key].fields[-1][0]
    setattr(row, field, (getattr(row, field) or "") + " freshly edited words")
    row.save()
    pairs = list(
        model.objects.annotate(computed=document(KINDS[key]), stored=StoredDocument())
        .order_by("pk")
        .values_list("computed", "stored")
    )
    assert pairs and all(computed == stored for computed, stored in pairs)
    assert "fresh" in pairs[0][1]
    titles = list(
        model.objects.annotate(
            computed=document(KINDS[key], "A"), stored=StoredDocument("search_title")
        ).values_list("computed", "stored")
    )
    assert titles and all(computed == stored for computed, stored in titles)


def test_draft_outlets_and_organizations_are_not_named_in_results(client):
    outlet = OutletFactory(name="Secret Podcast", is_published=False)
    MediaItemFactory(title="An interview on zymurgy", outlet=outlet)
    person = PersonFactory(name="Zymurgy Expert")
    AffiliationFactory(
        person=person, organization=OrganizationFactory(name="Hidden Lab", is_published=False)
    )
    response = client.get(URL, {"q": "zymurgy"})
    text = main_text(response)
    assert "An interview on zymurgy" in text and "Zymurgy Expert" in text
    html = response.content.decode()
    assert "Secret Podcast" not in html and "Hidden Lab" not in html


# -- bounded search: counts capped, ranking over candidates -----------------------------------
@pytest.fixture
def small_cap(monkeypatch):
    """A search ranks and counts at most MATCH_CAP matches per type; 3 here, so a handful
    of rows shows what thousands would."""
    monkeypatch.setattr("search.limits.MATCH_CAP", 3)


def tab_labels(response):
    return {
        a.text.rsplit(" ", 1)[0]: a.text.rsplit(" ", 1)[1]
        for a in page(response).find("ul", cls="tabs").find_all("a")
    }


def test_counts_past_the_cap_read_as_more(client, db, small_cap):
    for n in range(5):
        PublicationFactory(title=f"Reward hacking study {n}")
    PublicationFactory(title="Another reward model", is_published=False)
    PersonFactory(name="Reward Researcher")
    response = client.get(URL, {"q": "reward"})
    assert tab_labels(response) == {
        "All": "4+",
        "People": "1",
        "Papers": "3+",
        "Media": "0",
        "Topics": "0",
    }
    text = main_text(response)
    assert "More than 4 results for “reward”" in text
    assert "More papers" in text  # the link to the Papers tab, without a number


def test_a_type_past_the_cap_lists_the_best_up_to_the_cap(client, db, small_cap):
    for n in range(5):
        PublicationFactory(title=f"Reward hacking study {n}", abstract="Nothing else.")
    response = client.get(URL, {"q": "reward", "type": "papers"})
    assert len(hits(response)) == 3
    assert "More than 3 papers match “reward”; the best 3 are listed" in main_text(response)
    past = client.get(URL, {"q": "reward", "type": "papers", "page": "2"})
    assert past.status_code == 200
    assert "There is no page 2" in main_text(past)
    assert hits(past) == hits(response)


def test_a_title_match_outranks_newer_abstracts_past_the_cap(client, db, small_cap):
    """The newest matches are ranked first, but a title match is always a candidate: an
    older paper *titled* with the words is not lost among newer ones that mention them."""
    PublicationFactory(title="Sycophancy in language models", abstract="A study.")
    for n in range(6):
        PublicationFactory(title=f"Survey {n}", abstract="Among other things, sycophancy.")
    response = client.get(URL, {"q": "sycophancy", "type": "papers"})
    assert hits(response)[0] == "Sycophancy in language models"
    assert len(hits(response)) == 3
    everything = client.get(URL, {"q": "sycophancy"})
    assert hits(everything)[0] == "Sycophancy in language models"


def test_below_the_cap_every_match_is_ranked_and_counted(client, corpus, small_cap):
    response = client.get(URL, {"q": "deceptive alignment", "type": "papers"})
    assert tab_labels(response)["Papers"] == "2"
    assert hits(response) == ["Deceptive alignment in language models", "A survey of training"]


def test_excluded_words_hold_for_title_matches_past_the_cap(client, db, small_cap):
    PublicationFactory(title="Sycophancy in language models", abstract="A survey.")
    for n in range(6):
        PublicationFactory(title=f"Study {n}", abstract="Sycophancy measured.")
    response = client.get(URL, {"q": "sycophancy -survey", "type": "papers"})
    assert "Sycophancy in language models" not in hits(response)
    assert len(hits(response)) == 3


def test_papers_by_an_author_rank_with_papers_that_mention_the_name(client, db):
    by_her = PublicationFactory(title="On reward models", abstract="Quiet.")
    AuthorshipFactory(publication=by_her, position=1, name="Ada Denison")
    PublicationFactory(title="Unrelated", abstract="Nothing.")
    response = client.get(URL, {"q": "Denison"})
    assert hits(response) == ["On reward models"]
    assert tab_labels(response)["Papers"] == "1"


# -- full-text matching: what both databases do ----------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        '"zymurgy',
        'zymurgy"',
        'zy"murgy',
        "NEAR(zymurgy brewing)",
        "NEAR/2",
        "zymurgy*",
        "*",
        "* zymurgy",
        "^zymurgy",
        "title:zymurgy",
        "abstract : zymurgy",
        "{title}: zymurgy",
        "(zymurgy",
        "zymurgy)",
        "()",
        "AND",
        "OR zymurgy",
        "zymurgy NOT",
        "NOT zymurgy",
        "zymurgy AND OR NOT brewing",
        "-zymurgy zymurgy",
        "- -- ---",
        "zymürgy",
        "Ζυμουργία 酿酒 🍺",
        "'; DROP TABLE publications_publication; --",
        "\\",
        "—",
        "z" * 1000,
        ("zymurgy " * 200).strip(),
    ],
)
def test_hostile_queries_never_fail(client, db, q):
    PublicationFactory(title="Zymurgy and brewing", abstract="")
    for kind in ["all", *KINDS]:
        assert client.get(URL, {"q": q, "type": kind}).status_code == 200
    for kind in KINDS:
        list(search_queryset(KINDS[kind].model.objects.all(), kind, q))
    assert Publication.objects.count() == 1


# -- SQLite without FTS5 --------------------------------------------------------------------------
@sqlite_only
def test_sqlite_without_fts5_falls_back_to_containment(client, corpus, monkeypatch):
    monkeypatch.setattr("search.backends.sqlite.fts5_ready", lambda connection: False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "deceptive alignment", "type": "papers"})
    assert hits(response) == ["Deceptive alignment in language models", "A survey of training"]
    assert not any("_fts" in q["sql"] for q in queries.captured_queries)
    assert found_titles("alignmen") == [
        "Deceptive alignment in language models",
        "A survey of training",
    ]
