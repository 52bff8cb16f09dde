from django.views.generic import TemplateView

from .queries import home_page
from .search import KINDS, search


class HomeView(TemplateView):
    template_name = "showcase/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **home_page(self.request.user))


class SearchView(TemplateView):
    """``/search/?q=…&type=…&page=…``: everything the search module finds, as tabs."""

    template_name = "showcase/search.html"
    query_parameters = ("q", "type", "page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        results = search(
            params.get("q", ""),
            user=self.request.user,
            kind=params.get("type", "all"),
            page=params.get("page", "1"),
        )
        context["results"] = results
        context["kinds"] = KINDS.values()
        return context
