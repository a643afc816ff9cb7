from ninja import Router, Schema

from .selectors import memberships_of

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    label: str
    organisation_id: int | None
    location_id: int | None
    council_id: int | None
    care_office_id: int | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    language: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="The person calling, with all their roles")
def me(request):
    user = request.user
    roles = [
        RoleOut(role=m.role, label=str(m.get_role_display()), organisation_id=m.organisation_id,
                location_id=m.location_id, council_id=m.council_id, care_office_id=m.care_office_id)
        for m in memberships_of(user)
    ]
    return MeOut(id=user.pk, username=user.username, name=str(user), email=user.email,
                 language=user.language, roles=roles)
