from django.shortcuts import render

from core.listing import FilteredListView, ListState, page_number
from core.query import filterset_parameters
from core.views import PublicDetailView, visible_to
from publications.filters import PublicationFilter
from publications.listing import PAPER_GROUPINGS, paper_facets
from publications.models import Publication
from showcase.queries import (
    activity_page,
    organization_page,
    people_list_queryset,
    person_appearances,
    person_papers,
    profile_header,
    profile_sections,
    with_people_counts,
)

from .filters import PersonFilter
from .models import Organization, Person

ACTIVITY_PARAM = "activity"


class PersonListView(FilteredListView):
    filterset_class = PersonFilter
    template_name = "profiles/person_list.html"
    paginate_by = 48

    def get_queryset(self):
        return people_list_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with_people_counts(context["object_list"], self.request.user)
        return context


class PersonDetailView(PublicDetailView):
    """The profile. Its data from other apps is composed in ``showcase.queries``.

    ``?activity=N`` shows the activity timeline up to its N-th page (what "Load
    more" links to without JavaScript); with ``&fragment=activity`` only the N-th
    page is rendered, as the ``activity-fragment`` partial the script appends.
    """

    model = Person
    # The profile's paper filters and grouping, and its activity timeline (core.query).
    query_parameters = (
        *filterset_parameters(PublicationFilter),
        "group",
        ACTIVITY_PARAM,
        "fragment",
    )

    def get(self, request, *args, **kwargs):
        if request.GET.get("fragment") == ACTIVITY_PARAM:
            return self.activity_fragment(request)
        return super().get(request, *args, **kwargs)

    def activity_number(self):
        return page_number(self.request.GET.get(ACTIVITY_PARAM, "1")) or 1

    def activity_fragment(self, request):
        self.object = person = self.get_object()
        activity = activity_page(
            person_papers(person, request.user).summaries(),
            person_appearances(person, request.user),
            number=self.activity_number(),
        )
        return render(
            request,
            "profiles/person_detail.html#activity-fragment",
            {"person": person, "activity": activity},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        papers, sections = profile_sections(person, user)
        context.update(profile_header(person))
        context.update(sections)

        filterset = PublicationFilter(
            self.request.GET, queryset=person_papers(person, user), request=self.request
        )
        state = ListState(self.request, filterset, groupings=PAPER_GROUPINGS, default_group="year")
        # The filtered list in its order, as ids: its rows are already loaded above.
        loaded = {paper.pk: paper for paper in papers}
        publications = [
            loaded[pk] for pk in state.queryset().values_list("pk", flat=True) if pk in loaded
        ]
        context.update(state.context())
        context["facets"] = paper_facets(
            visible_to(Publication.objects.all(), user).filter(authorships__person=person),
            user,
            scope=f"person:{person.pk}",
            authors=False,  # the profile's filters have no author menu
        )
        context["publications"] = publications
        context["publication_groups"] = state.groups(publications)
        context["activity"] = activity_page(
            papers, context["appearances"], number=self.activity_number(), cumulative=True
        )
        return context


class OrganizationDetailView(PublicDetailView):
    model = Organization

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(organization_page(self.object, self.request.user))
        return context
