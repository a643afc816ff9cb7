"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.cases import PLAN_EDITORS, PLAN_READERS, Case


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def _decision(w, consent_request, decision, **extra):
    from samenplan.consent.models import ConsentDecision

    made, _created = ConsentDecision.objects.get_or_create(request=consent_request, defaults={
        "decision": decision, "version_sha256": consent_request.version.sha256,
        "meeting_date": timezone.localdate() - timedelta(days=7), "recorded_by": w.people["quality"], **extra})
    return made


def _refused(w):
    """The VAR refused: the world has no decision, so the LCvV page gets one (rolled back after)."""
    _decision(w, w.nursing_consent_request, "refused", reasons="Te weinig personeel op de afdeling.")
    return reverse("consent:lcvv", args=[w.nursing_consent_request.pk])


def _condition(w):
    from samenplan.consent.models import ConsentCondition

    decision = _decision(w, w.consent_request, "granted_with_conditions")
    condition, _created = ConsentCondition.objects.get_or_create(
        decision=decision, text="Bewoners gaan elke dag naar buiten.", defaults={"owner": "Teamleider De Linde"})
    return reverse("consent:condition", args=[condition.pk])


# Council members read their own council's request; the world's request is to the client council.
CLIENT_COUNCIL = frozenset({"council_member", "council_secretary"})

CASES = [
    Case("consent:overview", lambda w: reverse("consent:overview", args=[w.plan.pk]), PLAN_READERS),
    Case("consent:transition", lambda w: reverse("consent:transition", args=[w.plan.pk]), PLAN_EDITORS, "post",
         lambda w: {"to": "peer_review"}),
    # Only the board adopts; the world's plan is a draft and incomplete, so the board hears why not.
    Case("consent:transition", lambda w: reverse("consent:transition", args=[w.plan.pk]), frozenset({"board"}),
         "post", lambda w: {"to": "adopted"}, allowed_status=frozenset({409})),
    # The board's confirmation before adopting; the world's plan is not ready, so it says why.
    Case("consent:adopt", lambda w: reverse("consent:adopt", args=[w.plan.pk]), frozenset({"board"})),
    Case("consent:request", lambda w: reverse("consent:request", args=[w.consent_request.pk]),
         PLAN_READERS | CLIENT_COUNCIL),
    # Only the secretary of the council asked records its decision: first the confirmation step
    # (nothing recorded yet), then the confirmed post.
    Case("consent:request", lambda w: reverse("consent:request", args=[w.consent_request.pk]),
         frozenset({"council_secretary"}), "post",
         lambda w: {"decision": "granted", "meeting_date": _days(-1), "reasons": ""}),
    Case("consent:request", lambda w: reverse("consent:request", args=[w.consent_request.pk]),
         frozenset({"council_secretary"}), "post",
         lambda w: {"decision": "granted", "meeting_date": _days(-1), "reasons": "", "confirmed": "1"}),
    Case("consent:request_deadline", lambda w: reverse("consent:request_deadline", args=[w.consent_request.pk]),
         PLAN_EDITORS, "post", lambda w: {"respond_by": _days(60)}),
    Case("consent:lcvv", _refused, PLAN_EDITORS),
    Case("consent:lcvv", _refused, PLAN_EDITORS, "post",
         lambda w: {"submitted_on": _days(0), "outcome": "pending", "outcome_on": "", "note": ""}),
    Case("consent:condition", _condition, PLAN_READERS | CLIENT_COUNCIL),
    Case("consent:condition", _condition, PLAN_EDITORS, "post",
         lambda w: {"status": "met", "owner": "Teamleider De Linde", "action": w.action.pk, "answer": "Gedaan."}),
]
