"""Pages that compose several apps: home, people and profiles, a paper (with what
discusses it), a media item (with the papers it discusses), topics and search. Each
view is thin: its data comes from ``showcase.queries`` and the apps' own functions."""

from django.shortcuts import render
from django.views.generic import ListView, TemplateView

from core.db.visibility import shown
from core.http.listing import FilteredListView, ListState, SafePaginationMixin, page_number
from core.http.query import filterset_parameters
from core.views import PublicDetailView
from media_items.models import MediaItem
from profiles.filters import PersonFilter
from profiles.header import profile_header
from profiles.models import Person
from publications.filters import PublicationFilter
from publications.listing import PAPER_GROUPINGS, paper_facets
from publications.models import Publication, Topic
from search.engine import KINDS, search

from .queries import (
    activity_page,
    home_page,
    media_cited_by,
    people_list_queryset,
    person_appearances,
    person_papers,
    profile_sections,
    publication_page,
    topic_page,
    with_people_counts,
    with_topic_counts,
)

ACTIVITY_PARAM = "activity"


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
    """The profile: the person (``profiles.header``), their papers with the list's filters,
    figures and charts (``publications.metrics``), media appearances and activity.

    ``?activity=N`` shows the activity timeline up to its N-th page (what "Load
    more" links to without JavaScript); with ``&fragment=activity`` only the N-th
    page is rendered, as the ``activity-fragment`` partial the script appends.
    """

    model = Person
    # The profile's paper filters and grouping, and its activity timeline (core.http.query).
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
            Publication.objects.visible_to(user).filter(authorships__person=person),
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


class PublicationDetailView(PublicDetailView):
    model = Publication

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(publication_page(self.object, self.request.user))
        return context


class TopicListView(SafePaginationMixin, ListView):
    paginate_by = 100

    def get_queryset(self):
        return Topic.objects.visible_to(self.request.user).order_by("name")

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
