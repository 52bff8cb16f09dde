from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class StaffModelPermissions(DjangoModelPermissions):
    """Reads are open to everyone (the views narrow them to what the user may see);
    writes need an active staff user with the model's add, change or delete permission.

    A write that sends a nested list whose rows are models of their own (a paper's
    ``authorships``, a media item's ``appearances`` and ``key_points``: the serializer's
    ``Meta.inline_models``) also needs the rights the admin asks for those rows as
    inlines: ``add`` on create, and ``add``, ``change`` and ``delete`` to replace the list
    of an existing object. Related objects given by slug are looked up among what the user
    may see (``core.api.fields.SummaryRelatedField``)."""

    authenticated_users_only = False

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if not super().has_permission(request, view):
            return False
        self.check_inline_permissions(request, view)
        return True

    def check_inline_permissions(self, request, view):
        inline_models = getattr(view.get_serializer_class().Meta, "inline_models", {})
        data = request.data if isinstance(request.data, dict) else {}
        actions = ("add",) if request.method == "POST" else ("add", "change", "delete")
        for name, model in inline_models.items():
            if name not in data:
                continue
            opts = model._meta
            missing = [
                action
                for action in actions
                if not request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            ]
            if missing:
                raise PermissionDenied(
                    f"Sending “{name}” needs the permission to {_words(actions, 'and')} "
                    f"{opts.verbose_name_plural}; you may not {_words(missing, 'or')} them."
                )


def _words(items, conjunction):
    """``add, change and delete``."""
    return f" {conjunction} ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
