"""`manage.py db_worker` of django-tasks-db, with the PDF renderer loaded before the first task and
a heartbeat that lets a task cut off with its worker run again (core/workers.py).

A worker runs for days and makes a PDF now and then; a person who asks for one should not wait the
extra second that importing WeasyPrint costs. (This app comes before django_tasks_db in
INSTALLED_APPS, so this command is the one `db_worker` finds.)
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from samenplan.core.workers import Heartbeat
from samenplan.plans.pdf import load_renderer


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        load_renderer()
        heartbeat = Heartbeat(options["worker_id"])
        # Before the first claim: tasks left running by a worker that was killed go back to the queue.
        heartbeat.beat_once()
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
