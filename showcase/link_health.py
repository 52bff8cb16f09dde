"""Link health across the site: which external URLs papers and media items point at,
checking them, and refreshing media items' cached copies from good snapshots."""

from dataclasses import dataclass, field

from django.db.models import Q

from core.http.linkcheck import check_url, link_checker_client
from core.models import LinkCheck
from media_items.models import MediaItem
from publications.models import Publication

PUBLICATION_URL_FIELDS = ("url", "pdf_url", "code_url")
MEDIA_URL_FIELDS = ("url", "audio_url", "video_url", "transcript_url")


@dataclass
class LinkReport:
    checked: int = 0
    broken: list[LinkCheck] = field(default_factory=list)
    snapshots_refreshed: int = 0


def external_urls():
    """Every distinct external URL on papers and media items (drafts included)."""
    urls = set()
    for model, fields in ((Publication, PUBLICATION_URL_FIELDS), (MediaItem, MEDIA_URL_FIELDS)):
        for row in model.objects.values_list(*fields):
            urls.update(url for url in row if url)
    return sorted(urls)


def urls_to_check(*, only_broken=False, checked_before=None, limit=None):
    urls = external_urls()
    if only_broken or checked_before:
        condition = Q()
        if only_broken:
            condition &= Q(is_broken=True)
        if checked_before:
            condition &= Q(checked_at__lt=checked_before) | Q(checked_at__isnull=True)
        known = set(LinkCheck.objects.values_list("url", flat=True))
        wanted = set(LinkCheck.objects.filter(condition).values_list("url", flat=True))
        urls = [u for u in urls if u in wanted or (not only_broken and u not in known)]
    return urls[:limit] if limit else urls


def refresh_cached_copies(check):
    """Copy a good snapshot of a media item's page into the item's cached copy."""
    if check.snapshot_fetched_at is None or check.is_broken:
        return 0
    return MediaItem.objects.filter(url=check.url).update(
        cached_content=check.snapshot_text,
        cached_content_fetched_at=check.snapshot_fetched_at,
        cached_content_status=check.snapshot_status,
        cached_content_size=check.snapshot_size,
    )


def check_links(urls, *, client=None, progress=None) -> LinkReport:
    client = client or link_checker_client()
    report = LinkReport()
    for url in urls:
        check = check_url(url, client=client)
        report.checked += 1
        if check.is_broken:
            report.broken.append(check)
        report.snapshots_refreshed += refresh_cached_copies(check)
        if progress:
            progress(check)
    return report
