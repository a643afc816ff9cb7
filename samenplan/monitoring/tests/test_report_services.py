import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenplan.audit.models import AuditEvent
from samenplan.consent.services import TransitionRefused, transition_plan
from samenplan.frameworks.models import FrameworkSection
from samenplan.monitoring import report_services as services
from samenplan.monitoring.models import QualityReport, ReportComment, ThemeEvaluation
from samenplan.monitoring.report_selectors import report_content
from samenplan.notifications.models import Notification
from samenplan.plans.models import QualityPlan

from .report_world import EVALUATION, FINDING, SIGNAL_TEXT, THEME, adopted, build_chain, completed, drafted

pytestmark = pytest.mark.shared_world


def test_starting_the_report_drafts_it_from_the_plan(world):
    report = drafted(world)
    plan = QualityPlan.objects.get(pk=world.plan.pk)
    assert plan.status == QualityPlan.Status.IN_PROGRESS
    assert report.status == QualityReport.Status.DRAFT
    # The final status comes from the latest quarter's progress.
    assert report.action_evaluations.get(action=world.action).final_status == "done"
    themes = set(FrameworkSection.objects.filter(framework=plan.framework, kind="theme").values_list("key", flat=True))
    assert set(ThemeEvaluation.objects.filter(report=report).values_list("theme_key", flat=True)) == themes
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REPORT_DRAFTED, plan_id=plan.pk).count() == 1


def test_starting_twice_gives_the_same_report(world):
    report = drafted(world)
    assert services.start_report(plan=world.plan, by=world.people["board"]).pk == report.pk
    assert QualityReport.objects.filter(plan=world.plan).count() == 1


def test_an_action_without_progress_starts_as_not_started(world):
    from .report_world import submitted

    submitted(world)
    report = services.start_report(plan=world.plan, by=world.people["quality"])
    assert report.action_evaluations.get().final_status == "not_started"


def test_a_draft_plan_gets_no_report(world):
    with pytest.raises(services.ReportRefused):
        services.start_report(plan=world.plan, by=world.people["quality"])


@pytest.mark.parametrize("persona", ["council_member", "location_manager", "outsider", "care_office"])
def test_only_board_and_quality_staff_start_the_report(world, persona):
    build_chain(world)
    with pytest.raises(PermissionDenied):
        services.start_report(plan=world.plan, by=world.people[persona])


def test_the_chain_is_in_the_report_without_signal_text(world):
    report = completed(world)
    content = report_content(report)
    block = next(b for b in content["locations"] if b["id"] == world.location.pk)
    assert [(row["theme_key"], row["count"]) for row in block["signals"]] == [(THEME, 1)]
    (point,) = content["organisation_wide"]["top_points"]
    assert point["title"] == world.top_point.title and point["signal_count"] == 1
    (action,) = point["actions"]
    assert (action["title"], action["final_status"], action["evaluation"]) == (world.action.title, "done", EVALUATION)
    assert action["signal_count"] == 1
    assert [f["text"] for f in block["findings"]] == [FINDING]
    assert SIGNAL_TEXT not in str(content)


def test_adoption_is_refused_while_something_is_missing(world):
    report = drafted(world)
    with pytest.raises(services.ReportRefused) as refused:
        services.adopt_report(report=report, by=world.people["board"])
    problems = " ".join(refused.value.problems)
    assert "nog geen bevinding" in problems
    assert world.action.title in problems
    assert QualityPlan.objects.get(pk=world.plan.pk).status == QualityPlan.Status.IN_PROGRESS


def test_adoption_freezes_the_report_and_evaluates_the_plan(world):
    report = adopted(world)
    assert report.status == QualityReport.Status.ADOPTED
    assert len(report.sha256) == 64 and report.content["locations"]
    assert report.adopted_by == world.people["board"]
    assert QualityPlan.objects.get(pk=world.plan.pk).status == QualityPlan.Status.EVALUATED
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REPORT_ADOPTED, plan_id=world.plan.pk).exists()
    assert Notification.objects.filter(recipient=world.people["council_member"], kind="report_adopted").exists()
    # Frozen: nothing changes it any more.
    with pytest.raises(services.ReportRefused):
        services.add_finding(report=report, by=world.people["quality"], text="Nog iets.")


def test_only_the_board_adopts(world):
    report = completed(world)
    with pytest.raises(PermissionDenied):
        services.adopt_report(report=report, by=world.people["quality"])


