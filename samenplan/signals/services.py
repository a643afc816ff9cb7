"""Every change to signals goes through one of these functions (public page, staff pages and API).

The audit trail records that something happened to a signal and by whom, never the signal's text.
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
from samenplan.core import pagecache
from samenplan.core.permissions import require
from samenplan.organisations.models import Location
from samenplan.participation.models import TopPoint
from samenplan.plans.models import ImprovementAction

from .models import MAX_TEXT_LENGTH, Signal, SignalAction, SignalTopPoint
from .personal_data import Finding, find_personal_data
from .selectors import open_plans_of, themes_of

# A paper signal from long ago is more likely a typing mistake than a memory.
MAX_AGE_OF_PROXY_SIGNAL = datetime.timedelta(days=2 * 366)


class PersonalDataFound(Exception):
    """The text looks like it holds personal data; the giver has not chosen to send it anyway."""

    def __init__(self, findings: list[Finding]):
        super().__init__("personal data")
        self.findings = findings


class AlreadyRedacted(Exception):
    pass


def _clean_text(text: str, *, topic: str, giver_role: str, confirm_personal_data: bool) -> str:
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Schrijf op wat er goed ging of wat beter kan.")
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = _("Uw tekst is te lang: hoogstens %(max)s tekens. Nu zijn het er %(count)s. Maak de tekst "
                           "wat korter.") % {"max": MAX_TEXT_LENGTH, "count": len(text)}
    if topic and topic not in Signal.Topic.values:
        errors["topic"] = _("Kies een onderwerp uit de lijst, of laat het leeg.")
    if giver_role and giver_role not in Signal.GiverRole.values:
        errors["giver_role"] = _("Kies wie u bent uit de lijst, of laat het leeg.")
    if errors:
        raise ValidationError(errors)
    if not confirm_personal_data and (findings := find_personal_data(text)):
        raise PersonalDataFound(findings)
    return text


def submit_public_signal(*, location_id: int, organisation_id: int, text: str, topic: str = "",
                         giver_role: str = "", confirm_personal_data: bool = False) -> None:
    """A signal from the public page or the public API. No account, no audit event: the giver is
    anonymous, and the intake must stay light (one INSERT) for a hallway full of QR codes.

    The caller has found the active location (one query) and applied the rate limit."""
    text = _clean_text(text, topic=topic, giver_role=giver_role, confirm_personal_data=confirm_personal_data)
    _insert(Signal(
        organisation_id=organisation_id, location_id=location_id, text=text, topic=topic, giver_role=giver_role,
        channel=Signal.Channel.ONLINE, received_on=timezone.localdate(),
        personal_data_confirmed=bool(confirm_personal_data and find_personal_data(text))))


# Every column but the id, as the model has them now: a field added later is written too.
_COLUMNS = [field for field in Signal._meta.concrete_fields if not field.primary_key]


@functools.cache
def _insert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Signal._meta.db_table), ", ".join(quote(field.column) for field in _COLUMNS),
        ", ".join(["%s"] * len(_COLUMNS)))


def _insert(signal: Signal) -> None:
    """Signal.objects.create without the ORM's insert machinery, which took a third of the intake's
    CPU (bench/signals.py): the same values, prepared by the model's own fields, in one statement."""
    sql = _insert_sql(connection.vendor)
    values = [field.get_db_prep_save(field.pre_save(signal, add=True), connection) for field in _COLUMNS]
    # No post_save signal says whose row it is: the organisation's signal lists alone are renewed.
    with pagecache.writing_for(pagecache.for_organisation(signal.organisation_id)), connection.cursor() as cursor:
        cursor.execute(sql, values)


@transaction.atomic
def record_signal_on_behalf(*, location: Location, by: User, text: str, channel: str,
                            received_on: datetime.date, topic: str = "", giver_role: str = "",
                            confirm_personal_data: bool = False) -> Signal:
    """A council secretary or quality staff member enters a signal received on paper, in a meeting,
    by phone or in a conversation. Who entered it is kept on the signal and in the audit trail."""
    require(by, "signals.record_on_behalf", location)
    errors = {}
    if channel not in Signal.Channel.values or channel == Signal.Channel.ONLINE:
        errors["channel"] = _("Kies hoe u het signaal kreeg.")
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = _("Vul de dag in waarop u het signaal kreeg.")
    elif received_on > today:
        errors["received_on"] = _("Deze dag is nog niet geweest. Vul de dag in waarop u het signaal kreeg.")
    elif received_on < today - MAX_AGE_OF_PROXY_SIGNAL:
        errors["received_on"] = _("Deze dag is meer dan twee jaar geleden. Kijk of het jaar klopt.")
    if not location.is_active:
        errors["location"] = _("Deze locatie is gesloten. Kies een locatie die nog open is.")
    try:
        text = _clean_text(text, topic=topic, giver_role=giver_role, confirm_personal_data=True)
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)
    if not confirm_personal_data and (findings := find_personal_data(text)):
        raise PersonalDataFound(findings)
    signal = Signal.objects.create(
        organisation_id=location.organisation_id, location=location, text=text, topic=topic,
        giver_role=giver_role, channel=channel, received_on=received_on, entered_by=by,
        personal_data_confirmed=bool(confirm_personal_data and find_personal_data(text)))
    record(AuditEvent.Kind.SIGNAL_RECORDED_ON_BEHALF, actor=by, organisation_id=location.organisation_id,
           data={"signal_id": signal.pk, "location": location.name, "channel": channel,
                 "received_on": received_on.isoformat()})
    return signal


