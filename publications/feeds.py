"""Atom feed of papers: site-wide, or of any filtered paper list."""

from core.http.feeds import FEED_ITEMS, FilteredFeed, as_datetime

from .exports import matching
from .filters import PublicationFilter
from .models import Publication


def paper_authors(paper):
    names = [authorship.name for authorship in paper.listed_authorships]
    text = ", ".join(names)
    return f"{text} et al." if names and paper.is_author_list_truncated else text


class PaperFeedItems:
    """The entry fields of a paper, shared by the paper feed and a person's feed."""

    def paper_description(self, paper):
        parts = [paper_authors(paper)]
        if paper.venue:
            parts.append(paper.venue)
        if paper.abstract:
            parts.append(" ".join(paper.plain_abstract.split()))
        return " — ".join(p for p in parts if p)

    def paper_categories(self, paper):
        categories = [paper.get_kind_display()]
        if paper.arxiv_primary_category:
            categories.append(paper.arxiv_primary_category)
        categories += [topic.name for topic in paper.topics.all() if topic.is_live]
        return categories


class PublicationFeed(PaperFeedItems, FilteredFeed):
    """`/publications/feed.atom?<filters>`: the newest papers of the (filtered) list."""

    filterset_class = PublicationFilter
    list_url_name = "publications:list"
    feed_url_name = "publications:feed"
    base_title = "Publications"
    extra_parameters = ("q",)

    def queryset(self):
        return Publication.objects.published().for_citation().prefetch_related("topics")

    def items(self, obj):
        return matching(obj.filterset.qs, obj.request.GET)[:FEED_ITEMS]

    def item_title(self, paper):
        return paper.title

    def item_description(self, paper):
        return self.paper_description(paper)

    def item_author_name(self, paper):
        return paper_authors(paper) or None

    def item_pubdate(self, paper):
        return as_datetime(paper.published_on, paper.created_at)

    def item_categories(self, paper):
        return self.paper_categories(paper)
