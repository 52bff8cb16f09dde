import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.db.stable_ids import ALPHABET
from media_items.models import MediaItem
from profiles.models import Affiliation, Person
from publications.models import Authorship
from showcase.models import SelectedWork
from tests.factories import (
    AuthorshipFactory,
    MediaItemFactory,
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


def raises_integrity(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_doi_is_unique_ignoring_case():
    PublicationFactory(doi="10.1000/abc")
    raises_integrity(lambda: PublicationFactory(doi="10.1000/ABC"))


@pytest.mark.parametrize("field", ["doi", "arxiv_id", "semantic_scholar_id", "openalex_id"])
def test_publication_identifiers_are_unique_only_when_present(field):
    PublicationFactory(**{field: ""})
    PublicationFactory(**{field: ""})  # many papers may lack an id
    PublicationFactory(**{field: "10.5/x" if field == "doi" else "X1"})
    raises_integrity(lambda: PublicationFactory(**{field: "10.5/x" if field == "doi" else "X1"}))


@pytest.mark.parametrize(
    "field",
    ["orcid", "semantic_scholar_id", "openalex_id", "dblp_id", "google_scholar_id"],
)
def test_person_identifiers_are_unique_only_when_present(field):
    PersonFactory(**{field: ""})
    PersonFactory(**{field: ""})
    PersonFactory(**{field: "0000-0001"})
    raises_integrity(lambda: PersonFactory(**{field: "0000-0001"}))


def test_two_authors_cannot_share_a_position():
    paper = PublicationFactory()
    AuthorshipFactory(publication=paper, position=1)
    raises_integrity(lambda: AuthorshipFactory(publication=paper, position=1))


def test_authors_come_back_in_position_order():
    paper = PublicationFactory()
    for position, name in [(3, "Carol"), (1, "Alice"), (2, "Bob")]:
        AuthorshipFactory(publication=paper, position=position, name=name)
    assert [a.name for a in paper.authorships.all()] == ["Alice", "Bob", "Carol"]
    assert list(Authorship.objects.filter(publication=paper).values_list("position", flat=True))


@pytest.mark.parametrize("importance", [0, 72, 100])
def test_importance_between_0_and_100_is_accepted(importance):
    assert MediaItemFactory(importance=importance).importance == importance


def test_importance_above_100_is_rejected_by_the_database():
    raises_integrity(lambda: MediaItemFactory(importance=101))


def test_importance_validation_message_for_editors():
    item = MediaItemFactory.build(importance=150, outlet=None)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "Ensure this value is less than or equal to 100." in error.value.messages
    assert not MediaItem.objects.exists()


def test_affiliation_cannot_end_before_it_starts():
    person, org = PersonFactory(), OrganizationFactory()
    raises_integrity(
        lambda: Affiliation.objects.create(
            person=person,
            organization=org,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2023, 1, 1),
        )
    )


def test_selected_work_needs_a_title_or_a_target():
    person = PersonFactory()
    raises_integrity(lambda: SelectedWork.objects.create(person=person))


def test_selected_work_points_at_one_target_only():
    person = PersonFactory()
    raises_integrity(
        lambda: SelectedWork.objects.create(
            person=person, publication=PublicationFactory(), media_item=MediaItemFactory()
        )
    )


def test_every_public_object_gets_a_distinct_short_stable_id():
    ids = {PersonFactory().stable_id for _ in range(50)}
    assert len(ids) == 50
    assert all(len(i) == 10 and set(i) <= set(ALPHABET) for i in ids)


def test_slugs_are_unique():
    PersonFactory(slug="same")
    raises_integrity(lambda: Person.objects.create(name="Other", slug="same"))


def test_duplicate_doi_gives_editors_a_readable_message():
    PublicationFactory(doi="10.1000/abc")
    paper = PublicationFactory.build(doi="10.1000/ABC", slug="other")
    with pytest.raises(ValidationError) as error:
        paper.full_clean()
    assert "Another paper already has this DOI." in error.value.messages
