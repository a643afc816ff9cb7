"""Permission-matrix cases of this app's API (gathered by samenplan/core/tests/matrix.py)."""

from samenplan.core.tests.cases import COUNCILS, PLAN_READERS, Case

CASES = [
    Case("GET /api/v1/plans/{plan_id}/audit", lambda w: f"/api/v1/plans/{w.plan.pk}/audit", PLAN_READERS | COUNCILS,
         api=True),
]
