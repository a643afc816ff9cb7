"""Consent by the councils, adoption and the state machine, through the services (issue 5).

Each test starts from the test world: `ready_for_consent` completes the plan, freezes it and has
two network peers review it, so only the consent round stands between the plan and adoption.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import first_broken_link
from samenplan.consent import services
from samenplan.consent.models import Adoption, ConsentCondition, ConsentDecision, ConsentRequest, LcvvRequest
from samenplan.consent.selectors import draft_state, is_stale, plan_findings
from samenplan.consent.services import DecisionAlreadyRecorded, TransitionRefused
from samenplan.consent.tests.helpers import complete_plan, reviewed_by_two_peers
from samenplan.organisations.models import Council
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

pytestmark = pytest.mark.shared_world

Status = QualityPlan.Status
Decision = ConsentDecision.Decision


def codes(findings):
    return [(f.rule, f.code) for f in findings]


def blocking_codes(plan):
    from samenplan.compliance import blocking

    return codes(blocking(plan_findings(plan)[2]))


def today():
    return timezone.localdate()


def reload(plan):
    return QualityPlan.objects.get(pk=plan.pk)


@pytest.fixture
def ready_for_consent(world, quality):
    """The world's plan, complete, frozen as version 3 and reviewed by two network peers."""
    complete_plan(world.plan, quality)
    version = plan_services.freeze_version(plan=world.plan, by=quality, note="Compleet")
    reviewed_by_two_peers(world, version)
    return version


def ask_consent(world, quality, **kwargs) -> dict:
    """Sends the plan to the councils; the new requests by council."""
    requests = services.request_consent(plan=world.plan, by=quality, **kwargs)
    return {request.council_id: request for request in requests}


def decide(request, by, decision=Decision.GRANTED, **kwargs):
    kwargs.setdefault("meeting_date", today())
    if decision == Decision.REFUSED:
        kwargs.setdefault("reasons", "Te weinig aandacht voor de nachtzorg.")
    return services.record_consent_decision(request=request, by=by, decision=decision, **kwargs)


@pytest.fixture
def both_granted(world, quality, ready_for_consent, var_secretary):
    requests = ask_consent(world, quality)
    decide(requests[world.client_council.pk], world.people["council_secretary"])
    decide(requests[world.nursing_council.pk], var_secretary)
    return requests


# --- The whole path ---------------------------------------------------------------------------


def test_the_whole_path_ends_adopted_with_the_latest_version(world, quality, board, ready_for_consent,
                                                             var_secretary):
    start = AuditEvent.objects.order_by("-sequence").first().sequence
    requests = ask_consent(world, quality)
    assert reload(world.plan).status == Status.CONSENT
    assert set(requests) == {world.client_council.pk, world.nursing_council.pk}
    assert all(r.version == ready_for_consent for r in requests.values())
    assert all(r.respond_by == today() + timedelta(weeks=6) for r in requests.values())

    decide(requests[world.client_council.pk], world.people["council_secretary"], Decision.GRANTED_WITH_CONDITIONS,
           conditions=[{"text": "Elke maand een gesprek over het eten.", "owner": "Teamleider De Linde"}])
    decide(requests[world.nursing_council.pk], var_secretary)
    adoption = services.adopt_plan(plan=world.plan, by=board)

    assert adoption.version == ready_for_consent
    assert adoption.adopted_by == board
    assert reload(world.plan).status == Status.ADOPTED
    assert Adoption.objects.filter(plan=world.plan).count() == 1
    events = list(AuditEvent.objects.filter(sequence__gt=start).order_by("sequence"))
    assert [e.kind for e in events] == [
        AuditEvent.Kind.CONSENT_REQUESTED, AuditEvent.Kind.CONSENT_REQUESTED, AuditEvent.Kind.PLAN_TRANSITIONED,
        AuditEvent.Kind.CONSENT_DECIDED, AuditEvent.Kind.CONSENT_DECIDED, AuditEvent.Kind.PLAN_ADOPTED,
    ]
    assert events[2].data == {"from": "draft", "to": "consent", "note": "", "number": 3}
    assert events[5].data == {"from": "consent", "to": "adopted", "note": "", "number": 3}
    assert events[5].actor == board and events[5].version_sha256 == ready_for_consent.sha256
    assert {e.data["council"] for e in events[:2]} == {"Centrale cliëntenraad", "VAR"}
    assert first_broken_link() is None


