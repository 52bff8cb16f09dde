"""Search sits below the content apps: it imports none of them (they register their
kinds with it), anywhere in its code, at module level or inside functions."""

import ast
from pathlib import Path

import search

ABOVE = {"profiles", "publications", "media_items", "showcase", "config"}


def test_search_imports_no_content_app():
    root = Path(search.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # the schema is on the content apps' tables, named, not imported
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [
                f"{path.relative_to(root)}: {name}" for name in names if name.split(".")[0] in ABOVE
            ]
    assert found == []


def test_every_content_kind_is_registered_in_tab_order():
    from search.registry import KINDS

    assert list(KINDS) == ["people", "papers", "media", "topics"]
    assert [kind.model._meta.label for kind in KINDS.values()] == [
        "profiles.Person",
        "publications.Publication",
        "media_items.MediaItem",
        "publications.Topic",
    ]
