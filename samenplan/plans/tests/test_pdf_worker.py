"""The task worker makes the PDFs, so it loads the renderer once, at its start, not per PDF."""

import sys

from django.core.management import call_command, get_commands
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from samenplan.plans.management.commands import db_worker


def test_db_worker_is_the_command_of_samenplan():
    assert get_commands()["db_worker"] == "samenplan.plans"


def test_the_worker_loads_the_renderer_before_it_takes_tasks(db, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # what the worker serves
    steps = []
    monkeypatch.setattr(db_worker, "load_renderer", lambda: steps.append("renderer loaded"))
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, *args, **options: steps.append("tasks taken"))
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    assert steps == ["renderer loaded", "tasks taken"]


def test_loading_the_renderer_imports_weasyprint():
    db_worker.load_renderer()
    assert "weasyprint" in sys.modules
