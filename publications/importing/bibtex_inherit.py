"""``crossref`` and ``xdata`` inheritance, with biblatex's default rules as biber applies
them (``biblatex.def``, "DATA INHERITANCE (CROSSREF)"):

- every field of the parent is inherited (``\\DefaultInheritance{all=true,override=false}``)
  and a field the child has wins;
- for some pairs of entry types the parent's title becomes another field of the child:
  ``booktitle`` (a ``@book`` for its ``@inbook``, a ``@collection`` or ``@reference``
  for its ``@incollection``, a ``@proceedings`` for its ``@inproceedings``),
  ``maintitle`` (an ``@mv…`` parent), ``journaltitle`` (a ``@periodical`` for its
  ``@article``), with ``subtitle`` and ``titleaddon`` likewise; the short, sort and
  index titles are then not inherited; a book's ``author`` is also its parts'
  ``bookauthor``;
- ``ids``, ``crossref``, ``xref``, ``entryset``, ``label``, ``shorthand`` and the other
  fields that name an entry itself are never inherited;
- a parent may have a parent of its own (``@inbook`` → ``@book`` → ``@mvbook``), and
  ``xdata`` entries (``xdata = {a, b}``) give every field they have to each entry that
  names them, before ``crossref`` is applied.

Where we differ, on purpose: identifiers (DOI, eprint, URL…) name the parent, and the
importer finds duplicates by them (a chapter that took its book's DOI would merge into
the book), so they are not inherited; nor are the parent's abstract and keywords, which
describe the whole volume. A classic BibTeX parent's own ``booktitle`` wins over its
title.
"""

# Type aliases biber applies before inheritance (its driver source map).
ALIASES = {
    "conference": "inproceedings",
    "electronic": "online",
    "www": "online",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
}
NEVER = frozenset(
    "ids crossref xref xdata entryset entrysubtype execute label options presort related "
    "relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey".split()
)
# Ours (see the module docstring).
NOT_TAKEN = frozenset(
    "doi eprint eprinttype eprintclass archiveprefix primaryclass url pdf isbn issn "
    "abstract keywords keyword".split()
)
_TITLES_AS = {
    prefix: {"title": f"{prefix}title", "subtitle": f"{prefix}subtitle"}
    | ({"titleaddon": f"{prefix}titleaddon"} if prefix != "journal" else {})
    for prefix in ("book", "main", "journal")
}
_OTHER_TITLES = frozenset({"shorttitle", "sorttitle", "indextitle", "indexsorttitle"})
# (parent types, child types, field → child fields, fields not inherited)
RULES = [
    (
        {"mvbook", "book"},
        {"inbook", "bookinbook", "suppbook"},
        {"author": ("author", "bookauthor")},
        frozenset(),
    ),
    ({"mvbook"}, {"book", "inbook", "bookinbook", "suppbook"}, "main", _OTHER_TITLES),
    (
        {"mvcollection", "mvreference"},
        {"collection", "reference", "incollection", "inreference", "suppcollection"},
        "main",
        _OTHER_TITLES,
    ),
    ({"mvproceedings"}, {"proceedings", "inproceedings"}, "main", _OTHER_TITLES),
    ({"book"}, {"inbook", "bookinbook", "suppbook"}, "book", _OTHER_TITLES),
    (
        {"collection", "reference"},
        {"incollection", "inreference", "suppcollection"},
        "book",
        _OTHER_TITLES,
    ),
    ({"proceedings"}, {"inproceedings"}, "book", _OTHER_TITLES),
    ({"periodical"}, {"article", "suppperiodical"}, "journal", _OTHER_TITLES),
]
MAX_LEVELS = 8  # parents of parents followed; a longer chain is a loop or a mistake


def _rules(parent_type: str, child_type: str) -> tuple[dict, frozenset]:
    parent_type = ALIASES.get(parent_type, parent_type)
    child_type = ALIASES.get(child_type, child_type)
    mapping: dict[str, tuple] = {}
    skipped = NEVER
    for parents, children, fields, not_inherited in RULES:
        if parent_type in parents and child_type in children:
            fields = _TITLES_AS[fields] if isinstance(fields, str) else fields
            for source, targets in fields.items():
                targets = (targets,) if isinstance(targets, str) else targets
                mapping[source] = mapping.get(source, ()) + targets
            skipped = skipped | not_inherited
    return mapping, skipped


def inherit(child_type: str, fields: dict, parent_type: str, parent: dict) -> dict:
    """``fields`` with what they inherit from ``parent`` (both evaluated fields by
    lower-case name; names starting with ``__`` are ours, never inherited)."""
    mapping, skipped = _rules(parent_type, child_type)
    merged = dict(fields)
    mapped = []
    for name, value in parent.items():
        if name in skipped or name in NOT_TAKEN or name.startswith("__"):
            continue
        if name in mapping:
            mapped.append((name, value))
        elif name not in merged:
            merged[name] = value
    # After the parent's own fields, so a classic parent's booktitle wins over its title.
    for name, value in mapped:
        for target in mapping[name]:
            merged.setdefault(target, value)
    return merged


def with_xdata(fields: dict, xdata: dict) -> dict:
    """``fields`` with every field of the ``xdata`` entries they name that they lack."""
    merged = dict(fields)
    for key in split_keys(fields.get("xdata", "")):
        for name, value in xdata.get(key, {}).items():
            if name not in NEVER and not name.startswith("__"):
                merged.setdefault(name, value)
    return merged


def split_keys(value: str) -> list[str]:
    return [key.strip().lower() for key in value.split(",") if key.strip()]