def test_the_steps_before_consent_are_in_the_audit_trail(world, quality, ready_for_consent):
    kinds = set(AuditEvent.objects.filter(plan_id=world.plan.pk).values_list("kind", flat=True))
    assert {AuditEvent.Kind.PLAN_CREATED, AuditEvent.Kind.VERSION_FROZEN, AuditEvent.Kind.VERSION_SHARED,
            AuditEvent.Kind.COMMENT_ADDED, AuditEvent.Kind.TOP_POINTS_RECORDED, AuditEvent.Kind.PEER_REVIEW_INVITED,
            AuditEvent.Kind.PEER_REVIEW_SUBMITTED} <= kinds


def test_the_plan_may_go_to_peer_review_first(world, quality):
    plan = services.transition_plan(plan=world.plan, to=Status.PEER_REVIEW, by=quality)
    assert plan.status == Status.PEER_REVIEW
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.kind, event.data["to"]) == (AuditEvent.Kind.PLAN_TRANSITIONED, "peer_review")


def test_an_unknown_phase_is_refused(world, quality):
    with pytest.raises(ValidationError):
        services.transition_plan(plan=world.plan, to="somewhere", by=quality)


def test_a_step_the_state_machine_does_not_know_is_refused(world, board):
    with pytest.raises(TransitionRefused) as refused:
        services.transition_plan(plan=world.plan, to=Status.ADOPTED, by=board)
    assert "kan niet naar" in refused.value.message
    assert reload(world.plan).status == Status.DRAFT


# --- Adoption ---------------------------------------------------------------------------------


def test_adoption_is_refused_with_the_exact_blocking_findings(world, quality, board, var_secretary):
    complete_plan(world.plan, quality)
    plan_services.freeze_version(plan=world.plan, by=quality)
    requests = ask_consent(world, quality)  # no peer reviews: consent may be asked without them
    decide(requests[world.client_council.pk], world.people["council_secretary"])

    with pytest.raises(TransitionRefused) as refused:
        services.adopt_plan(plan=world.plan, by=board)

    assert codes(refused.value.findings) == [("R1", "consent-pending"), ("R8", "peer-reviews-missing")]
    assert refused.value.findings[0].message == "VAR heeft nog geen besluit genomen."
    assert reload(world.plan).status == Status.CONSENT
    assert not Adoption.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_ADOPTED).exists()


def test_warnings_do_not_stop_adoption(world, board, both_granted):
    findings = plan_findings(reload(world.plan))[2]
    # The world's open comment and uncovered top-3 point only warn.
    assert codes(findings) == [("R27", "comments-open"), ("R21", "top-point-not-covered")]
    assert services.adopt_plan(plan=world.plan, by=board).plan == world.plan


@pytest.mark.parametrize("persona", ["quality", "location_manager", "council_secretary", "outsider"])
def test_only_a_board_member_may_adopt(world, both_granted, persona):
    with pytest.raises(PermissionDenied):
        services.adopt_plan(plan=world.plan, by=world.people[persona])
    with pytest.raises(PermissionDenied):
        services.transition_plan(plan=world.plan, to=Status.ADOPTED, by=world.people[persona])
    assert reload(world.plan).status == Status.CONSENT


def test_a_board_member_of_another_organisation_may_not_adopt(world, both_granted):
    stranger = UserFactory(username="other_board")
    add_membership(user=stranger, role=Role.BOARD, organisation=world.other_organisation)
    with pytest.raises(PermissionDenied):
        services.adopt_plan(plan=world.plan, by=stranger)


def test_an_adopted_version_is_not_adopted_twice(world, board, both_granted):
    services.adopt_plan(plan=world.plan, by=board)
    with pytest.raises(TransitionRefused):
        services.adopt_plan(plan=world.plan, by=board)
    assert Adoption.objects.count() == 1


def test_an_adopted_plan_cannot_be_edited(world, quality, board, both_granted):
    services.adopt_plan(plan=world.plan, by=board)
    with pytest.raises(PermissionDenied):
        plan_services.update_section(plan=reload(world.plan), key="wonen-en-welzijn", body="Anders.",
                                     base_revision=99, by=quality)


# --- Stale decisions --------------------------------------------------------------------------


def change_section(world, quality):
    section = world.plan.sections.get(key="wonen-en-welzijn")
    plan_services.update_section(plan=world.plan, key=section.key, body=section.body + " Ook in de winter.",
                                 base_revision=section.revision, by=quality)


