"""Permission-matrix cases of the progress pages, the quarterly report and their API (gathered by
samenplan/monitoring/tests/matrix_cases.py)."""

from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.cases import COUNCILS, Case

# Reading progress and the quarterly report: everyone who works in the organisation and its councils.
FOLLOWERS = frozenset({"board", "quality", "location_manager"}) | COUNCILS
# Recording: board, quality staff and the manager of the action's location (the world's action is
# at the location manager's location).
KEEPERS = frozenset({"board", "quality", "location_manager"})


def follow_plan(w, *, year=None):
    """The world's plan made last year's and submitted, made directly: the matrix and the tests ask
    who may and what is shown, not how a plan gets there. Last year's, so every quarter has begun."""
    from samenplan.plans.models import QualityPlan

    year = year or timezone.localdate().year - 1
    QualityPlan.objects.filter(pk=w.plan.pk).update(status=QualityPlan.Status.SUBMITTED, year=year)
    w.plan.refresh_from_db()
    return w.plan


def _plan(name, query=""):
    def url(w):
        follow_plan(w)
        return reverse(f"monitoring:{name}", args=[w.plan.pk]) + query
    return url


def _location(w):
    follow_plan(w)
    return reverse("monitoring:location_progress", args=[w.plan.pk, w.location.pk])


def _record(w):
    follow_plan(w)
    return reverse("monitoring:record_progress", args=[w.action.pk])


def _progress_data(w):
    return {"quarter": f"{w.plan.year}-Q2", "status": "on_track", "explanation": "Twee afdelingen koken al samen.",
            "figure": "2 van 5 afdelingen", "story": ""}


def _comment_url(w):
    return _plan("quarterly_comment")(w) + f"?quarter={w.plan.year}-Q2"


def _api_record(w):
    follow_plan(w)
    return f"/api/v1/actions/{w.action.pk}/progress"


def _api_report(w):
    follow_plan(w)
    return f"/api/v1/plans/{w.plan.pk}/quarterly-report?quarter={w.plan.year}-Q2"


CASES = [
    Case("monitoring:plan_progress", _plan("plan_progress"), FOLLOWERS),
    Case("monitoring:location_progress", _location, FOLLOWERS),
    Case("monitoring:record_progress", _record, KEEPERS),
    Case("monitoring:record_progress", _record, KEEPERS, "post", _progress_data),
    Case("monitoring:quarterly_report", _plan("quarterly_report"), FOLLOWERS),
    Case("monitoring:quarterly_report_pdf", _plan("quarterly_report_pdf"), FOLLOWERS),
    Case("monitoring:quarterly_comment", _comment_url, COUNCILS, "post",
         lambda w: {"body": "Fijn dat er samen gekookt wordt. Hoe gaat het op de andere afdelingen?"}),
    Case("POST /api/v1/actions/{action_id}/progress", _api_record, KEEPERS, "post", _progress_data, api=True),
    Case("GET /api/v1/plans/{plan_id}/quarterly-report", _api_report, FOLLOWERS, api=True),
]

PUBLIC_ROUTES = set()
PUBLIC_API = set()
