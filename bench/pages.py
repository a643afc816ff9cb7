#!/usr/bin/env python3
"""Throughput and latency of the dashboard against a bare Django view, in one run.

    .venv/bin/python bench/pages.py [--seconds 12] [--connections 10] [--databases sqlite,postgres]

For each database the script builds a throwaway database (SQLite in a temp dir, PostgreSQL
`samenplan_bench`), migrates it, loads the demo data, starts the production server
(gunicorn, 2 sync workers, as bin/serve does), logs in as the demo user `kwaliteit` and runs
wrk against `/healthz` (a plain HttpResponse in the same project, through the same middleware),
`/` (the dashboard, kept per person until its data change: core/pagecache.py) and
`/?bench=built` (the same dashboard built for every request, as on the first visit after a
change) in turn: warm-up, then bare, dashboard, built, bare, dashboard, built, ...

It prints req/s, p50 and p95 per target, the ratio dashboard/bare throughput and whether the
targets are met (ratio >= 0.40, dashboard p95 < 100 ms), and the same for the built page. Before the load runs it also counts the
SQL queries of one dashboard request and times the request in-process (Django test client), to
tell database work from rendering and server overhead.

Per run it also reads CPU time from /proc: the server's CPU per request (gunicorn workers and
PostgreSQL), wrk's share and the share of *other* processes. The CPU per request changes little
when something else keeps the machine busy; the req/s and latencies do, so a run with a high
"others" share is flagged.

Figures are for comparison within one run only: wrk runs on the same machine and competes with
the server for CPU. Targets that are missed do not change the exit code (this prints figures,
it does not judge them); a broken measurement does: exit 1 if the dashboard answered anything
but 2xx (a redirect to the login page means the session did not work), exit 2 if setup failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = next((str(p) for p in (VENV_BIN / "gunicorn", Path(sys.executable).parent / "gunicorn") if p.exists()),
                shutil.which("gunicorn"))

USERNAME = "kwaliteit"
PASSWORD = "samenplan-demo"
PG_DB = "samenplan_bench"
TARGET_RATIO = 0.40
# The dashboard is kept per person until its data change (core/pagecache.py). A query string is
# never kept, so this path shows what building it costs: the first visit after a change.
BUILT_PATH = "/?bench=built"
TARGET_P95_MS = 100.0

# wrk's done() prints one JSON line; response() counts what was not 2xx (wrk's own error count
# only includes statuses >= 400, so a redirect to the login page would go unnoticed).
WRK_LUA = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  redirects = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 300 and status < 400 then redirects = redirects + 1 end
  end
end

function done(summary, latency, requests)
  local bad, redir = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    redir = redir + t:get("redirects")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d, "non2xx": %d, "redirects": %d, ' ..
    '"err_connect": %d, "err_read": %d, "err_write": %d, "err_status": %d, "err_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, bad, redir,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


class BenchError(Exception):
    """The measurement cannot be trusted or could not be set up."""


@dataclass
class Run:
    database: str
    target: str
    round: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    avg_bytes: float
    non2xx: int
    redirects: int
    socket_errors: int
    server_cpu_ms: float | None = None  # CPU of gunicorn (+ PostgreSQL backends) per request
    wrk_cpu_share: float | None = None  # share of all CPUs that wrk used
    others_share: float | None = None  # share of all CPUs that other processes used


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SAMENPLAN_TESTING", "DEBUG", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="samenplan.settings",
        DATABASE_URL=database_url,
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        HTTPS="0",
        SAMENPLAN_DEMO="1",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def busy_fraction(seconds: float = 1.0) -> float | None:
    """Share of all CPUs busy over `seconds`, while this benchmark itself sits idle (Linux only)."""
    def sample():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:
        return None
    total = total1 - total0
    return 1 - (idle1 - idle0) / total if total else None


def warn_if_busy() -> None:
    """Other work on the machine lowers and skews the figures; say so rather than hide it."""
    busy = busy_fraction()
    if busy is None:
        return
    if busy > 0.15:
        log(f"   !! other processes keep the CPUs {busy:.0%} busy while the server is idle: "
            f"expect lower figures that swing between runs")
    else:
        log(f"   CPUs {busy:.0%} busy before the load runs (other processes)")


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def pg_execute(sql: str) -> None:
    import psycopg

    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True,
                             connect_timeout=5) as conn:
            conn.execute(sql)
    except psycopg.OperationalError as problem:
        raise BenchError(
            f"PostgreSQL at 127.0.0.1:5432 (user postgres): {problem}\n"
            "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        ) from problem


class Gunicorn:
    """The production server as bin/serve starts it; stopped with TERM, then KILL if it hangs."""

    def __init__(self, env: dict[str, str], workers: int, workdir: Path, access_log: bool, app: str):
        self.port = free_port()
        self.log_path = workdir / "gunicorn.log"
        cmd = [GUNICORN, app, "--workers", str(workers),
               "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        if access_log:
            cmd += ["--access-logfile", "-"]  # as bin/serve does; written to the log file here
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                status, _, _ = http_request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=35)  # gunicorn's graceful timeout is 30 s
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self._log.close()


def http_request(port: int, method: str, path: str, *, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def login(port: int) -> str:
    """Logs in as the demo user like a browser does; returns the Cookie header for the dashboard."""
    status, headers, body = http_request(port, "GET", "/inloggen/")
    if status != 200:
        raise BenchError(f"GET /inloggen/ answered {status}")
    jar = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if "csrftoken" not in jar or not match:
        raise BenchError("no CSRF cookie or token on the login page")
    from urllib.parse import urlencode

    form = urlencode({"username": USERNAME, "password": PASSWORD,
                      "csrfmiddlewaretoken": match.group(1).decode(), "next": "/"})
    status, headers, body = http_request(port, "POST", "/inloggen/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={jar['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}/inloggen/",
    })
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise BenchError(f"login as {USERNAME!r} failed: POST /inloggen/ answered {status} without a session")
    # A browser sends both cookies; without csrftoken every page would mint and set a new one.
    cookie = f"csrftoken={jar['csrftoken']}; sessionid={jar['sessionid']}"
    check_dashboard(port, cookie)
    return cookie


def check_dashboard(port: int, cookie: str) -> int:
    status, headers, body = http_request(port, "GET", "/", headers={"Cookie": cookie})
    if status != 200:
        location = dict((k.lower(), v) for k, v in headers).get("location", "")
        raise BenchError(f"GET / with the session answered {status} {location} instead of the dashboard")
    if b'name="password"' in body:
        raise BenchError("GET / answered 200 with a login form instead of the dashboard")
    if b"attention-title" not in body and not getattr(check_dashboard, "warned", False):
        check_dashboard.warned = True
        log("   (warning: the dashboard has no 'attention-title' section: is it still the quality staff view?)")
    return len(body)


@dataclass
class CpuSnapshot:
    """CPU time from /proc: the whole machine, the server's processes, and wrk (a waited-for child).

    The server is the gunicorn master and its workers, plus the PostgreSQL backends connected to
    the benchmark database (they run the server's queries). Everything else that was busy during a
    run is "others": tests or builds that skew the figures.
    """

    at: float
    machine_busy_s: float
    server_s: float
    children_s: float

    @staticmethod
    def take(server_pid: int | None) -> "CpuSnapshot | None":
        import resource

        try:
            tick = os.sysconf("SC_CLK_TCK")
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
            # user + nice + system: left out are idle, iowait, interrupts (loopback traffic of
            # the run itself, charged to no process) and steal.
            busy = fields[0] + fields[1] + fields[2]
            server = 0
            postgres_uid = _postgres_uid()
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/stat") as f:
                        rest = f.read().rsplit(")", 1)[1].split()
                    uid = entry.stat().st_uid
                except OSError:
                    continue  # the process ended meanwhile
                pid, ppid = int(entry.name), int(rest[1])
                if pid == server_pid or ppid == server_pid or (uid == postgres_uid and _serves_bench_db(pid)):
                    server += int(rest[11]) + int(rest[12])  # utime + stime
        except (OSError, ValueError, IndexError):
            return None
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return CpuSnapshot(time.monotonic(), busy / tick, server / tick, usage.ru_utime + usage.ru_stime)

    @staticmethod
    def usage(before: "CpuSnapshot | None", after: "CpuSnapshot | None") -> dict | None:
        if before is None or after is None:
            return None
        capacity = (after.at - before.at) * (os.cpu_count() or 1)
        server = after.server_s - before.server_s
        wrk = after.children_s - before.children_s
        others = max(0.0, (after.machine_busy_s - before.machine_busy_s) - server - wrk)
        return {"server_s": server, "wrk_share": wrk / capacity, "others_share": others / capacity,
                "server_share": server / capacity}


def _serves_bench_db(pid: int) -> bool:
    """A PostgreSQL backend names its database in its process title: "postgres: user db host ..."."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f" {PG_DB} ".encode() in f.read().replace(b"\0", b" ")
    except OSError:
        return False


def _postgres_uid() -> int | None:
    import pwd

    try:
        return pwd.getpwnam("postgres").pw_uid
    except KeyError:
        return None


def run_wrk(port: int, path: str, seconds: float, connections: int, threads: int, lua: Path,
            cookie: str | None, server_pid: int | None = None) -> dict:
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
           "--timeout", "10s", "-s", str(lua)]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    before = CpuSnapshot.take(server_pid)
    result = subprocess.run(cmd, capture_output=True, text=True)
    after = CpuSnapshot.take(server_pid)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    raw["cpu"] = CpuSnapshot.usage(before, after)
    return raw


