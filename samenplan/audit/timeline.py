"""The plan's history in plain Dutch: one sentence per audit event.

The sentences are built from what each service stored in `AuditEvent.data` (names, numbers,
dates as they were), so the history reads the same after something is renamed.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samenplan.core.formats import long_date
from samenplan.plans.models import QualityPlan

from .models import AuditEvent

Kind = AuditEvent.Kind
TIMELINE_LIMIT = 200


def events_of_plan(plan: QualityPlan, limit: int = TIMELINE_LIMIT) -> tuple[list[AuditEvent], int]:
    """The newest `limit` events of the plan, newest first, each with `version_number` and
    `sentence`; and how many events there are in all."""
    events = list(AuditEvent.objects.filter(plan_id=plan.pk).order_by("-sequence")[:limit])
    total = len(events) if len(events) < limit else AuditEvent.objects.filter(plan_id=plan.pk).count()
    numbers = dict(plan.versions.values_list("pk", "number"))
    for event in events:
        event.version_number = numbers.get(event.version_id)
        event.sentence = describe(event)
        event.day = timezone.localtime(event.created_at).date()
    return events, total


def _day(value) -> str:
    return long_date(value)


def _listing(names) -> str:
    names = [str(n) for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _status(value) -> str:
    return str(QualityPlan.Status(value).label) if value in QualityPlan.Status.values else str(value or "")


def describe(event: AuditEvent) -> str:
    """One sentence, in the reader's language, that says what happened."""
    data = event.data or {}
    actor = event.actor_name or _("Samenplan")
    number = data.get("number") or getattr(event, "version_number", None)
    describer = _DESCRIBERS.get(event.kind)
    if describer is None:
        return _("%(actor)s: %(what)s.") % {"actor": actor, "what": event.get_kind_display()}
    return describer(actor, number, data)


def _plan_created(actor, number, data):
    params = {"actor": actor, "year": data.get("year"), "previous": data.get("previous_year")}
    if not data.get("previous_year"):
        return _("%(actor)s maakte het kwaliteitsplan %(year)s aan.") % params
    params["count"] = data.get("carried_over") or 0
    return ngettext(
        "%(actor)s maakte het kwaliteitsplan %(year)s aan, op basis van het plan van %(previous)s. "
        "Er ging %(count)s onafgemaakte actie mee over.",
        "%(actor)s maakte het kwaliteitsplan %(year)s aan, op basis van het plan van %(previous)s. "
        "Er gingen %(count)s onafgemaakte acties mee over.",
        params["count"]) % params


def _version_frozen(actor, number, data):
    if data.get("note"):
        return _("%(actor)s legde versie %(number)s vast: „%(note)s”.") % {
            "actor": actor, "number": number, "note": data["note"]}
    return _("%(actor)s legde versie %(number)s vast.") % {"actor": actor, "number": number}


def _version_shared(actor, number, data):
    return _("%(actor)s deelde versie %(number)s met %(councils)s.") % {
        "actor": actor, "number": number, "councils": _listing(data.get("councils") or [])}


def _comment_added(actor, number, data):
    params = {"actor": actor, "section": data.get("section", ""), "council": data.get("council", ""),
              "organisation": data.get("peer_organisation", "")}
    if data.get("council"):
        return _("%(actor)s gaf namens de %(council)s een reactie op „%(section)s”.") % params
    if data.get("peer_organisation"):
        return _("%(actor)s gaf namens %(organisation)s een reactie op „%(section)s”.") % params
    return _("%(actor)s gaf een reactie op „%(section)s”.") % params


def _comment_answered(actor, number, data):
    from samenplan.participation.models import Comment

    outcome = data.get("outcome", "")
    label = str(Comment.Outcome(outcome).label).lower() if outcome in Comment.Outcome.values else outcome
    if data.get("change_version"):
        return _("%(actor)s beantwoordde een reactie: %(outcome)s in versie %(number)s.") % {
            "actor": actor, "outcome": label, "number": data["change_version"]}
    return _("%(actor)s beantwoordde een reactie: %(outcome)s.") % {"actor": actor, "outcome": label}


