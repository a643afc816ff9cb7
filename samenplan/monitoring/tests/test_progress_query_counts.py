"""The progress pages, the quarterly report, its API and the plan page's panel make as many
queries for a plan with many locations, actions, updates and comments as for a small one."""

import pytest
from django.urls import reverse

from samenplan.core.tests.test_query_counts import _count
from samenplan.core.tests.world import grow_world, login
from samenplan.monitoring.models import ActionProgress, ReportComment
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction, ImprovementParagraph

from .matrix_progress_cases import follow_plan

pytestmark = pytest.mark.shared_world


def _grow(w):
    grow_world(w, locations=4, members=2)
    quality = w.people["quality"]
    for location in w.organisation.locations.all():
        paragraph, _new = ImprovementParagraph.objects.get_or_create(plan=w.plan, location=location)
        for n in range(3):
            action = ImprovementAction.objects.create(paragraph=paragraph, title=f"Actie {n} van {location.name}",
                                                      owner="Teamleider")
            for quarter in (1, 2, 3):
                ActionProgress.objects.create(action=action, quarter=f"{w.plan.year}-Q{quarter}",
                                              status=["on_track", "delayed", "done"][(n + quarter) % 3],
                                              explanation="Loopt.", figure="3", story="Verhaal.",
                                              recorded_by=quality)
        ReportComment.objects.create(plan=w.plan, kind="quarterly", quarter=f"{w.plan.year}-Q2", location=location,
                                     council=w.client_council, author=w.people["council_member"], body="Goed zo.")
        point = TopPoint.objects.create(plan=w.plan, council=w.client_council, location=location, rank=1,
                                        title=f"Buiten zijn in {location.name}", recorded_by=quality)
        point.actions.add(action)


PAGES = {
    "plan_progress": lambda w: reverse("monitoring:plan_progress", args=[w.plan.pk]) + f"?quarter={w.plan.year}-Q2",
    "location_progress": lambda w: reverse("monitoring:location_progress", args=[w.plan.pk, w.location.pk]),
    "quarterly_report": lambda w: reverse("monitoring:quarterly_report", args=[w.plan.pk])
    + f"?quarter={w.plan.year}-Q2",
    "quarterly_report_location": lambda w: reverse("monitoring:quarterly_report", args=[w.plan.pk])
    + f"?quarter={w.plan.year}-Q2&location={w.location.pk}",
    "record_progress": lambda w: reverse("monitoring:record_progress", args=[w.action.pk]),
    "api_quarterly_report": lambda w: f"/api/v1/plans/{w.plan.pk}/quarterly-report?quarter={w.plan.year}-Q2",
    "plan_page": lambda w: reverse("plans:detail", args=[w.plan.pk]),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["quality", "council_member"])
def test_query_count_does_not_grow(page, persona, world, client, django_assert_max_num_queries):
    if persona == "council_member" and page in {"record_progress", "plan_page"}:
        pytest.skip("not a page of council members")
    follow_plan(world)
    login(client, world.people[persona])
    url = PAGES[page](world)
    client.get(url)
    small = _count(client, url)
    _grow(world)
    with django_assert_max_num_queries(small):
        client.get(url)
    assert _count(client, url) == small
