"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py)."""

from django.urls import reverse

from samenplan.core.tests.cases import COUNCILS, PLAN_READERS, Case

CASES = [
    # Plan readers and every council of the organisation follow the plan's history.
    Case("audit:timeline", lambda w: reverse("audit:timeline", args=[w.plan.pk]), PLAN_READERS | COUNCILS),
]
