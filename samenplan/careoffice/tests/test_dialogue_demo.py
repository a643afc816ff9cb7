"""The demo's dialogue session on De Linde's submitted plan."""

import pytest

from samenplan.careoffice.dialogue_demo import load_demo_dialogue
from samenplan.careoffice.dialogue_selectors import plan_panel
from samenplan.core.demo import ORGANISATIONS

from .dialogue_helpers import submitted_plan

WORLD_PEOPLE = {"care_office": "care_office", "board": "board", "quality": "quality",
                "council_member": "council_member"}


@pytest.fixture(autouse=True)
def world_is_the_demo_organisation(world):
    """The demo finds De Linde by its KvK number (core.demo.demo_organisation), not by its name."""
    type(world.organisation).objects.filter(pk=world.organisation.pk).update(kvk_number=ORGANISATIONS[0]["kvk"])


@pytest.mark.django_db
def test_the_demo_holds_no_session_without_a_submitted_plan(world):
    assert load_demo_dialogue(year=2027, people=WORLD_PEOPLE) is None


@pytest.mark.django_db
def test_the_demo_holds_a_session_with_agenda_minutes_and_three_agreements_once(world):
    from samenplan.plans import services as plan_services

    submitted_plan(world)
    session = load_demo_dialogue(year=2027, people=WORLD_PEOPLE)
    assert session.status == "held" and session.minutes
    assert session.agenda_items.filter(kind="council_point").exists()
    assert sorted(session.agreements.values_list("status", flat=True)) == ["done", "in_progress", "open"]
    assert load_demo_dialogue(year=2027, people=WORLD_PEOPLE) is None
    next_plan = plan_services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                          by=world.people["quality"])
    assert len(plan_panel(next_plan)["earlier_agreements"]) == 3
