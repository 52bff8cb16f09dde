"""The house plan, checked by reading the code with ``ast``: each app imports only from the
floors below it (at module level and inside functions), ``core`` names no app, and no module
grows past what a reader can hold in their head. docs/architecture.md explains the floors."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["core", "search", "profiles", "publications", "media_items", "showcase", "config"]
CONTENT_APPS = FLOORS[2:6]
MAX_LINES = 600
# "publications", "profiles.Person", "media:detail", "showcase/demo.html", "config.settings"
APP_REFERENCE = re.compile(rf"^({'|'.join(FLOORS[1:])})([.:/].*)?$")


def _modules():
    for floor in FLOORS:
        for path in sorted((ROOT / floor).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield floor, path


def _imported(tree, path):
    """Every module name an import statement names, relative imports resolved."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(ROOT).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            else:
                yield node.lineno, node.module


def test_the_floors_exist():
    assert [floor for floor in FLOORS if not (ROOT / floor / "__init__.py").exists()] == []


def test_no_import_runs_back_up():
    upward = []
    for floor, path in _modules():
        here = FLOORS.index(floor)
        for line, name in _imported(ast.parse(path.read_text()), path):
            top = name.split(".")[0]
            if top in FLOORS and FLOORS.index(top) > here:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert upward == []


def test_core_names_no_app():
    """Not by import, and not by string either (an app label, a dotted path, a URL name)."""
    named = []
    for floor, path in _modules():
        if floor != "core":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and APP_REFERENCE.match(node.value)
            ):
                named.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert named == []


@pytest.mark.parametrize("floor", FLOORS)
def test_no_module_over_the_limit(floor):
    long = [
        f"{path.relative_to(ROOT)}: {length} lines"
        for this_floor, path in _modules()
        if this_floor == floor and (length := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []
