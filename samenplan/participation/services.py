"""Comments and answers, the client council's top 3, and peer feedback: every change goes through
one of these functions (pages and API alike)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from samenplan.accounts.models import COUNCIL_ROLES, Role, User
from samenplan.accounts.selectors import council_ids_of, organisation_ids_of
from samenplan.audit.models import AuditEvent
from samenplan.audit.services import record
# The peers are reminded on the same days before their date as the councils are before theirs.
from samenplan.consent.services import REMINDER_DAYS
from samenplan.core.permissions import require
from samenplan.notifications.selectors import people_of_organisation
from samenplan.notifications.services import notify
from samenplan.organisations.models import Council, Location, Organisation
from samenplan.plans.models import ImprovementAction, PlanVersion, QualityPlan

from .models import Comment, PeerReview, PeerReviewInvitation, TopPoint, commentable_sections, default_respond_by
from .rules import invited_peer_organisation_ids
from .selectors import peer_candidates

MAX_TOP_POINTS = 3
# A response date further ahead than this is a typing mistake rather than a plan.
MAX_PEER_REVIEW_TIME = timedelta(days=366)


def _section_keys(version: PlanVersion) -> dict[str, str]:
    return {s["key"]: s["title"] for s in version.snapshot.get("sections") or []}


def _speaks_for(user: User, version: PlanVersion) -> tuple[Council | None, Organisation | None]:
    """The council or peer organisation a comment is made for, from the person's roles."""
    if version.plan.organisation_id in organisation_ids_of(user, {Role.BOARD, Role.QUALITY_STAFF,
                                                                   Role.LOCATION_MANAGER}):
        return None, None
    shared = {s.council_id for s in version.shares.all()}
    councils = sorted(council_ids_of(user, COUNCIL_ROLES) & shared)
    if councils:
        return Council.objects.get(pk=councils[0]), None
    peers = sorted(invited_peer_organisation_ids(user, version))
    if peers:
        return None, Organisation.objects.get(pk=peers[0])
    return None, None


@transaction.atomic
def add_comment(*, version: PlanVersion, by: User, section_key: str, body: str, quote: str = "") -> Comment:
    require(by, "participation.comment_on_version", version)
    errors = {}
    sections = commentable_sections(_section_keys(version))
    if section_key not in sections:
        errors["section_key"] = _("Kies het onderdeel van het plan waar uw reactie over gaat.")
    if not body.strip():
        errors["body"] = _("Schrijf uw reactie.")
    elif len(body) > 5000:
        errors["body"] = _("Uw reactie is te lang: houd het onder de 5000 tekens.")
    if len(quote) > 2000:
        errors["quote"] = _("Het citaat is te lang: hoogstens 2000 tekens.")
    if errors:
        raise ValidationError(errors)
    council, peer = _speaks_for(by, version)
    comment = Comment.objects.create(version=version, plan=version.plan, section_key=section_key, quote=quote.strip(),
                                     body=body.strip(), author=by, council=council, peer_organisation=peer)
    record(AuditEvent.Kind.COMMENT_ADDED, actor=by, version=version,
           data={"comment_id": comment.pk, "section": sections[section_key],
                 "council": council.name if council else "", "peer_organisation": peer.name if peer else ""})
    notify(recipients=people_of_organisation(version.plan.organisation_id, {Role.QUALITY_STAFF}),
           event_key=f"comment-added-{comment.pk}", kind="comment_added", exclude=by,
           subject=gettext_lazy("Nieuwe reactie op „%(section)s” in versie %(number)s van het kwaliteitsplan"),
           body=gettext_lazy("%(name)s schreef: %(body)s"),
           params={"section": sections[section_key], "number": version.number,
                   "name": by.get_full_name() or by.username, "body": comment.body[:500]},
           url=reverse("participation:plan_comments", args=[version.plan_id]) + f"#reactie-{comment.pk}")
    return comment


