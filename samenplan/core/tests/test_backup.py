"""Backup and restore (issue 14): the demo after a full consent round survives losing its database.

The round trip runs `manage.py` in child processes, as an operator would, against a database of
its own: a SQLite file in WAL mode (as `make run` serves it) or a PostgreSQL database made for
this module, whichever the suite runs on. The run's own test database is never destroyed, so
the tests after these start from what they expect.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import CommandError, call_command

from samenplan.core import backup as backup_module
from samenplan.core.backup import BackupError
from samenplan.organisations.models import Region

ROOT = Path(settings.BASE_DIR)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
STORY = "samenplan.core.tests.backup_story"


class Site:
    """A Samenplan installation on its own database, driven through manage.py."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.pg_name = f"samenplan_backup_test_{os.getpid()}" if ON_POSTGRES else None
        if ON_POSTGRES:
            self.sqlite_file = None
            self._create_postgres_database()
            database_url = self._postgres_url(self.pg_name)
        else:
            self.sqlite_file = tmp_path / "samenplan.sqlite3"
            database_url = f"sqlite:///{self.sqlite_file}"
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL"}}
        # SAMENPLAN_TESTING (set for this run) keeps it quick: tasks run at once, fast password hashing.
        self.env.update({"DATABASE_URL": database_url, "SAMENPLAN_TESTING": "1",
                         "SAMENPLAN_LOCAL_ENV": str(tmp_path / "no-local.env")})

    def manage(self, *args, stdin: str | None = None, check: bool = True, env_extra: dict | None = None):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, input=stdin, capture_output=True,
                                text=True, env={**self.env, **(env_extra or {})}, timeout=300)
        if check and result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def run(self, function: str):
        return self.manage("shell", "-v", "0", "-c", f"from {STORY} import {function}; {function}()")

    def inventory(self) -> dict:
        return json.loads(self.run("print_inventory").stdout)

    def destroy(self) -> None:
        """The database is lost: the SQLite file with its WAL, or the whole PostgreSQL database."""
        if ON_POSTGRES:
            self._admin(f'DROP DATABASE "{self.pg_name}" WITH (FORCE)', f'CREATE DATABASE "{self.pg_name}"')
        else:
            for name in (self.sqlite_file, Path(f"{self.sqlite_file}-wal"), Path(f"{self.sqlite_file}-shm")):
                name.unlink(missing_ok=True)

    def is_gone(self) -> bool:
        if ON_POSTGRES:
            return self._admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", dbname=self.pg_name) == 0
        return not self.sqlite_file.exists()

    def remove(self) -> None:
        if ON_POSTGRES:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')

    # PostgreSQL: the same server and login as the test run, another database.
    def _postgres_url(self, name: str) -> str:
        db = settings.DATABASES["default"]
        login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
        return f"postgres://{login}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{name}"

    def _admin(self, *statements: str, dbname: str = "postgres"):
        """Runs the statements on the server; returns the first value of the last one's result, if any."""
        import psycopg

        db = settings.DATABASES["default"]
        with psycopg.connect(dbname=dbname, user=db["USER"], password=db.get("PASSWORD") or None,
                             host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True) as admin:
            for statement in statements:
                cursor = admin.execute(statement)
            return cursor.fetchone()[0] if cursor.description else None

    def _create_postgres_database(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)', f'CREATE DATABASE "{self.pg_name}"')


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo, with this year's plan of De Linde through a whole consent round to adoption."""
    site = Site(tmp_path_factory.mktemp("site"))
    try:
        site.manage("migrate", "--noinput", "-v", "0")
        site.manage("load_frameworks")
        site.manage("load_demo")
        site.run("consent_round")
        yield site
    finally:
        site.remove()


def test_after_losing_the_database_a_restore_brings_back_every_plan_version_decision_and_comment(demo_site, tmp_path):
    before = demo_site.inventory()
    # The demo's region has plans in every state: De Linde's evaluated one (submitted, then closed
    # with its quality report) and the one the round adopted.
    statuses = {status for _pk, _year, status in before["plans"]}
    assert {"draft", "consent", "adopted", "evaluated"} <= statuses
    assert len(before["versions"]) > 3 and len(before["decisions"]) > 2 and len(before["comments"]) >= 2
    assert before["adoptions"] and before["audit"][-1][1] == "plan_adopted"
    assert "plan_version_immutable" in before["triggers"] and before["version_update_refused"] is True

    target = tmp_path / "backups" / ("samenplan.dump" if ON_POSTGRES else "samenplan.sqlite3")
    made = demo_site.manage("backup", str(target))
    assert f"written to {target} (" in made.stdout
    assert target.is_file() and target.stat().st_size > 100_000
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # one file, no -wal or partial

    demo_site.destroy()
    assert demo_site.is_gone()
    restored = demo_site.manage("restore", "--yes", str(target))
    assert f"from {target}" in restored.stdout

    assert "every link holds" in demo_site.manage("verify_audit").stdout
    assert "every SHA-256 matches" in demo_site.manage("verify_versions").stdout
    # Every row of every table, with the same hashes, the immutability triggers included.
    assert demo_site.inventory() == before


def test_a_restore_asks_first_and_a_no_leaves_the_database_as_it_was(demo_site, tmp_path):
    target = tmp_path / "before.backup"
    demo_site.manage("backup", str(target))
    before = demo_site.inventory()
    result = demo_site.manage("restore", str(target), stdin="no\n", check=False)
    assert result.returncode != 0
    assert "This replaces everything in the " in result.stdout
    assert "Restore cancelled; the database is unchanged." in result.stderr
    assert demo_site.inventory() == before


