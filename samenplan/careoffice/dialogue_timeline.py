"""Sentences for the plan's timeline (audit.timeline.register)."""

from django.utils.translation import gettext as _

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import register
from samenplan.core.formats import long_date

Kind = AuditEvent.Kind


def _proposed(actor, number, data):
    return _("%(actor)s (%(care_office)s) stelde data voor een dialoogsessie voor.") % {
        "actor": actor, "care_office": data.get("care_office", "")}


def _planned(actor, number, data):
    return _("%(actor)s koos %(date)s voor de dialoogsessie.") % {"actor": actor,
                                                                 "date": long_date(data.get("starts_at"))}


def _changed(actor, number, data):
    if data.get("none_fits"):
        return _("%(actor)s liet het zorgkantoor weten dat geen van de voorgestelde data past.") % {"actor": actor}
    if data.get("invited"):
        return _("%(actor)s nodigde partijen uit voor de dialoogsessie.") % {"actor": actor}
    if data.get("agenda"):
        return _("%(actor)s zette punten op de agenda van de dialoogsessie.") % {"actor": actor}
    if data.get("minutes"):
        return _("%(actor)s schreef het verslag van de dialoogsessie.") % {"actor": actor}
    return _("%(actor)s werkte de dialoogsessie bij.") % {"actor": actor}


def _held(actor, number, data):
    return _("%(actor)s legde vast dat de dialoogsessie op %(date)s is gehouden.") % {
        "actor": actor, "date": long_date(data.get("held_on"))}


def _cancelled(actor, number, data):
    return _("%(actor)s zegde de dialoogsessie af.") % {"actor": actor}


def _agreement_recorded(actor, number, data):
    return _("%(actor)s legde de afspraak „%(title)s” vast, klaar op %(date)s.") % {
        "actor": actor, "title": data.get("title", ""), "date": long_date(data.get("due_date"))}


def _agreement_updated(actor, number, data):
    return _("%(actor)s werkte de afspraak „%(title)s” bij.") % {"actor": actor, "title": data.get("title", "")}


register(Kind.DIALOGUE_PROPOSED, _proposed)
register(Kind.DIALOGUE_PLANNED, _planned)
register(Kind.DIALOGUE_CHANGED, _changed)
register(Kind.DIALOGUE_HELD, _held)
register(Kind.DIALOGUE_CANCELLED, _cancelled)
register(Kind.AGREEMENT_RECORDED, _agreement_recorded)
register(Kind.AGREEMENT_UPDATED, _agreement_updated)
