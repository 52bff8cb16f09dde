from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from core.db.stable_ids import normalize_stable_id
from core.db.visibility import can_preview, public_models
from core.models import SlugHistory


class PublicDetailView(DetailView):
    """A public object's page, looked up by slug.

    Visitors get published objects only; staff also get drafts. A slug the object
    used to have redirects permanently to its current URL.
    """

    def get_queryset(self):
        return self.model.objects.for_detail().visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = SlugHistory.find(self.model, kwargs.get(self.slug_url_kwarg, ""))
            if moved is not None and (moved.is_live or can_preview(request.user, self.model)):
                return redirect(moved, permanent=True)
            raise


@require_safe
def permalink(request, stable_id):
    """`/r/<stable id>`: redirect to the object's current page, whatever its type."""
    stable_id = normalize_stable_id(stable_id)
    for model in public_models():
        obj = model.objects.visible_to(request.user).filter(stable_id=stable_id).first()
        if obj is not None:
            return redirect(obj)
    raise Http404("No page has this permalink.")
