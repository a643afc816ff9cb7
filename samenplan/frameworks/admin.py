from django.contrib import admin

from .models import Framework, FrameworkSection


class FrameworkSectionInline(admin.TabularInline):
    model = FrameworkSection
    extra = 0
    fields = ["order", "key", "kind", "group", "title", "required"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version_label", "organisation", "valid_from", "valid_until"]
    list_filter = ["organisation"]
    inlines = [FrameworkSectionInline]
