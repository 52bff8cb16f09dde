"""Which people an author name names: the one rule, for imports and for the admin.

An author name matches a person when, folded (case, accents and punctuation ignored:
``text.name_key``), it equals the person's name or one of their name variants. A name
two people share matches both, and callers then link neither: imports leave the author
unlinked, the admin asks the editor which one.
"""

from .text import name_key


def spellings(person) -> set[str]:
    """The names ``person`` is known by: their name and name variants."""
    return {person.name, *person.name_variant_list}


class NameIndex:
    """Folded spellings → the people (ids) known by them."""

    def __init__(self, people=()):
        self._ids: dict[str, list[int]] = {}
        for person in people:
            self.add(person)

    def add(self, person):
        for spelling in spellings(person):
            key = name_key(spelling)
            if key:
                ids = self._ids.setdefault(key, [])
                if person.pk not in ids:
                    ids.append(person.pk)

    def candidates(self, name: str) -> list[int]:
        """Every person known by ``name``, in the order they were added."""
        return list(self._ids.get(name_key(name), ()))

    def only(self, name: str) -> int | None:
        """The one person known by ``name``; None when nobody is, or several are."""
        ids = self._ids.get(name_key(name), ())
        return ids[0] if len(ids) == 1 else None


def people_named(names, people) -> dict[str, list]:
    """For each of ``names``, the people among ``people`` (a queryset) known by it, in
    the order of ``people``. One query, whatever the number of names."""
    people = list(people.only("pk", "name", "name_variants", "slug"))
    index = NameIndex(people)
    by_id = {person.pk: person for person in people}
    return {name: [by_id[pk] for pk in index.candidates(name)] for name in names}
