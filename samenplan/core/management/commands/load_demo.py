from django.core.management.base import BaseCommand

from samenplan.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organisations and people (safe to run again: existing data is kept)."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write("Demo data ready.")
