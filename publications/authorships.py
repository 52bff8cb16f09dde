"""Writing a paper's author list as a whole, in order."""

from django.db import transaction

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
