"""Signals over the JSON API: the public intake (no login, rate limited), the list for those who work
with signals, and removing a signal's text. Every write calls the same service as the pages."""

import datetime
from typing import Literal

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from samenplan.core.schemas import FieldErrorOut, MessageOut

from . import selectors, services
from .forms import quarter_bounds
from .models import Signal
from .views import rate_limited

router = Router(tags=["signals"])

_TOPICS = Literal[("", *Signal.Topic.values)]  # type: ignore[valid-type]
_ROLES = Literal[("", *Signal.GiverRole.values)]  # type: ignore[valid-type]


class PublicSignalIn(Schema):
    text: str = Field(max_length=10000, description="What went well or could be better, in the giver's own words "
                                                    "(at most 2000 characters are accepted)")
    topic: _TOPICS = Field("", description="Optional: what it is about, in everyday words")
    giver_role: _ROLES = Field("", description="Optional: who gives the signal")
    confirm_personal_data: bool = Field(False, description="Send it although the text seems to hold personal data "
                                                           "(the answer 400 named what)")
    website: str = Field("", max_length=500, description="Leave empty. A filled-in value marks the request as "
                                                         "automated; it is answered as usual and dropped.")


class PersonalDataOut(Schema):
    kind: Literal["email", "phone", "bsn", "name"]
    fragment: str


class PersonalDataWarningOut(Schema):
    message: str
    errors: list[FieldErrorOut]
    personal_data: list[PersonalDataOut]


def _thanks() -> dict:
    return {"message": _("Dank u wel. De cliëntenraad en de kwaliteitsmedewerkers lezen uw signaal.")}


@router.post("/public/locations/{location_id}/signals", auth=None,
             response={201: MessageOut, 400: PersonalDataWarningOut, 429: MessageOut},
             summary="Leave a signal for a location, without an account",
             description="Anyone may send a signal for an active location. Rate limited per client address and "
                         "location (429 with Retry-After). When the text looks like it holds personal data (phone "
                         "number, e-mail address, BSN-like number, a name after meneer/mevrouw) the answer is 400 "
                         "with `personal_data`; send again with `confirm_personal_data: true` to send it anyway. "
                         "Other input errors are 400 with `errors` naming the field. 404 for an unknown or closed "
                         "location.")
def submit_public_signal(request, location_id: int, data: PublicSignalIn):
    organisation_id = selectors.organisation_of_open_location(location_id)
    if organisation_id is None:
        raise Http404
    wait = rate_limited(request, location_id)
    if wait is not None:
        # A plain response, so that it can carry Retry-After; its body is the documented MessageOut.
        response = JsonResponse({"message": _("Er zijn vanaf dit adres kort na elkaar veel signalen gestuurd. "
                                              "Probeer het later opnieuw.")}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if data.website:
        return Status(201, _thanks())
    try:
        services.submit_public_signal(location_id=location_id, organisation_id=organisation_id, text=data.text,
                                      topic=data.topic, giver_role=data.giver_role,
                                      confirm_personal_data=data.confirm_personal_data)
    except services.PersonalDataFound as found:
        message = _("In de tekst staat iets dat lijkt op persoonlijke gegevens. Haal het weg, of stuur opnieuw met "
                    "confirm_personal_data: true.")
        return Status(400, {"message": message, "errors": [{"field": "body.text", "message": message}],
                            "personal_data": [{"kind": f.kind, "fragment": f.fragment} for f in found.findings]})
    return Status(201, _thanks())


class SignalOut(Schema):
    id: int
    location_id: int
    received_on: datetime.date
    channel: str
    giver_role: str
    topic: str
    theme_key: str = Field(description="A theme of the plan's framework, \"\" while untagged")
    text: str = Field(description="\"\" when the text was removed (redacted)")
    redacted: bool
    duplicate_of: int | None = Field(description="The signal this one repeats; it then counts as one with it")
    entered_by: str | None = Field(description="Who typed it in on someone's behalf; null when sent by the giver")
    top_point_ids: list[int]
    action_ids: list[int]


class PeriodIn(Schema):
    quarter: str | None = Field(None, pattern=r"^\d{4}-Q[1-4]$", description="e.g. 2026-Q3; wins over start/end")
    start: datetime.date | None = Field(None, description="Default: twelve months ago")
    end: datetime.date | None = Field(None, description="Inclusive; default: today")
    limit: int = Field(500, ge=1, le=1000)
    offset: int = Field(0, ge=0)


def _signal_json(signal: Signal, points, actions) -> dict:
    return {"id": signal.pk, "location_id": signal.location_id, "received_on": signal.received_on,
            "channel": signal.channel, "giver_role": signal.giver_role, "topic": signal.topic,
            "theme_key": signal.theme_key, "text": "" if signal.is_redacted else signal.text,
            "redacted": signal.is_redacted, "duplicate_of": signal.duplicate_of_id,
            "entered_by": str(signal.entered_by) if signal.entered_by_id else None,
            "top_point_ids": [p.pk for p in points.get(signal.pk, [])],
            "action_ids": [a.pk for a in actions.get(signal.pk, [])]}


@router.get("/locations/{location_id}/signals", response=list[SignalOut],
            summary="The signals of a location in a period",
            description="For the organisation's quality staff and the members of its councils; others get 404. "
                        "Newest first, duplicates included (see duplicate_of). Redacted signals have no text.")
def list_signals(request, location_id: int, period: Query[PeriodIn]):
    location = selectors.get_location_with_perm(request.user, location_id, "signals.view_signals")
    default = selectors.default_period()
    if period.quarter:
        start, end = quarter_bounds(period.quarter)
    else:
        start, end = period.start or default.start, period.end or default.end
    signals = list(selectors.signal_query_for_api(location, period=selectors.Period(start, end))
                   [period.offset:period.offset + period.limit])
    points, actions = selectors.links_of([s.pk for s in signals])
    return [_signal_json(s, points, actions) for s in signals]


@router.post("/signals/{signal_id}/redact", response={200: SignalOut, 409: MessageOut},
             summary="Remove a signal's text everywhere",
             description="For the organisation's quality staff and council secretaries. The text is emptied; the "
                         "audit trail records who did it, not the text. 409 when the text was removed already.")
def redact_signal(request, signal_id: int):
    signal = selectors.get_signal_for_user(request.user, signal_id)
    try:
        signal = services.redact_signal(signal=signal, by=request.user)
    except services.AlreadyRedacted:
        return Status(409, {"message": _("De tekst van dit signaal is al weggehaald.")})
    points, actions = selectors.links_of([signal.pk])
    return _signal_json(signal, points, actions)

