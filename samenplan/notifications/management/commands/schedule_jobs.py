from django.core.management.base import BaseCommand

from samenplan.notifications.tasks import run_jobs, schedule_next


class Command(BaseCommand):
    help = "Starts the worker's recurring jobs (deadline reminders, daily digests) if they are not waiting already."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the jobs that are due right now, in this process.")

    def handle(self, *args, now=False, **options):
        if now:
            self.stdout.write(f"Ran: {run_jobs()}")
        started = schedule_next()
        self.stdout.write("Scheduled the recurring jobs." if started else "The recurring jobs were already scheduled.")
