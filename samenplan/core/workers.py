"""Task workers that say they are alive, and tasks run again when their worker stopped mid-way.

django-tasks-db marks a task RUNNING when a worker claims it, and finished when it ends. A worker
killed in between (out of memory, a deploy, a machine gone) leaves its task RUNNING for ever: a
PDF somebody asked for would never come. So every worker beats (`WorkerHeartbeat`) from a thread
of its own, also while a long task runs, and at every beat it hands the tasks of workers that have
not beaten for `STALE_BEATS` beats back to the queue. A task that cut off three workers in a row is
marked failed rather than run a fourth time.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

STALE_BEATS = 3
MAX_CUT_OFF = 3


def stale_after() -> timedelta:
    return timedelta(seconds=STALE_BEATS * settings.WORKER_HEARTBEAT_SECONDS)


def beat(worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now},
        create_defaults={"seen_at": now, "started_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()})


def requeue_cut_off_tasks() -> int:
    """Hands back to the queue the running tasks whose worker stopped beating; returns how many."""
    now = timezone.now()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - stale_after()).values_list("worker_id", flat=True))
    handed_back = 0
    for task_id, worker_ids in DBTaskResult.objects.running().values_list("id", "worker_ids"):
        if worker_ids and worker_ids[-1] in alive:
            continue
        # Conditional: another worker may be handing the same task back at this moment.
        still_running = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING)
        if len(worker_ids) >= MAX_CUT_OFF:
            still_running.update(status=TaskResultStatus.FAILED, finished_at=now,
                                 exception_class_path="samenplan.core.workers.WorkerStopped",
                                 traceback=f"{len(worker_ids)} workers stopped while running this task.")
            logger.error("Task %s stopped %s workers; marked as failed.", task_id, len(worker_ids))
        elif still_running.update(status=TaskResultStatus.READY, started_at=None):
            handed_back += 1
            logger.warning("Task %s was cut off with its worker %s; it is run again.", task_id,
                           worker_ids[-1] if worker_ids else "?")
    # Rows of workers long gone say nothing any more.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=7)).delete()
    return handed_back


class Heartbeat(threading.Thread):
    """Beats for one worker until stopped; runs beside the worker's loop, with its own connection."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat_once(self) -> None:
        beat(self.worker_id)
        requeue_cut_off_tasks()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    self.beat_once()
                except Exception:
                    # A database hiccup must not end the beating: the next beat tries again.
                    logger.exception("Heartbeat of worker %s failed.", self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