def to_run(database: str, target: str, round_: int, raw: dict) -> Run:
    seconds = raw["duration_us"] / 1e6
    requests = raw["requests"]
    run = Run(
        database=database, target=target, round=round_, requests=requests, seconds=round(seconds, 2),
        rps=requests / seconds if seconds else 0.0,
        p50_ms=raw["p50_us"] / 1000, p95_ms=raw["p95_us"] / 1000, p99_ms=raw["p99_us"] / 1000,
        avg_bytes=raw["bytes"] / requests if requests else 0.0,
        non2xx=raw["non2xx"], redirects=raw["redirects"],
        socket_errors=raw["err_connect"] + raw["err_read"] + raw["err_write"] + raw["err_timeout"],
    )
    cpu = raw.get("cpu")
    if cpu and requests:
        run.server_cpu_ms = cpu["server_s"] * 1000 / requests
        run.wrk_cpu_share = cpu["wrk_share"]
        run.others_share = cpu["others_share"]
    return run


# --------------------------------------------------------------------------- in-process diagnosis


def measure_get(client, path: str, repeat: int) -> dict:
    """In a child process with Django set up: one GET of `path` with its SQL queries, then the
    median time of `repeat` more (ms), in total and inside the database driver. Exits unless 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    # Read them now: every request_started signal clears connection.queries.
    queries = list(captured.captured_queries)
    if response.status_code != 200:
        raise SystemExit(f"in-process GET {path} answered {response.status_code}")
    db_seconds = 0.0

    def time_queries(execute, sql, params, many, context):
        nonlocal db_seconds
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_seconds += time.perf_counter() - start

    total, in_db = [], []
    with connection.execute_wrapper(time_queries):
        for _ in range(repeat):
            db_seconds = 0.0
            start = time.perf_counter()
            client.get(path)
            total.append((time.perf_counter() - start) * 1000)
            in_db.append(db_seconds * 1000)
    return {"response": response, "queries": queries, "ms": statistics.median(total),
            "db_ms": statistics.median(in_db)}


def diagnose_in_process(repeat: int, show_queries: bool) -> None:
    """Runs inside a child process with the database's environment; prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from samenplan.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USERNAME))
    client.get("/")  # warm: templates, URL resolver, translations, connection
    client.get("/healthz")
    built = measure_get(client, BUILT_PATH, repeat)
    kept = measure_get(client, "/", repeat)
    healthz = measure_get(client, "/healthz", repeat)
    queries = built["queries"]
    out = {
        "queries": len(queries),
        "dashboard_ms": built["ms"],
        "kept_ms": kept["ms"],
        "query_ms": built["db_ms"],  # time inside the database driver
        "healthz_ms": healthz["ms"],
        "bytes": len(built["response"].content),
    }
    if show_queries:
        out["sql"] = [q["sql"] for q in queries]
    print("DIAG_RESULT " + json.dumps(out))


