"""An adopted plan for the tests of what comes after adoption (care office, publishing, library),
made through the real round: complete contents, two peer reviews, both councils' consent, the board."""

from django.utils import timezone

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.consent import services
from samenplan.consent.models import ConsentDecision
from samenplan.plans import services as plan_services

from .helpers import complete_plan, reviewed_by_two_peers


def nursing_secretary(world):
    user = world.nursing_council.memberships.filter(role=Role.COUNCIL_SECRETARY).first()
    if user is not None:
        return user.user
    user = UserFactory(first_name="Vera", last_name="Verpleeg")
    add_membership(user=user, role=Role.COUNCIL_SECRETARY, council=world.nursing_council)
    return user


def adopt_plan_of_world(world, *, plan=None, note="Compleet"):
    """Completes, freezes, reviews, consents and adopts the world's plan (or another plan of the
    world's organisation). Returns the Adoption. Call again after a revision for a newer one."""
    plan = plan or world.plan
    quality, board = world.people["quality"], world.people["board"]
    plan.refresh_from_db()
    if plan.status == "adopted":
        plan = services.transition_plan(plan=plan, to="draft", by=quality)
    complete_plan(plan, quality)
    if plan.status == "draft" and plan.versions.exists():
        # Some change, so the revision has a version of its own.
        section = plan.sections.get(key="veiligheid")
        plan_services.update_section(plan=plan, key="veiligheid", body=section.body + " Herzien.",
                                     summary=section.summary or "Kort.", base_revision=section.revision, by=quality)
    version = plan_services.freeze_version(plan=plan, by=quality, note=note)
    if plan == world.plan:
        reviewed_by_two_peers(world, version)
    requests = services.request_consent(plan=plan, by=quality)
    secretaries = {world.client_council.pk: world.people["council_secretary"],
                   world.nursing_council.pk: nursing_secretary(world)}
    for request in requests:
        services.record_consent_decision(request=request, by=secretaries[request.council_id],
                                         decision=ConsentDecision.Decision.GRANTED,
                                         meeting_date=timezone.localdate(), reasons="", conditions=[],
                                         present_ids=[])
    return services.adopt_plan(plan=plan, by=board)
