"""Revisions as an editor means them: a version of an object is that object and its own
inline rows (a paper's authors, a person's affiliations, links, reported figures and
selected work, a media item's appearances and key points), nothing else.

django-reversion records a revision per save (admin, bulk actions, imports, the demo
loader). One revision may hold many top-level objects (an import run, a bulk publish,
the demo load), and reversion's own revert puts back the whole revision. Here a version
is always read, compared and restored on its own: the object's own ``Version`` plus the
versions, in the same revision, of the rows its followed relations point at it
(``own_rows``). Restoring one paper of an import run touches that paper only.

Which relations a model's versions follow is declared once, by its admin's inlines
(``register``, called by ``core.admin.PublicModelAdmin``).
"""

import datetime
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models, transaction
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import _get_options

# Kept as they are now by a restore, and not shown as changes: bookkeeping, not content
# (so are fields editors cannot edit: ids, audit times, what imports keep for themselves).
IGNORED = {"source_record"}
MAX_SHOWN = 160


# -- registration -------------------------------------------------------------------------
_row_labels = {}  # (model, relation name) → what editors call those rows ("Authors")


def register(model, follow):
    """Keep revisions of ``model`` that follow the relations in ``follow`` ({name of a
    reverse foreign key of inline rows: what editors call those rows}). Registering again
    replaces the follow list: the last admin registered for a model (e.g. one that adds
    an inline) declares it."""
    for name, label in follow.items():
        _row_labels[(model, name)] = label
    follow = tuple(follow)
    for name in follow:
        row_model = model._meta.get_field(name).related_model
        if not reversion.is_registered(row_model):
            reversion.register(row_model)
    if reversion.is_registered(model):
        if _get_options(model).follow == follow:
            return
        reversion.unregister(model)
    reversion.register(model, follow=follow)


def row_models():
    """The models whose versions are rows of another object's versions (authorships,
    affiliations, …), not objects of their own."""
    return {
        relation.related_model
        for model in reversion.get_registered_models()
        for relation in follows(model)
    }


def follows(model):
    """The reverse relations (``ManyToOneRel``) a version of ``model`` holds rows of."""
    return [model._meta.get_field(name) for name in _get_options(model).follow]


@contextmanager
def recorded(*, user, comment):
    """A transaction whose saves are kept as one revision by ``user`` with ``comment``."""
    with transaction.atomic(), reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield


# -- what a version holds -----------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One inline row as a version or the database holds it."""

    pk: str
    label: str
    values: dict  # attname → value, the compared fields only


@dataclass
class State:
    """An object's compared field values and its inline rows, per followed relation."""

    model: type
    values: dict
    rows: dict = field(default_factory=dict)  # relation name → [Row] in display order
    versions: list = field(default_factory=list)  # the Version rows it was read from


class UnreadableVersion(Exception):
    """A version whose data this code cannot load (written by a much older schema)."""


# What reading a version's data raises when it no longer fits the models.
READ_ERRORS = (RevertError, ObjectDoesNotExist, LookupError, ValueError, TypeError)


def compared_fields(model, *, parent=None):
    """The fields a version of ``model`` is compared and restored on."""
    names = set(_get_options(model).fields)
    fields = []
    for f in model._meta.concrete_fields + model._meta.many_to_many:
        if f.name not in names or f.name in IGNORED or f.primary_key or not f.editable:
            continue
        if (
            parent is not None
            and f.is_relation
            and f.related_model is parent
            and not f.many_to_many
        ):
            continue  # a row's link to the object it belongs to
        fields.append(f)
    return fields


def _version_values(version, fields):
    try:
        data = version.field_dict
    except READ_ERRORS as error:
        raise UnreadableVersion(f"{version.object_repr}: {error}") from None
    values = {}
    for f in fields:
        if f.attname in data:
            value = data[f.attname]
            values[f.attname] = sorted(map(str, value)) if f.many_to_many else value
        else:
            values[f.attname] = None if f.many_to_many else f.get_default()
    return values


def _object_values(obj, fields):
    values = {}
    for f in fields:
        if f.many_to_many:
            values[f.attname] = sorted(
                map(str, getattr(obj, f.name).values_list("pk", flat=True).order_by())
            )
        else:
            values[f.attname] = getattr(obj, f.attname)
    return values


def _row_order(model, values, pk):
    """A sort key following the row model's ``Meta.ordering`` where it names its own
    fields (``position``), empty values last, then the primary key."""
    key = []
    for entry in model._meta.ordering:
        name = getattr(getattr(entry, "expression", None), "name", entry)
        if not isinstance(name, str):
            continue
        name = name.lstrip("-")
        try:
            attname = model._meta.get_field(name).attname
        except FieldDoesNotExist:  # ordering across a relation: not this row's own field
            continue
        if attname in values:
            value = values[attname]
            key.append((value is None, value if value is not None else 0))
    int_pk = int(pk) if str(pk).isdigit() else 0
    return (*key, int_pk, str(pk))


