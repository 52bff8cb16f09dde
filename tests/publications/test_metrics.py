"""publications.metrics: the figures a profile shows, computed from published data only."""

import datetime

import pytest

from publications.metrics import compute_metrics, h_index, i10_index, metrics_for_person
from publications.models import Publication
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([], 0),
        ([0], 0),
        ([0, 0, 0], 0),
        ([1], 1),
        ([100], 1),
        ([3, 3, 3], 3),
        ([10, 8, 5, 4, 3], 4),
        ([25, 8, 5, 3, 3], 3),
        ([5, 5, 5, 5, 5, 5], 5),
        ([6, 6, 6, 6, 6, 6], 6),
        ([1, 1, 1, 1], 1),
        ([4, 0, 4, 0, 4, 4], 4),
        ([None, 5, 5], 2),
    ],
)
def test_h_index(counts, expected):
    assert h_index(counts) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [([], 0), ([9, 9], 0), ([10], 1), ([10, 11, 9, 100], 3), ([None, 10], 1)],
)
def test_i10_index(counts, expected):
    assert i10_index(counts) == expected


def paper(pk, *, count=None, year=2020, by_year=None, as_of=None, source="", authors=()):
    """An unsaved paper with its authorships, as the profile loads them."""
    obj = Publication(
        pk=pk,
        title=f"P{pk}",
        citation_count=count,
        citation_count_as_of=as_of,
        citation_source=source,
        published_on=datetime.date(year, 1, 1) if year else None,
        citations_by_year=by_year or {},
    )
    obj._prefetched_objects_cache = {"authorships": FakeManager(list(authors))}
    return obj


class FakeManager(list):
    def all(self):
        return self


class Author:
    def __init__(self, name, person=None):
        self.name = name
        self.person = person
        self.person_id = person.pk if person else None


class Somebody:
    def __init__(self, pk, name, live=True):
        self.pk, self.name, self.is_live = pk, name, live


def test_metrics_of_nothing():
    metrics = compute_metrics(None, [])
    assert metrics.papers == 0
    assert metrics.citations is None
    assert metrics.h_index is None and metrics.i10_index is None
    assert metrics.citations_per_year == {} and metrics.papers_per_year == {}
    assert metrics.coauthors == []


def test_unknown_counts_are_not_zero():
    metrics = compute_metrics(None, [paper(1, count=12), paper(2, count=None)])
    assert metrics.citations == 12
    assert metrics.papers_with_counts == 1
    assert metrics.h_index == 1
    assert metrics.i10_index == 1


def test_duplicates_are_counted_once():
    one = paper(1, count=30)
    metrics = compute_metrics(None, [one, one, paper(2, count=30)])
    assert metrics.papers == 2
    assert metrics.citations == 60
    assert metrics.h_index == 2


def test_dates_and_sources_of_the_counts():
    metrics = compute_metrics(
        None,
        [
            paper(1, count=1, as_of=datetime.date(2026, 1, 5), source="OpenAlex"),
            paper(2, count=1, as_of=datetime.date(2025, 12, 1), source="Semantic Scholar"),
            paper(3, count=1, source="OpenAlex"),
        ],
    )
    assert metrics.counted_from == datetime.date(2025, 12, 1)
    assert metrics.counted_to == datetime.date(2026, 1, 5)
    assert metrics.citation_sources == ["OpenAlex", "Semantic Scholar"]


def test_per_year_series_add_up_and_skip_nonsense():
    metrics = compute_metrics(
        None,
        [
            paper(1, year=2021, by_year={"2022": 3, "2023": "4", "soon": 9, "2024": -1}),
            paper(2, year=2021, by_year={"2023": 1, 1999: 2}),
            paper(3, year=None, by_year={"2023": None}),
        ],
    )
    assert metrics.citations_per_year == {1999: 2, 2022: 3, 2023: 5}
    assert metrics.papers_per_year == {2021: 2}


def test_coauthors_merge_by_person_then_by_written_name():
    me = Somebody(1, "Me")
    friend = Somebody(2, "Friend")
    draft = Somebody(3, "Draft Person", live=False)
    papers = [
        paper(1, authors=[Author("Me", me), Author("F. Friend", friend), Author("Jo  Doe")]),
        paper(2, authors=[Author("Me", me), Author("Friend", friend), Author("jo doe")]),
        paper(
            3,
            authors=[
                Author("Me", me),
                Author("D. Person", draft),
                Author("Jo Doe"),
                Author("Jo Doe"),
            ],
        ),
    ]
    coauthors = compute_metrics(me, papers).coauthors
    assert [(c.name, c.papers, c.person) for c in coauthors] == [
        ("Jo Doe", 3, None),
        ("Friend", 2, friend),
        ("D. Person", 1, None),
    ]


@pytest.mark.django_db
def test_metrics_for_person_use_published_papers_in_fixed_queries(django_assert_num_queries):
    person = PersonFactory()
    for n in range(6):
        p = PublicationFactory(citation_count=n * 5, is_published=n != 5, authors=3)
        AuthorshipFactory(publication=p, position=9, name=person.name, person=person)
    with django_assert_num_queries(4):
        metrics = metrics_for_person(person)
    assert metrics.papers == 5
    assert metrics.citations == 0 + 5 + 10 + 15 + 20
    assert metrics.h_index == 4
    assert len(metrics.coauthors) == 15
