"""The permission matrix: for every page and API route, who may and who may not.

Each Case names a route and the personas allowed; every other persona of the test world
(always including a user of another organisation and another care office) must get 403 or 404,
and an anonymous visitor must be sent to the login page (pages) or get 401 (API).
test_permission_matrix.py checks that every named URL and every API route appears here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from samenplan.accounts.models import ApiToken, Membership, Role

from .world import PERSONAS, World

EVERYONE = frozenset(PERSONAS)
ORG_STAFF = frozenset({"board", "quality", "platform_admin"})
ORG_INSIDERS = frozenset({"board", "quality", "location_manager", "council_member", "council_secretary",
                          "platform_admin"})
ORG_VIEWERS = ORG_INSIDERS | {"care_office"}
NETWORK = ORG_INSIDERS | {"peer_reviewer"}


@dataclass(frozen=True)
class Case:
    route: str
    url: Callable[[World], str]
    allowed: frozenset
    method: str = "get"
    data: Callable[[World], dict] | None = None
    api: bool = False

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route}"


def _org(w, name, **extra):
    return reverse(f"organisations:{name}", kwargs={"organisation_id": w.organisation.pk, **extra})


def _location_data(w):
    return {"name": "Nieuwe locatie", "kvk_establishment_number": "000099990001", "street": "Laan 1",
            "postal_code": "1234AB", "city": "Tiel", "places": "20", "is_active": "on"}


def _member_to_remove(w):
    membership = Membership.objects.get(user__username="council_member", council=w.client_council)
    return _org(w, "council_member_remove", council_id=w.client_council.pk, membership_id=membership.pk)


def _token_of_quality(w):
    from samenplan.accounts.services import create_api_token

    token, _raw = create_api_token(user=w.people["quality"], name="koppeling")
    return reverse("accounts:token_revoke", args=[token.pk])


CASES = [
    Case("core:dashboard", lambda w: reverse("core:dashboard"), EVERYONE),
    Case("accounts:profile", lambda w: reverse("accounts:profile"), EVERYONE),
    Case("accounts:profile", lambda w: reverse("accounts:profile"), EVERYONE, "post",
         lambda w: {"language": "en", "notification_preference": "daily_digest"}),
    Case("accounts:token_create", lambda w: reverse("accounts:token_create"), EVERYONE, "post",
         lambda w: {"name": "koppeling"}),
    # A token belongs to one person: everybody else gets a 404 for it.
    Case("accounts:token_revoke", _token_of_quality, frozenset({"quality"}), "post"),
    Case("organisations:switch", lambda w: reverse("organisations:switch"), EVERYONE, "post",
         lambda w: {"organisation": w.organisation.pk, "next": "/"}),
    Case("organisations:detail", lambda w: _org(w, "detail"), ORG_VIEWERS),
    Case("organisations:edit", lambda w: _org(w, "edit"), ORG_STAFF),
    Case("organisations:edit", lambda w: _org(w, "edit"), ORG_STAFF, "post",
         lambda w: {"name": "Zorggroep De Linde", "kvk_number": "41999999"}),
    Case("organisations:location_create", lambda w: _org(w, "location_create"), ORG_STAFF),
    Case("organisations:location_create", lambda w: _org(w, "location_create"), ORG_STAFF, "post",
         _location_data),
    Case("organisations:location", lambda w: _org(w, "location", location_id=w.location.pk), ORG_VIEWERS),
    Case("organisations:location_edit", lambda w: _org(w, "location_edit", location_id=w.location.pk),
         ORG_STAFF | {"location_manager"}),
    Case("organisations:location_edit", lambda w: _org(w, "location_edit", location_id=w.location.pk),
         ORG_STAFF | {"location_manager"}, "post",
         lambda w: {**_location_data(w), "name": "De Linde", "kvk_establishment_number": w.location.kvk_establishment_number}),
    Case("organisations:council_create", lambda w: _org(w, "council_create"), ORG_STAFF),
    Case("organisations:council_create", lambda w: _org(w, "council_create"), ORG_STAFF, "post",
         lambda w: {"kind": "client_council", "name": "Lokale raad De Linde", "location": w.location.pk}),
    Case("organisations:council", lambda w: _org(w, "council", council_id=w.client_council.pk), ORG_INSIDERS),
    Case("organisations:council", lambda w: _org(w, "council", council_id=w.client_council.pk), ORG_STAFF,
         "post", lambda w: {"full_name": "Nieuw Lid", "email": "nieuw@example.nl", "role": Role.COUNCIL_MEMBER}),
    Case("organisations:council_edit", lambda w: _org(w, "council_edit", council_id=w.client_council.pk),
         ORG_STAFF),
    Case("organisations:council_edit", lambda w: _org(w, "council_edit", council_id=w.client_council.pk),
         ORG_STAFF, "post", lambda w: {"name": "Centrale cliëntenraad", "location": ""}),
    Case("organisations:council_member_remove", _member_to_remove, ORG_STAFF, "post"),
    Case("organisations:network", lambda w: reverse("organisations:network", args=[w.network.pk]), NETWORK),
    Case("organisations:care_office", lambda w: reverse("organisations:care_office", args=[w.care_office.pk]),
         frozenset({"care_office", "platform_admin"})),
    Case("GET /api/v1/me", lambda w: "/api/v1/me", EVERYONE, api=True),
    Case("GET /api/v1/organisations", lambda w: "/api/v1/organisations", EVERYONE, api=True),
    Case("GET /api/v1/organisations/{organisation_id}", lambda w: f"/api/v1/organisations/{w.organisation.pk}",
         ORG_VIEWERS, api=True),
]

# Pages anyone may open: the login flows, the language switch and the health check.
PUBLIC_ROUTES = {
    "accounts:login", "accounts:logout", "accounts:login_link_request", "accounts:login_link",
    "accounts:otp_setup", "accounts:otp_verify", "core:set_language", "healthz",
}
PUBLIC_API = {"GET /api/v1/openapi.json"}
