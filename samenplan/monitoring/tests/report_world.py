"""The chain a quality report tells, made in the test world: a signal about a theme of De Linde,
the basis of the client council's top-3 point, which the world's action answers; the action's
progress says it is done. And helpers that take the report through its steps."""

import datetime

from samenplan.monitoring import report_services as services
from samenplan.monitoring.models import ActionProgress
from samenplan.plans.models import QualityPlan
from samenplan.signals.models import Signal, SignalAction, SignalTopPoint

SIGNAL_TEXT = "Mijn moeder zit de hele dag binnen, ze wil naar de tuin."
THEME = "wonen-en-welzijn"
EVALUATION = "Twee keer per week koken bewoners mee. Ze eten beter."
FINDING = "Samen koken werkt goed. Doe het ook op de andere afdelingen."


def submitted(world) -> QualityPlan:
    # The world's plan as if adopted and submitted: the steps before are the consent app's tests.
    QualityPlan.objects.filter(pk=world.plan.pk).update(status=QualityPlan.Status.SUBMITTED)
    world.plan.refresh_from_db()
    return world.plan


def build_chain(world, *, signals: int = 1) -> QualityPlan:
    plan = submitted(world)
    quality = world.people["quality"]
    for n in range(signals):
        signal = Signal.objects.create(organisation=world.organisation, location=world.location,
                                       text=SIGNAL_TEXT if n == 0 else f"{SIGNAL_TEXT} ({n})",
                                       received_on=datetime.date(plan.year, 3, 2), theme_key=THEME)
        SignalTopPoint.objects.create(signal=signal, top_point=world.top_point, linked_by=quality)
        SignalAction.objects.create(signal=signal, action=world.action, linked_by=quality)
    world.top_point.actions.add(world.action)
    ActionProgress.objects.create(action=world.action, quarter=f"{plan.year}-Q3", status=ActionProgress.Status.DONE,
                                  explanation="Het koken loopt.", recorded_by=quality)
    return plan


def drafted(world, **chain):
    build_chain(world, **chain)
    return services.start_report(plan=world.plan, by=world.people["quality"])


def completed(world, **chain):
    """A draft with everything adoption needs: the action evaluated, a finding for De Linde."""
    report = drafted(world, **chain)
    evaluation = report.action_evaluations.get(action=world.action)
    services.evaluate_action(evaluation=evaluation, by=world.people["location_manager"], final_status="done",
                             text=EVALUATION)
    services.add_finding(report=report, by=world.people["quality"], text=FINDING, location_id=world.location.pk,
                         theme_key=THEME)
    return report


def adopted(world, **chain):
    report = completed(world, **chain)
    return services.adopt_report(report=report, by=world.people["board"])
