"""The permission matrix: for every page and API route, who may and who may not.

Each Case names a route and the personas allowed; every other persona of the test world
(always including a user of another organisation and another care office) must get 403 or 404,
and an anonymous visitor must be sent to the login page (pages) or get 401 (API).
test_permission_matrix.py checks that every named URL and every API route appears here.
"""

from django.urls import reverse

from samenplan.accounts.models import Membership, Role

from .cases import (  # noqa: F401  (the persona sets are used by the apps' matrix_cases too)
    COUNCILS,
    EVERYONE,
    NETWORK,
    ORG_INSIDERS,
    ORG_STAFF,
    ORG_VIEWERS,
    PLAN_EDITORS,
    PLAN_READERS,
    VERSION_READERS,
    Case,
)

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
    # The plan list is always of the person's own organisation, so the outsider sees their own.
    Case("plans:list", lambda w: reverse("plans:list"), PLAN_EDITORS | {"location_manager", "outsider"}),
    Case("plans:list", lambda w: reverse("plans:list"), PLAN_EDITORS | {"outsider"}, "post",
         lambda w: {"year": 2028, "framework": w.plan.framework_id}),
    Case("plans:detail", lambda w: reverse("plans:detail", args=[w.plan.pk]), PLAN_READERS),
    Case("plans:section", lambda w: reverse("plans:section", args=[w.plan.pk, "veiligheid"]), PLAN_READERS),
    Case("plans:section", lambda w: reverse("plans:section", args=[w.plan.pk, "veiligheid"]), PLAN_EDITORS,
         "post", lambda w: {"body": "Veilig wonen.", "base_revision": 0}),
    Case("plans:section_readability", lambda w: reverse("plans:section_readability", args=[w.plan.pk, "veiligheid"]),
         PLAN_READERS, "post", lambda w: {"body": "Een korte zin."}),
    Case("plans:profile", lambda w: reverse("plans:profile", args=[w.plan.pk]), PLAN_READERS),
    Case("plans:profile", lambda w: reverse("plans:profile", args=[w.plan.pk]), PLAN_EDITORS, "post",
         lambda w: {"target_groups": ["psychogeriatrie"], "care_types": ["dagbesteding"], "zzp_VV5": "10", "text": ""}),
    Case("plans:staffing", lambda w: reverse("plans:staffing", args=[w.plan.pk]), PLAN_READERS),
    Case("plans:staffing", lambda w: reverse("plans:staffing", args=[w.plan.pk]), PLAN_EDITORS, "post",
         lambda w: {"reference_date": "2026-10-01", "note": "", f"loc-{w.location.pk}-level3_fte": "4.5",
                    f"loc-{w.location.pk}-level3_headcount": "6"}),
    Case("plans:paragraph", lambda w: reverse("plans:paragraph", args=[w.plan.pk, w.location.pk]), PLAN_READERS),
    Case("plans:paragraph", lambda w: reverse("plans:paragraph", args=[w.plan.pk, w.location.pk]), PLAN_EDITORS,
         "post", lambda w: {"body": "Meer samen doen."}),
    Case("plans:action", lambda w: reverse("plans:action", args=[w.plan.pk, w.action.pk]), PLAN_EDITORS),
    Case("plans:action", lambda w: reverse("plans:action", args=[w.plan.pk, w.action.pk]), PLAN_EDITORS, "post",
         lambda w: {"title": "Samen koken", "status": "planned", "source": "own"}),
    # The confirmation first; only its "Ja, verwijderen" (confirm) deletes.
    Case("plans:action_delete", lambda w: reverse("plans:action_delete", args=[w.plan.pk, w.action.pk]),
         PLAN_EDITORS),
    Case("plans:action_delete", lambda w: reverse("plans:action_delete", args=[w.plan.pk, w.action.pk]),
         PLAN_EDITORS, "post", lambda w: {"confirm": "1"}),
    Case("plans:freeze", lambda w: reverse("plans:freeze", args=[w.plan.pk]), PLAN_EDITORS, "post",
         lambda w: {"note": ""}),
    Case("plans:version", lambda w: reverse("plans:version", args=[w.version.pk]), VERSION_READERS),
    Case("plans:version_diff", lambda w: reverse("plans:version_diff", args=[w.version.pk]) + f"?met={w.first_version.pk}",
         PLAN_READERS | COUNCILS),
    Case("plans:version_changes", lambda w: reverse("plans:version_changes", args=[w.version.pk]), VERSION_READERS),
    # A peer invited to one version may not read another to compare it with.
    Case("plans:version_changes", lambda w: reverse("plans:version_changes", args=[w.version.pk])
         + f"?sinds={w.first_version.pk}", PLAN_READERS | COUNCILS),
    Case("plans:version_pdf", lambda w: reverse("plans:version_pdf", args=[w.version.pk]), VERSION_READERS),
    Case("plans:version_docx", lambda w: reverse("plans:version_docx", args=[w.version.pk]), VERSION_READERS),
    Case("plans:version_share", lambda w: reverse("plans:version_share", args=[w.version.pk]), PLAN_EDITORS, "post"),
    Case("frameworks:list", lambda w: reverse("frameworks:list"), EVERYONE),
    Case("frameworks:detail", lambda w: reverse("frameworks:detail", args=[w.plan.framework_id]), EVERYONE),
    Case("frameworks:detail", lambda w: reverse("frameworks:detail", args=[w.own_framework.pk]), ORG_INSIDERS),
    # A copy is always made for the person's own organisation: the outsider copies for theirs.
    Case("frameworks:copy", lambda w: reverse("frameworks:copy", args=[w.plan.framework_id]),
         PLAN_EDITORS | {"outsider"}, "post"),
    Case("frameworks:section", lambda w: reverse("frameworks:section", args=[w.own_framework.pk, w.own_theme.pk]),
         ORG_STAFF),
    Case("frameworks:section", lambda w: reverse("frameworks:section", args=[w.own_framework.pk, w.own_theme.pk]),
         ORG_STAFF, "post", lambda w: {"title": "Zin in het leven", "group": "", "guidance": "", "required": "on"}),
    Case("frameworks:section_add", lambda w: reverse("frameworks:section_add", args=[w.own_framework.pk]), ORG_STAFF,
         "post", lambda w: {"title": "Muziek", "group": "", "guidance": ""}),
    Case("frameworks:section_remove",
         lambda w: reverse("frameworks:section_remove", args=[w.own_framework.pk, w.own_theme.pk]), ORG_STAFF, "post"),
    Case("GET /api/v1/me", lambda w: "/api/v1/me", EVERYONE, api=True),
    Case("GET /api/v1/organisations", lambda w: "/api/v1/organisations", EVERYONE, api=True),
    Case("GET /api/v1/organisations/{organisation_id}", lambda w: f"/api/v1/organisations/{w.organisation.pk}",
         ORG_VIEWERS, api=True),
    Case("GET /api/v1/plans", lambda w: "/api/v1/plans", EVERYONE, api=True),
    Case("POST /api/v1/plans", lambda w: "/api/v1/plans", PLAN_EDITORS, "post",
         lambda w: {"organisation_id": w.organisation.pk, "year": 2028, "framework_id": w.plan.framework_id}, api=True),
    Case("GET /api/v1/plans/{plan_id}", lambda w: f"/api/v1/plans/{w.plan.pk}", PLAN_READERS, api=True),
    Case("PATCH /api/v1/plans/{plan_id}/sections/{key}", lambda w: f"/api/v1/plans/{w.plan.pk}/sections/veiligheid",
         PLAN_EDITORS, "patch", lambda w: {"body": "Veilig.", "base_revision": 0}, api=True),
    Case("PUT /api/v1/plans/{plan_id}/improvement-paragraphs/{location_id}",
         lambda w: f"/api/v1/plans/{w.plan.pk}/improvement-paragraphs/{w.location.pk}", PLAN_EDITORS, "put",
         lambda w: {"body": "Meer samen.", "actions": [{"title": "Samen koken", "owner": "Teamleider",
                                                        "due_quarter": "2027-Q3"}]}, api=True),
    Case("PUT /api/v1/plans/{plan_id}/staffing", lambda w: f"/api/v1/plans/{w.plan.pk}/staffing", PLAN_EDITORS,
         "put", lambda w: {"reference_date": "2026-10-01", "rows": [{"location_id": w.location.pk, "level3_fte": "4.5",
                                                                      "level3_headcount": 6}]}, api=True),
    Case("POST /api/v1/plans/{plan_id}/versions", lambda w: f"/api/v1/plans/{w.plan.pk}/versions", PLAN_EDITORS,
         "post", lambda w: {"note": "x"}, api=True, allowed_status=frozenset({201, 409})),
    Case("GET /api/v1/plans/{plan_id}/versions", lambda w: f"/api/v1/plans/{w.plan.pk}/versions", PLAN_READERS,
         api=True),
    Case("GET /api/v1/plans/{plan_id}/findings", lambda w: f"/api/v1/plans/{w.plan.pk}/findings", PLAN_READERS,
         api=True),
    Case("GET /api/v1/versions/{version_id}", lambda w: f"/api/v1/versions/{w.version.pk}", VERSION_READERS, api=True),
    Case("GET /api/v1/versions/{version_id}/diff", lambda w: f"/api/v1/versions/{w.version.pk}/diff?against={w.first_version.pk}",
         PLAN_READERS | COUNCILS, api=True),
    Case("GET /api/v1/versions/{version_id}/pdf", lambda w: f"/api/v1/versions/{w.version.pk}/pdf", VERSION_READERS,
         api=True),
    Case("GET /api/v1/versions/{version_id}/docx", lambda w: f"/api/v1/versions/{w.version.pk}/docx",
         VERSION_READERS, api=True),
]

