"""Migrations apply from zero and back, on whichever database the suite runs on."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

PROJECT_APPS = ("core", "profiles", "publications", "media_items", "showcase")


# No serialized_rollback: the flush after this test sends post_migrate, which recreates
# the Editors group (showcase.editors) for the tests that run after it.
@pytest.mark.django_db(transaction=True)
def test_project_migrations_unapply_to_zero_and_apply_again():
    for app in reversed(PROJECT_APPS):
        call_command("migrate", app, "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not any(t.startswith(("publications_", "media_items_", "profiles_")) for t in tables)
    call_command("migrate", verbosity=0)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert "publications_publication" in connection.introspection.table_names()
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="Editors").exists()


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_editors_group_back():
    from django.contrib.auth.models import Group

    from showcase.editors import editor_permissions

    before = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    call_command("flush", interactive=False, verbosity=0)
    editors = Group.objects.get(name="Editors")
    after = set(editors.permissions.values_list("codename", flat=True))
    assert after == before == {p.codename for p in editor_permissions()}
    assert "change_publication" in after
    assert "view_importrun" in after and "change_importrun" not in after
    assert "view_linkcheck" in after and "delete_linkcheck" not in after
    assert not any(code.endswith(("_user", "_group")) for code in after)


@pytest.mark.django_db(transaction=True)
def test_migrate_keeps_an_existing_editors_group_as_the_site_set_it():
    # The group has one home (showcase.editors, post_migrate); the old data migrations
    # are no-ops, so re-running migrate never resets what administrators changed.
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(*editors.permissions.filter(codename="delete_publication"))
    call_command("migrate", "showcase", "0001", verbosity=0)
    call_command("migrate", verbosity=0)
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert "delete_publication" not in codenames and "change_publication" in codenames
