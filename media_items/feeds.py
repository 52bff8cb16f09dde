"""Atom feed of media appearances: site-wide, or of any filtered media list."""

from django.db.models import Prefetch

from core.http.feeds import FilteredFeed, as_datetime

from .filters import MediaItemFilter
from .models import Appearance, MediaItem


def live_people(item):
    """The people of an item whom visitors may see, in order."""
    return [a.person for a in item.appearances.all() if a.person.is_live]


class MediaFeedItems:
    """The entry fields of a media item, shared by the media feed and a person's feed."""

    def media_description(self, item):
        parts = []
        if item.outlet_id and item.outlet.is_live:
            parts.append(item.outlet.name)
        people = ", ".join(
            f"{a.person.name} ({a.get_role_display().lower()})"
            for a in item.appearances.all()
            if a.person.is_live
        )
        if people:
            parts.append(people)
        if item.description:
            parts.append(item.description)
        return " — ".join(parts)

    def media_categories(self, item):
        categories = [item.get_kind_display()]
        if item.outlet_id and item.outlet.is_live:
            categories.append(item.outlet.name)
        return categories


def media_queryset():
    """Published items with what an entry shows: outlet, people, no cached copy."""
    return (
        MediaItem.objects.published()
        .select_related("outlet")
        .prefetch_related(
            Prefetch("appearances", queryset=Appearance.objects.select_related("person"))
        )
        .defer("cached_content")
    )


class MediaItemFeed(MediaFeedItems, FilteredFeed):
    """`/media/feed.atom?<filters>`: the newest media items of the (filtered) list."""

    filterset_class = MediaItemFilter
    list_url_name = "media:list"
    feed_url_name = "media:feed"
    base_title = "Media appearances"

    def queryset(self):
        return media_queryset()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return self.media_description(item)

    def item_author_name(self, item):
        return ", ".join(person.name for person in live_people(item)) or None

    def item_pubdate(self, item):
        return as_datetime(item.published_on, item.created_at)

    def item_categories(self, item):
        return self.media_categories(item)
