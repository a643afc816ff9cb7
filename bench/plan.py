#!/usr/bin/env python3
"""Timing of the heavy parts of writing a plan, on a 40-location plan with 400 actions.

    .venv/bin/python bench/plan.py [--database sqlite|postgres] [--repeat 20]

Builds a throwaway database (SQLite in a temp dir, or PostgreSQL `samenplan_bench_plan`), loads
the frameworks and one organisation with 40 locations, a plan with realistic section texts,
staffing figures and 10 actions per location, and times:

- freezing a version (canonical JSON + SHA-256 + insert), after a one-section change each time
- the side-by-side diff of two versions
- the compliance checker (first call for the plan, which analyses every section's text; then warm)
- the plan page rendered through Django's test client (in-process: no HTTP server), p50/p95
- the DOCX (Word file), made in the request as the download view makes it, p50/p95
- the PDF, made the way production makes it: `manage.py db_worker --batch` in a fresh process
  runs the queued render tasks of the newest versions (`--pdfs`, 3); each render's time as the
  task records it (the worker loaded WeasyPrint at its start, as it does in production), the
  process's wall time and its peak RSS.

Targets (issue "Writing the plan"): freeze < 300 ms, checker < 50 ms, page p95 < 150 ms,
PDF < 5 s, worker peak RSS < 300 MB; DOCX < 1 s (it is made in the request).

Machines differ: the same code measured a plan page p95 of 153 ms on one session's machine and 37 ms
on the next one's. So the run also times two baselines: a bare page (`/healthz`) through the same
client, for a ratio that does not depend on the machine, and a fixed piece of pure-Python work
("machine reference", before and after the run) that none of our code changes; compare that figure
before comparing the others between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THEME_TEXT = (
    "## Wat we willen bereiken\n\n"
    "Bewoners bepalen zelf hoe hun dag eruitziet. Bij de intake vragen we wat belangrijk is. "
    "Dat schrijven we op in het zorgleefplan. Elke maand praat de contactverzorgende met de bewoner "
    "en de familie. Zo weten we of de afspraken nog kloppen.\n\n"
    "## Wat we dit jaar doen\n\n"
    "- elke afdeling heeft een vaste tafel waar bewoners samen eten\n"
    "- twee keer per week gaan bewoners naar buiten, ook in de winter\n"
    "- vrijwilligers helpen bij activiteiten in de avond\n\n"
    "In 2027 kijken we met de cliëntenraad of dit werkt. De uitkomsten staan in het kwaliteitsverslag. "
    "In het kader van de implementatie van het multidisciplinaire beleid borgen we de deskundigheid "
    "van medewerkers via scholing, intervisie en casuïstiekbespreking in elk team.\n"
)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def machine_reference(rounds: int = 7) -> float:
    """Median seconds of a fixed pure-Python job (arithmetic, str, JSON): how fast this machine is now."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        total = sum(len(str(n * n)) for n in range(300_000))
        json.loads(json.dumps([{"n": n, "text": str(n) * 3} for n in range(total // 100)]))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def setup_environment(database: str, tmp: Path, name: str = "samenplan_bench_plan") -> dict:
    env = {"SECRET_KEY": "bench-only-" + "x" * 40, "HTTPS": "0", "ALLOWED_HOSTS": "testserver,localhost",
           "DJANGO_SETTINGS_MODULE": "samenplan.settings", "LOG_LEVEL": "ERROR"}
    if database == "postgres":
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(env)
    return env


def build_plan(locations: int, actions_per_location: int):
    from django.core.management import call_command

    from samenplan.accounts.models import Role
    from samenplan.accounts.services import add_membership
    from samenplan.accounts.models import User
    from samenplan.frameworks.models import Framework
    from samenplan.frameworks.services import load_all_frameworks
    from samenplan.organisations.models import Location, Organisation, Region
    from samenplan.plans import services

    call_command("migrate", verbosity=0)
    load_all_frameworks()
    region = Region.objects.create(name="Benchregio")
    organisation = Organisation.objects.create(name="Zorggroep Bench", kvk_number="49999999", region=region)
    Location.objects.bulk_create([
        Location(organisation=organisation, name=f"Locatie {n:02d}", kvk_establishment_number=f"{900000000000 + n}",
                 street="Laan 1", postal_code="1234 AB", city="Tiel", places=40 + n) for n in range(locations)])
    author = User.objects.create_user("bench", "bench@example.nl", "bench-password-1")
    add_membership(user=author, role=Role.QUALITY_STAFF, organisation=organisation)
    framework = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None)
    plan = services.create_plan(organisation=organisation, year=2027, framework=framework, by=author)
    for section in plan.sections.all():
        if section.is_text:
            services.update_section(plan=plan, key=section.key, body=THEME_TEXT, base_revision=0, by=author)
    services.update_profile(plan=plan, by=author, target_groups=["psychogeriatrie", "somatiek"],
                            care_types=["verblijf-met-behandeling"], care_intensity={"VV5": 200, "VV7": 150}, text="")
    all_locations = list(organisation.locations.all())
    services.update_staffing(plan=plan, by=author, reference_date=None, note="", rows=[
        {"location": loc, "level3_fte": 12 + n % 5, "level3_headcount": 18, "level4_fte": 6, "level4_headcount": 8,
         "volunteers": 20} for n, loc in enumerate(all_locations)])
    for location in all_locations:
        services.update_paragraph(plan=plan, location=location, by=author,
                                  body="Deze locatie werkt aan meer tijd voor bewoners.", actions=[
            {"title": f"Verbeteractie {n + 1} voor {location.name}", "goal": "Minder valincidenten op de afdeling.",
             "measurable_result": "Het aantal vallen daalt met een vijfde.", "owner": "Teamleider zorg",
             "due_quarter": f"2027-Q{n % 4 + 1}", "status": "planned", "source": "client_council"}
            for n in range(actions_per_location)])
    return plan, author


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--locations", type=int, default=40)
    parser.add_argument("--actions", type=int, default=10, help="actions per location")
    parser.add_argument("--pdfs", type=int, default=3, help="PDFs the one worker run makes (of the newest versions)")
    args = parser.parse_args()

    reference_before = machine_reference()
    with tempfile.TemporaryDirectory(prefix="samenplan-bench-plan-") as tmp:
        env = setup_environment(args.database, Path(tmp))
        import django

        django.setup()
        from django.test import Client
        from django.test.utils import setup_test_environment

        from samenplan.compliance import checker
        from samenplan.plans import services
        from samenplan.plans.diff import diff_snapshots
        from samenplan.plans.models import VersionPdf
        from samenplan.plans.snapshot import build_snapshot, load_plan_for_snapshot

        print(f"Building a plan with {args.locations} locations and {args.locations * args.actions} actions "
              f"on {args.database} ...", flush=True)
        plan, author = build_plan(args.locations, args.actions)

        freeze_times, versions = [], []
        for n in range(max(3, args.repeat // 4)):
            section = plan.sections.get(key="veiligheid")
            services.update_section(plan=plan, key="veiligheid", body=THEME_TEXT + f"\nRonde {n}.",
                                    base_revision=section.revision, by=author)
            started = time.perf_counter()
            versions.append(services.freeze_version(plan=plan, by=author, note=f"ronde {n}"))
            freeze_times.append(time.perf_counter() - started)

        old, new = versions[0].snapshot, versions[-1].snapshot
        diff_times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            diff_snapshots(old, new)
            diff_times.append(time.perf_counter() - started)

        # A web worker has the readability tooling loaded at start (samenplan/wsgi.py); so here.
        from samenplan.plans.readability import analyse

        analyse("Samenplan is klaar om te lezen. Dit is een korte zin.")
        snapshot = build_snapshot(load_plan_for_snapshot(plan.pk))
        started = time.perf_counter()
        findings = checker.check(snapshot)
        checker_cold = time.perf_counter() - started
        checker_warm = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            checker.check(snapshot)
            checker_warm.append(time.perf_counter() - started)

        setup_test_environment()
        client = Client()
        client.force_login(author)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=author, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        url = f"/plannen/{plan.pk}/"
        assert client.get(url).status_code == 200
        assert client.get("/healthz").status_code == 200
        page_times, bare_times = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            page_times.append(time.perf_counter() - started)
            assert response.status_code == 200
            started = time.perf_counter()
            client.get("/healthz")
            bare_times.append(time.perf_counter() - started)

        # The Word file is made in the request (plans/docx.py): time it as the download view calls it.
        from samenplan.plans.docx import render_version_docx

        newest = versions[-1]
        docx_times = []
        for _ in range(max(3, args.repeat // 4)):
            started = time.perf_counter()
            docx = render_version_docx(newest.snapshot, version_number=newest.number, sha256=newest.sha256,
                                       created_at=newest.created_at, created_by=str(newest.created_by),
                                       note=newest.note)
            docx_times.append(time.perf_counter() - started)

        # The PDF as production makes it: the queued task, run by the worker in its own process.
        from django_tasks_db.models import DBTaskResult

        pdf_versions = versions[-args.pdfs:]
        # Freezing queued a PDF for every version above; measure a few renders in one fresh worker.
        DBTaskResult.objects.all().delete()
        VersionPdf.objects.filter(version__plan=plan).delete()
        for version in pdf_versions:
            services.request_version_pdf(version)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay",
                        "-v", "0"], cwd=ROOT, env={**os.environ, **env}, check=True)
        worker_seconds = time.perf_counter() - started
        peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pdfs = list(VersionPdf.objects.filter(version__in=pdf_versions))
        assert len(pdfs) == len(pdf_versions) and all(pdf.is_ready for pdf in pdfs), "the worker did not make the PDFs"
        renders = sorted(pdf.render_seconds for pdf in pdfs)

        print(f"\nPlan: {args.locations} locations, {args.locations * args.actions} actions, "
              f"{len(findings)} findings, snapshot {len(versions[-1].content) // 1024} KiB, database {args.database}")
        print(f"{'measure':38} {'p50':>11} {'p95/max':>11}   target")
        rows = [
            ("freeze a version", statistics.median(freeze_times), max(freeze_times), 0.300),
            ("diff of two versions", statistics.median(diff_times), percentile(diff_times, 95), None),
            ("compliance checker (warm)", statistics.median(checker_warm), percentile(checker_warm, 95), 0.050),
            ("checker, first call for this plan", checker_cold, checker_cold, 0.050),
            ("plan page (in-process)", statistics.median(page_times), percentile(page_times, 95), 0.150),
            ("bare page /healthz (baseline)", statistics.median(bare_times), percentile(bare_times, 95), None),
            ("DOCX of a version (in the request)", statistics.median(docx_times), percentile(docx_times, 95), 1.0),
        ]
        for label, p50, p95, target in rows:
            verdict = "" if target is None else ("  ok" if p95 < target else "  MISSED") + f" (< {target * 1000:.0f} ms)"
            print(f"{label:38} {ms(p50)} {ms(p95)}{verdict}")
        verdict = "  ok" if renders[-1] < 5 else "  MISSED"
        print(f"{f'PDF render in the worker ({len(renders)} PDFs)':38} {statistics.median(renders):9.2f} s "
              f"{renders[-1]:9.2f} s{verdict} (< 5 s)")
        print(f"{'worker process, start to finish':38} {worker_seconds:9.2f} s   (start, loading WeasyPrint, all PDFs)")
        rss_verdict = "  ok" if peak_rss_mb < 300 else "  MISSED"
        print(f"{'worker peak RSS':38} {peak_rss_mb:9.0f} MB {'':10}{rss_verdict} (< 300 MB)"
              + ("" if before == 0 else f"  (earlier children peaked at {before / 1024:.0f} MB)"))
        print(f"PDF: {len(bytes(pdfs[0].content)) // 1024} KiB, DOCX: {len(docx) // 1024} KiB")
        print(f"ratio plan page / bare page (p50): {statistics.median(page_times) / statistics.median(bare_times):.0f}")
        print(f"machine reference (fixed pure-Python work): {ms(reference_before).strip()} before, "
              f"{ms(machine_reference()).strip()} after")

    if args.database == "postgres":
        from django.db import connections

        connections.close_all()
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS samenplan_bench_plan"],
                       check=False, capture_output=True)


if __name__ == "__main__":
    main()
