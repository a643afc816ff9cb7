"""A task cut off with its worker (killed mid-way) is run again by a worker that is alive."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samenplan.core import workers
from samenplan.core.models import WorkerHeartbeat
from samenplan.plans.models import VersionPdf
from samenplan.plans.tasks import render_version_pdf


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # what the worker serves


def _running(task_id, *worker_ids):
    DBTaskResult.objects.filter(pk=task_id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now(),
                                                   worker_ids=list(worker_ids))


def _status(task_id):
    return DBTaskResult.objects.get(pk=task_id).status


def test_a_task_of_a_worker_that_stopped_beating_goes_back_to_the_queue(world, db_tasks):
    task = render_version_pdf.enqueue(version_id=world.version.pk)
    workers.beat("killed")
    _running(task.id, "killed")
    assert workers.requeue_cut_off_tasks() == 0  # it beat a moment ago
    with time_machine.travel(timezone.now() + workers.stale_after() + timedelta(seconds=1)):
        assert workers.requeue_cut_off_tasks() == 1
    assert _status(task.id) == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=task.id).started_at is None


def test_a_task_of_a_worker_that_beats_is_left_running(world, db_tasks):
    task = render_version_pdf.enqueue(version_id=world.version.pk)
    _running(task.id, "busy")
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        workers.beat("busy")  # a long task: the heartbeat thread beats on
        assert workers.requeue_cut_off_tasks() == 0
    assert _status(task.id) == TaskResultStatus.RUNNING


def test_a_task_that_cut_off_three_workers_is_marked_failed(world, db_tasks):
    task = render_version_pdf.enqueue(version_id=world.version.pk)
    _running(task.id, "first", "second", "third")
    assert workers.requeue_cut_off_tasks() == 0
    result = DBTaskResult.objects.get(pk=task.id)
    assert result.status == TaskResultStatus.FAILED
    assert "3 workers stopped" in result.traceback


# The worker's loop closes connections that are inside a transaction, as the test's own would be.
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_starts_finishes_the_pdf_a_killed_worker_left(world, db_tasks):
    task = render_version_pdf.enqueue(version_id=world.version.pk)
    _running(task.id, "killed-during-the-render")  # it never beat: a worker of before this heartbeat
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    assert _status(task.id) == TaskResultStatus.SUCCESSFUL
    assert VersionPdf.objects.get(version=world.version).content.startswith(b"%PDF")
    # The new worker said it was alive, with where it runs.
    (heartbeat,) = WorkerHeartbeat.objects.all()
    assert heartbeat.pid > 0 and heartbeat.host


def test_the_heartbeat_thread_beats_until_stopped(db, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.01
    heartbeat = workers.Heartbeat("threaded")
    beats, three = [], threading.Event()

    def beat_once():
        beats.append(1)
        if len(beats) == 3:
            three.set()

    heartbeat.beat_once = beat_once
    heartbeat.start()
    assert three.wait(timeout=5)
    heartbeat.stop()
    heartbeat.join(timeout=5)
    assert not heartbeat.is_alive()
