from ninja import Router, Schema

from . import selectors

router = Router(tags=["organisations"])


class RegionOut(Schema):
    id: int
    name: str


class LocationOut(Schema):
    id: int
    name: str
    kvk_establishment_number: str
    street: str
    postal_code: str
    city: str
    places: int
    is_active: bool


class MemberOut(Schema):
    user_id: int
    name: str
    role: str


class CouncilOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    location_id: int | None
    is_central: bool
    # Names of council members are only for people inside the organisation.
    members: list[MemberOut] | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    kvk_number: str
    region: RegionOut
    locations: list[LocationOut]
    councils: list[CouncilOut]


class OrganisationSummaryOut(Schema):
    id: int
    name: str
    kvk_number: str


@router.get("/organisations", response=list[OrganisationSummaryOut], summary="Organisations the caller may see")
def list_organisations(request):
    return selectors.organisations_for_user(request.user).order_by("name")


@router.get("/organisations/{organisation_id}", response=OrganisationOut,
            summary="One organisation with its locations and councils")
def get_organisation(request, organisation_id: int):
    organisation = selectors.get_organisation_for_user(request.user, organisation_id)
    show_people = request.user.has_perm("organisations.view_people", organisation)
    councils = [
        CouncilOut(
            id=c.pk, kind=c.kind, kind_label=str(c.get_kind_display()), name=c.name,
            location_id=c.location_id, is_central=c.is_central,
            members=[MemberOut(user_id=m.user_id, name=str(m.user), role=m.role) for m in c.memberships.all()]
            if show_people else None,
        )
        for c in organisation.councils.all()
    ]
    return OrganisationOut(
        id=organisation.pk, name=organisation.name, kvk_number=organisation.kvk_number,
        region=RegionOut(id=organisation.region.pk, name=organisation.region.name),
        locations=[LocationOut.from_orm(loc) for loc in organisation.locations.all()],
        councils=councils,
    )
