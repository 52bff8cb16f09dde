from django.conf import settings

from core.db.visibility import can_preview, public_models


class DraftVisibility:
    """``can_preview.<model name>`` in templates (``can_preview.person``): whether the
    user sees drafts of that model, as ``can_preview(user, model)`` decides. An unknown
    name is false, and so is the object itself: there is no "sees every draft"."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, model_name):
        for model in public_models():
            if model._meta.model_name == model_name:
                return can_preview(self.user, model)
        raise KeyError(model_name)

    def __bool__(self):
        return False


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Staff who may view a model see its drafts: templates mark them and may link to them.
        "can_preview": DraftVisibility(getattr(request, "user", None)),
    }