def test_the_plan_is_evaluated_only_through_the_report(world):
    drafted(world)
    with pytest.raises(TransitionRefused):
        transition_plan(plan=world.plan, to=QualityPlan.Status.EVALUATED, by=world.people["board"])
    with pytest.raises(TransitionRefused):
        transition_plan(plan=world.plan, to=QualityPlan.Status.EVALUATED, by=world.people["board"], report_step=True)


def test_a_location_manager_evaluates_the_actions_of_the_own_location(world):
    report = drafted(world)
    evaluation = report.action_evaluations.get(action=world.action)
    services.evaluate_action(evaluation=evaluation, by=world.people["location_manager"], final_status="delayed",
                             text="Het loopt later.")
    evaluation.refresh_from_db()
    assert (evaluation.final_status, evaluation.updated_by) == ("delayed", world.people["location_manager"])
    with pytest.raises(PermissionDenied):
        services.evaluate_action(evaluation=evaluation, by=world.people["council_member"], final_status="done",
                                 text="Klaar.")


def test_an_evaluation_needs_a_text_and_a_known_status(world):
    report = drafted(world)
    evaluation = report.action_evaluations.get(action=world.action)
    with pytest.raises(ValidationError) as error:
        services.evaluate_action(evaluation=evaluation, by=world.people["quality"], final_status="gone", text=" ")
    assert set(error.value.message_dict) == {"final_status", "evaluation"}


def test_a_finding_of_another_organisation_s_location_is_refused(world):
    report = drafted(world)
    with pytest.raises(ValidationError) as error:
        services.add_finding(report=report, by=world.people["quality"], text="X", location_id=world.other_location.pk)
    assert "location" in error.value.message_dict


def test_findings_are_changed_and_removed(world):
    report = drafted(world)
    finding = services.add_finding(report=report, by=world.people["quality"], text="Eerst.")
    services.change_finding(finding=finding, by=world.people["quality"], text="Daarna.", location_id=world.location.pk)
    finding.refresh_from_db()
    assert (finding.text, finding.location_id) == ("Daarna.", world.location.pk)
    services.remove_finding(finding=finding, by=world.people["quality"])
    assert not report.findings.exists()


def test_a_council_comments_on_the_draft(world):
    report = drafted(world)
    comment = services.comment_on_report(report=report, by=world.people["council_member"], body="Wij missen de avond.")
    assert (comment.kind, comment.council) == (ReportComment.Kind.QUALITY, world.client_council)
    assert Notification.objects.filter(recipient=world.people["quality"], kind="report_commented").exists()
    with pytest.raises(PermissionDenied):
        services.comment_on_report(report=report, by=world.people["quality"], body="Zelf.")


def test_the_theme_evaluation_must_be_a_theme_of_the_framework(world):
    report = drafted(world)
    services.update_theme_evaluation(report=report, by=world.people["quality"], theme_key=THEME, body="**Goed**")
    with pytest.raises(ValidationError):
        services.update_theme_evaluation(report=report, by=world.people["quality"], theme_key="bestaat-niet", body="x")


def test_publishing_needs_an_adopted_report(world):
    report = completed(world)
    with pytest.raises(services.ReportRefused):
        services.set_report_published(report=report, by=world.people["quality"], published=True)
    report = services.adopt_report(report=report, by=world.people["board"])
    services.set_report_published(report=report, by=world.people["quality"], published=True)
    services.set_report_published(report=report, by=world.people["quality"], published=False)
    kinds = list(AuditEvent.objects.filter(plan_id=world.plan.pk, kind__in=["report_published", "report_unpublished"]).order_by("sequence").values_list("kind", flat=True))
    assert kinds == [AuditEvent.Kind.REPORT_PUBLISHED, AuditEvent.Kind.REPORT_UNPUBLISHED]


def test_staff_move_a_submitted_plan_to_in_progress_on_the_phase_page(world, client):
    from django.urls import reverse

    from samenplan.core.tests.world import login

    from .report_world import submitted

    submitted(world)
    login(client, world.people["quality"])
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "in_progress"})
    assert response.status_code == 302
    assert QualityPlan.objects.get(pk=world.plan.pk).status == QualityPlan.Status.IN_PROGRESS
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "evaluated"})
    assert response.status_code == 409
    assert "kwaliteitsverslag" in response.content.decode()
