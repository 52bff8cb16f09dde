from core.api.views import PublicModelViewSet

from ..filters import OrganizationFilter, PersonFilter
from ..models import Organization, Person
from .serializers import OrganizationSerializer, PersonListSerializer, PersonSerializer


class PersonViewSet(PublicModelViewSet):
    """People with a profile on this site. A list shows current affiliations; one person
    shows all affiliations, links and the figures external indexes report.
    `people/{slug}/publications/` and `people/{slug}/media-items/` list their work."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    list_serializer_class = PersonListSerializer
    filterset_class = PersonFilter
    search_fields = ["name", "headline", "name_variants"]
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name"]


class OrganizationViewSet(PublicModelViewSet):
    """Labs, universities, companies and nonprofits that people and papers are affiliated
    with."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name"]
