import reversion
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import IntegrityError
from django.db.models import ProtectedError, Q, RestrictedError
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from core.db.revisions import recorded
from core.db.stable_ids import normalize_stable_id

# Slugs are [-a-zA-Z0-9_]; stable ids are 10 Crockford base32 characters. Both match this,
# so one path segment serves both lookups.
LOOKUP_REGEX = r"[-\w]+"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def exception_handler(exc, context):
    """DRF's handler, plus database refusals turned into a 409 instead of a 500, and
    Django's refusals of oversized requests answered in JSON with the limit."""
    if isinstance(exc, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        exc = PayloadTooLarge(f"The request body is larger than {limit}, the most the API reads.")
    elif isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        exc = exceptions.ParseError(f"More than {limit:,} query parameters or fields.")
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict(f"Still in use: {_describe(exc)}. Remove those references first.")
    elif isinstance(exc, IntegrityError):
        # Validation checks uniqueness first; this only answers a concurrent write.
        exc = Conflict("Conflicts with existing data (a unique value is already taken).")
    return drf_exception_handler(exc, context)


def _describe(exc):
    objects = list(getattr(exc, "protected_objects", None) or exc.restricted_objects)
    names = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
    return f"{len(objects)} {' and '.join(names)} refer to it"


def get_by_slug_or_stable_id(queryset, value):
    """The row whose slug is ``value`` or, failing that, whose stable id is ``value``
    (case and misread letters forgiven). One query, plus the queryset's prefetches."""
    stable_id = normalize_stable_id(value)
    rows = list(queryset.filter(Q(slug=value) | Q(stable_id=stable_id))[:2])
    for row in rows:
        if row.slug == value:
            return row
    if rows:
        return rows[0]
    raise Http404(f"No {queryset.model._meta.verbose_name} matches this slug or stable id.")


class PublicReadMixin:
    """What every API view over a public model shares: visitors see published rows only,
    staff with the model's view permission see drafts too; lists may use a lighter
    serializer and queryset than the detail."""

    lookup_field = "slug"
    lookup_value_regex = LOOKUP_REGEX
    list_serializer_class = None

    def list_queryset(self):
        return self.queryset.model.objects.for_listing()

    def detail_queryset(self):
        return self.queryset.model.objects.for_detail()

    def visible(self, queryset):
        # No request while the schema is generated: what a visitor sees.
        return queryset.visible_to(getattr(getattr(self, "request", None), "user", None))

    def get_queryset(self):
        if self.action == "list":
            return self.visible(self.list_queryset())
        return self.visible(self.detail_queryset())

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return super().get_serializer_class()


class PublicModelViewSet(PublicReadMixin, viewsets.ModelViewSet):
    """List, fetch (by slug or stable id), create, update and delete a public model.

    Writes run in one transaction and answer with the object as the detail endpoint shows
    it. Deleting an object that others still point at is a 409 with the reason.
    """

    def get_object(self):
        # Filters and ordering are list concerns; a detail lookup only narrows to what the
        # user may see.
        obj = get_by_slug_or_stable_id(self.get_queryset(), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, obj)
        return obj

    def _reload(self, serializer):
        serializer.instance = self.detail_queryset().get(pk=serializer.instance.pk)

    def _recorded(self, comment):
        """One transaction and one revision by the API user, as an admin save keeps."""
        return recorded(user=self.request.user, comment=f"{comment} through the API.")

    def perform_create(self, serializer):
        with self._recorded("Created"):
            serializer.save()
        self._reload(serializer)

    def perform_update(self, serializer):
        with self._recorded("Changed"):
            serializer.save()
        self._reload(serializer)

    def perform_destroy(self, instance):
        # Its last state is kept, so “Recover deleted” in the admin can bring it back.
        with self._recorded("Deleted"):
            reversion.add_to_revision(instance)
            instance.delete()


class PersonScopedListViewSet(PublicReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The list endpoint of another resource, narrowed to one person (``people/<slug>/…``).
    Subclasses set ``person_queryset`` and implement ``for_person``."""

    person_lookup_kwarg = "person_slug"

    def get_person(self):
        people = self.person_queryset.visible_to(self.request.user)
        return get_by_slug_or_stable_id(people, self.kwargs[self.person_lookup_kwarg])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return self.queryset.none()
        return self.for_person(super().get_queryset(), self.get_person())

    def for_person(self, queryset, person):
        raise NotImplementedError


@csrf_exempt  # it changes nothing; a CSRF failure would answer in HTML instead
def not_found(request, *args, **kwargs):
    """Under /api/, an address that names no endpoint is a JSON 404 like any other."""
    return JsonResponse({"detail": "No API endpoint at this address."}, status=404)
