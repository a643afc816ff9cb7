#!/usr/bin/env python3
"""Signals at national scale: the public intake, the council's signal list and the quality report
of a 40-location plan, against a bare Django view, in one run.

    .venv/bin/python bench/signals.py [--seconds 10] [--connections 10] [--databases sqlite,postgres]
                                      [--scale full|small]

For each database the script builds a throwaway database (SQLite in a temp dir, PostgreSQL
`samenplan_bench_signals`), migrates it, loads the frameworks and runs `manage.py seed_scale`
(2,400 locations with 100,000 signals over the plan years and a council member per organisation;
`--scale small` builds 24 organisations, 100 locations and their share of signals for a quick try).
The per-client rate limit of the intake is raised for the run (SIGNAL_RATE_LIMIT), as every wrk
request comes from 127.0.0.1.

Before the server starts it measures in-process (Django test client):

- the council signal list (`signals:list`) of the organisation with the most signals and of the one
  with the fewest, built (`?pagina=1`) and kept: SQL queries (they must be the same: constant in the
  number of signals) and time;
- the quality report of a plan with 40 locations (the seeded organisation nearest to 40 active
  locations, its earliest submitted plan, with an ActionProgress row per action and quarter added):
  `monitoring.report_services.start_report`, `report_selectors.report_content` and the report page
  (`monitoring:report`), each timed and counted; target < 5 s together. Skipped, with a line that
  says so, while monitoring.report_services does not exist.

Then it starts the production server (gunicorn, 2 sync workers, as bin/serve does), logs in as the
council member of the busiest organisation and runs wrk in turn against:

- `/healthz`, a bare view through the same middleware;
- the council signal list, logged in: target p95 < 150 ms at 10 connections. It is kept per person
  until a signal of its organisation comes in (core/pagecache.py); the same list with `?pagina=1` is
  built for every request, as the first visit after a new signal is;
- the public intake `POST /api/v1/public/locations/{id}/signals` (JSON), spread over every active
  location by a wrk Lua script. The signals accepted are counted in the database before and after
  each run (not taken from the HTTP answers); targets >= 200 signals/s on SQLite and >= 400/s on
  PostgreSQL. Every answer that is not 201 is reported.

CPU time per request comes from /proc as in bench/pages.py, whose wrk driver, server and helpers this
script uses (and bench/careoffice.py's login). Figures are for comparison within one run only: wrk
runs on the same machine. Missed targets do not change the exit code; a broken measurement does:
exit 1 if the list answered anything but 2xx or the intake accepted fewer rows than it answered 201
for, exit 2 if setup failed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import careoffice  # noqa: E402
import pages  # noqa: E402
from careoffice import check_page, login, manage  # noqa: E402
from cluster import Redis  # noqa: E402
from pages import (  # noqa: E402
    PYTHON,
    ROOT,
    WRK_LUA,
    BenchError,
    Gunicorn,
    base_env,
    log,
    pg_execute,
    run_wrk,
    to_run,
    warn_if_busy,
)

PG_DB = "samenplan_bench_signals"
# pages.py finds the PostgreSQL backends that serve the benchmark by this name (its CPU accounting);
# importing careoffice set it to that benchmark's name.
pages.PG_DB = careoffice.PG_DB = PG_DB
TARGET_LIST_P95_MS = 150.0
TARGET_INTAKE = {"sqlite": 200.0, "postgres": 400.0}  # signals accepted per second
TARGET_REPORT_S = 5.0
REPORT_LOCATIONS = 40
SCALES = {
    "full": [],  # seed_scale's defaults: the issue's numbers
    "small": ["--regions", "3", "--care-offices", "2", "--organisations", "24", "--locations", "100"],
}
LABELS = {"bare": "bare /healthz", "list": "council signal list", "built": "signal list, built",
          "intake": "public intake (POST)"}
# The list is kept per person until a signal of its organisation comes in (core/pagecache.py); a
# query string is never kept, so this shows what building it costs: the first visit after a new signal.
BUILT_QUERY = "?pagina=1"
INTAKE_TEXT = "Het eten was vandaag warm en lekker. De tafel was mooi gedekt."

# The intake: POSTs spread over the active locations, each wrk thread starting elsewhere in the list.
# It extends pages.WRK_LUA (whose done() reports the counts) by redefining setup/init and adding request().
INTAKE_LUA = r"""
local ids = {%(ids)s}
local body = '%(body)s'
local headers = {["Content-Type"] = "application/json"}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

