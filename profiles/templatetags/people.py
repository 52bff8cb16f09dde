"""Template helpers for profiles.

    {% load people %}
    {% coauthor_items coauthors %}   the <li> items of a co-author list

Built in Python rather than one ``{% include %}`` per item: a prolific author has over a
thousand co-authors. Every value is escaped.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def coauthor_items(coauthors):
    """One ``<li>`` per ``publications.metrics.Coauthor``: the name, linked to their profile
    when they have a published one, and how many papers they share."""
    numbers = {}  # a number formatted once, however many co-authors share it
    items = []
    for coauthor in coauthors:
        name = conditional_escape(coauthor.name)
        if coauthor.person:
            name = f'<a href="{escape(coauthor.url)}">{name}</a>'
        count = coauthor.papers
        if count not in numbers:
            numbers[count] = escape(localize(count))
        papers = f"shared paper{'' if count == 1 else 's'}"
        items.append(
            f'<li><span>{name}</span> <span class="n" title="{numbers[count]} {papers}">'
            f'{numbers[count]}<span class="visually-hidden"> {papers}</span></span></li>'
        )
    return mark_safe("".join(items))
