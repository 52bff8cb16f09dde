from core.api.views import PersonScopedListViewSet, PublicModelViewSet
from profiles.models import Person

from ..filters import MediaItemFilter, OutletFilter
from ..models import Appearance, MediaItem, Outlet
from .serializers import MediaItemDetailSerializer, MediaItemSerializer, OutletSerializer


class MediaItemQueryMixin:
    queryset = MediaItem.objects.all()
    serializer_class = MediaItemDetailSerializer
    list_serializer_class = MediaItemSerializer
    # The same FilterSet as the /media/ page.
    filterset_class = MediaItemFilter
    search_fields = ["title", "description", "outlet__name"]
    ordering_fields = ["published_on", "title", "importance", "created_at", "updated_at"]

    def list_queryset(self):
        # Everything the list serializer shows, prefetched; the cached page text deferred.
        return MediaItem.objects.for_detail().defer("cached_content")


class MediaItemViewSet(MediaItemQueryMixin, PublicModelViewSet):
    """Podcast episodes, videos, talks and interviews: the people appearing and their
    roles, key points, and the papers each discusses. Filters are those of the /media/
    page."""


class PersonMediaItemViewSet(MediaItemQueryMixin, PersonScopedListViewSet):
    """The media items a person appears in, with the same filters as the media list."""

    person_queryset = Person.objects.all()

    def for_person(self, queryset, person):
        appeared = Appearance.objects.filter(person=person).values("media_item")
        return queryset.filter(pk__in=appeared)


class OutletViewSet(PublicModelViewSet):
    """Shows, channels, conferences and publications where media items appear."""

    queryset = Outlet.objects.all()
    serializer_class = OutletSerializer
    filterset_class = OutletFilter
    search_fields = ["name", "short_name", "description"]
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name"]
