"""Facets of the people and organization lists, for the HTML pages and the API alike."""

import django_filters

from .models import Organization, Person


class PersonFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        field_name="affiliations__organization",
        to_field_name="slug",
        queryset=Organization.objects.published(),
        distinct=True,
        label="Organization",
        help_text="People affiliated (now or before) with the organization of this slug.",
    )
    featured = django_filters.BooleanFilter(field_name="is_featured", label="Featured")

    class Meta:
        model = Person
        fields = []


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)

    class Meta:
        model = Organization
        fields = []
