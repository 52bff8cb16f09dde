"""Who sees what: the one rule, in Python.

Visitors see an object while it is published and inside its publishing window
(``core.models.published_q``, checked by the database; ``PublicModel.is_live`` for a
loaded object). Staff who may view a model in the admin also see its drafts, with a
banner. Querysets narrow themselves with ``PublicQuerySet.visible_to(user)``; loaded
objects are checked with ``is_shown``/``shown``.
"""

from django.apps import apps


def can_preview(user, model):
    """Whether ``user`` sees drafts of ``model`` (with a banner): staff who may view that
    model in the admin do; visitors, and staff without that permission, see the public
    site as a visitor does. Always per model: a draft person named on a paper's page is
    shown only to those who may view people."""
    if user is None or not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def public_models():
    from core.models import PublicModel

    return [model for model in apps.get_models() if issubclass(model, PublicModel)]


def sees_drafts(user):
    """Whether ``user`` may preview drafts of any public model. Those who may not see
    exactly what an anonymous visitor sees, so what is rendered or counted for one of
    them may be kept and shown to all (``core.http.page_cache.cached_for_content``)."""
    if user is None or not (user.is_active and user.is_staff):
        return False  # no permission lookup, hence no query, for visitors
    return any(can_preview(user, model) for model in public_models())


def is_shown(obj, user):
    """Whether ``user`` may see ``obj``, already loaded (no query: Django caches a user's
    permissions)."""
    return obj.is_live or can_preview(user, type(obj))


def shown(objects, user):
    """The objects ``user`` may see, from an already-loaded list (no query)."""
    return [obj for obj in objects if obj is not None and is_shown(obj, user)]


def draft_state(obj):
    """Why visitors do not see ``obj``, already loaded: ``"scheduled"`` when it is
    published but outside its publishing window, ``"draft"`` when it is not published,
    ``""`` when they see it. Objects that are not public models are always seen."""
    if getattr(obj, "is_live", True):
        return ""
    return "scheduled" if obj.is_published else "draft"
