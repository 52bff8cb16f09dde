import re
from urllib.parse import urlencode

from django.urls import reverse
from rest_framework import serializers

from core.api.fields import SummaryRelatedField
from core.api.serializers import (
    POSITIVE_MAX,
    POSITIVE_SMALL_MAX,
    PageURLField,
    PublicModelSerializer,
    StrictJSONMixin,
    api_url_field,
)
from profiles.api.serializers import OrganizationSummarySerializer, PersonSummarySerializer
from profiles.models import Organization, Person

from ..authorships import set_authorships
from ..identifiers import normalize_doi, split_arxiv_id
from ..models import Authorship, Publication, Topic

_YEAR = re.compile(r"^\d{4}$")


class TopicSummarySerializer(serializers.ModelSerializer):
    html_url = PageURLField(help_text="The topic's page.")

    class Meta:
        model = Topic
        fields = ["html_url", "slug", "stable_id", "name"]
        read_only_fields = fields


class PublicationSummarySerializer(serializers.ModelSerializer):
    api_url = api_url_field("api:publication-detail")
    year = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Publication
        fields = ["api_url", "slug", "stable_id", "title", "year"]
        read_only_fields = fields


class AuthorshipSerializer(StrictJSONMixin, serializers.ModelSerializer):
    """One author, at their position in the list. In requests the list order is the author
    order; ``person`` and ``affiliations`` are slugs."""

    name = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="The name as written on the paper; defaults to the person's name.",
    )
    person = SummaryRelatedField(
        PersonSummarySerializer,
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="The author's profile on this site, if they have one.",
    )
    affiliations = SummaryRelatedField(
        OrganizationSummarySerializer,
        queryset=Organization.objects.all(),
        many=True,
        required=False,
    )
    behind_et_al = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An author known to be among those behind “et al.”, whose place in the "
        "list is unknown (their position is null). Listed authors take positions 1, 2, … "
        "in request order.",
    )

    class Meta:
        model = Authorship
        fields = [
            "position",
            "behind_et_al",
            "name",
            "person",
            "affiliations",
            "is_equal_contribution",
            "is_corresponding",
        ]
        read_only_fields = ["position"]

    def validate(self, attrs):
        if not attrs.get("name", "").strip():
            person = attrs.get("person")
            if person is None:
                raise serializers.ValidationError(
                    {"name": ["Give the name as written, or a person."]}
                )
            attrs["name"] = person.name
        attrs["name"] = attrs["name"].strip()
        return attrs


