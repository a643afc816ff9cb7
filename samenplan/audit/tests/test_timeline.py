"""The timeline: the plan's history in plain Dutch, for the plan's readers and councils only."""

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samenplan.audit import timeline
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.consent import services
from samenplan.consent.tests.helpers import complete_plan, reviewed_by_two_peers
from samenplan.core.formats import long_date
from samenplan.core.tests.world import login
from samenplan.plans import services as plan_services

pytestmark = pytest.mark.shared_world

Kind = AuditEvent.Kind


def _event(kind, data=None, actor="Sanne Jansen", version_number=None):
    event = AuditEvent(kind=kind, actor_name=actor, data=data or {})
    if version_number is not None:
        event.version_number = version_number
    return event


@pytest.mark.parametrize(("kind", "data", "sentence"), [
    (Kind.PLAN_CREATED, {"year": 2027, "framework": "KK", "previous_year": None, "carried_over": 0},
     "Sanne Jansen maakte het kwaliteitsplan 2027 aan."),
    (Kind.PLAN_CREATED, {"year": 2028, "previous_year": 2027, "carried_over": 2},
     "Sanne Jansen maakte het kwaliteitsplan 2028 aan, op basis van het plan van 2027. "
     "Er gingen 2 onafgemaakte acties mee over."),
    (Kind.VERSION_FROZEN, {"number": 3, "note": ""}, "Sanne Jansen legde versie 3 vast."),
    (Kind.VERSION_FROZEN, {"number": 3, "note": "Voor de raden"}, "Sanne Jansen legde versie 3 vast: „Voor de raden”."),
    (Kind.VERSION_SHARED, {"number": 2, "councils": ["Cliëntenraad", "VAR", "OR"]},
     "Sanne Jansen deelde versie 2 met Cliëntenraad, VAR en OR."),
    (Kind.COMMENT_ADDED, {"section": "Wonen en welzijn", "council": "Cliëntenraad", "peer_organisation": ""},
     "Sanne Jansen gaf namens de Cliëntenraad een reactie op „Wonen en welzijn”."),
    (Kind.COMMENT_ADDED, {"section": "Veiligheid", "council": "", "peer_organisation": "Het Anker"},
     "Sanne Jansen gaf namens Het Anker een reactie op „Veiligheid”."),
    (Kind.COMMENT_ANSWERED, {"outcome": "processed", "change_version": 4},
     "Sanne Jansen beantwoordde een reactie: verwerkt in versie 4."),
    (Kind.COMMENT_ANSWERED, {"outcome": "not_processed", "change_version": None},
     "Sanne Jansen beantwoordde een reactie: niet verwerkt."),
    (Kind.TOP_POINTS_RECORDED, {"council": "Cliëntenraad", "location": "", "points": ["Buiten", "Eten"]},
     "Sanne Jansen legde de top 3 van de Cliëntenraad vast: „Buiten” en „Eten”."),
    (Kind.TOP_POINTS_RECORDED, {"council": "Cliëntenraad", "location": "De Linde", "points": ["Buiten"]},
     "Sanne Jansen legde de top 3 van de Cliëntenraad voor De Linde vast: „Buiten”."),
    (Kind.TOP_POINT_ANSWERED, {"point": "Buiten", "actions": ["Samen wandelen"], "answered": False},
     "Sanne Jansen beantwoordde het top 3-punt „Buiten” en koppelde het aan „Samen wandelen”."),
    (Kind.TOP_POINT_ANSWERED, {"point": "Buiten", "actions": [], "answered": True},
     "Sanne Jansen beantwoordde het top 3-punt „Buiten”."),
    (Kind.PEER_REVIEW_INVITED, {"organisation": "Het Anker", "number": 3},
     "Sanne Jansen vroeg Het Anker om feedback op versie 3."),
    (Kind.PEER_REVIEW_SUBMITTED, {"organisation": "Het Anker", "number": 3, "sections": 2},
     "Het Anker gaf feedback op versie 3 (ingestuurd door Sanne Jansen)."),
    (Kind.CONSENT_REQUESTED, {"council": "VAR", "respond_by": "2026-12-24", "number": 3, "stands_in": False},
     "Sanne Jansen vroeg de VAR om instemming met versie 3. Reageren vóór 24 december 2026."),
    (Kind.CONSENT_REQUESTED, {"council": "OR", "respond_by": "2026-12-24", "number": 3, "stands_in": True},
     "Sanne Jansen vroeg de OR om instemming met versie 3, in plaats van een VAR/PAR. Reageren vóór 24 december 2026."),
    (Kind.CONSENT_DEADLINE_CHANGED, {"council": "VAR", "before": "2026-12-24", "after": "2027-01-07"},
     "Sanne Jansen veranderde de reactiedatum voor de VAR van 24 december 2026 naar 7 januari 2027."),
    (Kind.CONSENT_DECIDED, {"council": "VAR", "decision": "refused", "meeting_date": "2026-11-12", "number": 3,
                            "present": 4, "conditions": 0},
     "De VAR stemde niet in met versie 3 (vergadering van 12 november 2026). Sanne Jansen legde het besluit vast."),
    (Kind.CONSENT_DECIDED, {"council": "Cliëntenraad", "decision": "granted", "meeting_date": "2026-11-12",
                            "number": 3, "conditions": 0},
     "De Cliëntenraad stemde in met versie 3 (vergadering van 12 november 2026). Sanne Jansen legde het besluit vast."),
    (Kind.CONSENT_DECIDED, {"council": "Cliëntenraad", "decision": "granted_with_conditions",
                            "meeting_date": "2026-11-12", "number": 3, "conditions": 2},
     "De Cliëntenraad stemde in met versie 3, met 2 voorwaarden (vergadering van 12 november 2026). "
     "Sanne Jansen legde het besluit vast."),
    (Kind.CONDITION_UPDATED, {"condition": "Naar buiten", "before": "open", "after": "met", "action": "Wandelen"},
     "Sanne Jansen werkte de voorwaarde „Naar buiten” bij: nagekomen, gekoppeld aan de actie „Wandelen”."),
    (Kind.CONDITION_UPDATED, {"condition": "Naar buiten", "before": "open", "after": "open", "action": ""},
     "Sanne Jansen werkte de voorwaarde „Naar buiten” bij: open."),
    (Kind.LCVV_RECORDED, {"council": "VAR", "outcome": "pending", "submitted_on": "2026-11-20", "outcome_on": None},
     "Sanne Jansen legde vast dat de organisatie op 20 november 2026 de Landelijke Commissie van Vertrouwenslieden "
     "om vervangende toestemming vroeg, na de weigering van de VAR."),
    (Kind.LCVV_RECORDED, {"council": "VAR", "outcome": "substitute_consent", "submitted_on": "2026-11-20",
                          "outcome_on": "2027-01-15"},
     "Sanne Jansen legde vast dat de Landelijke Commissie van Vertrouwenslieden op 15 januari 2027 vervangende "
     "toestemming gaf, na de weigering van de VAR (verzoek van 20 november 2026)."),
    (Kind.LCVV_RECORDED, {"council": "VAR", "outcome": "rejected", "submitted_on": "2026-11-20",
                          "outcome_on": "2027-01-15"},
     "Sanne Jansen legde vast dat de Landelijke Commissie van Vertrouwenslieden op 15 januari 2027 geen vervangende "
     "toestemming gaf, na de weigering van de VAR (verzoek van 20 november 2026)."),
    (Kind.PLAN_TRANSITIONED, {"from": "draft", "to": "consent", "note": ""},
     "Sanne Jansen legde het plan voor aan de raden."),
    (Kind.PLAN_TRANSITIONED, {"from": "draft", "to": "peer_review", "note": ""},
     "Sanne Jansen zette het plan klaar voor feedback van collega-organisaties."),
    (Kind.PLAN_TRANSITIONED, {"from": "adopted", "to": "draft", "note": "Nieuwe cijfers"},
     "Sanne Jansen zette het plan terug naar „In voorbereiding”. Toelichting: „Nieuwe cijfers”."),
    (Kind.PLAN_TRANSITIONED, {"from": "consent", "to": "draft", "note": "", "because": "refused", "council": "VAR"},
     "Het plan ging terug naar „In voorbereiding”, omdat de VAR niet instemde."),
])
def test_each_kind_of_event_reads_as_a_sentence(kind, data, sentence):
    assert timeline.describe(_event(kind, data)) == sentence


