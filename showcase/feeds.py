"""A person's Atom feed: their papers and media appearances, newest first."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.http.feeds import FEED_ITEMS, AtomFeed, FeedState, as_datetime
from media_items.feeds import MediaFeedItems, live_people, media_queryset
from media_items.models import MediaItem
from profiles.models import Person
from publications.feeds import PaperFeedItems, paper_authors
from publications.models import Publication


class PersonFeed(PaperFeedItems, MediaFeedItems, AtomFeed):
    """`/people/<slug>/feed.atom`. A draft person has no feed (404), whoever asks."""

    def get_object(self, request, slug):
        person = get_object_or_404(Person.objects.published(), slug=slug)
        return FeedState(request=request, object=person)

    def title(self, obj):
        return f"{obj.object.name} · {settings.SITE_NAME}"

    def subtitle(self, obj):
        return f"New papers and media appearances of {obj.object.name}."

    def page_path(self, obj):
        return obj.object.get_absolute_url()

    def feed_path(self, obj):
        return reverse("people:feed", kwargs={"slug": obj.object.slug})

    def items(self, obj):
        person = obj.object
        papers = (
            Publication.objects.published()
            .for_citation()
            .prefetch_related("topics")
            .filter(pk__in=person.authorships.values("publication"))
            .order_by("-published_on", "-created_at")[:FEED_ITEMS]
        )
        media = (
            media_queryset()
            .filter(pk__in=person.appearances.values("media_item"))
            .order_by("-published_on", "-created_at")[:FEED_ITEMS]
        )
        rows = [*papers, *media]
        rows.sort(key=lambda row: as_datetime(row.published_on, row.created_at), reverse=True)
        return rows[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if isinstance(item, MediaItem):
            return self.media_description(item)
        return self.paper_description(item)

    def item_author_name(self, item):
        if isinstance(item, MediaItem):
            return ", ".join(person.name for person in live_people(item)) or None
        return paper_authors(item) or None

    def item_pubdate(self, item):
        return as_datetime(item.published_on, item.created_at)

    def item_categories(self, item):
        if isinstance(item, MediaItem):
            return self.media_categories(item)
        return self.paper_categories(item)
