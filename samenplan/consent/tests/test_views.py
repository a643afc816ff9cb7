"""The consent pages: sending a version to the councils, the council's decision, adoption."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent import services
from samenplan.consent.models import Adoption, ConsentCondition, ConsentDecision, ConsentRequest, LcvvRequest
from samenplan.core.tests.world import login
from samenplan.organisations.models import Council
from samenplan.organisations.tests.factories import CouncilFactory
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

from .helpers import complete_plan, reviewed_by_two_peers

pytestmark = pytest.mark.shared_world

Status = QualityPlan.Status


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def ready(world, quality):
    """The world's plan complete, frozen as version 3 and reviewed by two peers: ready for consent."""
    complete_plan(world.plan, quality)
    version = plan_services.freeze_version(plan=world.plan, by=quality, note="Voor de raden")
    reviewed_by_two_peers(world, version)
    return version


@pytest.fixture
def in_consent(world, quality, ready):
    """Version 3 sent to the client council and the VAR; returns the requests by council."""
    requests = services.request_consent(plan=world.plan, by=quality)
    return {r.council_id: r for r in requests}


def _decide(client, consent_request, **data):
    """The decision form sent with the confirmation given (the two steps: test_confirmations.py)."""
    payload = {"decision": "granted", "meeting_date": _days(-1).isoformat(), "reasons": "", "present_note": "",
               "confirmed": "1"}
    payload.update(data)
    return client.post(reverse("consent:request", args=[consent_request.pk]), payload)


def _grant_all(world, requests, var_secretary):
    secretaries = {world.client_council.pk: world.people["council_secretary"], world.nursing_council.pk: var_secretary}
    for council_id, consent_request in requests.items():
        services.record_consent_decision(request=consent_request, by=secretaries[council_id], decision="granted",
                                         meeting_date=_days(-1))


# --- The overview ---------------------------------------------------------------------------------


def test_overview_shows_each_council_with_its_request_and_the_form(world, client, quality):
    login(client, quality)
    response = client.get(reverse("consent:overview", args=[world.plan.pk]))
    text = _text(response)
    assert response.status_code == 200
    assert f'id="raad-{world.client_council.pk}"' in text
    assert f'id="raad-{world.nursing_council.pk}"' in text
    assert world.version.short_hash in text
    assert "Nog geen besluit" in text
    assert "Voorleggen aan de raden" in text
    assert f'value="{_days(42).isoformat()}"' in text  # six weeks from today, editable
    # The OR is not required here (there is a VAR), so it can be added.
    assert "Vraag ook de ondernemingsraad (OR) om instemming" in text


def test_overview_marks_a_decision_on_other_content_as_stale(world, client, quality):
    services.record_consent_decision(request=world.consent_request, by=world.people["council_secretary"],
                                     decision="granted", meeting_date=_days(-1))
    login(client, quality)
    url = reverse("consent:overview", args=[world.plan.pk])
    assert "Verouderd" not in _text(client.get(url))

    plan_services.update_section(plan=world.plan, key="veiligheid", body="Iets nieuws.", base_revision=0, by=quality)
    text = _text(client.get(url))
    assert "Verouderd" in text
    assert "de raad moet opnieuw besluiten" in text


def test_overview_folds_earlier_rounds_and_offers_the_lcvv_after_a_refusal(world, client, quality, in_consent,
                                                                             var_secretary):
    refused = in_consent[world.nursing_council.pk]
    services.record_consent_decision(request=refused, by=var_secretary, decision="refused", meeting_date=_days(-1),
                                     reasons="Te weinig handen aan het bed.")
    login(client, quality)
    text = _text(client.get(reverse("consent:overview", args=[world.plan.pk])))
    assert "<details>" in text and "1 eerdere ronde van VAR" in text
    assert "Te weinig handen aan het bed." in text
    assert reverse("consent:lcvv", args=[refused.pk]) in text


