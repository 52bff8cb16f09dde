"""What is searchable: each content app registers its kinds (``register(SearchKind(...))``)
from its ``search_kinds`` module, imported in its ``AppConfig.ready()``, so search names no
content app. ``KINDS`` (also ``kinds()``) is ``{key: SearchKind}`` in tab order
(``position``), the same dict object however many kinds register."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.functions import Substr

from .snippets import SNIPPET_SOURCE_CHARS


@dataclass(frozen=True)
class Related:
    """Rows of ``model`` whose ``text_field`` finds the row ``fk`` points to, ranked as if
    the text were in the row's document with ``weight``."""

    model: type
    fk: str
    text_field: str
    weight: str


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    singular: str
    model: type
    #: (field, weight) pairs that make up the document.
    fields: tuple
    #: Fields a snippet is cut from, best first.
    snippet_fields: tuple
    #: What a result shows besides the row: ``rows`` with those joined or prefetched, in
    #: a fixed number of queries whatever the number of results.
    shows: Callable
    #: Text on related rows that also finds the row (a paper by its authors' names).
    related: "Related | None" = None
    #: Where the kind's tab and section come, smallest first.
    position: int = 0
    #: ``(field, function)`` pairs: the text of ``field`` as a snippet shows it (an
    #: abstract's TeX as the paper page shows it).
    snippet_text: tuple = ()
    #: Offered ("related") on a search that finds nothing (topics).
    offered_when_nothing_found: bool = False

    @property
    def title_fields(self):
        """The fields of the top weight (titles, names): the title tier."""
        return tuple(name for name, weight in self.fields if weight == "A")

    def base_queryset(self, user):
        # Snippets read the first SNIPPET_SOURCE_CHARS of each snippet field, fetched with
        # the row: a deferred transcript is neither loaded whole nor fetched per hit.
        excerpts = {
            f"excerpt_{name}": Substr(name, 1, SNIPPET_SOURCE_CHARS) for name in self.snippet_fields
        }
        return self.shows(self.model.objects.all()).visible_to(user).annotate(**excerpts)

    def excerpt(self, row, name):
        """The excerpt of ``name`` read with ``row``, as a snippet shows it."""
        text = getattr(row, f"excerpt_{name}")
        for field_name, function in self.snippet_text:
            if field_name == name:
                return function(text)
        return text


KINDS = {}


def register(kind):
    """Make ``kind`` searchable (again, if its key is taken: the last one counts)."""
    ordered = sorted(
        [*(k for k in KINDS.values() if k.key != kind.key), kind], key=lambda k: k.position
    )
    KINDS.clear()
    KINDS.update((k.key, k) for k in ordered)
    return kind


def kinds():
    """``{key: SearchKind}`` of every registered kind, in tab order."""
    return KINDS