@transaction.atomic
def tag_signal(*, signal: Signal, by: User, theme_key: str) -> Signal:
    """Gives the signal a theme of the plan's framework ("" takes the theme away)."""
    require(by, "signals.work_with_signals", signal)
    if theme_key and theme_key not in dict(themes_of(signal.organisation)):
        raise ValidationError({"theme_key": _("Kies een thema uit de lijst.")})
    signal.theme_key = theme_key
    signal.save(update_fields=["theme_key"])
    return signal


@transaction.atomic
def merge_signals(*, signal: Signal, into: Signal, by: User) -> Signal:
    """`signal` repeats `into`: it points there and counts as one with it. Signals that pointed to
    `signal` move along, so every chain is one step long."""
    require(by, "signals.work_with_signals", signal)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    into = Signal.objects.select_for_update().select_related("location").get(pk=into.pk)
    if into.duplicate_of_id:
        into = Signal.objects.select_for_update().select_related("location").get(pk=into.duplicate_of_id)
    if into.pk == signal.pk:
        raise ValidationError({"into": _("Een signaal kan niet dubbel zijn met zichzelf.")})
    if into.organisation_id != signal.organisation_id or into.location_id != signal.location_id:
        raise ValidationError({"into": _("Kies een signaal van dezelfde locatie.")})
    Signal.objects.filter(duplicate_of=signal).update(duplicate_of=into)
    signal.duplicate_of = into
    signal.save(update_fields=["duplicate_of"])
    record(AuditEvent.Kind.SIGNALS_MERGED, actor=by, organisation_id=signal.organisation_id,
           data={"signal_id": signal.pk, "into_id": into.pk, "location": into.location.name})
    return signal


@transaction.atomic
def separate_signal(*, signal: Signal, by: User) -> Signal:
    """Undoes a merge: the signal counts on its own again."""
    require(by, "signals.work_with_signals", signal)
    if signal.duplicate_of_id is None:
        return signal
    into_id = signal.duplicate_of_id
    signal.duplicate_of = None
    signal.save(update_fields=["duplicate_of"])
    record(AuditEvent.Kind.SIGNALS_MERGED, actor=by, organisation_id=signal.organisation_id,
           data={"signal_id": signal.pk, "into_id": into_id, "separated": True, "location": signal.location.name})
    return signal


@transaction.atomic
def link_signal(*, signal: Signal, by: User, top_point: TopPoint | None = None,
                action: ImprovementAction | None = None) -> Signal:
    """Marks the signal as (part of) the basis of a top-3 point and/or an improvement action of the
    organisation. Linking twice is harmless."""
    require(by, "signals.work_with_signals", signal)
    open_plans = set(open_plans_of(signal.organisation).values_list("pk", flat=True))
    errors = {}
    if top_point is None and action is None:
        errors["top_point"] = _("Kies een punt uit de top 3, een verbeteractie of allebei.")
    if top_point is not None and top_point.plan_id not in open_plans:
        errors["top_point"] = _("Kies een punt uit de top 3 van een plan van uw organisatie.")
    if action is not None and action.paragraph.plan_id not in open_plans:
        errors["action"] = _("Kies een actie uit een plan van uw organisatie.")
    if errors:
        raise ValidationError(errors)
    if top_point is not None:
        _link, created = SignalTopPoint.objects.get_or_create(signal=signal, top_point=top_point,
                                                              defaults={"linked_by": by})
        if created:
            record(AuditEvent.Kind.SIGNAL_LINKED, actor=by, plan=top_point.plan,
                   data={"signal_id": signal.pk, "location": signal.location.name, "top_point": top_point.title})
    if action is not None:
        _link, created = SignalAction.objects.get_or_create(signal=signal, action=action, defaults={"linked_by": by})
        if created:
            record(AuditEvent.Kind.SIGNAL_LINKED, actor=by, plan=action.paragraph.plan,
                   data={"signal_id": signal.pk, "location": signal.location.name, "action": action.title})
    return signal


@transaction.atomic
def unlink_signal(*, signal: Signal, by: User, top_point_id: int | None = None,
                  action_id: int | None = None) -> Signal:
    require(by, "signals.work_with_signals", signal)
    if top_point_id:
        SignalTopPoint.objects.filter(signal=signal, top_point_id=top_point_id).delete()
    if action_id:
        SignalAction.objects.filter(signal=signal, action_id=action_id).delete()
    return signal


@transaction.atomic
def redact_signal(*, signal: Signal, by: User) -> Signal:
    """Removes the signal's text everywhere: it is emptied in the one place it is kept, so no page,
    export, search or API answer can show it again. The audit event says who did it, not what
    the text was."""
    require(by, "signals.redact_signal", signal)
    signal = Signal.objects.select_for_update().select_related("location").get(pk=signal.pk)
    if signal.is_redacted:
        raise AlreadyRedacted
    signal.text = ""
    signal.redacted_at, signal.redacted_by = timezone.now(), by
    signal.save(update_fields=["text", "redacted_at", "redacted_by"])
    record(AuditEvent.Kind.SIGNAL_REDACTED, actor=by, organisation_id=signal.organisation_id,
           data={"signal_id": signal.pk, "location": signal.location.name})
    return signal
