"""Deterministic, realistic benchmark content, bulk-inserted.

``generate(people=…, publications=…, media=…, seed=…)`` fills an empty (or bench-only)
database with people, organizations, papers with 1–30 ordered authors and their
affiliations, abstracts of 150–250 words (a common vocabulary plus a Zipf-distributed
long tail of made-up terms), arXiv categories, citation histories,
topics, outlets and media items with key points and, on some, 50–100 KB cached
transcripts. The same seed always gives the same content.

Benchmark tooling, not part of any app: ``manage.py generate_bench_data`` (a thin
command in showcase) runs it; the benchmarks in ``bench/`` and the tests call that.
"""

import datetime
import itertools
import random
from dataclasses import dataclass

from django.db import transaction

from core.db.stable_ids import new_stable_id
from media_items.models import Appearance, KeyPoint, MediaItem, Outlet
from profiles.models import Affiliation, Organization, Person
from publications.models import Authorship, Publication, Topic

BENCH_PREFIX = "bench-"
BATCH = 2000

WORDS = (
    "model alignment learning language reward training deceptive agents policy gradient "
    "transformer attention scaling inference interpretability features circuits sparse "
    "autoencoder evaluation benchmark robustness adversarial safety oversight debate "
    "amplification optimization generalization memorization representation probing "
    "causal intervention steering activation fine-tuning preference feedback human "
    "constitutional monitoring sabotage auditing hidden objectives emergent behaviour "
    "capabilities dataset distribution shift uncertainty calibration reasoning chain "
    "thought faithfulness decomposition planning search tree game theory cooperation "
    "multi-agent communication protocol verification formal proof theorem bounds "
    "complexity sample efficiency exploration curriculum environment simulation"
).split()
GIVEN = (
    "Ada Alan Amara Ansh Benjamin Carson Cem Chris Daniel Elena Ethan Evan Fazl Grace "
    "Hiro Ines Jan Jesse Johannes Juhan Kamilė Karina Lena Liang Mei Monte Nadia Nina "
    "Olli Priya Roger Ryan Samuel Sharan Tamera Tomek Trenton Vladimir Yu Zoë"
).split()
FAMILY = (
    "Anil Bae Balesni Barez Benton Bricken Chen Denison Filan Gabrieli Greenblatt Grosse "
    "Hubinger Jermyn Järviniemi Korbak Lanham Lukošiūtė MacDiarmid Marks Mikulik Mu "
    "Nguyen Perez Radhakrishnan Ringer Schiefer Schulz Treutlein Uesato van Merwijk "
    "Wagner Wang Wright Zhang Müller Šimek Dvořák Ó Briain"
).split()


def _rare_words(n=20_000):
    """Made-up technical terms (``zorvekal``...), a long tail for abstracts: real
    abstracts use a few words that only a handful of papers share, which is what makes
    a selective search selective."""

    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = ["".join(parts) for parts in itertools.product(syllables, repeat=3)]
    random.Random(0).shuffle(words)
    return words[:n]


#: The long tail, most frequent first: word k is drawn with weight 1 / (k + 1) (Zipf).
RARE_WORDS = _rare_words()
_RARE_CUMULATIVE = list(itertools.accumulate(1 / (k + 1) for k in range(len(RARE_WORDS))))
RARE_PER_ABSTRACT = 3

