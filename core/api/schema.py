"""OpenAPI generation (drf-spectacular): path parameters, anonymous access and the error
responses every operation can give, so the schema describes all that a client receives."""

from django import forms
from django_filters import ChoiceFilter, ModelChoiceFilter
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from core.api.views import LOOKUP_REGEX

LOOKUP_PATTERN = f"^{LOOKUP_REGEX}$"

DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}
VALIDATION_SCHEMA = {
    "type": "object",
    "description": (
        "A list of messages per field or query parameter (nested like the request body), "
        "`non_field_errors` for the object as a whole, or `detail` when the request "
        "itself is malformed."
    ),
    "additionalProperties": {},
}

_RESPONSES = {
    "400": ("Invalid input: the reason, per field or parameter.", "ValidationError"),
    "401": ("No credentials or invalid credentials (a bad token).", "ErrorDetail"),
    "403": ("Authenticated, but without the permission this needs (or no CSRF token).", None),
    "404": ("No such object (or not published), or a page past the end.", None),
    "409": ("The object is still referenced by others, or a unique value is taken.", None),
    "429": ("Too many requests from this address; retry after `Retry-After` seconds.", None),
}


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})  # reads need no credentials
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        path = self.path
        if "{slug}" in path:
            parameters.append(
                OpenApiParameter(
                    "slug",
                    str,
                    OpenApiParameter.PATH,
                    description="The object's slug or its stable id (the id never changes).",
                    pattern=LOOKUP_PATTERN,
                )
            )
        if "{person_slug}" in path:
            parameters.append(
                OpenApiParameter(
                    "person_slug",
                    str,
                    OpenApiParameter.PATH,
                    description="The person's slug or stable id.",
                    pattern=LOOKUP_PATTERN,
                )
            )
        return parameters

    def _component(self, name, schema):
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _error(self, code):
        description, name = _RESPONSES[code]
        if name == "ValidationError":
            schema = self._component(name, VALIDATION_SCHEMA)
        else:
            schema = self._component("ErrorDetail", DETAIL_SCHEMA)
        response = {"description": description, "content": {"application/json": {"schema": schema}}}
        if code == "429":
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer", "minimum": 0},
                    "description": "Seconds to wait before the next request.",
                    "required": True,
                }
            }
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "429"]
        has_path_parameters = "{" in self.path
        if self._is_list_view() or self.method not in SAFE_METHODS:
            codes.append("400")
        if self._is_list_view() or has_path_parameters:
            codes.append("404")
        if self.method not in SAFE_METHODS:
            codes += ["403", "409"]
        for code in sorted(codes):
            responses.setdefault(code, self._error(code))
        return responses


class SummaryRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """A `SummaryRelatedField` is a slug in requests and a summary object in responses."""

    target_class = "core.api.fields.SummaryRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            model = self.target.queryset.model
            return {
                "type": "string",
                "pattern": LOOKUP_PATTERN,
                "description": f"Slug of the {model._meta.verbose_name}.",
            }
        component = auto_schema.resolve_serializer(self.target.summary_serializer, direction)
        return component.ref


class StrictFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter support, with the bounds the FilterSet's form fields
    enforce (whole numbers, minimum, maximum, maximum length) written into the schema."""

    target_class = "core.api.filters.StrictFilterBackend"
    match_subclasses = True
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        extra = filter_field.extra
        for parameter in parameters:
            schema = parameter["schema"]
            if issubclass(filter_field.field_class, forms.IntegerField):
                schema["type"] = "integer"
                schema.pop("format", None)
            if extra.get("min_value") is not None:
                schema["minimum"] = extra["min_value"]
            if extra.get("max_value") is not None:
                schema["maximum"] = extra["max_value"]
            if extra.get("max_length") is not None and schema.get("type") == "string":
                schema["maxLength"] = extra["max_length"]
            if isinstance(filter_field, ChoiceFilter) and schema.get("type") == "string":
                schema["minLength"] = 1  # empty is refused (see StrictFilterBackend)
            if isinstance(filter_field, ModelChoiceFilter):
                parameter["description"] = (
                    f"{parameter.get('description') or field_name}: a "
                    f"{filter_field.queryset.model._meta.verbose_name}'s slug."
                ).strip()
        return parameters
