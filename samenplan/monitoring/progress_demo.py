"""The demo's progress through the year: this year's plan of Zorggroep De Linde gets its updates
over the first three quarters (as far as they have begun), written by the location manager of Het
Wilgenhof and the quality staff member, with figures and one story from the floor, and the client
council comments on the third quarter's report.

Built through the real services (audited, checked), and safe to run twice: a plan with progress
already is left alone. Call after core.demo.load_demo_plans and the care office's demo, which
submits the plan.
"""

from django.db import transaction
from django.utils import timezone

from samenplan.accounts.models import User
from samenplan.organisations.models import Organisation
from samenplan.plans.models import ImprovementAction

from . import services
from .models import ActionProgress
from .rules import FOLLOWED_STATES
from .selectors import started_quarters

# Per action title: per quarter number (status, explanation, figure, story, username).
UPDATES = {
    "Elke dag naar buiten": {
        1: ("on_track", "De vrijwilligers hebben een rooster gemaakt. Elke ochtend gaat een groep naar de tuin.",
            "12 van 54 bewoners elke dag buiten", "", "locatiemanager"),
        2: ("delayed", "Er zijn te weinig rolstoelen. Er zijn er vier besteld; die komen in de zomer.",
            "18 van 54 bewoners elke dag buiten", "", "locatiemanager"),
        3: ("on_track", "De rolstoelen zijn er. Nu gaan ook bewoners die slecht lopen elke dag even naar buiten.",
            "31 van 54 bewoners elke dag buiten",
            "Mevrouw van de tweede verdieping zat voor het eerst in maanden in de tuin. Ze zei: „Ik hoor de "
            "vogels weer.”", "locatiemanager"),
    },
    "Nieuwe tuinbank": {
        1: ("on_track", "De bank is gekozen samen met de cliëntenraad.", "", "", "kwaliteit"),
        2: ("done", "De bank staat in de tuin, in de schaduw bij de vijver.", "1 bank", "", "kwaliteit"),
    },
}

COMMENT = ("Fijn dat er nu elke dag meer bewoners buiten komen. Kunnen de nieuwe rolstoelen ook in het weekend "
           "gebruikt worden?")


@transaction.atomic
def load_demo_progress(organisation: Organisation) -> None:
    year = timezone.localdate().year
    plan = organisation.plans.filter(year=year).first()
    if plan is None or plan.status not in FOLLOWED_STATES:
        return
    if ActionProgress.objects.filter(action__paragraph__plan=plan).exists():
        return
    begun = started_quarters(year, timezone.localdate())
    actions = ImprovementAction.objects.filter(paragraph__plan=plan).select_related("paragraph__plan")
    for action in actions:
        for number, (status, explanation, figure, story, username) in UPDATES.get(action.title, {}).items():
            quarter = f"{year}-Q{number}"
            if quarter in begun:
                services.record_progress(action=action, by=User.objects.get(username=username), quarter=quarter,
                                         status=status, explanation=explanation, figure=figure, story=story)
    if f"{year}-Q3" in begun:
        services.comment_on_quarterly_report(plan=plan, by=User.objects.get(username="clientenraad"),
                                             quarter=f"{year}-Q3", body=COMMENT)
