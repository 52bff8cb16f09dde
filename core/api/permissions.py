from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


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
