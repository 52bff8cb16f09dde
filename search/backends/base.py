"""What the full-text backends share."""

from search import limits


class FullText:
    """What the full-text matchers share: ``_names(term)`` gives the related rows (author
    names) with the words of ``term``, from the database's own index."""

    def __init__(self, kind, query):
        self.kind, self.query = kind, query

    def _related_ids(self):
        """Ids of rows with every searched term in the text of some related row (a paper
        with each word in one of its authors' names): those of the first MATCH_CAP + 1
        related rows the index finds. Unordered, so the scan stops there whatever the
        number of matches (ordering by id would read every matching name first)."""
        fk = f"{self.kind.related.fk}_id"
        first, *others = self.query.searchable
        names = self._names(first)
        for term in others:
            names = names.filter(**{f"{fk}__in": self._names(term).values(fk)})
        return names.order_by().values(fk)[: limits.MATCH_CAP + 1]
