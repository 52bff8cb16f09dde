from core.listing import FilteredListView
from core.views import PublicDetailView, visible_to
from showcase.queries import media_cited_by, outlet_page, shown

from .filters import MediaItemFilter
from .listing import MEDIA_GROUPINGS, media_facets
from .models import MediaItem, Outlet


class MediaItemListView(FilteredListView):
    """Media appearances with facets (kind, outlet, person, role, year), sort and grouping."""

    filterset_class = MediaItemFilter
    template_name = "media_items/mediaitem_list.html"
    paginate_by = 25
    groupings = MEDIA_GROUPINGS

    def get_queryset(self):
        return visible_to(MediaItem.objects.for_listing(), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = visible_to(MediaItem.objects.all(), self.request.user)
        context["facets"] = media_facets(base, self.request.user)
        return context


class MediaItemDetailView(PublicDetailView):
    model = MediaItem

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context["appearances"] = [a for a in item.appearances.all() if shown([a.person], user)]
        context["discusses"] = shown(item.discusses.all(), user)
        context["topics"] = shown(item.topics.all(), user)
        context["cited_by"] = media_cited_by(item, user)
        return context


class OutletDetailView(PublicDetailView):
    model = Outlet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(outlet_page(self.object, self.request.user))
        return context