def test_adoption_names_the_version_from_the_event(world):
    event = _event(Kind.PLAN_ADOPTED, {"from": "consent", "to": "adopted", "note": ""}, actor="Marieke de Vries",
                   version_number=4)
    assert timeline.describe(event) == "Marieke de Vries stelde versie 4 vast."


def test_every_kind_has_its_own_sentence():
    assert set(timeline._DESCRIBERS) == set(Kind.values)


def test_an_event_without_a_person_is_told_as_samenplans():
    assert timeline.describe(_event(Kind.VERSION_FROZEN, {"number": 1}, actor="")) == "Samenplan legde versie 1 vast."


def _named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def test_the_timeline_tells_the_whole_path_to_adoption(world, client):
    from samenplan.accounts.models import Role
    from samenplan.accounts.services import add_membership
    from samenplan.accounts.tests.factories import UserFactory

    quality = _named(world.people["quality"], "Sanne", "Jansen")
    board = _named(world.people["board"], "Marieke", "de Vries")
    var_secretary = UserFactory(username="var_secretary", first_name="Piet", last_name="Smit")
    add_membership(user=var_secretary, role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    complete_plan(world.plan, quality)
    version = plan_services.freeze_version(plan=world.plan, by=quality)
    reviewed_by_two_peers(world, version)
    requests = services.request_consent(plan=world.plan, by=quality)
    yesterday = timezone.localdate() - timedelta(days=1)
    secretaries = {world.nursing_council.pk: var_secretary, world.client_council.pk: world.people["council_secretary"]}
    for consent_request in requests:
        secretary = secretaries[consent_request.council_id]
        services.record_consent_decision(request=consent_request, by=secretary, decision="granted",
                                         meeting_date=yesterday)
    services.adopt_plan(plan=world.plan, by=board)

    login(client, world.people["council_member"])
    response = client.get(reverse("audit:timeline", args=[world.plan.pk]))
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Sanne Jansen legde versie 3 vast." in text
    assert "Sanne Jansen legde het plan voor aan de raden." in text
    assert (f"De VAR stemde in met versie 3 (vergadering van {long_date(yesterday)}). "
            "Piet Smit legde het besluit vast.") in text
    assert "Marieke de Vries stelde versie 3 vast." in text
    assert version.short_hash in text
    # Newest first.
    assert text.index("stelde versie 3 vast") < text.index("legde versie 3 vast")


@pytest.mark.parametrize(("persona", "status"), [
    ("quality", 200), ("location_manager", 200), ("council_member", 200), ("works_council_member", 200),
    ("platform_admin", 200), ("peer_reviewer", 404), ("care_office", 404), ("outsider", 404),
])
def test_who_reads_the_timeline(world, client, persona, status):
    login(client, world.people[persona])
    assert client.get(reverse("audit:timeline", args=[world.plan.pk])).status_code == status


def test_a_long_history_shows_the_newest_events_with_a_note(world, client, monkeypatch):
    monkeypatch.setattr(timeline, "TIMELINE_LIMIT", 5)
    login(client, world.people["quality"])
    text = html.unescape(client.get(reverse("audit:timeline", args=[world.plan.pk])).content.decode())
    total = AuditEvent.objects.filter(plan_id=world.plan.pk).count()
    assert total > 5
    assert f"U ziet de 5 nieuwste van {total} gebeurtenissen." in text
    assert text.count("<time ") == 5


def test_the_timeline_makes_as_many_queries_for_many_events(world, client):
    url = reverse("audit:timeline", args=[world.plan.pk])
    login(client, world.people["quality"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(30):
        record(Kind.VERSION_SHARED, actor=world.people["quality"], version=world.version,
               data={"number": 2, "councils": [f"Raad {n}"]})
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
