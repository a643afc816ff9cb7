"""The report's pages: the chain on the page, drafting without JavaScript, the board's
confirmation, the API, and query counts that do not grow with locations, actions or signals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samenplan.core import pagecache
from samenplan.core.tests.world import login
from samenplan.monitoring import report_services as services
from samenplan.monitoring.models import ActionProgress, QualityReport, ReportFinding
from samenplan.organisations.tests.factories import LocationFactory
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction, ImprovementParagraph
from samenplan.signals.models import Signal, SignalAction

from .report_world import EVALUATION, FINDING, SIGNAL_TEXT, THEME, adopted, build_chain, completed, drafted

pytestmark = pytest.mark.shared_world


def test_the_report_page_shows_the_chain(world, client):
    completed(world)
    login(client, world.people["council_member"])
    page = client.get(reverse("monitoring:report", args=[world.plan.pk])).content.decode()
    for text in (world.top_point.title, world.action.title, EVALUATION, FINDING, "Klaar"):
        assert text in page
    assert SIGNAL_TEXT not in page


def test_before_the_report_the_page_offers_to_start_it(world, client):
    build_chain(world)
    login(client, world.people["quality"])
    page = client.get(reverse("monitoring:report", args=[world.plan.pk])).content.decode()
    assert reverse("monitoring:start_report", args=[world.plan.pk]) in page
    response = client.post(reverse("monitoring:start_report", args=[world.plan.pk]))
    assert response.status_code == 302
    assert QualityReport.objects.filter(plan=world.plan).exists()


def test_starting_the_report_of_a_draft_plan_says_why_not(world, client):
    login(client, world.people["quality"])
    response = client.post(reverse("monitoring:start_report", args=[world.plan.pk]))
    assert response.status_code == 409
    assert "ingediend" in response.content.decode()


def test_the_theme_evaluation_is_checked_for_readability_without_saving(world, client):
    report = drafted(world)
    login(client, world.people["quality"])
    long = ("Het is in het kader van de implementatie van het multidisciplinaire zorgleefplan noodzakelijk dat alle "
            "betrokken disciplines structureel en methodisch samenwerken op basis van gedeelde doelstellingen.")
    response = client.post(reverse("monitoring:edit_report", args=[world.plan.pk]),
                           {"introduction": "Intro", f"theme_{THEME}": long, "check": "1"})
    assert response.status_code == 200
    assert "Lange zinnen" in response.content.decode() and long in response.content.decode()
    assert report.theme_evaluations.get(theme_key=THEME).body == ""


def test_a_theme_evaluation_is_shown_as_sanitised_markdown(world, client):
    drafted(world)
    login(client, world.people["quality"])
    client.post(reverse("monitoring:edit_report", args=[world.plan.pk]),
                {"introduction": "", f"theme_{THEME}": "**Goed** <script>alert(1)</script>"})
    page = client.get(reverse("monitoring:report", args=[world.plan.pk])).content.decode()
    assert "<strong>Goed</strong>" in page
    assert "<script>alert(1)" not in page


def test_a_bad_evaluation_keeps_what_was_typed(world, client):
    drafted(world)
    login(client, world.people["location_manager"])
    response = client.post(reverse("monitoring:evaluate_action", args=[world.plan.pk, world.action.pk]),
                           {"final_status": "", "evaluation": "Half af"})
    assert response.status_code == 400
    assert "Half af" in response.content.decode()
    assert "Kies hoe de actie is geëindigd" in response.content.decode() or "error-summary" in response.content.decode()


def test_a_finding_is_added_on_its_page(world, client):
    report = drafted(world)
    login(client, world.people["quality"])
    url = reverse("monitoring:findings", args=[world.plan.pk])
    assert client.post(url, {"text": "", "location": ""}).status_code == 400
    assert client.post(url, {"text": FINDING, "location": world.location.pk, "theme_key": THEME}).status_code == 302
    finding = report.findings.get()
    assert client.post(url, {"finding": finding.pk, "remove": "1", "text": "x"}).status_code == 302
    assert not report.findings.exists()


def test_the_board_sees_what_is_missing_before_adopting(world, client):
    drafted(world)
    login(client, world.people["board"])
    url = reverse("monitoring:adopt_report", args=[world.plan.pk])
    assert "nog geen evaluatie" in client.get(url).content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 409


def test_the_board_adopts_after_confirming(world, client):
    completed(world)
    login(client, world.people["board"])
    url = reverse("monitoring:adopt_report", args=[world.plan.pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert QualityReport.objects.get(plan=world.plan).status == "adopted"


def test_the_report_pdf_is_a_pdf(world, client):
    completed(world)
    login(client, world.people["quality"])
    response = client.get(reverse("monitoring:report_pdf", args=[world.plan.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_plan_page_links_the_report(world, client):
    drafted(world)
    login(client, world.people["quality"])
    page = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    assert reverse("monitoring:report", args=[world.plan.pk]) in page


# --- API ---------------------------------------------------------------------------------------


def test_the_api_gives_the_report_content(world, client):
    completed(world)
    login(client, world.people["council_member"])
    body = client.get(f"/api/v1/plans/{world.plan.pk}/report").json()
    assert body["status"] == "draft"
    (point,) = body["content"]["organisation_wide"]["top_points"]
    assert point["actions"][0]["evaluation"] == EVALUATION


def test_the_api_says_when_there_is_no_report_yet(world, client):
    login(client, world.people["quality"])
    response = client.get(f"/api/v1/plans/{world.plan.pk}/report")
    assert response.status_code == 404
    assert "nog geen kwaliteitsverslag" in response.json()["message"]


def test_the_api_hides_another_organisation_s_report(world, client):
    adopted(world)
    login(client, world.people["outsider"])
    assert client.get(f"/api/v1/plans/{world.plan.pk}/report").status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def _count(client, url):
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _grow(world, report, *, locations=6, actions=3, signals=4):
    """More locations, each with its paragraph, actions with progress, evaluations and signals, a
    top-3 point of its own and a finding."""
    quality = world.people["quality"]
    plan = world.plan
    for n in range(locations):
        location = LocationFactory(organisation=world.organisation, name=f"Groei {n}")
        paragraph = ImprovementParagraph.objects.create(plan=plan, location=location)
        point = TopPoint.objects.create(plan=plan, council=world.client_council, location=location, rank=1,
                                        title=f"Punt {n}", recorded_by=quality)
        for m in range(actions):
            action = ImprovementAction.objects.create(paragraph=paragraph, title=f"Actie {n}.{m}", owner="Team")
            point.actions.add(action)
            ActionProgress.objects.create(action=action, quarter=f"{plan.year}-Q2", status="on_track",
                                          explanation="Loopt.", recorded_by=quality)
            report.action_evaluations.create(action=action, final_status="on_track", evaluation="Goed.")
            for s in range(signals):
                signal = Signal.objects.create(organisation=world.organisation, location=location, text=f"S {s}",
                                               received_on=datetime.date(plan.year, 5, 1), theme_key=THEME)
                SignalAction.objects.create(signal=signal, action=action, linked_by=quality)
        ReportFinding.objects.create(report=report, location=location, text=f"Bevinding {n}")


@pytest.mark.parametrize("name", ["report", "edit_report", "findings", "adopt_report", "api"])
def test_query_counts_do_not_grow(world, client, name):
    report = completed(world)
    url = (f"/api/v1/plans/{world.plan.pk}/report" if name == "api"
           else reverse(f"monitoring:{name}", args=[world.plan.pk]))
    login(client, world.people["board"])
    small = _count(client, url)
    _grow(world, report)
    large = _count(client, url)
    assert large == small, f"{name}: {small} queries small, {large} large"


def test_the_public_pages_query_counts_do_not_grow(world, client):
    report = adopted(world)
    services.set_report_published(report=report, by=world.people["quality"], published=True)
    page = services.save_you_said(plan=world.plan, location=world.location, by=world.people["quality"],
                                  items=[{"top_point": world.top_point.pk, "you_said": "Vaker naar buiten.",
                                          "we_did": "Elke dag een wandeling."}])
    services.set_you_said_published(page=page, by=world.people["quality"], published=True)
    urls = [reverse("monitoring:public_report", args=[world.organisation.pk, world.plan.year]),
            reverse("monitoring:you_said", args=[world.location.pk]),
            reverse("monitoring:you_said_poster", args=[world.location.pk])]
    client.get(urls[-1])  # the poster's first view makes the location's signal page
    small = [_count(client, url) for url in urls]
    draft = QualityReport.objects.get(pk=report.pk)
    _grow(world, draft)
    assert [_count(client, url) for url in urls] == small
