"""The dialogue pages: both sides on one session page, each step's form, the agreements as the
organisation's tracked items, privacy for the care office, and query counts that do not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.careoffice.models import AgendaItem, Agreement, DialogueParticipant, DialogueSession, Submission
from samenplan.core import pagecache
from samenplan.core.tests.world import login
from samenplan.organisations.models import Council
from samenplan.organisations.tests.factories import CouncilFactory, LocationFactory

from .dialogue_helpers import agreement_row, in_days, quickly_submitted, session_rows, start_session

pytestmark = pytest.mark.shared_world


def _dt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_care_office_plans_a_session_from_the_page(world, client):
    submission = quickly_submitted(world)
    login(client, world.people["care_office"])
    url = reverse("careoffice:dialogue_new", args=[submission.plan_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="datetime-local"' in page.content.decode()
    response = client.post(url, {"date_1": _dt(in_days(10)), "place": "Kantoor Tiel",
                                 "invite": ["board", f"council-{world.client_council.pk}",
                                            f"council-{world.nursing_council.pk}"]})
    session = DialogueSession.objects.get(plan=submission.plan)
    assert response.status_code == 302 and response["Location"] == reverse("careoffice:dialogue", args=[session.pk])
    assert session.participants.count() == 3


def test_a_bad_session_form_keeps_what_was_typed_and_says_what_is_wrong(world, client):
    submission = quickly_submitted(world)
    login(client, world.people["care_office"])
    url = reverse("careoffice:dialogue_new", args=[submission.plan_id])
    response = client.post(url, {"date_1": "", "place": "Kantoor aan de Linge", "invite": ["board"]})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Stel ten minste één datum en tijd voor." in body
    assert 'value="Kantoor aan de Linge"' in body
    assert "error-summary" in body and f'action="{url}"' in body


def test_a_session_for_a_plan_not_submitted_is_refused_with_a_reason(world, client):
    login(client, world.people["care_office"])
    url = reverse("careoffice:dialogue_new", args=[world.plan.pk])
    assert "nog niet bij het zorgkantoor ingediend" in client.get(url).content.decode()
    response = client.post(url, {"date_1": _dt(in_days(10)), "place": "Kantoor", "invite": ["board"]})
    assert response.status_code == 409


def test_the_session_page_shows_rule_19_until_all_three_are_invited(world, client):
    session = start_session(world, invite={"invite_board": True, "invite_council_ids": [world.client_council.pk]})
    login(client, world.people["care_office"])
    url = reverse("careoffice:dialogue", args=[session.pk])
    assert "De VAR/PAR (of de ondernemingsraad" in client.get(url).content.decode()
    client.post(reverse("careoffice:dialogue_invite", args=[session.pk]),
                {"invite": [f"council-{world.nursing_council.pk}"]})
    assert "De VAR/PAR (of de ondernemingsraad" not in client.get(url).content.decode()


def test_the_organisation_picks_the_date_on_the_session_page(world, client):
    session = start_session(world)
    login(client, world.people["board"])
    page = client.get(reverse("careoffice:dialogue", args=[session.pk])).content.decode()
    assert "Welke datum past?" in page
    chosen = session.proposed_dates.first()
    response = client.post(reverse("careoffice:dialogue_pick_date", args=[session.pk]),
                           {"proposed_date": str(chosen.pk)})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "planned" and session.starts_at == chosen.starts_at


def test_held_without_a_required_party_needs_a_reason_on_the_page(world, client):
    session = session_rows(world)
    parties = {p.party: p.pk for p in session.participants.all()}
    login(client, world.people["care_office"])
    url = reverse("careoffice:dialogue_held", args=[session.pk])
    data = {"held_on": timezone.localdate().isoformat(),
            "attended": [str(parties["board"]), str(parties["client_council"])]}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Schrijf op waarom." in body and 'id="id_missing_party_reason"' in body
    response = client.post(url, {**data, "missing_party_reason": "De VAR kon niet."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held"


def test_agreements_show_for_quality_staff_and_the_client_council_member(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session, title="Elke dag naar buiten")
    agreement_row(world, session, title="Over tijd", due_date=timezone.localdate() - timedelta(days=3))
    url = reverse("careoffice:agreements", args=[world.plan.pk])
    for persona in ("quality", "council_member", "location_manager"):
        login(client, world.people[persona])
        body = client.get(url).content.decode()
        assert "Elke dag naar buiten" in body, persona
        assert "Te laat: de datum is voorbij" in body
        client.logout()


def test_quality_staff_update_an_agreement_and_the_care_office_sees_it_without_names(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement = agreement_row(world, session)
    world.people["quality"].first_name, world.people["quality"].last_name = "Kees", "Kwaliteit"
    world.people["quality"].save()
    login(client, world.people["quality"])
    response = client.post(reverse("careoffice:agreement_edit", args=[agreement.pk]),
                           {"status": "in_progress", "status_note": "Het eerste team is begonnen."})
    assert response.status_code == 302
    assert "Kees Kwaliteit" in client.get(reverse("careoffice:agreements", args=[world.plan.pk])).content.decode()
    client.logout()
    login(client, world.people["care_office"])
    body = client.get(reverse("careoffice:dialogue", args=[session.pk])).content.decode()
    assert "Het eerste team is begonnen." in body
    assert "Kees" not in body


def test_the_care_office_sees_parties_not_the_names_of_council_members(world, client):
    session = session_rows(world)
    member = world.people["council_member"]
    member.first_name, member.last_name = "Gerda", "Geheim"
    member.save()
    login(client, member)
    client.post(reverse("careoffice:dialogue_agenda_add", args=[session.pk]), {"title": "Meer buiten", "text": ""})
    assert AgendaItem.objects.filter(session=session, kind="council_point").exists()
    client.logout()
    login(client, world.people["care_office"])
    body = client.get(reverse("careoffice:dialogue", args=[session.pk])).content.decode()
    assert "Meer buiten" in body and "Centrale cliëntenraad" in body
    assert "Gerda" not in body and "Geheim" not in body


def test_last_years_agreements_show_on_next_years_plan_page(world, client):
    from samenplan.plans import services as plan_services

    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session, title="Afspraak van vorig jaar")
    next_plan = plan_services.create_plan(organisation=world.organisation, year=2028,
                                          framework=world.plan.framework, by=world.people["quality"])
    login(client, world.people["quality"])
    assert "Afspraak van vorig jaar" in client.get(next_plan.get_absolute_url()).content.decode()
    assert "Afspraak van vorig jaar" in client.get(
        reverse("careoffice:agreements", args=[next_plan.pk])).content.decode()


def test_the_minutes_are_markdown_shown_sanitised_to_both_sides(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    login(client, world.people["care_office"])
    minutes = ("## Afspraken\n\nHet gesprek was **open**. [Klik](javascript:alert(1))\n\n"
               "<script>alert('x')</script><img src=x onerror=alert(1)>")
    response = client.post(reverse("careoffice:dialogue_minutes", args=[session.pk]), {"minutes": minutes})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.minutes == minutes  # kept as written; sanitised when shown
    for persona in ("care_office", "council_member"):
        login(client, world.people[persona])
        body = client.get(reverse("careoffice:dialogue", args=[session.pk])).content.decode()
        shown = body.split('<div class="minutes">', 1)[1].split("</div>", 1)[0]
        assert "<strong>open</strong>" in shown and "Afspraken</h" in shown, persona
        assert "<script" not in shown and "<img" not in shown and "href=\"javascript" not in shown, persona
        assert "&lt;script&gt;" in shown  # raw HTML is shown as text


def test_empty_minutes_get_a_message_and_the_form_again(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    login(client, world.people["care_office"])
    response = client.post(reverse("careoffice:dialogue_minutes", args=[session.pk]), {"minutes": "  "})
    assert response.status_code == 400
    assert "Schrijf het verslag." in response.content.decode()


def _next_years_session(world):
    """A session about next year's plan, submitted and in dialogue (rows only)."""
    from samenplan.consent.models import Adoption
    from samenplan.plans import services as plan_services
    from samenplan.plans.models import QualityPlan

    from .region import version_of

    plan = plan_services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                     by=world.people["quality"])
    QualityPlan.objects.filter(pk=plan.pk).update(status=QualityPlan.Status.SUBMITTED)
    version = version_of(plan, by=world.people["board"])
    adoption = Adoption.objects.create(plan=plan, version=version, adopted_by=world.people["board"])
    submission = Submission.objects.create(plan=plan, version=version, adoption=adoption,
                                           care_office=world.care_office, sha256=version.sha256,
                                           submitted_by=world.people["board"])
    return DialogueSession.objects.create(care_office=world.care_office, organisation=world.organisation, plan=plan,
                                          submission=submission, status=DialogueSession.Status.PROPOSED,
                                          place="Kantoor", created_by=world.people["care_office"])


