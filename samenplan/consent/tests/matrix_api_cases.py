"""Permission-matrix cases of this app's API (gathered by samenplan/core/tests/matrix.py)."""

from django.utils import timezone

from samenplan.core.tests.cases import COUNCILS, PLAN_EDITORS, PLAN_READERS, Case

CASES = [
    Case("GET /api/v1/plans/{plan_id}/consent-requests", lambda w: f"/api/v1/plans/{w.plan.pk}/consent-requests",
         PLAN_READERS | COUNCILS, api=True),
    # The world's plan is incomplete: its authors get past the permission check and hear why (409).
    Case("POST /api/v1/plans/{plan_id}/consent-requests", lambda w: f"/api/v1/plans/{w.plan.pk}/consent-requests",
         PLAN_EDITORS, "post", lambda w: {}, api=True, allowed_status=frozenset({201, 409})),
    Case("POST /api/v1/consent-requests/{request_id}/decision",
         lambda w: f"/api/v1/consent-requests/{w.consent_request.pk}/decision", frozenset({"council_secretary"}),
         "post", lambda w: {"decision": "granted", "meeting_date": timezone.localdate().isoformat()}, api=True),
    Case("POST /api/v1/plans/{plan_id}/transition", lambda w: f"/api/v1/plans/{w.plan.pk}/transition", PLAN_EDITORS,
         "post", lambda w: {"to": "peer_review"}, api=True),
]
