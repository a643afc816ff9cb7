"""The dialogue's part of the demo: on Zorggroep De Linde's submitted plan of this year, a held
dialogue session with an agenda, minutes and three agreements (one done, one in progress, one
open). Next year's plan gets nothing of its own: last year's agreements show up on it.

Through the real services, and safe to run twice (nothing happens once the plan has a session, or
while it has no submitted plan).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

MINUTES = """## Wat we bespraken

- Het plan is goed leesbaar. De cliëntenraad heeft vanaf het begin meegeschreven.
- Bewoners willen vaker naar buiten. De organisatie wil dat elke bewoner elke dag even buiten is.
- De VAR vraagt aandacht voor de inwerktijd van nieuwe collega's.

## Hoe verder

De afspraken staan hieronder. Over een half jaar kijken we samen hoe het gaat.
"""


DEMO_PEOPLE = {"care_office": "zorgkantoor", "board": "bestuurder", "quality": "kwaliteit",
               "council_member": "clientenraad"}


@transaction.atomic
def load_demo_dialogue(*, year: int | None = None, people: dict | None = None):
    """Returns the session made, or None when there was nothing to do. `year` and `people` (role
    to username) are for the tests; the demo uses this calendar year and its own logins."""
    from samenplan.accounts.models import User
    from samenplan.plans.models import QualityPlan

    from . import dialogue_selectors as selectors
    from . import dialogue_services as services
    from .models import DialogueSession

    from samenplan.core.demo import demo_organisation

    de_linde = demo_organisation()
    if de_linde is None:
        return None
    plan = QualityPlan.objects.filter(organisation=de_linde, year=year or timezone.localdate().year,
                                      status=QualityPlan.Status.SUBMITTED).first()
    if plan is None or DialogueSession.objects.filter(plan=plan).exists():
        return None
    names = {**DEMO_PEOPLE, **(people or {})}
    staff, board, author, member = (User.objects.filter(username=names[role]).first()
                                    for role in ("care_office", "board", "quality", "council_member"))
    if staff is None or board is None or author is None:
        return None
    today = timezone.localdate()
    soon = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    councils = selectors.council_facts(de_linde.pk)
    from samenplan.compliance.dialogue import required_parties

    invited = [c.id for party in required_parties(councils).values() for c in party]
    session = services.start_dialogue(plan=plan, by=staff, place="Zorgkantoor Rivierenland, Stationsweg 12, Tiel",
                                      proposed_dates=[soon + timedelta(days=7), soon + timedelta(days=9)],
                                      invite_board=True, invite_council_ids=invited)
    session = services.pick_date(session=session, by=board, proposed_date_id=session.proposed_dates.first().pk)

    session = selectors.get_session_for_user(staff, session.pk)
    sections = services.agenda_sections(session)[:2]
    findings = services.agenda_findings(session)[:1]
    services.add_agenda_items(session=session, by=staff, section_keys=[key for key, _title in sections],
                              finding_keys=[key for key, _rule, _message in findings])
    if member is not None:
        services.add_agenda_items(session=session, by=member, title="Elke dag naar buiten",
                                  text="Bewoners vertellen ons dat ze te weinig buiten komen.")

    # The demo opens after the session: it was held today, so its date is moved to this morning.
    DialogueSession.objects.filter(pk=session.pk).update(starts_at=soon)
    session.refresh_from_db()
    session = services.record_held(session=session, by=staff, held_on=today,
                         attendance={p.pk: True for p in session.participants.all()})
    session = services.save_minutes(session=session, by=staff, minutes=MINUTES)

    done = services.record_agreement(session=session, by=staff, title="De cliëntenraad leest mee met de kwartaalrapportage",
                                     owner="Kwaliteitsadviseur", due_date=today + timedelta(days=14))
    going = services.record_agreement(session=session, by=staff, title="Elke bewoner is elke dag even buiten",
                                      owner="Teamleiders van de locaties", due_date=today + timedelta(days=120),
                                      description="Eerst op De Linde, daarna op Het Wilgenhof.")
    services.record_agreement(session=session, by=staff, title="Een inwerkprogramma voor nieuwe collega's",
                              owner="Bestuurder, samen met de VAR", due_date=today + timedelta(days=180))
    services.update_agreement(agreement=done, by=author, status="done",
                              status_note="De cliëntenraad kreeg de eerste rapportage op tijd.")
    services.update_agreement(agreement=going, by=author, status="in_progress",
                              status_note="De Linde is begonnen; Het Wilgenhof volgt na de zomer.")
    return session
