import datetime

from rest_framework import serializers

from core.api.fields import SummaryRelatedField, VisibleListSerializer
from core.api.serializers import (
    POSITIVE_MAX,
    PublicModelSerializer,
    StrictJSONMixin,
    api_url_field,
)
from profiles.api.serializers import PersonSummarySerializer
from profiles.models import Person
from publications.api.serializers import PublicationSummarySerializer, TopicSummarySerializer
from publications.models import Publication, Topic

from ..editing import set_appearances, set_key_points
from ..models import Appearance, KeyPoint, MediaItem, Outlet


class OutletSummarySerializer(serializers.ModelSerializer):
    api_url = api_url_field("api:outlet-detail")

    class Meta:
        model = Outlet
        fields = ["api_url", "slug", "stable_id", "name", "short_name"]
        read_only_fields = fields


class OutletSerializer(PublicModelSerializer):
    api_url = api_url_field("api:outlet-detail")

    class Meta:
        model = Outlet
        fields = [
            *PublicModelSerializer.public_fields,
            "name",
            "short_name",
            "url",
            "kind",
            "description",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = ["stable_id", "created_at", "updated_at"]


class AppearanceSerializer(StrictJSONMixin, serializers.ModelSerializer):
    """A person appearing in the item, in a role. In requests, the list order is the order
    of appearance and ``person`` is a slug."""

    person = SummaryRelatedField(PersonSummarySerializer, queryset=Person.objects.all())

    class Meta:
        model = Appearance
        fields = ["person", "role", "position"]
        read_only_fields = ["position"]
        list_serializer_class = VisibleListSerializer
        visibility_through = "person"


class KeyPointsField(serializers.ListField):
    """The item's key points, in order, as a list of texts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=5000))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return [key_point.text for key_point in instance.key_points.all()]


class MediaItemSerializer(PublicModelSerializer):
    """A podcast episode, video, talk or interview: who appears, the papers it discusses
    and its key points."""

    api_url = api_url_field("api:mediaitem-detail")
    slug_source = "title"

    outlet = SummaryRelatedField(
        OutletSummarySerializer,
        queryset=Outlet.objects.all(),
        required=False,
        allow_null=True,
        help_text="The show, channel or conference.",
    )
    duration = serializers.DurationField(
        required=False,
        allow_null=True,
        min_value=datetime.timedelta(0),
        max_value=datetime.timedelta(days=30),
        help_text="e.g. 01:25:30 (hh:mm:ss).",
    )
    appearances = AppearanceSerializer(
        many=True,
        required=False,
        help_text="People in order of appearance. Sending the list replaces all of them.",
    )
    key_points = KeyPointsField(
        required=False, help_text="Sending the list replaces all key points."
    )
    discusses = SummaryRelatedField(
        PublicationSummarySerializer,
        queryset=Publication.objects.all(),
        many=True,
        required=False,
        help_text="Papers this item discusses.",
    )
    topics = SummaryRelatedField(
        TopicSummarySerializer, queryset=Topic.objects.all(), many=True, required=False
    )
    external_ids = serializers.DictField(
        child=serializers.CharField(max_length=500),
        required=False,
        help_text='Ids other sites use for this item, e.g. {"Longterm Wiki resource": "…"}.',
    )

    class Meta:
        model = MediaItem
        fields = [
            *PublicModelSerializer.public_fields,
            "title",
            "kind",
            "outlet",
            "episode_number",
            "published_on",
            "duration",
            "url",
            "audio_url",
            "video_url",
            "transcript_url",
            "description",
            "summary",
            "key_points",
            "appearances",
            "discusses",
            "topics",
            "importance",
            "source_kind",
            "external_ids",
            "cached_content_fetched_at",
            "cached_content_status",
            "cached_content_size",
            "is_featured",
            *PublicModelSerializer.audit_fields,
        ]
        read_only_fields = [
            "stable_id",
            "cached_content_fetched_at",
            "cached_content_status",
            "cached_content_size",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "episode_number": {"min_value": 0, "max_value": POSITIVE_MAX},
            "importance": {"min_value": 0, "max_value": 100},
        }
        # Nested rows that are models of their own: writing them needs their permissions
        # too (core.api.permissions).
        inline_models = {"appearances": Appearance, "key_points": KeyPoint}

    def validate_appearances(self, value):
        seen = set()
        for appearance in value:
            key = (appearance["person"].pk, appearance.get("role", Appearance.Role.GUEST))
            if key in seen:
                raise serializers.ValidationError(
                    f"{appearance['person']} is listed twice as {key[1]}."
                )
            seen.add(key)
        return value

    def validate_key_points(self, value):
        texts = [text.strip() for text in value]
        if not all(texts):
            raise serializers.ValidationError("Key points cannot be blank.")
        return texts

    def create(self, validated_data):
        appearances = validated_data.pop("appearances", None)
        key_points = validated_data.pop("key_points", None)
        media_item = super().create(validated_data)
        self._write_lists(media_item, appearances, key_points)
        return media_item

    def update(self, instance, validated_data):
        appearances = validated_data.pop("appearances", None)
        key_points = validated_data.pop("key_points", None)
        media_item = super().update(instance, validated_data)
        self._write_lists(media_item, appearances, key_points)
        return media_item

    def _write_lists(self, media_item, appearances, key_points):
        if appearances is not None:
            set_appearances(media_item=media_item, appearances=appearances)
        if key_points is not None:
            set_key_points(media_item=media_item, texts=key_points)


class MediaItemDetailSerializer(MediaItemSerializer):
    """One media item, with the text of its page as last fetched."""

    class Meta(MediaItemSerializer.Meta):
        fields = [*MediaItemSerializer.Meta.fields, "cached_content"]
        read_only_fields = [*MediaItemSerializer.Meta.read_only_fields, "cached_content"]
