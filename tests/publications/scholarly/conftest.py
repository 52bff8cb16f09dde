import datetime

import pytest

from tests.factories import AuthorshipFactory, PublicationFactory

TRICKY_TITLE = r"Costs & 100% of $5: #1 a_b ~x ^y {z} back\slash in LLMs"


def make_paper(authors=("Evan Hubinger", "Carson Denison"), **fields):
    """A published paper with ``authors`` (names as written) in this order."""
    paper = PublicationFactory(**fields)
    for position, name in enumerate(authors, start=1):
        person = None
        if not isinstance(name, str):
            name, person = name
        AuthorshipFactory(publication=paper, position=position, name=name, person=person)
    return paper


@pytest.fixture
def sleeper_agents(db):
    return make_paper(
        title="Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training",
        slug="sleeper-agents",
        authors=("Evan Hubinger", "Carson Denison", "Jesse Mu", "Ludwig van Beethoven"),
        kind="preprint",
        published_on=datetime.date(2024, 1, 10),
        date_precision="day",
        arxiv_id="2401.05566",
        arxiv_primary_category="cs.CR",
        doi="10.48550/arXiv.2401.05566",
        pdf_url="https://arxiv.org/pdf/2401.05566",
        abstract="Humans are capable of strategically deceptive behavior.",
    )
