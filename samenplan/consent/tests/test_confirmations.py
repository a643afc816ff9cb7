"""Asking before it is final, and telling the board why: the adoption confirmation, the council
decision's confirmation step, condition errors on the right row, the refusal notice on the plan
page, and the adopted version marked wherever versions are listed."""

import html
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent import services
from samenplan.consent.models import Adoption, ConsentDecision, ConsentRequest
from samenplan.core import pagecache
from samenplan.core.tests.world import login
from samenplan.plans import services as plan_services
from samenplan.plans.models import QualityPlan

from .helpers import complete_plan, reviewed_by_two_peers

pytestmark = pytest.mark.shared_world

Status = QualityPlan.Status
CONDITION = "Bewoners gaan elke dag naar buiten."


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _long(day) -> str:
    return date_format(day, "j F Y")


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def in_consent(world, quality):
    """The world's plan complete, frozen as version 3, reviewed by two peers and sent to the client
    council and the VAR; returns the requests by council."""
    complete_plan(world.plan, quality)
    version = plan_services.freeze_version(plan=world.plan, by=quality, note="Voor de raden")
    reviewed_by_two_peers(world, version)
    return {r.council_id: r for r in services.request_consent(plan=world.plan, by=quality)}


@pytest.fixture
def consented(world, in_consent, var_secretary):
    """Both councils consented to version 3, the client council with a condition."""
    services.record_consent_decision(
        request=in_consent[world.client_council.pk], by=world.people["council_secretary"],
        decision="granted_with_conditions", meeting_date=_days(-2),
        conditions=[{"text": CONDITION, "owner": "Teamleider De Linde"}])
    services.record_consent_decision(request=in_consent[world.nursing_council.pk], by=var_secretary,
                                     decision="granted", meeting_date=_days(-1))
    return world.plan.versions.get(number=3)


def _adopt(client, plan, number):
    return client.post(reverse("consent:transition", args=[plan.pk]), {"to": "adopted", "version": number})


# --- 1. Adopting asks first ------------------------------------------------------------------------


def test_adopting_asks_first_naming_the_version_its_hash_and_the_decisions(world, client, board, consented):
    login(client, board)
    url = reverse("consent:adopt", args=[world.plan.pk])
    assert url in _text(client.get(world.plan.get_absolute_url()))  # "Plan vaststellen" leads here
    response = client.get(url)
    text = _text(response)
    assert response.status_code == 200
    assert "Versie 3 vaststellen" in text
    assert consented.short_hash in text
    assert "Ja, versie 3 vaststellen" in text and "Nee, terug" in text
    assert 'name="to" value="adopted"' in text and 'name="version" value="3"' in text
    # The decisions it rests on: council, decision, meeting date, conditions.
    assert "Centrale cliëntenraad" in text and "VAR" in text
    assert "Instemming met voorwaarden" in text and CONDITION in text
    assert _long(_days(-2)) in text and _long(_days(-1)) in text
    assert not Adoption.objects.exists()  # asking is not adopting

    response = _adopt(client, world.plan, 3)
    assert response.status_code == 302
    adoption = Adoption.objects.get(plan=world.plan)
    assert (adoption.version, adoption.adopted_by) == (consented, board)


def test_the_confirmation_says_why_when_the_plan_cannot_be_adopted_yet(world, client, board, in_consent):
    login(client, board)
    text = _text(client.get(reverse("consent:adopt", args=[world.plan.pk])))
    assert "Het plan kan nog niet worden vastgesteld" in text
    for council in (world.client_council, world.nursing_council):
        assert reverse("consent:overview", args=[world.plan.pk]) + f"#raad-{council.pk}" in text
    assert "Ja, versie" not in text and 'value="adopted"' not in text


def test_an_adopted_plan_is_not_offered_for_adoption_again(world, client, board, consented):
    login(client, board)
    _adopt(client, world.plan, 3)
    text = _text(client.get(reverse("consent:adopt", args=[world.plan.pk])))
    assert "Het plan is al vastgesteld." in text
    assert "Ja, versie" not in text
    assert _adopt(client, world.plan, 3).status_code == 409
    assert Adoption.objects.count() == 1


