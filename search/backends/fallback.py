"""Containment matching, for a database without full-text search (SQLite built without
FTS5): the same interface as the full-text backends, linear in the data."""

from functools import reduce
from operator import or_

from django.db.models import Case, Exists, OuterRef, Q, Value, When

from search import limits


class Fallback:
    """Containment matching for databases without full-text search: every positive word
    must appear in some field (stopwords aside), no excluded word may appear, and the rank
    sums the weights of the fields each word appears in."""

    def __init__(self, kind, query):
        self.kind, self.query = kind, query

    def _contains(self, fields, *, related=True):
        condition = Q()
        for term in self.query.searchable:
            in_any = [Q(**{f"{name}__icontains": term.text}) for name in fields]
            if related and self.kind.related is not None:
                in_any.append(Q(self._related_has(term)))
            condition &= reduce(or_, in_any)
        for term in self.query.excluded:
            names = (name for name, _weight in self.kind.fields)
            condition &= ~reduce(or_, (Q(**{f"{name}__icontains": term.text}) for name in names))
        return condition

    def _related_has(self, term):
        related = self.kind.related
        return Exists(
            related.model.objects.filter(
                **{related.fk: OuterRef("pk"), f"{related.text_field}__icontains": term.text}
            )
        )

    def matched(self):
        return self._contains([name for name, _weight in self.kind.fields])

    def tiers(self):
        everywhere = self.matched()
        return [everywhere, self._contains(self.kind.title_fields, related=False) & everywhere]

    def rank(self, within=None):
        parts = []
        for term in self.query.searchable:
            for name, weight in self.kind.fields:
                condition = Q(**{f"{name}__icontains": term.text})
                parts.append(Case(When(condition, then=Value(limits.WEIGHTS[weight])), default=0.0))
            if self.kind.related is not None:
                bonus = Value(limits.WEIGHTS[self.kind.related.weight])
                parts.append(Case(When(self._related_has(term), then=bonus), default=0.0))
        return reduce(lambda a, b: a + b, parts)
