"""A plan's audit trail over the JSON API, with the hashes that chain it."""

import datetime

from ninja import Field, Router, Schema

from samenplan.plans.selectors import get_plan_with_perm

from .models import AuditEvent
from .timeline import describe

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    sequence: int = Field(description="Position in the one chain of all events (not per plan)")
    created_at: datetime.datetime
    kind: str
    label: str = Field(description="The kind in words")
    sentence: str = Field(description="What happened, in one plain sentence (as on the timeline page)")
    actor_name: str = Field(description="The name as it was when the event happened")
    version_id: int | None
    version_sha256: str
    data: dict
    previous_sha256: str = Field(description="The hash of the event before it in the chain")
    sha256: str = Field(description="SHA-256 of the event's canonical content, including previous_sha256")


@router.get("/plans/{plan_id}/audit", response=list[AuditEventOut], summary="The audit trail of a plan, oldest first",
            description="For the organisation's plan readers and members of its councils. Events belong to one "
                        "chain across all plans, so `previous_sha256` may point at an event of another plan; "
                        "`manage.py verify_audit` checks the whole chain.")
def plan_audit(request, plan_id: int):
    plan = get_plan_with_perm(request.user, plan_id, "consent.view_timeline")
    return [
        {"sequence": e.sequence, "created_at": e.created_at, "kind": e.kind, "label": e.get_kind_display(),
         "sentence": describe(e), "actor_name": e.actor_name, "version_id": e.version_id,
         "version_sha256": e.version_sha256, "data": e.data, "previous_sha256": e.previous_sha256, "sha256": e.sha256}
        for e in AuditEvent.objects.filter(plan_id=plan.pk).order_by("sequence")
    ]
