"""Backing up and restoring the whole database as one file, while the site keeps running.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot, safe
while the web server and the worker write in WAL mode. The copy is switched to a plain journal, so
the backup is one self-contained file (no -wal or -shm beside it). Restoring runs the same API the
other way, into the live database: SQLite writes the pages through its own WAL, so the -wal and
-shm files of the live database stay consistent with the main file. Copying a file over a live
database instead would let its old -wal be replayed on top of the restored pages.

PostgreSQL: `pg_dump --format=custom`, and for a restore `pg_restore` turned into SQL and run by
`psql` in one transaction that first empties the schema. A restore therefore either replaces
everything or changes nothing, and a table that a newer migration added since the backup does not
survive it (`pg_restore --clean` would leave such a table behind, or fail on its foreign keys).
Connection settings go to the client programs as PG* environment variables, so the password never
appears on a command line.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Present in every Samenplan database; a file without them is some other database.
REQUIRED_TABLES = ("django_migrations", "plans_planversion", "audit_auditevent")
# A line of `pg_restore --list`: "215; 1259 16390 TABLE public plans_planversion postgres".
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", re.MULTILINE)
PSQL_PREAMBLE = (
    "SET client_min_messages = warning;\n"  # not a NOTICE for every table dropped
    "BEGIN;\n"
    "DROP SCHEMA IF EXISTS public CASCADE;\n"
    # Recreated with PostgreSQL 15's default right for everyone to use it (not to create in it).
    "CREATE SCHEMA public;\n"
    "GRANT USAGE ON SCHEMA public TO PUBLIC;\n"
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


def describe_database(connection) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {settings['NAME']}"
    if connection.vendor == "postgresql":
        where = settings.get("HOST") or "the local socket"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"the PostgreSQL database {settings.get('NAME') or '(from the service file)'} on {where}{port}"
    raise BackupError(f"Backups are made for SQLite and PostgreSQL only, not for {connection.vendor}.")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024:
            break
    return f"{size:.1f} {unit}"


# --------------------------------------------------------------------------- backup


def backup(path: Path, *, connection) -> int:
    """Writes a backup of the database to `path` and returns its size in bytes.

    The file appears under its name only when it is complete: a failed backup leaves no half file
    there, and an earlier backup of the same name stays as it was.
    """
    describe_database(connection)  # refuses other databases before anything is written
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give the name of the backup file to write.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _file_written_atomically(path) as partial:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        else:
            postgres_backup(connection.settings_dict, partial)
    return path.stat().st_size


@contextmanager
def _file_written_atomically(path: Path):
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)
    partial = Path(name)
    try:
        yield partial
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
        # The rename itself must reach the disk too, or a crash could lose the finished file.
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        partial.unlink(missing_ok=True)
        for leftover in (Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)


def _sqlite_backup(connection, target_path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        # pages=-1 copies everything in one step, under one read transaction: a consistent snapshot
        # even while the web server writes.
        connection.connection.backup(target, pages=-1)
        # The copy inherits WAL mode; a plain journal makes it one file that opens anywhere.
        target.execute("PRAGMA journal_mode=DELETE")
        problem = target.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not make the backup: {error}.") from error
    finally:
        target.close()
    if problem != "ok":
        raise BackupError(f"The backup failed SQLite's check ({problem}); the database itself may be damaged.")


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on the PATH: install the PostgreSQL client programs "
                          f"(Debian: postgresql-client) of the server's major version.")
    return found


def postgres_environment(settings_dict: dict) -> dict:
    """The environment for pg_dump, pg_restore and psql: the site's connection settings as PG* variables."""
    # Django's dbshell knows the options (sslmode, passfile, service…); its env has the password.
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def postgres_backup(settings_dict: dict, target_path: Path) -> None:
    pg_dump = _program("pg_dump")
    result = subprocess.run([pg_dump, "--format=custom", f"--file={target_path}"],
                            env=postgres_environment(settings_dict), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip() or _exit_status(result)}")


# --------------------------------------------------------------------------- restore


