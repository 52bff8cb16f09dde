"""The access-control matrix: five roles and what each may do in the admin.

README's "Access control" paragraph describes this table; the tests in
``test_access_matrix.py`` and ``test_draft_leaks.py`` hold the site to it.

Rights are Django's model permissions as the admin uses them: ``v`` view, ``a`` add,
``c`` change, ``d`` delete. A role sees a public model's drafts and scheduled items on the
public site, in the API and in previews exactly when it may view that model here.
"""

from django.contrib.auth.models import Permission

from tests.factories import (
    EditorFactory,
    MediaItemFactory,
    OrganizationFactory,
    OutletFactory,
    PersonFactory,
    PublicationFactory,
    StaffFactory,
    SuperuserFactory,
    TopicFactory,
)

ROLES = ("anonymous", "editor", "staff_without_permission", "staff", "superuser")
ALL = "vacd"

# The public models (each has drafts, a publishing window and a public page), with the
# factory of each.
FACTORIES = {
    "profiles.person": PersonFactory,
    "profiles.organization": OrganizationFactory,
    "publications.publication": PublicationFactory,
    "publications.topic": TopicFactory,
    "media_items.mediaitem": MediaItemFactory,
    "media_items.outlet": OutletFactory,
}
PUBLIC_MODELS = tuple(FACTORIES)
# Every model with an admin. A model admin added later must be listed here (and in the
# rights below when a role other than the superuser may use it), or the matrix fails.
ADMIN_MODELS = (
    *PUBLIC_MODELS,
    "publications.importrun",
    "core.slughistory",
    "core.linkcheck",
    "auth.user",
    "auth.group",
    "authtoken.tokenproxy",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
)

RIGHTS = {
    "anonymous": {},
    # Staff accounts get nothing until given permissions: the admin index, their own
    # password, and the public site as a visitor sees it.
    "staff_without_permission": {},
    # Staff with some permissions: here full use of topics (no add or delete) and a
    # read-only view of papers.
    "staff": {"publications.topic": "vc", "publications.publication": "v"},
    # The Editors group (showcase/editors.py): all content, read-only history of imports,
    # old slugs and link checks; nothing on accounts, tokens or login lockouts.
    "editor": {
        **dict.fromkeys(PUBLIC_MODELS, ALL),
        "publications.importrun": "v",
        "core.slughistory": "v",
        "core.linkcheck": "v",
    },
    "superuser": dict.fromkeys(ADMIN_MODELS, ALL),
}

# What an admin refuses everyone, superusers included: rows that only the software writes.
ADMIN_REFUSES = {
    "publications.importrun": "ac",
    "core.slughistory": "a",
    "core.linkcheck": "ac",
    "axes.accessattempt": "a",
    "axes.accesslog": "a",
    "axes.accessfailurelog": "a",
}


def rights(role, label):
    """What ``role`` may do with the model ``label`` ("app_label.model_name") in the admin."""
    granted = RIGHTS[role].get(label, "")
    return "".join(right for right in granted if right not in ADMIN_REFUSES.get(label, ""))


def may_view(role, label):
    return bool(set(rights(role, label)) & {"v", "c"})


def make_user(role):
    """A user in ``role`` (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "editor":
        return EditorFactory()
    if role == "superuser":
        return SuperuserFactory()
    user = StaffFactory()
    names = {"v": "view", "a": "add", "c": "change", "d": "delete"}
    for label, granted in RIGHTS[role].items():
        app_label, model_name = label.split(".")
        user.user_permissions.add(
            *(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{names[r]}_{model_name}"
                )
                for r in granted
            )
        )
    return user


def client_for(client, role):
    user = make_user(role)
    if user is not None:
        client.force_login(user)
    return client
