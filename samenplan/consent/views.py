"""Pages of the consent round: the overview per council, moving the plan between phases, the
council's own page with the decision form, and the follow-up of conditions and refusals.

Every change goes through `services`; these views only read the form and show the outcome.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from samenplan.core.formats import long_date
from samenplan.core.permissions import require
from samenplan.core.rendering import render_page, run_form_action
from samenplan.notifications.selectors import people_of_councils
from samenplan.plans.models import ImprovementAction, QualityPlan
from samenplan.plans.selectors import finding_url, get_plan_for_user

from . import selectors, services
from .forms import CONDITION_ROWS, ConditionForm, DecisionForm, LcvvForm, RespondByForm, TransitionForm
from .models import ConsentCondition, ConsentDecision, LcvvRequest

Status = QualityPlan.Status
# The phases from which the plan may be put before the councils (again).
CAN_ASK_CONSENT = frozenset({Status.DRAFT, Status.PEER_REVIEW, Status.CONSENT})


def _decision_of(consent_request) -> ConsentDecision | None:
    try:
        return consent_request.decision
    except ConsentDecision.DoesNotExist:
        return None


def _lcvv_of(decision) -> LcvvRequest | None:
    try:
        return decision.lcvv_request
    except LcvvRequest.DoesNotExist:
        return None


def _mark(requests, sha256: str):
    """Adds what the templates show of each request: its decision (or None) and whether that
    decision is about other content than the plan has now."""
    for consent_request in requests:
        consent_request.recorded = _decision_of(consent_request)
        consent_request.stale = selectors.is_stale(consent_request, sha256)
        consent_request.lcvv = _lcvv_of(consent_request.recorded) if consent_request.recorded else None
    return requests


def _overview_context(request, plan, form=None) -> dict:
    _snapshot, sha256 = selectors.draft_state(plan)
    requests = _mark(list(selectors.consent_requests_of_plan(plan)), sha256)
    latest = selectors.latest_requests(requests)
    for consent_request in requests:
        consent_request.superseded = latest[consent_request.council_id].pk != consent_request.pk
    rounds = [
        {"council": current.council, "current": current,
         "earlier": [r for r in requests if r.council_id == current.council_id and r.superseded]}
        for current in sorted(latest.values(), key=lambda r: r.council.name)
    ]
    latest_version = plan.versions.order_by("-number").defer("content").first()
    selectors.mark_adopted(versions=[*(r.version for r in requests), *([latest_version] if latest_version else [])])
    context = {"plan": plan, "rounds": rounds, "latest_version": latest_version,
               "unfrozen_changes": latest_version is None or latest_version.sha256 != sha256,
               "refusals": selectors.latest_refusals(plan),
               "can_request": request.user.has_perm("consent.request_consent", plan),
               "can_move": request.user.has_perm("consent.transition_plan", plan),
               "can_record_lcvv": request.user.has_perm("consent.record_lcvv", plan)}
    # A form sent back with its messages is shown whatever the phase, so the messages are seen.
    if form is not None or (context["can_request"] and plan.status in CAN_ASK_CONSENT):
        asked = services.councils_to_ask(plan, include_works_council=False)
        asked_ids = {council.pk for council, _stands_in in asked}
        context.update({
            "form": form or TransitionForm(),
            "councils_to_ask": asked,
            "stands_in": any(stands_in for _council, stands_in in asked),
            "extra_councils": [council for council, _stands_in in services.councils_to_ask(plan, True)
                               if council.pk not in asked_ids],
        })
    return context


@login_required
@require_http_methods(["GET"])
def overview(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    require(request.user, "consent.view_consent", plan)
    return render_page(request, "consent/overview.html", _overview_context(request, plan))


SUCCESS = {
    Status.PEER_REVIEW: gettext_lazy("Het plan staat nu klaar voor feedback van collega-organisaties."),
    Status.CONSENT: gettext_lazy("Het plan is voorgelegd aan de raden. Hieronder ziet u per raad hoe het ervoor "
                                 "staat."),
    Status.ADOPTED: gettext_lazy("Het plan is vastgesteld."),
    Status.DRAFT: gettext_lazy("Het plan is terug in voorbereiding. U kunt het weer aanpassen."),
    Status.IN_PROGRESS: gettext_lazy("Het plan wordt nu uitgevoerd. Aan het eind van het jaar maakt u het "
                                     "kwaliteitsverslag."),
}


@login_required
@require_POST
def transition(request, plan_id):
    plan = get_plan_for_user(request.user, plan_id)
    to = request.POST.get("to", "")
    require(request.user, "consent.adopt_plan" if to == Status.ADOPTED else "consent.transition_plan", plan)
    form = TransitionForm(request.POST)
    try:
        moved = form.is_valid() and run_form_action(form, lambda: services.transition_plan(
            plan=plan, to=to, by=request.user, respond_by=form.cleaned_data["respond_by"],
            include_works_council=form.cleaned_data["include_works_council"], note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"]))
    except services.TransitionRefused as refused:
        context = {"plan": plan, "to": to, "message": refused.message,
                   "findings": [(f, finding_url(plan, f.target)) for f in refused.findings]}
        return render_page(request, "consent/transition_refused.html", context, status=409)
    if moved:
        messages.success(request, str(SUCCESS[to]))
        if to == Status.CONSENT:
            return redirect("consent:overview", plan.pk)
        return redirect(plan)
    context = _overview_context(request, plan, form=form)
    return render_page(request, "consent/overview.html", context, status=400)


@login_required
@require_http_methods(["GET"])
def adopt(request, plan_id):
    """The board's confirmation before adopting: the version it fixes and the councils' decisions
    it rests on; or, when adopting cannot be done yet, why. The "yes" posts to `transition`."""
    plan = get_plan_for_user(request.user, plan_id)
    require(request.user, "consent.adopt_plan", plan)
    check = services.adoption_check(plan)
    requests = _mark(list(selectors.consent_requests_of_plan(plan)), check.content_sha256)
    basis = sorted(selectors.latest_requests(requests).values(), key=lambda r: r.council.name)
    refusal = check.refusal
    context = {
        "plan": plan, "version": check.version, "basis": basis, "refusal": refusal,
        "findings": [(f, finding_url(plan, f.target)) for f in refusal.findings] if refusal else [],
        "can_edit": request.user.has_perm("plans.edit_plan", plan),
    }
    return render_page(request, "consent/adopt.html", context)


def _council_rounds(consent_request):
    """The versions this council was asked about and the one it last decided on, for the diff."""
    requests = list(selectors.consent_requests_of_plan(consent_request.plan).filter(
        council_id=consent_request.council_id))
    newest = max(requests, key=lambda r: r.version.number, default=consent_request)
    decided = next((r for r in requests if _decision_of(r) and r.version_id != newest.version_id), None)
    return newest, decided


def _request_context(request, consent_request, *, form=None, deadline_form=None, already=None,
                     confirm=None) -> dict:
    plan = consent_request.plan
    sha256 = selectors.draft_state(plan)[1]
    _mark([consent_request], sha256)
    newest, decided = _council_rounds(consent_request)
    if decided is not None and decided.pk != consent_request.pk:
        # The council's earlier decision is shown beside the new request, marked stale.
        _mark([decided], sha256)
    consent_request.superseded = newest.pk != consent_request.pk
    latest_version = plan.versions.order_by("-number").only("number", "plan_id").first()
    selectors.mark_adopted(versions=[consent_request.version, newest.version, *([decided.version] if decided else [])])
    # A decision on a version the council was asked to replace would not count, so the form is
    # offered on the newest request only (a form sent already is shown back with its messages).
    can_record = (consent_request.recorded is None and (form is not None or not consent_request.superseded)
                  and request.user.has_perm("consent.record_decision", consent_request))
    can_change_deadline = (consent_request.recorded is None
                           and request.user.has_perm("consent.request_consent", plan))
    if can_record and form is None:
        form = DecisionForm(members=_members_of(consent_request))
    return {
        "plan": plan, "consent_request": consent_request, "version": consent_request.version,
        "newest": newest, "decided": decided, "latest_version": latest_version,
        "diff_url": (reverse("plans:version_diff", args=[newest.version_id]) + f"?met={decided.version_id}"
                     if decided else ""),
        "form": form if can_record else None, "condition_rows": CONDITION_ROWS,
        "deadline_form": (deadline_form or RespondByForm(initial={"respond_by": consent_request.respond_by}))
        if can_change_deadline else None,
        "already": already, "confirm": confirm,
        "can_see_plan": request.user.has_perm("plans.view_plan", plan),
        "can_record_lcvv": request.user.has_perm("consent.record_lcvv", plan),
    }


def _members_of(consent_request):
    return sorted(people_of_councils([consent_request.council_id]),
                  key=lambda u: ((u.get_full_name() or u.username).lower(), u.pk))


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, request_id):
    consent_request = selectors.get_request_for_user(request.user, request_id)
    require(request.user, "consent.view_request", consent_request)
    if request.method == "GET":
        return render_page(request, "consent/request.html", _request_context(request, consent_request))

    require(request.user, "consent.record_decision", consent_request)
    form = DecisionForm(request.POST, members=_members_of(consent_request))
    # Two steps, plain posts: the form, then "U legt dit besluit vast" with the answers in hidden
    # fields; "Ja, vastleggen" sends them again with `confirmed`, "Terug" shows the form with them.
    confirmed = request.POST.get("confirmed") == "1"
    status, confirm = 400, None
    already = _decision_of(consent_request)
    if already is not None:
        status = 409
    elif form.is_valid() and "back" in request.POST:
        status = 200
    elif form.is_valid():
        data = form.cleaned_data
        answers = {"request": consent_request, "by": request.user, "decision": data["decision"],
                   "meeting_date": data["meeting_date"], "reasons": data["reasons"], "conditions": form.conditions(),
                   "present_ids": data["present"], "present_note": data["present_note"]}
        try:
            if confirmed:
                decision = services.record_consent_decision(**answers)
            else:
                services.check_consent_decision(**answers)
        except services.DecisionAlreadyRecorded as clash:
            already, status = clash.decision, 409
            # Read again: the page shows the decision that was recorded first.
            consent_request = selectors.get_request_for_user(request.user, request_id)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if confirmed:
                messages.success(request, _decided_message(decision))
                return redirect("consent:request", consent_request.pk)
            status, confirm = 200, {**form.summary(), "carried": form.carried()}
    context = _request_context(request, consent_request, form=form, already=already, confirm=confirm)
    return render_page(request, "consent/request.html", context, status=status)


def _decided_message(decision) -> str:
    if decision.decision == ConsentDecision.Decision.REFUSED:
        return _("Het besluit is vastgelegd: geen instemming. Het plan gaat terug naar de organisatie om het aan te "
                 "passen.")
    return _("Het besluit is vastgelegd: %(decision)s.") % {"decision": decision.get_decision_display().lower()}


@login_required
@require_POST
def request_deadline(request, request_id):
    consent_request = selectors.get_request_for_user(request.user, request_id)
    require(request.user, "consent.request_consent", consent_request.plan)
    form = RespondByForm(request.POST)
    if form.is_valid() and run_form_action(form, lambda: services.change_respond_by(
            request=consent_request, by=request.user, respond_by=form.cleaned_data["respond_by"])):
        messages.success(request, _("De reactiedatum voor %(council)s is nu %(date)s.")
                         % {"council": consent_request.council.name,
                            "date": long_date(form.cleaned_data["respond_by"])})
        return redirect("consent:request", consent_request.pk)
    context = _request_context(request, consent_request, deadline_form=form)
    return render_page(request, "consent/request.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def lcvv(request, request_id):
    consent_request = selectors.get_request_for_user(request.user, request_id)
    decision = _decision_of(consent_request)
    if decision is None or decision.decision != ConsentDecision.Decision.REFUSED:
        raise Http404
    plan = consent_request.plan
    require(request.user, "consent.record_lcvv", plan)
    existing = _lcvv_of(decision)
    initial = ({"submitted_on": existing.submitted_on, "outcome": existing.outcome, "outcome_on": existing.outcome_on,
                "note": existing.note} if existing else {})
    form = LcvvForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.record_lcvv_request(
            decision=decision, by=request.user, **form.cleaned_data)):
        messages.success(request, _("Het verzoek aan de Landelijke Commissie van Vertrouwenslieden is vastgelegd."))
        return redirect(reverse("consent:overview", args=[plan.pk]) + f"#raad-{consent_request.council_id}")
    context = {"plan": plan, "consent_request": consent_request, "decision": decision, "existing": existing,
               "form": form}
    return render_page(request, "consent/lcvv.html", context, status=400 if form.errors else 200)


def _condition_for_user(user, condition_id) -> ConsentCondition:
    condition = (ConsentCondition.objects
                 .select_related("decision__request__plan__organisation", "decision__request__council",
                                 "decision__request__version", "action__paragraph__location")
                 .filter(pk=condition_id).first())
    if condition is None or not user.has_perm("consent.view_request", condition.decision.request):
        raise Http404
    return condition


@login_required
@require_http_methods(["GET", "POST"])
def condition(request, condition_id):
    condition = _condition_for_user(request.user, condition_id)
    consent_request = condition.decision.request
    plan = consent_request.plan
    can_manage = request.user.has_perm("consent.manage_conditions", plan)
    form = None
    if can_manage or request.method == "POST":
        require(request.user, "consent.manage_conditions", plan)
        actions = (ImprovementAction.objects.filter(paragraph__plan=plan)
                   .select_related("paragraph__location").order_by("paragraph__location__name", "title"))
        initial = {"status": condition.status, "owner": condition.owner, "action": condition.action_id,
                   "answer": condition.answer}
        form = ConditionForm(request.POST or None, initial=initial, actions=actions)
        if request.method == "POST" and form.is_valid() and run_form_action(form, lambda: services.update_condition(
                condition=condition, by=request.user, status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"], action=form.cleaned_data["action"],
                owner=form.cleaned_data["owner"])):
            messages.success(request, _("De voorwaarde is bijgewerkt."))
            return redirect(reverse("consent:overview", args=[plan.pk]) + f"#raad-{consent_request.council_id}")
    context = {"plan": plan, "condition": condition, "consent_request": consent_request,
               "decision": condition.decision, "form": form,
               "can_see_plan": request.user.has_perm("plans.view_plan", plan)}
    return render_page(request, "consent/condition.html", context, status=400 if form and form.errors else 200)
