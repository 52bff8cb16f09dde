from core.http.listing import FilteredListView
from core.views import PublicDetailView
from profiles.models import Organization
from search.engine import search_queryset

from .filters import PublicationFilter
from .listing import PAPER_GROUPINGS, paper_facets
from .models import Publication
from .organizations import organization_page


class PublicationListView(FilteredListView):
    """All papers, with facets, sorting, grouping and a search box; every state a URL."""

    filterset_class = PublicationFilter
    template_name = "publications/publication_list.html"
    paginate_by = 25
    groupings = PAPER_GROUPINGS
    extra_filters = {"q": "Matching"}

    def get_queryset(self):
        return Publication.objects.for_rows().visible_to(self.request.user)

    def narrow(self, queryset):
        words = self.request.GET.get("q", "").strip()
        if not words:
            return queryset
        order = queryset.query.order_by
        matched = search_queryset(queryset, "papers", words)
        # Most relevant first, unless the visitor chose a sort (or a grouping).
        if self.request.GET.get("sort") or self.list_state.group:
            return matched.order_by(*order)
        return matched

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = Publication.objects.visible_to(self.request.user)
        context["facets"] = paper_facets(base, self.request.user, scope="all")
        context["total"] = context["paginator"].count if context.get("paginator") else 0
        return context


class OrganizationDetailView(PublicDetailView):
    model = Organization

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(organization_page(self.object, self.request.user))
        return context
