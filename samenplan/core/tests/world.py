"""A test world with one person per role, used by the permission matrix and many tests."""

from dataclasses import dataclass, field

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.organisations.models import Council
from samenplan.organisations.tests.factories import (
    CareOfficeFactory,
    CouncilFactory,
    LearningNetworkFactory,
    LocationFactory,
    OrganisationFactory,
    RegionFactory,
)

PERSONAS = [
    "board", "quality", "location_manager", "council_member", "council_secretary",
    "peer_reviewer", "care_office", "platform_admin", "outsider", "other_care_office",
    "works_council_member", "uninvited_peer",
]


@dataclass
class World:
    organisation: object  # ours: Zorggroep with locations, a client council, a VAR and an OR
    peer_organisation: object  # in our learning network, no VAR/PAR
    other_organisation: object  # another region, outside the network
    location: object
    client_council: object
    nursing_council: object
    network: object
    care_office: object
    other_location: object
    other_council: object
    people: dict = field(default_factory=dict)
    # A 2027 plan under KK 2017 with one action and two versions, both shared with the councils,
    # and the organisation's own copy of the framework with an own theme.
    plan: object = None
    first_version: object = None
    version: object = None
    action: object = None
    own_framework: object = None
    own_theme: object = None
    # In the network too, but not invited to review (its peer reviewer is "uninvited_peer").
    second_peer_organisation: object = None
    works_council: object = None
    # Issue 5: the peer organisation is invited to review `version`; the council member commented
    # on it and recorded a top-3 point; the client council and the VAR are asked to consent.
    invitation: object = None
    comment: object = None
    top_point: object = None
    consent_request: object = None  # to the client council
    nursing_consent_request: object = None


def build_world() -> World:
    region, other_region = RegionFactory(name="Rivierenland"), RegionFactory(name="Noorderland")
    organisation = OrganisationFactory(name="Zorggroep De Linde", region=region)
    peer = OrganisationFactory(name="Stichting Het Anker", region=region)
    other = OrganisationFactory(name="Zorgcentrum Elders", region=other_region)
    location = LocationFactory(organisation=organisation, name="De Linde")
    LocationFactory(organisation=organisation, name="Het Wilgenhof")
    client_council = CouncilFactory(organisation=organisation, kind=Council.Kind.CLIENT_COUNCIL,
                                    name="Centrale cliëntenraad")
    nursing_council = CouncilFactory(organisation=organisation, kind=Council.Kind.NURSING_COUNCIL, name="VAR")
    works_council = CouncilFactory(organisation=organisation, kind=Council.Kind.WORKS_COUNCIL, name="OR")
    CouncilFactory(organisation=peer, kind=Council.Kind.CLIENT_COUNCIL, name="Cliëntenraad Anker")
    CouncilFactory(organisation=peer, kind=Council.Kind.WORKS_COUNCIL, name="OR Anker")
    other_location = LocationFactory(organisation=other, name="Elders")
    other_council = CouncilFactory(organisation=other, kind=Council.Kind.CLIENT_COUNCIL, name="Cliëntenraad Elders")
    second_peer = OrganisationFactory(name="Woonzorg Vijverhof", region=region)
    LocationFactory(organisation=second_peer, name="Vijverhof")
    network = LearningNetworkFactory(name="Lerend netwerk Rivierenland",
                                     organisations=[organisation, peer, second_peer])
    care_office = CareOfficeFactory(name="Zorgkantoor Rivierenland", regions=[region])
    other_office = CareOfficeFactory(name="Zorgkantoor Noorderland", regions=[other_region])

    def person(username, role, **scope):
        user = UserFactory(username=username)
        add_membership(user=user, role=role, **scope)
        return user

    people = {
        "board": person("board", Role.BOARD, organisation=organisation),
        "quality": person("quality", Role.QUALITY_STAFF, organisation=organisation),
        "location_manager": person("location_manager", Role.LOCATION_MANAGER, location=location),
        "council_member": person("council_member", Role.COUNCIL_MEMBER, council=client_council),
        "council_secretary": person("council_secretary", Role.COUNCIL_SECRETARY, council=client_council),
        "peer_reviewer": person("peer_reviewer", Role.PEER_REVIEWER, organisation=peer),
        "care_office": person("care_office", Role.CARE_OFFICE_STAFF, care_office=care_office),
        "platform_admin": person("platform_admin", Role.PLATFORM_ADMIN),
        "outsider": person("outsider", Role.QUALITY_STAFF, organisation=other),
        "other_care_office": person("other_care_office", Role.CARE_OFFICE_STAFF, care_office=other_office),
        "works_council_member": person("works_council_member", Role.COUNCIL_MEMBER, council=works_council),
        "uninvited_peer": person("uninvited_peer", Role.PEER_REVIEWER, organisation=second_peer),
    }
    world = World(
        organisation=organisation, peer_organisation=peer, other_organisation=other, location=location,
        client_council=client_council, nursing_council=nursing_council, network=network,
        care_office=care_office, other_location=other_location, other_council=other_council, people=people,
        second_peer_organisation=second_peer, works_council=works_council,
    )
    add_plan(world)
    add_participation(world)
    return world