def _top_points_recorded(actor, number, data):
    params = {"actor": actor, "council": data.get("council", ""), "location": data.get("location", ""),
              "points": _listing(f"„{p}”" for p in data.get("points") or [])}
    if data.get("location"):
        return _("%(actor)s legde de top 3 van de %(council)s voor %(location)s vast: %(points)s.") % params
    return _("%(actor)s legde de top 3 van de %(council)s vast: %(points)s.") % params


def _top_point_answered(actor, number, data):
    params = {"actor": actor, "point": data.get("point", ""), "actions": _listing(
        f"„{a}”" for a in data.get("actions") or [])}
    if data.get("actions"):
        return _("%(actor)s beantwoordde het top 3-punt „%(point)s” en koppelde het aan %(actions)s.") % params
    return _("%(actor)s beantwoordde het top 3-punt „%(point)s”.") % params


def _peer_review_invited(actor, number, data):
    return _("%(actor)s vroeg %(organisation)s om feedback op versie %(number)s.") % {
        "actor": actor, "organisation": data.get("organisation", ""), "number": number}


def _peer_review_submitted(actor, number, data):
    return _("%(organisation)s gaf feedback op versie %(number)s (ingestuurd door %(actor)s).") % {
        "actor": actor, "organisation": data.get("organisation", ""), "number": number}


def _consent_requested(actor, number, data):
    params = {"actor": actor, "council": data.get("council", ""), "number": number,
              "date": _day(data.get("respond_by"))}
    if data.get("stands_in"):
        return _("%(actor)s vroeg de %(council)s om instemming met versie %(number)s, in plaats van een VAR/PAR. "
                 "Reageren vóór %(date)s.") % params
    return _("%(actor)s vroeg de %(council)s om instemming met versie %(number)s. Reageren vóór %(date)s.") % params


def _deadline_changed(actor, number, data):
    return _("%(actor)s veranderde de reactiedatum voor de %(council)s van %(before)s naar %(after)s.") % {
        "actor": actor, "council": data.get("council", ""), "before": _day(data.get("before")),
        "after": _day(data.get("after"))}


def _consent_decided(actor, number, data):
    params = {"actor": actor, "council": data.get("council", ""), "number": number,
              "date": _day(data.get("meeting_date")), "count": data.get("conditions") or 0}
    decision = data.get("decision")
    if decision == "granted":
        return _("De %(council)s stemde in met versie %(number)s (vergadering van %(date)s). "
                 "%(actor)s legde het besluit vast.") % params
    if decision == "granted_with_conditions":
        return ngettext(
            "De %(council)s stemde in met versie %(number)s, met %(count)s voorwaarde (vergadering van %(date)s). "
            "%(actor)s legde het besluit vast.",
            "De %(council)s stemde in met versie %(number)s, met %(count)s voorwaarden (vergadering van %(date)s). "
            "%(actor)s legde het besluit vast.",
            params["count"]) % params
    return _("De %(council)s stemde niet in met versie %(number)s (vergadering van %(date)s). "
             "%(actor)s legde het besluit vast.") % params


def _condition_updated(actor, number, data):
    from samenplan.consent.models import ConsentCondition

    after = data.get("after", "")
    params = {"actor": actor, "condition": data.get("condition", ""), "action": data.get("action", ""),
              "status": (str(ConsentCondition.Status(after).label).lower()
                         if after in ConsentCondition.Status.values else after)}
    if data.get("action"):
        return _("%(actor)s werkte de voorwaarde „%(condition)s” bij: %(status)s, gekoppeld aan de actie "
                 "„%(action)s”.") % params
    return _("%(actor)s werkte de voorwaarde „%(condition)s” bij: %(status)s.") % params


