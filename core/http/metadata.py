"""Machine-readable metadata for detail pages: schema.org JSON-LD, Google Scholar's
``citation_*`` tags, OpenGraph and Twitter cards, canonical URLs.

Each public model's app describes its pages to machines with a ``PageMetadata``
(``register(Model, metadata)`` from its ``AppConfig.ready()``: ``profiles/metadata.py``,
``publications/metadata.py``, ``media_items/metadata.py``): what its JSON-LD says, its
description and picture, its OpenGraph type. Here are what they share (the OpenGraph
and Twitter tags built from those answers, the JSON-LD ``<script>``, plain text, dates);
the ``scholarly`` template tags render it. Builders read an object's fields and the
relations its ``for_detail()`` queryset prefetches, so they add no queries.

Only what visitors may see goes in: a draft co-author or guest is named as the paper
or episode names them, but never linked, and a draft topic is left out.
"""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.http.site_url import absolute_url

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


def plain(text, length=DESCRIPTION_LENGTH):
    return Truncator(" ".join(str(text or "").split())).chars(length)


def is_live(obj):
    return obj is not None and getattr(obj, "is_live", False)


def _label(obj):
    return obj._meta.label_lower


def iso_date(obj):
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


class PageMetadata:
    """What a public model's detail page tells machines; each app subclasses it."""

    og_type = "website"

    def description(self, obj):
        """A short plain-text description for cards and search snippets."""
        return ""

    def json_ld(self, obj, request):
        """The JSON-LD document (a ``dict``), or None."""
        return None

    def image(self, obj, request):
        """The absolute URL of a picture of ``obj``, or ""."""
        return ""

    def og_type_of(self, obj):
        return self.og_type


_REGISTRY = {}
_NONE = PageMetadata()


def register(model, metadata):
    _REGISTRY[model] = metadata


def for_object(obj):
    return _REGISTRY.get(type(obj), _NONE)


def json_ld(obj, request):
    """The JSON-LD document for ``obj``'s page (a ``dict``), or None."""
    return for_object(obj).json_ld(obj, request)


def description(obj):
    """A short plain-text description of ``obj`` for cards and search snippets."""
    return for_object(obj).description(obj)


def social_meta(obj, request):
    """OpenGraph ``property`` tags and Twitter ``name`` tags as ``(attribute, key, value)``."""
    metadata = for_object(obj)
    title = getattr(obj, "title", None) or getattr(obj, "name", "") or str(obj)
    text = metadata.description(obj)
    image = metadata.image(obj, request)
    og_type = metadata.og_type_of(obj)
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
