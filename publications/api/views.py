from core.api.views import PersonScopedListViewSet, PublicModelViewSet
from profiles.models import Person

from ..filters import PublicationFilter
from ..models import Authorship, Publication, Topic
from .serializers import PublicationSerializer, TopicSerializer


class PublicationQueryMixin:
    queryset = Publication.objects.all()
    serializer_class = PublicationSerializer
    # The same FilterSet as the /publications/ page: facets plus its `sort`, which the
    # `ordering` parameter overrides when both are given.
    filterset_class = PublicationFilter
    search_fields = ["title", "abstract", "venue", "authorships__name", "doi", "arxiv_id"]
    ordering_fields = ["published_on", "title", "citation_count", "created_at", "updated_at"]

    def list_queryset(self):
        # Lists show the full paper (authors with people and affiliations, institutions,
        # topics): a fixed number of queries whatever the number of rows.
        return Publication.objects.for_detail()


class PublicationViewSet(PublicationQueryMixin, PublicModelViewSet):
    """Papers with their ordered authors (people and affiliations), identifiers, links
    and citation counts. Filters are those of the /publications/ page; writes replace the
    author list when `authorships` is sent."""


class PersonPublicationViewSet(PublicationQueryMixin, PersonScopedListViewSet):
    """A person's papers, newest first, with the same filters as the paper list."""

    person_queryset = Person.objects.all()

    def for_person(self, queryset, person):
        # A subquery rather than a join: a paper appears once however it lists the person.
        authored = Authorship.objects.filter(person=person).values("publication")
        return queryset.filter(pk__in=authored)


class TopicViewSet(PublicModelViewSet):
    """Topics that group papers and media items across people, with their summaries
    (Markdown). A topic's papers: `publications/?topic={slug}`."""

    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    search_fields = ["name", "summary"]
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["name"]