@pytest.mark.parametrize(("persona", "status"), [
    ("quality", 403), ("location_manager", 403), ("platform_admin", 403), ("council_member", 404),
    ("outsider", 404)])
def test_only_the_board_opens_the_confirmation(world, client, consented, persona, status):
    login(client, world.people[persona])
    assert client.get(reverse("consent:adopt", args=[world.plan.pk])).status_code == status


def test_a_version_frozen_after_the_confirmation_is_not_adopted_unseen(world, client, board, quality, consented):
    plan_services.update_section(plan=world.plan, key="veiligheid", body="Nog één zin erbij.",
                                 base_revision=world.plan.sections.get(key="veiligheid").revision, by=quality)
    plan_services.freeze_version(plan=world.plan, by=quality)
    login(client, board)
    response = _adopt(client, world.plan, 3)
    assert response.status_code == 409
    assert "Er is intussen een andere versie vastgelegd: versie 4." in _text(response)
    assert reverse("consent:adopt", args=[world.plan.pk]) in _text(response)
    assert not Adoption.objects.exists()


# --- 2. The council's decision: first a confirmation step ---------------------------------------


def _typed(world, **extra):
    member, secretary = world.people["council_member"], world.people["council_secretary"]
    member.first_name, member.last_name = "Gerrit", "Bakker"
    member.save()
    data = {"decision": "granted_with_conditions", "meeting_date": _days(-3).isoformat(),
            "present": [str(member.pk), str(secretary.pk)], "present_note": "Mevrouw Jansen (ondersteuner)",
            "condition_1_text": CONDITION, "condition_1_owner": "Teamleider De Linde",
            "condition_2_text": "Een vaste kok per afdeling.", "condition_2_owner": "Locatiemanager",
            "reasons": "We lazen het plan samen.\nHet is duidelijk."}
    data.update(extra)
    return data


def _hidden(text) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', text)


def test_the_first_post_records_nothing_and_shows_what_will_be_recorded(world, client):
    login(client, world.people["council_secretary"])
    url = reverse("consent:request", args=[world.consent_request.pk])
    response = client.post(url, _typed(world))
    text = _text(response)
    assert response.status_code == 200
    assert not ConsentDecision.objects.exists()
    assert "U legt dit besluit vast:" in text
    assert "Klopt dit? Daarna kan het niet meer veranderen." in text
    summary = text.split('id="bevestigen"')[1]
    for shown in ("Instemming met voorwaarden", _long(_days(-3)), "Gerrit Bakker", "Mevrouw Jansen (ondersteuner)",
                  CONDITION, "Teamleider De Linde", "Een vaste kok per afdeling.", "We lazen het plan samen.",
                  f"Versie {world.version.number}", world.version.short_hash):
        assert shown in summary, shown
    assert "Ja, vastleggen" in summary and "Terug om aan te passen" in summary
    hidden = dict(_hidden(response.content.decode()))
    assert hidden["decision"] == "granted_with_conditions"
    assert hidden["meeting_date"] == _days(-3).isoformat()
    assert hidden["condition_2_owner"] == "Locatiemanager"
    assert {v for k, v in _hidden(response.content.decode()) if k == "present"} == set(_typed(world)["present"])
    assert "Besluit vastleggen" not in text  # the form itself waits behind "Terug om aan te passen"


