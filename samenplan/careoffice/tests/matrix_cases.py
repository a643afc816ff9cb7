"""Permission-matrix cases of the submission and the care office's portal (pages and API),
gathered by samenplan/core/tests/matrix.py."""

from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.cases import PLAN_READERS, Case

CARE_OFFICE = frozenset({"care_office"})
CARE_OFFICE_READERS = frozenset({"care_office", "platform_admin"})
BOARD = frozenset({"board"})


def fake_submission(w, *, second=False):
    """A current submission of the world's version to the world's care office, made directly: the
    matrix asks who may, not whether the plan is ready (the service tests cover that). With
    `second`, an earlier one of the first version before it, for the comparison."""
    from samenplan.careoffice.models import Submission
    from samenplan.consent.models import Adoption
    from samenplan.plans.models import QualityPlan

    board = w.people["board"]
    QualityPlan.objects.filter(pk=w.plan.pk).update(status="submitted")
    w.plan.refresh_from_db()
    if second:
        first_adoption = Adoption.objects.create(plan=w.plan, version=w.first_version, adopted_by=board)
        Submission.objects.create(plan=w.plan, version=w.first_version, adoption=first_adoption,
                                  care_office=w.care_office, sha256=w.first_version.sha256, submitted_by=board,
                                  status=Submission.Status.REPLACED)
    adoption = Adoption.objects.create(plan=w.plan, version=w.version, adopted_by=board)
    return Submission.objects.create(plan=w.plan, version=w.version, adoption=adoption, care_office=w.care_office,
                                     sha256=w.version.sha256, submitted_by=board,
                                     evidence={"consent": [], "peer_reviews": [], "findings": []})


def _adopted(w):
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adopt_plan_of_world(w)
    return reverse("careoffice:submit", args=[w.plan.pk])


def _office(name):
    return lambda w: reverse(f"careoffice:{name}", args=[w.care_office.pk])


def _received(name, **kwargs):
    def url(w):
        fake_submission(w, **kwargs)
        return reverse(f"careoffice:{name}", args=[w.plan.pk])
    return url


def _submission(name):
    return lambda w: reverse(f"careoffice:{name}", args=[fake_submission(w).pk])


def _api_submission(action):
    return lambda w: f"/api/v1/submissions/{fake_submission(w).pk}/{action}"


def _settings_data(w):
    return {"year": str(timezone.localdate().year + 1), "deadline": f"{timezone.localdate().year + 1}-01-31",
            "plan_format": "free"}


CASES = [
    # The care office's side: its staff and the platform admin read; only its staff act.
    Case("careoffice:portal", _office("portal"), CARE_OFFICE_READERS),
    Case("careoffice:portal_export", lambda w: _office("portal_export")(w) + "?format=csv", CARE_OFFICE_READERS),
    Case("careoffice:staffing", _office("staffing"), CARE_OFFICE_READERS),
    Case("careoffice:settings", _office("settings"), CARE_OFFICE),
    Case("careoffice:settings", _office("settings"), CARE_OFFICE, "post", _settings_data),
    Case("careoffice:plan", _received("plan"), CARE_OFFICE_READERS),
    Case("careoffice:compare", _received("compare", second=True), CARE_OFFICE_READERS),
    Case("careoffice:respond", _submission("respond"), CARE_OFFICE),
    Case("careoffice:respond", _submission("respond"), CARE_OFFICE, "post",
         lambda w: {"outcome": "correction_requested", "reason": "De begroting ontbreekt."}),
    # The organisation's side: the board submits and withdraws; the plan readers, and the care
    # office it went to, read the history.
    Case("careoffice:submit", lambda w: reverse("careoffice:submit", args=[w.plan.pk]), BOARD),
    Case("careoffice:submit", _adopted, BOARD, "post", lambda w: {"note": ""}),
    Case("careoffice:submissions", _received("submissions"), PLAN_READERS | CARE_OFFICE),
    Case("careoffice:withdraw", _submission("withdraw"), BOARD),
    Case("careoffice:withdraw", _submission("withdraw"), BOARD, "post", lambda w: {"reason": "Verkeerde bijlage"}),
    # API
    Case("POST /api/v1/plans/{plan_id}/submissions", lambda w: f"/api/v1/plans/{w.plan.pk}/submissions", BOARD,
         "post", lambda w: {}, api=True, allowed_status=frozenset({409})),
    Case("GET /api/v1/plans/{plan_id}/submissions",
         lambda w: (fake_submission(w), f"/api/v1/plans/{w.plan.pk}/submissions")[1],
         PLAN_READERS | CARE_OFFICE, api=True),
    Case("GET /api/v1/careoffice/plans", lambda w: "/api/v1/careoffice/plans", frozenset({"care_office",
                                                                                          "other_care_office"}),
         api=True),
    Case("POST /api/v1/submissions/{submission_id}/acknowledge", _api_submission("acknowledge"), CARE_OFFICE,
         "post", lambda w: {}, api=True),
    Case("POST /api/v1/submissions/{submission_id}/correction", _api_submission("correction"), CARE_OFFICE,
         "post", lambda w: {"reason": "De begroting ontbreekt."}, api=True),
    Case("POST /api/v1/submissions/{submission_id}/withdraw", _api_submission("withdraw"), BOARD,
         "post", lambda w: {"reason": "Verkeerde bijlage"}, api=True),
]
