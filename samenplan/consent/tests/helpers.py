"""Making a test plan ready for the councils: complete contents, frozen, reviewed by two peers."""

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.participation import services as participation
from samenplan.plans import services as plan_services

POLICY = "Wij doen dit samen met bewoners. Elke maand kijken we wat beter kan."


def complete_plan(plan, by) -> None:
    """Fills everything the content rules (R10, R13–R15, R28) ask for, through the real services."""
    plan_services.update_profile(plan=plan, by=by, target_groups=["psychogeriatrie"], care_types=["dagbesteding"],
                                 care_intensity={"VV5": 20}, text="")
    locations = list(plan.organisation.locations.filter(is_active=True))
    plan_services.update_staffing(plan=plan, by=by, reference_date=None, note="", rows=[
        {"location": loc, "level3_fte": 4, "level3_headcount": 5} for loc in locations])
    for section in plan.sections.all():
        body = section.body if section.body.strip() else POLICY + f" {plan.year}." if section.required else ""
        if section.is_text and body and (body != section.body or not section.summary):
            plan_services.update_section(plan=plan, key=section.key, body=body,
                                         summary=section.summary or "Hier staat kort wat we doen.",
                                         base_revision=section.revision, by=by)
    for location in locations:
        plan_services.update_paragraph(plan=plan, location=location, by=by, body="Meer samen doen.")
        if not plan.improvement_paragraphs.get(location=location).actions.exists():
            plan_services.save_action(plan=plan, location=location, by=by, title="Samen eten",
                                      owner="Teamleider", due_quarter=f"{plan.year}-Q2")


def peer_reviewer_of(organisation, username):
    user = UserFactory(username=username)
    add_membership(user=user, role=Role.PEER_REVIEWER, organisation=organisation)
    return user


def reviewed_by_two_peers(world, version) -> None:
    """The world's two network peers review `version` and submit."""
    quality = world.people["quality"]
    participation.invite_peers(version=version, organisations=[world.peer_organisation, world.second_peer_organisation],
                               by=quality)
    for user in (world.people["peer_reviewer"], world.people["uninvited_peer"]):
        participation.save_peer_review(version=version, by=user, section_feedback={}, summary="Helder plan.",
                                       submit=True)
