#!/usr/bin/env python3
"""Two web servers, one worker, one PostgreSQL and one Redis: what production runs, on this machine.

    .venv/bin/python bench/cluster.py [--seconds 8] [--connections 10] [--heartbeat 1]

Starts a Redis of its own (Debian's `redis-server`, on a free port, nothing kept on disk), a
throwaway PostgreSQL database `samenplan_bench_cluster` on the local server with the demo data,
web servers A and B (gunicorn, one sync worker each, on two ports) and one task worker
(`manage.py db_worker`), all with Redis as the shared cache, and shows the four things that only
hold when the parts are really shared:

1. a logout on A is refused on B at once (the session lives in Redis and PostgreSQL);
2. a change written through A (a council member's comment, through the API) is on the kept
   dashboard of the plan's author on B at once (the page's generation token lives in Redis);
3. a PDF asked for on A is rendered by the worker and served by B;
4. killing the worker (SIGKILL) while it renders a PDF, and starting it again, finishes the job:
   the new worker sees that the old one stopped beating and runs the task again
   (samenplan/core/workers.py; `--heartbeat` sets the beat, 10 s in production, so there the
   job is taken again about 30 s later).

Then throughput: wrk against the kept dashboard and against `/healthz` (the bare baseline,
measured in the same run), through A alone and through A and B together, with the same number
of connections in total. Each server runs one worker process, so one server can use one of the
machine's cores and two servers can use two; wrk runs on the same machine.

Exit 0 when the four checks pass, 1 when one fails, 2 when the setup failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import (  # noqa: E402
    PYTHON,
    ROOT,
    WRK_LUA,
    BenchError,
    Gunicorn,
    base_env,
    free_port,
    http_request,
    log,
    login,
    pg_execute,
    run_wrk,
)

PG_DB = "samenplan_bench_cluster"
AUTHOR = "kwaliteit"  # quality staff of Zorggroep De Linde: sees the open comments on the dashboard
COUNCIL_MEMBER = "clientenraad"

# Run in the cluster's environment: the plan the checks write to, a section to change, the version
# the client council was asked about, and API tokens for its author and a council member.
SETUP = """
import json
from samenplan.accounts.models import User
from samenplan.accounts.services import create_api_token
from samenplan.plans.models import QualityPlan
plan = QualityPlan.objects.filter(organisation__name="Zorggroep De Linde").order_by("-year").first()
shared = plan.versions.filter(shares__isnull=False).order_by("-number").first()
section = next(s for s in plan.sections.all() if s.is_text)
tokens = {name: create_api_token(user=User.objects.get(username=name), name="bench")[1]
          for name in ("%(author)s", "%(member)s")}
print(json.dumps({"plan": plan.pk, "shared_version": shared.pk, "section_key": section.key, "tokens": tokens}))
"""


class Failed(Exception):
    """A cross-server check did not hold."""


# --------------------------------------------------------------------------- the parts


class Redis:
    def __init__(self, workdir: Path):
        if shutil.which("redis-server") is None:
            raise BenchError("redis-server is missing: apt-get install redis-server")
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                             text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise BenchError("redis-server did not start")
            time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Worker:
    def __init__(self, env: dict, workdir: Path, n: int):
        self.log_path = workdir / f"worker-{n}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        if not self._log.closed:
            self._log.close()


def shell(env: dict, code: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"manage.py shell failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def task_status(version_id: int) -> str | None:
    """The newest PDF task of the version, read straight from PostgreSQL (not through any server)."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={PG_DB}", autocommit=True) as conn:
        row = conn.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s "
            "AND args_kwargs->'kwargs'->>'version_id' = %s ORDER BY enqueued_at DESC LIMIT 1",
            ("%render_version_pdf", str(version_id))).fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------- the checks


def get(server: Gunicorn, path: str, cookie: str):
    return http_request(server.port, "GET", path, headers={"Cookie": cookie})