def change_staffing(world, quality):
    plan_services.update_staffing(plan=world.plan, by=quality, reference_date=None, note="", rows=[
        {"location": loc, "level3_fte": 5, "level3_headcount": 6}
        for loc in world.organisation.locations.filter(is_active=True)])


def change_action(world, quality):
    plan_services.save_action(plan=world.plan, location=world.location, by=quality, action=world.action,
                              title="Samen koken en eten op de afdeling")


@pytest.mark.parametrize("change", [change_section, change_staffing, change_action])
def test_any_content_change_makes_the_decisions_stale(world, quality, board, both_granted, change):
    change(world, quality)
    _snapshot, sha256 = draft_state(world.plan)
    assert all(is_stale(ConsentRequest.objects.get(pk=r.pk), sha256) for r in both_granted.values())

    with pytest.raises(TransitionRefused) as refused:
        services.adopt_plan(plan=world.plan, by=board)
    assert codes(refused.value.findings) == [
        ("R4", "unfrozen-changes"), ("R4", "consent-stale"), ("R4", "consent-stale")]

    # A new version does not bring the decisions back: the councils decide on the new text.
    plan_services.freeze_version(plan=world.plan, by=quality)
    assert blocking_codes(world.plan) == [("R4", "consent-stale"), ("R4", "consent-stale")]
    assert not Adoption.objects.exists()


def test_a_decision_on_the_current_content_is_not_stale(world, both_granted):
    _snapshot, sha256 = draft_state(world.plan)
    assert not any(is_stale(ConsentRequest.objects.get(pk=r.pk), sha256) for r in both_granted.values())
    assert not is_stale(ConsentRequest.objects.get(pk=world.consent_request.pk), sha256)  # no decision at all


def test_after_a_change_a_new_consent_round_leads_to_adoption(world, quality, board, both_granted, var_secretary):
    change_section(world, quality)
    new_version = plan_services.freeze_version(plan=world.plan, by=quality)
    reviewed = services.request_consent(plan=world.plan, by=quality)
    requests = {r.council_id: r for r in reviewed}
    assert {r.version for r in reviewed} == {new_version}
    assert len(requests) == 2

    decide(requests[world.client_council.pk], world.people["council_secretary"])
    assert blocking_codes(world.plan) == [("R1", "consent-pending")]
    decide(requests[world.nursing_council.pk], var_secretary)
    assert services.adopt_plan(plan=world.plan, by=board).version == new_version


# --- Refusal, and the LCvV --------------------------------------------------------------------


def test_a_refusal_sends_the_plan_back_to_draft(world, quality, ready_for_consent, var_secretary):
    requests = ask_consent(world, quality)
    decide(requests[world.client_council.pk], world.people["council_secretary"])
    decision = decide(requests[world.nursing_council.pk], var_secretary, Decision.REFUSED)

    assert decision.decision == Decision.REFUSED
    assert decision.version_sha256 == ready_for_consent.sha256
    assert reload(world.plan).status == Status.DRAFT
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.kind == AuditEvent.Kind.PLAN_TRANSITIONED
    assert event.data == {"from": "consent", "to": "draft", "note": "", "number": 3, "because": "refused",
                          "council": "VAR"}
    assert ("R5", "consent-refused") in blocking_codes(world.plan)


def test_a_refusal_needs_reasons(world, quality, ready_for_consent, var_secretary):
    requests = ask_consent(world, quality)
    with pytest.raises(ValidationError) as error:
        decide(requests[world.nursing_council.pk], var_secretary, Decision.REFUSED, reasons="  ")
    assert "reasons" in error.value.message_dict
    assert reload(world.plan).status == Status.CONSENT


def refused_decision(world, quality, var_secretary):
    requests = ask_consent(world, quality)
    decide(requests[world.client_council.pk], world.people["council_secretary"])
    return decide(requests[world.nursing_council.pk], var_secretary, Decision.REFUSED,
                  meeting_date=today() - timedelta(days=10))


def test_substitute_consent_of_the_lcvv_lifts_the_refusal(world, quality, board, ready_for_consent, var_secretary):
    decision = refused_decision(world, quality, var_secretary)
    lcvv = services.record_lcvv_request(decision=decision, by=quality, submitted_on=today() - timedelta(days=5),
                                        outcome=LcvvRequest.Outcome.PENDING)
    assert lcvv.outcome == LcvvRequest.Outcome.PENDING
    assert ("R5", "consent-refused") in blocking_codes(world.plan)

    services.record_lcvv_request(decision=decision, by=quality, submitted_on=today() - timedelta(days=5),
                                 outcome=LcvvRequest.Outcome.SUBSTITUTE_CONSENT, outcome_on=today())
    assert LcvvRequest.objects.count() == 1
    assert blocking_codes(world.plan) == []
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LCVV_RECORDED).count() == 2

    # The refused plan went back to draft; with the ruling it returns to consent and is adopted.
    services.transition_plan(plan=world.plan, to=Status.CONSENT, by=quality)
    assert services.adopt_plan(plan=world.plan, by=board).version == ready_for_consent