def add_plan(world: World) -> None:
    from samenplan.frameworks.models import Framework
    from samenplan.frameworks.services import add_framework_section, copy_framework, load_all_frameworks
    from samenplan.plans import services as plan_services

    if not Framework.objects.exists():
        load_all_frameworks()
    framework = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None)
    quality = world.people["quality"]
    world.plan = plan_services.create_plan(organisation=world.organisation, year=2027, framework=framework, by=quality)
    plan_services.update_section(plan=world.plan, key="wonen-en-welzijn", base_revision=0, by=quality,
                                 body="Bewoners eten samen. Wie wil, gaat elke dag naar buiten.")
    world.first_version = plan_services.freeze_version(plan=world.plan, by=quality, note="Eerste opzet")
    world.action = plan_services.save_action(
        plan=world.plan, location=world.location, by=quality, title="Samen koken op de afdeling",
        owner="Teamleider De Linde", due_quarter="2027-Q2")
    world.version = plan_services.freeze_version(plan=world.plan, by=quality, note="Voor de raden")
    for version in (world.first_version, world.version):
        plan_services.share_version_with_councils(version=version, by=quality)
    world.own_framework = copy_framework(framework=framework, organisation=world.organisation, by=quality)
    world.own_theme = add_framework_section(framework=world.own_framework, by=quality, title="Zingeving")


def add_participation(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from samenplan.consent.models import ConsentRequest
    from samenplan.participation import services as participation

    quality = world.people["quality"]
    (world.invitation,) = participation.invite_peers(version=world.version, organisations=[world.peer_organisation],
                                                     by=quality)
    world.comment = participation.add_comment(version=world.version, by=world.people["council_member"],
                                              section_key="wonen-en-welzijn", body="Kunnen bewoners ook zelf koken?")
    (world.top_point,) = participation.record_top_points(
        plan=world.plan, council=world.client_council, by=world.people["council_member"], location=None,
        points=[{"title": "Meer buiten zijn", "explanation": "Bewoners willen elke dag naar buiten."}])
    # Made directly, not through request_consent: the world's plan is not complete, and a consent
    # round on it is what the matrix needs, not what the checker would allow.
    respond_by = timezone.localdate() + timedelta(weeks=6)
    world.consent_request, world.nursing_consent_request = (
        ConsentRequest.objects.create(plan=world.plan, version=world.version, council=council, respond_by=respond_by,
                                      requested_by=quality)
        for council in (world.client_council, world.nursing_council))


def grow_world(world: World, *, locations: int = 8, members: int = 6) -> None:
    """More of everything a page lists: locations, each with a local council, and council members.

    Pages must not make more queries for a bigger organisation (see test_query_counts.py).
    """
    for n in range(locations):
        location = LocationFactory(organisation=world.organisation, name=f"Extra locatie {n}")
        CouncilFactory(organisation=world.organisation, kind=Council.Kind.CLIENT_COUNCIL, location=location,
                       name=f"Lokale cliëntenraad {n}")
        LocationFactory(organisation=world.peer_organisation, name=f"Anker extra {n}")
    for n in range(members):
        add_membership(user=UserFactory(username=f"member{n}"), role=Role.COUNCIL_MEMBER,
                       council=world.client_council)
        add_membership(user=UserFactory(username=f"var{n}"), role=Role.COUNCIL_SECRETARY,
                       council=world.nursing_council)


def login(client, user):
    """force_login plus a confirmed TOTP device in the session, as after a real second step."""
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
