from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from samenplan.accounts.selectors import is_platform_admin, organisation_ids_of

from .models import Framework, FrameworkSection


def frameworks_for_user(user) -> QuerySet[Framework]:
    """The national frameworks, plus the adapted copies of the person's own organisations."""
    frameworks = Framework.objects.select_related("organisation", "based_on")
    if is_platform_admin(user):
        return frameworks
    return frameworks.filter(Q(organisation__isnull=True) | Q(organisation__in=organisation_ids_of(user)))


def get_framework_for_user(user, framework_id) -> Framework:
    framework = (
        frameworks_for_user(user)
        .prefetch_related(Prefetch("sections", queryset=FrameworkSection.objects.order_by("order", "pk")))
        .filter(pk=framework_id)
        .first()
    )
    if framework is None:
        raise Http404
    return framework


def frameworks_for_organisation(organisation) -> QuerySet[Framework]:
    """What a new plan of this organisation can follow: national frameworks and its own copies."""
    return Framework.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