def test_a_rejected_lcvv_request_keeps_the_refusal(world, quality, ready_for_consent, var_secretary):
    decision = refused_decision(world, quality, var_secretary)
    services.record_lcvv_request(decision=decision, by=quality, submitted_on=today() - timedelta(days=5),
                                 outcome=LcvvRequest.Outcome.REJECTED, outcome_on=today())
    assert ("R5", "consent-refused") in blocking_codes(world.plan)


def test_an_lcvv_request_only_follows_a_refusal(world, quality, both_granted):
    decision = ConsentDecision.objects.get(request=both_granted[world.nursing_council.pk])
    with pytest.raises(ValidationError) as error:
        services.record_lcvv_request(decision=decision, by=quality, submitted_on=today(),
                                     outcome=LcvvRequest.Outcome.PENDING)
    assert "decision" in error.value.message_dict
    assert not LcvvRequest.objects.exists()


def test_an_lcvv_request_checks_its_dates(world, quality, ready_for_consent, var_secretary):
    decision = refused_decision(world, quality, var_secretary)
    with pytest.raises(ValidationError) as error:
        services.record_lcvv_request(decision=decision, by=quality, submitted_on=today() - timedelta(days=20),
                                     outcome=LcvvRequest.Outcome.SUBSTITUTE_CONSENT)
    assert set(error.value.message_dict) == {"submitted_on", "outcome_on"}


def test_only_the_organisation_records_an_lcvv_request(world, quality, ready_for_consent, var_secretary):
    decision = refused_decision(world, quality, var_secretary)
    with pytest.raises(PermissionDenied):
        services.record_lcvv_request(decision=decision, by=var_secretary, submitted_on=today(),
                                     outcome=LcvvRequest.Outcome.PENDING)


# --- Recording a decision ---------------------------------------------------------------------


def test_a_condition_is_tracked_per_condition_with_its_owner(world, quality, ready_for_consent):
    requests = ask_consent(world, quality)
    decision = decide(requests[world.client_council.pk], world.people["council_secretary"],
                      Decision.GRANTED_WITH_CONDITIONS, conditions=[
                          {"text": "Elke maand een gesprek over het eten.", "owner": "Teamleider De Linde"},
                          {"text": "", "owner": ""},  # an empty row of the form is left out
                          {"text": "Een vaste kok in het weekend.", "owner": "Manager facilitair"}])

    conditions = list(decision.conditions.order_by("order"))
    assert [(c.text, c.owner, c.order, c.status) for c in conditions] == [
        ("Elke maand een gesprek over het eten.", "Teamleider De Linde", 1, ConsentCondition.Status.OPEN),
        ("Een vaste kok in het weekend.", "Manager facilitair", 2, ConsentCondition.Status.OPEN),
    ]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CONSENT_DECIDED).last().data["conditions"] == 2


def test_open_conditions_warn_until_they_are_met(world, quality, ready_for_consent):
    requests = ask_consent(world, quality)
    decision = decide(requests[world.client_council.pk], world.people["council_secretary"],
                      Decision.GRANTED_WITH_CONDITIONS,
                      conditions=[{"text": "Elke maand een gesprek over het eten.", "owner": "Teamleider"}])
    assert ("R7", "conditions-open") in codes(plan_findings(world.plan)[2])

    services.update_condition(condition=decision.conditions.get(), by=quality, status=ConsentCondition.Status.MET,
                              action=world.action)
    assert ("R7", "conditions-open") not in codes(plan_findings(world.plan)[2])
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CONDITION_UPDATED).exists()


@pytest.mark.parametrize("conditions", [[], [{"text": "Een vaste kok.", "owner": ""}],
                                        [{"text": "", "owner": "Teamleider"}]])
def test_each_condition_needs_a_text_and_an_owner(world, quality, ready_for_consent, conditions):
    requests = ask_consent(world, quality)
    with pytest.raises(ValidationError) as error:
        decide(requests[world.client_council.pk], world.people["council_secretary"],
               Decision.GRANTED_WITH_CONDITIONS, conditions=conditions)
    assert "conditions" in error.value.message_dict
    assert not ConsentDecision.objects.exists()


