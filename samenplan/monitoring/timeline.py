"""Sentences for the timeline (audit.timeline.register) of progress and the quality report."""

from django.utils.translation import gettext as _

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import register

from .models import ActionProgress

Kind = AuditEvent.Kind


def _progress(actor, number, data):
    status = data.get("status", "")
    label = str(ActionProgress.Status(status).label).lower() if status in ActionProgress.Status.values else status
    params = {"actor": actor, "action": data.get("action", ""), "quarter": data.get("quarter", ""), "status": label}
    if data.get("corrected"):
        return _("%(actor)s verbeterde de voortgang van „%(action)s” over %(quarter)s: %(status)s.") % params
    return _("%(actor)s legde de voortgang van „%(action)s” over %(quarter)s vast: %(status)s.") % params


def _commented(actor, number, data):
    params = {"council": data.get("council", ""), "quarter": data.get("quarter", "")}
    if data.get("kind") == "quarterly":
        return _("%(council)s reageerde op de kwartaalrapportage %(quarter)s.") % params
    return _("%(council)s reageerde op het concept van het kwaliteitsverslag.") % params


def _report(sentence):
    def describe(actor, number, data):
        return sentence() % {"actor": actor, "year": data.get("year", "")}
    return describe


def _you_said(sentence):
    def describe(actor, number, data):
        return sentence() % {"actor": actor, "location": data.get("location", ""), "year": data.get("year", "")}
    return describe


register(Kind.PROGRESS_RECORDED, _progress)
register(Kind.REPORT_COMMENTED, _commented)
register(Kind.REPORT_DRAFTED, _report(lambda: _("%(actor)s begon aan het kwaliteitsverslag %(year)s.")))
register(Kind.REPORT_ADOPTED, _report(lambda: _("%(actor)s stelde het kwaliteitsverslag %(year)s vast.")))
register(Kind.REPORT_PUBLISHED, _report(lambda: _("%(actor)s maakte het kwaliteitsverslag %(year)s openbaar.")))
register(Kind.REPORT_UNPUBLISHED,
         _report(lambda: _("%(actor)s haalde het kwaliteitsverslag %(year)s van de openbare pagina.")))
register(Kind.YOU_SAID_PUBLISHED,
         _you_said(lambda: _("%(actor)s maakte „U zei, wij deden” %(year)s van %(location)s openbaar.")))
register(Kind.YOU_SAID_UNPUBLISHED,
         _you_said(lambda: _("%(actor)s haalde „U zei, wij deden” %(year)s van %(location)s van de openbare pagina.")))
