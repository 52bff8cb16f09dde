import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory


@pytest.fixture
def demo(db):
    """The demo content transcribed from the three seed pages."""
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def author(db):
    return PersonFactory(name="Ada Researcher", slug="ada-researcher")


@pytest.fixture
def paper_by(author):
    """``paper_by(title=..., position=2, authors=4, **fields)``: a paper with ``authors``
    unlinked authors and ``author`` at ``position``."""

    def make(*, position=1, authors=3, **fields):
        fields.setdefault("published_on", datetime.date(2023, 5, 1))
        paper = PublicationFactory(**fields)
        for index in range(1, authors + 1):
            if index == position:
                AuthorshipFactory(
                    publication=paper, position=index, name=author.name, person=author
                )
            else:
                AuthorshipFactory(publication=paper, position=index, name=f"Coauthor {index}")
        return paper

    return make
