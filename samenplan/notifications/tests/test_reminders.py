"""Deadline reminders to the councils: 7 days and 1 day before the response date, once each."""

from datetime import date, timedelta

import pytest

from samenplan.consent.models import ConsentDecision
from samenplan.consent.services import send_deadline_reminders
from samenplan.notifications.models import Notification
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
    assert "15-03-2027" in message.body
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
