from django.core.management.base import BaseCommand, CommandError

from samenplan.frameworks.loader import FrameworkFileError
from samenplan.frameworks.services import load_all_frameworks


class Command(BaseCommand):
    help = "Load the quality frameworks from samenplan/frameworks/data/*.yaml (safe to run again)."

    def handle(self, *args, **options):
        try:
            frameworks = load_all_frameworks()
        except FrameworkFileError as error:
            raise CommandError(str(error)) from error
        for framework in frameworks:
            self.stdout.write(f"Loaded {framework} ({framework.sections.count()} sections)")
