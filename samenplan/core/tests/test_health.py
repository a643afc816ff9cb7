"""/readyz: the database, the shared cache and the worker; 503 with the reason when one fails."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, ProgrammingError, connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from samenplan.notifications import tasks
from samenplan.notifications.tests.test_scheduler import DB_BACKEND

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


@pytest.fixture
def db_tasks(settings):
    """What production runs: tasks in the database, taken by `manage.py db_worker`."""
    settings.TASKS = DB_BACKEND


def _task(*, status, enqueued_at, started_at=None, run_after=None):
    # The row the database backend writes; `enqueued_at` is stamped at insert, so it is set after.
    row = DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path=tasks.run_scheduled_jobs.module_path,
        backend_name="default", run_after=run_after or get_date_max(), started_at=started_at,
        finished_at=started_at, exception_class_path="", traceback="")
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued_at)
    return row


def _taken_at(moment):
    return _task(status=TaskResultStatus.SUCCESSFUL, enqueued_at=moment, started_at=moment)


def _readyz(client):
    with time_machine.travel(NOW, tick=False):
        return client.get("/readyz")


def test_all_well_is_200(client, db, db_tasks):
    _taken_at(NOW - timedelta(minutes=3))
    response = _readyz(client)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "worker": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_all_well_with_redis_as_the_shared_cache(client, db, db_tasks, settings, redis_url):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    _taken_at(NOW - timedelta(minutes=3))
    response = _readyz(client)
    assert response.status_code == 200, response.json()


def test_database_down_is_503(client, db, db_tasks):
    # What Django raises when it cannot (re)connect: the server stopped or is unreachable.
    refused = OperationalError('connection to server at "db", port 5432 failed: Connection refused')
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        response = _readyz(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == "not reachable (OperationalError)"
    assert body["checks"]["worker"] == "not checked: the database is not reachable"
    assert body["reasons"] == ["database: not reachable (OperationalError)",
                               "worker: not checked: the database is not reachable"]
    assert "5432" not in response.content.decode()  # no host or port for an anonymous visitor


def test_cache_down_is_503(client, db, db_tasks, settings):
    # A real Redis client against a port where nothing listens.
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    _taken_at(NOW - timedelta(minutes=3))
    response = _readyz(client)
    assert response.status_code == 503
    assert response.json()["reasons"] == ["cache: not reachable (ConnectionError)"]


def test_a_task_queue_that_cannot_be_read_is_503(client, db, db_tasks):
    missing = ProgrammingError('relation "django_tasks_database_dbtaskresult" does not exist')
    with mock.patch("samenplan.core.health._worker_state", side_effect=missing):
        response = _readyz(client)
    assert response.status_code == 503
    assert response.json()["reasons"] == ["worker: the task queue could not be read (ProgrammingError)"]


def test_a_worker_that_took_nothing_for_too_long_is_503(client, db, db_tasks):
    _taken_at(NOW - timedelta(minutes=30))
    # The scheduler's next run, due at 10:15, still waits.
    _task(status=TaskResultStatus.READY, enqueued_at=NOW - timedelta(minutes=30),
          run_after=NOW - timedelta(minutes=15))
    response = _readyz(client)
    assert response.status_code == 503
    assert response.json()["reasons"] == [
        "worker: no job taken since 2026-12-02T10:00Z (more than 20 minutes); "
        "a job has waited since 2026-12-02T10:15Z"]


def test_a_job_without_a_time_to_run_waits_since_it_was_enqueued(client, db, db_tasks):
    _taken_at(NOW - timedelta(minutes=45))
    _task(status=TaskResultStatus.READY, enqueued_at=NOW - timedelta(minutes=25))
    response = _readyz(client)
    assert response.json()["checks"]["worker"] == (
        "no job taken since 2026-12-02T09:45Z (more than 20 minutes); a job has waited since 2026-12-02T10:05Z")


def test_a_stopped_scheduler_is_told_apart_from_a_dead_worker(client, db, db_tasks):
    _taken_at(NOW - timedelta(minutes=30))
    response = _readyz(client)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == (
        "no job taken since 2026-12-02T10:00Z (more than 20 minutes), and no job is waiting: "
        "the scheduler has stopped (run manage.py schedule_jobs)")


def test_a_job_due_later_is_not_waiting(client, db, db_tasks):
    _taken_at(NOW - timedelta(minutes=30))
    _task(status=TaskResultStatus.READY, enqueued_at=NOW - timedelta(minutes=30), run_after=NOW + timedelta(minutes=5))
    assert "no job is waiting" in _readyz(client).json()["checks"]["worker"]


def test_the_limit_comes_from_the_settings(client, db, db_tasks, settings):
    settings.READYZ_WORKER_MINUTES = 60
    _taken_at(NOW - timedelta(minutes=30))
    assert _readyz(client).status_code == 200


def test_a_running_job_counts_as_taken(client, db, db_tasks):
    _task(status=TaskResultStatus.RUNNING, enqueued_at=NOW - timedelta(minutes=2),
          started_at=NOW - timedelta(minutes=1))
    assert _readyz(client).status_code == 200


def test_a_fresh_install_is_not_ready_until_the_worker_takes_a_job(client, db, db_tasks):
    response = _readyz(client)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == (
        "no job taken yet, and no job is waiting: the scheduler has stopped (run manage.py schedule_jobs)")


def test_the_real_worker_makes_it_ready(client, transactional_db, db_tasks):
    """`schedule_jobs` (bin/serve, the compose worker) enqueues; the worker taking it is what counts."""
    from django.core.management import call_command

    call_command("schedule_jobs", verbosity=0)
    body = client.get("/readyz").json()
    assert body["checks"]["worker"].startswith("no job taken yet; a job has waited since ")
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()


def test_without_a_worker_backend_there_is_no_worker_to_wait_for(client, db):
    """The test settings run tasks inline, in the process that enqueues them."""
    assert client.get("/readyz").status_code == 200


def test_it_needs_no_second_factor(client, world):
    # A board member who has not entered a code yet is sent to the code page everywhere else.
    client.force_login(world.people["board"])
    assert client.get("/").status_code == 302
    assert client.get("/readyz").status_code == 200


def test_it_rejects_post(client, db):
    assert client.post("/readyz").status_code == 405


def test_healthz_asks_nothing_of_the_database(client):
    """No `db` fixture: a query here would fail the test."""
    assert client.get("/healthz").content == b"ok"