def test_a_decision_needs_a_meeting_date_in_the_past(world, quality, ready_for_consent):
    requests = ask_consent(world, quality)
    secretary = world.people["council_secretary"]
    for meeting_date in (None, today() + timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            decide(requests[world.client_council.pk], secretary, meeting_date=meeting_date)
        assert "meeting_date" in error.value.message_dict


def test_only_members_of_the_council_are_recorded_as_present(world, quality, ready_for_consent):
    requests = ask_consent(world, quality)
    request, secretary = requests[world.client_council.pk], world.people["council_secretary"]
    with pytest.raises(ValidationError) as error:
        decide(request, secretary, present_ids=[world.people["works_council_member"].pk])
    assert "present" in error.value.message_dict

    decision = decide(request, secretary, present_ids=[world.people["council_member"].pk, secretary.pk])
    assert set(decision.present.all()) == {world.people["council_member"], secretary}


@pytest.mark.parametrize("persona", ["council_member", "quality", "board", "works_council_member"])
def test_only_the_councils_secretary_records_its_decision(world, quality, ready_for_consent, persona):
    requests = ask_consent(world, quality)
    with pytest.raises(PermissionDenied):
        decide(requests[world.client_council.pk], world.people[persona])


def test_the_secretary_of_one_council_does_not_decide_for_another(world, quality, ready_for_consent, var_secretary):
    requests = ask_consent(world, quality)
    with pytest.raises(PermissionDenied):
        decide(requests[world.client_council.pk], var_secretary)
    with pytest.raises(PermissionDenied):
        decide(requests[world.nursing_council.pk], world.people["council_secretary"])


def test_a_second_decision_on_one_request_is_refused(world, quality, ready_for_consent):
    requests = ask_consent(world, quality)
    request, secretary = requests[world.client_council.pk], world.people["council_secretary"]
    first = decide(request, secretary)
    with pytest.raises(DecisionAlreadyRecorded) as already:
        decide(request, secretary, Decision.REFUSED)
    assert already.value.decision == first
    assert ConsentDecision.objects.get(request=request).decision == Decision.GRANTED


# --- Asking for consent -----------------------------------------------------------------------


def test_consent_is_asked_only_for_a_frozen_complete_plan(world, quality):
    with pytest.raises(TransitionRefused) as refused:
        services.request_consent(plan=world.plan, by=quality)
    assert {f.rule for f in refused.value.findings} >= {"R13", "R14", "R15"}

    complete_plan(world.plan, quality)
    with pytest.raises(TransitionRefused) as refused:
        services.request_consent(plan=world.plan, by=quality)
    assert codes(refused.value.findings) == [("R4", "unfrozen-changes")]
    assert reload(world.plan).status == Status.DRAFT


def test_the_works_council_stands_in_for_a_missing_nursing_council(world, quality, board):
    world.nursing_consent_request.delete()
    world.nursing_council.delete()
    complete_plan(world.plan, quality)
    version = plan_services.freeze_version(plan=world.plan, by=quality)
    reviewed_by_two_peers(world, version)

    requests = ask_consent(world, quality)

    assert set(requests) == {world.client_council.pk, world.works_council.pk}
    assert requests[world.works_council.pk].stands_in_for_nursing_council is True
    assert requests[world.client_council.pk].stands_in_for_nursing_council is False
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CONSENT_REQUESTED, data__council="OR")
    assert event.data["stands_in"] is True
    assert ("R3", "works-council-stands-in") in codes(plan_findings(world.plan)[2])
    assert blocking_codes(world.plan) == [("R1", "consent-pending"), ("R1", "consent-pending")]

    works_secretary = UserFactory(username="or_secretary")
    add_membership(user=works_secretary, role=Role.COUNCIL_SECRETARY, council=world.works_council)
    decide(requests[world.client_council.pk], world.people["council_secretary"])
    decide(requests[world.works_council.pk], works_secretary)
    assert services.adopt_plan(plan=world.plan, by=board).version == version


def test_the_works_council_may_be_added_without_being_required(world, quality, board, ready_for_consent,
                                                              var_secretary):
    requests = ask_consent(world, quality, include_works_council=True)
    assert set(requests) == {world.client_council.pk, world.nursing_council.pk, world.works_council.pk}
    assert requests[world.works_council.pk].stands_in_for_nursing_council is False

    decide(requests[world.client_council.pk], world.people["council_secretary"])
    decide(requests[world.nursing_council.pk], var_secretary)
    # The works council may still be deciding: its consent is not required.
    assert services.adopt_plan(plan=world.plan, by=board).version == ready_for_consent


