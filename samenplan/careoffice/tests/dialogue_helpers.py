"""Submitted plans and dialogue sessions for the tests of the dialogue with the care office."""

from datetime import timedelta

from django.utils import timezone

from samenplan.careoffice import dialogue_services as services
from samenplan.careoffice.models import DialogueParticipant, DialogueSession, ProposedDate, Submission
from samenplan.plans.models import QualityPlan


def submitted_plan(world, *, plan=None):
    """Adopts the world's plan through the real round and submits it to the care office.
    Returns the Submission."""
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adoption = adopt_plan_of_world(world, plan=plan)
    plan = adoption.plan
    try:
        from samenplan.careoffice.services import submit_plan
        from samenplan.consent.services import TransitionRefused
    except ImportError:  # FALLBACK until careoffice.services.submit_plan exists (the lead removes it)
        return _submission_rows(world, plan, adoption)
    try:
        return submit_plan(plan=plan, by=world.people["board"])
    except TransitionRefused:
        # FALLBACK while the state machine does not yet know adopted -> submitted (the lead removes it).
        return _submission_rows(world, plan, adoption)


def _submission_rows(world, plan, adoption):
    """The Submission row and the plan's status set directly: a shortcut, not the real step."""
    submission = Submission.objects.create(plan=plan, version=adoption.version, adoption=adoption,
                                           care_office=world.care_office, sha256=adoption.version.sha256,
                                           evidence={"findings": [{"rule": "R16", "code": "budget-missing",
                                                                   "severity": "warn",
                                                                   "message": "Het plan noemt de begroting niet."}]},
                                           submitted_by=world.people["board"])
    QualityPlan.objects.filter(pk=plan.pk).update(status=QualityPlan.Status.SUBMITTED)
    plan.status = QualityPlan.Status.SUBMITTED
    return submission


def quickly_submitted(world):
    """The world's plan as if adopted and submitted, made with rows only (no consent round): for
    the permission matrix, which builds it once per persona. Not the real step."""
    from samenplan.consent.models import Adoption

    existing = Submission.objects.filter(plan=world.plan).first()
    if existing:
        return existing
    adoption = Adoption.objects.create(plan=world.plan, version=world.version, adopted_by=world.people["board"])
    return _submission_rows(world, world.plan, adoption)


def in_days(days: int, hour: int = 14) -> timezone.datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def all_three(world) -> dict:
    return {"invite_board": True, "invite_council_ids": [world.client_council.pk, world.nursing_council.pk]}


def start_session(world, submission=None, *, invite=None, dates=(7, 8)):
    """A session proposed by the care office's user through the real service."""
    submission = submission or quickly_submitted(world)
    invite = all_three(world) if invite is None else invite
    return services.start_dialogue(plan=submission.plan, by=world.people["care_office"],
                                   proposed_dates=[in_days(d) for d in dates], place="Kantoor, Stationsweg 1",
                                   **invite)


def planned_session(world, submission=None, **kwargs):
    session = start_session(world, submission, **kwargs)
    return services.pick_date(session=session, by=world.people["quality"],
                              proposed_date_id=session.proposed_dates.first().pk)


def held_session(world, submission=None, **kwargs):
    session = planned_session(world, submission, **kwargs)
    attendance = {p.pk: True for p in session.participants.all()}
    return services.record_held(session=session, by=world.people["care_office"], held_on=timezone.localdate(),
                                attendance=attendance)


def session_rows(world, status=DialogueSession.Status.PLANNED, *, invite_all=True):
    """A session made with rows only (quick, for the permission matrix)."""
    submission = quickly_submitted(world)
    session = DialogueSession.objects.create(
        care_office=world.care_office, organisation=world.organisation, plan=world.plan, submission=submission,
        status=status, place="Kantoor", created_by=world.people["care_office"],
        starts_at=in_days(7) if status != DialogueSession.Status.PROPOSED else None,
        held_on=timezone.localdate() if status == DialogueSession.Status.HELD else None)
    ProposedDate.objects.create(session=session, starts_at=in_days(7))
    if invite_all:
        Party = DialogueParticipant.Party
        DialogueParticipant.objects.bulk_create([
            DialogueParticipant(session=session, party=Party.BOARD),
            DialogueParticipant(session=session, party=Party.CLIENT_COUNCIL, council=world.client_council),
            DialogueParticipant(session=session, party=Party.NURSING_COUNCIL, council=world.nursing_council),
        ])
    return session


def agreement_row(world, session, **extra):
    from samenplan.careoffice.models import Agreement

    fields = {"title": "Elke dag naar buiten", "owner": "Teamleider De Linde",
              "due_date": timezone.localdate() + timedelta(days=90), **extra}
    return Agreement.objects.create(session=session, organisation=world.organisation, plan=session.plan,
                                    created_by=world.people["care_office"], **fields)