def diagnose(env: dict[str, str], repeat: int, show_queries: bool) -> dict:
    cmd = [PYTHON, str(Path(__file__).resolve()), "--_diagnose", "--diag-repeat", str(repeat)]
    if show_queries:
        cmd.append("--show-queries")
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("DIAG_RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"in-process diagnosis failed:\n{result.stdout}{result.stderr}")
    return json.loads(line.removeprefix("DIAG_RESULT "))


# --------------------------------------------------------------------------- one database


def bench_database(database: str, args, lua: Path, workdir: Path) -> dict:
    env = base_env(fresh_database(database, workdir / "bench.sqlite3", PG_DB))
    log(f"\n== {database}: migrate, load_demo")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")

    diag = diagnose(env, args.diag_repeat, args.show_queries)
    log(f"   in-process (test client, median of {args.diag_repeat}): dashboard built {diag['dashboard_ms']:.2f} ms "
        f"with {diag['queries']} SQL queries ({diag['query_ms']:.2f} ms in the database), "
        f"kept {diag['kept_ms']:.2f} ms, "
        f"/healthz {diag['healthz_ms']:.2f} ms; page {diag['bytes']} bytes")
    for sql in diag.get("sql", []):
        log(f"     {sql[:220]}")

    server = Gunicorn(env, args.workers, workdir, access_log=not args.no_access_log, app=args.app)
    runs: list[Run] = []
    try:
        log(f"   gunicorn, {args.workers} sync workers on port {server.port}; logging in as {USERNAME}")
        cookie = login(server.port)
        warn_if_busy()
        threads = max(1, min(args.threads, args.connections))
        targets = [("bare", "/healthz", None), ("dashboard", "/", cookie), ("built", BUILT_PATH, cookie)]
        if args.warmup > 0:
            for _, path, ck in targets:
                run_wrk(server.port, path, args.warmup, args.connections, threads, lua, ck, server.proc.pid)
        for round_ in range(1, args.rounds + 1):
            for name, path, ck in targets:
                run = to_run(database, name, round_, run_wrk(server.port, path, args.seconds, args.connections,
                                                             threads, lua, ck, server.proc.pid))
                runs.append(run)
                others = "" if run.others_share is None else f", others {run.others_share:.0%} CPU"
                log(f"   round {round_} {name:<9} {run.rps:8.0f} req/s  p50 {run.p50_ms:6.1f} ms  "
                    f"p95 {run.p95_ms:6.1f} ms  ({run.requests} requests, {run.non2xx} not 2xx{others})")
        check_dashboard(server.port, cookie)  # the session still works after the load
    finally:
        server.stop()
        if database == "postgres" and not args.keep:
            try:
                pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            except Exception as problem:  # noqa: BLE001 - report, do not mask the real error
                log(f"   (could not drop {PG_DB}: {problem})")
    return {"database": database, "runs": runs, "diagnosis": diag}


def fresh_database(database: str, sqlite_path: Path, pg_db: str) -> str:
    """The URL of an empty database: a new SQLite file, or PostgreSQL `pg_db` dropped and made anew."""
    if database == "sqlite":
        return f"sqlite:///{sqlite_path}"
    if database == "postgres":
        pg_execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
        pg_execute(f"CREATE DATABASE {pg_db}")
        return f"postgres://postgres@127.0.0.1:5432/{pg_db}"
    raise BenchError(f"unknown database {database!r} (sqlite or postgres)")


def run_table(runs: list[Run], labels: dict[str, str], width: int) -> tuple[list[str], dict]:
    """The table of every run and of each target's mean (`labels` in their order), and the summary
    per target: mean req/s and p50, the worst round's p95, server CPU, and the answers not 2xx."""
    header = (f"{'target':<{width}}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'not 2xx':>9}"
              f"{'srv CPU ms/req':>16}{'wrk CPU':>9}{'others':>8}")
    lines = ["-" * len(header), header]
    for run in runs:
        lines.append(f"{labels[run.target] + ' #' + str(run.round):<{width}}{run.rps:>8.1f}{run.p50_ms:>9.1f}"
                     f"{run.p95_ms:>9.1f}{run.non2xx:>9}{_fmt(run.server_cpu_ms, '.2f', 16)}"
                     f"{_fmt(run.wrk_cpu_share, '.0%', 9)}{_fmt(run.others_share, '.0%', 8)}")
    lines.append("-" * len(header))
    summary = {}
    for target in labels:
        rs = [r for r in runs if r.target == target]
        cpu = [r.server_cpu_ms for r in rs if r.server_cpu_ms is not None]
        summary[target] = s = {"rps": statistics.fmean(r.rps for r in rs), "p50": statistics.fmean(r.p50_ms for r in rs),
                               "p95": max(r.p95_ms for r in rs), "server_cpu_ms": statistics.fmean(cpu) if cpu else None,
                               "bad": sum(r.non2xx + r.socket_errors for r in rs)}
        lines.append(f"{labels[target] + ' (mean)':<{width}}{s['rps']:>8.1f}{s['p50']:>9.1f}{s['p95']:>9.1f}"
                     f"{sum(r.non2xx for r in rs):>9}{_fmt(s['server_cpu_ms'], '.2f', 16)}")
    lines.append("-" * len(header))
    lines.append("(mean of the rounds; the p95 of a summary row is the worst round's. srv CPU = CPU time of "
                 "gunicorn and PostgreSQL per request)")
    return lines, summary


def busy_warning(runs: list[Run]) -> list[str]:
    """A line when other processes took more than a tenth of the CPUs during a run, else none."""
    busy = [r.others_share for r in runs if r.others_share is not None and r.others_share > 0.10]
    return [f"!! other processes used up to {max(busy):.0%} of the CPUs during {len(busy)} of {len(runs)} runs: "
            "these figures are skewed; run again on a quiet machine"] if busy else []


def _fmt(value: float | None, spec: str, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}{spec}}"


