"""Which people an author name names: the one rule, for imports and for the admin.

An author name matches a person when, folded (case, accents and punctuation ignored:
``core.names.name_key``), it equals the person's name or one of their name variants. A
name two people share matches both, and callers then link neither: imports leave the
author unlinked, the admin asks the editor which one.

An import (``PeopleMatcher``) first matches an author by ORCID, Semantic Scholar or
OpenAlex id; and the profile an import is for (``--person``) also loosely by name
(“E. Hubinger” ↔ “Evan Hubinger”: ``core.names.names_compatible``).
"""

from core.names import family_key, name_key, names_compatible
from profiles.models import Person

from .records import AuthorRecord

AUTHOR_IDS = ("orcid", "semantic_scholar_id", "openalex_id")
_UNKNOWN = object()


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


class PeopleMatcher:
    """Every person's ids and names, read once; an import's author → person (an id)."""

    def __init__(self, person=None):
        self.person = person
        self.by_id: dict[str, dict] = {name: {} for name in AUTHOR_IDS}
        self.by_name = NameIndex()
        self.names: dict[int, str] = {}  # person id → name
        self._by_spelling: dict[str, int | None] = {}  # author name → person
        for row in Person.objects.only("pk", "name", "name_variants", *AUTHOR_IDS):
            self.names[row.pk] = row.name
            for name in AUTHOR_IDS:
                value = getattr(row, name)
                if value:
                    self.by_id[name][value] = row.pk
            self.by_name.add(row)
        if person is not None:
            self.person_spellings = sorted(spellings(person))
            self.person_families = {family_key(spelling) for spelling in self.person_spellings}

    def person_for(self, author: AuthorRecord) -> int | None:
        """The person ``author`` is: by an author id, else by name."""
        if author.orcid or author.semantic_scholar_id or author.openalex_id:
            for name in AUTHOR_IDS:
                value = getattr(author, name)
                if value and value in self.by_id[name]:
                    return self.by_id[name][value]
        # The same few thousand names recur across a large file: each is looked up once.
        name = author.name
        person_id = self._by_spelling.get(name, _UNKNOWN)
        if person_id is _UNKNOWN:
            person_id = self._by_spelling[name] = self._person_named(name)
        return person_id

    def _person_named(self, name: str) -> int | None:
        # Two people sharing a spelling: link neither rather than guess.
        person_id = self.by_name.only(name)
        if person_id:
            return person_id
        person = self.person
        if (
            person is not None
            and family_key(name) in self.person_families
            and any(names_compatible(name, spelling) for spelling in self.person_spellings)
        ):
            return person.pk
        return None
