"""A plan of the test world that went the whole way to the care office, through the real services."""

from samenplan.consent.services import transition_plan
from samenplan.consent.tests.adopted import adopt_plan_of_world

from .. import services


def submit_plan_of_world(world, *, note=""):
    """Adopts the world's plan (anew after a revision) and submits it. Returns the Submission."""
    world.plan.refresh_from_db()
    if world.plan.status == "submitted":
        # A revision: back to draft, a new consent round, adopted again.
        transition_plan(plan=world.plan, to="draft", by=world.people["quality"])
    if world.plan.status != "adopted":
        adopt_plan_of_world(world)
    world.plan.refresh_from_db()
    return services.submit_plan(plan=world.plan, by=world.people["board"], note=note)
