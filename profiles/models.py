from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse

from core.models import PublicModel, PublicQuerySet, PublicRow, SafeURLsMixin

from .uploads import PhotoValidator, photo_upload_to


class Organization(PublicModel):
    class Kind(models.TextChoices):
        LAB = "lab", "Lab"
        UNIVERSITY = "university", "University"
        COMPANY = "company", "Company"
        NONPROFIT = "nonprofit", "Nonprofit"
        OTHER = "other", "Other"

    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=80, blank=True, help_text="e.g. “MIRI”.")
    slug = models.SlugField(max_length=255, unique=True)
    url = models.URLField("website", max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    ror_id = models.CharField(
        "ROR id", max_length=40, blank=True, help_text="Research Organization Registry id."
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ror_id"], condition=~Q(ror_id=""), name="organization_unique_ror_id"
            )
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("people:organization", kwargs={"slug": self.slug})


class PersonQuerySet(PublicQuerySet):
    def for_listing(self):
        """People lists: current affiliations in one extra query."""
        return self.prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(is_current=True).select_related("organization"),
                to_attr="current_affiliations",
            )
        )

    def for_detail(self):
        """The profile header: affiliations, links and reported metrics, prefetched."""
        return self.prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
            "links",
            "reported_metrics",
        )


class Person(PublicModel):
    slug = models.SlugField(max_length=255, unique=True)
    name = models.CharField(max_length=255)
    pronouns = models.CharField(max_length=40, blank=True, help_text="e.g. “he/him/his”.")
    headline = models.CharField(
        max_length=300,
        blank=True,
        help_text="One line under the name, e.g. “Research scientist at Anthropic …”.",
    )
    bio = models.TextField(blank=True, help_text="Markdown. Rendered with HTML sanitized.")
    photo = models.ImageField(
        upload_to=photo_upload_to,
        blank=True,
        validators=[PhotoValidator()],
        help_text="JPEG, PNG or WebP, at most 5 MB.",
    )
    public_email = models.EmailField(blank=True)
    disclaimer = models.CharField(
        max_length=500, blank=True, help_text="Shown in small print under the header."
    )
    orcid = models.CharField("ORCID", max_length=19, blank=True)
    semantic_scholar_id = models.CharField("Semantic Scholar id", max_length=40, blank=True)
    openalex_id = models.CharField("OpenAlex id", max_length=40, blank=True)
    dblp_id = models.CharField("DBLP id", max_length=100, blank=True)
    google_scholar_id = models.CharField("Google Scholar id", max_length=40, blank=True)
    arxiv_author_id = models.CharField("arXiv author id", max_length=100, blank=True)
    name_variants = models.TextField(
        blank=True,
        help_text="Other spellings used on papers, one per line (e.g. “E. Hubinger”). "
        "Imports link authors to this person by these names.",
    )
    is_featured = models.BooleanField("featured", default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["is_published", "name"], name="person_published_name")]
        constraints = [
            models.UniqueConstraint(
                fields=[field],
                condition=~Q(**{field: ""}),
                name=f"person_unique_{field}",
            )
            for field in (
                "orcid",
                "semantic_scholar_id",
                "openalex_id",
                "dblp_id",
                "google_scholar_id",
                "arxiv_author_id",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    @property
    def name_variant_list(self):
        return [line.strip() for line in self.name_variants.splitlines() if line.strip()]


class Affiliation(PublicRow):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations"
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. “Research scientist”.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(
        "current", default=True, help_text="Untick for a previous affiliation."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-is_current", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_end_after_start",
                violation_error_message="An affiliation cannot end before it starts.",
            )
        ]

    def __str__(self):
        state = "" if self.is_current else " (previous)"
        return f"{self.person} · {self.organization}{state}"


class ProfileLink(SafeURLsMixin, PublicRow):
    class Kind(models.TextChoices):
        WEBSITE = "website", "Website"
        EMAIL = "email", "Email"
        POST = "post", "Post"
        GITHUB = "github", "GitHub"
        X = "x", "X"
        BLUESKY = "bluesky", "Bluesky"
        MASTODON = "mastodon", "Mastodon"
        LINKEDIN = "linkedin", "LinkedIn"
        LESSWRONG = "lesswrong", "LessWrong"
        ALIGNMENT_FORUM = "alignment_forum", "Alignment Forum"
        GOOGLE_SCHOLAR = "google_scholar", "Google Scholar"
        ORCID = "orcid", "ORCID"
        SEMANTIC_SCHOLAR = "semantic_scholar", "Semantic Scholar"
        DBLP = "dblp", "DBLP"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.WEBSITE)
    url = models.URLField(
        max_length=500, blank=True, help_text="May be empty when only the title is known."
    )
    label = models.CharField(max_length=200, blank=True)
    is_highlighted = models.BooleanField(
        "highlight as “See:”",
        default=False,
        help_text="Show in the header as “See: <label>”, e.g. an announcement post.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(label=""),
                name="profilelink_url_or_label",
                violation_error_message="Give the link a URL, a label, or both.",
            )
        ]

    def __str__(self):
        return self.label or self.get_kind_display()


class ReportedMetric(SafeURLsMixin, PublicRow):
    """A figure an external index reports about a person, kept as reported, with its date.

    Figures computed from this site's own data (paper count, h-index, ...) are never
    stored: they are computed in ``publications.metrics``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reported_metrics")
    source = models.CharField(max_length=200, help_text="Who reports it, e.g. “Semantic Scholar”.")
    source_url = models.URLField(max_length=500, blank=True)
    as_of = models.DateField(null=True, blank=True, help_text="When the figure was taken.")
    label = models.CharField(max_length=100, help_text="e.g. “h-index”, “Citations”.")
    value = models.CharField(max_length=100, help_text="As reported, e.g. “3,987” or “55%”.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["person", "-as_of", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source", "as_of", "label"],
                name="reportedmetric_unique_label_per_snapshot",
            )
        ]

    def __str__(self):
        return f"{self.label}: {self.value} ({self.source})"