def post_form(server: Gunicorn, path: str, cookie: str, fields: dict):
    token = re.search(r"csrftoken=([^;]+)", cookie)[1]
    return http_request(server.port, "POST", path, body=urlencode({**fields, "csrfmiddlewaretoken": token}), headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{server.port}{path}"})


def api(server: Gunicorn, method: str, path: str, token: str, data: dict | None = None):
    status, _, body = http_request(server.port, method, f"/api/v1{path}", body=json.dumps(data) if data else None,
                                   headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return status, json.loads(body) if body else None


def new_version_through(server: Gunicorn, setup: dict, note: str) -> int:
    """The author changes a section and freezes the plan through the server's API; freezing asks the
    worker for the version's PDF (plans.services.freeze_version)."""
    token = setup["tokens"][AUTHOR]
    plan, key = setup["plan"], setup["section_key"]
    status, body = api(server, "GET", f"/plans/{plan}", token)
    if status != 200:
        raise Failed(f"reading the plan through the API answered {status}")
    section = next(s for s in body["sections"] if s["key"] == key)
    status, body = api(server, "PATCH", f"/plans/{plan}/sections/{key}", token, {
        "body": section["body"] + f"\n\n{note}: bewoners kiezen vaker zelf.", "base_revision": section["revision"]})
    if status != 200:
        raise Failed(f"saving the section through the API answered {status}: {body}")
    status, body = api(server, "POST", f"/plans/{plan}/versions", token, {"note": note})
    if status != 201:
        raise Failed(f"freezing through the API answered {status}: {body}")
    return body["id"]


def check_logout(a: Gunicorn, b: Gunicorn) -> str:
    cookie = login(a.port)
    status, _, _ = get(b, "/", cookie)
    if status != 200:
        raise Failed(f"B did not accept the session made on A ({status})")
    status, _, _ = post_form(a, "/uitloggen/", cookie, {})
    if status != 302:
        raise Failed(f"logout on A answered {status}")
    status, headers, _ = get(b, "/", cookie)
    location = dict((k.lower(), v) for k, v in headers).get("location", "")
    if status != 302 or "/inloggen/" not in location:
        raise Failed(f"after the logout on A, B answered {status} {location} instead of sending to the login page")
    return "B sent the logged-out session to the login page at once"


def _open_comments(body: bytes) -> int:
    text = body.decode()
    match = re.search(r"(\d+) reacties? wacht(?:en)? op een antwoord", text)
    return int(match[1]) if match else 0


def check_kept_dashboard(a: Gunicorn, b: Gunicorn, setup: dict) -> str:
    cookie = login(b.port)
    get(b, "/", cookie)
    started = time.perf_counter()
    _, _, kept = get(b, "/", cookie)
    kept_ms = (time.perf_counter() - started) * 1000
    before = _open_comments(kept)
    status, body = api(a, "POST", f"/versions/{setup['shared_version']}/comments", setup["tokens"][COUNCIL_MEMBER], {
        "section_key": setup["section_key"], "body": "Kunnen bewoners vaker zelf kiezen wanneer ze eten?"})
    if status != 201:
        raise Failed(f"the council member's comment through A's API answered {status}: {body}")
    _, _, after = get(b, "/", cookie)
    if _open_comments(after) != before + 1:
        raise Failed(f"B's dashboard shows {_open_comments(after)} open comments, not {before + 1}")
    return (f"a comment written through A: B's kept dashboard (served in {kept_ms:.1f} ms) went from {before} to "
            f"{before + 1} open comments on the next request")


def wait_for_pdf(server: Gunicorn, cookie: str, version_id: int, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        status, headers, body = get(server, f"/versies/{version_id}/pdf/", cookie)
        if status == 200 and body.startswith(b"%PDF"):
            return time.monotonic() - started
        time.sleep(0.1)
    raise Failed(f"version {version_id}'s PDF was not served within {seconds:.0f} s")


def check_pdf(a: Gunicorn, b: Gunicorn, setup: dict) -> str:
    version = new_version_through(a, setup, "Versie voor de PDF")
    cookie = login(b.port)
    waited = wait_for_pdf(b, cookie, version, 60)
    return f"version {version} frozen through A, its PDF rendered by the worker and served by B {waited:.1f} s later"


def check_killed_worker(a: Gunicorn, b: Gunicorn, setup: dict, env: dict, workdir: Path, worker: Worker,
                        heartbeat: float) -> tuple[str, Worker]:
    cookie = login(b.port)
    for attempt in range(1, 4):
        version = new_version_through(a, setup, f"Versie {attempt} voor de stopgezette worker")
        deadline = time.monotonic() + 30
        while task_status(version) != "RUNNING":
            if time.monotonic() > deadline:
                raise Failed("the worker did not start the PDF task")
            time.sleep(0.002)
        worker.kill()
        left = task_status(version)
        worker = Worker(env, workdir, 1 + attempt)
        if left == "SUCCESSFUL":
            log("   the render finished before the kill landed; once more")
            continue
        waited = wait_for_pdf(b, cookie, version, 60 + 3 * heartbeat)
        return (f"worker killed with the task {left}; the next worker took it again and B served the PDF "
                f"{waited:.1f} s after the kill (beat {heartbeat:g} s, stale after 3 beats)"), worker
    raise Failed("every render finished before the worker could be killed")


# --------------------------------------------------------------------------- throughput


def throughput(servers: list[Gunicorn], path: str, cookie: str | None, seconds: float, connections: int,
               lua: Path) -> dict:
    share = max(1, connections // len(servers))
    with ThreadPoolExecutor(len(servers)) as pool:
        raws = list(pool.map(lambda s: run_wrk(s.port, path, seconds, share, 1, lua, cookie), servers))
    bad = sum(raw["non2xx"] + raw["err_connect"] + raw["err_read"] + raw["err_timeout"] for raw in raws)
    if bad:
        raise Failed(f"{bad} requests to {path} failed or were not 2xx during the load")
    return {
        "rps": sum(raw["requests"] / (raw["duration_us"] / 1e6) for raw in raws),
        "p95_ms": max(raw["p95_us"] for raw in raws) / 1000,
    }


def measure(a: Gunicorn, b: Gunicorn, args, lua: Path) -> None:
    cookie = login(a.port)
    get(b, "/", cookie)  # both servers keep the page
    log(f"\nThroughput: wrk, {args.connections} connections in all, {args.seconds:g} s per measurement, "
        f"one gunicorn worker per server, alternating one/two servers")
    rows = []
    for target, path, jar in (("bare /healthz", "/healthz", None), ("kept dashboard", "/", cookie)):
        figures = {"one": [], "two": []}
        for _ in range(args.rounds):
            figures["one"].append(throughput([a], path, jar, args.seconds, args.connections, lua))
            figures["two"].append(throughput([a, b], path, jar, args.seconds, args.connections, lua))
        one = sum(f["rps"] for f in figures["one"]) / args.rounds
        two = sum(f["rps"] for f in figures["two"]) / args.rounds
        rows.append((target, one, max(f["p95_ms"] for f in figures["one"]), two,
                     max(f["p95_ms"] for f in figures["two"])))
    log(f"   {'target':<16} {'A alone req/s':>14} {'p95 ms':>8} {'A+B req/s':>11} {'p95 ms':>8} {'two/one':>8}")
    for target, one, p95_one, two, p95_two in rows:
        log(f"   {target:<16} {one:>14.0f} {p95_one:>8.1f} {two:>11.0f} {p95_two:>8.1f} {two / one:>8.2f}")
    log(f"   kept dashboard / bare: {rows[1][1] / rows[0][1]:.2f} with one server, "
        f"{rows[1][3] / rows[0][3]:.2f} with two")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="length of each throughput measurement")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections in all")
    parser.add_argument("--rounds", type=int, default=2, help="one-server/two-server pairs per target")
    parser.add_argument("--heartbeat", type=float, default=1, help="seconds between the worker's beats")
    parser.add_argument("--no-throughput", action="store_true", help="only the four cross-server checks")
    args = parser.parse_args()
    if not args.no_throughput and shutil.which("wrk") is None:
        log("wrk is missing: apt-get install wrk (or pass --no-throughput)")
        return 2

    parts = []
    with tempfile.TemporaryDirectory(prefix="samenplan-cluster-") as tmp:
        workdir = Path(tmp)
        try:
            log("Setting up: Redis, PostgreSQL database with the demo, two web servers, one worker")
            redis = Redis(workdir)
            parts.append(redis)
            pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            pg_execute(f"CREATE DATABASE {PG_DB}")
            env = base_env(f"postgres://postgres@127.0.0.1:5432/{PG_DB}")
            env.update(CACHE_BACKEND="django.core.cache.backends.redis.RedisCache", CACHE_LOCATION=redis.url,
                       WORKER_HEARTBEAT_SECONDS=f"{args.heartbeat:g}", SECRET_KEY="bench-" + secrets.token_urlsafe(40))
            for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "-v0"], ["load_frameworks"],
                            ["load_demo"]):
                subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
            setup = json.loads(shell(env, SETUP % {"author": AUTHOR, "member": COUNCIL_MEMBER}))
            servers = []
            for name in "ab":
                (workdir / name).mkdir()
                servers.append(Gunicorn(env, 1, workdir / name, access_log=False, app="samenplan.wsgi"))
                parts.append(servers[-1])
            a, b = servers
            worker = Worker(env, workdir, 1)
            log(f"   Redis :{redis.port}, web server A :{a.port}, B :{b.port}, worker pid {worker.proc.pid}")
        except (BenchError, subprocess.CalledProcessError, OSError) as problem:
            log(f"Setup failed: {problem}")
            for part in reversed(parts):
                part.stop()
            return 2

        failures = 0
        log("\nCross-server checks")
        checks = [
            ("1. logout on A is refused on B", lambda: check_logout(a, b)),
            ("2. a change through A shows on B's kept dashboard", lambda: check_kept_dashboard(a, b, setup)),
            ("3. a PDF asked on A is rendered by the worker and served by B", lambda: check_pdf(a, b, setup)),
        ]
        for title, check in checks:
            try:
                log(f"   PASS {title}: {check()}")
            except (Failed, BenchError, OSError) as problem:
                failures += 1
                log(f"   FAIL {title}: {problem}")
        try:
            outcome, worker = check_killed_worker(a, b, setup, env, workdir, worker, args.heartbeat)
            log(f"   PASS 4. a worker killed during a render, started again, finishes the job: {outcome}")
        except Exception as problem:  # noqa: BLE001 - a broken check is reported, and the parts still stopped
            failures += 1
            log(f"   FAIL 4. a worker killed during a render, started again, finishes the job: {problem}")

        try:
            if not args.no_throughput:
                lua = workdir / "report.lua"
                lua.write_text(WRK_LUA)
                measure(a, b, args, lua)
        except (Failed, BenchError) as problem:
            failures += 1
            log(f"   FAIL throughput: {problem}")
        finally:
            worker.stop()
            for part in reversed(parts):
                part.stop()
            pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        log(f"\n{'All four checks passed.' if not failures else f'{failures} check(s) failed.'}")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
