from core.http.listing import FilteredListView
from core.views import PublicDetailView

from .filters import MediaItemFilter
from .listing import MEDIA_GROUPINGS, media_facets, outlet_page
from .models import MediaItem, Outlet


class MediaItemListView(FilteredListView):
    """Media appearances with facets (kind, outlet, person, role, year), sort and grouping."""

    filterset_class = MediaItemFilter
    template_name = "media_items/mediaitem_list.html"
    paginate_by = 25
    groupings = MEDIA_GROUPINGS

    def get_queryset(self):
        return MediaItem.objects.for_listing().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = MediaItem.objects.visible_to(self.request.user)
        context["facets"] = media_facets(base, self.request.user)
        return context


class OutletDetailView(PublicDetailView):
    model = Outlet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(outlet_page(self.object, self.request.user))
        return context
