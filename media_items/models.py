from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse

from core.models import PublicModel, PublicQuerySet, PublicRow
from profiles.models import Person
from publications.models import Publication, Topic


class Outlet(PublicModel):
    """Where media appear: a show, a channel, a conference, a publication."""

    class Kind(models.TextChoices):
        PODCAST = "podcast", "Podcast"
        CHANNEL = "channel", "Video channel"
        CONFERENCE = "conference", "Conference"
        PUBLICATION = "publication", "Publication"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=80, blank=True, help_text="e.g. “AXRP”.")
    slug = models.SlugField(max_length=255, unique=True)
    url = models.URLField("website", max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PODCAST)
    description = models.TextField(blank=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("media:outlet", kwargs={"slug": self.slug})


class MediaItemQuerySet(PublicQuerySet):
    def for_listing(self):
        """Media lists: outlet joined, people prefetched; the heavy cached copy deferred."""
        return (
            self.select_related("outlet")
            .prefetch_related(
                Prefetch("appearances", queryset=Appearance.objects.select_related("person"))
            )
            .defer("cached_content")
        )

    def for_detail(self):
        return self.select_related("outlet").prefetch_related(
            Prefetch("appearances", queryset=Appearance.objects.select_related("person")),
            "key_points",
            "topics",
            "discusses",
        )


class MediaItem(PublicModel):
    class Kind(models.TextChoices):
        PODCAST_EPISODE = "podcast_episode", "Podcast episode"
        VIDEO = "video", "Video"
        TALK = "talk", "Talk"
        PANEL = "panel", "Panel"
        INTERVIEW = "interview", "Written interview"
        ARTICLE = "article", "Article"
        OTHER = "other", "Other"

    class SourceKind(models.TextChoices):
        PRIMARY = "primary", "Primary source"
        SECONDARY = "secondary", "Secondary source"

    slug = models.SlugField(max_length=255, unique=True)
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PODCAST_EPISODE)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="media_items"
    )
    episode_number = models.PositiveIntegerField(null=True, blank=True)
    published_on = models.DateField("date", null=True, blank=True)
    duration = models.DurationField(null=True, blank=True, help_text="hh:mm:ss")
    url = models.URLField("page URL", max_length=1000, blank=True)
    audio_url = models.URLField("audio URL", max_length=1000, blank=True)
    video_url = models.URLField("video URL", max_length=1000, blank=True)
    transcript_url = models.URLField("transcript URL", max_length=1000, blank=True)
    description = models.CharField(
        max_length=1000, blank=True, help_text="One or two lines under the title."
    )
    summary = models.TextField(blank=True, help_text="Markdown. Rendered with HTML sanitized.")
    importance = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="0 to 100: how central this item is.",
    )
    source_kind = models.CharField(
        max_length=10, choices=SourceKind, default=SourceKind.PRIMARY, blank=True
    )
    cached_content = models.TextField(
        "cached copy", blank=True, help_text="Text of the page, as last fetched."
    )
    cached_content_fetched_at = models.DateTimeField(
        "cached copy fetched at", null=True, blank=True
    )
    cached_content_status = models.PositiveSmallIntegerField(
        "cached copy HTTP status", null=True, blank=True
    )
    cached_content_size = models.PositiveIntegerField(
        "cached copy size (bytes)", null=True, blank=True
    )
    external_ids = models.JSONField(
        "external identifiers",
        default=dict,
        blank=True,
        help_text='Ids other sites use for this item, e.g. {"Longterm Wiki resource": "…"}.',
    )
    discusses = models.ManyToManyField(
        Publication, blank=True, related_name="discussed_in", verbose_name="papers discussed"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="media_items")
    is_featured = models.BooleanField("featured", default=False)

    objects = MediaItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            models.Index(fields=["is_published", "-published_on"], name="media_published_date"),
            # Visible-item counts read only this index, not rows with whole transcripts.
            models.Index(
                fields=["is_published", "publish_at", "unpublish_at"], name="media_visible"
            ),
            models.Index(fields=["kind"], name="media_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__isnull=True) | Q(importance__lte=100),
                name="mediaitem_importance_0_100",
                violation_error_message="Importance must be between 0 and 100.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("media:detail", kwargs={"slug": self.slug})


class Appearance(PublicRow):
    class Role(models.TextChoices):
        GUEST = "guest", "Guest"
        HOST = "host", "Host"
        SPEAKER = "speaker", "Speaker"
        PANELIST = "panelist", "Panelist"
        INTERVIEWER = "interviewer", "Interviewer"
        MODERATOR = "moderator", "Moderator"

    media_item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="appearances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appearances")
    role = models.CharField(max_length=20, choices=Role, default=Role.GUEST)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["media_item", "position", "pk"]
        indexes = [models.Index(fields=["person", "role"], name="appearance_person_role")]
        constraints = [
            models.UniqueConstraint(
                fields=["media_item", "person", "role"], name="appearance_unique_person_role"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) in {self.media_item}"


class KeyPoint(PublicRow):
    media_item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["media_item", "position", "pk"]

    def __str__(self):
        return self.text[:80]
