"""Reading revisions: what changed between two versions of an object, field by field.

Recording happens in the admin (``PublicModelAdmin``), in bulk actions and in imports,
each inside ``reversion.create_revision()``; which models and inlines are kept is
declared in ``showcase.revisions``.
"""

from dataclasses import dataclass

from reversion.models import Version

IGNORED = {"id", "created_at", "updated_at", "stable_id", "edited_fields", "source_record"}
MAX_SHOWN = 160


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _shown(value):
    if value in (None, "", [], {}):
        return "—"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _inline_rows(version):
    """The followed inline rows saved with ``version``, as {label: [repr, ...]}, in order."""
    rows = {}
    others = [
        v
        for v in version.revision.version_set.all()
        if not (v.content_type_id == version.content_type_id and v.object_id == version.object_id)
    ]
    for other in sorted(others, key=lambda v: (v.field_dict.get("position", 0), v.object_id)):
        label = other.content_type.model_class()._meta.verbose_name_plural.capitalize()
        rows.setdefault(label, []).append(other.object_repr)
    return rows


def changes_between(previous, version):
    """Changes from ``previous`` (a Version or None, for the first one) to ``version``."""
    model = version._model
    new, old = version.field_dict, previous.field_dict if previous else {}
    changes = []
    for field in model._meta.concrete_fields + model._meta.many_to_many:
        name = getattr(field, "attname", field.name)
        if field.name in IGNORED or name not in new:
            continue
        before, after = _shown(old.get(name)), _shown(new.get(name))
        if before != after:
            changes.append(Change(str(field.verbose_name).capitalize(), before, after))
    new_rows, old_rows = _inline_rows(version), _inline_rows(previous) if previous else {}
    for label in sorted(set(new_rows) | set(old_rows)):
        if new_rows.get(label, []) != old_rows.get(label, []):
            changes.append(
                Change(label, _shown(old_rows.get(label, [])), _shown(new_rows.get(label, [])))
            )
    return changes


def history(obj):
    """Versions of ``obj``, newest first, each with its changes against the one before."""
    versions = list(
        Version.objects.get_for_object(obj)
        .select_related("revision__user", "content_type")
        .prefetch_related("revision__version_set__content_type")
        .order_by("revision__date_created", "pk")
    )
    entries = []
    previous = None
    for version in versions:
        entries.append({"version": version, "changes": changes_between(previous, version)})
        previous = version
    return list(reversed(entries))