@transaction.atomic
def answer_comment(*, comment: Comment, by: User, outcome: str, answer: str = "",
                   change_version: PlanVersion | None = None) -> Comment:
    """The author's answer: verwerkt (with the version that holds the change), deels verwerkt or
    niet verwerkt (with a reason). An answer can be corrected; the audit trail keeps both."""
    plan = comment.plan
    require(by, "participation.answer_comment", plan)
    comment = Comment.objects.select_for_update().select_related("version").get(pk=comment.pk)
    errors = {}
    if outcome not in Comment.Outcome.values:
        errors["outcome"] = _("Kies wat u met de reactie hebt gedaan.")
    if outcome == Comment.Outcome.PROCESSED:
        if change_version is None:
            errors["change_version"] = _("Kies de versie waarin de wijziging staat. Leg eerst een nieuwe versie "
                                         "vast als dat nog niet is gebeurd.")
        elif change_version.plan_id != plan.pk or change_version.number <= comment.version.number:
            errors["change_version"] = _("Kies een latere versie van dit plan dan de versie van de reactie.")
    elif outcome and not answer.strip():
        errors["answer"] = _("Schrijf waarom de reactie niet of maar voor een deel is verwerkt.")
    if len(answer) > 5000:
        errors["answer"] = _("Het antwoord is te lang: houd het onder de 5000 tekens.")
    if errors:
        raise ValidationError(errors)
    before = comment.outcome
    comment.outcome, comment.answer = outcome, answer.strip()
    comment.change_version = change_version if outcome == Comment.Outcome.PROCESSED else None
    comment.answered_by, comment.answered_at = by, timezone.now()
    comment.save()
    record(AuditEvent.Kind.COMMENT_ANSWERED, actor=by, plan=plan, version=comment.version,
           data={"comment_id": comment.pk, "outcome": outcome, "before": before,
                 "change_version": change_version.number if comment.change_version else None})
    notify(recipients=[comment.author], event_key=f"comment-answered-{comment.pk}-{comment.answered_at.isoformat()}",
           kind="comment_answered", exclude=by,
           subject=gettext_lazy("Uw reactie op het kwaliteitsplan %(year)s is beantwoord: %(outcome)s"),
           body=gettext_lazy("%(answer)s"),
           params={"year": plan.year, "outcome": comment.get_outcome_display().lower(), "answer": comment.answer},
           url=reverse("participation:version_comments", args=[comment.version_id]) + f"#reactie-{comment.pk}")
    return comment


# --- The client council's top 3 ---------------------------------------------------------------


@transaction.atomic
def record_top_points(*, plan: QualityPlan, council: Council, by: User, location: Location | None,
                      points: list[dict]) -> list[TopPoint]:
    """Replaces the council's top 3 for the plan (for one location, or for the whole organisation).
    Each point: {"title", "explanation"}; empty titles are left out; the order is the rank."""
    require(by, "participation.record_top_points", plan)
    if council.organisation_id != plan.organisation_id or council.kind != Council.Kind.CLIENT_COUNCIL \
            or council.pk not in council_ids_of(by):
        raise PermissionDenied
    if location is not None and location.organisation_id != plan.organisation_id:
        raise ValidationError({"location": _("Deze locatie hoort niet bij uw organisatie.")})
    points = [p for p in points if (p.get("title") or "").strip()]
    if len(points) > MAX_TOP_POINTS:
        raise ValidationError({"points": _("Kies hoogstens drie verbeterpunten.")})
    for point in points:
        if len(point["title"]) > 200:
            raise ValidationError({"points": _("Houd elk verbeterpunt kort: hoogstens 200 tekens.")})
        if len(point.get("explanation") or "") > 2000:
            raise ValidationError({"points": _("De uitleg is te lang: hoogstens 2000 tekens per punt.")})
    # Lock the council: two members saving at once must not leave six points.
    Council.objects.select_for_update().get(pk=council.pk)
    existing = list(TopPoint.objects.filter(plan=plan, council=council, location=location).order_by("rank"))
    kept = []
    for rank, data in enumerate(points, start=1):
        point = existing[rank - 1] if rank <= len(existing) else TopPoint(plan=plan, council=council, location=location)
        point.rank, point.title = rank, data["title"].strip()
        point.explanation, point.recorded_by = (data.get("explanation") or "").strip(), by
        point.save()
        kept.append(point)
    TopPoint.objects.filter(pk__in=[p.pk for p in existing[len(points):]]).delete()
    record(AuditEvent.Kind.TOP_POINTS_RECORDED, actor=by, plan=plan,
           data={"council": council.name, "location": location.name if location else "",
                 "points": [p.title for p in kept]})
    return kept


