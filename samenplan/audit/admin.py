from django.contrib import admin

from samenplan.core.admin_helpers import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is append-only, also for administrators."""

    list_display = ["sequence", "created_at", "kind", "actor_name", "plan_id", "version_id"]
    list_filter = ["kind"]