def test_the_works_council_standing_in_for_a_var_is_told_what_it_judges(world, client, quality):
    """Without a VAR/PAR the OR is asked in its place (KK footnote)."""
    ConsentRequest.objects.filter(council=world.nursing_council).delete()
    Council.objects.filter(pk=world.nursing_council.pk).delete()
    login(client, quality)
    text = _text(client.get(reverse("consent:overview", args=[world.plan.pk])))
    assert "OR — in plaats van een VAR/PAR" in text
    assert "De ondernemingsraad kijkt dan naar de inhoud van de zorg" in text
    assert "Vraag ook de ondernemingsraad (OR) om instemming" not in text


# --- Moving the plan --------------------------------------------------------------------------------


def test_a_response_date_in_the_past_is_refused_on_the_form_with_what_was_typed(world, client, quality, ready):
    login(client, quality)
    response = client.post(reverse("consent:transition", args=[world.plan.pk]),
                           {"to": "consent", "respond_by": "2020-01-01", "note": "Graag snel"})
    text = _text(response)
    assert response.status_code == 400
    assert "Kies een datum in de toekomst." in text
    assert 'value="2020-01-01"' in text
    assert "Graag snel" in text
    assert not ConsentRequest.objects.filter(version=ready).exists()


def test_a_date_that_is_no_date_is_refused(world, client, quality, ready):
    login(client, quality)
    response = client.post(reverse("consent:transition", args=[world.plan.pk]),
                           {"to": "consent", "respond_by": "morgen"})
    assert response.status_code == 400
    assert 'value="morgen"' in _text(response)


def test_sending_to_the_councils_creates_a_request_per_required_council(world, client, quality, ready):
    login(client, quality)
    response = client.post(reverse("consent:transition", args=[world.plan.pk]),
                           {"to": "consent", "respond_by": _days(50).isoformat()})
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:overview", args=[world.plan.pk])
    requests = ConsentRequest.objects.filter(version=ready)
    assert {r.council_id for r in requests} == {world.client_council.pk, world.nursing_council.pk}
    assert {r.respond_by for r in requests} == {_days(50)}
    world.plan.refresh_from_db()
    assert world.plan.status == Status.CONSENT


def test_the_works_council_can_be_added(world, client, quality, ready):
    login(client, quality)
    client.post(reverse("consent:transition", args=[world.plan.pk]),
                {"to": "consent", "respond_by": _days(50).isoformat(), "include_works_council": "on"})
    assert ConsentRequest.objects.filter(version=ready, council=world.works_council).exists()


def test_an_incomplete_plan_cannot_go_to_the_councils_and_the_page_says_why(world, client, quality):
    login(client, quality)
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "consent"})
    text = _text(response)
    assert response.status_code == 409
    assert "Het plan kan nog niet naar de raden" in text
    assert reverse("plans:profile", args=[world.plan.pk]) in text  # a finding links to where it is fixed
    assert "Terug naar het plan" in text
    world.plan.refresh_from_db()
    assert world.plan.status == Status.DRAFT


def test_the_board_cannot_adopt_an_incomplete_plan_and_sees_the_blocking_findings(world, client, quality,
                                                                                  in_consent):
    login(client, world.people["board"])
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "adopted"})
    text = _text(response)
    assert response.status_code == 409
    assert "Het plan kan nog niet worden vastgesteld" in text
    # Neither council has consented yet: each is named, with a link to its place on the overview.
    for council in (world.client_council, world.nursing_council):
        assert reverse("consent:overview", args=[world.plan.pk]) + f"#raad-{council.pk}" in text
    assert not Adoption.objects.exists()


def test_the_board_adopts_a_plan_every_council_consented_to(world, client, in_consent, var_secretary):
    _grant_all(world, in_consent, var_secretary)
    login(client, world.people["board"])
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "adopted"})
    assert response.status_code == 302
    assert response["Location"] == world.plan.get_absolute_url()
    world.plan.refresh_from_db()
    assert world.plan.status == Status.ADOPTED
    assert Adoption.objects.get(plan=world.plan).adopted_by == world.people["board"]
    assert "Het plan is vastgesteld." in _text(client.get(response["Location"]))


