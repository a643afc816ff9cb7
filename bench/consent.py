#!/usr/bin/env python3
"""Timing of the consent round on a busy plan: 200 comments, 5 councils, 2 peer reviews.

    .venv/bin/python bench/consent.py [--database sqlite|postgres] [--repeat 30] [--comments 200]

Builds a throwaway database (SQLite in a temp dir, or PostgreSQL `samenplan_bench_consent`) with one
organisation (10 locations, a complete plan), 5 councils (central and two local client councils,
a VAR and a works council) with members, two peer reviews, consent requests with decisions, and
`--comments` comments spread over the sections, half of them answered. Then times:

- the compliance checker with its full context (consent, reviews, comments, top 3): building the
  context from the database plus the check, and the check alone;
- pages rendered through Django's test client (in-process, no HTTP server), p50/p95: the plan
  page, all comments of the plan, the comments of a version as a council member, the consent
  overview, a consent request as the council secretary, and the timeline.

Target (issue "Together to an adopted plan"): no target figure is set; the plan-page target of
issue 4 (p95 < 150 ms) is printed as the yardstick. Figures swing with machine load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from plan import THEME_TEXT, build_plan, ms, percentile, setup_environment  # noqa: E402


def build_round(plan, author, comments: int):
    from django.utils import timezone

    from samenplan.accounts.models import Role, User
    from samenplan.accounts.services import add_membership
    from samenplan.consent import services as consent
    from samenplan.organisations.models import Council, LearningNetwork, Organisation
    from samenplan.participation import services as participation
    from samenplan.participation.models import Comment
    from samenplan.plans import services

    organisation = plan.organisation
    locations = list(organisation.locations.all()[:2])
    councils = [
        Council.objects.create(organisation=organisation, kind=Council.Kind.CLIENT_COUNCIL, name="Centrale cliëntenraad"),
        Council.objects.create(organisation=organisation, kind=Council.Kind.CLIENT_COUNCIL, name="Lokale raad 1",
                               location=locations[0]),
        Council.objects.create(organisation=organisation, kind=Council.Kind.CLIENT_COUNCIL, name="Lokale raad 2",
                               location=locations[1]),
        Council.objects.create(organisation=organisation, kind=Council.Kind.NURSING_COUNCIL, name="VAR"),
        Council.objects.create(organisation=organisation, kind=Council.Kind.WORKS_COUNCIL, name="OR"),
    ]
    members, secretaries = {}, {}
    for n, council in enumerate(councils):
        secretaries[council.pk] = User.objects.create_user(f"secretaris{n}", f"s{n}@example.nl", "bench-password-1")
        add_membership(user=secretaries[council.pk], role=Role.COUNCIL_SECRETARY, council=council)
        members[council.pk] = []
        for m in range(4):
            user = User.objects.create_user(f"lid{n}-{m}", f"l{n}{m}@example.nl", "bench-password-1")
            add_membership(user=user, role=Role.COUNCIL_MEMBER, council=council)
            members[council.pk].append(user)
    board = User.objects.create_user("bestuur", "b@example.nl", "bench-password-1")
    add_membership(user=board, role=Role.BOARD, organisation=organisation)

    network = LearningNetwork.objects.create(name="Netwerk")
    network.organisations.add(organisation)
    peers = []
    for n in range(2):
        peer = Organisation.objects.create(name=f"Collega {n}", kvk_number=f"4888888{n}", region=organisation.region)
        network.organisations.add(peer)
        reviewer = User.objects.create_user(f"collega{n}", f"c{n}@example.nl", "bench-password-1")
        add_membership(user=reviewer, role=Role.PEER_REVIEWER, organisation=peer)
        peers.append((peer, reviewer))

    version = services.freeze_version(plan=plan, by=author, note="voor de raden")
    services.share_version_with_councils(version=version, by=author)
    participation.invite_peers(version=version, organisations=[p for p, _r in peers], by=author)
    for _peer, reviewer in peers:
        participation.save_peer_review(version=version, by=reviewer, submit=True, summary="Helder plan.",
                                       section_feedback={"veiligheid": "Maak de zinnen korter."})
    keys = [s.key for s in plan.sections.all() if s.is_text]
    council_members = [u for users in members.values() for u in users]
    made = []
    for n in range(comments):
        made.append(participation.add_comment(
            version=version, by=council_members[n % len(council_members)], section_key=keys[n % len(keys)],
            quote="Bewoners bepalen zelf hoe hun dag eruitziet.", body=f"Reactie {n}: kan dit concreter?"))
    section = plan.sections.get(key="veiligheid")
    services.update_section(plan=plan, key="veiligheid", body=THEME_TEXT + "\nAangepast na reacties.",
                            base_revision=section.revision, by=author)
    second = services.freeze_version(plan=plan, by=author, note="na reacties")
    for n, comment in enumerate(made[: comments // 2]):
        if n % 2:
            participation.answer_comment(comment=comment, by=author, outcome=Comment.Outcome.PROCESSED,
                                         change_version=second)
        else:
            participation.answer_comment(comment=comment, by=author, outcome=Comment.Outcome.NOT_PROCESSED,
                                         answer="Dat past niet in dit jaar.")
    requests = consent.request_consent(plan=plan, by=author, include_works_council=True,
                                       respond_by=timezone.localdate() + timedelta(weeks=6))
    for request in requests:
        consent.record_consent_decision(
            request=request, by=secretaries[request.council_id], decision="granted_with_conditions",
            meeting_date=timezone.localdate(), conditions=[{"text": "Meer buiten", "owner": "Teamleider"}],
            present_ids=[u.pk for u in members[request.council_id]])
    return {"version": second, "requests": requests, "councils": councils, "members": members,
            "secretaries": secretaries, "board": board}


def logged_in(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def time_page(client, url, repeat):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--comments", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="samenplan-bench-consent-") as tmp:
        setup_environment(args.database, Path(tmp), name="samenplan_bench_consent")
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        from samenplan.compliance import check
        from samenplan.consent.selectors import check_context_for, draft_state
        from samenplan.plans.readability import analyse

        print(f"Building a plan with 10 locations, 5 councils and {args.comments} comments on {args.database} ...",
              flush=True)
        plan, author = build_plan(10, 3)
        world = build_round(plan, author, args.comments)
        analyse("Samenplan is klaar om te lezen. Dit is een korte zin.")  # as a web worker has at start

        snapshot, sha256 = draft_state(plan)
        context_times, check_times = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            context = check_context_for(plan, sha256)
            context_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            findings = check(snapshot, context)
            check_times.append(time.perf_counter() - started)

        setup_test_environment()
        request = world["requests"][0]
        council_member = world["members"][request.council_id][0]
        pages = [
            ("plan page (author)", author, f"/plannen/{plan.pk}/"),
            ("all comments of the plan (author)", author, f"/plannen/{plan.pk}/reacties/"),
            ("comments of a version (council member)", council_member, f"/versies/{world['version'].pk}/reacties/"),
            ("consent overview (author)", author, f"/plannen/{plan.pk}/instemming/"),
            ("consent request (secretary)", world["secretaries"][request.council_id], f"/instemming/{request.pk}/"),
            ("timeline (board)", world["board"], f"/plannen/{plan.pk}/tijdlijn/"),
        ]
        results = [(label, time_page(logged_in(user), url, args.repeat)) for label, user, url in pages]

        print(f"\nPlan: 10 locations, 5 councils, {args.comments} comments, {len(findings)} findings, "
              f"database {args.database}")
        print(f"{'measure':44} {'p50':>11} {'p95':>11}")
        print(f"{'checker context from the database':44} {ms(statistics.median(context_times))} "
              f"{ms(percentile(context_times, 95))}")
        print(f"{'checker (pure function)':44} {ms(statistics.median(check_times))} {ms(percentile(check_times, 95))}"
              f"  {'ok' if percentile(check_times, 95) < 0.050 else 'MISSED'} (< 50 ms, issue 4)")
        for label, times in results:
            p95 = percentile(times, 95)
            print(f"{label:44} {ms(statistics.median(times))} {ms(p95)}  {'ok' if p95 < 0.150 else 'over'} (150 ms)")

    if args.database == "postgres":
        import subprocess

        from django.db import connections

        connections.close_all()
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        "DROP DATABASE IF EXISTS samenplan_bench_consent"], check=False, capture_output=True)


if __name__ == "__main__":
    main()
