"""Sentences for the plan's timeline (audit.timeline.register)."""

from django.utils.translation import gettext as _

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import register


def _published(actor, number, data):
    if data.get("replaced_number"):
        return _("%(actor)s maakte versie %(number)s openbaar, in plaats van versie %(replaced)s.") % {
            "actor": actor, "number": number, "replaced": data["replaced_number"]}
    return _("%(actor)s maakte versie %(number)s openbaar. Iedereen kan die nu lezen, zonder namen van "
             "mensen.") % {"actor": actor, "number": number}


def _unpublished(actor, number, data):
    return _("%(actor)s maakte het plan niet meer openbaar (versie %(number)s).") % {"actor": actor, "number": number}


register(AuditEvent.Kind.PLAN_PUBLISHED, _published)
register(AuditEvent.Kind.PLAN_UNPUBLISHED, _unpublished)
