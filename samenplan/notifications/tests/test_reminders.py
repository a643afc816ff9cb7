"""Deadline reminders to the councils and to invited peers: 7 days and 1 day before the response
date, once each."""

from datetime import date, timedelta

import pytest

from samenplan.consent.models import ConsentDecision
from samenplan.consent.services import send_deadline_reminders
from samenplan.notifications.models import Notification
from samenplan.participation.services import save_peer_review, send_peer_review_reminders
from samenplan.plans.models import QualityPlan

pytestmark = pytest.mark.shared_world

RESPOND_BY = date(2027, 3, 15)


@pytest.fixture
def consent_round(world):
    """The world's plan with the councils, the client council's request due on RESPOND_BY."""
    QualityPlan.objects.filter(pk=world.plan.pk).update(status=QualityPlan.Status.CONSENT)
    request = world.consent_request
    type(request).objects.filter(pk__in=[request.pk, world.nursing_consent_request.pk]).update(
        respond_by=RESPOND_BY + timedelta(days=30))
    type(request).objects.filter(pk=request.pk).update(respond_by=RESPOND_BY)
    return world


def _reminders():
    return Notification.objects.filter(kind="deadline")


def _recipients():
    return sorted(_reminders().values_list("recipient__username", flat=True))


def test_no_reminder_more_than_a_week_ahead(consent_round):
    assert send_deadline_reminders(today=RESPOND_BY - timedelta(days=8)) == 0
    assert not _reminders().exists()


def test_a_reminder_a_week_ahead_to_the_council_and_the_author(consent_round):
    assert send_deadline_reminders(today=RESPOND_BY - timedelta(days=7)) == 3
    assert _recipients() == ["council_member", "council_secretary", "quality"]
    message = _reminders().first()
    assert "7 dagen" in message.subject and "Centrale cliëntenraad" in message.subject
    assert "15 maart 2027" in message.body
    assert message.url == f"/instemming/{consent_round.consent_request.pk}/"


def test_each_reminder_goes_out_once(consent_round):
    week_before = RESPOND_BY - timedelta(days=7)
    send_deadline_reminders(today=week_before)
    assert send_deadline_reminders(today=week_before) == 0  # run twice on the same day
    assert send_deadline_reminders(today=week_before + timedelta(days=1)) == 0  # and the day after
    assert send_deadline_reminders(today=RESPOND_BY - timedelta(days=2)) == 0
    assert _reminders().count() == 3

    day_before = RESPOND_BY - timedelta(days=1)
    assert send_deadline_reminders(today=day_before) == 3
    assert send_deadline_reminders(today=day_before) == 0
    assert send_deadline_reminders(today=RESPOND_BY) == 0
    assert _reminders().count() == 6
    assert _reminders().filter(subject__contains="Nog 1 dag:").count() == 3


def test_no_reminder_after_the_response_date(consent_round):
    assert send_deadline_reminders(today=RESPOND_BY + timedelta(days=1)) == 0


def test_no_reminder_for_a_decided_request(consent_round):
    request = consent_round.consent_request
    ConsentDecision.objects.create(request=request, decision=ConsentDecision.Decision.GRANTED,
                                   version_sha256=request.version.sha256, meeting_date=RESPOND_BY - timedelta(days=10),
                                   recorded_by=consent_round.people["council_secretary"])
    assert send_deadline_reminders(today=RESPOND_BY - timedelta(days=7)) == 0
    assert send_deadline_reminders(today=RESPOND_BY - timedelta(days=1)) == 0
    assert not _reminders().exists()


def test_no_reminder_when_the_plan_is_no_longer_with_the_councils(consent_round):
    QualityPlan.objects.filter(pk=consent_round.plan.pk).update(status=QualityPlan.Status.DRAFT)
    assert send_deadline_reminders(today=RESPOND_BY - timedelta(days=7)) == 0


