"""Dialogue sessions and agreements through the service functions (rule 19 included)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.audit.models import AuditEvent
from samenplan.careoffice import dialogue_selectors as selectors
from samenplan.careoffice import dialogue_services as services
from samenplan.careoffice.models import Agreement, DialogueSession
from samenplan.compliance.dialogue import check_dialogue
from samenplan.notifications.models import Notification

from .dialogue_helpers import (
    agreement_row,
    all_three,
    held_session,
    in_days,
    planned_session,
    quickly_submitted,
    start_session,
    submitted_plan,
)

pytestmark = pytest.mark.shared_world


def _inbox(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_invitations_reach_the_board_the_client_council_and_the_var(world):
    session = start_session(world)
    assert _inbox(world.people["board"], "dialogue_invited").count() == 1
    assert _inbox(world.people["council_member"], "dialogue_invited").count() == 1
    assert _inbox(world.people["council_secretary"], "dialogue_invited").count() == 1
    var_member = world.nursing_council.memberships.first()
    if var_member:
        assert _inbox(var_member.user, "dialogue_invited").count() == 1
    # The works council is not invited while there is a VAR.
    assert _inbox(world.people["works_council_member"], "dialogue_invited").count() == 0
    assert {p.party for p in session.participants.all()} == {"board", "client_council", "nursing_council"}
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DIALOGUE_PROPOSED, plan_id=world.plan.pk).exists()


def test_the_picked_date_reaches_every_invited_party_in_their_own_language(world):
    world.people["council_member"].language = "en"
    world.people["council_member"].save(update_fields=["language"])
    session = planned_session(world)
    assert session.status == "planned"
    dutch = _inbox(world.people["council_secretary"], "dialogue_planned").get()
    english = _inbox(world.people["council_member"], "dialogue_planned").get()
    day = timezone.localtime(session.starts_at)
    assert str(day.year) in dutch.subject and "14:00" in dutch.subject
    assert dutch.subject != english.subject
    assert _inbox(world.people["care_office"], "dialogue_planned").exists()


def test_rule_19_warns_while_one_of_the_three_is_not_invited(world):
    session = start_session(world, invite={"invite_board": True, "invite_council_ids": [world.client_council.pk]})
    findings = selectors.session_findings(selectors.get_session_for_user(world.people["care_office"], session.pk))
    assert [f.code for f in findings] == ["dialogue-nursing-council-not-invited"]
    assert findings[0].severity == "warn"
    services.invite_parties(session=session, by=world.people["care_office"],
                            invite_council_ids=[world.nursing_council.pk])
    assert selectors.session_findings(selectors.get_session_for_user(world.people["care_office"], session.pk)) == []


def test_the_works_council_stands_in_where_there_is_no_var(world):
    from samenplan.compliance import CouncilFacts
    from samenplan.compliance.dialogue import DialogueFacts

    councils = (CouncilFacts(1, "client_council", "CR"), CouncilFacts(2, "works_council", "OR"))
    assert check_dialogue(DialogueFacts(True, frozenset({1, 2}), councils)) == []
    assert [f.code for f in check_dialogue(DialogueFacts(False, frozenset({1}), councils))] == [
        "dialogue-board-not-invited", "dialogue-nursing-council-not-invited"]


def test_a_session_is_only_for_a_submitted_plan(world):
    with pytest.raises(services.DialogueRefused):
        services.start_dialogue(plan=world.plan, by=world.people["care_office"], proposed_dates=[in_days(7)],
                                place="Kantoor", **all_three(world))


def test_a_session_can_still_be_held_while_the_plan_is_carried_out(world):
    from samenplan.plans.models import QualityPlan

    submission = quickly_submitted(world)
    QualityPlan.objects.filter(pk=submission.plan_id).update(status=QualityPlan.Status.IN_PROGRESS)
    session = services.start_dialogue(plan=submission.plan, by=world.people["care_office"],
                                      proposed_dates=[in_days(7)], place="Kantoor", **all_three(world))
    assert session.status == DialogueSession.Status.PROPOSED
    QualityPlan.objects.filter(pk=submission.plan_id).update(status=QualityPlan.Status.EVALUATED)
    session.delete()
    with pytest.raises(services.DialogueRefused):
        services.start_dialogue(plan=submission.plan, by=world.people["care_office"], proposed_dates=[in_days(7)],
                                place="Kantoor", **all_three(world))


def test_another_care_office_may_not_start_a_session(world):
    submission = quickly_submitted(world)
    with pytest.raises(PermissionDenied):
        services.start_dialogue(plan=submission.plan, by=world.people["other_care_office"],
                                proposed_dates=[in_days(7)], place="Kantoor")


def test_dates_must_lie_ahead_and_a_place_is_needed(world):
    submission = quickly_submitted(world)
    with pytest.raises(ValidationError) as raised:
        services.start_dialogue(plan=submission.plan, by=world.people["care_office"],
                                proposed_dates=[timezone.now() - timedelta(days=1)], place="")
    assert set(raised.value.error_dict) == {"proposed_dates", "place"}


def test_the_organisation_may_say_no_date_fits_and_the_care_office_hears_it(world):
    session = start_session(world)
    with pytest.raises(ValidationError) as raised:
        services.pick_date(session=session, by=world.people["quality"], none_fits=True, note="")
    assert "note" in raised.value.error_dict
    services.pick_date(session=session, by=world.people["quality"], none_fits=True, note="Wij kunnen pas in mei.")
    assert _inbox(world.people["care_office"], "dialogue_none_fits").exists()
    session = services.propose_dates(session=session, by=world.people["care_office"], proposed_dates=[in_days(40)])
    assert session.dates_note == "" and session.proposed_dates.count() == 1


def test_a_council_member_may_not_pick_the_date(world):
    session = start_session(world)
    with pytest.raises(PermissionDenied):
        services.pick_date(session=session, by=world.people["council_member"],
                           proposed_date_id=session.proposed_dates.first().pk)


def test_a_held_session_without_a_required_party_needs_a_reason(world):
    session = planned_session(world)
    parties = {p.party: p.pk for p in session.participants.all()}
    attendance = {parties["board"]: True, parties["client_council"]: True, parties["nursing_council"]: False}
    with pytest.raises(ValidationError) as raised:
        services.record_held(session=session, by=world.people["care_office"], held_on=timezone.localdate(),
                             attendance=attendance)
    assert list(raised.value.error_dict) == ["missing_party_reason"]
    held = services.record_held(session=session, by=world.people["care_office"], held_on=timezone.localdate(),
                                attendance=attendance, missing_party_reason="De VAR was ziek.")
    assert held.status == "held"
    assert {p.party: p.attended for p in held.participants.all()}["nursing_council"] is False


def test_a_held_session_without_an_invited_party_needs_a_reason_too(world):
    session = planned_session(world, invite={"invite_board": True, "invite_council_ids": [world.client_council.pk]})
    with pytest.raises(ValidationError) as raised:
        services.record_held(session=session, by=world.people["care_office"], held_on=timezone.localdate(),
                             attendance={p.pk: True for p in session.participants.all()})
    assert "missing_party_reason" in raised.value.error_dict


def test_a_session_with_all_three_present_needs_no_reason(world):
    session = held_session(world)
    assert session.status == "held" and session.missing_party_reason == ""


def test_a_session_cannot_be_held_before_a_date_is_picked(world):
    session = start_session(world)
    with pytest.raises(services.DialogueRefused):
        services.record_held(session=session, by=world.people["care_office"], held_on=timezone.localdate(),
                             attendance={})


def test_minutes_come_after_the_session_and_reach_the_councils(world):
    session = planned_session(world)
    with pytest.raises(services.DialogueRefused):
        services.save_minutes(session=session, by=world.people["care_office"], minutes="Verslag")
    session = services.record_held(session=session, by=world.people["care_office"], held_on=timezone.localdate(),
                                   attendance={p.pk: True for p in session.participants.all()})
    services.save_minutes(session=session, by=world.people["care_office"], minutes="## Verslag\n\nGoed gesprek.")
    assert _inbox(world.people["council_member"], "dialogue_minutes").exists()


def test_cancelling_needs_a_reason(world):
    session = start_session(world)
    with pytest.raises(ValidationError):
        services.cancel_session(session=session, by=world.people["care_office"], reason=" ")
    session = services.cancel_session(session=session, by=world.people["care_office"], reason="Ziekte.")
    assert session.status == DialogueSession.Status.CANCELLED and session.cancel_reason == "Ziekte."


def test_the_agenda_takes_sections_findings_and_the_councils_points(world):
    submission = submitted_plan(world)
    session = start_session(world, submission)
    session = selectors.get_session_for_user(world.people["care_office"], session.pk)
    sections = services.agenda_sections(session)
    findings = services.agenda_findings(session)
    assert sections
    items = services.add_agenda_items(session=session, by=world.people["care_office"],
                                      section_keys=[sections[0][0]], finding_keys=[k for k, _r, _m in findings][:1])
    assert [i.kind for i in items] == ["section", "finding"][:len(items)]
    point = services.add_agenda_items(session=session, by=world.people["council_member"], title="Meer buiten zijn",
                                      text="Bewoners willen elke dag naar buiten.")
    assert point[0].kind == "council_point" and point[0].council == world.client_council
    assert point[0].order > items[-1].order
    with pytest.raises(ValidationError):
        services.add_agenda_items(session=session, by=world.people["council_member"],
                                  section_keys=[sections[0][0]])


def test_a_member_of_a_council_not_invited_adds_no_point(world):
    session = start_session(world)
    with pytest.raises(PermissionDenied):
        services.add_agenda_items(session=session, by=world.people["works_council_member"], title="Punt")


def test_agreements_are_recorded_by_the_care_office_and_tracked_by_the_organisation(world):
    session = held_session(world)
    with pytest.raises(ValidationError) as raised:
        services.record_agreement(session=session, by=world.people["care_office"], title="", owner="", due_date=None)
    assert set(raised.value.error_dict) == {"title", "owner", "due_date"}
    agreement = services.record_agreement(session=session, by=world.people["care_office"], title="Elke dag naar buiten",
                                          owner="Teamleider", due_date=timezone.localdate() + timedelta(days=60))
    assert _inbox(world.people["council_member"], "agreement_recorded").exists()
    with pytest.raises(PermissionDenied):
        services.update_agreement(agreement=agreement, by=world.people["care_office"], status="done")
    with pytest.raises(PermissionDenied):
        services.update_agreement(agreement=agreement, by=world.people["council_member"], status="done")
    updated = services.update_agreement(agreement=agreement, by=world.people["quality"], status="in_progress",
                                        status_note="De eerste weken lopen goed.")
    assert updated.status == "in_progress" and updated.updated_by == world.people["quality"]
    assert _inbox(world.people["care_office"], "agreement_updated").exists()
    reworded = services.update_agreement(agreement=agreement, by=world.people["care_office"], owner="Bestuurder")
    assert reworded.owner == "Bestuurder"


def test_last_years_agreements_show_on_next_years_plan(world):
    from samenplan.plans import services as plan_services

    session = held_session(world)
    open_one = agreement_row(world, session, title="Open afspraak")
    agreement_row(world, session, title="Lang geleden klaar", status=Agreement.Status.DONE)
    Agreement.objects.filter(title="Lang geleden klaar").update(updated_at=timezone.now() - timedelta(days=400))
    next_plan = plan_services.create_plan(organisation=world.organisation, year=2028,
                                          framework=world.plan.framework, by=world.people["quality"])
    panel = selectors.plan_panel(next_plan)
    assert panel["agreements"] == []
    assert [a.pk for a in panel["earlier_agreements"]] == [open_one.pk]


def test_invitations_go_out_by_e_mail_too(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start_session(world)
    invited = {world.people[p].email for p in ("board", "council_member", "council_secretary")}
    subjects = {m.to[0]: m.subject for m in mailoutbox if "Uitnodiging" in m.subject}
    assert invited <= set(subjects)
    assert subjects[world.people["board"].email] == ("Uitnodiging: dialoogsessie met Zorgkantoor Rivierenland over "
                                                     "het kwaliteitsplan 2027")
    assert world.people["works_council_member"].email not in subjects
    assert world.people["care_office"].email not in subjects  # the one who invites is not told


def test_a_party_invited_later_gets_its_e_mail_then(world, mailoutbox, django_capture_on_commit_callbacks):
    var_member = UserFactory(username="var-lid", email="var-lid@example.nl")
    add_membership(user=var_member, role=Role.COUNCIL_MEMBER, council=world.nursing_council)
    session = start_session(world, invite={"invite_board": True, "invite_council_ids": [world.client_council.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_parties(session=session, by=world.people["care_office"],
                                invite_council_ids=[world.nursing_council.pk])
    assert [m.to for m in mailoutbox] == [["var-lid@example.nl"]]
    assert _inbox(var_member, "dialogue_invited").count() == 1
