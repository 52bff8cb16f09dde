import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from core.db.stable_ids import new_stable_id
from core.db.visibility import can_preview


def published_q(prefix="", *, at=None):
    """The condition for “visitors may see it”: published, and inside its publishing window.

    ``prefix`` reaches a related object, e.g. ``published_q("person__")``. The window is
    checked by the database when the query runs (``Now()``), so scheduled items appear
    and disappear without a cron job, even in querysets built once at import time.
    """
    now = Value(at) if at else Now()
    return (
        Q(**{f"{prefix}is_published": True})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": now}))
        & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now}))
    )


_UNSAFE_IN_SCHEME = re.compile(r"[\x00-\x20]")
SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")


def safe_url(value):
    """``value`` if it is a web or mail address, else "": a ``javascript:``, ``data:``
    or ``vbscript:`` URL must never reach an ``href``, whatever path wrote it to the
    database (admin and API forms validate; imports, SQL and old rows may not)."""
    if not value or _UNSAFE_IN_SCHEME.sub("", value).lower().startswith(SAFE_URL_SCHEMES):
        return value
    return ""


class SafeURLsMixin(models.Model):
    """Every ``URLField`` of a row read from the database passes through ``safe_url``."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        loaded = instance.__dict__
        for attname in cls._url_attnames():
            if attname in loaded:  # not deferred
                loaded[attname] = safe_url(loaded[attname])
        return instance

    @classmethod
    def _url_attnames(cls):
        # Worked out once per model: from_db runs for every row of every list.
        if "_safe_url_attnames" not in cls.__dict__:
            cls._safe_url_attnames = tuple(
                field.attname
                for field in cls._meta.concrete_fields
                if isinstance(field, models.URLField)
            )
        return cls._safe_url_attnames


class PublicRow(models.Model):
    """A row that belongs to a public object and shows on its page (a paper's author, a
    person's affiliation or link, an episode's guest or key point): saving or deleting
    one refreshes cached pages, as saving a ``PublicModel`` does."""

    class Meta:
        abstract = True


def shown_on_pages(model):
    """Whether rows of ``model`` appear on public pages: public models, their rows, and
    the many-to-many tables between them (a paper's topics)."""
    if model._meta.auto_created:  # a many-to-many table: as the model that declares it
        return shown_on_pages(model._meta.auto_created)
    return issubclass(model, (PublicModel, PublicRow))


class PublicQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """What visitors may see. Every public read starts here."""
        return self.filter(published_q(at=at))

    def visible_to(self, user):
        """What ``user`` may see: everything for staff who may view this model in the
        admin (drafts shown with a banner), published objects for everyone else."""
        return self.all() if can_preview(user, self.model) else self.published()

    def for_listing(self):
        """Rows for list pages; models with related data override this with prefetches."""
        return self

    def for_detail(self):
        """The row for a detail page; models with related data override this."""
        return self


class PublicModel(SafeURLsMixin):
    """Fields every public object shares: a permalink id, a published flag, audit times.

    A changed slug is remembered in ``SlugHistory`` so that old links keep redirecting.
    """

    stable_id = models.CharField(
        max_length=16,
        unique=True,
        default=new_stable_id,
        editable=False,
        help_text="Permanent id used in permalinks (/r/<stable id>). Never changes.",
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Only published items are shown to visitors."
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: published items stay hidden until this time.",
    )
    unpublish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional: published items are hidden again from this time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Keeping the old slug is link integrity, like a unique constraint, not business
        # logic: every path that renames (admin, API, import) must keep old links alive.
        old_slug = getattr(self, "_loaded_slug", None)
        super().save(*args, **kwargs)
        if old_slug and old_slug != self.slug:
            SlugHistory.remember(self, old_slug)
        self._loaded_slug = self.slug

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_slug = getattr(instance, "slug", None) if "slug" in field_names else None
        return instance

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": "Must be later than “publish at”."})

    def note_edited(self, names):
        """An editor set the fields (and inline lists, by relation name) in ``names`` by
        hand. Models whose values imports may refill keep this (``Publication``); saving
        is the caller's."""

    @property
    def is_live(self):
        """True when visitors can see this object now (the Python twin of ``published_q``)."""
        now = timezone.now()
        return (
            self.is_published
            and (self.publish_at is None or self.publish_at <= now)
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def get_permalink(self):
        return reverse("core:permalink", kwargs={"stable_id": self.stable_id})


class SlugHistory(models.Model):
    """A slug an object used to have; its detail URL redirects to the current one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "slug history"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="slughistory_unique_slug_per_type"
            )
        ]

    def __str__(self):
        return f"{self.slug} → {self.target}"

    @classmethod
    def remember(cls, obj, old_slug):
        content_type = ContentType.objects.get_for_model(obj)
        cls.objects.update_or_create(
            content_type=content_type, slug=old_slug, defaults={"object_id": obj.pk}
        )

    @classmethod
    def find(cls, model, slug):
        """The object of ``model`` that once had ``slug``, or None."""
        content_type = ContentType.objects.get_for_model(model)
        row = cls.objects.filter(content_type=content_type, slug=slug).first()
        if row is None:
            return None
        return model._default_manager.filter(pk=row.object_id).first()


class LinkCheck(SafeURLsMixin):
    """The health of one external URL, and the last good snapshot of what it served.

    A failed check updates the status but keeps the last good snapshot, so a page that
    is down today still shows what it said when it was up.
    """

    url = models.URLField(max_length=1000, unique=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True, help_text="After redirects.")
    error = models.CharField(max_length=500, blank=True)
    is_broken = models.BooleanField("broken", default=False)
    snapshot_fetched_at = models.DateTimeField("snapshot fetched at", null=True, blank=True)
    snapshot_status = models.PositiveSmallIntegerField(null=True, blank=True)
    snapshot_size = models.PositiveIntegerField("snapshot size (bytes)", null=True, blank=True)
    snapshot_content_type = models.CharField(max_length=100, blank=True)
    snapshot_text = models.TextField(blank=True, help_text="Readable text, size-capped.")

    class Meta:
        ordering = ["-is_broken", "url"]
        indexes = [models.Index(fields=["is_broken", "checked_at"], name="linkcheck_broken")]

    def __str__(self):
        return self.url
