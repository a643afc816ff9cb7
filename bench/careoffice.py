#!/usr/bin/env python3
"""The care office's region overview, the public plan list and the open-data bulk export at national
scale, against a bare Django view, in one run.

    .venv/bin/python bench/careoffice.py [--seconds 10] [--connections 10] [--databases postgres[,sqlite]]
                                         [--scale full|small]

For each database the script builds a throwaway database (PostgreSQL `samenplan_bench_careoffice`,
SQLite in a temp dir), migrates it, loads the frameworks and runs `manage.py seed_scale` (31 regions,
450 organisations, 2,400 locations, three plan years with versions; `--scale small` builds 3 regions
and 24 organisations for a quick try). Then it starts the production server (gunicorn, 2 sync workers,
as bin/serve does), logs in as the care-office user of the care office with the most organisations
and runs wrk against, in turn:

- `/healthz`, a bare view through the same middleware;
- the region overview (`careoffice:portal` of that care office), logged in: target p95 < 200 ms;
- the same overview built for every request (`?pagina=1`: a person's page with a query string is
  never kept), as the first visit after a change in the region is;
- the public plan list (`publishing:plans`), anonymous: target p95 < 100 ms;
- the same list built for every request (a new query string each time).

Both pages are kept in the server's memory (core/pagecache.py) until a write changes what they show,
so the first two of each pair measure a page served from memory and the second the work of building it.

It downloads the bulk export of the year with the most published plans
(`/api/v1/public/plans.jsonl?year=`) once and prints its wall time (target < 30 s), bytes and lines,
and the peak memory (VmHWM) of the gunicorn workers before and after, from /proc. The open-data rate
limit is raised for the run (OPEN_DATA_RATE_LIMIT).

Before the load it counts the SQL queries of one overview request and of one public-list request
in-process (Django test client), and times them, to tell database work from rendering and server
overhead. CPU time per request (gunicorn and the PostgreSQL backends) comes from /proc as in
bench/pages.py, whose helpers this script uses.

Figures are for comparison within one run only: wrk runs on the same machine. Targets that are missed
do not change the exit code; a broken measurement does: exit 1 if a measured page answered anything
but 2xx (a redirect to the login page means the session did not work) or the export broke off,
exit 2 if setup failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402
from pages import (  # noqa: E402
    PYTHON,
    ROOT,
    BenchError,
    Gunicorn,
    base_env,
    cookies_from,
    http_request,
    log,
    pg_execute,
    run_wrk,
    to_run,
    warn_if_busy,
)

PG_DB = "samenplan_bench_careoffice"
# pages.py finds the PostgreSQL backends that serve the benchmark by this name (its CPU accounting).
pages.PG_DB = PG_DB
PASSWORD = "samenplan-schaal"  # seed_scale's default for its care-office users
TARGET_OVERVIEW_P95_MS = 200.0
TARGET_PUBLIC_P95_MS = 100.0
TARGET_EXPORT_S = 30.0
SCALES = {
    "full": [],  # seed_scale's defaults: the numbers
    "small": ["--regions", "3", "--care-offices", "2", "--organisations", "24", "--locations", "100"],
}
LABELS = {"bare": "bare /healthz", "overview": "region overview", "overview_built": "region overview, built",
          "public": "public plan list", "public_built": "public plan list, built"}
# Both pages are kept (core/pagecache.py) until what they show changes. A query string is never kept
# for a person, so `?pagina=1` builds the overview for every request, as the first visit after a
# change in the region does. The public list keeps each query string too: a counter makes each one new.
BUILT_QUERY = "?pagina=1"
PUBLIC_BUILT_LUA = r"""
function request()
  counter = (counter or 0) + 1
  return wrk.format("GET", wrk.path .. "?pagina=1&bouw=" .. counter)
