"""The audit trail: a hash chain that nobody edits, and `manage.py verify_audit` that finds where
it was broken anyway (by someone with direct access to the database)."""

import hashlib
import importlib
import json
from contextlib import contextmanager

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from samenplan.accounts.tests.factories import UserFactory
from samenplan.audit.models import AuditEvent, AuditImmutable
from samenplan.audit.services import GENESIS, first_broken_link, record
from samenplan.core.tests.world import login

TRIGGER = "audit_event_append_only"
_append_only = importlib.import_module("samenplan.audit.migrations.0002_events_are_append_only")


@contextmanager
def append_only_trigger_off():
    """What someone with direct database access could do: switch off the trigger that refuses
    changes (and switch it on again)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # The foreign keys are checked at commit; with such checks pending the table cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                cursor.execute(_append_only.SQLITE_FORWARD)


def tamper_data(sequence: int, data: dict, sha256: str | None = None) -> None:
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with append_only_trigger_off(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET data = {cast} WHERE sequence = %s", [json.dumps(data), sequence])
        if sha256 is not None:
            cursor.execute("UPDATE audit_auditevent SET sha256 = %s WHERE sequence = %s", [sha256, sequence])


def delete_row(sequence: int) -> None:
    with append_only_trigger_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = %s", [sequence])


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


# --- The chain --------------------------------------------------------------------------------


def test_each_event_holds_the_hash_of_its_content_and_of_the_event_before(world):
    events = list(AuditEvent.objects.order_by("sequence"))
    assert len(events) >= 8  # the world made a plan, versions, shares, an invitation, a comment
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    previous = GENESIS
    for event in events:
        assert event.sha256 == hashlib.sha256(event.content().encode("utf-8")).hexdigest()
        assert event.previous_sha256 == previous
        assert previous in event.content()  # the link is part of what the hash covers
        previous = event.sha256
    assert first_broken_link() is None


def test_an_event_records_who_what_and_on_which_version(world):
    quality = world.people["quality"]
    event = record(AuditEvent.Kind.CONSENT_DEADLINE_CHANGED, actor=quality, version=world.version,
                   data={"before": "2027-01-01", "after": "2027-02-01", "councils": ("CR", "VAR")})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_name) == (quality, quality.get_full_name())
    assert (stored.plan_id, stored.organisation_id) == (world.plan.pk, world.organisation.pk)
    assert (stored.version_id, stored.version_sha256) == (world.version.pk, world.version.sha256)
    # The data is stored as JSON, and the hash covers exactly what the database gives back.
    assert stored.data == {"before": "2027-01-01", "after": "2027-02-01", "councils": ["CR", "VAR"]}
    assert stored.compute_sha256() == stored.sha256
    assert stored.previous_sha256 == AuditEvent.objects.get(sequence=stored.sequence - 1).sha256


def test_the_first_event_links_to_the_genesis_hash(db):
    event = record(AuditEvent.Kind.PLAN_CREATED, data={"year": 2027})
    assert (event.sequence, event.previous_sha256) == (1, GENESIS)
    assert event.actor_name == "" and event.plan_id is None


# --- verify_audit -----------------------------------------------------------------------------


def test_verify_audit_accepts_an_intact_trail(world):
    count = AuditEvent.objects.count()
    assert verify().strip() == f"Audit trail intact: {count} events, every link holds."


def test_verify_audit_accepts_an_empty_trail(db):
    assert "0 events" in verify()


def test_verify_audit_reports_a_tampered_row(world):
    tampered = AuditEvent.objects.order_by("sequence")[3]
    tamper_data(tampered.sequence, {**tampered.data, "number": 99})

    with pytest.raises(CommandError) as error:
        verify()

    message = str(error.value)
    assert f"event #{tampered.sequence} " in message
    assert "the content does not match its sha256" in message
    assert first_broken_link()[0].pk == tampered.pk


def test_verify_audit_reports_a_rehashed_row_at_the_next_link(world):
    # Whoever recomputes the hash of the row they changed still breaks the link of the next one.
    tampered = AuditEvent.objects.order_by("sequence")[3]
    tampered.data = {**tampered.data, "number": 99}
    tamper_data(tampered.sequence, tampered.data, sha256=tampered.compute_sha256())

    with pytest.raises(CommandError) as error:
        verify()

    assert f"event #{tampered.sequence + 1} " in str(error.value)
    assert "previous_sha256 does not match" in str(error.value)


def test_verify_audit_reports_a_deleted_row(world):
    removed = AuditEvent.objects.order_by("sequence")[4].sequence
    delete_row(removed)

    with pytest.raises(CommandError) as error:
        verify()

    assert f"event #{removed + 1} " in str(error.value)
    assert f"sequence {removed} is missing" in str(error.value)


def test_verify_audit_reports_a_deleted_last_row_only_by_count(world):
    # The chain itself cannot show a missing tail; what is left is still a valid chain.
    last = AuditEvent.objects.order_by("-sequence").first().sequence
    delete_row(last)
    assert first_broken_link() is None


def test_the_trigger_is_back_after_tampering(world):
    first = AuditEvent.objects.order_by("sequence").first()
    tamper_data(first.sequence, {"changed": True})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_name = 'x' WHERE sequence = %s", [first.sequence])


# --- Nobody edits the trail -------------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted_through_the_model(world):
    event = AuditEvent.objects.order_by("sequence").first()
    event.actor_name = "Iemand anders"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(actor_name="Iemand anders")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_name != "Iemand anders"
    assert first_broken_link() is None


def test_the_database_refuses_an_update(world):
    event = AuditEvent.objects.order_by("sequence").first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_name = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_name == event.actor_name


def test_the_database_refuses_a_delete_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps deletes possible for the test flush; the model refuses them")
    event = AuditEvent.objects.order_by("sequence").first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_the_admin_may_not_add_change_or_delete(world):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/beheer/audit/auditevent/")
    request.user = superuser
    model_admin = site._registry[AuditEvent]
    event = AuditEvent.objects.order_by("sequence").first()
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, event) is False
    assert model_admin.has_view_permission(request, event) is True


def test_the_admin_pages_only_show_the_trail(world, client):
    login(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    event = AuditEvent.objects.order_by("sequence").first()
    base = "/beheer/audit/auditevent/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{event.pk}/delete/").status_code == 403
    assert client.post(f"{base}{event.pk}/change/", {"actor_name": "Iemand anders"}).status_code == 403
    assert client.post(base, {"action": "delete_selected", "_selected_action": [event.pk]}).status_code in {200, 302}
    assert AuditEvent.objects.filter(pk=event.pk, actor_name=event.actor_name).exists()
    assert first_broken_link() is None