CATEGORIES = ["cs.LG", "cs.AI", "cs.CL", "cs.CR", "cs.CV", "stat.ML", "cs.CY", "cs.MA"]
VENUES = ["NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "TMLR", "JMLR", "AAAI", ""]


class NotABenchDatabase(Exception):
    """The database holds real content; refusing to add bench data to it."""


@dataclass
class BenchCounts:
    people: int
    publications: int
    authorships: int
    media: int


def ensure_bench_database():
    """Refuse to run unless every person and paper present is bench data."""
    for model in (Person, Publication, MediaItem):
        if model.objects.exclude(slug__startswith=BENCH_PREFIX).exists():
            raise NotABenchDatabase(
                f"the database already has {model._meta.verbose_name_plural} that are not "
                "bench data; run this on an empty database (e.g. DATABASE_URL=sqlite:///bench.db)"
            )


def generate(*, people=100, publications=1000, media=100, seed=1, progress=None) -> BenchCounts:
    ensure_bench_database()
    # A second batch into the same bench database continues where the first one ended.
    offset = Publication.objects.count()
    rng = random.Random(f"{seed}-{offset}")

    def stable_id():
        return new_stable_id(rng.randbytes)

    def words(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def abstract():
        common = [rng.choice(WORDS) for _ in range(rng.randint(150, 250) - RARE_PER_ABSTRACT)]
        for term in rng.choices(RARE_WORDS, cum_weights=_RARE_CUMULATIVE, k=RARE_PER_ABSTRACT):
            common.insert(rng.randrange(len(common)), term)
        return " ".join(common).capitalize() + "."

    def text_of_size(n_bytes):
        parts, size = [], 0
        while size < n_bytes:
            word = rng.choice(WORDS)
            parts.append(word)
            size += len(word) + 1
        return " ".join(parts)

    def title():
        text = words(rng.randint(5, 12))
        return text[0].upper() + text[1:]

    def day(start_year=2005, end_year=2026):
        start = datetime.date(start_year, 1, 1).toordinal()
        return datetime.date.fromordinal(
            rng.randint(start, datetime.date(end_year, 6, 30).toordinal())
        )

    def note(message):
        if progress:
            progress(message)

    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"Bench institute {i}",
                    short_name=f"BI{i}",
                    slug=f"{BENCH_PREFIX}org-{offset}-{i}",
                    kind=rng.choice(Organization.Kind.values),
                    stable_id=stable_id(),
                    is_published=True,
                )
                for i in range(max(5, people // 10))
            ],
            batch_size=BATCH,
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    slug=f"{BENCH_PREFIX}person-{offset}-{i}",
                    headline=words(10).capitalize(),
                    bio=words(120),
                    stable_id=stable_id(),
                    is_published=rng.random() > 0.05,
                    is_featured=i < 6,
                )
                for i in range(people)
            ],
            batch_size=BATCH,
        )
        Affiliation.objects.bulk_create(
            [
                Affiliation(person=p, organization=rng.choice(orgs), role="Researcher")
                for p in persons
            ],
            batch_size=BATCH,
        )
        topics = Topic.objects.bulk_create(
            [
                Topic(
                    name=f"Bench topic {offset}-{i}",
                    slug=f"{BENCH_PREFIX}topic-{offset}-{i}",
                    summary=words(30),
                    stable_id=stable_id(),
                    is_published=True,
                )
                for i in range(20)
            ],
            batch_size=BATCH,
        )
        note(f"{len(persons)} people, {len(orgs)} organizations")

        authorship_count = 0
        topic_links = []
        AuthorshipAffiliation = Authorship.affiliations.through
        PublicationTopic = Publication.topics.through
        for start in range(0, publications, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, publications)):
                published_on = day()
                cites = int(rng.paretovariate(1.2) * 3) - 3
                history = {}
                remaining = max(cites, 0)
                for year in range(published_on.year, 2027):
                    if remaining <= 0:
                        break
                    share = rng.randint(0, remaining)
                    history[str(year)] = share
                    remaining -= share
                arxiv = f"{published_on:%y%m}.{offset + i:05d}"
                batch.append(
                    Publication(
                        title=title(),
                        slug=f"{BENCH_PREFIX}paper-{offset + i}",
                        abstract=abstract(),
                        kind=rng.choice(Publication.Kind.values),
                        published_on=published_on,
                        venue=rng.choice(VENUES),
                        doi=f"10.5555/bench.{offset + i}",
                        arxiv_id=arxiv if rng.random() < 0.7 else "",
                        arxiv_primary_category=rng.choice(CATEGORIES),
                        arxiv_categories=rng.sample(CATEGORIES, 2),
                        code_url=f"https://example.org/code/{i}" if rng.random() < 0.3 else "",
                        pdf_url=f"https://example.org/pdf/{i}.pdf",
                        citation_count=max(cites, 0),
                        citation_count_as_of=datetime.date(2026, 11, 1),
                        citation_source="Bench",
                        citations_by_year=history,
                        is_featured=rng.random() < 0.02,
                        stable_id=stable_id(),
                        is_published=rng.random() > 0.03,
                    )
                )
            papers = Publication.objects.bulk_create(batch, batch_size=BATCH)
            authorships = []
            for paper in papers:
                n_authors = min(30, max(1, int(rng.expovariate(1 / 6)) + 1))
                linked = set()
                for position in range(1, n_authors + 1):
                    person = rng.choice(persons) if rng.random() < 0.35 else None
                    authorships.append(
                        Authorship(
                            publication=paper,
                            position=position,
                            name=person.name
                            if person
                            else f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                            # A person is an author of a paper once (the admin's rule); a
                            # second draw of them is a namesake (and the draws stay the same).
                            person=person if person not in linked else None,
                            is_equal_contribution=position <= 2 and rng.random() < 0.1,
                            is_corresponding=position == n_authors and rng.random() < 0.3,
                        )
                    )
                    linked.add(person)
                for topic in rng.sample(topics, rng.randint(0, 2)):
                    topic_links.append(PublicationTopic(publication=paper, topic=topic))
            created = Authorship.objects.bulk_create(authorships, batch_size=BATCH)
            AuthorshipAffiliation.objects.bulk_create(
                [
                    AuthorshipAffiliation(authorship=a, organization=rng.choice(orgs))
                    for a in created
                    if rng.random() < 0.6
                ],
                batch_size=BATCH,
            )
            authorship_count += len(created)
            note(f"{start + len(papers)} / {publications} papers")
        PublicationTopic.objects.bulk_create(topic_links, batch_size=BATCH)

        outlets = Outlet.objects.bulk_create(
            [
                Outlet(
                    name=f"Bench podcast {offset}-{i}",
                    slug=f"{BENCH_PREFIX}outlet-{offset}-{i}",
                    stable_id=stable_id(),
                    is_published=True,
                )
                for i in range(max(2, media // 20))
            ],
            batch_size=BATCH,
        )
        items = MediaItem.objects.bulk_create(
            [
                MediaItem(
                    title=title(),
                    slug=f"{BENCH_PREFIX}media-{offset}-{i}",
                    kind=rng.choice(MediaItem.Kind.values),
                    outlet=rng.choice(outlets),
                    episode_number=i + 1,
                    published_on=day(2015),
                    description=words(25).capitalize(),
                    summary=words(rng.randint(80, 160)),
                    importance=rng.randint(0, 100),
                    cached_content=(
                        text_of_size(rng.randint(50_000, 100_000)) if rng.random() < 0.3 else ""
                    ),
                    stable_id=stable_id(),
                    is_published=rng.random() > 0.05,
                )
                for i in range(media)
            ],
            batch_size=BATCH,
        )
        KeyPoint.objects.bulk_create(
            [
                KeyPoint(media_item=item, position=k, text=words(20).capitalize() + ".")
                for item in items
                for k in range(rng.randint(2, 6))
            ],
            batch_size=BATCH,
        )
        appearances = []
        for item in items:
            for position, person in enumerate(rng.sample(persons, min(len(persons), 2))):
                role = Appearance.Role.HOST if position else Appearance.Role.GUEST
                appearances.append(
                    Appearance(media_item=item, person=person, role=role, position=position)
                )
        Appearance.objects.bulk_create(appearances, batch_size=BATCH)
        note(f"{len(items)} media items")
    return BenchCounts(len(persons), publications, authorship_count, len(items))
