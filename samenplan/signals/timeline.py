"""Sentences for the timeline (audit.timeline.register). They name the signal by number and
location, never by its text."""

from django.utils.translation import gettext as _

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import register

Kind = AuditEvent.Kind


def _recorded_on_behalf(actor, number, data):
    from .models import Signal

    channel = data.get("channel", "")
    label = str(Signal.Channel(channel).label).lower() if channel in Signal.Channel.values else channel
    return _("%(actor)s voerde signaal %(signal)s over %(location)s in namens iemand anders (%(channel)s).") % {
        "actor": actor, "signal": data.get("signal_id"), "location": data.get("location", ""), "channel": label}


def _redacted(actor, number, data):
    return _("%(actor)s haalde de tekst van signaal %(signal)s over %(location)s weg.") % {
        "actor": actor, "signal": data.get("signal_id"), "location": data.get("location", "")}


def _merged(actor, number, data):
    params = {"actor": actor, "signal": data.get("signal_id"), "into": data.get("into_id")}
    if data.get("separated"):
        return _("%(actor)s maakte signaal %(signal)s weer los van signaal %(into)s.") % params
    return _("%(actor)s voegde signaal %(signal)s samen met signaal %(into)s: ze tellen als één.") % params


def _linked(actor, number, data):
    params = {"actor": actor, "signal": data.get("signal_id"), "location": data.get("location", ""),
              "point": data.get("top_point", ""), "action": data.get("action", "")}
    if data.get("top_point"):
        return _("%(actor)s koppelde signaal %(signal)s over %(location)s aan het top 3-punt „%(point)s”.") % params
    return _("%(actor)s koppelde signaal %(signal)s over %(location)s aan de actie „%(action)s”.") % params


register(Kind.SIGNAL_RECORDED_ON_BEHALF, _recorded_on_behalf)
register(Kind.SIGNAL_REDACTED, _redacted)
register(Kind.SIGNALS_MERGED, _merged)
register(Kind.SIGNAL_LINKED, _linked)
