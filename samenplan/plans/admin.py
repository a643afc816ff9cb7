from django.contrib import admin

from .models import ImprovementAction, PlanSection, PlanVersion, QualityPlan


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["order", "key", "title", "required", "revision"]
    readonly_fields = fields


@admin.register(QualityPlan)
class QualityPlanAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "status", "framework"]
    list_filter = ["status", "year"]
    inlines = [PlanSectionInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    """Frozen versions can be looked at here, never changed or deleted."""

    list_display = ["plan", "number", "sha256", "created_by", "created_at"]
    readonly_fields = ["plan", "number", "sha256", "created_by", "created_at", "note", "content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["title", "paragraph", "status", "due_quarter", "owner"]
    list_filter = ["status"]
