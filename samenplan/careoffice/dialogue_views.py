"""Pages of the dialogue between the care office and the organisation: one session page both
sides use, a small page per step (each also works as a form on the session page), the plan's
agreements as the organisation's tracked items, and the care office's list of its sessions.

Every change goes through `dialogue_services`; these views read the form and show the outcome.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samenplan.core.permissions import require
from samenplan.core.rendering import render_page, run_form_action
from samenplan.organisations.selectors import get_care_office_for_user

from . import dialogue_forms as forms
from . import dialogue_selectors as selectors
from . import dialogue_services as services
from .models import Agreement

GET_POST = require_http_methods(["GET", "POST"])
# The session page also shows the agenda form, whose "title" field would otherwise share the
# agreement form's id, and a label would then point at the wrong box.
AGREEMENT_IDS = "afspraak_%s"


def _portal_url(plan_id) -> str:
    # The care office's completeness view of the plan lives in the portal (careoffice/urls.py).
    try:
        return reverse("careoffice:plan", args=[plan_id])
    except NoReverseMatch:
        return ""


def _refused(request, refused: services.DialogueRefused, *, back: str, plan=None):
    return render_page(request, "careoffice/dialogue/refused.html",
                       {"message": refused.message, "back": back, "plan": plan}, status=409)


# --- Starting a session -------------------------------------------------------------------------

@login_required
@GET_POST
def dialogue_new(request, plan_id):
    plan = selectors.get_plan_for_care_office(request.user, plan_id)
    require(request.user, "careoffice.start_dialogue", plan)
    councils = services.invitable_councils(plan.organisation_id)
    choices = forms.invite_choices(councils)
    required = selectors.council_facts(plan.organisation_id)
    from samenplan.compliance.dialogue import required_parties

    default = ["board"] + [f"council-{c.id}" for party in required_parties(required).values() for c in party]
    form = forms.SessionForm(request.POST or None, choices=choices, initial={"invite": default})
    if request.method == "POST" and form.is_valid():
        board, council_ids = forms.split_invite(form.cleaned_data["invite"])
        try:
            session = run_form_action(form, lambda: services.start_dialogue(
                plan=plan, by=request.user, proposed_dates=form.dates(), place=form.cleaned_data["place"],
                invite_board=board, invite_council_ids=council_ids),
                field_names={"proposed_dates": "date_1", "invite_council_ids": "invite"})
        except services.DialogueRefused as refused:
            return _refused(request, refused, back=_portal_url(plan.pk) or reverse("core:dashboard"), plan=plan)
        if session:
            messages.success(request, _("De data zijn voorgesteld. De organisatie kiest er een."))
            return redirect("careoffice:dialogue", session.pk)
    context = {"plan": plan, "form": form, "submitted": plan.status == "submitted",
               "portal_url": _portal_url(plan.pk)}
    return render_page(request, "careoffice/dialogue/new.html", context,
                       status=400 if request.method == "POST" else 200)


# --- The session page ---------------------------------------------------------------------------

def _context(request, session, **bound) -> dict:
    """Everything the session page shows; `bound` holds a form sent back with its messages."""
    user = request.user
    councils = selectors.council_facts(session.organisation_id)
    participants = list(session.participants.all())
    can_manage = user.has_perm("careoffice.manage_dialogue", session)
    can_pick = user.has_perm("careoffice.pick_dialogue_date", session)
    is_open = session.status in {"proposed", "planned"}
    findings = selectors.session_findings(session, councils)
    agreements = selectors.mark_overdue(session.agreements.all())
    earlier = (selectors.mark_overdue(selectors.agreements_of_plan(session.plan.previous_id))
               if session.plan.previous_id else [])
    context = {
        "session": session, "plan": session.plan, "participants": participants,
        "party_labels": {p.pk: forms.party_label(p) for p in participants},
        "findings": [(f, "#uitnodigen") for f in findings],
        "agenda": list(session.agenda_items.all()),
        "agreements": agreements, "earlier_agreements": earlier,
        "can_manage": can_manage, "can_pick": can_pick and session.status == "proposed",
        "can_cancel": user.has_perm("careoffice.cancel_dialogue", session) and is_open,
        "can_add_point": user.has_perm("careoffice.add_council_point", session) and not can_manage,
        "can_track": user.has_perm("careoffice.track_agreement", session),
        "sees_people": user.has_perm("organisations.view_people", session.organisation),
        "portal_url": _portal_url(session.plan_id) if can_manage else "",
        "is_open": is_open,
    }
    if can_manage and is_open:
        choices = forms.invite_choices(services.invitable_councils(session.organisation_id), participants)
        context["invite_form"] = bound.get("invite_form") or (forms.InviteForm(choices=choices) if choices else None)
        context["dates_form"] = bound.get("dates_form") or forms.DatesForm(initial={"place": session.place})
    if can_manage and session.status != "cancelled":
        context["agenda_form"] = bound.get("agenda_form") or forms.AgendaForm(
            sections=services.agenda_sections(session), findings=services.agenda_findings(session, councils))
    if context["can_add_point"]:
        context["point_form"] = bound.get("point_form") or forms.CouncilPointForm()
    if context["can_pick"]:
        context["pick_form"] = bound.get("pick_form") or forms.PickDateForm(dates=session.proposed_dates.all())
    if can_manage and session.status == "planned":
        context["held_form"] = bound.get("held_form") or forms.HeldForm(
            participants=participants, initial={"attended": [str(p.pk) for p in participants],
                                                "held_on": _held_on_default(session)})
    if can_manage and session.status == "held":
        context["minutes_form"] = bound.get("minutes_form") or forms.MinutesForm(initial={"minutes": session.minutes})
    if can_manage and session.status in {"planned", "held"}:
        context["agreement_form"] = bound.get("agreement_form") or forms.AgreementForm(auto_id=AGREEMENT_IDS)
    if context["can_cancel"]:
        context["cancel_form"] = bound.get("cancel_form") or forms.CancelForm()
    return context


@login_required
@require_http_methods(["GET"])
def dialogue(request, session_id):
    session = selectors.get_session_for_user(request.user, session_id)
    require(request.user, "careoffice.view_dialogue", session)
    return render_page(request, "careoffice/dialogue/detail.html", _context(request, session))


def _step(request, session_id, *, perm, form_name, make_form, action, success, heading, allowed=lambda s: True):
    """One step on a session: GET shows its form on a page of its own, POST runs the service.
    A refused step answers 409 with the reason; bad input 400, with everything typed kept."""
    session = selectors.get_session_for_user(request.user, session_id)
    require(request.user, perm, session)
    if not allowed(session):
        raise Http404
    form = make_form(session, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = run_form_action(form, lambda: action(session, form) or True,
                                   field_names=FIELD_NAMES.get(form_name))
        except services.DialogueRefused as refused:
            return _refused(request, refused, back=reverse("careoffice:dialogue", args=[session.pk]),
                            plan=session.plan)
        if done:
            messages.success(request, str(success))
            return redirect("careoffice:dialogue", session.pk)
    context = {"session": session, "plan": session.plan, "form": form, "heading": heading, "form_name": form_name,
               "party_labels": {p.pk: forms.party_label(p) for p in session.participants.all()}}
    return render_page(request, "careoffice/dialogue/step.html", context,
                       status=400 if request.method == "POST" else 200)


FIELD_NAMES = {
    "dates_form": {"proposed_dates": "date_1"},
    "invite_form": {"invite_council_ids": "invite"},
    "held_form": {"attendance": "attended"},
    "agenda_form": {},
    "point_form": {"section_keys": "title", "finding_keys": "title"},
}


def _held_on_default(session):
    # The day it was planned for, unless that is still to come (a session recorded early).
    if session.starts_at is None:
        return None
    return min(timezone.localtime(session.starts_at).date(), timezone.localdate())


def _open(session):
    return session.status in {"proposed", "planned"}


@login_required
@GET_POST
def dialogue_pick_date(request, session_id):
    def action(session, form):
        choice = form.cleaned_data["proposed_date"]
        none_fits = choice == forms.NONE_FITS
        return services.pick_date(session=session, by=request.user, none_fits=none_fits,
                                  proposed_date_id=None if none_fits else int(choice),
                                  note=form.cleaned_data["note"])

    return _step(request, session_id, perm="careoffice.pick_dialogue_date", form_name="pick_form",
                 make_form=lambda s, data: forms.PickDateForm(data, dates=s.proposed_dates.all()), action=action,
                 success=_("Dank u. Iedereen die is uitgenodigd, krijgt bericht."), heading=_("Een datum kiezen"),
                 allowed=lambda s: s.status == "proposed")


@login_required
@GET_POST
def dialogue_invite(request, session_id):
    def make(session, data):
        choices = forms.invite_choices(services.invitable_councils(session.organisation_id),
                                       list(session.participants.all()))
        return forms.InviteForm(data, choices=choices)

    def action(session, form):
        board, council_ids = forms.split_invite(form.cleaned_data["invite"])
        return services.invite_parties(session=session, by=request.user, invite_board=board,
                                       invite_council_ids=council_ids)

    return _step(request, session_id, perm="careoffice.manage_dialogue", form_name="invite_form", make_form=make,
                 action=action, success=_("De uitnodiging is verstuurd."), heading=_("Meer partijen uitnodigen"),
                 allowed=_open)


@login_required
@GET_POST
def dialogue_dates(request, session_id):
    return _step(request, session_id, perm="careoffice.manage_dialogue", form_name="dates_form",
                 make_form=lambda s, data: forms.DatesForm(data, initial={"place": s.place}),
                 action=lambda s, form: services.propose_dates(session=s, by=request.user,
                                                               proposed_dates=form.dates(),
                                                               place=form.cleaned_data["place"]),
                 success=_("De nieuwe data zijn voorgesteld. De organisatie kiest er een."),
                 heading=_("Nieuwe data voorstellen"), allowed=_open)


@login_required
@GET_POST
def dialogue_agenda_add(request, session_id):
    """The care office picks sections and findings; a member of an invited council adds a point."""
    session = selectors.get_session_for_user(request.user, session_id)
    as_care_office = request.user.has_perm("careoffice.manage_dialogue", session)
    if as_care_office:
        def make(s, data):
            return forms.AgendaForm(data, sections=services.agenda_sections(s), findings=services.agenda_findings(s))
        perm, form_name = "careoffice.manage_dialogue", "agenda_form"
    else:
        def make(s, data):
            return forms.CouncilPointForm(data)
        perm, form_name = "careoffice.add_council_point", "point_form"

    def action(s, form):
        data = form.cleaned_data
        return services.add_agenda_items(session=s, by=request.user, section_keys=data.get("section_keys", []),
                                         finding_keys=data.get("finding_keys", []), title=data["title"],
                                         text=data["text"])

    return _step(request, session_id, perm=perm, form_name=form_name, make_form=make, action=action,
                 success=_("De agenda is bijgewerkt."), heading=_("Punten voor de agenda"),
                 allowed=lambda s: s.status != "cancelled")


@login_required
@GET_POST
def dialogue_held(request, session_id):
    def make(session, data):
        participants = list(session.participants.all())
        return forms.HeldForm(data, participants=participants,
                              initial={"attended": [str(p.pk) for p in participants],
                                       "held_on": _held_on_default(session)})

    def action(session, form):
        there = {int(v) for v in form.cleaned_data["attended"]}
        attendance = {p.pk: p.pk in there for p in session.participants.all()}
        return services.record_held(session=session, by=request.user, held_on=form.cleaned_data["held_on"],
                                    attendance=attendance,
                                    missing_party_reason=form.cleaned_data["missing_party_reason"])

    return _step(request, session_id, perm="careoffice.manage_dialogue", form_name="held_form", make_form=make,
                 action=action, success=_("De sessie is vastgelegd als gehouden. Schrijf nu het verslag en de "
                                          "afspraken."),
                 heading=_("Vastleggen dat de sessie is gehouden"), allowed=lambda s: s.status == "planned")


@login_required
@GET_POST
def dialogue_minutes(request, session_id):
    return _step(request, session_id, perm="careoffice.manage_dialogue", form_name="minutes_form",
                 make_form=lambda s, data: forms.MinutesForm(data, initial={"minutes": s.minutes}),
                 action=lambda s, form: services.save_minutes(session=s, by=request.user,
                                                              minutes=form.cleaned_data["minutes"]),
                 success=_("Het verslag is bewaard. De organisatie en de raden kunnen het lezen."),
                 heading=_("Verslag van de sessie"), allowed=lambda s: s.status == "held")


@login_required
@GET_POST
def dialogue_cancel(request, session_id):
    return _step(request, session_id, perm="careoffice.cancel_dialogue", form_name="cancel_form",
                 make_form=lambda s, data: forms.CancelForm(data),
                 action=lambda s, form: services.cancel_session(session=s, by=request.user,
                                                                reason=form.cleaned_data["cancel_reason"]),
                 success=_("De sessie is afgezegd. Iedereen die was uitgenodigd, krijgt bericht."),
                 heading=_("De sessie afzeggen"), allowed=_open)


@login_required
@GET_POST
def agreement_new(request, session_id):
    def action(session, form):
        data = form.cleaned_data
        return services.record_agreement(session=session, by=request.user, title=data["title"],
                                         description=data["description"], owner=data["owner"],
                                         due_date=data["due_date"])

    return _step(request, session_id, perm="careoffice.record_agreement", form_name="agreement_form",
                 make_form=lambda s, data: forms.AgreementForm(data, auto_id=AGREEMENT_IDS), action=action,
                 success=_("De afspraak is vastgelegd. De organisatie en de raden zien haar bij hun afspraken."),
                 heading=_("Een afspraak vastleggen"), allowed=lambda s: s.status in {"planned", "held"})


# --- Agreements ---------------------------------------------------------------------------------

@login_required
@GET_POST
def agreement_edit(request, agreement_id):
    """The organisation keeps the status up to date; the care office may reword the agreement."""
    agreement = (Agreement.objects.filter(pk=agreement_id, session__in=selectors.sessions_for_user(request.user))
                 .select_related("session__care_office", "plan__organisation", "updated_by").first())
    if agreement is None:
        raise Http404
    tracking = request.user.has_perm("careoffice.track_agreement", agreement)
    wording = request.user.has_perm("careoffice.word_agreement", agreement)
    if not (tracking or wording):
        require(request.user, "careoffice.track_agreement", agreement)
    if tracking:
        form = forms.AgreementTrackForm(request.POST or None, initial={"status": agreement.status,
                                                                       "status_note": agreement.status_note})
    else:
        form = forms.AgreementForm(request.POST or None, initial={
            "title": agreement.title, "description": agreement.description, "owner": agreement.owner,
            "due_date": agreement.due_date})
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        done = run_form_action(form, lambda: services.update_agreement(agreement=agreement, by=request.user,
                                                                       **fields))
        if done:
            messages.success(request, _("De afspraak is bijgewerkt."))
            if tracking:
                return redirect("careoffice:agreements", agreement.plan_id)
            return redirect("careoffice:dialogue", agreement.session_id)
    selectors.mark_overdue([agreement])
    context = {"agreement": agreement, "plan": agreement.plan, "form": form, "tracking": tracking,
               "sees_people": request.user.has_perm("organisations.view_people", agreement.plan.organisation)}
    return render_page(request, "careoffice/dialogue/agreement_edit.html", context,
                       status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET"])
def agreements(request, plan_id):
    """The plan's agreements with the care office, and last year's still open or recently closed."""
    plan = selectors.get_plan_for_agreements(request.user, plan_id)
    current = selectors.mark_overdue(selectors.agreements_of_plan(plan.pk))
    earlier = (selectors.mark_overdue(selectors.tracked_from_last_year(selectors.agreements_of_plan(plan.previous_id)))
               if plan.previous_id else [])
    context = {"plan": plan, "agreements": current, "earlier_agreements": earlier,
               "can_track": request.user.has_perm("careoffice.track_agreement", plan),
               "sees_people": request.user.has_perm("organisations.view_people", plan.organisation),
               "sessions": list(plan.dialogue_sessions.only("pk", "status", "starts_at", "held_on", "plan_id")
                                .order_by("-created_at"))}
    return render_page(request, "careoffice/dialogue/agreements.html", context)


@login_required
@require_http_methods(["GET"])
def dialogue_sessions(request, care_office_id):
    care_office = get_care_office_for_user(request.user, care_office_id)
    require(request.user, "careoffice.view_dialogue_sessions", care_office)
    sessions = selectors.sessions_of_care_office(care_office)
    context = {"care_office": care_office,
               "planned": [s for s in sessions if s.status in {"proposed", "planned"}],
               "held": [s for s in sessions if s.status == "held"],
               "cancelled": [s for s in sessions if s.status == "cancelled"]}
    return render_page(request, "careoffice/dialogue/sessions.html", context)
