from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.db.slugs import unique_slug
from core.http.site_url import absolute_url

# Sizes of Django's integer columns. Bounds are set explicitly on serializer fields so that
# the API (and its schema) accept the same numbers on SQLite and on PostgreSQL.
POSITIVE_SMALL_MAX = 32767
POSITIVE_MAX = 2147483647


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


_STRING_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DurationField,
    serializers.TimeField,
    serializers.RelatedField,
)


def _type_error(field, value):
    """Why ``value`` is not the JSON type ``field`` documents, or None. DRF itself would
    coerce (0 → false, 12 → "12"); a JSON API says what it takes and refuses the rest."""
    if value is None:
        return None  # the field's own null handling answers
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Expected true or false."
    if isinstance(field, serializers.IntegerField):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "Expected a whole number."
    if isinstance(field, _STRING_FIELDS):
        return None if isinstance(value, str) else "Expected a string."
    if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer):
        return None if isinstance(value, list) else "Expected a list."
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return "Expected a list."
        return next(filter(None, (_type_error(field.child, item) for item in value)), None)
    if isinstance(field, serializers.DictField):
        if not isinstance(value, dict):
            return "Expected an object."
        return next(filter(None, (_type_error(field.child, item) for item in value.values())), None)
    if isinstance(field, serializers.BaseSerializer):
        return None if isinstance(value, dict) else "Expected an object."
    return None


class StrictJSONMixin:
    """Check the request body before fields validate: every value has its documented JSON
    type, and no string holds a NUL character (PostgreSQL cannot store one, and
    uniqueness validators would send it to the database)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for key, value in data.items():
                field = self.fields.get(key)
                if _has_nul(key) or _has_nul(value):
                    errors[key] = ["Null characters are not allowed."]
                elif field is not None and not field.read_only:
                    reason = _type_error(field, value)
                    if reason:
                        errors[key] = [reason]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute URL of the object's public page (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return self._absolute(obj.get_absolute_url())

    def _absolute(self, path):
        return absolute_url(self.context.get("request"), path)


class PermalinkField(PageURLField):
    """The absolute `/r/<stable id>` URL that keeps working after renames."""

    def to_representation(self, obj):
        return self._absolute(obj.get_permalink())


class PublicModelSerializer(StrictJSONMixin, serializers.ModelSerializer):
    """Fields every public object has: its API URL, page URL, permalink and stable id.
    The slug may be left out on create; one is made from ``slug_source``."""

    html_url = PageURLField(help_text="The object's public page.")
    permalink = PermalinkField(help_text="Permanent link that survives slug changes.")

    public_fields = ["api_url", "html_url", "permalink", "stable_id", "slug"]
    audit_fields = ["is_published", "publish_at", "unpublish_at", "created_at", "updated_at"]
    slug_source = "name"

    def get_fields(self):
        fields = super().get_fields()
        if "slug" in fields and not fields["slug"].read_only:
            fields["slug"].required = False
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("publish_at", getattr(self.instance, "publish_at", None))
        end = attrs.get("unpublish_at", getattr(self.instance, "unpublish_at", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"unpublish_at": ["Must be later than publish_at."]})
        return attrs

    def create(self, validated_data):
        model = self.Meta.model
        if not validated_data.get("slug"):
            published_on = validated_data.get("published_on")
            validated_data["slug"] = unique_slug(
                model,
                validated_data[self.slug_source],
                year=published_on.year if published_on else None,
            )
        return super().create(validated_data)


def api_url_field(view_name):
    return serializers.HyperlinkedIdentityField(
        view_name=view_name, lookup_field="slug", help_text="This object in the API."
    )
