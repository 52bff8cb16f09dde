"""core.db.slugs: the one slug policy (API, importer, demo loader)."""

import pytest

from core.db.slugs import first_free, slug_base, unique_slug
from publications.models import Publication
from tests.factories import PublicationFactory


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sleeper Agents: Training Deceptive LLMs", "sleeper-agents-training-deceptive-llms"),
        ("  --Über  Café!--  ", "uber-cafe"),
        ("?!", "item"),
        ("", "item"),
    ],
)
def test_slug_base_is_djangos_slugify(text, slug):
    assert slug_base(text, max_length=255) == slug


def test_slug_base_leaves_room_for_a_number_and_no_dash_at_the_end():
    text = "word " * 100
    slug = slug_base(text, max_length=30)
    assert len(slug) <= 26 and not slug.endswith("-")
    assert slug_base("?!", max_length=30, fallback="paper") == "paper"


def test_ascii_and_unicode_paths_agree_with_slugify():
    from django.utils.text import slugify

    for text in ["A_B  c--d", "Über alles", "x\u00a0y", "Tabs\tand\nlines", "__x__"]:
        assert slug_base(text, max_length=255) == (slugify(text) or "item")


def test_first_free_tries_the_year_then_numbers():
    assert first_free("paper", set()) == "paper"
    assert first_free("paper", {"paper"}, year=2024) == "paper-2024"
    assert first_free("paper", {"paper"}) == "paper-2"
    assert first_free("paper", {"paper", "paper-2024", "paper-2"}, year=2024) == "paper-3"


@pytest.mark.django_db
def test_unique_slug_asks_the_database():
    PublicationFactory(slug="a-title")
    assert unique_slug(Publication, "A Title") == "a-title-2"
    assert unique_slug(Publication, "A Title", year=2020) == "a-title-2020"
    existing = Publication.objects.get()
    assert unique_slug(Publication, "A Title", exclude_pk=existing.pk) == "a-title"
