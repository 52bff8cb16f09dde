"""Staff preview: a public page rendered exactly as a visitor would see it.

The admin (``PublicModelAdmin``) opens these at staff-only URLs: the saved object
(a draft, a scheduled item, or a live one) on GET, and the change form's unsaved
values on POST. The page is built by the public view its ``get_absolute_url()`` resolves
to (so the admin needs no import of any view), with the
visibility of an anonymous visitor for everything around the object (draft papers on
a profile stay hidden, as they will for visitors), and nothing is written.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.db.models import FileField
from django.urls import resolve

SAVED = "saved"
UNSAVED = "unsaved"


def render_preview(request, obj, *, mode=SAVED):
    """The response of the public page of ``obj`` (a ``PublicDetailView``, found by
    resolving its ``get_absolute_url()``) showing ``obj`` as is."""
    visitor = copy.copy(request)
    visitor.user = AnonymousUser()
    visitor.GET = request.GET.copy()
    visitor.method = "GET"
    match = resolve(obj.get_absolute_url())
    view = match.func.view_class()
    view.setup(visitor, *match.args, **match.kwargs)
    view.get_object = lambda queryset=None: obj
    view.extra_context = {"preview": {"mode": mode, "live": obj.is_live}}
    response = view.get(visitor)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def unsaved_instance(form_class, request, obj):
    """``obj`` with the values posted from its change form applied, without saving.

    Returns ``(instance, form)``; ``instance`` is None when the form is invalid. The
    edit-conflict check is skipped (a preview overwrites nothing), and a newly chosen
    file (a photo) is not stored: the preview shows the saved one.
    """
    data = request.POST.copy()
    data.pop("seen_version", None)
    saved_files = {
        field.name: getattr(obj, field.name).name
        for field in obj._meta.concrete_fields
        if isinstance(field, FileField)
    }
    form = form_class(data, instance=obj)
    if not form.is_valid():
        return None, form
    instance = form.instance
    for name, value in saved_files.items():
        setattr(instance, name, value)
    return instance, form
