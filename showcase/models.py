from django.db import models
from django.db.models import Q

from core.models import PublicRow, SafeURLsMixin
from media_items.models import MediaItem
from profiles.models import Person
from publications.models import Publication


class SelectedWork(SafeURLsMixin, PublicRow):
    """One entry of a person's ordered “Selected work”: a paper, a media item or a link."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="selected_work")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(
        max_length=500, blank=True, help_text="Shown instead of the linked item's own title."
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    media_item = models.ForeignKey(
        MediaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.URLField(
        max_length=1000, blank=True, help_text="For work that is not on this site."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["person", "position", "pk"]
        verbose_name = "selected work"
        verbose_name_plural = "selected work"
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") | Q(publication__isnull=False) | Q(media_item__isnull=False),
                name="selectedwork_has_title_or_target",
                violation_error_message="Give a title, or pick a paper or a media item.",
            ),
            models.CheckConstraint(
                condition=Q(publication__isnull=True) | Q(media_item__isnull=True),
                name="selectedwork_one_target",
                violation_error_message="Pick a paper or a media item, not both.",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def target(self):
        return self.publication or self.media_item

    @property
    def display_title(self):
        return self.title or str(self.target.title if self.target else "")

    def href(self, *, visible_only=True):
        """Where the entry links: the item's page when it is published, else its URL."""
        target = self.target
        if target is not None and (target.is_live or not visible_only):
            return target.get_absolute_url()
        return self.url