def check_backup(path: Path, *, connection) -> int:
    """Refuses a missing file, or one that is not a Samenplan backup for this kind of database; returns its size."""
    path = Path(path)
    database = describe_database(connection)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    kind = "sqlite" if header == SQLITE_HEADER else "postgresql" if header.startswith(PG_DUMP_HEADER) else None
    if kind is None:
        raise BackupError(f"{path} is not a backup made by `manage.py backup`: it is neither an SQLite database "
                          f"nor a pg_dump custom-format file.")
    if kind != connection.vendor:
        made = "an SQLite database" if kind == "sqlite" else "a PostgreSQL dump"
        raise BackupError(f"{path} is {made}, but this site runs on {database}: restore it on a site with "
                          f"that kind of database.")
    tables = _sqlite_tables(path) if kind == "sqlite" else _postgres_tables(path)
    missing = [table for table in REQUIRED_TABLES if table not in tables]
    if missing:
        raise BackupError(f"{path} is not a Samenplan backup: it has no table {', '.join(missing)}.")
    return path.stat().st_size


def _sqlite_tables(path: Path) -> set[str]:
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite cannot read {path}: {error}.") from error


def _postgres_tables(path: Path) -> set[str]:
    result = subprocess.run([_program("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {result.stderr.strip() or _exit_status(result)}")
    return set(_TOC_TABLE.findall(result.stdout))


def restore(path: Path, *, connection) -> None:
    """Replaces everything in the database with the backup at `path` (checked first with `check_backup`)."""
    path = Path(path)
    check_backup(path, connection=connection)
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    if connection.vendor == "sqlite":
        _sqlite_restore(path, connection)
    else:
        # Django's own session holds no lock outside a transaction, but close it all the same, so
        # the next query starts a fresh session on the restored tables.
        connection.close()
        postgres_restore(connection.settings_dict, path)


def _sqlite_restore(path: Path, connection) -> None:
    connection.ensure_connection()
    live = connection.connection
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # One step, in one write transaction on the live database: all of it or none of it.
            source.backup(live, pages=-1)
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore {path}: {error}. The database is as it was before.") from error
    # Fold the restored pages into the main file now, so the file on disk is the whole database
    # (a reader still busy elsewhere only postpones that to SQLite's next checkpoint).
    live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def postgres_restore(settings_dict: dict, path: Path) -> None:
    env = postgres_environment(settings_dict)
    pg_restore = _program("pg_restore")
    psql = _program("psql")
    # psql runs the preamble, then the dump as SQL; the COMMIT is sent only once pg_restore has
    # read the whole file without error. Without it psql ends and the transaction is rolled back,
    # so a damaged file never leaves half a database.
    # Messages go to files, not pipes: a full pipe would stop psql while it is fed the dump.
    with tempfile.TemporaryFile() as loader_errors, tempfile.TemporaryFile() as reader_errors:
        loader = subprocess.Popen([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=loader_errors, env=env)
        reader = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--file=-", str(path)],
                                  stdout=subprocess.PIPE, stderr=reader_errors, env=env)
        try:
            try:
                loader.stdin.write(PSQL_PREAMBLE.encode())
                shutil.copyfileobj(reader.stdout, loader.stdin, 1 << 20)
                if reader.wait() == 0:
                    loader.stdin.write(b"COMMIT;\n")
            except BrokenPipeError:
                pass  # psql stopped at an error; its message is in loader_errors
        finally:
            # Without the COMMIT, psql reaches the end of its input and PostgreSQL rolls back.
            with suppress(BrokenPipeError):
                loader.stdin.close()
            reader.kill()  # no-op once it has finished; stops it when psql gave up first
            reader.stdout.close()
            reader.wait()
            loader.wait()
        if loader.returncode != 0:
            raise BackupError(f"psql stopped the restore, nothing was changed: {_read(loader_errors, loader)}")
        if reader.returncode != 0:
            raise BackupError(f"pg_restore could not read {path}, nothing was changed: {_read(reader_errors, reader)}")


def _exit_status(process) -> str:
    return f"exit status {process.returncode}" if process.returncode >= 0 else f"killed by signal {-process.returncode}"


def _read(file, process) -> str:
    file.seek(0)
    return file.read().decode(errors="replace").strip() or _exit_status(process)
