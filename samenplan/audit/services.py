"""Appending to the audit trail. Services call `record` inside their own transaction, so an
event exists exactly when the change it describes was committed."""

import json

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

GENESIS = "0" * 64
# Any constant: PostgreSQL's transaction-level advisory lock serialises appends to the one chain.
_CHAIN_LOCK = 7_342_001


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # SQLite allows one writer at a time; the unique previous_sha256 refuses a fork on any database.


def record(kind: str, *, actor=None, plan=None, version=None, organisation_id: int | None = None,
           data: dict | None = None) -> AuditEvent:
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "sha256").first()
        if plan is None and version is not None:
            plan = version.plan
        event = AuditEvent(
            sequence=(last.sequence + 1) if last else 1,
            created_at=timezone.now(),
            kind=kind,
            actor=actor,
            actor_name=(actor.get_full_name() or actor.username) if actor else "",
            organisation_id=organisation_id or (plan.organisation_id if plan else None),
            plan_id=plan.pk if plan else None,
            version_id=version.pk if version else None,
            version_sha256=version.sha256 if version else "",
            data=data or {},
            previous_sha256=last.sha256 if last else GENESIS,
        )
        # Round-trip the data through JSON now, so the hash covers exactly what the database keeps.
        event.data = json.loads(json.dumps(event.data))
        event.sha256 = event.compute_sha256()
        event.save()
        return event


def first_broken_link() -> tuple[AuditEvent, str] | None:
    """The first event whose hash or link does not hold, with what is wrong; None when all hold."""
    previous = GENESIS
    expected_sequence = 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return event, f"sequence {expected_sequence} is missing"
        if event.previous_sha256 != previous:
            return event, "previous_sha256 does not match the hash of the event before it"
        if event.compute_sha256() != event.sha256:
            return event, "the content does not match its sha256"
        previous, expected_sequence = event.sha256, expected_sequence + 1
    return None
