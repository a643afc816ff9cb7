"""Dialogue sessions and agreements over the JSON API, for care-office systems and the
organisation's own. Every write calls the same service as the pages; a refused step answers 409,
bad input 400 naming the field (`body.<field>`), another care office or organisation 404.
No person's name is in any answer: parties are roles and councils."""

import datetime
from typing import Literal

from django.db import transaction
from django.http import Http404
from ninja import Field, Router, Schema, Status

from samenplan.core.schemas import MessageOut
from samenplan.participation.api import input_names

from . import dialogue_selectors as selectors
from . import dialogue_services as services
from .models import Agreement, DialogueParticipant, DialogueSession

router = Router(tags=["dialogue"])


class NamedOut(Schema):
    id: int
    name: str


class ProposedDateOut(Schema):
    id: int
    starts_at: datetime.datetime


class ParticipantOut(Schema):
    id: int
    party: Literal[tuple(DialogueParticipant.Party.values)]  # type: ignore[valid-type]
    council_id: int | None
    council_name: str = Field(description="The council's name; empty for the board")
    attended: bool | None = Field(description="Filled in when the session is recorded as held")


class CouncilOut(Schema):
    id: int
    name: str
    kind: str


class FindingOut(Schema):
    rule: str
    code: str
    severity: str
    message: str


class AgendaItemOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    section_key: str
    rule: str
    council_name: str = Field(description="For a council's own point: which council; never a person")
    order: int


class AgreementOut(Schema):
    id: int
    session_id: int
    plan_id: int
    title: str
    description: str
    owner: str = Field(description="A role or team, not a person")
    due_date: datetime.date
    status: Literal[tuple(Agreement.Status.values)]  # type: ignore[valid-type]
    status_note: str
    overdue: bool = Field(description="Still open and past its due date")
    updated_at: datetime.datetime


class SessionOut(Schema):
    id: int
    plan_id: int
    organisation: NamedOut
    care_office: NamedOut
    status: Literal[tuple(DialogueSession.Status.values)]  # type: ignore[valid-type]
    place: str
    proposed_dates: list[ProposedDateOut]
    starts_at: datetime.datetime | None = Field(description="The date the organisation picked")
    dates_note: str = Field(description="The organisation's message when none of the dates fits")
    held_on: datetime.date | None
    participants: list[ParticipantOut]
    councils: list[CouncilOut] = Field(description="The organisation's councils, which may be invited")
    findings: list[FindingOut] = Field(description="Rule 19: which of the board, the client council and the "
                                                   "VAR/PAR (or works council) is not invited")
    agenda: list[AgendaItemOut]
    minutes: str = Field(description="Markdown")
    missing_party_reason: str
    cancel_reason: str
    agreements: list[AgreementOut]
    earlier_agreements: list[AgreementOut] = Field(description="The agreements made about last year's plan")


def _agreement_json(agreement) -> dict:
    selectors.mark_overdue([agreement])
    return {"id": agreement.pk, "session_id": agreement.session_id, "plan_id": agreement.plan_id,
            "title": agreement.title, "description": agreement.description, "owner": agreement.owner,
            "due_date": agreement.due_date, "status": agreement.status, "status_note": agreement.status_note,
            "overdue": agreement.overdue, "updated_at": agreement.updated_at}


def _session_json(user, session_id) -> dict:
    session = selectors.get_session_for_user(user, session_id)
    councils = selectors.council_facts(session.organisation_id)
    earlier = selectors.agreements_of_plan(session.plan.previous_id) if session.plan.previous_id else []
    return {
        "id": session.pk, "plan_id": session.plan_id,
        "organisation": {"id": session.organisation_id, "name": session.organisation.name},
        "care_office": {"id": session.care_office_id, "name": session.care_office.name},
        "status": session.status, "place": session.place,
        "proposed_dates": [{"id": d.pk, "starts_at": d.starts_at} for d in session.proposed_dates.all()],
        "starts_at": session.starts_at, "dates_note": session.dates_note, "held_on": session.held_on,
        "participants": [{"id": p.pk, "party": p.party, "council_id": p.council_id,
                          "council_name": p.council.name if p.council else "", "attended": p.attended}
                         for p in session.participants.all()],
        "councils": [{"id": c.id, "name": c.name, "kind": c.kind} for c in councils],
        "findings": [{"rule": f.rule, "code": f.code, "severity": str(f.severity), "message": f.message}
                     for f in selectors.session_findings(session, councils)],
        "agenda": [{"id": i.pk, "kind": i.kind, "title": i.title, "text": i.text, "section_key": i.section_key,
                    "rule": i.rule, "council_name": i.council.name if i.council else "", "order": i.order}
                   for i in session.agenda_items.all()],
        "minutes": session.minutes, "missing_party_reason": session.missing_party_reason,
        "cancel_reason": session.cancel_reason,
        "agreements": [_agreement_json(a) for a in session.agreements.all()],
        "earlier_agreements": [_agreement_json(a) for a in earlier],
    }


