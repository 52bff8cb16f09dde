"""Every fact on the three seed pages appears on our matching page, as rendered.

The seeds are in ``tests/fixtures/seeds``; the demo content is transcribed from
them (``load_demo``). These tests read the seeds themselves, so a fact that is
on a seed page but missing from ours fails here.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from publications.abstracts import abstract_text

from .page import main_text, page, squash

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
PROFILE_SEED = SEEDS / "001_35511687e6d9da45.txt"
SCHOLAR_SEED = SEEDS / "003_5a4996903e3aaf87.txt"
MEDIA_SEED = SEEDS / "004_e4edfbd9d376209b.txt"
MEDIA_SLUG = "axrp-episode-39-evan-hubinger-model-organisms-of-misalignment"


def scholar_papers():
    """The 20 papers as the scholar page lists them."""
    text = SCHOLAR_SEED.read_text()
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.split("20 Papers", 1)[1]) if b.strip()]
    papers = []
    for head, authors, abstract in zip(blocks[0::3], blocks[1::3], blocks[2::3], strict=True):
        first, title = head.split("\n")
        match = re.match(r"^([A-Z]{2})([A-Z][a-z]{2} \d{1,2}, \d{4})(Code)?$", first)
        names, _, orgs = authors.partition(" · ")
        papers.append(
            {
                "category": match.group(1),
                "date": datetime.datetime.strptime(match.group(2), "%b %d, %Y").date(),
                "has_code": bool(match.group(3)),
                "title": title,
                "authors": names.removesuffix(" et al.").split(", "),
                "et_al": names.endswith(" et al."),
                "orgs": orgs.split(", ") if orgs else [],
                "abstract": abstract,
            }
        )
    return papers


def paper_rows(response):
    return {row.find(cls="paper-title").text: row for row in page(response).find_all(cls="paper")}


def test_profile_shows_everything_the_forum_profile_shows(client, demo):
    response = client.get(reverse("people:detail", kwargs={"slug": "evan-hubinger"}))
    assert response.status_code == 200
    doc = page(response)
    header = doc.find("header", cls="profile-header")
    assert doc.find("h1").text == "Evan Hubinger (he/him/his)"
    text = header.text
    seed = PROFILE_SEED.read_text()
    assert "evanjhub@gmail.com" in seed
    assert header.find("a", href="mailto:evanjhub@gmail.com").text == "evanjhub@gmail.com"
    assert "Research scientist at Anthropic leading work on model organisms of misalignment" in text
    assert "My posts and comments are my own and do not represent Anthropic's positions" in text
    assert "Previously: MIRI, OpenAI" in text
    assert "See: “Why I'm joining Anthropic”" in text
    selected = doc.find("ul", cls="selected-work").text
    for title in (
        "Conditioning Predictive Models",
        "ML Alignment Theory Scholars Program Winter 2021",
        "Risks from Learned Optimization",
    ):
        assert title in seed and title in selected


def test_profile_shows_the_scholar_page_header_as_reported_figures(client, demo):
    response = client.get(reverse("people:detail", kwargs={"slug": "evan-hubinger"}))
    reported = page(response).find(cls="reported")
    # Seed 003 does not name itself: the label says what it is, in a visitor's words,
    # with no wording of our own making (no "seed page", no file names).
    heading = reported.find("h3").text
    assert heading == "Reported by an AI research-paper aggregator · no date given"
    assert not re.search(r"seed|page 0\d\d|demo", heading, re.IGNORECASE)
    figures = dict(
        zip(
            [dt.text for dt in reported.find_all("dt")],
            [dd.text for dd in reported.find_all("dd")],
            strict=True,
        )
    )
    assert figures == {
        "Main category": "AI",
        "h-index": "54",
        "Papers": "20",
        "Citations": "3,987",
        "Novelty": "55%",
        "AI Score": "53",
    }
    # Beside them, figures computed from this site's own data, labelled as such.
    metrics = page(response).find("aside", cls="profile-side").text
    assert "Computed from the papers on this site" in metrics


def test_paper_list_shows_every_paper_as_the_scholar_page_does(client, demo):
    response = client.get(reverse("publications:list"))
    rows = paper_rows(response)
    expected = scholar_papers()
    assert len(expected) == 20
    assert len(rows) == 20
    for seed in expected:
        row = rows[seed["title"]]
        category = row.find("abbr", cls="category")
        assert category.text == seed["category"]
        assert category["title"]  # the full name on hover, e.g. "Machine Learning (cs.LG)"
        assert category["title"] != seed["category"]
        assert row.find("time").text == seed["date"].strftime("%b %-d, %Y")
        authors = row.find(cls="authors").text
        assert authors.startswith(", ".join(seed["authors"]))
        assert ("et al." in authors) == seed["et_al"]
        for org in seed["orgs"]:
            assert org.lower() in row.find(cls="institutions").text.lower()
        # The seed shows one abstract's TeX raw (``features'', \\emph{...}); ours renders
        # it (tests/showcase/test_abstracts.py), so the words are compared as text.
        assert squash(row.find("p", cls="abstract-text").text) == squash(
            abstract_text(seed["abstract"])
        )
        buttons = [a.text for a in row.find(cls="paper-actions").find_all("a")]
        assert ("Code" in buttons) == seed["has_code"]


def test_category_code_has_its_full_name_on_hover(client, demo):
    rows = paper_rows(client.get(reverse("publications:list")))
    row = rows["Studying Large Language Model Generalization with Influence Functions"]
    assert row.find("abbr", cls="category")["title"] == "Machine Learning (cs.LG)"


def test_media_page_shows_everything_the_wiki_page_shows(client, demo):
    response = client.get(reverse("media:detail", kwargs={"slug": MEDIA_SLUG}))
    assert response.status_code == 200
    doc = page(response)
    text = main_text(response)
    seed = MEDIA_SEED.read_text()
    assert (
        doc.find("h1").text == "AXRP Episode 39 - Evan Hubinger on Model Organisms of Misalignment"
    )
    assert "Podcast episode" in text
    description = seed.split("web\n\n", 1)[1].split("\n", 1)[0]
    assert description in text
    assert "Importance 72/100" in text
    assert "Primary source" in text
    summary = seed.split("Summary\n\n", 1)[1].split("\n", 1)[0]
    assert squash(summary) in squash(doc.find("section", **{"aria-labelledby": "summary-h"}).text)
    points = [li.text for li in doc.find("ul", cls="key-points").find_all("li")]
    assert len(points) == 5
    for point in points:
        assert point in seed
    people = doc.find("aside", cls="detail-side").text
    assert "Evan Hubinger (guest)" in people
    assert "Daniel Filan (host)" in people
    discussed = doc.find("section", **{"aria-labelledby": "discusses-h"}).text
    assert "Sleeper Agents" in discussed and "Sycophancy to Subterfuge" in discussed
    cited = doc.find("section", **{"aria-labelledby": "cited-h"})
    rows = [[cell.text for cell in tr.find_all("td")] for tr in cited.find("tbody").find_all("tr")]
    assert ["Model organisms of misalignment", "Topic"] in rows
    assert ["Evan Hubinger", "Person"] in rows
    cache = doc.find("section", **{"aria-labelledby": "cache-h"}).text
    assert "HTTP 200" in cache
    assert "fetched Apr 9, 2026" in cache
    assert "98 KB" in seed and "98 KB" in cache
    preview = doc.find("pre", cls="preview").text
    assert preview.startswith("39 - Evan Hubinger on Model Organisms of Misalignment")
    assert "ab988e5f8101dd4a" in text and "sid_QQ5GA92X47" in text


def test_media_page_shows_its_stable_id_and_permalink(client, demo):
    response = client.get(reverse("media:detail", kwargs={"slug": MEDIA_SLUG}))
    permalink = page(response).find(cls="permalink").find("a")["href"]
    assert client.get(permalink)["Location"] == reverse("media:detail", kwargs={"slug": MEDIA_SLUG})
