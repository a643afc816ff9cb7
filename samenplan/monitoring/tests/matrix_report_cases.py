"""Permission-matrix cases of the quality report and "u zei, wij deden" (gathered by
samenplan/monitoring/tests/matrix_cases.py)."""

from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.cases import COUNCILS, Case

# Reading the report: the organisation's staff and the members of its councils.
READERS = frozenset({"board", "quality", "location_manager"}) | COUNCILS
WRITERS = frozenset({"board", "quality"})
# An action's evaluation: staff, and the manager of the action's location.
EVALUATORS = WRITERS | {"location_manager"}
BOARD = frozenset({"board"})


def carried_out(w, status="in_progress"):
    from samenplan.plans.models import QualityPlan

    QualityPlan.objects.filter(pk=w.plan.pk).update(status=status)
    w.plan.refresh_from_db()
    return w.plan


def make_report(w, *, adopted=False, complete=False):
    """The world's plan carried out, with a draft report (an evaluation of its one action); `complete`
    adds what adoption needs, `adopted` adopts it as it is."""
    from samenplan.monitoring.models import ActionEvaluation, QualityReport, ReportFinding

    plan = carried_out(w, "evaluated" if adopted else "in_progress")
    report = QualityReport.objects.create(plan=plan, created_by=w.people["quality"])
    ActionEvaluation.objects.create(report=report, action=w.action, final_status="done",
                                    evaluation="Elke week koken twee bewoners mee." if complete or adopted else "")
    if complete or adopted:
        ReportFinding.objects.create(report=report, location=w.location, text="Samen koken werkt: ga door.")
    if adopted:
        from samenplan.monitoring.report_selectors import report_content

        report.content = report_content(report)
        QualityReport.objects.filter(pk=report.pk).update(status="adopted", content=report.content, sha256="0" * 64,
                                                          adopted_at=timezone.now(), adopted_by=w.people["board"])
    return report


def previous_year_finding(w):
    """Last year's evaluated plan with an adopted report and a finding for the world's location."""
    from samenplan.monitoring.models import QualityReport, ReportFinding
    from samenplan.plans.models import QualityPlan

    previous = QualityPlan.objects.create(organisation=w.organisation, year=w.plan.year - 1,
                                          framework=w.plan.framework, status="evaluated")
    report = QualityReport.objects.create(plan=previous, created_by=w.people["quality"], status="adopted",
                                          content={}, adopted_at=timezone.now())
    return ReportFinding.objects.create(report=report, location=w.location, text="Bewoners willen vaker naar buiten.")


def _plan(name, setup=make_report):
    def url(w):
        setup(w)
        return reverse(f"monitoring:{name}", args=[w.plan.pk])
    return url


def _submitted(w):
    carried_out(w, "submitted")


def _evaluate_url(w):
    make_report(w)
    return reverse("monitoring:evaluate_action", args=[w.plan.pk, w.action.pk])


def _finding_url(w):
    previous_year_finding(w)
    return reverse("plans:paragraph", args=[w.plan.pk, w.location.pk])


def _start_from_finding(w):
    """"Begin hiermee" on the paragraph page, with the paragraph's text as it is."""
    from samenplan.monitoring.models import ReportFinding

    finding = ReportFinding.objects.filter(report__plan__organisation=w.organisation, location=w.location).latest("pk")
    return {"body": w.plan.improvement_paragraphs.get(location=w.location).body, "start_finding": str(finding.pk)}


def _you_said_url(w):
    carried_out(w)
    return reverse("monitoring:edit_you_said", args=[w.plan.pk, w.location.pk])


def _api_url(w):
    make_report(w)
    return f"/api/v1/plans/{w.plan.pk}/report"


CASES = [
    Case("monitoring:report", _plan("report"), READERS),
    Case("monitoring:report_pdf", _plan("report_pdf"), READERS),
    Case("monitoring:start_report", _plan("start_report", _submitted), WRITERS),
    Case("monitoring:start_report", _plan("start_report", _submitted), WRITERS, "post"),
    Case("monitoring:edit_report", _plan("edit_report"), WRITERS),
    Case("monitoring:edit_report", _plan("edit_report"), WRITERS, "post",
         lambda w: {"introduction": "Een goed jaar."}),
    Case("monitoring:evaluate_action", _evaluate_url, EVALUATORS),
    Case("monitoring:evaluate_action", _evaluate_url, EVALUATORS, "post",
         lambda w: {"final_status": "done", "evaluation": "Het werkte goed."}),
    Case("monitoring:findings", _plan("findings"), WRITERS),
    Case("monitoring:findings", _plan("findings"), WRITERS, "post",
         lambda w: {"text": "Samen koken werkt.", "location": w.location.pk}),
    Case("monitoring:report_comment", _plan("report_comment"), COUNCILS),
    Case("monitoring:report_comment", _plan("report_comment"), COUNCILS, "post",
         lambda w: {"body": "Mooi verslag. Wij missen de avonden."}),
    Case("monitoring:adopt_report", _plan("adopt_report"), BOARD),
    Case("monitoring:adopt_report", _plan("adopt_report", lambda w: make_report(w, complete=True)), BOARD, "post",
         lambda w: {"confirm": "on"}),
    Case("monitoring:publish_report", _plan("publish_report", lambda w: make_report(w, adopted=True)), WRITERS,
         "post", lambda w: {"publish": "1"}),
    Case("plans:paragraph", _finding_url, WRITERS, "post", _start_from_finding),
    Case("monitoring:edit_you_said", _you_said_url, WRITERS),
    Case("monitoring:edit_you_said", _you_said_url, WRITERS, "post",
         lambda w: {"you_said_0": "Bewoners willen vaker naar buiten.", "we_did_0": "Elke dag een wandeling."}),
    Case("GET /api/v1/plans/{plan_id}/report", _api_url, READERS, api=True),
]

# Anyone may read these without logging in, once the organisation published them (404 before).
PUBLIC_ROUTES = {"monitoring:you_said", "monitoring:you_said_poster", "monitoring:public_report"}
PUBLIC_API = set()