def test_only_the_board_adopts(world, client, quality, in_consent, var_secretary):
    _grant_all(world, in_consent, var_secretary)
    login(client, quality)
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "adopted"})
    assert response.status_code == 403


def test_a_location_manager_cannot_move_the_plan(world, client):
    login(client, world.people["location_manager"])
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "peer_review"})
    assert response.status_code == 403


def test_an_unknown_phase_is_a_message_not_an_error(world, client, quality):
    login(client, quality)
    response = client.post(reverse("consent:transition", args=[world.plan.pk]), {"to": "gepubliceerd"})
    assert response.status_code == 400
    assert "Onbekende fase." in _text(response)


def test_the_transition_page_takes_only_post(world, client, quality):
    login(client, quality)
    assert client.get(reverse("consent:transition", args=[world.plan.pk])).status_code == 405


# --- The council's page and its decision -----------------------------------------------------------


def test_a_council_member_reads_the_request_without_the_decision_form(world, client):
    login(client, world.people["council_member"])
    response = client.get(reverse("consent:request", args=[world.consent_request.pk]))
    text = _text(response)
    assert response.status_code == 200
    assert "Zorggroep De Linde vraagt uw raad om in te stemmen met het kwaliteitsplan 2027." in text
    assert world.version.short_hash in text
    assert reverse("plans:version", args=[world.version.pk]) in text
    assert reverse("plans:version_pdf", args=[world.version.pk]) in text
    assert "Besluit vastleggen" not in text


def test_the_secretary_gets_the_form_with_the_members_and_five_condition_rows(world, client):
    member = world.people["council_member"]
    login(client, world.people["council_secretary"])
    text = _text(client.get(reverse("consent:request", args=[world.consent_request.pk])))
    assert "Besluit vastleggen" in text
    assert f'name="present" value="{member.pk}"' in text
    assert 'name="condition_5_text"' in text and 'name="condition_6_text"' not in text


def test_the_secretary_records_a_decision_with_conditions(world, client):
    secretary, member = world.people["council_secretary"], world.people["council_member"]
    login(client, secretary)
    response = _decide(client, world.consent_request, decision="granted_with_conditions",
                       present=[member.pk, secretary.pk], present_note="Mevrouw Bakker (ondersteuner)",
                       condition_1_text="Bewoners gaan elke dag naar buiten.", condition_1_owner="Teamleider",
                       condition_2_text="Een vaste kok per afdeling.", condition_2_owner="Locatiemanager")
    assert response.status_code == 302
    decision = ConsentDecision.objects.get(request=world.consent_request)
    assert decision.decision == "granted_with_conditions"
    assert decision.version_sha256 == world.version.sha256
    assert set(decision.present.all()) == {member, secretary}
    assert [(c.text, c.owner) for c in decision.conditions.all()] == [
        ("Bewoners gaan elke dag naar buiten.", "Teamleider"), ("Een vaste kok per afdeling.", "Locatiemanager")]
    text = _text(client.get(response["Location"]))
    assert "Het besluit is vastgelegd: instemming met voorwaarden." in text
    assert "Bewoners gaan elke dag naar buiten." in text


@pytest.mark.parametrize(("data", "message", "kept"), [
    ({"meeting_date": "", "reasons": "Goed plan, goed gelezen."}, "Vul de datum van de vergadering in.",
     "Goed plan, goed gelezen."),
    ({"meeting_date": "gisteren"}, "Voer een geldige datum in.", 'value="gisteren"'),
    ({"meeting_date": _days(3).isoformat()}, "De vergadering kan niet in de toekomst liggen.", None),
    ({"decision": "granted_with_conditions", "reasons": "Met twee wensen."},
     "Schrijf minstens één voorwaarde op, met wie ervoor zorgt.", "Met twee wensen."),
    ({"decision": "granted_with_conditions", "condition_1_text": "Vaker naar buiten.", "condition_1_owner": ""},
     "Schrijf bij elke voorwaarde wat er moet gebeuren en wie ervoor zorgt.", "Vaker naar buiten."),
    ({"decision": "refused", "reasons": "  ", "present_note": "Meneer Jansen"},
     "Schrijf op waarom de raad niet instemt.", "Meneer Jansen"),
    ({"decision": ""}, "Kies het besluit van de raad.", None),
    ({"decision": "granted", "condition_1_text": "Toch een voorwaarde", "condition_1_owner": "Iemand"},
     "Alleen bij „instemming met voorwaarden” horen voorwaarden.", "Toch een voorwaarde"),
])
def test_bad_decisions_are_refused_on_the_form_with_what_was_typed(world, client, data, message, kept):
    login(client, world.people["council_secretary"])
    response = _decide(client, world.consent_request, **data)
    text = _text(response)
    assert response.status_code == 400
    assert message in text
    assert "Er is iets niet goed ingevuld" in text
    if kept:
        assert kept in text
    assert not ConsentDecision.objects.filter(request=world.consent_request).exists()


