"""The query parameters each public page reads, and nothing else.

A page declares the parameters it reads (``query_parameters`` on the view class, the
feed or the view function; ``takes_query`` for functions). Before any view, page-cache
lookup or template sees a public GET (``CanonicalQueryMiddleware``), the query string is
cut down to those parameters, sorted by name: ``?utm_source=x`` or ``?b=2&a=1`` render
and are cached exactly as their canonical URL, so nobody can fill the page cache with
copies of one page, or force uncached renders, by adding parameters. A parameter a page
does not declare never reaches it, so a forgotten declaration shows at once, in the
tests of that page.
"""

from django.http import QueryDict
from django.urls import Resolver404, resolve


def takes_query(*names):
    """Declare the query parameters a view function reads: ``@takes_query("q", "page")``."""

    def declare(view):
        view.query_parameters = tuple(names)
        return view

    return declare


def filterset_parameters(filterset_class):
    """The parameter names a django-filter ``FilterSet`` reads (a range filter reads
    ``<name>_min`` and ``<name>_max``, say)."""
    names = []
    for name, filter_ in filterset_class.base_filters.items():
        suffixes = getattr(filter_.field.widget, "suffixes", None)
        names += [f"{name}_{suffix}" if suffix else name for suffix in suffixes or [""]]
    return tuple(names)


def declared_parameters(view):
    """The names ``view`` (a resolved view function, a class-based view's function or a
    feed instance) declares; none when it declares nothing."""
    declared = getattr(getattr(view, "view_class", view), "query_parameters", ())
    if callable(declared):
        declared = declared()
    return frozenset(declared)


def canonicalize(request):
    """Cut ``request``'s query string down to what its view declares, sorted by name
    (repeated values keep their order), in ``request.GET`` and ``QUERY_STRING`` alike.
    A path that names no view is left alone: its answer (a 404, or the redirect that adds
    a slash, which keeps the query) is never cached."""
    if not request.META.get("QUERY_STRING"):
        return
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return
    names = declared_parameters(match.func)
    kept = QueryDict(mutable=True)
    for name in sorted(names.intersection(request.GET)):
        kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()
