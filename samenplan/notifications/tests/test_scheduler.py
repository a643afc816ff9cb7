"""The worker's recurring jobs keep themselves going through the database task queue."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samenplan.notifications import tasks

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_BACKEND


def _waiting():
    return DBTaskResult.objects.filter(task_path=tasks.run_scheduled_jobs.module_path, status=TaskResultStatus.READY)


def test_one_run_waits_however_often_the_chain_is_started(db, db_tasks):
    assert tasks.schedule_next() is True
    assert tasks.schedule_next() is False
    assert tasks.schedule_next(after=timedelta(hours=1)) is False
    assert _waiting().count() == 1


def test_a_run_schedules_the_next_one_in_fifteen_minutes(db, db_tasks, settings):
    settings.DIGEST_HOUR = 0  # the digest is due at any hour, also when the suite runs at night
    before = timezone.now()
    result = tasks.run_scheduled_jobs.call()
    assert "reminders" in result and "digests" in result
    (waiting,) = _waiting()
    assert before + timedelta(minutes=15) <= waiting.run_after <= timezone.now() + timedelta(minutes=15)


def test_a_failing_run_still_schedules_the_next(db, db_tasks, monkeypatch):
    def broken(now=None):
        raise RuntimeError("the database was gone for a moment")

    monkeypatch.setattr(tasks, "run_jobs", broken)
    with pytest.raises(RuntimeError):
        tasks.run_scheduled_jobs.call()
    assert _waiting().count() == 1


def test_the_worker_runs_the_chain_and_it_continues(transactional_db, db_tasks):
    """The real worker picks up the waiting run; the run leaves the next one waiting."""
    assert tasks.schedule_next() is True
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    done = DBTaskResult.objects.get(task_path=tasks.run_scheduled_jobs.module_path,
                                    status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value["reminders"] == 0
    (waiting,) = _waiting()
    assert waiting.run_after > timezone.now() + timedelta(minutes=14)


def test_the_immediate_backend_does_not_start_a_chain(db):
    """In tests tasks run inline; a chain there would never end."""
    assert tasks.schedule_next() is False
    assert not DBTaskResult.objects.exists()


def test_schedule_jobs_starts_the_chain_once(db, db_tasks, capsys):
    call_command("schedule_jobs")
    call_command("schedule_jobs")
    out = capsys.readouterr().out
    assert "Scheduled the recurring jobs." in out and "already scheduled" in out
    assert _waiting().count() == 1


def test_schedule_jobs_now_runs_the_due_jobs(db, db_tasks, capsys):
    call_command("schedule_jobs", "--now")
    assert "Ran: " in capsys.readouterr().out
