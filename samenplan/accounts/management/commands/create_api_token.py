from django.core.management.base import BaseCommand, CommandError

from samenplan.accounts.models import User
from samenplan.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="management command")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        _token, raw = create_api_token(user=user, name=name)
        self.stdout.write(raw)
