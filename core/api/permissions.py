from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


def can_view_drafts(user, model):
    """Staff with the model's view permission see unpublished rows in the API."""
    if user is None or not (user.is_active and user.is_staff):
        return False
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


class StaffModelPermissions(DjangoModelPermissions):
    """Reads are open to everyone (the views narrow them to what the user may see);
    writes need an active staff user with the model's add, change or delete permission."""

    authenticated_users_only = False

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        return super().has_permission(request, view)
