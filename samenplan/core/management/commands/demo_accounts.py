import json

from django.core.management.base import BaseCommand

from samenplan.core.demo import demo_accounts


class Command(BaseCommand):
    help = "Print the demo accounts (with --json: a JSON list with roles and their ids)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")

    def handle(self, *args, **options):
        accounts = demo_accounts()
        if options["json"]:
            self.stdout.write(json.dumps(accounts, indent=2, ensure_ascii=False))
            return
        self.stdout.write("Demo logins (password for all: %s)" % (accounts[0]["password"] if accounts else "-"))
        for account in accounts:
            self.stdout.write(f"  {account['username']:<16} {account['name']:<18} {account['description']}")