class SessionIn(Schema):
    plan_id: int
    proposed_dates: list[datetime.datetime] = Field(min_length=1, max_length=services.MAX_DATES,
                                                    description="Dates and start times the care office proposes")
    place: str = Field(max_length=300, description="An address, or the link of a video call")
    invite_board: bool = Field(True, description="Invite the board")
    invite_council_ids: list[int] = Field(default_factory=list, max_length=50,
                                          description="Councils of the organisation to invite")


@router.post("/dialogue-sessions", response={201: SessionOut, 409: MessageOut},
             summary="Propose a dialogue session about a submitted plan",
             description="For staff of the care office the plan was submitted to. Proposes dates and a place, and "
                         "invites the parties named (inbox and e-mail). 409 when the plan is not submitted or a "
                         "session about it is being prepared already.")
def create_session(request, data: SessionIn):
    plan = selectors.get_plan_for_care_office(request.user, data.plan_id)
    try:
        session = services.start_dialogue(plan=plan, by=request.user, proposed_dates=data.proposed_dates,
                                          place=data.place, invite_board=data.invite_board,
                                          invite_council_ids=data.invite_council_ids)
    except services.DialogueRefused as refused:
        return Status(409, {"message": refused.message})
    return Status(201, _session_json(request.user, session.pk))


@router.get("/dialogue-sessions/{session_id}", response=SessionOut,
            summary="A dialogue session: dates, parties, rule-19 findings, agenda, minutes and agreements",
            description="For the care office of the session and the organisation's plan readers and council members. "
                        "Others get 404.")
def get_session(request, session_id: int):
    session = selectors.get_session_for_user(request.user, session_id)
    if not request.user.has_perm("careoffice.view_dialogue", session):
        raise Http404
    return _session_json(request.user, session_id)


class AttendanceIn(Schema):
    participant_id: int
    attended: bool


class AgendaIn(Schema):
    section_keys: list[str] = Field(default_factory=list, max_length=100)
    finding_keys: list[str] = Field(default_factory=list, max_length=100,
                                    description="`e<n>` for the n-th finding of the submission, `r19-<party>` for "
                                                "rule 19's")
    title: str = Field("", max_length=300, description="A point of one's own")
    text: str = Field("", max_length=3000)


class SessionPatch(Schema):
    invite_board: bool | None = Field(None, description="Care office: invite the board")
    invite_council_ids: list[int] | None = Field(None, max_length=50, description="Care office: invite councils")
    proposed_dates: list[datetime.datetime] | None = Field(None, max_length=services.MAX_DATES,
                                                           description="Care office: new dates (the organisation "
                                                                       "picks again)")
    place: str | None = Field(None, max_length=300, description="Care office: the address or video link; with "
                                                               "`proposed_dates` or on its own (the dates stay)")
    proposed_date_id: int | None = Field(None, description="Organisation: the proposed date that fits")
    none_fits: bool | None = Field(None, description="Organisation: none of the dates fits (`note` says why)")
    note: str = Field("", max_length=3000)
    agenda: AgendaIn | None = Field(None, description="Points for the agenda (councils: `title` and `text` only)")
    held_on: datetime.date | None = Field(None, description="Care office: the session was held on this day")
    attendance: list[AttendanceIn] | None = Field(None, max_length=50,
                                                  description="Care office, with `held_on`: who was there")
    missing_party_reason: str = Field("", max_length=3000,
                                      description="Required with `held_on` when one of the three parties was not "
                                                  "there or not invited")
    minutes: str | None = Field(None, max_length=30000, description="Care office, after the session: Markdown")
    cancel_reason: str | None = Field(None, max_length=3000, description="Cancel the session, with a reason")


