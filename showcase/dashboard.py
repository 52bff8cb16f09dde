"""What an editor sees first on the admin index: work waiting and what changed lately."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision

from core.models import LinkCheck
from media_items.models import MediaItem, Outlet
from profiles.models import Organization, Person
from publications.models import ImportRun, Publication, Topic

CONTENT_MODELS = (Person, Publication, MediaItem, Topic, Organization, Outlet)


def _changelist(model, query=""):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + query


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
    changes = list(
        Revision.objects.select_related("user")
        .prefetch_related("version_set__content_type")
        .order_by("-date_created")[:recent]
    )
    broken = []
    if user.has_perm("core.view_linkcheck"):
        broken = list(LinkCheck.objects.filter(is_broken=True).order_by("-checked_at")[:recent])
    return {"waiting": waiting, "imports": imports, "changes": changes, "broken_links": broken}
