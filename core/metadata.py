"""Machine-readable metadata for detail pages: schema.org JSON-LD, Google Scholar's
``citation_*`` tags, OpenGraph and Twitter cards, canonical URLs.

Plain functions that read an object's fields and the relations its ``for_detail()``
queryset prefetches (so they add no queries), and return plain data; the
``scholarly`` template tags render it. They dispatch on the model's label rather
than importing the content apps, so ``core`` stays the bottom layer.

Only what visitors may see goes in: a draft co-author or guest is named as the paper
or episode names them, but never linked, and a draft topic is left out.
"""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .site_url import absolute_url

SCHEMA = "https://schema.org"
DESCRIPTION_LENGTH = 300

# JSON inside <script> must not be able to close the element or open a comment:
# the same escapes as Django's ``json_script``, plus the two JavaScript line breaks.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` element (safe HTML).

    A title containing ``</script>`` or ``<!--`` stays inside the JSON string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _plain(text, length=DESCRIPTION_LENGTH):
    return Truncator(" ".join(str(text or "").split())).chars(length)


def _is_live(obj):
    return obj is not None and getattr(obj, "is_live", False)


def _label(obj):
    return obj._meta.label_lower


# --------------------------------------------------------------------- identifiers

IDENTIFIER_URLS = (
    ("orcid", "https://orcid.org/{}"),
    ("google_scholar_id", "https://scholar.google.com/citations?user={}"),
    ("semantic_scholar_id", "https://www.semanticscholar.org/author/{}"),
    ("dblp_id", "https://dblp.org/pid/{}"),
    ("openalex_id", "https://openalex.org/{}"),
    ("arxiv_author_id", "https://arxiv.org/a/{}"),
)
# Profile links that are the same person elsewhere (not an email, a post, a paper).
SAME_AS_LINK_KINDS = {
    "website",
    "github",
    "x",
    "bluesky",
    "mastodon",
    "linkedin",
    "lesswrong",
    "alignment_forum",
    "google_scholar",
    "orcid",
    "semantic_scholar",
    "dblp",
}


def person_same_as(person):
    """URLs of the same person elsewhere: identifiers first, then profile links."""
    urls = []
    for field, template in IDENTIFIER_URLS:
        value = (getattr(person, field, "") or "").strip()
        if value:
            urls.append(
                value if value.startswith(("http://", "https://")) else template.format(value)
            )
    for link in person.links.all():
        if link.url and link.kind in SAME_AS_LINK_KINDS:
            urls.append(link.url)
    return list(dict.fromkeys(urls))


# --------------------------------------------------------------------- JSON-LD


def _organization(org, request):
    data = {"@type": "Organization", "name": org.name}
    if org.url:
        data["url"] = org.url
    return data


def person_json_ld(person, request):
    """A ``ProfilePage`` whose main entity is the ``Person``."""
    url = absolute_url(request, person.get_absolute_url())
    data = {"@type": "Person", "@id": url + "#person", "name": person.name, "url": url}
    if person.headline:
        data["description"] = person.headline
    if person.photo:
        data["image"] = absolute_url(request, person.photo.url)
    if person.public_email:
        data["email"] = f"mailto:{person.public_email}"
    affiliations = [a for a in person.affiliations.all() if _is_live(a.organization)]
    current = [a for a in affiliations if a.is_current]
    previous = [a for a in affiliations if not a.is_current]
    if current:
        data["worksFor"] = [_organization(a.organization, request) for a in current]
        roles = [a.role for a in current if a.role]
        if roles:
            data["jobTitle"] = roles[0]
    if previous:
        data["alumniOf"] = [_organization(a.organization, request) for a in previous]
    same_as = person_same_as(person)
    if same_as:
        data["sameAs"] = same_as
    if person.orcid:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "ORCID",
            "value": person.orcid,
        }
    return {
        "@context": SCHEMA,
        "@type": "ProfilePage",
        "url": url,
        "dateCreated": person.created_at.isoformat(),
        "dateModified": person.updated_at.isoformat(),
        "mainEntity": data,
    }