def test_a_refusal_recorded_on_the_page_sends_the_plan_back_to_draft(world, client, in_consent, var_secretary):
    login(client, var_secretary)
    response = _decide(client, in_consent[world.nursing_council.pk], decision="refused",
                       reasons="Er staat niets in over de inzet van leerlingen.")
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == Status.DRAFT
    assert "Het plan gaat terug naar de organisatie" in _text(client.get(response["Location"]))


def test_a_second_decision_on_the_same_request_gets_a_clear_message(world, client, in_consent, var_secretary):
    consent_request = in_consent[world.nursing_council.pk]
    other = UserFactory(username="var_secretary_2", first_name="Sanne", last_name="Jansen")
    add_membership(user=other, role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    services.record_consent_decision(request=consent_request, by=other, decision="granted", meeting_date=_days(-2))

    login(client, var_secretary)
    response = _decide(client, consent_request, decision="refused", reasons="Niet goed genoeg.")
    text = _text(response)
    assert response.status_code == 409
    assert "De raad heeft hier al een besluit over vastgelegd op" in text
    assert "door Sanne Jansen" in text
    assert "Instemming" in text and "Besluit vastleggen" not in text
    assert ConsentDecision.objects.get(request=consent_request).decision == "granted"


def test_only_the_secretary_of_the_council_asked_records_its_decision(world, client, var_secretary):
    login(client, var_secretary)  # secretary of the VAR, not of the client council
    assert _decide(client, world.consent_request).status_code == 404
    login(client, world.people["council_member"])
    assert _decide(client, world.consent_request).status_code == 403


def test_the_council_gets_the_diff_between_what_it_decided_on_and_the_new_version(world, client, quality,
                                                                                  in_consent):
    old = in_consent[world.client_council.pk]
    services.record_consent_decision(request=old, by=world.people["council_secretary"], decision="granted",
                                     meeting_date=_days(-1))
    plan_services.update_section(plan=world.plan, key="veiligheid", body="Nieuw: we oefenen elke maand.",
                                 base_revision=world.plan.sections.get(key="veiligheid").revision, by=quality)
    newest = plan_services.freeze_version(plan=world.plan, by=quality)
    services.request_consent(plan=world.plan, by=quality)
    new_request = ConsentRequest.objects.get(version=newest, council=world.client_council)

    login(client, world.people["council_member"])
    diff = reverse("plans:version_diff", args=[newest.pk]) + f"?met={old.version_id}"
    text = _text(client.get(reverse("consent:request", args=[new_request.pk])))
    assert diff in text
    old_text = _text(client.get(reverse("consent:request", args=[old.pk])))
    assert reverse("consent:request", args=[new_request.pk]) in old_text  # the newer request is pointed out
    assert "Verouderd" in old_text
    assert client.get(diff).status_code == 200


# --- Response date, LCvV, conditions ---------------------------------------------------------------


def test_the_author_moves_the_response_date(world, client, quality):
    login(client, quality)
    url = reverse("consent:request_deadline", args=[world.consent_request.pk])
    response = client.post(url, {"respond_by": _days(70).isoformat()})
    assert response.status_code == 302
    world.consent_request.refresh_from_db()
    assert world.consent_request.respond_by == _days(70)


def test_a_response_date_in_the_past_stays_on_the_request_page(world, client, quality):
    login(client, quality)
    response = client.post(reverse("consent:request_deadline", args=[world.consent_request.pk]),
                           {"respond_by": "2021-03-04"})
    text = _text(response)
    assert response.status_code == 400
    assert "Kies een datum in de toekomst." in text
    assert 'value="2021-03-04"' in text


def test_a_council_member_cannot_move_the_response_date(world, client):
    login(client, world.people["council_member"])
    response = client.post(reverse("consent:request_deadline", args=[world.consent_request.pk]),
                           {"respond_by": _days(70).isoformat()})
    assert response.status_code == 403


@pytest.fixture
def refusal(world, in_consent, var_secretary):
    consent_request = in_consent[world.nursing_council.pk]
    services.record_consent_decision(request=consent_request, by=var_secretary, decision="refused",
                                     meeting_date=_days(-3), reasons="Te weinig personeel.")
    return consent_request


def test_the_lcvv_request_is_recorded_after_a_refusal(world, client, quality, refusal):
    login(client, quality)
    url = reverse("consent:lcvv", args=[refusal.pk])
    assert "Te weinig personeel." in _text(client.get(url))
    response = client.post(url, {"submitted_on": _days(-1).isoformat(), "outcome": "substitute_consent",
                                 "outcome_on": _days(0).isoformat(), "note": "Uitspraak per brief."})
    assert response.status_code == 302
    lcvv = LcvvRequest.objects.get(decision__request=refusal)
    assert lcvv.outcome == "substitute_consent"
    assert "Vervangende toestemming gegeven" in _text(client.get(response["Location"]))


def test_an_lcvv_ruling_needs_its_date(world, client, quality, refusal):
    login(client, quality)
    response = client.post(reverse("consent:lcvv", args=[refusal.pk]),
                           {"submitted_on": _days(-1).isoformat(), "outcome": "rejected", "note": "Brief van 3 mei"})
    assert response.status_code == 400
    assert "Vul de datum van de uitspraak in." in _text(response)
    assert "Brief van 3 mei" in _text(response)


def test_there_is_no_lcvv_page_without_a_refusal(world, client, quality):
    login(client, quality)
    assert client.get(reverse("consent:lcvv", args=[world.consent_request.pk])).status_code == 404
    services.record_consent_decision(request=world.consent_request, by=world.people["council_secretary"],
                                     decision="granted", meeting_date=_days(-1))
    assert client.get(reverse("consent:lcvv", args=[world.consent_request.pk])).status_code == 404


@pytest.fixture
def condition(world):
    decision = services.record_consent_decision(
        request=world.consent_request, by=world.people["council_secretary"], decision="granted_with_conditions",
        meeting_date=_days(-1), conditions=[{"text": "Elke dag naar buiten.", "owner": "Teamleider"}])
    return decision.conditions.get()


def test_the_council_reads_its_condition_without_a_form(world, client, condition):
    login(client, world.people["council_member"])
    url = reverse("consent:condition", args=[condition.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Elke dag naar buiten." in _text(response)
    assert "Voorwaarde bijwerken" not in _text(response)
    assert client.post(url, {"status": "met", "owner": "Ik"}).status_code == 403


def test_the_author_links_a_condition_to_an_action_and_marks_it_met(world, client, quality, condition):
    login(client, quality)
    response = client.post(reverse("consent:condition", args=[condition.pk]),
                           {"status": "met", "owner": "Teamleider De Linde", "action": world.action.pk,
                            "answer": "Staat in de actie Samen koken."})
    assert response.status_code == 302
    condition.refresh_from_db()
    assert (condition.status, condition.action, condition.owner) == ("met", world.action, "Teamleider De Linde")


def test_a_condition_needs_an_owner(world, client, quality, condition):
    login(client, quality)
    response = client.post(reverse("consent:condition", args=[condition.pk]),
                           {"status": "met", "owner": " ", "answer": "Gedaan, zie de actie."})
    assert response.status_code == 400
    assert "Schrijf op wie voor de voorwaarde zorgt." in _text(response)
    assert "Gedaan, zie de actie." in _text(response)
    condition.refresh_from_db()
    assert condition.status == ConsentCondition.Status.OPEN


# --- The plan page panel ----------------------------------------------------------------------------


def test_the_plan_page_offers_the_next_steps_to_those_who_may_take_them(world, client, quality):
    url = reverse("plans:detail", args=[world.plan.pk])
    login(client, quality)
    text = _text(client.get(url))
    assert "Samen naar een vastgesteld plan" in text
    assert 'name="to" value="consent"' in text and 'name="to" value="peer_review"' in text
    assert reverse("audit:timeline", args=[world.plan.pk]) in text
    assert reverse("participation:top_points", args=[world.plan.pk]) in text
    login(client, world.people["location_manager"])
    text = _text(client.get(url))
    assert "Samen naar een vastgesteld plan" in text
    assert 'name="to"' not in text


def test_only_the_board_sees_the_adopt_button(world, client, quality, in_consent):
    url = reverse("plans:detail", args=[world.plan.pk])
    confirmation = reverse("consent:adopt", args=[world.plan.pk])
    login(client, world.people["board"])
    text = _text(client.get(url))
    assert confirmation in text
    assert 'name="to" value="adopted"' not in text  # the button leads to the confirmation first
    login(client, quality)
    assert confirmation not in _text(client.get(url))


# --- Query counts -----------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _round(world, version, councils, secretary):
    """Every council asked about `version`, each with a decision with a condition and a present member."""
    requests = []
    for council in councils:
        consent_request, _created = ConsentRequest.objects.get_or_create(
            version=version, council=council,
            defaults={"plan": world.plan, "respond_by": _days(30), "requested_by": world.people["quality"]})
        decision = ConsentDecision.objects.create(request=consent_request, decision="granted_with_conditions",
                                                  version_sha256=version.sha256, meeting_date=_days(-1),
                                                  recorded_by=secretary)
        decision.present.set([secretary])
        ConsentCondition.objects.create(decision=decision, text="Vaker naar buiten.", owner="Teamleider",
                                        action=world.action)
        requests.append(consent_request)
    return requests


def test_consent_pages_make_as_many_queries_for_5_councils_and_rounds_as_for_2(world, client, quality):
    secretary = world.people["council_secretary"]
    _round(world, world.version, [world.client_council, world.nursing_council], secretary)
    pages = {"overview": reverse("consent:overview", args=[world.plan.pk]),
             "request": reverse("consent:request", args=[world.consent_request.pk])}
    login(client, quality)
    small = {name: _queries(client, url) for name, url in pages.items()}
    login(client, world.people["council_member"])
    small["council"] = _queries(client, pages["request"])

    extra = [CouncilFactory(organisation=world.organisation, kind=Council.Kind.CLIENT_COUNCIL, location=location,
                            name=f"Lokale raad {n}")
             for n, location in enumerate(world.organisation.locations.all())]
    extra.append(world.works_council)
    councils = [world.client_council, world.nursing_council, *extra]
    for n in range(3):
        plan_services.update_section(plan=world.plan, key="veiligheid", body=f"Ronde {n}.",
                                     base_revision=world.plan.sections.get(key="veiligheid").revision, by=quality)
        _round(world, plan_services.freeze_version(plan=world.plan, by=quality), councils, secretary)
    assert ConsentRequest.objects.filter(plan=world.plan).count() == 2 + 3 * 5

    login(client, quality)
    large = {name: _queries(client, url) for name, url in pages.items()}
    login(client, world.people["council_member"])
    large["council"] = _queries(client, pages["request"])
    assert large == small


def test_the_decision_form_makes_as_many_queries_for_many_members(world, client):
    url = reverse("consent:request", args=[world.consent_request.pk])
    login(client, world.people["council_secretary"])
    small = _queries(client, url)
    for n in range(8):
        add_membership(user=UserFactory(username=f"lid{n}"), role=Role.COUNCIL_MEMBER, council=world.client_council)
    assert _queries(client, url) == small
