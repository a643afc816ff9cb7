from django.contrib import admin

from samenplan.core.admin_helpers import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "subject", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
