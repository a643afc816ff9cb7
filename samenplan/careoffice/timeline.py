"""Sentences for the plan's timeline (audit.timeline.register)."""

from django.utils.translation import gettext as _

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import register

Kind = AuditEvent.Kind


def _submitted(actor, number, data):
    params = {"actor": actor, "number": number, "care_office": data.get("care_office", "")}
    if data.get("replaces"):
        return _("%(actor)s diende versie %(number)s in bij %(care_office)s. Die vervangt de eerdere "
                 "indiening.") % params
    return _("%(actor)s diende versie %(number)s in bij %(care_office)s.") % params


def _withdrawn(actor, number, data):
    return _("%(actor)s trok de indiening van versie %(number)s bij %(care_office)s in. Reden: %(reason)s") % {
        "actor": actor, "number": number, "care_office": data.get("care_office", ""), "reason": data.get("reason", "")}


def _received(actor, number, data):
    return _("%(care_office)s bevestigde de ontvangst van versie %(number)s.") % {
        "number": number, "care_office": data.get("care_office", "")}


def _correction(actor, number, data):
    return _("%(care_office)s vroeg een correctie van versie %(number)s: %(reason)s") % {
        "number": number, "care_office": data.get("care_office", ""), "reason": data.get("reason", "")}


def _year_set(actor, number, data):
    # Not tied to a plan, so no timeline shows it; the audit page of the care office does.
    return _("%(actor)s stelde voor %(year)s de termijn en de vorm van het plan in.") % {
        "actor": actor, "year": data.get("year", "")}


register(Kind.CARE_OFFICE_YEAR_SET, _year_set)
register(Kind.PLAN_SUBMITTED, _submitted)
register(Kind.SUBMISSION_WITHDRAWN, _withdrawn)
register(Kind.SUBMISSION_RECEIVED, _received)
register(Kind.CORRECTION_REQUESTED, _correction)