from samenplan.audit.tests.matrix_api_cases import CASES as _AUDIT_API  # noqa: E402
from samenplan.audit.tests.matrix_cases import CASES as _AUDIT  # noqa: E402
from samenplan.careoffice.tests.matrix_cases import CASES as _CAREOFFICE  # noqa: E402
from samenplan.careoffice.tests.matrix_dialogue_cases import CASES as _DIALOGUE  # noqa: E402
from samenplan.consent.tests.matrix_api_cases import CASES as _CONSENT_API  # noqa: E402
from samenplan.consent.tests.matrix_cases import CASES as _CONSENT  # noqa: E402
from samenplan.notifications.tests.matrix_cases import CASES as _NOTIFICATIONS  # noqa: E402
from samenplan.participation.tests.matrix_api_cases import CASES as _PARTICIPATION_API  # noqa: E402
from samenplan.participation.tests.matrix_cases import CASES as _PARTICIPATION  # noqa: E402
from samenplan.publishing.tests import matrix_cases as _publishing  # noqa: E402
from samenplan.signals.tests import matrix_cases as _signals  # noqa: E402

CASES += (_PARTICIPATION + _CONSENT + _AUDIT + _NOTIFICATIONS + _PARTICIPATION_API + _CONSENT_API + _AUDIT_API
          + _CAREOFFICE + _DIALOGUE + _publishing.CASES)

# Pages anyone may open: the login flows, the language switch and the health checks (their
# answers name no person, host or address).
PUBLIC_ROUTES = {
    "accounts:login", "accounts:logout", "accounts:login_link_request", "accounts:login_link",
    "accounts:otp_setup", "accounts:otp_verify", "core:set_language", "healthz", "readyz",
    "favicon",
} | _publishing.PUBLIC_ROUTES
PUBLIC_API = {"GET /api/v1/openapi.json"} | _publishing.PUBLIC_API

# Issue 13: the public signal page of each location and the public signal intake.
CASES += _signals.CASES
PUBLIC_ROUTES |= _signals.PUBLIC_ROUTES
PUBLIC_API |= _signals.PUBLIC_API

from samenplan.monitoring.tests import matrix_cases as _monitoring  # noqa: E402

CASES += _monitoring.CASES
PUBLIC_ROUTES |= _monitoring.PUBLIC_ROUTES
PUBLIC_API |= _monitoring.PUBLIC_API
