from django.contrib import admin

from .models import CareOffice, Council, LearningNetwork, Location, Organisation, Region


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class CouncilInline(admin.TabularInline):
    model = Council
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_number", "region"]
    list_filter = ["region"]
    search_fields = ["name", "kvk_number"]
    inlines = [LocationInline, CouncilInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "city", "places", "is_active"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name", "kvk_establishment_number", "city"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "location"]
    list_filter = ["kind"]


admin.site.register(Region)
admin.site.register(CareOffice, filter_horizontal=["regions"], search_fields=["name"])
admin.site.register(LearningNetwork, filter_horizontal=["organisations"])
