"""LOG_FORMAT=json: one JSON line per request, with the route's pattern and nothing personal."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from samenplan.core.logs import JsonFormatter

from .world import login

KEYS = {"time", "level", "logger", "message", "method", "path_template", "status", "duration_ms", "user_id"}


@pytest.fixture
def log_lines():
    """Every line that reaches the root logger, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, request_logger = logging.getLogger(), logging.getLogger("samenplan.request")
    old_level = request_logger.level
    request_logger.setLevel(logging.INFO)  # what LOGGING does with LOG_FORMAT=json
    root.addHandler(handler)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        root.removeHandler(handler)
        request_logger.setLevel(old_level)


def test_one_line_per_request_with_the_pattern_and_no_personal_text(client, world, log_lines):
    person = world.people["quality"]
    person.first_name, person.last_name, person.email = "Wilhelmina", "Zoutelande", "w.zoutelande@example.nl"
    person.save()
    login(client, person)
    url = reverse("organisations:detail", kwargs={"organisation_id": world.organisation.pk})
    before = len(log_lines())

    response = client.get(url, {"zoek": "w.zoutelande@example.nl", "naam": "Wilhelmina"})

    assert response.status_code == 200
    lines = log_lines()[before:]
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert set(line) == KEYS
    assert line["method"] == "GET"
    assert line["path_template"] == "/organisaties/<int:organisation_id>/"
    assert line["status"] == 200
    assert line["user_id"] == person.pk
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["logger"] == "samenplan.request"
    for personal in ("Wilhelmina", "Zoutelande", "zoutelande@example.nl", "zoek", f"/{world.organisation.pk}/"):
        assert personal not in lines[0]


def _request_lines(lines):
    return [line for line in map(json.loads, lines) if line["logger"] == "samenplan.request"]


def test_an_anonymous_visitor_and_a_page_that_does_not_exist(client, db, log_lines):
    client.get("/bestaat-niet/?email=iemand@example.nl")
    (line,) = _request_lines(log_lines())
    assert (line["path_template"], line["status"], line["user_id"]) == (None, 404, None)
    assert "iemand" not in "".join(log_lines())


def test_an_api_call_names_its_route(client, world, log_lines):
    login(client, world.people["quality"])
    client.get(f"/api/v1/plans/{world.plan.pk}")
    line = _request_lines(log_lines())[-1]
    assert (line["path_template"], line["status"]) == ("/api/v1/plans/<plan_id>", 200)
    assert line["user_id"] == world.people["quality"].pk


def test_static_files_are_one_pattern(client, db, log_lines):
    client.get(settings.STATIC_URL + "css/niet-er.css")
    assert _request_lines(log_lines())[-1]["path_template"] == "/static/<path>"


def test_the_text_log_has_no_request_lines(client, db, caplog):
    """Without LOG_FORMAT=json the request logger is off: gunicorn's access log is the record."""
    with caplog.at_level(logging.WARNING):
        client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "samenplan.request"]
    assert not logging.getLogger("samenplan.request").isEnabledFor(logging.INFO)


def test_errors_keep_their_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("samenplan", logging.ERROR, __file__, 1, "failed %s", ("x",), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed x" and "ValueError: boom" in line["exception"]


def test_the_production_settings_write_one_json_line_per_request_on_stdout(tmp_path):
    """The real LOGGING of settings.py with LOG_FORMAT=json, in a process of its own."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "samenplan.settings", "LOG_FORMAT": "json",
           "SECRET_KEY": "log-test-" + "k" * 50, "HTTPS": "0", "ALLOWED_HOSTS": "testserver",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
           "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache", "CACHE_LOCATION": "log-test"}
    script = ("import django; django.setup(); from django.test import Client; c = Client(); "
              "c.get('/healthz?email=iemand@example.nl'); c.post('/healthz')")
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    # Two requests, two lines: Django's own warning would repeat the 405 with its raw path.
    assert [(line["path_template"], line["status"]) for line in lines] == [("/healthz", 200), ("/healthz", 405)]
    assert set(lines[0]) == KEYS
    assert "iemand" not in result.stdout + result.stderr
