from datetime import datetime
from pathlib import Path

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from samenplan.core.backup import BackupError, check_backup, describe_database, human_size, restore


class Command(BaseCommand):
    help = ("Replaces everything in the database with a backup made by `manage.py backup`. Stop the web server "
            "and the worker first; afterwards run `manage.py migrate`, `verify_audit` and `verify_versions`.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to restore")
        parser.add_argument("--yes", "--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, path, interactive, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        path = Path(path)
        try:
            size = check_backup(path, connection=connection)
            database = describe_database(connection)
        except BackupError as error:
            raise CommandError(str(error)) from error
        made = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        if interactive:
            self.stdout.write(f"This replaces everything in {database} with the backup {path} "
                              f"({human_size(size)}, written {made}). What was written since then is lost.")
            try:
                answer = input("Type 'yes' to restore: ")
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; the database is unchanged.")
        try:
            restore(path, connection=connection)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # The processes learn that a kept page or a signed-in person is out of date from tokens in the
        # shared cache, renewed by writes through Django (core/pagecache.py). A restore writes around
        # Django, so forget all tokens (and cached sessions): everything is read again from the database.
        caches["default"].clear()
        self.stdout.write(self.style.SUCCESS(
            f"Restored {database} from {path} ({human_size(size)}, written {made}); the shared cache was cleared."))
        self.stdout.write("Next: `manage.py migrate` if this code is newer than the backup, then "
                          "`manage.py verify_audit` and `manage.py verify_versions`.")