def test_a_central_client_council_is_asked_instead_of_local_ones(world, quality, ready_for_consent):
    local = Council.objects.create(organisation=world.organisation, location=world.location,
                                   kind=Council.Kind.CLIENT_COUNCIL, name="Cliëntenraad De Linde")
    requests = ask_consent(world, quality)
    assert local.pk not in requests
    assert set(requests) == {world.client_council.pk, world.nursing_council.pk}


def test_a_response_date_in_the_past_is_refused_when_asking(world, quality, ready_for_consent):
    with pytest.raises(ValidationError) as error:
        services.request_consent(plan=world.plan, by=quality, respond_by=today())
    assert "respond_by" in error.value.message_dict
    assert reload(world.plan).status == Status.DRAFT
    assert not ConsentRequest.objects.filter(version=ready_for_consent).exists()


def test_the_councils_may_read_the_version_they_are_asked_about(world, quality, ready_for_consent):
    requests = ask_consent(world, quality, respond_by=today() + timedelta(days=30))
    assert requests[world.client_council.pk].respond_by == today() + timedelta(days=30)
    assert world.people["council_member"].has_perm("plans.view_version", ready_for_consent)


def test_change_respond_by_refuses_a_past_date(world, quality):
    request = world.consent_request
    before = request.respond_by
    for past in (today() - timedelta(days=1), today()):
        with pytest.raises(ValidationError) as error:
            services.change_respond_by(request=request, by=quality, respond_by=past)
        assert "respond_by" in error.value.message_dict
    assert ConsentRequest.objects.get(pk=request.pk).respond_by == before


def test_change_respond_by_moves_the_date_and_records_it(world, quality):
    later = today() + timedelta(weeks=8)
    services.change_respond_by(request=world.consent_request, by=quality, respond_by=later)
    assert ConsentRequest.objects.get(pk=world.consent_request.pk).respond_by == later
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.kind == AuditEvent.Kind.CONSENT_DEADLINE_CHANGED and event.data["after"] == later.isoformat()


def test_only_the_organisation_changes_the_respond_by_date(world):
    with pytest.raises(PermissionDenied):
        services.change_respond_by(request=world.consent_request, by=world.people["council_secretary"],
                                   respond_by=today() + timedelta(weeks=8))


def test_going_back_to_draft_is_never_blocked(world, quality, ready_for_consent):
    ask_consent(world, quality)
    assert blocking_codes(world.plan) == [("R1", "consent-pending"), ("R1", "consent-pending")]
    assert services.transition_plan(plan=world.plan, to=Status.DRAFT, by=quality).status == Status.DRAFT


# --- A revision after adoption ----------------------------------------------------------------


def test_a_revision_after_adoption_needs_a_new_consent_round(world, quality, board, both_granted, var_secretary):
    first = services.adopt_plan(plan=world.plan, by=board)

    plan = services.transition_plan(plan=world.plan, to=Status.DRAFT, by=quality, note="Herziening")
    assert plan.status == Status.DRAFT
    change_section(world, quality)
    revision = plan_services.freeze_version(plan=world.plan, by=quality, note="Herziening")
    assert revision.plan.year == 2027 and revision.number == first.version.number + 1

    _snapshot, sha256 = draft_state(world.plan)
    assert all(is_stale(ConsentRequest.objects.get(pk=r.pk), sha256) for r in both_granted.values())
    with pytest.raises(TransitionRefused):
        services.adopt_plan(plan=world.plan, by=board)  # a draft is not adopted
    assert blocking_codes(world.plan) == [("R4", "consent-stale"), ("R4", "consent-stale")]

    requests = ask_consent(world, quality)
    assert {r.version for r in requests.values()} == {revision}
    decide(requests[world.client_council.pk], world.people["council_secretary"])
    decide(requests[world.nursing_council.pk], var_secretary)
    second = services.adopt_plan(plan=world.plan, by=board)

    assert second.version == revision
    assert list(Adoption.objects.filter(plan=world.plan).order_by("adopted_at").values_list("version", flat=True)) == [
        first.version.pk, revision.pk]
    assert reload(world.plan).status == Status.ADOPTED
    assert first_broken_link() is None
