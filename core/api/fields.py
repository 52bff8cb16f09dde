from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from core.db.visibility import can_preview


def is_visible(obj, context):
    """Whether the reader may see a related public object: while it is live (published and
    inside its publishing window, like ``published()``; never the raw ``is_published``
    flag), or when the reader is staff allowed to view that model's drafts."""
    if obj.is_live:
        return True
    request = context.get("request")
    # Django caches a user's permissions, so this asks the database at most once.
    return request is not None and can_preview(request.user, type(obj))


class VisibleManyRelatedField(ManyRelatedField):
    """A to-many relation whose unpublished members are left out for visitors."""

    def to_representation(self, iterable):
        return [
            self.child_relation.to_representation(value)
            for value in iterable
            if is_visible(value, self.context)
        ]


class SummaryRelatedField(serializers.SlugRelatedField):
    """A related object, written as its slug and read as a small summary object.

    Visitors never see an unpublished object through a relation: a to-one relation to a
    draft reads as ``null`` and a to-many relation leaves drafts out. Writes look slugs up
    among what the writer may see (``core.views.visible_to``), so a draft they may not
    see answers exactly as an unknown slug does, and cannot be linked. The summary
    serializer must only touch what the viewset's queryset has prefetched.
    """

    default_error_messages = {"blank": "May not be empty: send a slug, or null for none."}

    def __init__(self, summary_serializer, **kwargs):
        self.summary_serializer = summary_serializer
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        child_kwargs = {key: value for key, value in kwargs.items() if key != "many"}
        list_kwargs = {"child_relation": cls(*args, **child_kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return VisibleManyRelatedField(**list_kwargs)

    def use_pk_only_optimization(self):
        return False

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(getattr(request, "user", None))

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is not None and not is_visible(related, self.context):
            return None
        return related

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for relations; the schema promises a slug or null.
        if isinstance(data, str) and data == "":
            self.fail("blank")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return self.summary_serializer(obj, context=self.context).data


class VisibleListSerializer(serializers.ListSerializer):
    """A nested list that leaves out rows pointing at an unpublished object for visitors,
    e.g. an affiliation with a draft organization. The child names the relation in
    ``Meta.visibility_through``."""

    def to_representation(self, data):
        through = self.child.Meta.visibility_through
        rows = data.all() if hasattr(data, "all") else data
        return [
            self.child.to_representation(row)
            for row in rows
            if is_visible(getattr(row, through), self.context)
        ]