def _iso_date(obj):
    """The date as precise as the object knows it: 2024, 2024-01 or 2024-01-10."""
    date = obj.published_on
    if date is None:
        return ""
    precision = getattr(obj, "date_precision", "day")
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _author(authorship, request):
    data = {"@type": "Person", "name": authorship.name}
    person = authorship.person
    if _is_live(person):
        data["url"] = absolute_url(request, person.get_absolute_url())
        if person.orcid:
            data["sameAs"] = f"https://orcid.org/{person.orcid}"
    affiliations = [org for org in authorship.affiliations.all() if _is_live(org)]
    if affiliations:
        data["affiliation"] = [_organization(org, request) for org in affiliations]
    return data


VENUE_TYPES = {"journal_article": "Periodical", "conference_paper": "Event"}


def publication_json_ld(paper, request):
    """A ``ScholarlyArticle`` (or ``Book``/``Thesis``/``Report``) with authors in order."""
    kind_types = {"book": "Book", "thesis": "Thesis", "report": "Report", "chapter": "Chapter"}
    url = absolute_url(request, paper.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": kind_types.get(paper.kind, "ScholarlyArticle"),
        "@id": url,
        "url": url,
        "name": paper.title,
        "headline": _plain(paper.title, 110),
        "author": [_author(a, request) for a in paper.listed_authorships],
        "dateModified": paper.updated_at.isoformat(),
    }
    if _iso_date(paper):
        data["datePublished"] = _iso_date(paper)
    if paper.abstract:
        data["abstract"] = paper.plain_abstract
        data["description"] = _plain(paper.plain_abstract)
    if paper.venue:
        data["isPartOf"] = {
            "@type": VENUE_TYPES.get(paper.kind, "CreativeWork"),
            "name": paper.venue,
        }
    if paper.publisher:
        data["publisher"] = {"@type": "Organization", "name": paper.publisher}
    identifiers, same_as = [], []
    if paper.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi})
        same_as.append(paper.doi_url)
    if paper.arxiv_id:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv_id}
        )
        same_as.append(paper.arxiv_url)
    if paper.url:
        same_as.append(paper.url)
    if identifiers:
        data["identifier"] = identifiers
    if same_as:
        data["sameAs"] = list(dict.fromkeys(same_as))
    if paper.pdf_url:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": paper.pdf_url,
            "encodingFormat": "application/pdf",
        }
    topics = [t for t in paper.topics.all() if _is_live(t)]
    keywords = [*(t.name for t in topics), *(str(k) for k in paper.keywords or [])]
    if keywords:
        data["keywords"] = list(dict.fromkeys(keywords))
    if topics:
        data["about"] = [
            {"@type": "Thing", "name": t.name, "url": absolute_url(request, t.get_absolute_url())}
            for t in topics
        ]
    if paper.citation_count is not None:
        data["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": f"{SCHEMA}/CiteAction",
            "userInteractionCount": paper.citation_count,
        }
    if paper.is_author_list_truncated:
        data["creditText"] = ", ".join(a.name for a in paper.listed_authorships) + " et al."
    return data


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
    description = item.description or _plain(item.summary)
    if description:
        data["description"] = description
    date = _iso_date(item)
    people = [
        {
            "@type": "Person",
            "name": a.person.name,
            "url": absolute_url(request, a.person.get_absolute_url()),
        }
        for a in item.appearances.all()
        if _is_live(a.person)
    ]
    outlet = item.outlet if _is_live(item.outlet) else None
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
    papers = [p for p in item.discusses.all() if _is_live(p)]
    if papers:
        data["mentions"] = [
            {
                "@type": "ScholarlyArticle",
                "name": p.title,
                "url": absolute_url(request, p.get_absolute_url()),
            }
            for p in papers
        ]
    topics = [t for t in item.topics.all() if _is_live(t)]
    if topics:
        data["about"] = [
            {"@type": "Thing", "name": t.name, "url": absolute_url(request, t.get_absolute_url())}
            for t in topics
        ]
    data["identifier"] = item.stable_id
    return data


def topic_json_ld(topic, request):
    url = absolute_url(request, topic.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": topic.name,
        "about": {"@type": "DefinedTerm", "name": topic.name},
    }
    if topic.summary:
        data["description"] = _plain(topic.summary)
    return data


JSON_LD_BUILDERS = {
    "profiles.person": person_json_ld,
    "publications.publication": publication_json_ld,
    "media_items.mediaitem": media_item_json_ld,
    "publications.topic": topic_json_ld,
}


def json_ld(obj, request):
    """The JSON-LD document for ``obj``'s page (a ``dict``), or None for other models."""
    builder = JSON_LD_BUILDERS.get(_label(obj))
    return builder(obj, request) if builder else None