def summarise(result: dict, args) -> tuple[list[str], bool]:
    runs: list[Run] = result["runs"]
    lines = []
    ok = True
    by_target = {t: [r for r in runs if r.target == t] for t in ("bare", "dashboard", "built")}
    label = {"bare": "bare /healthz", "dashboard": "dashboard /", "built": "dashboard, built"}
    header = (f"{'target':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'not 2xx':>9}"
              f"{'srv CPU ms/req':>16}{'wrk CPU':>9}{'others':>8}")
    width = len(header)
    lines.append("")
    lines.append(f"{result['database']} — gunicorn {args.workers} sync workers, wrk {args.connections} connections / "
                 f"{min(args.threads, args.connections)} threads, {args.rounds} x {args.seconds:g} s per target")
    lines.append("-" * width)
    lines.append(header)
    for run in runs:
        lines.append(f"{label[run.target] + ' #' + str(run.round):<24}{run.rps:>8.0f}{run.p50_ms:>9.1f}"
                     f"{run.p95_ms:>9.1f}{run.non2xx:>9}{_fmt(run.server_cpu_ms, '.2f', 16)}"
                     f"{_fmt(run.wrk_cpu_share, '.0%', 9)}{_fmt(run.others_share, '.0%', 8)}")
    lines.append("-" * width)
    summary = {}
    for target, rs in by_target.items():
        cpu = [r.server_cpu_ms for r in rs if r.server_cpu_ms is not None]
        summary[target] = {
            "rps": statistics.fmean(r.rps for r in rs),
            "p50": statistics.fmean(r.p50_ms for r in rs),
            "p95": max(r.p95_ms for r in rs),
            "server_cpu_ms": statistics.fmean(cpu) if cpu else None,
        }
        lines.append(f"{label[target] + ' (mean)':<24}{summary[target]['rps']:>8.0f}"
                     f"{summary[target]['p50']:>9.1f}{summary[target]['p95']:>9.1f}"
                     f"{sum(r.non2xx for r in rs):>9}{_fmt(summary[target]['server_cpu_ms'], '.2f', 16)}")
    lines.append("-" * width)
    lines.append("(mean of the rounds; the p95 of a summary row is the worst round's. srv CPU = CPU time of "
                 "gunicorn and PostgreSQL per request; wrk CPU and others = share of all CPUs during the run)")
    ratio = summary["dashboard"]["rps"] / summary["bare"]["rps"]
    per_round = [d.rps / b.rps for b, d in zip(by_target["bare"], by_target["dashboard"])]
    ratio_ok = ratio >= TARGET_RATIO
    p95_ok = summary["dashboard"]["p95"] < TARGET_P95_MS
    lines.append(f"ratio dashboard/bare throughput: {ratio:.2f}  (per round: "
                 f"{', '.join(f'{r:.2f}' for r in per_round)})  target >= {TARGET_RATIO:.2f}: "
                 f"{'MET' if ratio_ok else 'MISSED'}")
    if summary["dashboard"]["server_cpu_ms"] and summary["bare"]["server_cpu_ms"]:
        lines.append(f"ratio of server CPU per request bare/dashboard: "
                     f"{summary['bare']['server_cpu_ms'] / summary['dashboard']['server_cpu_ms']:.2f}"
                     "  (less sensitive to other load on the machine)")
    lines.append(f"dashboard p95: {summary['dashboard']['p95']:.1f} ms  target < {TARGET_P95_MS:.0f} ms: "
                 f"{'MET' if p95_ok else 'MISSED'}")
    diag = result["diagnosis"]
    lines.append(f"dashboard built in-process (test client): {diag['queries']} SQL queries, {diag['dashboard_ms']:.2f} ms "
                 f"per request of which {diag['query_ms']:.2f} ms in the database driver; kept {diag['kept_ms']:.2f} ms "
                 f"(/healthz {diag['healthz_ms']:.2f} ms); page {diag['bytes']} bytes")
    lines += busy_warning(runs)
    built = summary["built"]
    lines.append(f"dashboard built for every request (not kept, {BUILT_PATH}): ratio "
                 f"{built['rps'] / summary['bare']['rps']:.2f}, p95 {built['p95']:.1f} ms")
    bad = sum(r.non2xx + r.socket_errors for r in by_target["dashboard"] + by_target["built"])
    if bad:
        ok = False
        redirects = sum(r.redirects for r in by_target["dashboard"] + by_target["built"])
        lines.append(f"!! MEASUREMENT INVALID: the dashboard answered {bad} responses that were not 2xx "
                     f"({redirects} redirects, e.g. to the login page) or failed on the socket")
    result["summary"] = {"ratio": ratio, "ratio_per_round": per_round, "ratio_ok": ratio_ok,
                         "p95_ok": p95_ok, **summary}
    return lines, ok


