"""Two people at the same moment, on PostgreSQL: real transactions in two threads.

SQLite allows one writer at a time and its test database lives in memory, so it cannot show what
these tests are about; they are skipped there.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import first_broken_link, record
from samenplan.consent import services
from samenplan.consent.models import ConsentDecision
from samenplan.consent.services import DecisionAlreadyRecorded
from samenplan.plans.models import QualityPlan

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs row locks and concurrent transactions: run with DATABASE_URL=postgres://..."),
]


def run_at_once(*jobs):
    """Runs each job in its own thread with its own database connection, all released together by
    a barrier; returns what each job returned or raised, in the order of the jobs."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - the test looks at what each thread met
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish: a deadlock?"
    return outcomes


def test_two_decisions_at_once_leave_exactly_one(world):
    request, secretary = world.consent_request, world.people["council_secretary"]
    today = timezone.localdate()

    def grant():
        return services.record_consent_decision(request=request, by=secretary, decision="granted",
                                                meeting_date=today)

    def refuse():
        return services.record_consent_decision(request=request, by=secretary, decision="refused",
                                                meeting_date=today, reasons="Te weinig over de nacht.")

    outcomes = run_at_once(grant, refuse)

    winners = [o for o in outcomes if isinstance(o, ConsentDecision)]
    losers = [o for o in outcomes if isinstance(o, DecisionAlreadyRecorded)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    (kept,) = ConsentDecision.objects.filter(request=request)
    assert kept.pk == winners[0].pk == losers[0].decision.pk
    assert kept.decision == winners[0].decision
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CONSENT_DECIDED).count() == 1
    assert first_broken_link() is None


def test_a_refusal_at_the_same_moment_as_a_grant_moves_the_plan_once(world):
    """Whichever wins, the plan's phase and its audit trail agree with the one decision kept."""
    QualityPlan.objects.filter(pk=world.plan.pk).update(status=QualityPlan.Status.CONSENT)
    request, secretary = world.nursing_consent_request, world.people["council_secretary"]
    add_membership(user=secretary, role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    today = timezone.localdate()
    jobs = [lambda: services.record_consent_decision(request=request, by=secretary, decision="refused",
                                                     meeting_date=today, reasons="Nee.")] * 2

    outcomes = run_at_once(*jobs)

    assert sorted(type(o).__name__ for o in outcomes) == ["ConsentDecision", "DecisionAlreadyRecorded"], outcomes
    assert ConsentDecision.objects.filter(request=request).count() == 1
    assert QualityPlan.objects.get(pk=world.plan.pk).status == QualityPlan.Status.DRAFT
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_TRANSITIONED, data__to="draft").count() == 1


def test_two_threads_appending_audit_events_keep_the_chain_intact(world):
    before = AuditEvent.objects.count()
    per_thread = 25

    def append(name):
        def job():
            for n in range(per_thread):
                record(AuditEvent.Kind.CONDITION_UPDATED, plan=world.plan, data={"thread": name, "n": n})
            return name
        return job

    outcomes = run_at_once(append("a"), append("b"), append("c"))

    assert outcomes == ["a", "b", "c"]
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, before + 3 * per_thread + 1))
    assert first_broken_link() is None
