"""`manage.py verify_versions`: every frozen version still has the SHA-256 it was frozen with.

The database refuses to change a version (migration 0002), so these tests get around that the way
someone with direct access to the database would: they switch the trigger off first. The test's
transaction is rolled back afterwards, the trigger included.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from samenplan.plans.models import PlanVersion
from samenplan.plans.services import TamperedVersion, tampered_versions


def _write_around_the_trigger(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of this test's inserts must run before the table may be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE plans_planversion DISABLE TRIGGER plan_version_immutable")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS plan_version_immutable")
        cursor.execute(sql, params)


def _tamper(version: PlanVersion, *, recompute_hash: bool = False) -> None:
    content = version.content.replace("Samen koken op de afdeling", "Samen koken, als er tijd is")
    assert content != version.content
    if recompute_hash:
        _write_around_the_trigger("UPDATE plans_planversion SET content = %s, sha256 = %s WHERE id = %s",
                                  [content, PlanVersion.hash_of(content), version.pk])
    else:
        _write_around_the_trigger("UPDATE plans_planversion SET content = %s WHERE id = %s", [content, version.pk])


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_versions", stdout=out)
    return out.getvalue()


def test_untouched_versions_pass(world):
    assert tampered_versions() == []
    assert _verify() == "Plan versions intact: 2 versions, every SHA-256 matches its snapshot.\n"


def test_the_database_itself_refuses_an_edit_of_a_version(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE plans_planversion SET content = 'x' WHERE id = %s", [world.version.pk])


def test_a_tampered_snapshot_is_named_and_the_command_fails(world):
    _tamper(world.version)
    plan = world.plan
    assert tampered_versions() == [TamperedVersion(version_id=world.version.pk, plan_id=plan.pk, year=2027, number=2,
                                                   problem="its content does not match its sha256")]
    with pytest.raises(CommandError) as failed:
        _verify()
    assert str(failed.value) == (
        f"1 of 2 plan versions fail the check:\n"
        f"- version 2 of plan {plan.pk} (2027), id {world.version.pk}: its content does not match its sha256")


def test_a_snapshot_rewritten_with_a_new_hash_is_caught_by_the_audit_trail(world):
    """Recomputing the hash is not enough: the audit trail holds the hash the version was frozen with."""
    _tamper(world.version, recompute_hash=True)
    assert [(t.version_id, t.problem) for t in tampered_versions()] == [
        (world.version.pk, "its sha256 is not the one the audit trail recorded when it was frozen")]


def test_every_tampered_version_is_reported(world):
    _tamper(world.version)
    _write_around_the_trigger("UPDATE plans_planversion SET content = content || ' ' WHERE id = %s",
                              [world.first_version.pk])
    assert [t.number for t in tampered_versions()] == [1, 2]
    with pytest.raises(CommandError, match=r"^2 of 2 plan versions fail the check:\n- version 1 .*\n- version 2 "):
        _verify()
