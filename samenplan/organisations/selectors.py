"""Reads of organisations and their structure, always scoped to the person asking.

Another organisation's objects raise Http404, so a response never reveals that they exist.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from samenplan.accounts.models import Membership, Role
from samenplan.accounts.selectors import (
    is_platform_admin,
    memberships_of,
    organisation_ids_of,
    region_ids_of_care_offices,
)

from .models import CareOffice, Council, LearningNetwork, Location, Organisation


def organisations_for_user(user) -> QuerySet[Organisation]:
    if is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(pk__in=organisation_ids_of(user)) | Q(region__in=region_ids_of_care_offices(user))
    )


def _council_queryset():
    people = Membership.objects.filter(role__in=[Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY])
    return Council.objects.select_related("location").prefetch_related(
        Prefetch("memberships", queryset=people.select_related("user").order_by("user__first_name"))
    )


def get_organisation_for_user(user, organisation_id) -> Organisation:
    organisation = (
        organisations_for_user(user)
        .select_related("region")
        .prefetch_related(
            "locations",
            Prefetch("councils", queryset=_council_queryset()),
            "learning_networks",
            "region__care_offices",
        )
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def get_location_for_user(user, organisation_id, location_id) -> Location:
    location = (
        Location.objects.filter(organisation__in=organisations_for_user(user))
        .select_related("organisation")
        .prefetch_related(
            Prefetch("councils", queryset=_council_queryset()),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.LOCATION_MANAGER).select_related("user"),
                to_attr="managers",
            ),
        )
        .filter(organisation_id=organisation_id, pk=location_id)
        .first()
    )
    if location is None:
        raise Http404
    return location


def get_council_for_user(user, organisation_id, council_id) -> Council:
    council = (
        _council_queryset()
        .filter(organisation__in=organisations_for_user(user))
        .select_related("organisation")
        .filter(organisation_id=organisation_id, pk=council_id)
        .first()
    )
    if council is None:
        raise Http404
    return council


def networks_for_user(user) -> QuerySet[LearningNetwork]:
    networks = LearningNetwork.objects.prefetch_related(
        Prefetch("organisations", queryset=Organisation.objects.select_related("region"))
    )
    if is_platform_admin(user):
        return networks
    return networks.filter(organisations__in=organisation_ids_of(user)).distinct()


def get_network_for_user(user, network_id) -> LearningNetwork:
    network = networks_for_user(user).filter(pk=network_id).first()
    if network is None:
        raise Http404
    return network


def care_offices_for_user(user) -> QuerySet[CareOffice]:
    if is_platform_admin(user):
        return CareOffice.objects.all()
    ids = {m.care_office_id for m in memberships_of(user) if m.role == Role.CARE_OFFICE_STAFF}
    return CareOffice.objects.filter(pk__in=ids)


def get_care_office_for_user(user, care_office_id) -> CareOffice:
    care_office = care_offices_for_user(user).filter(pk=care_office_id).first()
    if care_office is None:
        raise Http404
    return care_office


def organisations_of_care_office(care_office: CareOffice) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(region__care_offices=care_office)
        .select_related("region")
        .annotate(
            active_locations=Count("locations", filter=Q(locations__is_active=True), distinct=True),
            councils_count=Count("councils", distinct=True),
        )
        .order_by("region__name", "name")
    )


def switchable_organisations(user) -> list[Organisation]:
    """The organisations a person works in or for, for the switcher in the header."""
    seen: dict[int, Organisation] = {}
    for m in memberships_of(user):
        if m.organisation_id and m.organisation_id not in seen:
            seen[m.organisation_id] = m.organisation
    return sorted(seen.values(), key=lambda o: o.name)


# Without a choice in the session, a person starts in the organisation of their weightiest role:
# a quality officer who also reviews for a peer lands in their own organisation.
ROLE_WEIGHT = [Role.BOARD, Role.QUALITY_STAFF, Role.LOCATION_MANAGER, Role.COUNCIL_SECRETARY,
               Role.COUNCIL_MEMBER, Role.PEER_REVIEWER]


def current_organisation(request) -> Organisation | None:
    options = switchable_organisations(request.user)
    chosen = request.session.get("organisation_id")
    for organisation in options:
        if organisation.pk == chosen:
            return organisation
    weighted = [m for m in memberships_of(request.user) if m.organisation_id and m.role in ROLE_WEIGHT]
    if not weighted:
        return None
    return min(weighted, key=lambda m: (ROLE_WEIGHT.index(m.role), m.organisation.name)).organisation


@dataclass(frozen=True)
class AttentionItem:
    """Something on the dashboard that needs this person: what, why, and where to act."""

    text: str
    url: str = ""
    link_text: str = ""
    blocking: bool = False


def councils_with_counts(organisation: Organisation) -> list[Council]:
    """The organisation's councils, each with `member_count` and `secretary_count`, in one query."""
    return list(
        Council.objects.filter(organisation=organisation).select_related("location").annotate(
            member_count=Count("memberships", filter=Q(
                memberships__role__in=[Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY])),
            secretary_count=Count("memberships", filter=Q(memberships__role=Role.COUNCIL_SECRETARY)),
        )
    )


def structure_attention(organisation: Organisation, councils: list[Council] | None = None) -> list[AttentionItem]:
    """What is missing in the organisation's structure before a plan can go round.

    Counts and yes/no questions only (three small queries): this runs on every dashboard view.
    Pass `councils` from councils_with_counts when the caller has them already.
    """
    items: list[AttentionItem] = []
    councils = councils_with_counts(organisation) if councils is None else councils
    kinds = {c.kind for c in councils}
    org_url = organisation.get_absolute_url()
    if not organisation.locations.filter(is_active=True).exists():
        items.append(AttentionItem(
            _("Er staat nog geen locatie in Samenplan. Elke locatie krijgt straks een eigen verbeterparagraaf."),
            org_url + "#locaties", _("Locatie toevoegen"), blocking=True,
        ))
    if Council.Kind.CLIENT_COUNCIL not in kinds:
        items.append(AttentionItem(
            _("Er staat nog geen cliëntenraad in Samenplan. De cliëntenraad moet instemmen met het kwaliteitsplan."),
            org_url + "#raden", _("Raad toevoegen"), blocking=True,
        ))
    if Council.Kind.NURSING_COUNCIL not in kinds:
        if Council.Kind.WORKS_COUNCIL in kinds:
            items.append(AttentionItem(
                _("Er is geen VAR/PAR. Daarom stemt de ondernemingsraad in, en kijkt daarbij naar de zorg "
                  "zoals zorgmedewerkers die zien."),
            ))
        else:
            items.append(AttentionItem(
                _("Er is geen VAR/PAR en geen ondernemingsraad. Een van beide moet instemmen met het plan."),
                org_url + "#raden", _("Raad toevoegen"), blocking=True,
            ))
    for council in councils:
        if not council.member_count:
            items.append(AttentionItem(
                _("%(council)s heeft nog geen leden in Samenplan.") % {"council": council.name},
                council.get_absolute_url(), _("Leden toevoegen"),
            ))
        elif not council.secretary_count:
            items.append(AttentionItem(
                _("%(council)s heeft geen secretaris. De secretaris legt straks de besluiten van de raad vast.")
                % {"council": council.name},
                council.get_absolute_url(), _("Secretaris aanwijzen"),
            ))
    if not organisation.learning_networks.exists():
        items.append(AttentionItem(
            _("Uw organisatie zit nog niet in een lerend netwerk. Voor de vaststelling van het plan is "
              "feedback van minstens twee collega-organisaties nodig."),
        ))
    return items