def test_reminders_run_from_the_scheduler(consent_round, time_machine):
    from samenplan.notifications.tasks import run_jobs

    time_machine.move_to("2027-03-08 09:00 +01:00", tick=False)
    assert run_jobs()["reminders"] == 3
    assert "reminders" not in run_jobs()  # the next hour
    time_machine.move_to("2027-03-14 09:00 +01:00", tick=False)
    assert run_jobs()["reminders"] == 3


# --- Peer feedback: the same days before the date the invitation asks the feedback by ----------

PEER_RESPOND_BY = date(2027, 4, 20)


@pytest.fixture
def peer_invitation(world):
    """The world's invitation of the peer organisation, with feedback asked by PEER_RESPOND_BY."""
    type(world.invitation).objects.filter(pk=world.invitation.pk).update(respond_by=PEER_RESPOND_BY)
    return world


def _peer_reminders():
    return Notification.objects.filter(kind="deadline", event_key__startswith="peer-review-deadline-")


def test_no_peer_reminder_more_than_a_week_ahead(peer_invitation):
    assert send_peer_review_reminders(today=PEER_RESPOND_BY - timedelta(days=8)) == 0
    assert not _peer_reminders().exists()


def test_a_peer_reminder_a_week_ahead_goes_to_the_peer_organisations_reviewers(peer_invitation):
    assert send_peer_review_reminders(today=PEER_RESPOND_BY - timedelta(days=7)) == 1
    message = _peer_reminders().get()
    assert message.recipient == peer_invitation.people["peer_reviewer"]
    assert message.subject == "Nog 7 dagen: uw feedback op het kwaliteitsplan 2027 van Zorggroep De Linde"
    assert "vóór 20 april 2027" in message.body
    assert message.url == f"/versies/{peer_invitation.version.pk}/collega-feedback/"


def test_each_peer_reminder_goes_out_once(peer_invitation):
    week_before = PEER_RESPOND_BY - timedelta(days=7)
    send_peer_review_reminders(today=week_before)
    assert send_peer_review_reminders(today=week_before) == 0
    assert send_peer_review_reminders(today=week_before + timedelta(days=3)) == 0
    day_before = PEER_RESPOND_BY - timedelta(days=1)
    assert send_peer_review_reminders(today=day_before) == 1
    assert send_peer_review_reminders(today=PEER_RESPOND_BY) == 0
    assert send_peer_review_reminders(today=PEER_RESPOND_BY + timedelta(days=1)) == 0
    assert _peer_reminders().count() == 2
    assert _peer_reminders().filter(subject__startswith="Nog 1 dag:").count() == 1


def test_no_peer_reminder_once_the_feedback_is_submitted(peer_invitation):
    save_peer_review(version=peer_invitation.version, by=peer_invitation.people["peer_reviewer"],
                     section_feedback={}, summary="Helder plan.", submit=True)
    assert send_peer_review_reminders(today=PEER_RESPOND_BY - timedelta(days=7)) == 0
    assert send_peer_review_reminders(today=PEER_RESPOND_BY - timedelta(days=1)) == 0


def test_a_saved_draft_still_gets_the_reminder(peer_invitation):
    save_peer_review(version=peer_invitation.version, by=peer_invitation.people["peer_reviewer"],
                     section_feedback={"veiligheid": "Goed."}, summary="")
    assert send_peer_review_reminders(today=PEER_RESPOND_BY - timedelta(days=7)) == 1


def test_peer_reminders_run_from_the_scheduler(peer_invitation, time_machine):
    from samenplan.notifications.tasks import run_jobs

    time_machine.move_to("2027-04-13 09:00 +02:00", tick=False)
    assert run_jobs()["peer_review_reminders"] == 1
    assert "peer_review_reminders" not in run_jobs()  # the next hour
    time_machine.move_to("2027-04-19 09:00 +02:00", tick=False)
    assert run_jobs()["peer_review_reminders"] == 1
