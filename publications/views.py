from django.views.generic import ListView

from core.listing import FilteredListView, SafePaginationMixin
from core.views import PublicDetailView, visible_to
from showcase.queries import publication_page, topic_page, with_topic_counts
from showcase.search import search_queryset

from .filters import PublicationFilter
from .listing import PAPER_GROUPINGS, paper_facets
from .models import Publication, Topic


class PublicationListView(FilteredListView):
    """All papers, with facets, sorting, grouping and a search box; every state a URL."""

    filterset_class = PublicationFilter
    template_name = "publications/publication_list.html"
    paginate_by = 25
    groupings = PAPER_GROUPINGS
    extra_filters = {"q": "Matching"}

    def get_queryset(self):
        return visible_to(Publication.objects.for_rows(), self.request.user)

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
        base = visible_to(Publication.objects.all(), self.request.user)
        context["facets"] = paper_facets(base, self.request.user, scope="all")
        context["total"] = context["paginator"].count if context.get("paginator") else 0
        return context


class PublicationDetailView(PublicDetailView):
    model = Publication

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(publication_page(self.object, self.request.user))
        return context


class TopicListView(SafePaginationMixin, ListView):
    paginate_by = 100

    def get_queryset(self):
        return visible_to(Topic.objects.all(), self.request.user).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_topic_counts(context["object_list"], self.request.user)
        return context


class TopicDetailView(PublicDetailView):
    model = Topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(topic_page(self.object, self.request.user))
        return context
