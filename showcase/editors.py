"""The Editors group: full rights on content, read-only history and link health,
nothing on users or groups.

This module is the group's one home. ``ensure_editors_group`` runs after every
``migrate`` and ``flush`` (post_migrate) and creates the group when it is missing: on
a new database, on a flushed one, on a test database after a transactional test.
An existing group is left as the site's administrators have set it. (The showcase
data migrations 0002, 0003 and 0006 that once did this are kept as no-ops.)
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
CONTENT_APPS = ("core", "profiles", "publications", "media_items", "showcase")
READ_ONLY_MODELS = {
    ("publications", "importrun"),
    ("core", "slughistory"),
    ("core", "linkcheck"),
}


def editor_permissions(using="default"):
    """The permissions an editor needs, from the permission rows that exist now."""
    permissions = []
    for permission in (
        Permission.objects.using(using)
        .select_related("content_type")
        .filter(content_type__app_label__in=CONTENT_APPS)
    ):
        key = (permission.content_type.app_label, permission.content_type.model)
        if key in READ_ONLY_MODELS and not permission.codename.startswith("view_"):
            continue
        permissions.append(permission)
    return permissions


def ensure_editors_group(using="default", **kwargs):
    """post_migrate receiver (sent for the showcase app, the last content app, so the
    permission rows of every content app exist by then)."""
    if Group.objects.using(using).filter(name=EDITORS).exists():
        return
    group = Group.objects.using(using).create(name=EDITORS)
    group.permissions.set(editor_permissions(using))