end
"""


# --------------------------------------------------------------------------- in-process diagnosis


def diagnose_in_process(repeat: int) -> None:
    """Runs in a child process with the database's environment; prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from samenplan.accounts.models import Role, User
    from samenplan.organisations.models import CareOffice, Organisation

    office = (CareOffice.objects.annotate(n=Count("regions__organisations", distinct=True))
              .order_by("-n", "pk").first())
    if office is None:
        raise SystemExit("no care office: did seed_scale run?")
    user = (User.objects.filter(memberships__role=Role.CARE_OFFICE_STAFF, memberships__care_office=office)
            .order_by("pk").first())
    organisations = Organisation.objects.filter(region__care_offices=office).count()
    locations = Organisation.objects.filter(region__care_offices=office).aggregate(n=Count("locations"))["n"]
    overview = reverse("careoffice:portal", args=[office.pk])
    public = reverse("publishing:plans")
    try:
        from samenplan.publishing.models import Publication

        by_year = (Publication.objects.filter(unpublished_at__isnull=True).values("plan__year")
                   .annotate(n=Count("pk")).order_by("-n", "-plan__year").first())
        export_year = by_year["plan__year"] if by_year else None
        published = by_year["n"] if by_year else 0
    except ImportError:
        export_year, published = None, 0

    out = {"care_office": office.name, "care_office_id": office.pk, "username": user.username,
           "organisations": organisations, "locations": locations, "overview": overview, "public": public,
           "export_year": export_year, "published_that_year": published}
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(user)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    from samenplan.core import pagecache

    may_keep = pagecache._may_keep
    for name, client, path in (("overview", member, overview), ("overview_built", member, overview + BUILT_QUERY),
                               ("public", anonymous, public), ("public_built", anonymous, public)):
        # The public list built for every request: as if no public page were kept.
        pagecache._may_keep = ((lambda request, public=False: not public and may_keep(request))
                               if name == "public_built" else may_keep)
        client.get(path)  # warm: templates, URL resolver, translations, connection
        measured = pages.measure_get(client, path, repeat)
        out[name] = path
        out[f"{name}_queries"] = len(measured["queries"])
        out[f"{name}_ms"] = measured["ms"]
        out[f"{name}_db_ms"] = measured["db_ms"]
        out[f"{name}_bytes"] = len(measured["response"].content)
        out[f"{name}_sql"] = [q["sql"][:200] for q in measured["queries"]]
    print("DIAG_RESULT " + json.dumps(out))


def diagnose(env: dict[str, str], repeat: int) -> dict:
    cmd = [PYTHON, str(Path(__file__).resolve()), "--_diagnose", "--diag-repeat", str(repeat)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("DIAG_RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"in-process diagnosis failed:\n{result.stdout}{result.stderr[-3000:]}")
    return json.loads(line.removeprefix("DIAG_RESULT "))


# --------------------------------------------------------------------------- server side


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr[-3000:]}")
    return result.stdout


def login(port: int, username: str, check_path: str) -> str:
    """Logs in like a browser; returns the Cookie header. Fails unless `check_path` then answers 200."""
    status, headers, body = http_request(port, "GET", "/inloggen/")
    if status != 200:
        raise BenchError(f"GET /inloggen/ answered {status}")
    jar = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if "csrftoken" not in jar or not match:
        raise BenchError("no CSRF cookie or token on the login page")
    form = urlencode({"username": username, "password": PASSWORD,
                      "csrfmiddlewaretoken": match.group(1).decode(), "next": check_path})
    status, headers, _ = http_request(port, "POST", "/inloggen/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={jar['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}/inloggen/"})
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise BenchError(f"login as {username!r} failed: POST /inloggen/ answered {status} without a session")
    cookie = f"csrftoken={jar['csrftoken']}; sessionid={jar['sessionid']}"
    check_page(port, check_path, cookie)
    return cookie


def check_page(port: int, path: str, cookie: str | None) -> int:
    status, headers, body = http_request(port, "GET", path, headers={"Cookie": cookie} if cookie else {})
    if status != 200:
        location = dict((k.lower(), v) for k, v in headers).get("location", "")
        raise BenchError(f"GET {path} answered {status} {location}")
    if b'name="password"' in body:
        raise BenchError(f"GET {path} answered 200 with a login form")
    return len(body)