def test_last_years_agreements_show_again_in_next_years_dialogue(world, client):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session, title="Afspraak uit de sessie van 2027")
    next_session = _next_years_session(world)
    for persona in ("care_office", "quality", "council_member"):
        login(client, world.people[persona])
        body = client.get(reverse("careoffice:dialogue", args=[next_session.pk])).content.decode()
        assert "Afspraak uit de sessie van 2027" in body, persona
        answer = client.get(f"/api/v1/dialogue-sessions/{next_session.pk}").json()
        assert [a["title"] for a in answer["earlier_agreements"]] == ["Afspraak uit de sessie van 2027"], persona
        assert answer["agreements"] == []
        client.logout()


@pytest.mark.parametrize("persona", ["other_care_office", "outsider", "peer_reviewer"])
def test_another_care_office_or_organisation_gets_nothing(world, client, persona):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement = agreement_row(world, session)
    login(client, world.people[persona])
    for url in (reverse("careoffice:dialogue", args=[session.pk]),
                reverse("careoffice:agreements", args=[world.plan.pk]),
                reverse("careoffice:agreement_edit", args=[agreement.pk]),
                reverse("careoffice:dialogue_new", args=[world.plan.pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/dialogue-sessions/{session.pk}").status_code == 404


def _queries(client, url) -> int:
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(world, session, n=6):
    for i in range(n):
        location = LocationFactory(organisation=world.organisation, name=f"Extra {i}")
        council = CouncilFactory(organisation=world.organisation, kind=Council.Kind.CLIENT_COUNCIL,
                                 location=location, name=f"Lokale raad {i}")
        DialogueParticipant.objects.create(session=session, party="client_council", council=council)
        AgendaItem.objects.create(session=session, kind="council_point", title=f"Punt {i}", council=council,
                                  added_by=world.people["council_member"], order=10 + i)
        agreement_row(world, session, title=f"Afspraak {i}")
        user = UserFactory(username=f"extra{i}")
        add_membership(user=user, role=Role.COUNCIL_MEMBER, council=council)
        Agreement.objects.filter(title=f"Afspraak {i}").update(updated_by=world.people["quality"])


@pytest.mark.parametrize("persona", ["care_office", "quality", "council_member"])
def test_the_session_page_makes_as_many_queries_for_many_items_as_for_few(world, client, persona):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session)
    login(client, world.people[persona])
    url = reverse("careoffice:dialogue", args=[session.pk])
    client.get(url)
    small = _queries(client, url)
    _grow(world, session)
    assert _queries(client, url) == small


@pytest.mark.parametrize("persona", ["quality", "council_member"])
def test_the_agreements_page_makes_as_many_queries_for_many_agreements_as_for_few(world, client, persona):
    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session)
    login(client, world.people[persona])
    url = reverse("careoffice:agreements", args=[world.plan.pk])
    client.get(url)
    small = _queries(client, url)
    _grow(world, session)
    assert _queries(client, url) == small


def test_the_care_offices_session_list_makes_as_many_queries_for_many_sessions(world, client):
    session_rows(world)
    login(client, world.people["care_office"])
    url = reverse("careoffice:dialogue_sessions", args=[world.care_office.pk])
    client.get(url)
    small = _queries(client, url)
    for _n in range(4):
        session_rows(world, DialogueSession.Status.HELD)
    assert _queries(client, url) == small


def test_the_plan_panel_adds_at_most_two_queries(world, client):
    from samenplan.careoffice.dialogue_selectors import plan_panel

    session = session_rows(world, DialogueSession.Status.HELD)
    agreement_row(world, session)
    with CaptureQueriesContext(connection) as queries:
        plan_panel(world.plan)
    assert len(queries) == 2
