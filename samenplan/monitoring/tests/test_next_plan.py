"""Next year's plan starts from the report's findings (issue 13 point 6, rule 11)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samenplan.consent.selectors import plan_findings
from samenplan.core.tests.world import login
from samenplan.monitoring import report_services as services
from samenplan.monitoring.models import FindingAction
from samenplan.plans import services as plan_services
from samenplan.plans.models import ImprovementAction

from .report_world import FINDING, adopted, completed

pytestmark = pytest.mark.shared_world


def _r11(plan) -> set[int]:
    _snapshot, _sha256, findings = plan_findings(plan)
    return {f.target.location_id for f in findings if f.rule == "R11"}


def _next_plan(world):
    plan = plan_services.create_plan(organisation=world.organisation, year=world.plan.year + 1,
                                     framework=world.plan.framework, by=world.people["quality"])
    # An empty paragraph counts as none (rule 10 reports it); these have a text.
    plan.improvement_paragraphs.update(body="Wat wij dit jaar verbeteren.")
    return plan


def test_rule_11_is_skipped_without_an_adopted_report_of_last_year(world):
    completed(world)  # a draft report: not adopted, so it does not count
    assert _r11(_next_plan(world)) == set()


def test_rule_11_warns_for_each_paragraph_that_cites_no_finding(world):
    adopted(world)
    plan = _next_plan(world)
    locations = set(plan.improvement_paragraphs.values_list("location_id", flat=True))
    assert _r11(plan) == locations


def test_an_action_started_from_a_finding_satisfies_rule_11(world):
    report = adopted(world)
    plan = _next_plan(world)
    finding = report.findings.get()
    action = services.start_action_from_finding(plan=plan, location=world.location, finding=finding,
                                                by=world.people["quality"])
    assert (action.source, action.source_note) == (ImprovementAction.Source.REPORT_FINDING, FINDING)
    assert action.paragraph.plan_id == plan.pk
    assert FindingAction.objects.filter(finding=finding, action=action).exists()
    assert world.location.pk not in _r11(plan)
    assert _r11(plan)  # the other location still cites none


def test_the_paragraph_page_offers_last_year_s_findings(world, client):
    report = adopted(world)
    plan = _next_plan(world)
    finding = report.findings.get()
    login(client, world.people["quality"])
    url = reverse("plans:paragraph", args=[plan.pk, world.location.pk])
    page = client.get(url).content.decode()
    assert FINDING in page and "Begin hiermee" in page
    # A button of the page's one form: what was typed in the text goes along and is saved first.
    response = client.post(url, {"body": "Wij beginnen bij wat bewoners zeiden.", "start_finding": str(finding.pk)})
    assert response.status_code == 302
    paragraph = plan.improvement_paragraphs.get(location=world.location)
    action = paragraph.actions.get(source="report_finding")
    assert response["Location"] == reverse("plans:action", args=[plan.pk, action.pk])
    assert paragraph.body == "Wij beginnen bij wat bewoners zeiden."
    assert "Al een actie van gemaakt" in client.get(url).content.decode()


def test_another_location_s_finding_is_not_offered(world, client):
    report = adopted(world)
    plan = _next_plan(world)
    finding = report.findings.get()
    other = plan.improvement_paragraphs.exclude(location=world.location).first().location
    login(client, world.people["quality"])
    assert FINDING not in client.get(reverse("plans:paragraph", args=[plan.pk, other.pk])).content.decode()
    response = client.post(reverse("plans:paragraph", args=[plan.pk, other.pk]), {"start_finding": str(finding.pk)})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.start_action_from_finding(plan=plan, location=other, finding=finding, by=world.people["quality"])


def test_a_council_member_cannot_start_an_action(world, client):
    report = adopted(world)
    plan = _next_plan(world)
    login(client, world.people["council_member"])
    url = reverse("plans:paragraph", args=[plan.pk, world.location.pk])
    assert client.post(url, {"start_finding": str(report.findings.get().pk)}).status_code in (403, 404)