# --------------------------------------------------------------------- Google Scholar

SCHOLAR_VENUE_TAGS = {
    "conference_paper": "citation_conference_title",
    "thesis": "citation_dissertation_institution",
    "report": "citation_technical_report_institution",
    "book": "citation_publisher",
    "chapter": "citation_inbook_title",
}


def scholar_meta(paper, request):
    """Google Scholar's (Highwire Press) tags as ``(name, content)`` pairs, in the
    order Scholar reads them: each author followed by their institutions."""
    tags = [("citation_title", paper.title)]
    for authorship in paper.listed_authorships:
        tags.append(("citation_author", authorship.name))
        person = authorship.person
        if _is_live(person) and person.orcid:
            tags.append(("citation_author_orcid", f"https://orcid.org/{person.orcid}"))
        for org in authorship.affiliations.all():
            if _is_live(org):
                tags.append(("citation_author_institution", org.name))
    date = paper.published_on
    if date:
        precision = paper.date_precision
        value = (
            f"{date.year:04d}"
            if precision == "year"
            else f"{date.year:04d}/{date.month:02d}"
            if precision == "month"
            else f"{date.year:04d}/{date.month:02d}/{date.day:02d}"
        )
        tags.append(("citation_publication_date", value))
    if paper.venue:
        tags.append((SCHOLAR_VENUE_TAGS.get(paper.kind, "citation_journal_title"), paper.venue))
    if paper.publisher and paper.kind != "book":
        tags.append(("citation_publisher", paper.publisher))
    for name, field in (("citation_volume", "volume"), ("citation_issue", "issue")):
        if getattr(paper, field):
            tags.append((name, getattr(paper, field)))
    if paper.pages:
        first, _, last = paper.pages.replace("–", "-").replace("--", "-").partition("-")
        tags.append(("citation_firstpage", first.strip()))
        if last.strip():
            tags.append(("citation_lastpage", last.strip()))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv_id:
        tags.append(("citation_arxiv_id", paper.arxiv_id))
    if paper.pdf_url:
        tags.append(("citation_pdf_url", paper.pdf_url))
    tags.append(("citation_abstract_html_url", absolute_url(request, paper.get_absolute_url())))
    keywords = [t.name for t in paper.topics.all() if _is_live(t)]
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    return tags


# --------------------------------------------------------------------- social cards


def description(obj):
    """A short plain-text description of ``obj`` for cards and search snippets."""
    label = _label(obj)
    if label == "profiles.person":
        return _plain(obj.headline or obj.bio)
    if label == "publications.publication":
        return _plain(obj.plain_abstract)
    if label == "media_items.mediaitem":
        return _plain(obj.description or obj.summary)
    if label == "publications.topic":
        return _plain(obj.summary)
    return ""


OG_TYPES = {
    "profiles.person": "profile",
    "publications.publication": "article",
    "media_items.mediaitem": "article",
}


def social_meta(obj, request):
    """OpenGraph ``property`` tags and Twitter ``name`` tags as ``(attribute, key, value)``."""
    label = _label(obj)
    title = getattr(obj, "title", None) or getattr(obj, "name", "") or str(obj)
    text = description(obj)
    image = ""
    if label == "profiles.person" and obj.photo:
        image = absolute_url(request, obj.photo.url)
    og_type = OG_TYPES.get(label, "website")
    if label == "media_items.mediaitem" and obj.kind == "video":
        og_type = "video.other"
    tags = [
        ("property", "og:type", og_type),
        ("property", "og:title", title),
        ("property", "og:url", absolute_url(request, obj.get_absolute_url())),
        ("property", "og:site_name", settings.SITE_NAME),
    ]
    if text:
        tags.append(("property", "og:description", text))
    if image:
        tags.append(("property", "og:image", image))
    if og_type == "profile":
        parts = obj.name.rsplit(" ", 1)
        if len(parts) == 2:
            tags += [
                ("property", "profile:first_name", parts[0]),
                ("property", "profile:last_name", parts[1]),
            ]
    if og_type == "article":
        date = getattr(obj, "published_on", None)
        if date:
            tags.append(("property", "article:published_time", date.isoformat()))
        tags.append(("property", "article:modified_time", obj.updated_at.isoformat()))
    tags += [
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
    ]
    if text:
        tags.append(("name", "twitter:description", text))
    if image:
        tags.append(("name", "twitter:image", image))
    return tags
