"""Submitting the adopted plan to the care office (rule 17), withdrawing, replacing, and the care
office's answer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenplan.audit.models import AuditEvent
from samenplan.careoffice import services
from samenplan.careoffice.models import Submission
from samenplan.consent.services import TransitionRefused, transition_plan
from samenplan.notifications.models import Notification

from .helpers import submit_plan_of_world


def test_a_plan_that_is_not_adopted_cannot_be_submitted(world):
    with pytest.raises(TransitionRefused) as refused:
        services.submit_plan(plan=world.plan, by=world.people["board"])
    assert any(f.rule == "R17" for f in refused.value.findings)
    assert not Submission.objects.exists()
    world.plan.refresh_from_db()
    assert world.plan.status == "draft"


def test_the_submitted_hash_equals_the_adopted_hash(world):
    submission = submit_plan_of_world(world, note="Graag ontvangen")
    world.plan.refresh_from_db()
    assert world.plan.status == "submitted"
    assert submission.sha256 == submission.adoption.version.sha256 == submission.version.sha256
    assert submission.care_office == world.care_office
    assert submission.note == "Graag ontvangen"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_SUBMITTED, plan_id=world.plan.pk).exists()


def test_the_submission_records_its_evidence_without_names_of_people(world):
    submission = submit_plan_of_world(world)
    evidence = submission.evidence
    assert {c["council"] for c in evidence["consent"]} == {"Centrale cliëntenraad", "VAR"}
    assert all(c["sha256"] == submission.sha256 and c["decision"] == "granted" for c in evidence["consent"])
    assert {r["organisation"] for r in evidence["peer_reviews"]} == {"Stichting Het Anker", "Woonzorg Vijverhof"}
    assert all(set(f) == {"rule", "code", "severity", "message"} for f in evidence["findings"])
    assert submission.warning_count == len(evidence["findings"])
    text = str(evidence)
    for user in world.people.values():
        if user.get_full_name():
            assert user.get_full_name() not in text


def test_only_the_board_submits(world):
    submit_plan_of_world(world)  # adopted and submitted once
    submission = Submission.objects.get()
    services.withdraw_submission(submission=submission, by=world.people["board"], reason="Fout bijlage")
    with pytest.raises(PermissionDenied):
        services.submit_plan(plan=world.plan, by=world.people["quality"])


def test_the_care_office_staff_is_told_of_a_submission(world):
    submit_plan_of_world(world)
    assert Notification.objects.filter(recipient=world.people["care_office"], kind="plan_submitted").exists()
    assert not Notification.objects.filter(recipient=world.people["other_care_office"]).exists()


def test_a_submitted_plan_cannot_be_submitted_twice(world):
    submit_plan_of_world(world)
    world.plan.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.submit_plan(plan=world.plan, by=world.people["board"])
    assert Submission.objects.count() == 1


def test_withdrawal_keeps_the_submission_in_the_history(world):
    submission = submit_plan_of_world(world)
    services.withdraw_submission(submission=submission, by=world.people["board"], reason="Verkeerde versie")
    submission.refresh_from_db()
    world.plan.refresh_from_db()
    assert submission.status == "withdrawn" and submission.withdrawal_reason == "Verkeerde versie"
    assert world.plan.status == "adopted"
    again = services.submit_plan(plan=world.plan, by=world.people["board"])
    assert list(Submission.objects.filter(plan=world.plan).order_by("pk")) == [submission, again]
    assert again.sha256 == submission.sha256


def test_withdrawal_needs_a_reason(world):
    submission = submit_plan_of_world(world)
    with pytest.raises(ValidationError) as error:
        services.withdraw_submission(submission=submission, by=world.people["board"], reason=" ")
    assert "reason" in error.value.message_dict


def test_a_newer_adopted_version_replaces_the_submission(world):
    first = submit_plan_of_world(world)
    second = submit_plan_of_world(world)
    first.refresh_from_db()
    assert first.status == "replaced"
    assert second.replaces == first
    assert second.version.number > first.version.number
    assert second.sha256 != first.sha256


def test_the_care_office_acknowledges_receipt_and_the_organisation_hears_it(world):
    submission = submit_plan_of_world(world)
    services.respond_to_submission(submission=submission, by=world.people["care_office"], outcome="received")
    submission.refresh_from_db()
    assert submission.status == "received"
    assert Notification.objects.filter(recipient=world.people["board"], kind="submission_received").exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SUBMISSION_RECEIVED).exists()


def test_a_correction_needs_a_reason_and_reaches_board_and_quality_staff(world):
    submission = submit_plan_of_world(world)
    with pytest.raises(ValidationError) as error:
        services.respond_to_submission(submission=submission, by=world.people["care_office"],
                                       outcome="correction_requested", reason="")
    assert "reason" in error.value.message_dict
    services.respond_to_submission(submission=submission, by=world.people["care_office"],
                                   outcome="correction_requested", reason="De begroting ontbreekt.")
    submission.refresh_from_db()
    assert submission.status == "correction_requested"
    for persona in ("board", "quality"):
        message = Notification.objects.get(recipient=world.people[persona], kind="submission_correction_requested")
        assert "De begroting ontbreekt." in message.body


def test_another_care_office_cannot_answer(world):
    submission = submit_plan_of_world(world)
    with pytest.raises(PermissionDenied):
        services.respond_to_submission(submission=submission, by=world.people["other_care_office"],
                                       outcome="received")


def test_a_withdrawn_submission_gets_no_answer(world):
    submission = submit_plan_of_world(world)
    services.withdraw_submission(submission=submission, by=world.people["board"], reason="Nog niet af")
    with pytest.raises(services.SubmissionRefused):
        services.respond_to_submission(submission=submission, by=world.people["care_office"], outcome="received")


def test_a_region_without_a_care_office_gets_a_clear_message(world):
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adopt_plan_of_world(world)
    world.care_office.regions.clear()
    world.plan.refresh_from_db()
    with pytest.raises(ValidationError, match="geen zorgkantoor"):
        services.submit_plan(plan=world.plan, by=world.people["board"])


def test_a_plan_revised_after_submission_stays_with_the_care_office_until_replaced(world):
    submission = submit_plan_of_world(world)
    transition_plan(plan=world.plan, to="draft", by=world.people["quality"])
    submission.refresh_from_db()
    assert submission.is_current


def test_both_sides_see_a_withdrawn_submission_with_its_reason(world, client):
    from django.urls import reverse

    from samenplan.core.tests.world import login

    first = submit_plan_of_world(world)
    services.withdraw_submission(submission=first, by=world.people["board"], reason="Verkeerde bijlage erbij")
    assert Notification.objects.filter(recipient=world.people["care_office"], kind="submission_withdrawn").exists()
    services.submit_plan(plan=world.plan, by=world.people["board"])
    for persona, url in (("quality", reverse("careoffice:submissions", args=[world.plan.pk])),
                         ("care_office", reverse("careoffice:submissions", args=[world.plan.pk])),
                         ("care_office", reverse("careoffice:plan", args=[world.plan.pk]))):
        login(client, world.people[persona])
        body = client.get(url).content.decode()
        assert "Ingetrokken" in body and "Verkeerde bijlage erbij" in body, (persona, url)
        client.logout()


def test_the_correction_reaches_the_organisations_inbox_page(world, client):
    from django.urls import reverse

    from samenplan.core.tests.world import login

    submission = submit_plan_of_world(world)
    services.respond_to_submission(submission=submission, by=world.people["care_office"],
                                   outcome="correction_requested", reason="Het verbeterplan van Het Wilgenhof mist.")
    login(client, world.people["board"])
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "Zorgkantoor Rivierenland vraagt een correctie van het kwaliteitsplan 2027" in body
    assert "Het verbeterplan van Het Wilgenhof mist." in body
    assert reverse("careoffice:submissions", args=[world.plan.pk]) in body


def test_the_submitted_hash_stays_the_adopted_one_after_the_plan_is_revised(world):
    """Rule 17: what the care office received is the adopted version, whatever the draft becomes."""
    submission = submit_plan_of_world(world)
    transition_plan(plan=world.plan, to="draft", by=world.people["quality"])
    submission.refresh_from_db()
    assert submission.sha256 == submission.adoption.version.sha256
    assert submission.version.sha256 == submission.sha256
