"""The demo's published plan (issue 12, point 9): Zorggroep De Linde's newest adopted plan, made
public by its board through the real service, so the audit trail says so too."""

from samenplan.accounts.models import Membership, Role
from samenplan.consent.models import Adoption
from samenplan.core.demo import demo_organisation

from . import services


def load_demo_publication():
    """Publishes De Linde's newest adopted plan, if it has one; does nothing otherwise (also when it
    is published already). Returns the Publication or None."""
    organisation = demo_organisation()
    if organisation is None:
        return None
    adoption = (Adoption.objects.filter(plan__organisation=organisation).select_related("plan")
                .order_by("-plan__year", "-adopted_at", "-pk").first())
    if adoption is None:
        return None
    board = (Membership.objects.filter(organisation=organisation, role=Role.BOARD, user__is_active=True)
             .select_related("user").order_by("pk").first())
    if board is None:
        return None
    return services.publish_plan(plan=adoption.plan, by=board.user)
