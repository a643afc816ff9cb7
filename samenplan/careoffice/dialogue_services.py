"""Dialogue sessions between the care office and the organisation, and the agreements made there.

KK: the care office discusses every plan with the board AND the client council AND the VAR/PAR
(or the works council standing in). The care office proposes dates, the organisation picks one,
the three parties are invited through the inbox and e-mail, and recording the session as held
without one of them needs a written reason (rule 19). Agreements become the organisation's tracked
items. Pages, API and tests call these functions; each checks its permission itself.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenplan.accounts.models import Role, User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.compliance.dialogue import missing_parties
from samenplan.core.permissions import require
from samenplan.core.validators import TEXT_MAX, clean_text, no_markup
from samenplan.notifications.selectors import people_of_care_office, people_of_councils, people_of_organisation
from samenplan.notifications.services import notify
from samenplan.organisations.models import Council
from samenplan.plans.models import QualityPlan

from . import dialogue_selectors as selectors
from .models import AgendaItem, Agreement, DialogueParticipant, DialogueSession, ProposedDate, Submission

Status = DialogueSession.Status
Party = DialogueParticipant.Party
MAX_DATES = 5
UNSET = object()  # an optional field of update_agreement that was not given


class DialogueRefused(Exception):
    """The session is not in a state that allows the step (the API answers 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Small helpers ------------------------------------------------------------------------------

def _plain(value, field: str, *, required: str = "", limit: int = 300) -> str:
    value = clean_text(value, field, required=required, limit=limit)
    try:
        no_markup(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return value


def _locked(session: DialogueSession) -> DialogueSession:
    return (DialogueSession.objects.select_for_update().select_related("plan__organisation", "care_office")
            .get(pk=session.pk))


def _url(session) -> str:
    return reverse("careoffice:dialogue", args=[session.pk])


def _clean_dates(proposed_dates: Iterable[datetime]) -> list[datetime]:
    dates = sorted({d for d in proposed_dates if d is not None})
    if not dates:
        raise ValidationError({"proposed_dates": _("Stel ten minste één datum en tijd voor.")})
    if len(dates) > MAX_DATES:
        raise ValidationError({"proposed_dates": _("Stel hoogstens %(count)s data voor.") % {"count": MAX_DATES}})
    now = timezone.now()
    aware = [timezone.make_aware(d) if timezone.is_naive(d) else d for d in dates]
    if any(d <= now for d in aware):
        raise ValidationError({"proposed_dates": _("Kies data en tijden in de toekomst.")})
    return aware


def _time(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _people_of_participant(session, participant) -> list[User]:
    if participant.party == Party.BOARD:
        return people_of_organisation(session.organisation_id, {Role.BOARD})
    if participant.council_id:
        return people_of_councils([participant.council_id])
    return []


def _everyone_of(session) -> list[User]:
    """Whom a change of a planned session concerns: the care office, the organisation and the
    members of every invited council."""
    people = [*people_of_care_office(session.care_office_id), *people_of_organisation(session.organisation_id)]
    for participant in session.participants.all():
        people += _people_of_participant(session, participant)
    return people


def invitable_councils(organisation_id) -> list[Council]:
    """The councils a session may invite: every council of the organisation, the required ones first."""
    return list(Council.objects.filter(organisation_id=organisation_id).order_by("location_id", "kind", "name"))


def _party_of(council: Council) -> str:
    return {Council.Kind.CLIENT_COUNCIL: Party.CLIENT_COUNCIL, Council.Kind.NURSING_COUNCIL: Party.NURSING_COUNCIL,
            Council.Kind.WORKS_COUNCIL: Party.WORKS_COUNCIL}.get(council.kind, Party.OTHER)


# --- Sessions -----------------------------------------------------------------------------------

@transaction.atomic
def start_dialogue(*, plan: QualityPlan, by: User, proposed_dates: Iterable[datetime], place: str,
                   invite_board: bool = True, invite_council_ids: Iterable[int] = ()) -> DialogueSession:
    """The care office proposes dates (and a place or video link) for a dialogue session about a
    submitted plan, and invites the parties it names. The organisation then picks a date."""
    require(by, "careoffice.start_dialogue", plan)
    plan = QualityPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    if plan.status not in DialogueSession.PLAN_STATES:
        raise DialogueRefused(_("Een dialoogsessie kan alleen over een plan dat bij het zorgkantoor is ingediend. "
                                "Dit plan heeft de fase „%(status)s”.") % {"status": plan.get_status_display()})
    submission = (Submission.objects.filter(plan=plan, status__in=Submission.CURRENT).select_related("care_office")
                  .order_by("-submitted_at").first())
    if submission is None or submission.care_office_id not in _care_offices_of(by):
        raise DialogueRefused(_("Dit plan is niet bij uw zorgkantoor ingediend."))
    if DialogueSession.objects.filter(plan=plan, status__in=DialogueSession.PREPARING).exists():
        raise DialogueRefused(_("Er is al een dialoogsessie over dit plan in voorbereiding. Werk die sessie bij."))
    errors = {}
    try:
        dates = _clean_dates(proposed_dates)
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        place = _plain(place, "place", required=_("Vul in waar de sessie is: een adres of de link van een "
                                                  "videogesprek."))
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    session = DialogueSession.objects.create(care_office=submission.care_office, organisation=plan.organisation,
                                             plan=plan, submission=submission, place=place, created_by=by)
    ProposedDate.objects.bulk_create([ProposedDate(session=session, starts_at=d) for d in dates])
    record(AuditEvent.Kind.DIALOGUE_PROPOSED, actor=by, plan=plan,
           data={"care_office": submission.care_office.name, "session": session.pk,
                 "dates": [d.isoformat() for d in dates]})
    notify(recipients=people_of_organisation(plan.organisation_id), event_key=f"dialogue-dates-{session.pk}-1",
           kind="dialogue_proposed", exclude=by,
           subject=gettext_lazy("%(care_office)s stelt data voor een dialoogsessie over het kwaliteitsplan %(year)s "
                                "voor"),
           body=gettext_lazy("Kies een datum die past. Past er geen, laat het zorgkantoor dat dan weten."),
           params={"care_office": submission.care_office.name, "year": plan.year}, url=_url(session))
    _invite(session, by, invite_board=invite_board, invite_council_ids=invite_council_ids)
    return session


def _care_offices_of(user) -> set[int]:
    from samenplan.accounts.selectors import care_office_ids_of

    return care_office_ids_of(user)


def _invite(session, by, *, invite_board, invite_council_ids) -> list[DialogueParticipant]:
    existing = list(session.participants.all())
    have_board = any(p.party == Party.BOARD for p in existing)
    have_councils = {p.council_id for p in existing if p.council_id}
    wanted = {int(i) for i in invite_council_ids}
    # Matched in Python, not with pk__in: an id beyond the database's integer range (the API takes
    # any int) would make the query itself fail. An organisation has a handful of councils.
    councils = {c.pk: c for c in Council.objects.filter(organisation_id=session.organisation_id) if c.pk in wanted}
    if wanted - set(councils):
        raise ValidationError({"invite_council_ids": _("Kies alleen raden van deze organisatie.")})
    new = []
    if invite_board and not have_board:
        new.append(DialogueParticipant.objects.create(session=session, party=Party.BOARD))
    for council in sorted(councils.values(), key=lambda c: (c.location_id is not None, c.kind, c.name)):
        if council.pk not in have_councils:
            new.append(DialogueParticipant.objects.create(session=session, party=_party_of(council), council=council))
    if new:
        record(AuditEvent.Kind.DIALOGUE_CHANGED, actor=by, plan=session.plan,
               data={"session": session.pk, "invited": [p.party for p in new]})
    for participant in new:
        _tell_invited(session, participant, by)
    return new


def _tell_invited(session, participant, by):
    params = {"care_office": session.care_office.name, "year": session.plan.year,
              "organisation": session.organisation.name, "place": session.place}
    if session.status == Status.PLANNED and session.starts_at:
        body = gettext_lazy("De sessie is op %(date)s om %(time)s uur. Waar: %(place)s.")
        params.update({"date": timezone.localtime(session.starts_at).date(), "time": _time(session.starts_at)})
    else:
        body = gettext_lazy("Het zorgkantoor heeft data voorgesteld. Als de organisatie een datum heeft gekozen, "
                            "krijgt u bericht.")
    notify(recipients=_people_of_participant(session, participant), event_key=f"dialogue-invited-{participant.pk}",
           kind="dialogue_invited", exclude=by,
           subject=gettext_lazy("Uitnodiging: dialoogsessie met %(care_office)s over het kwaliteitsplan %(year)s"),
           body=body, params=params, url=_url(session))


@transaction.atomic
def invite_parties(*, session: DialogueSession, by: User, invite_board: bool = False,
                   invite_council_ids: Iterable[int] = ()) -> list[DialogueParticipant]:
    """Invites more parties to an open session; each new one is told through the inbox and e-mail."""
    session = _locked(session)
    require(by, "careoffice.manage_dialogue", session)
    if session.status not in DialogueSession.PREPARING:
        raise DialogueRefused(_("Deze sessie is al gehouden of afgezegd. Nodig niemand meer uit."))
    return _invite(session, by, invite_board=invite_board, invite_council_ids=invite_council_ids)


@transaction.atomic
def propose_dates(*, session: DialogueSession, by: User, proposed_dates: Iterable[datetime],
                  place: str | None = None) -> DialogueSession:
    """New dates, for instance after the organisation said none fits; a date already picked is
    given up, so the organisation picks again."""
    session = _locked(session)
    require(by, "careoffice.manage_dialogue", session)
    if session.status not in DialogueSession.PREPARING:
        raise DialogueRefused(_("Deze sessie is al gehouden of afgezegd."))
    dates = _clean_dates(proposed_dates)
    if place is not None:
        session.place = _plain(place, "place", required=_("Vul in waar de sessie is: een adres of de link van een "
                                                          "videogesprek."))
    session.proposed_dates.all().delete()
    ProposedDate.objects.bulk_create([ProposedDate(session=session, starts_at=d) for d in dates])
    session.status, session.starts_at, session.dates_note = Status.PROPOSED, None, ""
    session.save(update_fields=["status", "starts_at", "dates_note", "place", "updated_at"])
    record(AuditEvent.Kind.DIALOGUE_PROPOSED, actor=by, plan=session.plan,
           data={"care_office": session.care_office.name, "session": session.pk,
                 "dates": [d.isoformat() for d in dates]})
    round_number = AuditEvent.objects.filter(kind=AuditEvent.Kind.DIALOGUE_PROPOSED, plan_id=session.plan_id).count()
    notify(recipients=people_of_organisation(session.organisation_id),
           event_key=f"dialogue-dates-{session.pk}-{round_number}", kind="dialogue_proposed", exclude=by,
           subject=gettext_lazy("%(care_office)s stelt nieuwe data voor een dialoogsessie over het kwaliteitsplan "
                                "%(year)s voor"),
           body=gettext_lazy("Kies een datum die past. Past er geen, laat het zorgkantoor dat dan weten."),
           params={"care_office": session.care_office.name, "year": session.plan.year}, url=_url(session))
    return session


@transaction.atomic
def move_session(*, session: DialogueSession, by: User, place: str) -> DialogueSession:
    """Another place or video link, the dates staying as they are. Everyone invited to a planned
    session is told; before a date is picked the new place shows with the dates."""
    session = _locked(session)
    require(by, "careoffice.manage_dialogue", session)
    if session.status not in DialogueSession.PREPARING:
        raise DialogueRefused(_("Deze sessie is al gehouden of afgezegd."))
    place = _plain(place, "place", required=_("Vul in waar de sessie is: een adres of de link van een videogesprek."))
    if place == session.place:
        return session
    session.place = place
    session.save(update_fields=["place", "updated_at"])
    record(AuditEvent.Kind.DIALOGUE_CHANGED, actor=by, plan=session.plan, data={"session": session.pk, "place": place})
    if session.status == Status.PLANNED:
        notify(recipients=_everyone_of(session), event_key=f"dialogue-moved-{session.pk}-{timezone.now().timestamp()}",
               kind="dialogue_planned", exclude=by,
               subject=gettext_lazy("De dialoogsessie over het kwaliteitsplan %(year)s is op een andere plek"),
               body=gettext_lazy("De datum blijft %(date)s om %(time)s uur. Waar: %(place)s."),
               params={"year": session.plan.year, "date": timezone.localtime(session.starts_at).date(),
                       "time": _time(session.starts_at), "place": place}, url=_url(session))
    return session


@transaction.atomic
def pick_date(*, session: DialogueSession, by: User, proposed_date_id: int | None = None, none_fits: bool = False,
              note: str = "") -> DialogueSession:
    """The organisation picks one of the proposed dates; or says none fits, with a message, and the
    care office is told so it can propose others."""
    session = _locked(session)
    require(by, "careoffice.pick_dialogue_date", session)
    if session.status not in DialogueSession.PREPARING:
        raise DialogueRefused(_("Deze sessie is al gehouden of afgezegd. Er valt geen datum meer te kiezen."))
    if none_fits:
        note = clean_text(note, "note", required=_("Schrijf op waarom geen datum past, of wanneer het wel kan."))
        session.status, session.starts_at, session.dates_note = Status.PROPOSED, None, note
        session.save(update_fields=["status", "starts_at", "dates_note", "updated_at"])
        record(AuditEvent.Kind.DIALOGUE_CHANGED, actor=by, plan=session.plan,
               data={"session": session.pk, "none_fits": True})
        notify(recipients=people_of_care_office(session.care_office_id),
               event_key=f"dialogue-none-fits-{session.pk}-{timezone.now().timestamp()}", kind="dialogue_none_fits",
               subject=gettext_lazy("%(organisation)s: geen van de voorgestelde data past voor de dialoogsessie"),
               body=gettext_lazy("Stel nieuwe data voor. Het bericht van de organisatie staat bij de sessie."),
               params={"organisation": session.organisation.name}, url=_url(session))
        return session
    chosen = session.proposed_dates.filter(pk=proposed_date_id).first() if proposed_date_id else None
    if chosen is None:
        raise ValidationError({"proposed_date": _("Kies een van de voorgestelde data, of zeg dat er geen past.")})
    session.status, session.starts_at, session.dates_note = Status.PLANNED, chosen.starts_at, ""
    session.save(update_fields=["status", "starts_at", "dates_note", "updated_at"])
    record(AuditEvent.Kind.DIALOGUE_PLANNED, actor=by, plan=session.plan,
           data={"session": session.pk, "starts_at": chosen.starts_at.isoformat(), "place": session.place})
    notify(recipients=_everyone_of(session), event_key=f"dialogue-planned-{session.pk}-{chosen.starts_at.isoformat()}",
           kind="dialogue_planned", exclude=by,
           subject=gettext_lazy("Dialoogsessie over het kwaliteitsplan %(year)s: %(date)s om %(time)s uur"),
           body=gettext_lazy("%(organisation)s en %(care_office)s praten over het plan. Waar: %(place)s."),
           params={"year": session.plan.year, "date": timezone.localtime(chosen.starts_at).date(),
                   "time": _time(chosen.starts_at), "organisation": session.organisation.name,
                   "care_office": session.care_office.name, "place": session.place},
           url=_url(session))
    return session


def required_missing(session: DialogueSession, attended_ids: set[int] | None = None) -> list[str]:
    """The parties of the three (rule 19) that are not invited or, with `attended_ids`, were not there."""
    facts = selectors.dialogue_facts(session)
    if attended_ids is not None:
        present = [p for p in session.participants.all() if p.pk in attended_ids]
        facts = type(facts)(board_invited=any(p.party == Party.BOARD for p in present),
                            invited_council_ids=frozenset(p.council_id for p in present if p.council_id),
                            councils=facts.councils)
    return missing_parties(facts)


@transaction.atomic
def record_held(*, session: DialogueSession, by: User, held_on: date | None, attendance: Mapping[int, bool],
                missing_party_reason: str = "") -> DialogueSession:
    """Records that the session took place: on which day and who was there (`attendance` maps a
    participant's id to whether that party was there; one left out was not). Without one of the
    three parties, invited or not, a written reason is required (rule 19)."""
    session = _locked(session)
    require(by, "careoffice.manage_dialogue", session)
    if session.status == Status.PROPOSED:
        raise DialogueRefused(_("Er is nog geen datum gekozen. Een sessie kan pas worden vastgelegd als gehouden "
                                "als ze gepland is."))
    if session.status != Status.PLANNED:
        raise DialogueRefused(_("Deze sessie is al gehouden of afgezegd."))
    participants = list(session.participants.all())
    known = {p.pk for p in participants}
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Vul de datum in waarop de sessie is gehouden.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Die datum ligt in de toekomst. Vul de datum in waarop de sessie is gehouden.")
    if set(attendance) - known:
        errors["attendance"] = _("Kies alleen partijen die voor deze sessie zijn uitgenodigd.")
    reason = (missing_party_reason or "").strip()
    attended = {pk for pk, there in attendance.items() if there and pk in known}
    if required_missing(session, attended) and not reason:
        errors["missing_party_reason"] = _("Niet alle drie de partijen (Raad van Bestuur, cliëntenraad en VAR/PAR of "
                                           "ondernemingsraad) waren erbij. Schrijf op waarom.")
    if len(reason) > TEXT_MAX:
        errors["missing_party_reason"] = _("Deze tekst is te lang: houd het onder de %(limit)s tekens.") % {
            "limit": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    for participant in participants:
        participant.attended = participant.pk in attended
    DialogueParticipant.objects.bulk_update(participants, ["attended"])
    session.status, session.held_on, session.missing_party_reason = Status.HELD, held_on, reason
    session.save(update_fields=["status", "held_on", "missing_party_reason", "updated_at"])
    record(AuditEvent.Kind.DIALOGUE_HELD, actor=by, plan=session.plan,
           data={"session": session.pk, "held_on": held_on.isoformat(),
                 "present": [p.party for p in participants if p.attended],
                 "missing": required_missing(session, attended)})
    return session


@transaction.atomic
def save_minutes(*, session: DialogueSession, by: User, minutes: str) -> DialogueSession:
    """The care office's minutes (Markdown, sanitised when shown); the organisation and its
    councils are told they can read them."""
    session = _locked(session)
    require(by, "careoffice.manage_dialogue", session)
    if session.status != Status.HELD:
        raise DialogueRefused(_("Het verslag volgt na de sessie. Leg eerst vast dat de sessie is gehouden."))
    minutes = clean_text(minutes, "minutes", required=_("Schrijf het verslag."), limit=30000)
    first = not session.minutes
    session.minutes = minutes
    session.save(update_fields=["minutes", "updated_at"])
    record(AuditEvent.Kind.DIALOGUE_CHANGED, actor=by, plan=session.plan, data={"session": session.pk,
                                                                               "minutes": True})
    if first:
        councils = [p.council_id for p in session.participants.all() if p.council_id]
        notify(recipients=[*people_of_organisation(session.organisation_id), *people_of_councils(councils)],
               event_key=f"dialogue-minutes-{session.pk}", kind="dialogue_minutes", exclude=by,
               subject=gettext_lazy("Het verslag van de dialoogsessie over het kwaliteitsplan %(year)s staat klaar"),
               params={"year": session.plan.year}, url=_url(session))
    return session


@transaction.atomic
def cancel_session(*, session: DialogueSession, by: User, reason: str) -> DialogueSession:
    session = _locked(session)
    require(by, "careoffice.cancel_dialogue", session)
    if session.status not in DialogueSession.PREPARING:
        raise DialogueRefused(_("Deze sessie is al gehouden of afgezegd."))
    reason = clean_text(reason, "cancel_reason", required=_("Schrijf op waarom de sessie niet doorgaat."))
    session.status, session.cancel_reason = Status.CANCELLED, reason
    session.save(update_fields=["status", "cancel_reason", "updated_at"])
    record(AuditEvent.Kind.DIALOGUE_CANCELLED, actor=by, plan=session.plan, data={"session": session.pk})
    notify(recipients=_everyone_of(session), event_key=f"dialogue-cancelled-{session.pk}", kind="dialogue_cancelled", exclude=by,
           subject=gettext_lazy("De dialoogsessie over het kwaliteitsplan %(year)s gaat niet door"),
           body=gettext_lazy("De reden staat bij de sessie."), params={"year": session.plan.year}, url=_url(session))
    return session


# --- Agenda -------------------------------------------------------------------------------------

def agenda_sections(session: DialogueSession) -> list[tuple[str, str]]:
    """(key, title) of the sections of the version the care office received, or of the plan's
    latest adopted version when the session has no submission."""
    version = None
    if session.submission_id:
        version = session.submission.version
    else:
        from samenplan.consent.models import Adoption

        adoption = Adoption.objects.filter(plan_id=session.plan_id).select_related("version").order_by(
            "-adopted_at").first()
        version = adoption.version if adoption else None
    if version is None:
        return []
    return [(s["key"], s["title"]) for s in version.snapshot.get("sections", [])]


def agenda_findings(session: DialogueSession, councils=None) -> list[tuple[str, str, str]]:
    """(key, rule, message) of the findings the care office may put on the agenda: those of the
    checker when the plan was submitted, and rule 19's about this session."""
    found = []
    evidence = (session.submission.evidence or {}) if session.submission_id else {}
    for index, finding in enumerate(evidence.get("findings", []) or []):
        if isinstance(finding, dict) and finding.get("message"):
            found.append((f"e{index}", str(finding.get("rule", "")), str(finding["message"])))
    for finding in selectors.session_findings(session, councils):
        found.append((f"r19-{finding.target.key}", finding.rule, finding.message))
    return found


@transaction.atomic
def add_agenda_items(*, session: DialogueSession, by: User, section_keys: Iterable[str] = (),
                     finding_keys: Iterable[str] = (), title: str = "", text: str = "") -> list[AgendaItem]:
    """The care office puts sections and findings on the agenda, and points of its own; a member
    of an invited council adds the council's point (title and explanation)."""
    session = _locked(session)
    as_care_office = by.has_perm("careoffice.manage_dialogue", session)
    if not as_care_office:
        require(by, "careoffice.add_council_point", session)
    if session.status == Status.CANCELLED:
        raise DialogueRefused(_("Deze sessie is afgezegd."))
    section_keys, finding_keys = list(dict.fromkeys(section_keys)), list(dict.fromkeys(finding_keys))
    if (section_keys or finding_keys) and not as_care_office:
        raise ValidationError({"section_keys": _("Alleen het zorgkantoor kiest onderdelen en punten uit de "
                                                 "controle.")})
    session = selectors.get_session_for_user(by, session.pk)
    title = _plain(title, "title")
    text = clean_text(text, "text")
    if text and not title:
        raise ValidationError({"title": _("Geef het punt een korte titel.")})
    if not (section_keys or finding_keys or title):
        field = "section_keys" if as_care_office else "title"
        raise ValidationError({field: _("Kies ten minste één punt voor de agenda, of schrijf er een.")})
    sections = dict(agenda_sections(session)) if section_keys else {}
    findings = {key: (rule, message) for key, rule, message in agenda_findings(session)} if finding_keys else {}
    if unknown := [k for k in section_keys if k not in sections]:
        raise ValidationError({"section_keys": _("Dit onderdeel staat niet in het plan: %(keys)s.")
                               % {"keys": ", ".join(unknown)}})
    if unknown := [k for k in finding_keys if k not in findings]:
        raise ValidationError({"finding_keys": _("Dit punt staat niet in de controle: %(keys)s.")
                               % {"keys": ", ".join(unknown)}})
    order = (session.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    items = []
    for key in section_keys:
        items.append(AgendaItem(session=session, kind=AgendaItem.Kind.SECTION, section_key=key,
                                title=sections[key][:300], added_by=by))
    for key in finding_keys:
        rule, message = findings[key]
        items.append(AgendaItem(session=session, kind=AgendaItem.Kind.FINDING, rule=rule[:40], title=message[:300],
                                added_by=by))
    if title:
        council = None
        if not as_care_office:
            from samenplan.accounts.selectors import council_ids_of

            mine = council_ids_of(by)
            council = next((p.council for p in session.participants.all() if p.council_id in mine), None)
        items.append(AgendaItem(session=session, kind=AgendaItem.Kind.OTHER if as_care_office
                                else AgendaItem.Kind.COUNCIL_POINT, title=title, text=text, added_by=by,
                                council=council))
    for offset, item in enumerate(items):
        item.order = order + offset
    AgendaItem.objects.bulk_create(items)
    record(AuditEvent.Kind.DIALOGUE_CHANGED, actor=by, plan=session.plan,
           data={"session": session.pk, "agenda": [i.title[:120] for i in items]})
    return items


# --- Agreements ---------------------------------------------------------------------------------

def _clean_agreement(title, description, owner, due_date) -> dict:
    errors, clean = {}, {}
    for field, action in (
        ("title", lambda: _plain(title, "title", required=_("Schrijf in een paar woorden wat er is afgesproken."))),
        ("description", lambda: clean_text(description, "description")),
        ("owner", lambda: _plain(owner, "owner", required=_("Schrijf op wie ervoor zorgt: een rol of een team."),
                                 limit=200)),
    ):
        try:
            clean[field] = action()
        except ValidationError as error:
            errors.update(error.error_dict)
    if due_date is None:
        errors["due_date"] = _("Vul in wanneer de afspraak klaar moet zijn.")
    clean["due_date"] = due_date
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def record_agreement(*, session: DialogueSession, by: User, title: str, owner: str, due_date: date | None,
                     description: str = "") -> Agreement:
    """An agreement made in the session: it becomes a tracked item of the organisation."""
    session = _locked(session)
    require(by, "careoffice.record_agreement", session)
    if session.status not in {Status.PLANNED, Status.HELD}:
        raise DialogueRefused(_("Afspraken worden gemaakt in de sessie. Deze sessie is nog niet gepland of is "
                                "afgezegd."))
    clean = _clean_agreement(title, description, owner, due_date)
    agreement = Agreement.objects.create(session=session, organisation_id=session.organisation_id,
                                         plan_id=session.plan_id, created_by=by, **clean)
    record(AuditEvent.Kind.AGREEMENT_RECORDED, actor=by, plan=session.plan,
           data={"session": session.pk, "agreement": agreement.pk, "title": agreement.title[:200],
                 "due_date": agreement.due_date.isoformat()})
    councils = [p.council_id for p in session.participants.all() if p.council_id]
    notify(recipients=[*people_of_organisation(session.organisation_id), *people_of_councils(councils)],
           event_key=f"agreement-recorded-{agreement.pk}", kind="agreement_recorded", exclude=by,
           subject=gettext_lazy("Nieuwe afspraak met %(care_office)s: %(title)s"),
           body=gettext_lazy("Klaar op %(date)s. Wie zorgt ervoor: %(owner)s."),
           params={"care_office": session.care_office.name, "title": agreement.title, "date": agreement.due_date,
                   "owner": agreement.owner},
           url=reverse("careoffice:agreements", args=[session.plan_id]))
    return agreement


@transaction.atomic
def update_agreement(*, agreement: Agreement, by: User, status=UNSET, status_note=UNSET, title=UNSET,
                     description=UNSET, owner=UNSET, due_date=UNSET) -> Agreement:
    """The organisation keeps the status and a note up to date; the care office may reword the
    agreement itself. The other side sees the change on the session page."""
    agreement = Agreement.objects.select_for_update().select_related("session__care_office", "plan__organisation").get(
        pk=agreement.pk)
    tracking = status is not UNSET or status_note is not UNSET
    wording = any(v is not UNSET for v in (title, description, owner, due_date))
    if not (tracking or wording):
        raise ValidationError({"status": _("Er is niets veranderd.")})
    if tracking:
        require(by, "careoffice.track_agreement", agreement)
    if wording:
        require(by, "careoffice.word_agreement", agreement)
    changed = []
    if tracking:
        if status is not UNSET:
            if status not in Agreement.Status.values:
                raise ValidationError({"status": _("Kies hoe het ervoor staat.")})
            if status != agreement.status:
                agreement.status = status
                changed.append("status")
        if status_note is not UNSET:
            note = clean_text(status_note, "status_note")
            if note != agreement.status_note:
                agreement.status_note = note
                changed.append("status_note")
    if wording:
        clean = _clean_agreement(agreement.title if title is UNSET else title,
                                 agreement.description if description is UNSET else description,
                                 agreement.owner if owner is UNSET else owner,
                                 agreement.due_date if due_date is UNSET else due_date)
        for field, value in clean.items():
            if getattr(agreement, field) != value:
                setattr(agreement, field, value)
                changed.append(field)
    if not changed:
        return agreement
    agreement.updated_by = by
    agreement.save(update_fields=[*changed, "updated_by", "updated_at"])
    record(AuditEvent.Kind.AGREEMENT_UPDATED, actor=by, plan=agreement.plan,
           data={"agreement": agreement.pk, "title": agreement.title[:200], "status": agreement.status,
                 "changed": changed})
    if tracking:
        notify(recipients=people_of_care_office(agreement.session.care_office_id),
               event_key=f"agreement-updated-{agreement.pk}-{agreement.updated_at.timestamp()}",
               kind="agreement_updated", exclude=by,
               subject=gettext_lazy("%(organisation)s: afspraak „%(title)s” is nu „%(status)s”"),
               params={"organisation": agreement.plan.organisation.name, "title": agreement.title,
                       "status": agreement.get_status_display()},
               url=_url(agreement.session))
    return agreement
