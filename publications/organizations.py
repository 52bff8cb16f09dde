"""An organization's page: who belongs to it and the papers written there."""

from django.db.models import F, Q

from core.db.visibility import can_preview
from core.models import published_q
from profiles.models import Person

from .models import Publication


def organization_page(organization, user):
    """An organization's page: its current and former members (people affiliated with
    it) and the papers it is named on (as an institution of the paper or of an author),
    newest first, at most 100."""
    people_filter = Q() if can_preview(user, Person) else published_q("person__")
    affiliations = list(
        organization.affiliations.filter(people_filter)
        .select_related("person")
        .order_by("-is_current", "person__name")
    )
    papers = list(
        Publication.objects.for_rows()
        .visible_to(user)
        .filter(Q(organizations=organization) | Q(authorships__affiliations=organization))
        .distinct()
        .order_by(F("published_on").desc(nulls_last=True), "title", "pk")[:100]
    )
    return {
        "current_members": [a for a in affiliations if a.is_current],
        "former_members": [a for a in affiliations if not a.is_current],
        "papers": papers,
    }
