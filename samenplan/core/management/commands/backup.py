from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from samenplan.core.backup import BackupError, backup, describe_database, human_size


class Command(BaseCommand):
    help = ("Writes a backup of the whole database to PATH, safe while the site runs: for SQLite a database "
            "file (online backup API), for PostgreSQL a pg_dump custom-format file. Restore it with "
            "`manage.py restore PATH`.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write (its folder is created; an old file is replaced)")

    def handle(self, *args, path, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            size = backup(Path(path), connection=connection)
            database = describe_database(connection)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup of {database} written to {path} ({human_size(size)})."))