def test_going_back_to_the_backup_after_an_upgrade_leaves_no_table_of_the_newer_code(demo_site, tmp_path):
    """The backup before an upgrade undoes it: a table that a newer migration added does not stay behind."""
    target = tmp_path / "before-the-upgrade.backup"
    demo_site.manage("backup", str(target))
    before = demo_site.inventory()
    demo_site.manage("shell", "-v", "0", "-c", (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('CREATE TABLE plans_newer_feature (id integer PRIMARY KEY, "
        "plan_id bigint NOT NULL REFERENCES plans_qualityplan (id))')\n"
        "    cursor.execute('INSERT INTO plans_newer_feature SELECT id, id FROM plans_qualityplan')\n"))
    demo_site.manage("restore", "--yes", str(target))
    after = demo_site.inventory()
    assert "plans_newer_feature" not in after["rows"]
    assert after == before


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="pg_restore is the PostgreSQL path")
def test_a_dump_that_breaks_off_halfway_changes_nothing(demo_site, tmp_path):
    """psql only commits once pg_restore read the whole file: half a restore is never left behind."""
    target = tmp_path / "samenplan.dump"
    demo_site.manage("backup", str(target))
    before = demo_site.inventory()
    # A pg_restore that lists the file fine, then stops with an error halfway through the data.
    fake = tmp_path / "bin"
    fake.mkdir()
    real = subprocess.run(["which", "pg_restore"], capture_output=True, text=True, check=True).stdout.strip()
    (fake / "pg_restore").write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--list" ]; then exec {real} "$@"; fi\n'
        f'{real} "$@" | head -c 60000\n'
        "echo 'pg_restore: error: could not read from input file' >&2\n"
        "exit 1\n")
    (fake / "pg_restore").chmod(0o755)
    result = demo_site.manage("restore", "--yes", str(target), check=False,
                              env_extra={"PATH": f"{fake}:{os.environ['PATH']}"})
    assert result.returncode != 0
    # Whichever notices first (psql at the cut statement, or pg_restore's exit status), no COMMIT is sent.
    assert "nothing was changed" in result.stderr
    assert demo_site.inventory() == before


# --- In this run's own database ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_restore_replaces_what_was_written_since_and_clears_the_shared_cache(tmp_path):
    Region.objects.create(name="Voor de backup")
    target = tmp_path / "samenplan.backup"
    call_command("backup", str(target), stdout=io.StringIO())
    Region.objects.create(name="Na de backup")
    caches["default"].set("pagecache:token:dashboard", "before the restore", timeout=None)

    call_command("restore", str(target), "--yes", stdout=io.StringIO())

    assert list(Region.objects.values_list("name", flat=True)) == ["Voor de backup"]
    assert caches["default"].get("pagecache:token:dashboard") is None


def test_a_failed_backup_leaves_the_earlier_file_and_no_partial_one(db, tmp_path, monkeypatch):
    target = tmp_path / "samenplan.backup"
    target.write_bytes(b"last night's backup")

    def fails_halfway(*args):
        Path(args[-1]).write_bytes(b"half a backup")
        raise BackupError("No space left on device.")

    monkeypatch.setattr(backup_module, "_sqlite_backup", fails_halfway)
    monkeypatch.setattr(backup_module, "postgres_backup", fails_halfway)
    with pytest.raises(CommandError, match="No space left on device."):
        call_command("backup", str(target))
    assert target.read_bytes() == b"last night's backup"
    assert list(tmp_path.iterdir()) == [target]


def test_a_backup_needs_a_file_name_not_a_folder(db, tmp_path):
    with pytest.raises(CommandError, match="is a directory: give the name of the backup file to write."):
        call_command("backup", str(tmp_path))


@pytest.mark.database_independent
def test_without_pg_dump_the_backup_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found on the PATH: install the PostgreSQL client"):
        backup_module.postgres_backup({"NAME": "samenplan", "USER": "samenplan"}, tmp_path / "x.dump")
    assert not (tmp_path / "x.dump").exists()


def test_restoring_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match=f"There is no backup file at {tmp_path / 'gone.backup'}."):
        call_command("restore", str(tmp_path / "gone.backup"), "--yes")


def test_restoring_a_backup_of_the_other_kind_of_database_is_refused(db, tmp_path):
    other = tmp_path / "other.backup"
    if ON_POSTGRES:
        import sqlite3

        sqlite3.connect(other).execute("CREATE TABLE django_migrations (id integer)").connection.close()
        message = "is an SQLite database, but this site runs on the PostgreSQL database"
    else:
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
        message = "is a PostgreSQL dump, but this site runs on the SQLite database"
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(other), "--yes")


@pytest.mark.skipif(ON_POSTGRES, reason="an SQLite file is refused earlier on PostgreSQL")
def test_restoring_an_sqlite_database_of_something_else_is_refused(db, tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE django_migrations (id integer)").connection.close()
    with pytest.raises(CommandError, match="is not a Samenplan backup: it has no table plans_planversion, audit_"):
        call_command("restore", str(other), "--yes")


def test_restoring_a_file_that_is_no_backup_is_refused(db, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Samenplan\n")
    with pytest.raises(CommandError, match="is not a backup made by `manage.py backup`"):
        call_command("restore", str(readme), "--yes")