@transaction.atomic
def answer_top_point(*, point: TopPoint, by: User, action_ids: list[int], answer: str = "") -> TopPoint:
    """How the plan takes a top-3 point up: linked improvement actions and/or a written answer."""
    require(by, "participation.answer_top_points", point.plan)
    actions = list(ImprovementAction.objects.filter(pk__in=action_ids, paragraph__plan=point.plan))
    if len(actions) != len(set(action_ids)):
        raise ValidationError({"action_ids": _("Kies acties uit dit plan.")})
    if len(answer) > 3000:
        raise ValidationError({"answer": _("Het antwoord is te lang: hoogstens 3000 tekens.")})
    point.answer = answer.strip()
    point.save(update_fields=["answer"])
    point.actions.set(actions)
    record(AuditEvent.Kind.TOP_POINT_ANSWERED, actor=by, plan=point.plan,
           data={"point": point.title, "actions": [a.title for a in actions], "answered": bool(point.answer)})
    return point


# --- Peer feedback ----------------------------------------------------------------------------


@transaction.atomic
def invite_peers(*, version: PlanVersion, organisations: list[Organisation], by: User,
                 respond_by: date | None = None) -> list[PeerReviewInvitation]:
    """Invites organisations of the learning network to review this frozen version, with feedback
    asked by `respond_by` (four weeks from today when not given). An organisation invited before
    for this version keeps its invitation and its date."""
    plan = version.plan
    require(by, "participation.invite_peers", plan)
    errors = {}
    today = timezone.localdate()
    respond_by = respond_by or default_respond_by()
    if respond_by < today:
        errors["respond_by"] = _("Deze datum is al voorbij. Kies vandaag of een latere datum.")
    elif respond_by > today + MAX_PEER_REVIEW_TIME:
        errors["respond_by"] = _("Kies een datum binnen een jaar vanaf vandaag.")
    if not organisations:
        errors["organisations"] = _("Kies minstens één collega-organisatie.")
    if errors:
        raise ValidationError(errors)
    allowed = set(peer_candidates(plan).values_list("pk", flat=True))
    # KK: feedback comes from peers in the learning network, never from the organisation itself.
    strangers = [o.name for o in organisations if o.pk not in allowed]
    if strangers:
        raise ValidationError({"organisations": _("Deze organisaties zitten niet in uw lerend netwerk: %(names)s.")
                               % {"names": ", ".join(strangers)}})
    invitations = []
    for organisation in organisations:
        invitation, created = PeerReviewInvitation.objects.get_or_create(
            version=version, organisation=organisation, defaults={"invited_by": by, "respond_by": respond_by})
        invitations.append(invitation)
        if not created:
            continue
        record(AuditEvent.Kind.PEER_REVIEW_INVITED, actor=by, version=version,
               data={"organisation": organisation.name, "number": version.number,
                     "respond_by": respond_by.isoformat()})
        notify(recipients=people_of_organisation(organisation.pk, {Role.PEER_REVIEWER}),
               event_key=f"peer-review-invited-{invitation.pk}", kind="review_requested",
               subject=gettext_lazy("%(organisation)s vraagt uw feedback op het kwaliteitsplan %(year)s"),
               body=gettext_lazy("U bent uitgenodigd om versie %(number)s te lezen en feedback te geven, graag vóór "
                                 "%(date)s."),
               params={"organisation": plan.organisation.name, "year": plan.year, "number": version.number,
                       "date": respond_by},
               url=reverse("participation:peer_review", args=[version.pk]))
    return invitations


