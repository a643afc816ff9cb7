"""The demo's report: this year's plan evaluated, next year's paragraphs start from its findings."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samenplan.consent.selectors import plan_findings
from samenplan.core.demo import demo_organisation
from samenplan.monitoring.models import FindingAction, QualityReport, YouSaidWeDid
from samenplan.monitoring.progress_demo import load_demo_progress
from samenplan.monitoring.report_demo import load_demo_report


@pytest.mark.django_db
def test_the_demo_plan_is_evaluated_once_and_starts_next_year(client):
    call_command("load_frameworks")
    call_command("load_demo")
    organisation = demo_organisation()
    load_demo_progress(organisation)
    load_demo_report(organisation)
    load_demo_report(organisation)
    year = timezone.localdate().year
    plan = organisation.plans.get(year=year)
    assert plan.status == "evaluated"
    report = QualityReport.objects.get(plan=plan)
    assert report.status == "adopted" and report.published_at is not None
    next_plan = organisation.plans.get(year=year + 1)
    paragraphs = list(next_plan.improvement_paragraphs.all())
    assert FindingAction.objects.filter(action__paragraph__plan=next_plan).count() == len(paragraphs)
    _snapshot, _sha256, findings = plan_findings(next_plan)
    assert [f for f in findings if f.rule == "R11"] == []
    page = YouSaidWeDid.objects.get(plan=plan, location__name="Het Wilgenhof")
    assert page.published_at is not None
    assert client.get(reverse("monitoring:you_said", args=[page.location_id])).status_code == 200
    assert client.get(reverse("monitoring:public_report", args=[organisation.pk, year])).status_code == 200
    # The care office still sees the plan it received as in dialogue.
    from samenplan.careoffice.models import Submission

    assert Submission.objects.filter(plan=plan, status__in=Submission.CURRENT).exists()