function init(args)
  non2xx = 0
  redirects = 0
  counter = offset or 0
end

function request()
  counter = counter + 1
  local id = ids[(counter %% #ids) + 1]
  return wrk.format("POST", "/api/v1/public/locations/" .. id .. "/signals", headers, body)
end
"""


# --------------------------------------------------------------------------- in-process, in a child


def _setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _measure(client, path: str, repeat: int) -> dict:
    client.get(path)  # warm: templates, URL resolver, translations, connection
    measured = pages.measure_get(client, path, repeat)
    return {"path": path, "queries": len(measured["queries"]), "ms": measured["ms"], "db_ms": measured["db_ms"],
            "bytes": len(measured["response"].content), "sql": [q["sql"][:200] for q in measured["queries"]]}


def diagnose_in_process(repeat: int) -> None:
    """The signal list of the busiest and the quietest organisation, and what the intake needs."""
    _setup_django()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from samenplan.accounts.models import Role, User
    from samenplan.organisations.models import Location, Organisation

    organisations = list(Organisation.objects.annotate(n=Count("signals")).filter(n__gt=0).order_by("-n", "pk"))
    if not organisations:
        raise SystemExit("no signals: did seed_scale run?")
    out = {"locations": list(Location.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))}
    for name, organisation in (("busiest", organisations[0]), ("quietest", organisations[-1])):
        user = (User.objects.filter(memberships__role=Role.COUNCIL_MEMBER, memberships__organisation=organisation,
                                    username__startswith="schaal-raad-").order_by("pk").first())
        if user is None:
            raise SystemExit(f"no council member schaal-raad-NNN of {organisation.name}: is seed_scale up to date?")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        path = reverse("signals:list", args=[organisation.pk])
        kept = _measure(client, path, repeat)
        out[name] = {"organisation": organisation.name, "organisation_id": organisation.pk,
                     "signals": organisation.n, "locations": organisation.locations.count(),
                     "username": user.username, "kept_ms": kept["ms"], "kept_queries": kept["queries"],
                     **_measure(client, path + BUILT_QUERY, repeat), "path": path}
    print("DIAG_RESULT " + json.dumps(out))


def report_in_process() -> None:
    """The quality report of a plan with about 40 locations: start it, build its contents, render it."""
    _setup_django()
    try:
        from samenplan.monitoring import report_selectors, report_services
    except ImportError as problem:
        print("REPORT_RESULT " + json.dumps({"skipped": f"monitoring.report_services not available ({problem})"}))
        return
    import random

    from django.db import connection, reset_queries
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from samenplan.accounts.models import Role, User
    from samenplan.monitoring.models import ActionProgress
    from samenplan.organisations.models import Organisation
    from samenplan.plans.models import ImprovementAction, QualityPlan
    from samenplan.signals.models import Signal

    startable = report_services.STARTABLE
    candidates = (Organisation.objects.annotate(n=Count("locations", filter=Q(locations__is_active=True)))
                  .filter(plans__status__in=startable).distinct())
    organisation = min(candidates, key=lambda o: (abs(o.n - REPORT_LOCATIONS), o.pk), default=None)
    if organisation is None:
        print("REPORT_RESULT " + json.dumps({"skipped": "no organisation with a submitted plan"}))
        return
    plan = QualityPlan.objects.filter(organisation=organisation, status__in=startable).order_by("year").first()
    author = User.objects.filter(memberships__role=Role.QUALITY_STAFF, memberships__organisation=organisation).first()
    reader = User.objects.filter(memberships__role=Role.COUNCIL_MEMBER, memberships__organisation=organisation,
                                 username__startswith="schaal-raad-").first()
    # A year of quarterly updates for every action: what the report sums up.
    rng = random.Random(plan.pk)
    actions = list(ImprovementAction.objects.filter(paragraph__plan=plan).values_list("pk", flat=True))
    statuses = ActionProgress.Status.values
    ActionProgress.objects.bulk_create([
        ActionProgress(action_id=action_id, quarter=f"{plan.year}-Q{q}", status=rng.choice(statuses),
                       explanation="Elke week gaan twee bewoners mee naar de markt.", figure=f"{q * 3} van de 12",
                       recorded_by=author)
        for action_id in actions for q in range(1, 5)], batch_size=1000)
    out = {"organisation": organisation.name, "locations": organisation.n, "plan_id": plan.pk, "year": plan.year,
           "actions": len(actions), "progress_rows": len(actions) * 4,
           "signals_that_year": Signal.objects.filter(organisation=organisation, received_on__year=plan.year).count()}

    def timed(name, work):
        # A request clears the log when it starts: begin from an empty one, or the count comes out short.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = work()
            out[f"{name}_s"] = time.perf_counter() - start
        out[f"{name}_queries"] = len(captured.captured_queries)
        return result

    report = timed("start", lambda: report_services.start_report(plan=plan, by=author))
    report = type(report).objects.select_related("plan__organisation", "plan__framework").get(pk=report.pk)
    content = timed("content", lambda: report_selectors.report_content(report))
    out["content_bytes"] = len(json.dumps(content, default=str))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(reader)
    path = reverse("monitoring:report", args=[plan.pk])
    response = timed("page", lambda: client.get(path))
    out.update(page=path, page_status=response.status_code, page_bytes=len(response.content),
               total_s=out["start_s"] + out["content_s"] + out["page_s"])
    print("REPORT_RESULT " + json.dumps(out))


def count_in_process() -> None:
    _setup_django()
    from samenplan.signals.models import Signal

    print(f"COUNT_RESULT {Signal.objects.count()}")


def child(env: dict[str, str], mode: str, marker: str, *extra: str) -> dict | int:
    cmd = [PYTHON, str(Path(__file__).resolve()), mode, *extra]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith(marker + " ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"{mode} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return json.loads(line.removeprefix(marker + " "))


def signal_count(env: dict[str, str]) -> int:
    return child(env, "--_count", "COUNT_RESULT")


# --------------------------------------------------------------------------- one database


def bench_database(database: str, args, lua: Path, workdir: Path) -> dict:
    env = base_env(pages.fresh_database(database, workdir / "bench-signals.sqlite3", PG_DB))
    env.update(SIGNAL_RATE_LIMIT="1000000000", SIGNAL_RATE_WINDOW="3600")
    # The rate limit counts in the shared cache, and a new signal replaces the kept lists' token there:
    # a directory by default, as bin/serve runs (a fresh one per database, so that an earlier run's
    # files do not weigh on this one), or Redis as deploy/compose.yaml runs.
    redis = Redis(workdir) if args.cache == "redis" else None
    if redis is not None:
        env.update(CACHE_BACKEND="django.core.cache.backends.redis.RedisCache", CACHE_LOCATION=redis.url)
    else:
        env["CACHE_LOCATION"] = str(workdir / f"cache-{database}")
    try:
        return _bench(database, env, args, lua, workdir)
    finally:
        if redis is not None:
            redis.stop()
        if database == "postgres" and not args.keep:
            try:
                pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            except Exception as problem:  # noqa: BLE001 - report, do not mask the real error
                log(f"   (could not drop {PG_DB}: {problem})")


def _bench(database: str, env: dict[str, str], args, lua: Path, workdir: Path) -> dict:
    log(f"\n== {database}: migrate, load_frameworks, seed_scale ({args.scale})")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_frameworks")
    start = time.perf_counter()
    seeded = manage(env, "seed_scale", *SCALES[args.scale])
    seed_seconds = time.perf_counter() - start
    for line in seeded.splitlines():
        if line.startswith(("seed_scale", "  organisations.Location", "  signals.", "  council members")):
            log(f"   {line.strip()}")
    log(f"   seed_scale took {seed_seconds:.1f} s (the process, with Django's start)")

    diag = child(env, "--_diagnose", "DIAG_RESULT", "--diag-repeat", str(args.diag_repeat))
    for name in ("busiest", "quietest"):
        d = diag[name]
        log(f"   in-process signal list of {d['organisation']} (id {d['organisation_id']}, {d['signals']} signals, "
            f"{d['locations']} locations) {d['path']}: built {d['queries']} SQL queries, {d['ms']:.1f} ms "
            f"(median of {args.diag_repeat}) of which {d['db_ms']:.1f} ms in the database driver; kept "
            f"{d['kept_ms']:.1f} ms, {d['kept_queries']} queries; page {d['bytes']} bytes")
        if args.show_queries:
            for sql in d["sql"]:
                log(f"     {sql}")
    report = child(env, "--_report", "REPORT_RESULT")
    if "skipped" in report:
        log(f"   quality report: skipped: {report['skipped']}")
    else:
        log(f"   quality report of {report['organisation']} ({report['locations']} locations, plan {report['year']}, "
            f"{report['actions']} actions, {report['progress_rows']} progress rows, {report['signals_that_year']} "
            f"signals that year): start_report {report['start_s']:.2f} s ({report['start_queries']} queries), "
            f"report_content {report['content_s']:.2f} s ({report['content_queries']} queries), page "
            f"{report['page_s']:.2f} s ({report['page_queries']} queries, HTTP {report['page_status']}, "
            f"{report['page_bytes']} bytes); together {report['total_s']:.2f} s")

    intake_lua = workdir / "intake.lua"
    intake_lua.write_text(WRK_LUA + INTAKE_LUA % {"ids": ", ".join(map(str, diag["locations"])),
                                                  "body": json.dumps({"text": INTAKE_TEXT, "topic": "food"})})
    server = Gunicorn(env, args.workers, workdir, access_log=not args.no_access_log, app="samenplan.wsgi")
    runs, intake = [], []
    list_path = diag["busiest"]["path"]
    try:
        log(f"   gunicorn, {args.workers} sync workers on port {server.port}; logging in as "
            f"{diag['busiest']['username']}")
        cookie = login(server.port, diag["busiest"]["username"], list_path)
        warn_if_busy()
        threads = max(1, min(args.threads, args.connections))
        targets = [("bare", "/healthz", None, lua), ("list", list_path, cookie, lua),
                   ("built", list_path + BUILT_QUERY, cookie, lua), ("intake", "/", None, intake_lua)]
        if args.warmup > 0:
            for _, path, ck, script in targets:
                run_wrk(server.port, path, args.warmup, args.connections, threads, script, ck, server.proc.pid)
        for round_ in range(1, args.rounds + 1):
            for name, path, ck, script in targets:
                before = signal_count(env) if name == "intake" else None
                run = to_run(database, name, round_, run_wrk(server.port, path, args.seconds, args.connections,
                                                             threads, script, ck, server.proc.pid))
                runs.append(run)
                extra = ""
                if before is not None:
                    created = signal_count(env) - before
                    intake.append({"round": round_, "created": created, "seconds": run.seconds,
                                   "answered_2xx": run.requests - run.non2xx, "non2xx": run.non2xx,
                                   "socket_errors": run.socket_errors, "per_second": created / run.seconds})
                    extra = f"; {created} signals created: {created / run.seconds:.0f}/s"
                others = "" if run.others_share is None else f", others {run.others_share:.0%} CPU"
                log(f"   round {round_} {name:<7} {run.rps:8.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
                    f"p95 {run.p95_ms:7.1f} ms  ({run.requests} requests, {run.non2xx} not 2xx{others}){extra}")
        check_page(server.port, list_path, cookie)  # the session still works after the load
    finally:
        server.stop()
    return {"database": database, "runs": runs, "diagnosis": diag, "report": report, "intake": intake,
            "seed_seconds": seed_seconds}


def _met(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def summarise(result: dict, args) -> tuple[list[str], bool]:
    runs, diag, database = result["runs"], result["diagnosis"], result["database"]
    ok = True
    busiest = diag["busiest"]
    table, summary = pages.run_table(runs, LABELS, 28)
    lines = ["", f"{database} — gunicorn {args.workers} sync workers, wrk {args.connections} connections / "
             f"{min(args.threads, args.connections)} threads, {args.rounds} x {args.seconds:g} s per target; "
             f"scale {args.scale}, seed_scale {result['seed_seconds']:.1f} s; shared cache: {args.cache}",
             f"signal list of {busiest['organisation']}: {busiest['signals']} signals, {busiest['locations']} "
             f"locations; intake spread over {len(diag['locations'])} active locations", *table]
    bare = summary["bare"]["rps"]
    s = summary["list"]
    quietest = diag["quietest"]
    lines.append(f"{LABELS['list']}: p95 {s['p95']:.1f} ms  target < {TARGET_LIST_P95_MS:.0f} ms: "
                 f"{_met(s['p95'] < TARGET_LIST_P95_MS)};  throughput {s['rps'] / bare:.3f} of the bare page; "
                 f"in-process {busiest['queries']} SQL queries, {busiest['ms']:.1f} ms "
                 f"({busiest['db_ms']:.1f} ms in the database driver)")
    constant = busiest["queries"] == quietest["queries"]
    lines.append(f"  queries with {busiest['signals']} signals / {busiest['locations']} locations: {busiest['queries']}; "
                 f"with {quietest['signals']} signals / {quietest['locations']} locations: {quietest['queries']} "
                 f"({'constant' if constant else 'NOT CONSTANT'})")
    built = summary["built"]
    lines.append(f"{LABELS['built']} for every request ({BUILT_QUERY}, as after a new signal): p95 "
                 f"{built['p95']:.1f} ms  target < {TARGET_LIST_P95_MS:.0f} ms: {_met(built['p95'] < TARGET_LIST_P95_MS)}"
                 f";  throughput {built['rps'] / bare:.3f} of the bare page; in-process kept {busiest['kept_ms']:.1f} ms")
    if s["bad"] or built["bad"]:
        ok = False
        lines.append(f"!! MEASUREMENT INVALID: the signal list answered {s['bad'] + built['bad']} responses that were "
                     f"not 2xx or failed on the socket")
    intake = result["intake"]
    created = sum(i["created"] for i in intake)
    seconds = sum(i["seconds"] for i in intake)
    answered = sum(i["answered_2xx"] for i in intake)
    per_second = created / seconds if seconds else 0.0
    target = TARGET_INTAKE.get(database, 0.0)
    lines.append(f"{LABELS['intake']}: {per_second:.0f} signals/s accepted (rows created, counted in the database; "
                 f"per round: {', '.join(f'{i['per_second']:.0f}' for i in intake)})  target >= {target:.0f}/s: "
                 f"{_met(per_second >= target)};  {summary['intake']['rps'] / bare:.3f} of the bare page's throughput; "
                 f"p95 {summary['intake']['p95']:.1f} ms")
    bad = sum(i["non2xx"] + i["socket_errors"] for i in intake)
    if bad:
        lines.append(f"!! the intake answered {bad} requests with something other than 2xx or failed on the socket")
    # Requests still in the server when wrk stops are created but not counted by wrk: at most one per connection.
    if not answered <= created <= answered + args.connections * len(intake):
        ok = False
        lines.append(f"!! MEASUREMENT INVALID: {answered} answers 2xx but {created} signals created")
    report = result["report"]
    if "skipped" in report:
        lines.append(f"quality report: skipped: {report['skipped']}")
    else:
        lines.append(f"quality report of a {report['locations']}-location plan ({report['actions']} actions, "
                     f"{report['progress_rows']} progress rows, {report['signals_that_year']} signals): "
                     f"{report['total_s']:.2f} s  target < {TARGET_REPORT_S:.0f} s: "
                     f"{_met(report['total_s'] < TARGET_REPORT_S and report['page_status'] == 200)}  "
                     f"(start_report {report['start_s']:.2f} s / {report['start_queries']} queries, report_content "
                     f"{report['content_s']:.2f} s / {report['content_queries']} queries, page {report['page_s']:.2f} s "
                     f"/ {report['page_queries']} queries, HTTP {report['page_status']})")
    lines += pages.busy_warning(runs)
    result["summary"] = {**summary, "intake_per_second": per_second}
    return lines, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each measurement (default 10)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent wrk connections (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="full: the issue's numbers (default); small: a quick try")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the four targets (default 2)")
    parser.add_argument("--cache", choices=["file", "redis"], default="file",
                        help="the shared cache: a directory as bin/serve (default), or Redis as deploy/compose.yaml")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per target (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as production)")
    parser.add_argument("--no-access-log", action="store_true", help="without the access log bin/serve writes")
    parser.add_argument("--diag-repeat", type=int, default=20, help="in-process timings to take the median of")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one signal-list request")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--_diagnose", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_report", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_count", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._diagnose:
        diagnose_in_process(args.diag_repeat)
        return 0
    if args._report:
        report_in_process()
        return 0
    if args._count:
        count_in_process()
        return 0
    return pages.run_all(args, title="Samenplan signals benchmark", prefix="samenplan-bench-signals-",
                         note="Note: wrk runs on this machine and competes with the server for CPU; compare figures "
                              "only within one run.",
                         bench_database=bench_database, summarise=summarise)


if __name__ == "__main__":
    sys.exit(main())
