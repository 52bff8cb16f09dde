"""Atom feeds over filtered lists.

``FilteredFeed`` reads the same query string as a list page, through the list's own
``FilterSet``, so the feed of ``/publications/?author=x&kind=preprint`` is
``/publications/feed.atom?author=x&kind=preprint`` and holds the same rows. Feeds
carry published objects only, whoever asks: feed readers and caches share them.
"""

import copy
import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from core.http.query import filterset_parameters
from core.http.site_url import absolute_url

FEED_ITEMS = 50
FEED_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all (not even escaped).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    """``value`` without the characters XML 1.0 forbids (strings, and lists of them)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(v) for v in value)
    return value


class SafeAtom1Feed(Atom1Feed):
    """Django's Atom writer refuses control characters with an exception (a 500); an
    editor's stray control character is dropped instead. Summaries are escaped."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *(xml_safe(a) for a in args), **{k: xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        # Atom marks an entry's summary type="html", so readers render it as HTML; ours
        # is plain text (titles, names, abstracts), so it is escaped here, for every feed.
        if isinstance(kwargs.get("description"), str):
            kwargs["description"] = escape(kwargs["description"])
        super().add_item(
            *(xml_safe(a) for a in args), **{k: xml_safe(v) for k, v in kwargs.items()}
        )


class InvalidFilter(Exception):
    pass


@dataclass
class FeedState:
    """What a feed request asked for: the request, the valid FilterSet and, for a
    per-object feed, the object."""

    request: object
    filterset: object = None
    object: object = None


def as_datetime(date, fallback=None):
    """A date as an aware datetime at midnight (Atom needs full timestamps)."""
    if isinstance(date, datetime.datetime):
        return date
    if isinstance(date, datetime.date):
        return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)
    return fallback


def active_filter_labels(filterset):
    """“Kind: Preprint”, “Author: Evan Hubinger”, ... for the filters in force."""
    labels = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        label = field.label or name.replace("_", " ").capitalize()
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        else:
            shown = str(dict(getattr(field, "choices", ()) or ()).get(value, value))
        labels.append(f"{label}: {shown}")
    return labels


class AtomFeed(Feed):
    """An Atom 1.0 feed whose entries are identified by their permalinks.

    The instance in the URLconf is shared by every request, so each request works on
    a copy that knows its request (``self.request``), which item methods need for
    absolute URLs and which Django's ``Feed`` does not pass them. Every link and id is
    made absolute here, from ``core.http.site_url`` (Django would add the request's own host
    to a relative one); subclasses give paths: ``page_path`` (the page the feed
    follows) and ``feed_path``.
    """

    feed_type = SafeAtom1Feed
    request = None

    @method_decorator(require_safe)  # read-only: any other method is a 405
    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.request = request
        try:
            response = Feed.__call__(feed, request, *args, **kwargs)
        except InvalidFilter as error:
            return HttpResponseBadRequest(
                f"These filters were not understood:\n{error}",
                content_type="text/plain; charset=utf-8",
            )
        response["Content-Type"] = FEED_CONTENT_TYPE
        return response

    def author_name(self):
        return settings.SITE_NAME

    def page_path(self, obj):
        raise NotImplementedError

    def feed_path(self, obj):
        return self.request.path

    def link(self, obj):
        return absolute_url(self.request, self.page_path(obj))

    def feed_url(self, obj):
        return absolute_url(self.request, self.feed_path(obj))

    def item_link(self, item):
        return absolute_url(self.request, item.get_absolute_url())

    def item_guid(self, item):
        # The permalink never changes, so a renamed item is not a new entry to readers.
        return absolute_url(self.request, item.get_permalink())

    def item_updateddate(self, item):
        return item.updated_at


class FilteredFeed(AtomFeed):
    """A feed of a filtered list. Subclasses set ``filterset_class``, ``list_url_name``,
    ``base_title`` and ``queryset()``."""

    filterset_class = None
    list_url_name = ""
    feed_url_name = ""
    base_title = ""
    #: Parameters read beyond the FilterSet's (the paper list's search box, ``q``).
    extra_parameters = ()

    def query_parameters(self):
        return (*filterset_parameters(self.filterset_class), *self.extra_parameters)

    def queryset(self):
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.queryset())
        if not filterset.is_valid():
            raise InvalidFilter(
                "\n".join(
                    f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
                )
            )
        return FeedState(request=request, filterset=filterset)

    def _query(self, state):
        params = state.request.GET.copy()
        params.pop("page", None)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else ""

    def title(self, obj):
        labels = active_filter_labels(obj.filterset)
        title = f"{self.base_title} · {settings.SITE_NAME}"
        return f"{title} ({'; '.join(labels)})" if labels else title

    def subtitle(self, obj):
        return f"The newest entries of {self.base_title.lower()} on {settings.SITE_NAME}."

    def page_path(self, obj):
        return reverse(self.list_url_name) + self._query(obj)

    def feed_path(self, obj):
        return reverse(self.feed_url_name) + self._query(obj)

    def items(self, obj):
        return obj.filterset.qs[:FEED_ITEMS]
