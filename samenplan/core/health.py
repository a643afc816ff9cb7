"""What `/readyz` checks: the database, the shared cache and the task worker.

`/healthz` only says that this web process answers; the proxy asks it, so a worker that has stopped
does not take the website down with it. `/readyz` says whether Samenplan as a whole works: a monitor
asks it, and so does a deploy before it calls the new release good.

The worker writes no heartbeat of its own. It does not need to: the scheduler
(`notifications.tasks.run_scheduled_jobs`) enqueues its next run 15 minutes after each run, so a
working worker takes a job at least every 15 minutes, and taking one stamps the task row's
`started_at`. The newest `started_at` is therefore the worker's heartbeat, written by the worker
itself at the moment it claims a job.

Reasons are plain English and name no host, address or user: `/readyz` needs no login. The
exception behind a failure goes to the log.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import Case, F, Max, Min, Q, When
from django.db.models.functions import Greatest
from django.tasks import TaskResultStatus
from django.utils import timezone

logger = logging.getLogger(__name__)

OK = "ok"


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)  # name -> "ok" or the reason it fails

    @property
    def ok(self) -> bool:
        return all(result == OK for result in self.checks.values())

    @property
    def reasons(self) -> list[str]:
        return [f"{name}: {result}" for name, result in self.checks.items() if result != OK]

    def as_dict(self) -> dict:
        body = {"status": "ok" if self.ok else "failing", "checks": self.checks}
        if not self.ok:
            body["reasons"] = self.reasons
        return body


def readiness(now: datetime | None = None) -> Readiness:
    now = now or timezone.now()
    result = Readiness()
    result.checks["database"] = check_database()
    result.checks["cache"] = check_cache()
    if result.checks["database"] == OK:
        result.checks["worker"] = check_worker(now)
    else:
        # The worker's only trace is in the database; saying "stale" would blame the wrong part.
        result.checks["worker"] = "not checked: the database is not reachable"
    return result


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readyz: the database did not answer", exc_info=error)
        return f"not reachable ({type(error).__name__})"
    return OK


def check_cache() -> str:
    # A key of its own per call: two checks at once must not read each other's value.
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache = caches["default"]
    try:
        cache.set(key, value, timeout=10)
        read = cache.get(key)
        cache.delete(key)
    except Exception as error:  # each backend has its own errors (redis.ConnectionError, OSError, ...)
        logger.warning("readyz: the cache did not answer", exc_info=error)
        return f"not reachable ({type(error).__name__})"
    if read != value:
        return "a value written could not be read back"
    return OK


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def check_worker(now: datetime) -> str:
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return OK  # tasks run inside the process that enqueues them (the test settings): no worker to wait for
    try:
        return _worker_state(now, settings.READYZ_WORKER_MINUTES)
    except DatabaseError as error:  # such as a database without its migrations
        logger.warning("readyz: the task queue could not be read", exc_info=error)
        return f"the task queue could not be read ({type(error).__name__})"


def _worker_state(now: datetime, minutes: int) -> str:
    from django_tasks_db.models import DBTaskResult, get_date_max

    last_taken = DBTaskResult.objects.aggregate(last=Max("started_at"))["last"]
    if last_taken is not None and last_taken >= now - timedelta(minutes=minutes):
        return OK
    # What waits tells a dead worker from a scheduler that has stopped enqueueing. A job without
    # `run_after` is stored with the far future there and is due from the moment it was enqueued.
    due = Q(run_after=get_date_max()) | Q(run_after__lte=now)  # as DBTaskResult.objects.ready(), at `now`
    waiting_since = DBTaskResult.objects.filter(due, status=TaskResultStatus.READY).aggregate(since=Min(Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("run_after", "enqueued_at"),
    )))["since"]
    if last_taken is None:
        stale = "no job taken yet"
    else:
        stale = f"no job taken since {_minute(last_taken)} (more than {minutes} minutes)"
    if waiting_since is not None:
        return f"{stale}; a job has waited since {_minute(waiting_since)}"
    return f"{stale}, and no job is waiting: the scheduler has stopped (run manage.py schedule_jobs)"