@router.patch("/dialogue-sessions/{session_id}", response={200: SessionOut, 409: MessageOut},
              summary="Change a dialogue session: invite, propose or pick a date, agenda, held, minutes, cancel",
              description="Every field is optional; the ones given are applied together, in the order listed, or "
                          "none is. Each goes through the same step as the pages, with its own permission: the "
                          "care office invites, proposes dates, records the session as held and writes the minutes; "
                          "the organisation's board or quality staff pick the date; members of an invited council "
                          "add points. 400 names the field (e.g. `body.missing_party_reason`); 409 when the session "
                          "is not in a state that allows the step.")
def patch_session(request, session_id: int, data: SessionPatch):
    session = selectors.get_session_for_user(request.user, session_id)
    user = request.user
    try:
        with transaction.atomic():
            if data.invite_board or data.invite_council_ids:
                services.invite_parties(session=session, by=user, invite_board=bool(data.invite_board),
                                        invite_council_ids=data.invite_council_ids or [])
            if data.proposed_dates is not None:
                services.propose_dates(session=session, by=user, proposed_dates=data.proposed_dates,
                                       place=data.place)
            elif data.place is not None:
                services.move_session(session=session, by=user, place=data.place)
            if data.proposed_date_id is not None or data.none_fits:
                with input_names(proposed_date="proposed_date_id"):
                    services.pick_date(session=session, by=user, proposed_date_id=data.proposed_date_id,
                                       none_fits=bool(data.none_fits), note=data.note)
            if data.agenda is not None:
                with input_names(section_keys="agenda.section_keys", finding_keys="agenda.finding_keys",
                                 title="agenda.title", text="agenda.text"):
                    services.add_agenda_items(session=session, by=user, **data.agenda.model_dump())
            if data.held_on is not None or data.attendance is not None:
                attendance = {a.participant_id: a.attended for a in data.attendance or []}
                services.record_held(session=session, by=user, held_on=data.held_on, attendance=attendance,
                                     missing_party_reason=data.missing_party_reason)
            if data.minutes is not None:
                services.save_minutes(session=session, by=user, minutes=data.minutes)
            if data.cancel_reason is not None:
                services.cancel_session(session=session, by=user, reason=data.cancel_reason)
    except services.DialogueRefused as refused:
        return Status(409, {"message": refused.message})
    return _session_json(user, session_id)


class AgreementIn(Schema):
    title: str = Field(max_length=300)
    description: str = Field("", max_length=3000)
    owner: str = Field(max_length=200, description="A role or team, not a person")
    due_date: datetime.date | None = None


@router.post("/dialogue-sessions/{session_id}/agreements", response={201: AgreementOut, 409: MessageOut},
             summary="Record an agreement made in a dialogue session",
             description="For the care office of the session, once it is planned or held. The organisation and its "
                         "councils are told; the agreement becomes one of the organisation's tracked items.")
def create_agreement(request, session_id: int, data: AgreementIn):
    session = selectors.get_session_for_user(request.user, session_id)
    try:
        agreement = services.record_agreement(session=session, by=request.user, **data.model_dump())
    except services.DialogueRefused as refused:
        return Status(409, {"message": refused.message})
    return Status(201, _agreement_json(agreement))


class AgreementPatch(Schema):
    status: Literal[tuple(Agreement.Status.values)] | None = Field(  # type: ignore[valid-type]
        None, description="Organisation (board, quality staff): how it stands")
    status_note: str | None = Field(None, max_length=3000, description="Organisation: a note on the status")
    title: str | None = Field(None, max_length=300, description="Care office: the agreement's wording")
    description: str | None = Field(None, max_length=3000)
    owner: str | None = Field(None, max_length=200)
    due_date: datetime.date | None = None


@router.patch("/agreements/{agreement_id}", response=AgreementOut,
              summary="Update an agreement: its status (organisation) or its wording (care office)",
              description="The organisation's board and quality staff keep the status and a note up to date; the "
                          "care office may reword the agreement, its owner and due date. A field of the other side "
                          "answers 403.")
def patch_agreement(request, agreement_id: int, data: AgreementPatch):
    agreement = (Agreement.objects.filter(pk=agreement_id, session__in=selectors.sessions_for_user(request.user))
                 .select_related("session").first())
    if agreement is None:
        raise Http404
    fields = {name: value for name, value in data.model_dump(exclude_unset=True).items()}
    agreement = services.update_agreement(agreement=agreement, by=request.user, **fields)
    return _agreement_json(agreement)
