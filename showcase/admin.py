"""Adds the “Selected work” inline to the person admin.

Selected work can point at papers and media items, so it lives above the content
apps; this module extends profiles' PersonAdmin instead of profiles importing upward.
"""

from django.contrib import admin

from profiles.admin import PersonAdmin as BasePersonAdmin
from profiles.models import Person

from .models import SelectedWork


class SelectedWorkInline(admin.TabularInline):
    model = SelectedWork
    extra = 0
    autocomplete_fields = ("publication", "media_item")
    fields = ("position", "title", "publication", "media_item", "url", "note")


admin.site.unregister(Person)


@admin.register(Person)
class PersonAdmin(BasePersonAdmin):
    inlines = [*BasePersonAdmin.inlines, SelectedWorkInline]
