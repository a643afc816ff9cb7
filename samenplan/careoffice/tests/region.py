"""More organisations in the world's region, each with locations and a plan in some state, made
directly (the overview reads states, it does not judge them)."""

from datetime import date

from samenplan.careoffice.models import CareOfficeYear, DialogueSession, Submission
from samenplan.consent.models import Adoption
from samenplan.frameworks.models import Framework
from samenplan.organisations.tests.factories import LocationFactory, OrganisationFactory
from samenplan.plans.models import PlanVersion, QualityPlan

STATES = ["none", "draft", "consent", "adopted", "submitted", "dialogue"]


def version_of(plan, number=1, *, staffing=None, by):
    snapshot = {"plan": {"year": plan.year}, "sections": [],
                "staffing": {"rows": [], "totals": staffing or {}}, "number": number}
    content = PlanVersion.canonical(snapshot)
    return PlanVersion.objects.create(plan=plan, number=number, content=content, sha256=PlanVersion.hash_of(content),
                                      created_by=by)


def grow_region(world, count: int, *, year: int, locations: int = 3, warnings: int = 0) -> list:
    """`count` organisations in the world's region, cycling through the states; returns them."""
    framework = Framework.objects.filter(organisation=None).first()
    board = world.people["board"]
    made = []
    for n in range(count):
        state = STATES[n % len(STATES)]
        organisation = OrganisationFactory(name=f"Regio-organisatie {n:03d} {state}", region=world.organisation.region)
        for m in range(locations):
            LocationFactory(organisation=organisation, name=f"Locatie {n:03d}-{m}", places=20 + m)
        made.append(organisation)
        if state == "none":
            continue
        status = {"draft": "draft", "consent": "consent", "adopted": "adopted"}.get(state, "submitted")
        plan = QualityPlan.objects.create(organisation=organisation, year=year, framework=framework, status=status)
        if state in ("adopted", "submitted", "dialogue"):
            version = version_of(plan, staffing={"level3_fte": "10.00", "level4_fte": "5.00"}, by=board)
            adoption = Adoption.objects.create(plan=plan, version=version, adopted_by=board)
        if state in ("submitted", "dialogue"):
            submission = Submission.objects.create(plan=plan, version=version, adoption=adoption,
                                                   care_office=world.care_office, sha256=version.sha256,
                                                   submitted_by=board, warning_count=warnings)
        if state == "dialogue":
            DialogueSession.objects.create(care_office=world.care_office, organisation=organisation, plan=plan,
                                           submission=submission, status=DialogueSession.Status.PLANNED,
                                           created_by=world.people["care_office"])
    return made


def set_deadline(world, year: int, deadline: date, plan_format="framework"):
    return CareOfficeYear.objects.update_or_create(care_office=world.care_office, year=year,
                                                   defaults={"deadline": deadline, "plan_format": plan_format})[0]