def send_peer_review_reminders(*, today: date) -> int:
    """Reminds the reviewers of an invited organisation 7 days and 1 day before the date the
    feedback was asked by, while their organisation has not handed it in. Run by the scheduler
    (notifications.tasks.run_jobs); the event key makes a second run on the same day send nothing."""
    sent = 0
    due = (PeerReviewInvitation.objects
           .filter(respond_by__gte=today, respond_by__lte=today + timedelta(days=max(REMINDER_DAYS)))
           .exclude(review__submitted_at__isnull=False)
           .select_related("version__plan__organisation").defer("version__content").order_by("respond_by", "pk"))
    for invitation in due:
        days_left = (invitation.respond_by - today).days
        # The nearest reminder that is due: at 7 days (or fewer) and at 1 day (or on the day).
        days = min(d for d in REMINDER_DAYS if days_left <= d)
        plan = invitation.version.plan
        created = notify(
            recipients=people_of_organisation(invitation.organisation_id, {Role.PEER_REVIEWER}),
            event_key=f"peer-review-deadline-{invitation.pk}-{days}d", kind="deadline",
            subject=ngettext_lazy("Nog %(days)s dag: uw feedback op het kwaliteitsplan %(year)s van %(organisation)s",
                                  "Nog %(days)s dagen: uw feedback op het kwaliteitsplan %(year)s van "
                                  "%(organisation)s", "days"),
            body=gettext_lazy("%(organisation)s vraagt uw feedback op versie %(number)s vóór %(date)s. Met "
                              "„Indienen” stuurt u uw feedback naar hen."),
            params={"days": days_left, "organisation": plan.organisation.name, "year": plan.year,
                    "number": invitation.version.number, "date": invitation.respond_by},
            url=reverse("participation:peer_review", args=[invitation.version_id]))
        sent += len(created)
    return sent


def _clean_feedback(version: PlanVersion, section_feedback: dict, summary: str) -> dict:
    keys = _section_keys(version)
    unknown = sorted(set(section_feedback) - set(keys))
    if unknown:
        raise ValidationError({"section_feedback": _("Onbekende onderdelen: %(keys)s.") % {"keys": ", ".join(unknown)}})
    too_long = [key for key, text in section_feedback.items() if len(text or "") > 5000]
    if too_long:
        # Per section, so that the form and the API say which section's feedback is too long.
        raise ValidationError({f"section_feedback.{key}": _("Houd de feedback per onderdeel onder de 5000 tekens.")
                               for key in too_long})
    if len(summary) > 10000:
        raise ValidationError({"summary": _("De samenvatting is te lang: houd het onder de 10.000 tekens.")})
    return {key: text.strip() for key, text in section_feedback.items() if (text or "").strip()}


@transaction.atomic
def save_peer_review(*, version: PlanVersion, by: User, section_feedback: dict[str, str], summary: str,
                     submit: bool = False) -> PeerReview:
    """Saves the peer reviewer's feedback; with `submit` it is handed in and can no longer change."""
    require(by, "participation.review_version", version)
    organisation_id = sorted(invited_peer_organisation_ids(by, version))[0]
    invitation = PeerReviewInvitation.objects.select_for_update().get(version=version, organisation_id=organisation_id)
    review = PeerReview.objects.filter(invitation=invitation).first()
    if review is not None and review.is_submitted:
        raise ValidationError({"summary": _("Deze feedback is al ingediend en kan niet meer veranderen.")})
    feedback = _clean_feedback(version, section_feedback, summary)
    if submit and not summary.strip():
        raise ValidationError({"summary": _("Schrijf een korte samenvatting voordat u de feedback indient.")})
    review = review or PeerReview(invitation=invitation, version=version, organisation_id=organisation_id)
    review.reviewer, review.section_feedback, review.summary = by, feedback, summary.strip()
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        plan = version.plan
        record(AuditEvent.Kind.PEER_REVIEW_SUBMITTED, actor=by, version=version,
               data={"organisation": invitation.organisation.name, "number": version.number,
                     "sections": len(feedback)})
        notify(recipients=people_of_organisation(plan.organisation_id),
               event_key=f"peer-review-submitted-{review.pk}", kind="review_submitted",
               subject=gettext_lazy("%(organisation)s gaf feedback op versie %(number)s van het kwaliteitsplan"),
               params={"organisation": invitation.organisation.name, "number": version.number},
               url=reverse("participation:plan_peer_reviews", args=[plan.pk]) + f"#feedback-{review.pk}")
    return review


