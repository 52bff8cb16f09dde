"""Each content app registers its searchable kinds with search (search imports none of
them: tests/test_architecture.py checks every floor's imports)."""


def test_every_content_kind_is_registered_in_tab_order():
    from search.registry import KINDS

    assert list(KINDS) == ["people", "papers", "media", "topics"]
    assert [kind.model._meta.label for kind in KINDS.values()] == [
        "profiles.Person",
        "publications.Publication",
        "media_items.MediaItem",
        "publications.Topic",
    ]
