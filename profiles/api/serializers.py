from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import VisibleListSerializer
from core.api.serializers import PublicModelSerializer, api_url_field
from core.http.site_url import absolute_url

from ..models import Affiliation, Organization, Person, ProfileLink, ReportedMetric


class LinesField(serializers.ListField):
    """A text column holding one entry per line, exchanged as a list of strings."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=300))
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [line.strip() for line in data.splitlines() if line.strip()]

    def to_internal_value(self, data):
        lines = super().to_internal_value(data)
        if any("\n" in line or "\r" in line for line in lines):
            raise serializers.ValidationError("Each entry must be a single line.")
        return "\n".join(line.strip() for line in lines if line.strip())


class OrganizationSummarySerializer(serializers.ModelSerializer):
    api_url = api_url_field("api:organization-detail")

    class Meta:
        model = Organization
        fields = ["api_url", "slug", "stable_id", "name", "short_name"]
        read_only_fields = fields


class PersonSummarySerializer(serializers.ModelSerializer):
    api_url = api_url_field("api:person-detail")

    class Meta:
        model = Person
        fields = ["api_url", "slug", "stable_id", "name"]
        read_only_fields = fields


class OrganizationSerializer(PublicModelSerializer):
    api_url = api_url_field("api:organization-detail")

    class Meta:
        model = Organization
        fields = [
            *PublicModelSerializer.public_fields,
            "name",
            "short_name",
            "url",
            "kind",
            "ror_id",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = ["stable_id", "created_at", "updated_at"]


class AffiliationSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer()

    class Meta:
        model = Affiliation
        fields = ["organization", "role", "start_date", "end_date", "is_current"]
        read_only_fields = fields
        list_serializer_class = VisibleListSerializer
        visibility_through = "organization"


class ProfileLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProfileLink
        fields = ["kind", "url", "label", "is_highlighted"]
        read_only_fields = fields


class ReportedMetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportedMetric
        fields = ["source", "source_url", "as_of", "label", "value"]
        read_only_fields = fields


class PhotoMixin(serializers.Serializer):
    photo_url = serializers.SerializerMethodField(help_text="The profile photo, if any.")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, person):
        if not person.photo:
            return None
        return absolute_url(self.context.get("request"), person.photo.url)


class PersonListSerializer(PhotoMixin, PublicModelSerializer):
    """A person in a list: who they are and where they work now."""

    api_url = api_url_field("api:person-detail")
    current_affiliations = AffiliationSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            *PublicModelSerializer.public_fields,
            "name",
            "pronouns",
            "headline",
            "photo_url",
            "current_affiliations",
            "is_featured",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = fields


class PersonSerializer(PhotoMixin, PublicModelSerializer):
    """A person's profile. Affiliations, links and reported metrics are edited in the
    admin; the API shows them."""

    api_url = api_url_field("api:person-detail")
    name_variants = LinesField(
        required=False,
        help_text="Other spellings used on papers; imports link authors by these names.",
    )
    affiliations = AffiliationSerializer(many=True, read_only=True)
    links = ProfileLinkSerializer(many=True, read_only=True)
    reported_metrics = ReportedMetricSerializer(
        many=True, read_only=True, help_text="Figures external indexes report, as reported."
    )

    class Meta:
        model = Person
        fields = [
            *PublicModelSerializer.public_fields,
            "name",
            "pronouns",
            "headline",
            "bio",
            "photo_url",
            "public_email",
            "disclaimer",
            "orcid",
            "semantic_scholar_id",
            "openalex_id",
            "dblp_id",
            "google_scholar_id",
            "arxiv_author_id",
            "name_variants",
            "affiliations",
            "links",
            "reported_metrics",
            "is_featured",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = ["stable_id", "created_at", "updated_at"]