def _lcvv_recorded(actor, number, data):
    params = {"actor": actor, "council": data.get("council", ""), "submitted": _day(data.get("submitted_on")),
              "date": _day(data.get("outcome_on"))}
    outcome = data.get("outcome")
    if outcome == "substitute_consent":
        return _("%(actor)s legde vast dat de Landelijke Commissie van Vertrouwenslieden op %(date)s vervangende "
                 "toestemming gaf, na de weigering van de %(council)s (verzoek van %(submitted)s).") % params
    if outcome == "rejected":
        return _("%(actor)s legde vast dat de Landelijke Commissie van Vertrouwenslieden op %(date)s geen "
                 "vervangende toestemming gaf, na de weigering van de %(council)s (verzoek van "
                 "%(submitted)s).") % params
    return _("%(actor)s legde vast dat de organisatie op %(submitted)s de Landelijke Commissie van "
             "Vertrouwenslieden om vervangende toestemming vroeg, na de weigering van de %(council)s.") % params


def _plan_transitioned(actor, number, data):
    params = {"actor": actor, "from": _status(data.get("from")), "to": _status(data.get("to")),
              "council": data.get("council", ""), "note": data.get("note", "")}
    if data.get("because") == "refused":
        return _("Het plan ging terug naar „%(to)s”, omdat de %(council)s niet instemde.") % params
    if data.get("to") == QualityPlan.Status.CONSENT:
        sentence = _("%(actor)s legde het plan voor aan de raden.") % params
    elif data.get("to") == QualityPlan.Status.PEER_REVIEW:
        sentence = _("%(actor)s zette het plan klaar voor feedback van collega-organisaties.") % params
    elif data.get("to") == QualityPlan.Status.DRAFT:
        sentence = _("%(actor)s zette het plan terug naar „%(to)s”.") % params
    else:
        sentence = _("%(actor)s zette het plan van „%(from)s” naar „%(to)s”.") % params
    if data.get("note"):
        return _("%(sentence)s Toelichting: „%(note)s”.") % {"sentence": sentence, "note": data["note"]}
    return sentence


def _plan_adopted(actor, number, data):
    return _("%(actor)s stelde versie %(number)s vast.") % {"actor": actor, "number": number}


def _plan_shared_in_library(actor, number, data):
    return _("%(actor)s deelde versie %(number)s in de bibliotheek van %(network)s.") % {
        "actor": actor, "number": number, "network": data.get("network", "")}


def _library_share_withdrawn(actor, number, data):
    return _("%(actor)s haalde versie %(number)s uit de bibliotheek van %(network)s.") % {
        "actor": actor, "number": number, "network": data.get("network", "")}


def _section_copied(actor, number, data):
    return _("%(actor)s nam tekst voor „%(section)s” over uit het kwaliteitsplan %(year)s van %(organisation)s.") % {
        "actor": actor, "section": data.get("section", ""), "year": data.get("year", ""),
        "organisation": data.get("organisation", "")}


_DESCRIBERS = {
    Kind.PLAN_CREATED: _plan_created,
    Kind.VERSION_FROZEN: _version_frozen,
    Kind.VERSION_SHARED: _version_shared,
    Kind.COMMENT_ADDED: _comment_added,
    Kind.COMMENT_ANSWERED: _comment_answered,
    Kind.TOP_POINTS_RECORDED: _top_points_recorded,
    Kind.TOP_POINT_ANSWERED: _top_point_answered,
    Kind.PEER_REVIEW_INVITED: _peer_review_invited,
    Kind.PEER_REVIEW_SUBMITTED: _peer_review_submitted,
    Kind.CONSENT_REQUESTED: _consent_requested,
    Kind.CONSENT_DEADLINE_CHANGED: _deadline_changed,
    Kind.CONSENT_DECIDED: _consent_decided,
    Kind.CONDITION_UPDATED: _condition_updated,
    Kind.LCVV_RECORDED: _lcvv_recorded,
    Kind.PLAN_TRANSITIONED: _plan_transitioned,
    Kind.PLAN_ADOPTED: _plan_adopted,
    Kind.PLAN_SHARED_IN_LIBRARY: _plan_shared_in_library,
    Kind.LIBRARY_SHARE_WITHDRAWN: _library_share_withdrawn,
    Kind.SECTION_COPIED: _section_copied,
}


def register(kind: str, describer) -> None:
    """Lets another app say in one sentence what its own kind of event was (its `timeline.py`,
    imported when the app is ready): describer(actor, version_number, data) -> str."""
    _DESCRIBERS[kind] = describer
