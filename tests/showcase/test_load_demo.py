"""The demo loader: every fact on the three seed pages lands in the database, a second
run changes nothing, and a bad file changes nothing either."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Authorship, Publication, Topic
from showcase.models import SelectedWork

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def seed_papers():
    """The 20 papers as the scholar page (seed 003) shows them."""
    text = (SEEDS / "003_5a4996903e3aaf87.txt").read_text()
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


def test_profile_facts_from_the_forum_and_scholar_pages(demo):
    person = Person.objects.get(slug="evan-hubinger")
    assert person.is_published
    assert person.name == "Evan Hubinger"
    assert person.pronouns == "he/him/his"
    assert person.public_email == "evanjhub@gmail.com"
    assert "leading work on model organisms of misalignment" in person.headline
    assert person.disclaimer.startswith("My posts and comments are my own")
    current = [a.organization.name for a in person.affiliations.filter(is_current=True)]
    previous = [a.organization.short_name for a in person.affiliations.filter(is_current=False)]
    assert current == ["Anthropic"]
    assert previous == ["MIRI", "OpenAI"]
    see = person.links.get(is_highlighted=True)
    assert see.label == "Why I'm joining Anthropic"
    selected = SelectedWork.objects.filter(person=person)
    assert [w.display_title for w in selected] == [
        "Conditioning Predictive Models",
        "ML Alignment Theory Scholars Program Winter 2021",
        "Risks from Learned Optimization",
    ]
    metrics = {m.label: m.value for m in person.reported_metrics.all()}
    assert metrics == {
        "Main category": "AI",
        "h-index": "54",
        "Papers": "20",
        "Citations": "3,987",
        "Novelty": "55%",
        "AI Score": "53",
    }
    assert {m.source for m in person.reported_metrics.all()} == {"an AI research-paper aggregator"}


def test_all_twenty_papers_as_the_scholar_page_lists_them(demo):
    expected = seed_papers()
    assert len(expected) == 20
    assert Publication.objects.published().count() == 20
    for seed in expected:
        paper = Publication.objects.get(title=seed["title"])
        assert paper.published_on == seed["date"]
        assert paper.primary_category_short == seed["category"]
        assert [a.name for a in paper.listed_authorships] == seed["authors"]
        assert paper.has_more_authors == seed["et_al"]
        assert sorted(o.slug for o in paper.organizations.all()) == sorted(seed["orgs"])
        assert paper.abstract == seed["abstract"]
        assert bool(paper.code_url) == seed["has_code"]


def test_every_paper_of_the_scholar_page_is_on_the_profile(demo):
    """Seed 003 is his paper list: all 20 are his. Where it names him among the first
    authors he is linked at his position; elsewhere he is behind "et al."."""
    person = Person.objects.get(slug="evan-hubinger")
    linked = Publication.objects.filter(authorships__person=person).distinct()
    assert linked.count() == 20
    listed = linked.filter(authorships__person=person, authorships__position__isnull=False)
    titles = sorted(title.split(":")[0] for title in listed.values_list("title", flat=True))
    assert titles == [
        "An overview of 11 proposals for building safe advanced AI",
        "Conditioning Predictive Models",
        "Engineering Monosemanticity in Toy Models",
        "Risks from Learned Optimization in Advanced Machine Learning Systems",
        "Sleeper Agents",
        "Uncovering Deceptive Tendencies in Language Models",
    ]
    behind = Authorship.objects.filter(person=person, position__isnull=True)
    assert behind.count() == 14
    assert all(a.publication.has_more_authors for a in behind)


def test_code_link_of_open_character_training(demo):
    paper = Publication.objects.get(title__startswith="Open Character Training")
    assert paper.code_url == "https://github.com/maiush/OpenCharacterTraining"


def test_podcast_episode_as_the_wiki_page_shows_it(demo):
    item = MediaItem.objects.get()
    assert item.is_published
    assert item.title == "AXRP Episode 39 - Evan Hubinger on Model Organisms of Misalignment"
    assert item.kind == MediaItem.Kind.PODCAST_EPISODE
    assert item.outlet.name == "AXRP - the AI X-risk Research Podcast"
    assert item.episode_number == 39
    assert item.published_on is None  # the seed gives no date; none is invented
    assert item.description.startswith("This AXRP podcast episode features Evan Hubinger")
    assert item.importance == 72
    assert item.source_kind == MediaItem.SourceKind.PRIMARY
    assert item.summary.startswith("An interview with Evan Hubinger")
    points = [p.text for p in item.key_points.all()]
    assert len(points) == 5
    assert points[0].startswith("Model organisms of misalignment are intentionally built")
    roles = [(a.person.name, a.role) for a in item.appearances.all()]
    assert roles == [("Evan Hubinger", "guest"), ("Daniel Filan", "host")]
    assert item.cached_content_status == 200
    assert item.cached_content_fetched_at.date() == datetime.date(2026, 4, 9)
    assert item.cached_content_size == 98 * 1024
    assert item.cached_content.startswith("39 - Evan Hubinger on Model Organisms of Misalignment")
    assert item.external_ids == {
        "Longterm Wiki resource id": "ab988e5f8101dd4a",
        "Longterm Wiki stable id": "sid_QQ5GA92X47",
    }
    discussed = sorted(p.title.split(":")[0] for p in item.discusses.all())
    assert discussed == ["Sleeper Agents", "Sycophancy to Subterfuge"]


def test_topic_that_cites_the_episode(demo):
    topic = Topic.objects.get(slug="model-organisms-of-misalignment")
    assert topic.is_published
    assert list(topic.media_items.values_list("episode_number", flat=True)) == [39]


def dump_content():
    models = [
        "profiles.Organization",
        "profiles.Person",
        "profiles.Affiliation",
        "profiles.ProfileLink",
        "profiles.ReportedMetric",
        "publications.Topic",
        "publications.Publication",
        "publications.Authorship",
        "media_items.Outlet",
        "media_items.MediaItem",
        "media_items.Appearance",
        "media_items.KeyPoint",
        "showcase.SelectedWork",
    ]
    from django.apps import apps

    rows = []
    for label in models:
        rows.extend(apps.get_model(label).objects.order_by("pk"))
    return serializers.serialize("json", rows)


def test_second_run_changes_nothing(demo):
    before = dump_content()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert dump_content() == before


def test_if_empty_leaves_an_edited_site_alone(demo):
    Person.objects.filter(slug="evan-hubinger").update(headline="Edited by an editor")
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert Person.objects.get(slug="evan-hubinger").headline == "Edited by an editor"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        ("people: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("people:\n  - slug: x\n", "people[0]"),
        (
            "organizations:\n  - {slug: a, name: A}\npeople:\n  - {slug: p, name: P,"
            " affiliations: [{organization: missing}]}\n",
            "people[0]",
        ),
        (
            "media_items:\n  - {slug: m, title: M, importance: 150}\n",
            "importance: Ensure this value is less than or equal to 100.",
        ),
    ],
)
def test_bad_demo_file_gives_one_clear_error_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "demo.yaml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError) as error:
        call_command("load_demo", "--file", str(path), stdout=StringIO())
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not Person.objects.exists()
    assert not Publication.objects.exists()
    assert not MediaItem.objects.exists()
