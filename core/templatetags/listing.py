"""Template helpers for filtered lists (``core.http.listing``).

    {% load listing %}
    {% facet_options facets.kinds request.GET.kind %}
    {% facet_options facets.venues request.GET.venue ignore_case=True truncate=60 %}

Built in Python rather than a template loop: a paper list's author, topic and venue
menus run to hundreds of options on every uncached list page. Every value is escaped.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


@register.simple_tag
def facet_options(options, selected="", *, ignore_case=False, truncate=None, titles=False):
    """The ``<option>`` elements of a facet menu: one per ``Option`` (value, label,
    count), ``selected`` when its value is the one in the query string (``selected``,
    compared without case with ``ignore_case``). ``truncate`` shortens labels to that
    many characters; ``titles`` adds each option's ``title`` as a tooltip."""
    selected = str(selected or "")
    if ignore_case:
        selected = selected.lower()
    html = []
    for option in options:
        value = option.value.lower() if ignore_case else option.value
        label = Truncator(option.label).chars(truncate) if truncate else option.label
        html.append(
            f'<option value="{escape(option.value)}"'
            + (f' title="{escape(option.title)}"' if titles else "")
            + (" selected" if value == selected else "")
            + f">{escape(label)} ({escape(localize(option.count))})</option>"
        )
    return mark_safe("".join(html))
