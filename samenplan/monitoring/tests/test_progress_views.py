"""The progress pages, the record form, the quarterly report with its PDF and comments, and the
plan page's panel."""

import pytest
from django.urls import reverse

from samenplan.core.tests.world import login
from samenplan.monitoring import services
from samenplan.monitoring.models import ActionProgress, ReportComment

from .matrix_progress_cases import follow_plan

pytestmark = pytest.mark.shared_world


def _progress(world, quarter, status="on_track", **extra):
    return services.record_progress(action=world.action, by=world.people["quality"], quarter=quarter, status=status,
                                    explanation=extra.pop("explanation", "Twee afdelingen koken samen."), **extra)


@pytest.fixture
def followed(world):
    follow_plan(world)
    return world


def test_the_record_form_saves_and_goes_to_the_location_page(followed, client):
    w = followed
    login(client, w.people["location_manager"])
    url = reverse("monitoring:record_progress", args=[w.action.pk])
    page = client.get(url + f"?quarter={w.plan.year}-Q3")
    assert page.status_code == 200
    assert f'value="{w.plan.year}-Q3" selected' in page.content.decode()
    response = client.post(url, {"quarter": f"{w.plan.year}-Q3", "status": "delayed",
                                 "explanation": "De kok is ziek.", "figure": "1 van 5", "story": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("monitoring:location_progress", args=[w.plan.pk, w.location.pk]))
    assert ActionProgress.objects.get(action=w.action).status == "delayed"
    page = client.get(response["Location"])
    assert "De kok is ziek." in page.content.decode()


def test_bad_input_keeps_what_was_typed(followed, client):
    w = followed
    login(client, w.people["quality"])
    response = client.post(reverse("monitoring:record_progress", args=[w.action.pk]),
                           {"quarter": f"{w.plan.year}-Q2", "status": "", "explanation": "",
                            "figure": "8 van 12 teams", "story": "Mevrouw zong mee met het kookliedje."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies hoe het met de actie gaat." in html
    assert "Schrijf in een paar zinnen hoe het gaat." in html
    assert "8 van 12 teams" in html and "Mevrouw zong mee met het kookliedje." in html
    assert not ActionProgress.objects.exists()


def test_a_too_long_text_is_refused_on_the_page(followed, client):
    w = followed
    login(client, w.people["quality"])
    response = client.post(reverse("monitoring:record_progress", args=[w.action.pk]),
                           {"quarter": f"{w.plan.year}-Q2", "status": "done", "explanation": "a" * 1001})
    assert response.status_code == 400
    assert "hoogstens 1000 tekens" in response.content.decode()


def test_the_form_says_plainly_when_the_plan_is_not_carried_out(world, client):
    login(client, world.people["quality"])
    url = reverse("monitoring:record_progress", args=[world.action.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "wordt nu niet uitgevoerd" in page.content.decode()
    assert client.post(url, {"status": "done"}).status_code == 400


def test_the_progress_page_shows_the_locations_the_chart_and_the_tracked_list(followed, client):
    w = followed
    _progress(w, f"{w.plan.year}-Q3", status="delayed")
    login(client, w.people["council_member"])
    html = client.get(reverse("monitoring:plan_progress", args=[w.plan.pk]) + f"?quarter={w.plan.year}-Q3") \
        .content.decode()
    assert "<svg" in html and "<title" in html
    assert "De Linde" in html and "Samen koken op de afdeling" in html
    assert "Vertraagd" in html
    assert "Top 3 van de cliëntenraad" in html and "Meer buiten zijn" in html
    # Q4 of last year is long over and has no update: rule 23.
    assert f"Geen update over {w.plan.year}-Q4" in html
    # A council member reads, but does not record.
    assert reverse("monitoring:record_progress", args=[w.action.pk]) not in html


def test_a_wrong_quarter_in_the_address_is_said_and_the_default_shown(followed, client):
    w = followed
    login(client, w.people["quality"])
    response = client.get(reverse("monitoring:plan_progress", args=[w.plan.pk]) + "?quarter=1999-Q9")
    assert response.status_code == 400
    assert "Kies een kwartaal uit de lijst." in response.content.decode()


def test_the_location_page_shows_four_quarters_and_the_record_link(followed, client):
    w = followed
    _progress(w, f"{w.plan.year}-Q1", figure="1 van 5 afdelingen", story="Het rook naar soep.")
    _progress(w, f"{w.plan.year}-Q2", status="done", explanation="Alle afdelingen doen mee.")
    login(client, w.people["location_manager"])
    html = client.get(reverse("monitoring:location_progress", args=[w.plan.pk, w.location.pk])).content.decode()
    for n in range(1, 5):
        assert f"{w.plan.year}-Q{n}" in html
    assert "1 van 5 afdelingen" in html and "Het rook naar soep." in html and "Alle afdelingen doen mee." in html
    assert reverse("monitoring:record_progress", args=[w.action.pk]) in html


def test_a_location_of_another_organisation_is_not_found(followed, client):
    w = followed
    login(client, w.people["quality"])
    url = reverse("monitoring:location_progress", args=[w.plan.pk, w.other_location.pk])
    assert client.get(url).status_code == 404


def test_the_quarterly_report_shows_the_quarter_and_what_changed(followed, client):
    w = followed
    _progress(w, f"{w.plan.year}-Q2", status="on_track")
    _progress(w, f"{w.plan.year}-Q3", status="delayed", explanation="De keuken gaat dicht.", story="Jammer, zei men.")
    login(client, w.people["board"])
    html = client.get(reverse("monitoring:quarterly_report", args=[w.plan.pk]) + f"?quarter={w.plan.year}-Q3") \
        .content.decode()
    assert f"Kwartaalrapportage {w.plan.year}-Q3" in html
    assert "De keuken gaat dicht." in html and "Jammer, zei men." in html
    assert "eerst Op schema, nu Vertraagd" in html
    # The board reads the comments but does not write them.
    assert "Reageren op deze kwartaalrapportage" not in html


def test_a_council_member_comments_on_the_report(followed, client):
    w = followed
    login(client, w.people["council_member"])
    report = reverse("monitoring:quarterly_report", args=[w.plan.pk]) + f"?quarter={w.plan.year}-Q2"
    assert "Reageren op deze kwartaalrapportage" in client.get(report).content.decode()
    url = reverse("monitoring:quarterly_comment", args=[w.plan.pk]) + f"?quarter={w.plan.year}-Q2"
    response = client.post(url, {"body": "Wat fijn dat er weer gekookt wordt."})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Wat fijn dat er weer gekookt wordt." in page.content.decode()
    assert ReportComment.objects.get().quarter == f"{w.plan.year}-Q2"


def test_an_empty_comment_is_refused_on_the_page(followed, client):
    w = followed
    login(client, w.people["council_member"])
    url = reverse("monitoring:quarterly_comment", args=[w.plan.pk]) + f"?quarter={w.plan.year}-Q2"
    response = client.post(url, {"body": "  "})
    assert response.status_code == 400
    assert "Schrijf uw reactie." in response.content.decode()


def test_the_quarterly_report_as_pdf(followed, client):
    w = followed
    _progress(w, f"{w.plan.year}-Q2")
    login(client, w.people["quality"])
    response = client.get(reverse("monitoring:quarterly_report_pdf", args=[w.plan.pk])
                          + f"?quarter={w.plan.year}-Q2&location={w.location.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_plan_page_shows_the_panel_only_for_a_plan_being_carried_out(world, client):
    login(client, world.people["quality"])
    url = reverse("plans:detail", args=[world.plan.pk])
    assert "Voortgang door het jaar" not in client.get(url).content.decode()
    follow_plan(world)
    _progress(world, f"{world.plan.year}-Q4", status="done")
    html = client.get(url).content.decode()
    assert "Voortgang door het jaar" in html and "1 klaar" in html
    assert reverse("monitoring:plan_progress", args=[world.plan.pk]) in html


def test_conditions_and_agreements_are_in_the_tracked_list(followed, client):
    from samenplan.careoffice.tests.dialogue_helpers import agreement_row, session_rows
    from samenplan.consent.models import ConsentCondition, ConsentDecision

    w = followed
    decision = ConsentDecision.objects.create(
        request=w.consent_request, decision=ConsentDecision.Decision.GRANTED_WITH_CONDITIONS,
        version_sha256=w.version.sha256, meeting_date=w.version.created_at.date(), recorded_by=w.people["board"])
    ConsentCondition.objects.create(decision=decision, text="Elk kwartaal een gesprek met de raad",
                                    owner="Bestuurder")
    agreement_row(w, session_rows(w), title="Vaste gezichten in het weekend", status="in_progress")
    login(client, w.people["council_member"])
    html = client.get(reverse("monitoring:plan_progress", args=[w.plan.pk])).content.decode()
    assert "Voorwaarde van een raad" in html and "Elk kwartaal een gesprek met de raad" in html
    assert "Afspraak met het zorgkantoor" in html and "Vaste gezichten in het weekend" in html


def test_the_form_says_when_the_plan_year_has_not_begun(world, client):
    follow_plan(world, year=world.plan.year + 5)
    login(client, world.people["quality"])
    html = client.get(reverse("monitoring:record_progress", args=[world.action.pk])).content.decode()
    assert "is nog niet begonnen" in html
