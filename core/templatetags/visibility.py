"""Who sees what, for templates: filters over ``core.db.visibility``, so that no template
spells the rule out again.

    {% load visibility %}
    {% if org|shown_to:request.user %}<a href="{{ org.get_absolute_url }}">…</a>{% endif %}
    {% with state=object|draft_state %}{% if state == "scheduled" %}…{% endif %}{% endwith %}
"""

from django import template

from core.db import visibility

register = template.Library()


@register.filter
def shown_to(obj, user):
    """Whether ``user`` may see ``obj`` (``core.db.visibility.is_shown``); false for no
    object. Without a request in the context ``request.user`` arrives as "", a visitor."""
    return obj is not None and obj != "" and visibility.is_shown(obj, user or None)


@register.filter
def draft_state(obj):
    """Why visitors do not see ``obj`` (``core.db.visibility.draft_state``): "scheduled",
    "draft", or "" when they do (or when there is no object)."""
    return visibility.draft_state(obj) if obj else ""