# --- The learning network's library -----------------------------------------------------------


def _library_note(who_took_part: str, how_signals: str, do_differently: str) -> dict:
    from .models import NOTE_MAX_LENGTH

    note = {"who_took_part": (who_took_part or "").strip(), "how_signals": (how_signals or "").strip(),
            "do_differently": (do_differently or "").strip()}
    errors = {key: _("Houd het kort: hoogstens %(max)s tekens.") % {"max": NOTE_MAX_LENGTH}
              for key, text in note.items() if len(text) > NOTE_MAX_LENGTH}
    if not any(note.values()):
        errors["who_took_part"] = _("Vertel in minstens één van de drie vakken hoe u het plan hebt gemaakt. "
                                    "Daar leren collega's het meest van.")
    if errors:
        raise ValidationError(errors)
    return note


@transaction.atomic
def share_in_library(*, plan: QualityPlan, by: User, who_took_part: str = "", how_signals: str = "",
                     do_differently: str = "", version: PlanVersion | None = None, networks=None) -> list:
    """Shares the plan's adopted version (the newest one when none is named) with the other members
    of the organisation's learning networks (all of them, or those named), with a note on how the
    plan was made. Sharing again replaces the version and the note in that network."""
    from samenplan.consent.models import Adoption
    from samenplan.organisations.models import LearningNetwork

    from .models import LibraryEntry

    require(by, "participation.share_in_library", plan)
    adoptions = Adoption.objects.filter(plan=plan).select_related("version").order_by("-adopted_at", "-pk")
    if version is not None:
        adoptions = adoptions.filter(version=version)
    adoption = adoptions.first()
    if adoption is None:
        raise ValidationError({"version": _("Alleen een vastgestelde versie kan worden gedeeld. Stel het plan "
                                            "eerst vast.")})
    version = adoption.version
    note = _library_note(who_took_part, how_signals, do_differently)
    member_of = LearningNetwork.objects.filter(organisations=plan.organisation_id).order_by("name")
    if networks is not None:
        wanted = {n.pk for n in networks}
        if not wanted or wanted - set(member_of.values_list("pk", flat=True)):
            raise ValidationError({"networks": _("Kies een lerend netwerk waar uw organisatie in zit.")})
        member_of = member_of.filter(pk__in=wanted)
    member_of = list(member_of)
    if not member_of:
        raise ValidationError({"networks": _("Uw organisatie zit nog niet in een lerend netwerk.")})
    sections = [s for s in version.snapshot.get("sections") or [] if (s.get("body") or "").strip()]
    themes = {"theme_keys": "|" + "|".join(s["key"] for s in sections) + "|" if sections else "",
              "theme_titles": {s["key"]: s["title"] for s in sections}}
    entries = []
    for network in member_of:
        entry = (LibraryEntry.objects.select_for_update()
                 .filter(network=network, plan=plan, withdrawn_at__isnull=True).first())
        if entry is None:
            entry = LibraryEntry(network=network, plan=plan, organisation_id=plan.organisation_id)
        entry.version, entry.year, entry.shared_by = version, plan.year, by
        for key, value in {**note, **themes}.items():
            setattr(entry, key, value)
        entry.save()
        entries.append(entry)
        record(AuditEvent.Kind.PLAN_SHARED_IN_LIBRARY, actor=by, version=version,
               data={"network": network.name, "number": version.number, "entry_id": entry.pk})
        notify(recipients=[u for org in network.organisations.exclude(pk=plan.organisation_id)
                           for u in people_of_organisation(org.pk, {Role.QUALITY_STAFF})],
               event_key=f"library-shared-{entry.pk}-{version.pk}", kind="library_shared", exclude=by,
               subject=gettext_lazy("%(organisation)s deelt het kwaliteitsplan %(year)s in %(network)s"),
               body=gettext_lazy("Lees hoe zij het plan hebben gemaakt, en wat zij anders zouden doen."),
               params={"organisation": plan.organisation.name, "year": plan.year, "network": network.name},
               url=reverse("participation:library_entry", args=[entry.pk]))
    return entries