def own_rows(versions, model):
    """The versions among ``versions`` (of one revision or several) that belong to
    objects of ``model``: {(revision id, object id): [Version of a row, ...]}. A row
    belongs to the object its foreign key names."""
    result = {}
    by_type = {}
    for relation in follows(model):
        by_type[relation.related_model] = relation
    for version in versions:
        relation = by_type.get(version._model)
        if relation is None:
            continue
        try:
            fields = json.loads(version.serialized_data)[0]["fields"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        owner = fields.get(relation.field.name)
        if owner is not None:
            result.setdefault((version.revision_id, str(owner)), []).append(version)
    return result


def candidate_row_versions(model, object_id, revision_ids):
    """The row versions that may belong to ``object_id`` in those revisions: one query,
    narrowed in the database by the owner's id in the serialized text (a superset: it
    also finds 12 when looking for 1, which ``own_rows`` then drops)."""
    relations = follows(model)
    if not relations or not revision_ids:
        return []
    query = models.Q()
    for relation in relations:
        query |= models.Q(
            content_type__model=relation.related_model._meta.model_name,
            content_type__app_label=relation.related_model._meta.app_label,
            serialized_data__contains=f'"{relation.field.name}": {object_id}',
        )
    return list(
        Version.objects.filter(revision_id__in=revision_ids)
        .filter(query)
        .select_related("content_type")
    )


def state_of_version(version, row_versions=None):
    """The ``State`` ``version`` holds: its object's values and its own rows."""
    model = version._model
    state = State(model, _version_values(version, compared_fields(model)), versions=[version])
    if row_versions is None:
        row_versions = own_rows(
            candidate_row_versions(model, version.object_id, [version.revision_id]), model
        ).get((version.revision_id, str(version.object_id)), [])
    by_model = {}
    for row_version in row_versions:
        by_model.setdefault(row_version._model, []).append(row_version)
    for relation in follows(model):
        row_model = relation.related_model
        fields = compared_fields(row_model, parent=model)
        rows = []
        for row_version in by_model.get(row_model, []):
            values = _version_values(row_version, fields)
            rows.append(Row(row_version.object_id, row_version.object_repr, values))
            state.versions.append(row_version)
        rows.sort(key=lambda row, m=row_model: _row_order(m, row.values, row.pk))
        state.rows[relation.name] = rows
    return state


def state_of_object(obj):
    """The ``State`` of ``obj`` as stored now."""
    model = type(obj)
    state = State(model, _object_values(obj, compared_fields(model)))
    for relation in follows(model):
        row_model = relation.related_model
        fields = compared_fields(row_model, parent=model)
        rows = [
            Row(str(row.pk), str(row), _object_values(row, fields))
            for row in row_model._default_manager.filter(**{relation.field.name: obj.pk})
        ]
        rows.sort(key=lambda row, m=row_model: _row_order(m, row.values, row.pk))
        state.rows[relation.name] = rows
    return state


# -- what changed -------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One field, or one list of inline rows, that differs; ``rows`` details the rows
    added, removed or changed (``RowChange``) for an inline list."""

    label: str
    old: str
    new: str
    rows: tuple = ()


@dataclass(frozen=True)
class RowChange:
    kind: str  # "added", "removed", "changed"
    label: str
    changes: tuple = ()  # Change per field, for "changed"


def _label(f):
    return str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]


def _clip(text):
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def shown(f, value, names=None):
    """A value as an editor reads it: a choice's label, Yes/No, a related object's name
    (``names`` maps (model, pk) → text), a date in the site's format."""
    if value in (None, "", [], {}):
        return "—"
    if f.many_to_many or f.is_relation:
        ids = value if isinstance(value, list) else [value]
        model = f.related_model
        texts = [(names or {}).get((model, str(pk))) or f"#{pk} (deleted)" for pk in ids]
        return _clip(", ".join(texts))
    if f.choices:
        return _clip(str(dict(f.flatchoices).get(value, value)))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return localize(template_localtime(value))
    if isinstance(value, datetime.date):
        return localize(value)
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
            return _clip(", ".join(map(str, value)))
        if isinstance(value, dict) and all(not isinstance(v, (list, dict)) for v in value.values()):
            return _clip(", ".join(f"{k}: {v}" for k, v in value.items()))
        return _clip(json.dumps(value, ensure_ascii=False))
    return _clip(str(value))


def related_names(states):
    """{(model, pk as text): str(object)} for every related object the states name, in one
    query per related model (deleted ones are absent)."""
    wanted = {}
    for state in states:
        groups = [(state.model, None, [state.values])]
        groups += [
            (rel.related_model, state.model, [r.values for r in state.rows.get(rel.name, [])])
            for rel in follows(state.model)
        ]
        for model, parent, value_dicts in groups:
            for f in compared_fields(model, parent=parent):
                if not f.is_relation:
                    continue
                for values in value_dicts:
                    value = values.get(f.attname)
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(f.related_model, set()).update(
                        str(pk) for pk in ids if pk not in (None, "")
                    )
    names = {}
    for model, ids in wanted.items():
        if ids:
            for obj in model._base_manager.filter(pk__in=list(ids)):
                names[(model, str(obj.pk))] = str(obj)
    return names


def _field_changes(fields, before, after, names):
    changes = []
    for f in fields:
        old, new = before.get(f.attname), after.get(f.attname)
        if old != new:
            old_text, new_text = shown(f, old, names), shown(f, new, names)
            if old_text != new_text:
                changes.append(Change(_label(f), old_text, new_text))
    return changes


def differences(before, after, names=None):
    """The changes from ``before`` to ``after`` (two ``State``s of one object, or None
    for ``before`` when ``after`` is the first version), field by field with the
    fields' labels, then each inline list with its rows added, removed and changed."""
    model = after.model
    if names is None:
        names = related_names([s for s in (before, after) if s is not None])
    old_values = before.values if before else {}
    changes = _field_changes(compared_fields(model), old_values, after.values, names)
    for relation in follows(model):
        row_model = relation.related_model
        fields = compared_fields(row_model, parent=model)
        old_rows = before.rows.get(relation.name, []) if before else []
        new_rows = after.rows.get(relation.name, [])
        old_by_pk = {row.pk: row for row in old_rows}
        new_by_pk = {row.pk: row for row in new_rows}
        details = []
        for row in old_rows:
            if row.pk not in new_by_pk:
                details.append(RowChange("removed", row.label))
        for row in new_rows:
            if row.pk not in old_by_pk:
                details.append(RowChange("added", row.label))
            else:
                changed = _field_changes(fields, old_by_pk[row.pk].values, row.values, names)
                if changed:
                    details.append(RowChange("changed", row.label, tuple(changed)))
        if details or [r.pk for r in old_rows] != [r.pk for r in new_rows]:
            changes.append(
                Change(
                    _rows_label(model, relation),
                    _clip(", ".join(r.label for r in old_rows)) or "—",
                    _clip(", ".join(r.label for r in new_rows)) or "—",
                    tuple(details),
                )
            )
    return changes


def _rows_label(model, relation):
    text = str(
        _row_labels.get((model, relation.name), relation.related_model._meta.verbose_name_plural)
    )
    return text[:1].upper() + text[1:]


# -- history --------------------------------------------------------------------------------
def versions_of(obj_or_model, object_id=None):
    """The versions of one object, oldest first."""
    if object_id is None:
        queryset = Version.objects.get_for_object(obj_or_model)
    else:
        queryset = Version.objects.get_for_object_reference(obj_or_model, object_id)
    return queryset.select_related("revision__user", "content_type").order_by(
        "revision__date_created", "pk"
    )


def states_of(versions, model, object_id):
    """``State`` per version (None for one that cannot be read), its rows fetched for all
    versions in one query."""
    rows = own_rows(
        candidate_row_versions(model, object_id, [v.revision_id for v in versions]), model
    )
    states = []
    for version in versions:
        try:
            own = rows.get((version.revision_id, str(version.object_id)), [])
            states.append(state_of_version(version, own))
        except UnreadableVersion:
            states.append(None)
    return states


def history(obj):
    """Versions of ``obj``, newest first, each with its changes against the one before
    (``changes``; None when a version's data cannot be read any more)."""
    versions = list(versions_of(obj))
    states = states_of(versions, type(obj), obj.pk)
    names = related_names([s for s in states if s is not None])
    entries = []
    previous = None
    for version, state in zip(versions, states, strict=True):
        changes = None if state is None else differences(previous, state, names)
        entries.append({"version": version, "changes": changes, "readable": state is not None})
        previous = state if state is not None else previous
    return list(reversed(entries))


def describe(version):
    """“the version of 7 Dec 2026, 14:03 by alice”, for messages."""
    when = localize(template_localtime(version.revision.date_created))
    user = version.revision.user
    return f"the version of {when}" + (f" by {user.get_username()}" if user else "")
