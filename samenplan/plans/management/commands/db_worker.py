"""`manage.py db_worker` of django-tasks-db, with the PDF renderer loaded before the first task.

A worker runs for days and makes a PDF now and then; a person who asks for one should not wait the
extra second that importing WeasyPrint costs. (This app comes before django_tasks_db in
INSTALLED_APPS, so this command is the one `db_worker` finds.)
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from samenplan.plans.pdf import load_renderer


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        load_renderer()
        super().handle(*args, **options)