@transaction.atomic
def withdraw_from_library(*, entry, by: User):
    """Takes a shared plan out of the library. Its comments stay stored; copies keep their note."""
    from .models import LibraryEntry

    entry = LibraryEntry.objects.select_for_update().select_related("network", "version__plan").get(pk=entry.pk)
    require(by, "participation.withdraw_library_entry", entry)
    entry.withdrawn_at, entry.withdrawn_by = timezone.now(), by
    entry.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(AuditEvent.Kind.LIBRARY_SHARE_WITHDRAWN, actor=by, version=entry.version,
           data={"network": entry.network.name, "number": entry.version.number, "entry_id": entry.pk})
    return entry


def _speaks_for_in_network(user: User, entry) -> Organisation:
    from .rules import library_organisation_ids

    ids = library_organisation_ids(user, entry.network)
    # The person's own organisation first when it shared the entry; otherwise the first by id.
    chosen = entry.organisation_id if entry.organisation_id in ids else min(ids)
    return Organisation.objects.get(pk=chosen)


@transaction.atomic
def comment_in_library(*, entry, by: User, body: str):
    from .models import NOTE_MAX_LENGTH, LibraryComment

    require(by, "participation.comment_in_library", entry)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Schrijf uw reactie.")})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError({"body": _("Uw reactie is te lang: houd het onder de %(max)s tekens.")
                               % {"max": NOTE_MAX_LENGTH}})
    comment = LibraryComment.objects.create(entry=entry, author=by, organisation=_speaks_for_in_network(by, entry),
                                            body=body)
    notify(recipients=people_of_organisation(entry.organisation_id, {Role.QUALITY_STAFF}),
           event_key=f"library-comment-{comment.pk}", kind="library_comment", exclude=by,
           subject=gettext_lazy("%(organisation)s reageerde op uw gedeelde kwaliteitsplan %(year)s"),
           body=gettext_lazy("%(body)s"),
           params={"organisation": comment.organisation.name, "year": entry.year, "body": body[:500]},
           url=reverse("participation:library_entry", args=[entry.pk]) + f"#reactie-{comment.pk}")
    return comment


@transaction.atomic
def copy_from_library(*, entry, by: User, section_key: str, target_plan: QualityPlan, base_revision: int | None = None):
    """Appends a section's text of a shared plan to the same section of one of the person's own
    draft plans, through plans.services.update_section (revision check, conflict). Records where
    the text came from; the section editor shows it."""
    from samenplan.plans import services as plan_services

    from .models import SectionCopy

    require(by, "participation.view_library_entry", entry)
    require(by, "plans.edit_plan", target_plan)
    source = next((s for s in entry.version.snapshot.get("sections") or [] if s["key"] == section_key), None)
    if source is None or not (source.get("body") or "").strip():
        raise ValidationError({"section_key": _("Kies een onderdeel met tekst uit het gedeelde plan.")})
    section = target_plan.sections.filter(key=section_key).first()
    if section is None or not section.is_text:
        raise ValidationError({"plan": _("Dit onderdeel staat niet in het plan dat u koos. Kies een ander plan.")})
    if base_revision is None:
        base_revision = section.revision
    body = (section.body.rstrip() + "\n\n" if section.body.strip() else "") + source["body"].strip()
    # An EditConflict passes up unchanged: nothing is written, the person sees both texts.
    plan_services.update_section(plan=target_plan, key=section_key, body=body, base_revision=base_revision, by=by)
    copy = SectionCopy.objects.create(entry=entry, section_key=section_key, section_title=source.get("title", ""),
                                      source_organisation=entry.organisation.name, source_year=entry.year,
                                      target_plan=target_plan, target_section_key=section_key, copied_by=by)
    record(AuditEvent.Kind.SECTION_COPIED, actor=by, plan=target_plan,
           data={"section": section.title, "organisation": entry.organisation.name, "year": entry.year,
                 "entry_id": entry.pk, "copy_id": copy.pk})
    return copy
