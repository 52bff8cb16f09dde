"""Every URL pattern the site answers, read from Django's URL resolver, so that the
access-control matrix covers each route, including ones added later."""

from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole pattern, e.g. "admin/publications/publication/<path:object_id>/"
    name: str | None  # with its namespaces, e.g. "admin:publications_publication_change"

    def __str__(self):
        return self.name or self.pattern


def all_routes():
    """Each route once (a view answering several patterns, e.g. API format suffixes, is
    one route per pattern)."""
    routes = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
            else:
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                routes.append(Route(prefix + str(entry.pattern), name))

    walk(get_resolver(), "", "")
    return routes
