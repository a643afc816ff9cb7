"""Rule 23: a missed quarterly update reminds the location's managers and whoever updated the
action before, and tells the quality staff once per plan and quarter, however often the job runs."""

import datetime

import pytest

from samenplan.monitoring import services
from samenplan.monitoring.models import ActionProgress, ProgressReminder
from samenplan.notifications.models import Notification
from samenplan.notifications.tasks import run_jobs

from .matrix_progress_cases import follow_plan

pytestmark = pytest.mark.shared_world


def _today(plan, quarter: int, days_after: int) -> datetime.date:
    ends = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
    month, day = ends[quarter]
    return datetime.date(plan.year, month, day) + datetime.timedelta(days=days_after)


def _reminded(kind="progress_reminder"):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_missed_update_reminds_once_however_often_the_job_runs(world):
    plan = follow_plan(world, year=datetime.date.today().year)
    ActionProgress.objects.create(action=world.action, quarter=f"{plan.year}-Q1", status="on_track",
                                  explanation="Begonnen.", recorded_by=world.people["board"])
    today = _today(plan, 2, 15)
    services.send_progress_reminders(today=today)
    services.send_progress_reminders(today=today)
    # The location's manager and the board member who wrote Q1 about the action; the quality staff
    # member about the plan.
    assert _reminded() == ["board", "location_manager", "quality"]
    assert ProgressReminder.objects.filter(action=world.action, quarter=f"{plan.year}-Q2").count() == 1
    notice = Notification.objects.get(recipient=world.people["quality"], kind="progress_reminder")
    assert f"{plan.year}-Q2" in notice.subject and "1 actie" in notice.subject
    assert "bij 1 actie nog niet" in notice.body


def test_the_scheduler_runs_the_reminders_in_its_hourly_block(world):
    from django.utils import timezone

    plan = follow_plan(world)  # last year's: its Q4 is overdue by now unless it is early January
    now = timezone.now()
    if timezone.localdate(now) <= datetime.date(plan.year + 1, 1, 14):
        pytest.skip("last year's fourth quarter is not overdue yet")
    run_jobs(now)
    run_jobs(now + datetime.timedelta(hours=2))
    assert _reminded() == ["location_manager", "quality"]


def test_no_reminder_before_two_weeks_after_the_quarter(world):
    plan = follow_plan(world)
    assert services.send_progress_reminders(today=_today(plan, 1, 14)) == 0
    assert services.send_progress_reminders(today=_today(plan, 1, 15)) > 0


def test_no_reminder_with_an_update_or_for_a_finished_action(world):
    plan = follow_plan(world)
    progress = ActionProgress.objects.create(action=world.action, quarter=f"{plan.year}-Q2", status="on_track",
                                             explanation="Gaat goed.", recorded_by=world.people["quality"])
    assert services.send_progress_reminders(today=_today(plan, 2, 20)) == 0
    progress.quarter, progress.status = f"{plan.year}-Q1", "done"
    progress.save()
    assert services.send_progress_reminders(today=_today(plan, 2, 20)) == 0
    progress.status = "stopped"
    progress.save()
    assert services.send_progress_reminders(today=_today(plan, 3, 20)) == 0
    assert not Notification.objects.filter(kind="progress_reminder").exists()


def test_no_reminder_for_a_plan_that_is_not_carried_out(world):
    assert services.send_progress_reminders(today=datetime.date(world.plan.year, 7, 20)) == 0


def test_a_new_quarter_brings_a_new_reminder(world):
    plan = follow_plan(world)
    services.send_progress_reminders(today=_today(plan, 1, 20))
    services.send_progress_reminders(today=_today(plan, 2, 20))
    assert _reminded() == ["location_manager", "location_manager", "quality", "quality"]