def test_back_brings_the_form_with_everything_typed(world, client):
    login(client, world.people["council_secretary"])
    url = reverse("consent:request", args=[world.consent_request.pk])
    first = client.post(url, _typed(world))
    carried = _hidden(first.content.decode())
    data = {}
    for name, value in carried:
        data.setdefault(name, []).append(html.unescape(value))
    response = client.post(url, {**data, "back": "1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Besluit vastleggen" in text and "U legt dit besluit vast" not in text
    assert re.search(r'<input type="radio" name="decision" value="granted_with_conditions"[^>]*checked', text)
    assert f'value="{_days(-3).isoformat()}"' in text
    for person in (world.people["council_member"], world.people["council_secretary"]):
        assert re.search(rf'<input type="checkbox" name="present" value="{person.pk}"[^>]*checked', text)
    assert 'value="Mevrouw Jansen (ondersteuner)"' in text
    assert re.search(rf">\s*{CONDITION}</textarea>", text) and 'value="Locatiemanager"' in text
    assert re.search(r">\s*We lazen het plan samen.\r?\nHet is duidelijk.</textarea>", text)
    assert not ConsentDecision.objects.exists()


def test_yes_records_the_decision_as_confirmed(world, client):
    secretary = world.people["council_secretary"]
    login(client, secretary)
    url = reverse("consent:request", args=[world.consent_request.pk])
    data = {}
    for name, value in _hidden(client.post(url, _typed(world)).content.decode()):
        data.setdefault(name, []).append(html.unescape(value))
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    decision = ConsentDecision.objects.get(request=world.consent_request)
    assert (decision.decision, decision.meeting_date) == ("granted_with_conditions", _days(-3))
    assert decision.reasons.replace("\r\n", "\n") == "We lazen het plan samen.\nHet is duidelijk."
    assert set(decision.present.all()) == {world.people["council_member"], secretary}
    assert [(c.text, c.owner) for c in decision.conditions.all()] == [
        (CONDITION, "Teamleider De Linde"), ("Een vaste kok per afdeling.", "Locatiemanager")]
    assert "Het besluit is vastgelegd: instemming met voorwaarden." in _text(client.get(response["Location"]))


def test_a_bad_decision_gets_its_messages_before_any_confirmation(world, client):
    login(client, world.people["council_secretary"])
    response = client.post(reverse("consent:request", args=[world.consent_request.pk]),
                           _typed(world, decision="refused", reasons="", condition_1_text="", condition_1_owner="",
                                  condition_2_text="", condition_2_owner=""))
    text = _text(response)
    assert response.status_code == 400
    assert "Schrijf op waarom de raad niet instemt." in text
    assert "U legt dit besluit vast" not in text
    assert 'value="Mevrouw Jansen (ondersteuner)"' in text


# --- 3. A condition's message on the row it is about ---------------------------------------------


def _field_error(text: str, name: str) -> bool:
    return f'id="id_{name}_error"' in text


def test_a_condition_without_text_is_reported_on_that_rows_text(world, client):
    login(client, world.people["council_secretary"])
    response = client.post(reverse("consent:request", args=[world.consent_request.pk]),
                           _typed(world, condition_2_text="", condition_2_owner="Locatiemanager"))
    text = response.content.decode()
    assert response.status_code == 400
    assert _field_error(text, "condition_2_text")
    assert not _field_error(text, "condition_1_text") and not _field_error(text, "condition_2_owner")
    summary = text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_condition_2_text"' in summary
    assert "Schrijf bij elke voorwaarde wat er moet gebeuren en wie ervoor zorgt." in html.unescape(summary)


def test_a_condition_without_owner_is_reported_on_that_rows_owner(world, client):
    login(client, world.people["council_secretary"])
    response = client.post(reverse("consent:request", args=[world.consent_request.pk]),
                           _typed(world, condition_4_text="Elke maand een gesprek.", condition_4_owner=""))
    text = response.content.decode()
    assert _field_error(text, "condition_4_owner")
    assert not any(_field_error(text, f"condition_{n}_text") for n in range(1, 6))


def test_no_condition_at_all_is_reported_on_the_first_row(world, client):
    login(client, world.people["council_secretary"])
    response = client.post(reverse("consent:request", args=[world.consent_request.pk]),
                           _typed(world, condition_1_text="", condition_1_owner="", condition_2_text="",
                                  condition_2_owner=""))
    text = response.content.decode()
    assert _field_error(text, "condition_1_text")
    assert 'href="#id_condition_1_text"' in text
    assert "Schrijf minstens één voorwaarde op" in html.unescape(text)


def test_the_service_names_the_rows_of_a_condition_error(world):
    with pytest.raises(ValidationError) as error:
        services.check_consent_decision(
            request=world.consent_request, by=world.people["council_secretary"], decision="granted_with_conditions",
            meeting_date=_days(-1), conditions=[{"text": "Iets", "owner": "Iemand"}, {"text": "", "owner": ""},
                                                {"text": "", "owner": "Team"}, {"text": "Ook", "owner": " "}])
    (message,) = error.value.error_dict["conditions"]
    assert message.params["rows"] == [(2, "text"), (3, "owner")]
    assert not ConsentDecision.objects.exists()


# --- 4. The board is told why the plan is back in draft --------------------------------------------


@pytest.fixture
def refused(world, in_consent, var_secretary):
    refusal = in_consent[world.nursing_council.pk]
    services.record_consent_decision(request=refusal, by=var_secretary, decision="refused", meeting_date=_days(-4),
                                     reasons="Te weinig personeel 's nachts.\n<script>alert(1)</script>")
    return refusal


def test_after_a_refusal_the_plan_page_says_which_council_why_and_what_next(world, client, board, refused):
    login(client, board)
    response = client.get(world.plan.get_absolute_url())
    raw = response.content.decode()
    text = html.unescape(raw)
    notice = text.split('id="weigering"')[1].split("</section>")[0]
    assert "VAR heeft niet ingestemd" in notice
    assert f"vergadering van {_long(_days(-4))} niet in met versie 3" in notice
    assert "Te weinig personeel 's nachts." in notice
    assert "<script>alert(1)</script>" not in raw and "&lt;script&gt;" in raw  # the reasons are text
    assert "nieuwe versie vast en leg die opnieuw voor aan de raden" in notice
    assert reverse("consent:overview", args=[world.plan.pk]) + "#voorleggen" in notice
    assert reverse("consent:lcvv", args=[refused.pk]) in notice
    assert reverse("consent:request", args=[refused.pk]) in notice


def test_the_location_manager_reads_the_refusal_without_the_lcvv_link(world, client, refused):
    login(client, world.people["location_manager"])
    text = _text(client.get(world.plan.get_absolute_url()))
    assert "VAR heeft niet ingestemd" in text
    assert reverse("consent:lcvv", args=[refused.pk]) not in text


def test_the_consent_overview_shows_the_refusal_too(world, client, quality, refused):
    login(client, quality)
    text = _text(client.get(reverse("consent:overview", args=[world.plan.pk])))
    assert "VAR heeft niet ingestemd" in text and "Te weinig personeel 's nachts." in text


def test_the_notice_goes_once_a_new_round_starts(world, client, quality, refused):
    plan_services.update_section(plan=world.plan, key="veiligheid", body="Ook 's nachts twee collega's.",
                                 base_revision=world.plan.sections.get(key="veiligheid").revision, by=quality)
    plan_services.freeze_version(plan=world.plan, by=quality)
    login(client, quality)
    text = _text(client.get(world.plan.get_absolute_url()))
    assert "VAR heeft niet ingestemd" in text
    assert "Versie 4 is al vastgelegd, maar nog niet aan de raden voorgelegd." in text
    services.request_consent(plan=world.plan, by=quality)
    assert "heeft niet ingestemd" not in _text(client.get(world.plan.get_absolute_url()))


# --- 5. and 6. The adopted version marked; an adopted plan is no draft ---------------------------


@pytest.fixture
def adopted(world, client, board, consented):
    login(client, board)
    assert _adopt(client, world.plan, 3).status_code == 302
    client.logout()
    return Adoption.objects.get(plan=world.plan)


def test_the_plan_page_of_an_adopted_plan_names_the_adopted_version(world, client, quality, adopted):
    login(client, quality)
    text = _text(client.get(world.plan.get_absolute_url()))
    version = adopted.version
    assert (f"Versie 3 ({version.short_hash}) is vastgesteld op {_long(timezone.localdate())} door "
            f"{adopted.adopted_by}") in re.sub(r"</?code>", "", text)
    assert reverse("plans:version", args=[version.pk]) in text
    assert reverse("plans:version_pdf", args=[version.pk]) in text
    versions = text.split('id="versies"')[1]
    assert versions.count("Vastgestelde versie") == 1
    # Not shown as a draft: no freezing, no checklist, no count of what stands in the way.
    assert reverse("plans:freeze", args=[world.plan.pk]) not in text
    assert "Versie vastleggen" not in text
    assert "Wat er nog ontbreekt" not in text and "in de weg" not in text
    assert "Het plan opnieuw bewerken" in text


def test_the_version_page_says_it_is_the_adopted_one(world, client, quality, adopted):
    login(client, quality)
    text = _text(client.get(reverse("plans:version", args=[adopted.version_id])))
    assert "Vastgestelde versie" in text
    assert f"vastgesteld op {_long(timezone.localdate())} door {adopted.adopted_by}" in text
    other = _text(client.get(reverse("plans:version", args=[world.version.pk])))
    assert "Vastgestelde versie" not in other.split("<select")[0]
    option = re.search(rf'<option value="{adopted.version_id}">([^<]*)</option>', other)[1]
    assert option.startswith("Versie 3 (") and option.endswith("— vastgestelde versie")


def test_the_consent_pages_mark_the_adopted_version(world, client, quality, adopted):
    login(client, quality)
    assert "Vastgestelde versie" in _text(client.get(reverse("consent:overview", args=[world.plan.pk])))
    request = ConsentRequest.objects.get(version=adopted.version, council=world.client_council)
    assert "Vastgestelde versie" in _text(client.get(reverse("consent:request", args=[request.pk])))


def test_the_dashboards_mark_the_adopted_version(world, client, quality, adopted):
    pagecache.clear()
    login(client, quality)
    text = _text(client.get(reverse("core:dashboard")))
    assert "Vastgestelde versie" in text and reverse("plans:version", args=[adopted.version_id]) in text
    login(client, world.people["council_member"])
    shared = _text(client.get(reverse("core:dashboard"))).split("Om te lezen en op te reageren")[1]
    line = next(li for li in shared.split("<li>") if reverse("plans:version", args=[adopted.version_id]) in li)
    assert "Vastgestelde versie" in line


def test_an_adoption_renews_the_kept_dashboards(world, client, board, consented):
    login(client, world.people["council_member"])
    assert "Vastgestelde versie" not in _text(client.get(reverse("core:dashboard")))
    login(client, board)
    _adopt(client, world.plan, 3)
    login(client, world.people["council_member"])
    assert "Vastgestelde versie" in _text(client.get(reverse("core:dashboard")))


# --- Query counts ----------------------------------------------------------------------------------


def _queries(client, url) -> int:
    pagecache.clear()
    client.get(url)
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _adopt_directly(world, version):
    Adoption.objects.create(plan=world.plan, version=version, adopted_by=world.people["board"])


def test_pages_with_versions_make_as_many_queries_for_many_adopted_versions(world, client, quality):
    pages = [world.plan.get_absolute_url(), reverse("plans:version", args=[world.version.pk]),
             reverse("core:dashboard"), reverse("consent:overview", args=[world.plan.pk])]
    _adopt_directly(world, world.first_version)
    login(client, quality)
    small = [_queries(client, url) for url in pages]
    login(client, world.people["council_member"])
    small.append(_queries(client, reverse("core:dashboard")))
    for n in range(4):
        plan_services.update_section(plan=world.plan, key="veiligheid", body=f"Ronde {n}.",
                                     base_revision=world.plan.sections.get(key="veiligheid").revision, by=quality)
        version = plan_services.freeze_version(plan=world.plan, by=quality)
        plan_services.share_version_with_councils(version=version, by=quality)
        _adopt_directly(world, version)
    login(client, quality)
    large = [_queries(client, url) for url in pages]
    login(client, world.people["council_member"])
    large.append(_queries(client, reverse("core:dashboard")))
    assert large == small


def test_the_adoption_confirmation_makes_as_many_queries_for_more_members_and_conditions(world, client, board,
                                                                                       consented):
    login(client, board)
    url = reverse("consent:adopt", args=[world.plan.pk])
    small = _queries(client, url)
    for decision in ConsentDecision.objects.filter(request__version=consented):
        for n in range(4):
            member = UserFactory(username=f"lid-{decision.pk}-{n}")
            add_membership(user=member, role=Role.COUNCIL_MEMBER, council=decision.request.council)
            decision.present.add(member)
        if decision.decision == "granted_with_conditions":
            for n in range(3):
                decision.conditions.create(text=f"Voorwaarde {n}", owner="Team", order=n + 2)
    assert _queries(client, url) == small


def test_the_refused_adoption_makes_as_many_queries_for_more_locations_and_councils(world, client, board,
                                                                                   in_consent):
    from samenplan.core.tests.world import grow_world

    login(client, board)
    url = reverse("consent:adopt", args=[world.plan.pk])
    small = _queries(client, url)
    grow_world(world)
    assert _queries(client, url) == small
