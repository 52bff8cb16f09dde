"""Writing a paper's author list as a whole, in order; linking author rows to people."""

from dataclasses import dataclass, field

from django.db import transaction

from .importing.people import people_named
from .models import Authorship


def set_authorships(*, publication, authors):
    """Replace the author list of ``publication`` with ``authors``, keeping their order
    (positions 1, 2, …). Each author is a mapping with ``name`` and optionally ``person``,
    ``affiliations`` (organizations), ``is_equal_contribution``, ``is_corresponding`` and
    ``behind_et_al`` (known to be an author, position unknown: no position).
    """
    with transaction.atomic():
        publication.authorships.all().delete()
        listed = 0
        for author in authors:
            position = None
            if not author.get("behind_et_al"):
                listed += 1
                position = listed
            authorship = Authorship.objects.create(
                publication=publication,
                position=position,
                name=author["name"],
                person=author.get("person"),
                is_equal_contribution=author.get("is_equal_contribution", False),
                is_corresponding=author.get("is_corresponding", False),
            )
            if author.get("affiliations"):
                authorship.affiliations.set(author["affiliations"])


@dataclass
class NameLinks:
    """What ``link_by_name`` did: rows linked, and names it would not decide."""

    linked: list[tuple[str, object]] = field(default_factory=list)  # (name, person)
    ambiguous: list[tuple[str, list]] = field(default_factory=list)  # (name, people)
    already_authors: list[tuple[str, object]] = field(default_factory=list)

    def messages(self) -> tuple[list[str], list[str]]:
        """(what was done, what the editor must decide), as sentences."""
        done = [f"Linked “{name}” to {person.name}." for name, person in self.linked]
        ask = [
            f"“{name}” could be {_either(people)}: not linked. Choose one in the Person column."
            for name, people in self.ambiguous
        ]
        ask += [
            f"“{name}” is {person.name}, who is already an author of this paper: not linked."
            for name, person in self.already_authors
        ]
        return done, ask


def _either(people) -> str:
    names = [f"{person.name} ({person.slug})" for person in people]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def link_by_name(authorships, *, people, taken=()) -> NameLinks:
    """Link each of ``authorships`` (rows without a person) to the person among
    ``people`` (a queryset: whom the editor may see) known by its name as written,
    their name or a name variant, by the importer's rule (``importing.people``). Not when
    several people are known by it, nor to a person already an author of the paper
    (``taken``: their ids). Sets ``person`` on the rows; saving is the caller's."""
    result = NameLinks()
    rows = [row for row in authorships if row.person_id is None and row.name.strip()]
    if not rows:
        return result
    matches = people_named({row.name for row in rows}, people)
    taken = set(taken)
    for row in rows:
        found = matches[row.name]
        if len(found) > 1:
            result.ambiguous.append((row.name, found))
        elif found and found[0].pk in taken:
            result.already_authors.append((row.name, found[0]))
        elif found:
            row.person = found[0]
            taken.add(found[0].pk)
            result.linked.append((row.name, found[0]))
    return result
