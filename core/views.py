from django.apps import apps
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from .models import PublicModel, SlugHistory
from .stable_ids import normalize_stable_id


def can_preview(user, model):
    """Whether ``user`` sees drafts of ``model`` (with a banner): staff who may view that
    model in the admin do; visitors, and staff without that permission, see the public
    site as a visitor does. Always per model: a draft person named on a paper's page is
    shown only to those who may view people."""
    if user is None or not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def sees_drafts(user):
    """Whether ``user`` may preview drafts of any public model. Those who may not see
    exactly what an anonymous visitor sees, so what is rendered or counted for one of
    them may be kept and shown to all (``core.page_cache.cached_for_content``)."""
    if user is None or not (user.is_active and user.is_staff):
        return False  # no permission lookup, hence no query, for visitors
    return any(can_preview(user, model) for model in public_models())


def visible_to(queryset, user):
    """``queryset`` (or manager) narrowed to what ``user`` may see: everything for staff
    who may view that model, published objects for everyone else."""
    return queryset.all() if can_preview(user, queryset.model) else queryset.published()


class PublicDetailView(DetailView):
    """A public object's page, looked up by slug.

    Visitors get published objects only; staff also get drafts. A slug the object
    used to have redirects permanently to its current URL.
    """

    def get_queryset(self):
        return visible_to(self.model.objects.for_detail(), self.request.user)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = SlugHistory.find(self.model, kwargs.get(self.slug_url_kwarg, ""))
            if moved is not None and (moved.is_live or can_preview(request.user, self.model)):
                return redirect(moved, permanent=True)
            raise


def public_models():
    return [model for model in apps.get_models() if issubclass(model, PublicModel)]


@require_safe
def permalink(request, stable_id):
    """`/r/<stable id>`: redirect to the object's current page, whatever its type."""
    stable_id = normalize_stable_id(stable_id)
    for model in public_models():
        obj = visible_to(model.objects.all(), request.user).filter(stable_id=stable_id).first()
        if obj is not None:
            return redirect(obj)
    raise Http404("No page has this permalink.")