class PublicationSerializer(PublicModelSerializer):
    """A paper with its ordered authors, identifiers, links and citation count."""

    api_url = api_url_field("api:publication-detail")
    slug_source = "title"

    year = serializers.IntegerField(read_only=True, allow_null=True)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100
    )
    arxiv_categories = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=50,
        help_text="Other arXiv categories, e.g. cs.AI.",
    )
    arxiv_primary_category_name = serializers.CharField(
        source="primary_category_name", read_only=True, help_text="e.g. “Machine Learning”."
    )
    arxiv_url = serializers.CharField(read_only=True, help_text="Empty without an arXiv id.")
    doi_url = serializers.CharField(read_only=True, help_text="Empty without a DOI.")
    topics = SummaryRelatedField(
        TopicSummarySerializer, queryset=Topic.objects.all(), many=True, required=False
    )
    organizations = SummaryRelatedField(
        OrganizationSummarySerializer,
        queryset=Organization.objects.all(),
        many=True,
        required=False,
        help_text="Institutions of the paper as a whole.",
    )
    authorships = AuthorshipSerializer(
        many=True,
        required=False,
        help_text="Authors in order. Sending the list replaces all authors.",
    )
    citations_by_year = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=POSITIVE_MAX),
        required=False,
        help_text='Citations received per year, e.g. {"2024": 31}.',
    )

    class Meta:
        model = Publication
        fields = [
            *PublicModelSerializer.public_fields,
            "title",
            "abstract",
            "kind",
            "published_on",
            "date_precision",
            "year",
            "venue",
            "volume",
            "issue",
            "pages",
            "publisher",
            "journal_ref",
            "note",
            "keywords",
            "authorships",
            "has_more_authors",
            "organizations",
            "topics",
            "doi",
            "arxiv_id",
            "arxiv_version",
            "semantic_scholar_id",
            "openalex_id",
            "url",
            "pdf_url",
            "code_url",
            "arxiv_url",
            "doi_url",
            "arxiv_primary_category",
            "arxiv_primary_category_name",
            "arxiv_categories",
            "citation_count",
            "citation_count_as_of",
            "citation_source",
            "citations_by_year",
            "is_featured",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = ["stable_id", "created_at", "updated_at"]
        extra_kwargs = {
            "arxiv_version": {"min_value": 1, "max_value": POSITIVE_SMALL_MAX},
            "citation_count": {"min_value": 0, "max_value": POSITIVE_MAX},
            "doi": {"help_text": "e.g. 10.1000/xyz123; a doi.org URL or `doi:` prefix is removed."},
            "arxiv_id": {"help_text": "e.g. 2401.05566; a version or arXiv URL is removed."},
        }
        # Nested rows that are models of their own: writing them needs their permissions
        # too (core.api.permissions).
        inline_models = {"authorships": Authorship}

    # Identifiers are stored normalized, so that the same paper matches however it is
    # written; uniqueness is checked on the normalized value.
    def _unique(self, field, value, **lookup):
        if not value:
            return value
        others = Publication.objects.filter(**(lookup or {field: value}))
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"Another publication already has this {field}.")
        return value

    def validate_doi(self, value):
        if not value:
            return ""
        doi = normalize_doi(value)
        if not doi:
            raise serializers.ValidationError("Not a DOI (expected 10.<registrant>/<suffix>).")
        return self._unique("DOI", doi, doi__iexact=doi)

    def validate_arxiv_id(self, value):
        if not value:
            return ""
        arxiv_id, version = split_arxiv_id(value)
        if not arxiv_id:
            raise serializers.ValidationError(
                "Not an arXiv id (e.g. 2401.05566 or hep-th/9901001)."
            )
        self._arxiv_version = version
        return self._unique("arXiv id", arxiv_id, arxiv_id=arxiv_id)

    def validate_semantic_scholar_id(self, value):
        return self._unique("Semantic Scholar id", value, semantic_scholar_id=value)

    def validate_openalex_id(self, value):
        return self._unique("OpenAlex id", value, openalex_id=value)

    def validate_citations_by_year(self, value):
        bad = sorted(key for key in value if not _YEAR.match(key))
        if bad:
            raise serializers.ValidationError(f"Keys must be four-digit years, not {bad[0]!r}.")
        return value

    def validate_authorships(self, value):
        people = [author["person"].pk for author in value if author.get("person")]
        if len(people) != len(set(people)):
            raise serializers.ValidationError("A person can be listed as an author only once.")
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        version = getattr(self, "_arxiv_version", None)
        if version and not attrs.get("arxiv_version"):
            attrs["arxiv_version"] = version
        return attrs

    def create(self, validated_data):
        authors = validated_data.pop("authorships", None)
        publication = super().create(validated_data)
        if authors is not None:
            set_authorships(publication=publication, authors=authors)
        return publication

    def update(self, instance, validated_data):
        authors = validated_data.pop("authorships", None)
        # What an editor changes by hand survives later imports, as in the admin.
        changed = {
            name
            for name, value in validated_data.items()
            if name not in {"topics", "organizations"} and getattr(instance, name) != value
        }
        changed |= {name for name in ("topics", "organizations") if name in validated_data}
        if authors is not None:
            changed.add("authorships")
        instance.note_edited(changed)
        publication = super().update(instance, validated_data)
        if authors is not None:
            set_authorships(publication=publication, authors=authors)
        return publication


class TopicSerializer(PublicModelSerializer):
    api_url = api_url_field("api:topic-detail")
    publications_url = serializers.SerializerMethodField(
        help_text="The topic's papers in the API (`publications/?topic=<slug>`)."
    )

    class Meta:
        model = Topic
        fields = [
            *PublicModelSerializer.public_fields,
            "name",
            "summary",
            "publications_url",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = ["stable_id", "created_at", "updated_at"]

    def get_publications_url(self, topic) -> str:
        url = f"{reverse('api:publication-list')}?{urlencode({'topic': topic.slug})}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
