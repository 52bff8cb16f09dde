"""Restoring one version of one object: its fields and its own inline rows as the version
holds them, and nothing else (``core.db.revisions`` says what a version holds).

``plan_restore`` says what a restore would change and what stops it (a slug or an
identifier another object took since, a related object since deleted); ``restore`` does
it in one transaction and records the result as a new version attributed to the editor.
When the object's current state was never recorded (a script or an API client changed
it without a revision), it is recorded first, so every restore can itself be undone.
"""

from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from reversion.models import Version

from core.db.revisions import (
    UnreadableVersion,
    compared_fields,
    describe,
    differences,
    follows,
    related_names,
    state_of_object,
    state_of_version,
    versions_of,
)


class RestoreError(Exception):
    """The version cannot be restored; the message says why, for an editor."""


@dataclass
class RestorePlan:
    version: Version
    obj: object  # the object as stored now, or None when it was deleted
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what is restored otherwise than held
    before: object = None  # State of the object now (None when deleted)
    after: object = None  # State the version holds

    @property
    def can_restore(self):
        return not self.problems and (self.obj is None or bool(self.changes))


def _missing_related(state, names):
    """Problems for related objects ``state`` names that no longer exist."""
    problems = []
    groups = [(state.model, None, [("", state.values)])]
    for relation in follows(state.model):
        rows = state.rows.get(relation.name, [])
        groups.append((relation.related_model, state.model, [(r.label, r.values) for r in rows]))
    for model, parent, labelled in groups:
        for f in compared_fields(model, parent=parent):
            if not f.is_relation:
                continue
            for label, values in labelled:
                value = values.get(f.attname)
                for pk in value if isinstance(value, list) else [value]:
                    if pk in (None, "") or (f.related_model, str(pk)) in names:
                        continue
                    where = f"{model._meta.verbose_name} “{label}”: " if label else ""
                    problems.append(
                        f"{where}{f.verbose_name} #{pk} ({f.related_model._meta.verbose_name}) "
                        "has been deleted since this version was saved."
                    )
    return problems


def _keep_missing_files(after, before):
    """A file the version names that is gone from storage (a replaced photo is deleted)
    is not restored: the current one stays. Notes saying so."""
    notes = []
    for f in compared_fields(after.model):
        name = after.values.get(f.attname)
        if isinstance(f, models.FileField) and name and not f.storage.exists(str(name)):
            after.values[f.attname] = before.values[f.attname] if before else ""
            notes.append(
                f"{str(f.verbose_name).capitalize()}: the file this version used ({name}) "
                "has been deleted since; the current one is kept."
            )
    return notes


def _candidate(plan, state):
    """The object as the restore would save it (not saved)."""
    model = state.model
    instance = plan.obj if plan.obj is not None else plan.version._object_version.object
    for f in compared_fields(model):
        if not f.many_to_many:
            setattr(instance, f.attname, state.values[f.attname])
    return instance


def _clashes(instance):
    """Unique fields and constraints the restored values would break."""
    problems = []
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = instance._meta.get_field(name).verbose_name if name != "__all__" else ""
                for message in messages:
                    problems.append(f"{str(label).capitalize()}: {message}" if label else message)
    return problems


def plan_restore(version):
    """What restoring ``version`` would change (``changes``) and what stops it
    (``problems``). Reads only; the object is left as it is."""
    model = version._model
    obj = model._base_manager.filter(pk=version.object_id).first()
    plan = RestorePlan(version, obj)
    try:
        after = state_of_version(version)
    except UnreadableVersion as error:
        plan.problems.append(
            f"This version was saved by an older version of the site and cannot be read "
            f"any more ({error})."
        )
        return plan
    before = state_of_object(obj) if obj is not None else None
    plan.before = before
    plan.notes = _keep_missing_files(after, before)
    names = related_names([s for s in (before, after) if s is not None])
    plan.changes = differences(before, after, names)
    plan.problems = _missing_related(after, names)
    if not plan.problems:
        instance = _candidate(RestorePlan(version, _fresh(obj)), after)
        plan.problems = _clashes(instance)
    plan.after = after
    return plan


def _fresh(obj):
    """A separate copy of ``obj`` as stored, so checks do not alter the caller's one."""
    return None if obj is None else type(obj)._base_manager.get(pk=obj.pk)


def _record_unrecorded_state(obj, *, user, version):
    """A version of ``obj`` as it is now, unless its newest version already holds that."""
    newest = versions_of(obj).last()
    if newest is not None:
        try:
            if not differences(state_of_version(newest), state_of_object(obj)):
                return
        except UnreadableVersion:
            pass
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"State before restoring {describe(version)} (not recorded before).")
        reversion.add_to_revision(obj)


def restore(version, *, user):
    """Restore ``version``'s object and its own inline rows; nothing else changes. Returns
    the plan it carried out; raises ``RestoreError`` (nothing changed) when a problem
    stops it. The result is recorded as a new version by ``user``."""
    model = version._model
    try:
        with transaction.atomic():
            # Lock the row so a concurrent save cannot slip between the checks and the writes.
            list(model._base_manager.select_for_update().filter(pk=version.object_id))
            plan = plan_restore(version)
            if plan.problems:
                raise RestoreError(" ".join(plan.problems))
            if plan.obj is not None and not plan.changes:
                return plan
            if plan.obj is not None:
                _record_unrecorded_state(plan.obj, user=user, version=version)
            with reversion.create_revision():
                reversion.set_user(user)
                reversion.set_comment(f"Restored {describe(version)}.")
                instance = _apply(plan, plan.after)
                reversion.add_to_revision(instance)
    except IntegrityError as error:
        raise RestoreError(f"The database refused the restored values ({error}).") from None
    return plan


def _changed_names(before, after):
    """Names of the fields and relations whose values differ between two states."""
    model = after.model
    names = [
        f.name
        for f in compared_fields(model)
        if before is None or before.values.get(f.attname) != after.values[f.attname]
    ]
    for relation in follows(model):
        old = [(r.pk, r.values) for r in (before.rows.get(relation.name, []) if before else [])]
        if old != [(r.pk, r.values) for r in after.rows.get(relation.name, [])]:
            names.append(relation.name)
    return names


def _apply(plan, state):
    """Write ``state`` over the object (or recreate it) and replace its inline rows."""
    model = state.model
    instance = _candidate(plan, state)
    if plan.obj is not None:
        # What an editor puts back by hand is theirs, as an edit in the form would be.
        instance.note_edited(_changed_names(plan.before, state))
    instance.save(force_insert=plan.obj is None)
    fields = compared_fields(model)
    for f in fields:
        if f.many_to_many:
            getattr(instance, f.name).set(state.values[f.attname])
    for relation in follows(model):
        row_model, owner = relation.related_model, relation.field
        # Deleted and written again with their old ids: positions may have swapped, and a
        # unique (paper, position) constraint would refuse rows updated one at a time.
        row_model._base_manager.filter(**{owner.name: instance.pk}).delete()
        row_fields = compared_fields(row_model, parent=model)
        for row in state.rows.get(relation.name, []):
            values = {f.attname: row.values[f.attname] for f in row_fields if not f.many_to_many}
            obj = row_model(pk=row.pk, **{owner.attname: instance.pk}, **values)
            obj.save(force_insert=True)
            for f in row_fields:
                if f.many_to_many:
                    getattr(obj, f.name).set(row.values[f.attname])
    return instance
