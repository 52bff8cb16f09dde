from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from media_items.models import MediaItem
from publications.models import Publication
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def generate(**options):
    out = StringIO()
    args = [f"--{name}={value}" for name, value in options.items()]
    call_command("generate_bench_data", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return list(Publication.objects.order_by("slug").values_list("slug", "title", "citation_count"))


def test_same_seed_gives_the_same_content():
    with transaction.atomic():
        generate(people=5, publications=40, media=4, seed=7)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Publication.objects.exists()
    generate(people=5, publications=40, media=4, seed=7)
    assert snapshot() == first
    generate(people=5, publications=40, media=4, seed=8)
    second_batch = {title for slug, title, _ in snapshot() if int(slug.rsplit("-", 1)[1]) >= 40}
    assert second_batch.isdisjoint({title for _, title, _ in first})


def test_sizes_are_realistic():
    output = generate(people=10, publications=60, media=10, seed=1)
    assert "Generated 10 people, 60 publications" in output
    for abstract in Publication.objects.values_list("abstract", flat=True):
        assert 150 <= len(abstract.split()) <= 250
    authors = Publication.objects.annotate(n=Count("authorships")).values_list("n", flat=True)
    assert min(authors) >= 1
    assert max(authors) <= 30
    transcripts = [len(t) for t in MediaItem.objects.values_list("cached_content", flat=True) if t]
    assert all(50_000 <= size <= 100_020 for size in transcripts)


def test_refuses_a_database_with_real_content():
    PublicationFactory(slug="a-real-paper")
    with pytest.raises(CommandError, match="not bench data"):
        generate(people=2, publications=3, media=1)
    assert Publication.objects.count() == 1


def test_a_second_batch_adds_to_a_bench_database():
    generate(people=2, publications=10, media=1, seed=3)
    generate(people=2, publications=10, media=1, seed=3)
    assert Publication.objects.count() == 20


def test_abstracts_have_a_long_tail_of_rare_terms():
    """A few made-up terms per abstract, Zipf-distributed: the commonest is in many
    papers, most are in one or two, so the search bench has selective words to look for."""
    from collections import Counter

    from bench.fake_content import RARE_PER_ABSTRACT, RARE_WORDS

    generate(people=5, publications=300, media=1, seed=2)
    rare = set(RARE_WORDS)
    papers_with = Counter()
    for abstract in Publication.objects.values_list("abstract", flat=True):
        terms = [w for w in abstract.lower().rstrip(".").split() if w in rare]
        assert len(terms) == RARE_PER_ABSTRACT
        papers_with.update(set(terms))
    assert papers_with[RARE_WORDS[0]] >= 40
    assert sum(1 for n in papers_with.values() if n <= 2) > len(papers_with) / 2
