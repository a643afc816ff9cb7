"""Permission-matrix cases of the dialogue pages and API (gathered by samenplan/core/tests/matrix.py).

The url lambdas make the submitted plan and the session they need with rows only
(dialogue_helpers.session_rows): each persona's request is rolled back afterwards.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.cases import ORG_INSIDERS, PLAN_EDITORS, Case

from .dialogue_helpers import agreement_row, in_days, quickly_submitted, session_rows

CARE_OFFICE = frozenset({"care_office"})
# The world's session invites the client council and the VAR; the works council is not invited.
INVITED_COUNCIL = frozenset({"council_member", "council_secretary"})
DIALOGUE_READERS = ORG_INSIDERS | CARE_OFFICE


def _new(w):
    return reverse("careoffice:dialogue_new", args=[quickly_submitted(w).plan_id])


def _session(status="planned", name="dialogue", **kwargs):
    return lambda w: reverse(f"careoffice:{name}", args=[session_rows(w, status, **kwargs).pk])


def _latest(w):
    from samenplan.careoffice.models import DialogueSession

    return DialogueSession.objects.filter(plan=w.plan).latest("pk")


def _agreement(w):
    return reverse("careoffice:agreement_edit", args=[agreement_row(w, session_rows(w, "held")).pk])


def _api_session(status="planned"):
    return lambda w: f"/api/v1/dialogue-sessions/{session_rows(w, status).pk}"


def _api_new(w):
    quickly_submitted(w)
    return "/api/v1/dialogue-sessions"


def _api_agreement(w):
    return f"/api/v1/agreements/{agreement_row(w, session_rows(w, 'held')).pk}"


def _dt(days):
    return timezone.localtime(in_days(days)).strftime("%Y-%m-%dT%H:%M")


def _held_data(w):
    return {"held_on": timezone.localdate().isoformat(),
            "attended": [str(p.pk) for p in _latest(w).participants.all()]}


AGREEMENT_DATA = {"title": "Elke dag naar buiten", "owner": "Teamleider", "description": "",
                  "due_date": (timezone.localdate() + timedelta(days=60)).isoformat()}

CASES = [
    Case("careoffice:dialogue_new", _new, CARE_OFFICE),
    Case("careoffice:dialogue_new", _new, CARE_OFFICE, "post",
         lambda w: {"date_1": _dt(9), "place": "Kantoor", "invite": ["board"]}),
    Case("careoffice:dialogue_sessions", lambda w: reverse("careoffice:dialogue_sessions", args=[w.care_office.pk]),
         frozenset({"care_office", "platform_admin"})),
    Case("careoffice:dialogue", _session(), DIALOGUE_READERS),
    Case("careoffice:dialogue", _session("held"), DIALOGUE_READERS),
    Case("careoffice:dialogue_pick_date", _session("proposed", "dialogue_pick_date"), PLAN_EDITORS),
    Case("careoffice:dialogue_pick_date", _session("proposed", "dialogue_pick_date"), PLAN_EDITORS, "post",
         lambda w: {"proposed_date": str(_latest(w).proposed_dates.first().pk)}),
    Case("careoffice:dialogue_invite", _session("proposed", "dialogue_invite", invite_all=False), CARE_OFFICE),
    Case("careoffice:dialogue_invite", _session("proposed", "dialogue_invite", invite_all=False), CARE_OFFICE,
         "post", lambda w: {"invite": ["board"]}),
    Case("careoffice:dialogue_dates", _session("planned", "dialogue_dates"), CARE_OFFICE),
    Case("careoffice:dialogue_dates", _session("planned", "dialogue_dates"), CARE_OFFICE, "post",
         lambda w: {"date_1": _dt(20), "place": "Kantoor"}),
    Case("careoffice:dialogue_agenda_add", _session("planned", "dialogue_agenda_add"), CARE_OFFICE | INVITED_COUNCIL),
    Case("careoffice:dialogue_agenda_add", _session("planned", "dialogue_agenda_add"), CARE_OFFICE | INVITED_COUNCIL,
         "post", lambda w: {"title": "Meer buiten zijn", "text": ""}),
    Case("careoffice:dialogue_held", _session("planned", "dialogue_held"), CARE_OFFICE),
    Case("careoffice:dialogue_held", _session("planned", "dialogue_held"), CARE_OFFICE, "post", _held_data),
    Case("careoffice:dialogue_minutes", _session("held", "dialogue_minutes"), CARE_OFFICE),
    Case("careoffice:dialogue_minutes", _session("held", "dialogue_minutes"), CARE_OFFICE, "post",
         lambda w: {"minutes": "## Verslag\n\nGoed gesprek."}),
    Case("careoffice:dialogue_cancel", _session("planned", "dialogue_cancel"), CARE_OFFICE | PLAN_EDITORS),
    Case("careoffice:dialogue_cancel", _session("planned", "dialogue_cancel"), CARE_OFFICE | PLAN_EDITORS, "post",
         lambda w: {"cancel_reason": "Ziekte."}),
    Case("careoffice:agreement_new", _session("held", "agreement_new"), CARE_OFFICE),
    Case("careoffice:agreement_new", _session("held", "agreement_new"), CARE_OFFICE, "post",
         lambda w: AGREEMENT_DATA),
    # The organisation keeps the status, the care office the wording: each side's form takes its fields.
    Case("careoffice:agreement_edit", _agreement, CARE_OFFICE | PLAN_EDITORS),
    Case("careoffice:agreement_edit", _agreement, CARE_OFFICE | PLAN_EDITORS, "post",
         lambda w: {**AGREEMENT_DATA, "status": "in_progress", "status_note": "Begonnen."}),
    Case("careoffice:agreements", lambda w: reverse("careoffice:agreements", args=[w.plan.pk]), DIALOGUE_READERS),
    # The API.
    Case("POST /api/v1/dialogue-sessions", _api_new,
         CARE_OFFICE, "post",
         lambda w: {"plan_id": w.plan.pk, "proposed_dates": [in_days(9).isoformat()], "place": "Kantoor"}, api=True,
         allowed_status=frozenset({201})),
    Case("GET /api/v1/dialogue-sessions/{session_id}", _api_session(), DIALOGUE_READERS, api=True),
    Case("PATCH /api/v1/dialogue-sessions/{session_id}", _api_session(), CARE_OFFICE, "patch",
         lambda w: {"invite_council_ids": [w.works_council.pk]}, api=True),
    Case("POST /api/v1/dialogue-sessions/{session_id}/agreements",
         lambda w: f"/api/v1/dialogue-sessions/{session_rows(w, 'held').pk}/agreements", CARE_OFFICE, "post",
         lambda w: AGREEMENT_DATA, api=True, allowed_status=frozenset({201})),
    Case("PATCH /api/v1/agreements/{agreement_id}", _api_agreement, PLAN_EDITORS, "patch",
         lambda w: {"status": "done", "status_note": "Klaar."}, api=True),
]