def run_all(args, *, title: str, note: str, prefix: str, bench_database, summarise,
            settings_module: str | None = None) -> int:
    """What every wrk benchmark does around its own measurements: check the tools, collect the
    static files, bench each database of `args.databases` in turn, print the summaries and write
    the JSON. Returns the exit code (2 when a run failed, 1 when a target was missed)."""
    if not shutil.which("wrk"):
        log("wrk is missing: apt-get install -y wrk (make bench installs it)")
        return 2
    if not GUNICORN:
        log("gunicorn is missing: install requirements.txt into .venv")
        return 2
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]

    # Ctrl-C and TERM end up in the finally blocks that stop gunicorn and drop the database.
    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    log(f"{title} — {os.cpu_count()} CPUs, {wrk_version}, Python {sys.version.split()[0]}")
    log(note)

    results = []
    exit_code = 0
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        workdir = Path(tmp)
        lua = workdir / "report.lua"
        lua.write_text(WRK_LUA)
        try:
            log("collectstatic (the manifest storage needs it)")
            env = base_env(f"sqlite:///{workdir / 'static.sqlite3'}")
            if settings_module:
                env["DJANGO_SETTINGS_MODULE"] = settings_module
            manage(env, "collectstatic", "--noinput", "-v0")
            for database in databases:
                results.append(bench_database(database, args, lua, workdir))
        except BenchError as problem:
            log(f"\nBENCHMARK FAILED: {problem}")
            exit_code = 2
        except KeyboardInterrupt:
            log("\nInterrupted; server stopped.")
            return 130

    for result in results:
        lines, ok = summarise(result, args)
        log("\n".join(lines))
        if not ok:
            exit_code = max(exit_code, 1)
    if args.json and results:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(
            [{**r, "runs": [asdict(x) for x in r["runs"]]} for r in results], indent=2, default=str))
        log(f"\nFigures written to {args.json}")
    return exit_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=12, help="length of each measurement (default 12)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent wrk connections (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=2, help="bare/dashboard pairs per database (default 2)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per target (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as production)")
    parser.add_argument("--app", default="samenplan.wsgi",
                        help="WSGI module for gunicorn (default samenplan.wsgi; another one to try a change)")
    parser.add_argument("--no-access-log", action="store_true",
                        help="run gunicorn without the access log that bin/serve writes")
    parser.add_argument("--diag-repeat", type=int, default=50, help="in-process timings to take the median of")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one dashboard request")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--_diagnose", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._diagnose:
        diagnose_in_process(args.diag_repeat, args.show_queries)
        return 0

    return run_all(args, title="Samenplan page benchmark", prefix="samenplan-bench-",
                   note="Note: wrk runs on this machine and competes with the server for CPU; compare figures only "
                        "within one run (bare and dashboard alternate so drift affects both).",
                   bench_database=bench_database, summarise=summarise)


if __name__ == "__main__":
    sys.exit(main())
