"""The demo's progress: this year's plan gets its updates and a council comment, once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from samenplan.core.demo import demo_organisation
from samenplan.monitoring.models import ActionProgress, ReportComment
from samenplan.monitoring.progress_demo import load_demo_progress


@pytest.mark.django_db
def test_the_demo_plan_gets_progress_once():
    call_command("load_frameworks")
    call_command("load_demo")
    organisation = demo_organisation()
    plan = organisation.plans.get(year=timezone.localdate().year)
    # The demo's report then evaluates it (monitoring.report_demo).
    assert plan.status in {"submitted", "in_progress", "evaluated"}
    load_demo_progress(organisation)
    first = ActionProgress.objects.filter(action__paragraph__plan=plan).count()
    load_demo_progress(organisation)
    assert ActionProgress.objects.filter(action__paragraph__plan=plan).count() == first
    if timezone.localdate().month >= 7:
        assert first == 5
        assert ActionProgress.objects.filter(story__contains="vogels").count() == 1
        assert ReportComment.objects.filter(plan=plan, kind="quarterly").count() == 1
