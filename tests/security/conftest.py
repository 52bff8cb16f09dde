import pytest

from .access import FACTORIES


@pytest.fixture
def public_objects(db):
    """One live object of each public model."""
    return {label: factory() for label, factory in FACTORIES.items()}
