"""Affiliations as ``Organization`` rows: matched by ROR id, then by name or short name
(folded: case, accents and punctuation ignored); created when neither matches, as drafts
unless the import publishes."""

from core.db.slugs import first_free, slug_base
from core.names import fold
from profiles.models import Organization

from .records import AuthorRecord

_SLUG_LENGTH = Organization._meta.get_field("slug").max_length


class OrganizationMatcher:
    """Every organization's ROR id, names and slug, read once."""

    def __init__(self, *, publish=False):
        self.publish = publish
        self.created = 0
        self.by_ror: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.slugs: set[str] = set()
        for pk, name, short_name, slug, ror_id in Organization.objects.values_list(
            "pk", "name", "short_name", "slug", "ror_id"
        ):
            self.slugs.add(slug)
            self.names[pk] = name
            if ror_id:
                self.by_ror[ror_id] = pk
            for text in (name, short_name):
                if text:
                    self.by_name.setdefault(fold(text), pk)

    def organization_for(self, name: str, ror_id: str) -> int:
        if ror_id and ror_id in self.by_ror:
            return self.by_ror[ror_id]
        key = fold(name)
        if key in self.by_name:
            return self.by_name[key]
        slug = first_free(
            slug_base(name, max_length=_SLUG_LENGTH, fallback="organization"), self.slugs
        )
        organization = Organization.objects.create(
            name=name, slug=slug, ror_id=ror_id, is_published=self.publish
        )
        self.created += 1
        self.slugs.add(slug)
        self.names[organization.pk] = name
        self.by_name[key] = organization.pk
        if ror_id:
            self.by_ror[ror_id] = organization.pk
        return organization.pk

    def affiliation_ids(self, author: AuthorRecord) -> list[int]:
        """The author's affiliations, in order, each once."""
        return list(
            dict.fromkeys(
                self.organization_for(aff.name, aff.ror_id) for aff in author.affiliations
            )
        )
