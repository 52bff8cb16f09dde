"""The one slug policy, for the API, the importer and the demo loader.

- The base is Django's ``slugify`` of the text (a title, a name), cut to the field's
  length less four characters (room for “-2”, “-123”), dashes at the ends stripped;
  ``fallback`` when nothing is left (a title of punctuation only).
- When the base is taken: the base and the year (``-2024``) when a year is known, then
  the base and a number (``-2``, ``-3``, …).

``slug_base`` is the base alone (the demo loader keys its content by it);
``first_free`` picks among candidates given the slugs taken (the importer holds them
in memory); ``unique_slug`` asks the database which are taken (the API).
"""

import re

from django.utils.text import slugify

_DROP = re.compile(r"[^\w\s-]")
_DASHES = re.compile(r"[-\s]+")
ROOM_FOR_NUMBER = 4


def slug_base(text: str, *, max_length: int, fallback: str = "item") -> str:
    if text.isascii():  # what slugify does, without its Unicode normalization (faster)
        base = _DASHES.sub("-", _DROP.sub("", text.lower())).strip("-_")
    else:
        base = slugify(text)
    return base[: max_length - ROOM_FOR_NUMBER].strip("-") or fallback


def first_free(base: str, taken, *, year: int | None = None) -> str:
    """``base``; else ``base-<year>`` when ``year`` is given; else ``base-2``, ``base-3``, …:
    the first not in ``taken``."""
    if base not in taken:
        return base
    if year and f"{base}-{year}" not in taken:
        return f"{base}-{year}"
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def unique_slug(model, text, *, max_length=None, exclude_pk=None, year=None, fallback="item"):
    """A slug for ``text`` not yet used by ``model`` (“title”, “title-2024”, “title-2”, …)."""
    max_length = max_length or model._meta.get_field("slug").max_length
    base = slug_base(text, max_length=max_length, fallback=fallback)
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    return first_free(base, taken, year=year)
