"""What of this app site search finds (``search.registry``)."""

from search.registry import SearchKind, register

from .models import Person

register(
    SearchKind(
        key="people",
        label="People",
        singular="person",
        model=Person,
        fields=(("name", "A"), ("name_variants", "A"), ("headline", "B"), ("bio", "C")),
        snippet_fields=("headline", "bio"),
        shows=lambda rows: rows.for_listing(),  # current affiliations
        position=10,
    )
)
