from django.contrib import admin

from samenplan.core.admin_helpers import ReadOnlyAdmin

from .models import Adoption, ConsentCondition, ConsentDecision, ConsentRequest, LcvvRequest


@admin.register(ConsentRequest)
class ConsentRequestAdmin(ReadOnlyAdmin):
    list_display = ["plan", "version", "council", "respond_by", "requested_at"]


@admin.register(ConsentDecision)
class ConsentDecisionAdmin(ReadOnlyAdmin):
    list_display = ["request", "decision", "meeting_date", "recorded_by", "recorded_at"]
    list_filter = ["decision"]


@admin.register(ConsentCondition)
class ConsentConditionAdmin(ReadOnlyAdmin):
    list_display = ["decision", "text", "owner", "status"]


@admin.register(LcvvRequest)
class LcvvRequestAdmin(ReadOnlyAdmin):
    list_display = ["decision", "submitted_on", "outcome", "outcome_on"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "version", "adopted_by", "adopted_at"]