def worker_memory(master_pid: int) -> dict[int, dict[str, int]]:
    """VmHWM (peak) and VmRSS in KiB of each gunicorn worker (the master's children)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) != master_pid:
            continue
        found[int(entry.name)] = {key: int(fields[key].split()[0]) for key in ("VmHWM", "VmRSS") if key in fields}
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            found[int(entry.name)]["cpu_ticks"] = int(stat[11]) + int(stat[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
    return found


def download_export(port: int, year: int, master_pid: int) -> dict:
    """Streams the bulk export once, counting bytes and lines without keeping them."""
    before = worker_memory(master_pid)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    size = lines = 0
    first_byte = None
    broken, status = "", 0
    try:
        conn.request("GET", f"/api/v1/public/plans.jsonl?year={year}")
        response = conn.getresponse()
        status = response.status
        while chunk := response.read(65536):
            if first_byte is None:
                first_byte = time.perf_counter() - start
            size += len(chunk)
            lines += chunk.count(b"\n")
    except (OSError, http.client.HTTPException) as problem:
        broken = f"{type(problem).__name__}: {problem}"
    finally:
        conn.close()
    seconds = time.perf_counter() - start
    after = worker_memory(master_pid)
    workers = []
    for pid in sorted(set(before) | set(after)):
        b, a = before.get(pid, {}), after.get(pid, {})
        workers.append({"pid": pid, "hwm_before_kib": b.get("VmHWM"), "hwm_after_kib": a.get("VmHWM"),
                        "rss_after_kib": a.get("VmRSS"), "cpu_ticks": a.get("cpu_ticks", 0) - b.get("cpu_ticks", 0)})
    # The worker that served it is the one that worked meanwhile (the other sat idle).
    known = [w for w in workers if w["hwm_before_kib"] and w["hwm_after_kib"]]
    served = max(known, key=lambda w: (w["cpu_ticks"], w["hwm_after_kib"] - w["hwm_before_kib"])) if known else None
    return {"year": year, "status": status, "seconds": seconds, "first_byte_s": first_byte, "bytes": size,
            "lines": lines, "broken": broken, "workers": workers, "served_by": served}


# --------------------------------------------------------------------------- one database


def bench_database(database: str, args, lua: Path, workdir: Path) -> dict:
    env = base_env(pages.fresh_database(database, workdir / "bench-careoffice.sqlite3", PG_DB))
    env["DJANGO_SETTINGS_MODULE"] = args.settings
    # Open data is rate limited per client; every wrk request comes from 127.0.0.1.
    env["OPEN_DATA_RATE_LIMIT"] = "1000000000"
    log(f"\n== {database}: migrate, load_frameworks, seed_scale ({args.scale})")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_frameworks")
    start = time.perf_counter()
    seeded = manage(env, "seed_scale", *SCALES[args.scale])
    seed_seconds = time.perf_counter() - start
    for line in seeded.splitlines():
        if line.startswith(("seed_scale", "  plans ", "  organisations.Location", "  plans.PlanVersion",
                            "  organisations.Organisation ", "  publishing.Publication")):
            log(f"   {line.strip()}")
    log(f"   seed_scale took {seed_seconds:.1f} s (the process, with Django's start)")

    diag = diagnose(env, args.diag_repeat)
    log(f"   largest care office: {diag['care_office']} (id {diag['care_office_id']}): {diag['organisations']} "
        f"organisations, {diag['locations']} locations; user {diag['username']}")
    for name in ("overview", "overview_built", "public", "public_built"):
        log(f"   in-process {LABELS[name]} {diag[name]}: {diag[f'{name}_queries']} SQL queries, "
            f"{diag[f'{name}_ms']:.1f} ms per request (median of {args.diag_repeat}) of which "
            f"{diag[f'{name}_db_ms']:.1f} ms in the database driver; page {diag[f'{name}_bytes']} bytes")
        if args.show_queries:
            for sql in diag[f"{name}_sql"]:
                log(f"     {sql}")

    server = Gunicorn(env, args.workers, workdir, access_log=not args.no_access_log, app="samenplan.wsgi")
    runs, export = [], None
    try:
        log(f"   gunicorn, {args.workers} sync workers on port {server.port}; logging in as {diag['username']}")
        cookie = login(server.port, diag["username"], diag["overview"])
        check_page(server.port, diag["public"], None)
        if diag["export_year"] is None:
            log("   no published plans (publishing.Publication missing or empty): the export is not measured")
        else:
            export = download_export(server.port, diag["export_year"], server.proc.pid)
            log(f"   export {export['year']}: HTTP {export['status']}, {export['seconds']:.2f} s, "
                f"{export['bytes']} bytes, {export['lines']} lines"
                f"{'; BROKE OFF: ' + export['broken'] if export['broken'] else ''}")
        warn_if_busy()
        threads = max(1, min(args.threads, args.connections))
        built_lua = workdir / "public-built.lua"
        built_lua.write_text(pages.WRK_LUA + PUBLIC_BUILT_LUA)
        targets = [("bare", "/healthz", None, lua), ("overview", diag["overview"], cookie, lua),
                   ("overview_built", diag["overview"] + BUILT_QUERY, cookie, lua),
                   ("public", diag["public"], None, lua), ("public_built", diag["public"], None, built_lua)]
        if args.warmup > 0:
            for _, path, ck, script in targets:
                run_wrk(server.port, path, args.warmup, args.connections, threads, script, ck, server.proc.pid)
        for round_ in range(1, args.rounds + 1):
            for name, path, ck, script in targets:
                run = to_run(database, name, round_, run_wrk(server.port, path, args.seconds, args.connections,
                                                             threads, script, ck, server.proc.pid))
                runs.append(run)
                others = "" if run.others_share is None else f", others {run.others_share:.0%} CPU"
                log(f"   round {round_} {name:<9} {run.rps:8.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
                    f"p95 {run.p95_ms:7.1f} ms  ({run.requests} requests, {run.non2xx} not 2xx{others})")
        check_page(server.port, diag["overview"], cookie)  # the session still works after the load
    finally:
        server.stop()
        if database == "postgres" and not args.keep:
            try:
                pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            except Exception as problem:  # noqa: BLE001 - report, do not mask the real error
                log(f"   (could not drop {PG_DB}: {problem})")
    return {"database": database, "runs": runs, "diagnosis": diag, "export": export, "seed_seconds": seed_seconds}


def _met(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def summarise(result: dict, args) -> tuple[list[str], bool]:
    runs = result["runs"]
    diag = result["diagnosis"]
    ok = True
    table, summary = pages.run_table(runs, LABELS, 26)
    lines = ["", f"{result['database']} — gunicorn {args.workers} sync workers, wrk {args.connections} connections / "
             f"{min(args.threads, args.connections)} threads, {args.rounds} x {args.seconds:g} s per target; "
             f"scale {args.scale}, seed_scale {result['seed_seconds']:.1f} s",
             f"region overview of {diag['care_office']}: {diag['organisations']} organisations, "
             f"{diag['locations']} locations", *table]
    bare = summary["bare"]["rps"]
    for target, limit in (("overview", TARGET_OVERVIEW_P95_MS), ("overview_built", TARGET_OVERVIEW_P95_MS),
                          ("public", TARGET_PUBLIC_P95_MS), ("public_built", TARGET_PUBLIC_P95_MS)):
        s = summary[target]
        lines.append(f"{LABELS[target]}: p95 {s['p95']:.1f} ms  target < {limit:.0f} ms: {_met(s['p95'] < limit)};  "
                     f"throughput {s['rps'] / bare:.3f} of the bare page; "
                     f"in-process {diag[f'{target}_queries']} SQL queries, {diag[f'{target}_ms']:.1f} ms "
                     f"({diag[f'{target}_db_ms']:.1f} ms in the database driver)")
        if s["bad"]:
            ok = False
            lines.append(f"!! MEASUREMENT INVALID: the {LABELS[target]} answered {s['bad']} responses that were not "
                         f"2xx or failed on the socket")
    export = result["export"]
    if export is None:
        lines.append("bulk export: NOT MEASURED (no published plans)")
    else:
        served, broken = export["served_by"], export["broken"]
        memory = (f"peak RSS (VmHWM) of the worker that served it {served['hwm_after_kib'] / 1024:.1f} MiB "
                  f"(before the export {served['hwm_before_kib'] / 1024:.1f} MiB, RSS after "
                  f"{(served['rss_after_kib'] or 0) / 1024:.1f} MiB)") if served else "worker memory not readable"
        lines.append(f"bulk export /api/v1/public/plans.jsonl?year={export['year']}: HTTP {export['status']}, "
                     f"{export['seconds']:.2f} s (first byte after {export['first_byte_s'] or 0:.2f} s), "
                     f"{export['bytes']} bytes, {export['lines']} lines; target < {TARGET_EXPORT_S:.0f} s: "
                     f"{_met(export['seconds'] < TARGET_EXPORT_S and export['status'] == 200 and not broken)}")
        lines.append(f"  {memory}")
        for w in export["workers"]:
            lines.append(f"  worker {w['pid']}: VmHWM {w['hwm_before_kib']} -> {w['hwm_after_kib']} KiB, "
                         f"VmRSS after {w['rss_after_kib']} KiB, CPU during the export {w['cpu_ticks']} ticks")
        if export["status"] != 200 or export["broken"] or export["lines"] != diag["published_that_year"]:
            ok = False
            lines.append(f"!! EXPORT INCOMPLETE: HTTP {export['status']}, {export['lines']} lines for "
                         f"{diag['published_that_year']} published plans {export['broken']}")
    lines += pages.busy_warning(runs)
    result["summary"] = summary
    return lines, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each measurement (default 10)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent wrk connections (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--databases", default="postgres", help="comma-separated: postgres,sqlite (default postgres)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="full: the issue's numbers (default); small: a quick try")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three targets (default 2)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per target (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as production)")
    parser.add_argument("--no-access-log", action="store_true", help="without the access log bin/serve writes")
    parser.add_argument("--diag-repeat", type=int, default=20, help="in-process timings to take the median of")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each page")
    parser.add_argument("--settings", default="samenplan.settings", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--_diagnose", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._diagnose:
        diagnose_in_process(args.diag_repeat)
        return 0
    return pages.run_all(args, title="Samenplan care-office and open-data benchmark",
                         prefix="samenplan-bench-careoffice-",
                         note="Note: wrk runs on this machine and competes with the server for CPU; compare figures "
                              "only within one run.",
                         bench_database=bench_database, summarise=summarise, settings_module=args.settings)


if __name__ == "__main__":
    sys.exit(main())
