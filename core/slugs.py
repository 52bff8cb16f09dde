from django.utils.text import slugify


def unique_slug(model, text, *, max_length=None, exclude_pk=None):
    """A slug for ``text`` not yet used by ``model`` (“title”, “title-2”, …)."""
    max_length = max_length or model._meta.get_field("slug").max_length
    base = (slugify(text) or "item")[: max_length - 4].strip("-") or "item"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
