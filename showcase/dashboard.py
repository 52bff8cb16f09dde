"""What an editor sees first on the admin index: work waiting and what changed lately."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from reversion.models import Revision, Version

from core.db.revisions import row_models
from core.models import LinkCheck
from media_items.models import MediaItem, Outlet
from profiles.models import Organization, Person
from publications.models import ImportRun, Publication, Topic

CONTENT_MODELS = (Person, Publication, MediaItem, Topic, Organization, Outlet)
MAX_NAMED = 4  # objects named per recent revision


def _changelist(model, query=""):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + query


def viewable_models(user, admin_site=admin.site):
    """The models ``user`` may view in the admin (view or change permission, as Django's
    admin decides), with the inline rows each one's change form shows: a paper's authors
    are seen with the paper."""
    models = set()
    for model, model_admin in admin_site._registry.items():
        opts = model._meta
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            models.add(model)
            models.update(inline.model for inline in model_admin.inlines)
    return models


def recent_revisions(user, *, limit):
    """The latest revisions whose every version is of a model ``user`` may view: a
    revision of a draft person (its name, comment and author) is not shown to someone who
    may not view people."""
    revisions = Revision.objects.select_related("user").order_by("-date_created")
    if not user.is_superuser:
        allowed = [
            ct.pk for ct in ContentType.objects.get_for_models(*viewable_models(user)).values()
        ]
        if not allowed:
            return []
        hidden = Version.objects.filter(revision=OuterRef("pk")).exclude(
            content_type_id__in=allowed
        )
        revisions = revisions.filter(~Exists(hidden))
    revisions = list(revisions.prefetch_related("version_set__content_type")[:limit])
    rows = row_models()
    for revision in revisions:
        # What an editor thinks was changed: the objects, not their author or link rows.
        objects = [v for v in revision.version_set.all() if v._model not in rows]
        revision.objects = [
            (version.object_repr, _history_url(version)) for version in objects[:MAX_NAMED]
        ]
        revision.more_objects = max(0, len(objects) - MAX_NAMED)
    return revisions


def _history_url(version):
    meta = version._model._meta
    try:
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_history", args=[version.object_id]
        )
    except NoReverseMatch:
        return None


def editor_dashboard(user, *, recent=8):
    """Drafts and scheduled items per type, recent imports, broken links and recent
    changes, limited to what ``user`` may view. A fixed number of queries."""
    now = timezone.now()
    waiting = []
    for model in CONTENT_MODELS:
        meta = model._meta
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        drafts = model.objects.filter(is_published=False).count()
        scheduled = model.objects.filter(Q(is_published=True) & Q(publish_at__gt=now)).count()
        if drafts or scheduled:
            waiting.append(
                {
                    "label": str(meta.verbose_name_plural).capitalize(),
                    "drafts": drafts,
                    "drafts_url": _changelist(model, "?is_published__exact=0"),
                    "scheduled": scheduled,
                }
            )
    imports = []
    if user.has_perm("publications.view_importrun"):
        imports = list(ImportRun.objects.select_related("user")[:recent])
    changes = recent_revisions(user, limit=recent)
    broken = []
    if user.has_perm("core.view_linkcheck"):
        broken = list(LinkCheck.objects.filter(is_broken=True).order_by("-checked_at")[:recent])
    return {"waiting": waiting, "imports": imports, "changes": changes, "broken_links": broken}
