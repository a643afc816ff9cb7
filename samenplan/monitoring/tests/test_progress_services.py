"""Recording an action's progress, the council's comment on the quarterly report, and rule 23 in
the checker."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenplan.audit.models import AuditEvent
from samenplan.monitoring import selectors, services
from samenplan.monitoring.models import ActionProgress, ReportComment
from samenplan.notifications.models import Notification
from samenplan.plans.models import QualityPlan

from .matrix_progress_cases import follow_plan

pytestmark = pytest.mark.shared_world


def _record(world, by="quality", quarter=None, **extra):
    data = {"quarter": quarter or f"{world.plan.year}-Q2", "status": "on_track",
            "explanation": "Twee afdelingen koken al samen.", **extra}
    return services.record_progress(action=world.action, by=world.people[by], **data)


def test_it_records_and_corrects_an_update(world):
    follow_plan(world)
    first = _record(world, figure="2 van 5 afdelingen", story="Meneer zei: het ruikt hier weer naar thuis.")
    assert (first.status, first.figure, first.recorded_by) == ("on_track", "2 van 5 afdelingen",
                                                               world.people["quality"])
    again = _record(world, by="location_manager", status="delayed", explanation="De keuken is verbouwd.")
    assert again.pk == first.pk
    assert ActionProgress.objects.get(pk=first.pk).status == "delayed"
    assert ActionProgress.objects.filter(action=world.action).count() == 1
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.PROGRESS_RECORDED, plan_id=world.plan.pk).order_by("sequence")
    assert [e.data["corrected"] for e in events] == [False, True]
    assert events[0].data["quarter"] == f"{world.plan.year}-Q2"


def test_the_audit_trail_keeps_only_the_start_of_a_story(world):
    follow_plan(world)
    _record(world, story="x" * 1500)
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.PROGRESS_RECORDED).latest("sequence")
    assert event.data["story"] == "x" * services.AUDIT_STORY_LENGTH


def test_a_future_quarter_is_refused(world):
    this_year = timezone.localdate().year
    follow_plan(world, year=this_year)
    future = [q for q in selectors.quarters_of(this_year) if q not in selectors.started_quarters(
        this_year, timezone.localdate())]
    quarter = future[0] if future else f"{this_year}-Q9"
    with pytest.raises(ValidationError) as refused:
        _record(world, quarter=quarter)
    assert "quarter" in refused.value.message_dict


def test_a_quarter_of_another_year_is_refused(world):
    follow_plan(world)
    with pytest.raises(ValidationError) as refused:
        _record(world, quarter=f"{world.plan.year - 1}-Q4")
    assert "Kies een kwartaal van" in refused.value.message_dict["quarter"][0]


def test_a_plan_that_is_not_carried_out_is_refused_plainly(world):
    assert world.plan.status == QualityPlan.Status.DRAFT
    with pytest.raises(ValidationError) as refused:
        _record(world)
    assert "nog niet vastgesteld" in refused.value.messages[0]


def test_missing_and_too_long_texts_are_named(world):
    follow_plan(world)
    with pytest.raises(ValidationError) as refused:
        _record(world, status="wonderful", explanation=" ", figure="1" * 101, story="s" * 2001)
    assert set(refused.value.message_dict) == {"status", "explanation", "figure", "story"}


@pytest.mark.parametrize("persona", ["council_member", "outsider", "care_office", "peer_reviewer"])
def test_others_may_not_record(world, persona):
    follow_plan(world)
    with pytest.raises(PermissionDenied):
        _record(world, by=persona)
    assert not ActionProgress.objects.exists()


def test_a_location_manager_records_only_for_their_own_location(world):
    from samenplan.plans.models import ImprovementAction, ImprovementParagraph

    follow_plan(world)
    elsewhere = world.organisation.locations.exclude(pk=world.location.pk).first()
    paragraph, _new = ImprovementParagraph.objects.get_or_create(plan=world.plan, location=elsewhere)
    action = ImprovementAction.objects.create(paragraph=paragraph, title="Elke dag naar buiten")
    with pytest.raises(PermissionDenied):
        services.record_progress(action=action, by=world.people["location_manager"], quarter=f"{world.plan.year}-Q1",
                                 status="on_track", explanation="Gaat goed.")


def test_a_council_member_comments_on_the_quarterly_report(world):
    follow_plan(world)
    comment = services.comment_on_quarterly_report(plan=world.plan, by=world.people["council_member"],
                                                   quarter=f"{world.plan.year}-Q3", body="  Mooi om te lezen.  ")
    assert (comment.kind, comment.council, comment.body) == (ReportComment.Kind.QUARTERLY, world.client_council,
                                                             "Mooi om te lezen.")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REPORT_COMMENTED, plan_id=world.plan.pk).exists()
    assert Notification.objects.filter(recipient=world.people["quality"], kind="report_commented").count() == 1


def test_a_comment_needs_words_and_a_quarter_of_the_plan(world):
    follow_plan(world)
    with pytest.raises(ValidationError) as refused:
        services.comment_on_quarterly_report(plan=world.plan, by=world.people["council_member"], quarter="2001-Q1",
                                             body=" ")
    assert set(refused.value.message_dict) == {"quarter", "body"}


@pytest.mark.parametrize("persona", ["quality", "board", "outsider"])
def test_only_council_members_comment(world, persona):
    follow_plan(world)
    with pytest.raises(PermissionDenied):
        services.comment_on_quarterly_report(plan=world.plan, by=world.people[persona],
                                             quarter=f"{world.plan.year}-Q1", body="Hallo")


# --- Rule 23 in the checker --------------------------------------------------------------------


def _findings(plan):
    from samenplan.compliance.checker import check
    from samenplan.consent.selectors import check_context_for
    from samenplan.plans.snapshot import build_snapshot, load_plan_for_snapshot

    plan = load_plan_for_snapshot(plan.pk)
    return [f for f in check(build_snapshot(plan), check_context_for(plan, "")) if f.rule == "R23"]


def test_the_checker_flags_an_action_without_update_over_the_last_quarter(world):
    follow_plan(world)
    (finding,) = _findings(world.plan)
    assert finding.severity == "warn"
    assert f"{world.plan.year}-Q4" in finding.message
    assert finding.target.action_id == world.action.pk


def test_the_checker_is_content_with_an_update_or_a_finished_action(world):
    follow_plan(world)
    _record(world, quarter=f"{world.plan.year}-Q4")
    assert _findings(world.plan) == []
    ActionProgress.objects.all().delete()
    _record(world, quarter=f"{world.plan.year}-Q2", status="done")
    assert _findings(world.plan) == []


def test_the_checker_does_not_ask_for_updates_of_a_draft(world):
    QualityPlan.objects.filter(pk=world.plan.pk).update(year=timezone.localdate().year - 1)
    assert _findings(world.plan) == []


def test_an_update_is_missed_only_two_weeks_after_the_quarter():
    end_of_q1 = datetime.date(2026, 3, 31)
    assert selectors.due_quarter(2026, end_of_q1 + datetime.timedelta(days=14)) == ""
    assert selectors.due_quarter(2026, end_of_q1 + datetime.timedelta(days=15)) == "2026-Q1"
    assert selectors.due_quarter(2026, datetime.date(2027, 2, 1)) == "2026-Q4"
