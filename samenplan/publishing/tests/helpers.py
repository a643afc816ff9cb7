"""Published plans for the tests: the world's plan through the real round and the real service,
and many more written directly (as seed_scale does) for the query counts."""

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.organisations.tests.factories import LocationFactory, OrganisationFactory, RegionFactory
from samenplan.plans.models import ImprovementAction, ImprovementParagraph, PlanVersion, QualityPlan
from samenplan.plans.snapshot import build_snapshot, load_plan_for_snapshot
from samenplan.publishing import services
from samenplan.publishing.models import Publication


def publish_world_plan(world, **adopt):
    """Adopts the world's plan (complete, reviewed, consented) and its board publishes it."""
    adoption = adopt_plan_of_world(world, **adopt)
    publication = services.publish_plan(plan=world.plan, by=world.people["board"])
    world.plan.refresh_from_db()
    return adoption, publication


def published_plan(organisation, *, year: int, framework, locations: int = 2, actions: int = 2, by=None):
    """A plan of `organisation` with a paragraph and actions per location, frozen and published
    directly (no adoption round: the public side reads only the publication and its version)."""
    by = by or UserFactory()
    plan = QualityPlan.objects.create(organisation=organisation, year=year, framework=framework,
                                      status=QualityPlan.Status.ADOPTED)
    existing = list(organisation.locations.all())
    for n in range(max(0, locations - len(existing))):
        existing.append(LocationFactory(organisation=organisation, name=f"{organisation.name} locatie {n}"))
    for location in existing[:locations]:
        paragraph = ImprovementParagraph.objects.create(plan=plan, location=location,
                                                        body="Wij willen dat bewoners meer buiten zijn.")
        for n in range(actions):
            ImprovementAction.objects.create(paragraph=paragraph, title=f"Wandelen {n}", due_quarter=f"{year}-Q2",
                                             status=ImprovementAction.Status.IN_PROGRESS, order=n)
    snapshot = build_snapshot(load_plan_for_snapshot(plan.pk))
    content = PlanVersion.canonical(snapshot)
    version = PlanVersion.objects.create(plan=plan, number=1, content=content, sha256=PlanVersion.hash_of(content),
                                         created_by=by)
    Publication.objects.create(plan=plan, version=version, published_by=by)
    return plan


def grow_public(world, *, organisations: int = 6, years=(2025, 2026)):
    """More of everything the public pages list: organisations in a new region, each with
    published plans of several locations; and more published years of the world's organisation."""
    region = RegionFactory(name="Uitbreiding")
    board = UserFactory()
    add_membership(user=board, role=Role.BOARD, organisation=world.organisation)
    for n in range(organisations):
        organisation = OrganisationFactory(name=f"Zorg extra {n}", region=region)
        world.network.organisations.add(organisation)
        for year in years:
            published_plan(organisation, year=year, framework=world.plan.framework, locations=3, actions=3, by=board)
    for year in years:
        published_plan(world.organisation, year=year, framework=world.plan.framework, locations=6, actions=4, by=board)
