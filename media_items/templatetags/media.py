from django import template

register = template.Library()


@register.filter
def human_duration(value):
    """A ``timedelta`` as people say it: "1 h 42 min", "48 min", "35 s"."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds <= 0:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"


@register.filter
def iso_duration(value):
    """A ``timedelta`` as ISO 8601 (PT1H42M) for ``<time datetime>``."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (
        "PT"
        + (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}S" if seconds or not (hours or minutes) else "")
    )
