"""What of this app site search finds (``search.registry``)."""

from search.registry import SearchKind, register

from .models import MediaItem

register(
    SearchKind(
        key="media",
        label="Media",
        singular="media item",
        model=MediaItem,
        fields=(
            ("title", "A"),
            ("description", "B"),
            ("summary", "B"),
            ("cached_content", "D"),
        ),
        snippet_fields=("description", "summary", "cached_content"),
        # The outlet, not the people: a result names no one, so no appearances query.
        shows=lambda rows: rows.select_related("outlet").defer("cached_content"),
        position=30,
    )
)
