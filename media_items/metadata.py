"""What a media item's page tells machines: schema.org ``PodcastEpisode``,
``VideoObject``, ``Event`` (talks and panels) or ``Article``, with its people, outlet
and the papers it discusses (``core.http.metadata``)."""

from core.http.metadata import SCHEMA, PageMetadata, is_live, iso_date, plain, register
from core.http.site_url import absolute_url

from .models import MediaItem

MEDIA_TYPES = {
    "podcast_episode": "PodcastEpisode",
    "video": "VideoObject",
    "talk": "Event",
    "panel": "Event",
    "interview": "Article",
    "article": "Article",
    "other": "CreativeWork",
}
OUTLET_TYPES = {"podcast": "PodcastSeries", "channel": "CreativeWorkSeries"}


def _iso_duration(duration):
    seconds = int(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{seconds}S"


def media_item_json_ld(item, request):
    """A ``PodcastEpisode``, ``VideoObject`` or ``Event`` (talks and panels), or an
    ``Article``, with its people, outlet and the papers it discusses."""
    url = absolute_url(request, item.get_absolute_url())
    kind = MEDIA_TYPES.get(item.kind, "CreativeWork")
    data = {"@context": SCHEMA, "@type": kind, "@id": url, "url": url, "name": item.title}
    description = item.description or plain(item.summary)
    if description:
        data["description"] = description
    date = iso_date(item)
    people = [
        {
            "@type": "Person",
            "name": a.person.name,
            "url": absolute_url(request, a.person.get_absolute_url()),
        }
        for a in item.appearances.all()
        if is_live(a.person)
    ]
    outlet = item.outlet if is_live(item.outlet) else None
    if kind == "Event":
        if date:
            data["startDate"] = date
        data["eventAttendanceMode"] = f"{SCHEMA}/MixedEventAttendanceMode"
        if people:
            data["performer"] = people
        if outlet:
            data["organizer"] = {"@type": "Organization", "name": outlet.name}
            if outlet.url:
                data["organizer"]["url"] = outlet.url
        location = item.url or item.video_url
        data["location"] = {"@type": "VirtualLocation", "url": location or url}
        if item.video_url:
            data["recordedIn"] = {
                "@type": "VideoObject",
                "name": item.title,
                "contentUrl": item.video_url,
            }
    else:
        if date:
            data["datePublished"] = date
        if kind == "VideoObject":
            data["uploadDate"] = date or item.created_at.date().isoformat()
            if item.video_url:
                data["contentUrl"] = item.video_url
        if people:
            data["actor" if kind == "PodcastEpisode" else "contributor"] = people
        if outlet:
            series = {
                "@type": OUTLET_TYPES.get(outlet.kind, "CreativeWorkSeries"),
                "name": outlet.name,
            }
            if outlet.url:
                series["url"] = outlet.url
            data["partOfSeries" if kind in {"PodcastEpisode", "VideoObject"} else "isPartOf"] = (
                series
            )
    if item.episode_number and kind == "PodcastEpisode":
        data["episodeNumber"] = str(item.episode_number)
    if item.duration and kind != "Event":
        data["duration"] = _iso_duration(item.duration)
    if item.audio_url and kind == "PodcastEpisode":
        data["associatedMedia"] = {"@type": "MediaObject", "contentUrl": item.audio_url}
    same_as = [u for u in (item.url, item.video_url) if u]
    if same_as:
        data["sameAs"] = list(dict.fromkeys(same_as))
    if item.transcript_url:
        data["subjectOf"] = {
            "@type": "CreativeWork",
            "name": "Transcript",
            "url": item.transcript_url,
        }
    papers = [p for p in item.discusses.all() if is_live(p)]
    if papers:
        data["mentions"] = [
            {
                "@type": "ScholarlyArticle",
                "name": p.title,
                "url": absolute_url(request, p.get_absolute_url()),
            }
            for p in papers
        ]
    topics = [t for t in item.topics.all() if is_live(t)]
    if topics:
        data["about"] = [
            {"@type": "Thing", "name": t.name, "url": absolute_url(request, t.get_absolute_url())}
            for t in topics
        ]
    data["identifier"] = item.stable_id
    return data


class MediaItemMetadata(PageMetadata):
    og_type = "article"

    def description(self, item):
        return plain(item.description or item.summary)

    def json_ld(self, item, request):
        return media_item_json_ld(item, request)

    def og_type_of(self, item):
        return "video.other" if item.kind == "video" else self.og_type


register(MediaItem, MediaItemMetadata())
