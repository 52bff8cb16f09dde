from django.conf import settings

from .views import can_preview


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Staff preview drafts: templates mark them and may link to them.
        "can_preview": can_preview(request.user) if hasattr(request, "user") else False,
    }
