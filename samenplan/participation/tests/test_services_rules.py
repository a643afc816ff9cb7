"""Comments, the client council's top 3 and peer feedback, through the services, and how the
checker reads them (R8, R9, R21, R27)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenplan.audit.models import AuditEvent
from samenplan.consent.selectors import plan_findings
from samenplan.consent.tests.helpers import peer_reviewer_of
from samenplan.participation import services
from samenplan.participation.models import Comment, PeerReview, PeerReviewInvitation, TopPoint
from samenplan.participation.selectors import comments_for_user
from samenplan.plans import services as plan_services

pytestmark = pytest.mark.shared_world

SECTION = "wonen-en-welzijn"


def codes(findings):
    return [(f.rule, f.code) for f in findings]


def findings_of(plan, rule):
    return [f for f in plan_findings(plan)[2] if f.rule == rule]


@pytest.fixture
def quality(world):
    return world.people["quality"]


def review(version, by, summary="Helder plan; de acties zijn concreet.", submit=True, **feedback):
    return services.save_peer_review(version=version, by=by, section_feedback=feedback, summary=summary,
                                     submit=submit)


def new_version(world, quality, text=" Ook in de winter."):
    section = world.plan.sections.get(key=SECTION)
    plan_services.update_section(plan=world.plan, key=SECTION, body=section.body + text,
                                 base_revision=section.revision, by=quality)
    return plan_services.freeze_version(plan=world.plan, by=quality)


# --- Peer feedback: who may review ------------------------------------------------------------


def test_an_invited_peer_reviews_and_submits(world):
    reviewer = world.people["peer_reviewer"]
    draft = review(world.version, reviewer, summary="", submit=False, **{SECTION: "Mooi doel."})
    assert draft.is_submitted is False and draft.organisation == world.peer_organisation

    submitted = review(world.version, reviewer, **{SECTION: "Mooi doel, maar hoe meet u het?"})
    assert submitted.pk == draft.pk and submitted.is_submitted
    assert submitted.section_feedback == {SECTION: "Mooi doel, maar hoe meet u het?"}
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.kind == AuditEvent.Kind.PEER_REVIEW_SUBMITTED and event.data["organisation"] == "Stichting Het Anker"


def test_a_submitted_review_cannot_change(world):
    review(world.version, world.people["peer_reviewer"])
    with pytest.raises(ValidationError):
        review(world.version, world.people["peer_reviewer"], summary="Toch anders.")
    assert PeerReview.objects.get().summary == "Helder plan; de acties zijn concreet."


def test_a_review_is_submitted_with_a_summary(world):
    with pytest.raises(ValidationError) as error:
        review(world.version, world.people["peer_reviewer"], summary="  ")
    assert "summary" in error.value.message_dict


def test_feedback_on_an_unknown_section_is_refused(world):
    with pytest.raises(ValidationError) as error:
        review(world.version, world.people["peer_reviewer"], **{"bestaat-niet": "Hallo"})
    assert "section_feedback" in error.value.message_dict


def test_a_reviewer_of_an_uninvited_organisation_is_refused(world):
    # Vijverhof is in the learning network, but was not invited to review this version.
    reviewer = world.people["uninvited_peer"]
    with pytest.raises(PermissionDenied):
        review(world.version, reviewer)
    with pytest.raises(PermissionDenied):
        services.add_comment(version=world.version, by=reviewer, section_key=SECTION, body="Goed plan.")
    assert not reviewer.has_perm("plans.view_version", world.version)
    assert not PeerReview.objects.exists()


def test_an_invited_peer_sees_only_the_version_it_was_invited_for(world):
    reviewer = world.people["peer_reviewer"]
    assert reviewer.has_perm("plans.view_version", world.version)
    assert not reviewer.has_perm("plans.view_version", world.first_version)
    assert not reviewer.has_perm("plans.view_plan", world.plan)
    with pytest.raises(PermissionDenied):
        review(world.first_version, reviewer)


def test_an_organisation_outside_the_network_cannot_be_invited(world, quality):
    with pytest.raises(ValidationError) as error:
        services.invite_peers(version=world.version, organisations=[world.other_organisation], by=quality)
    assert "Zorgcentrum Elders" in error.value.message_dict["organisations"][0]
    assert not PeerReviewInvitation.objects.filter(organisation=world.other_organisation).exists()


def test_a_reviewer_of_a_non_network_organisation_is_refused(world):
    stranger = peer_reviewer_of(world.other_organisation, "elders_peer")
    with pytest.raises(PermissionDenied):
        review(world.version, stranger)
    with pytest.raises(PermissionDenied):
        services.add_comment(version=world.version, by=stranger, section_key=SECTION, body="Goed plan.")


def test_the_organisation_does_not_invite_itself(world, quality):
    with pytest.raises(ValidationError):
        services.invite_peers(version=world.version, organisations=[world.organisation], by=quality)


def test_inviting_needs_an_organisation(world, quality):
    with pytest.raises(ValidationError):
        services.invite_peers(version=world.version, organisations=[], by=quality)


@pytest.mark.parametrize("persona", ["council_member", "peer_reviewer", "location_manager", "outsider"])
def test_only_the_plans_authors_invite_peers(world, persona):
    with pytest.raises(PermissionDenied):
        services.invite_peers(version=world.version, organisations=[world.second_peer_organisation],
                              by=world.people[persona])


def test_inviting_twice_gives_one_invitation(world, quality):
    again = services.invite_peers(version=world.version, organisations=[world.peer_organisation], by=quality)
    assert again == [world.invitation]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PEER_REVIEW_INVITED).count() == 1


# --- Peer feedback: what counts (R8, R9) ------------------------------------------------------


def test_reviews_from_two_network_organisations_are_enough(world, quality):
    services.invite_peers(version=world.version, organisations=[world.second_peer_organisation], by=quality)
    review(world.version, world.people["peer_reviewer"])
    assert findings_of(world.plan, "R8")
    review(world.version, world.people["uninvited_peer"])
    assert findings_of(world.plan, "R8") == []


def test_two_reviews_from_the_same_organisation_count_as_one(world, quality):
    review(world.version, world.people["peer_reviewer"])
    later = new_version(world, quality)
    services.invite_peers(version=later, organisations=[world.peer_organisation], by=quality)
    review(later, world.people["peer_reviewer"])

    assert PeerReview.objects.filter(organisation=world.peer_organisation, submitted_at__isnull=False).count() == 2
    (finding,) = findings_of(world.plan, "R8")
    assert finding.code == "peer-reviews-missing"
    assert "Er is nu feedback van 1." in finding.message


def test_a_review_from_an_organisation_that_left_the_network_does_not_count(world, quality):
    services.invite_peers(version=world.version, organisations=[world.second_peer_organisation], by=quality)
    review(world.version, world.people["peer_reviewer"])
    review(world.version, world.people["uninvited_peer"])
    world.network.organisations.remove(world.second_peer_organisation)

    (finding,) = findings_of(world.plan, "R8")
    assert "Er is nu feedback van 1." in finding.message


def test_a_review_of_an_earlier_text_is_marked_outdated(world, quality):
    review(world.version, world.people["peer_reviewer"])
    assert findings_of(world.plan, "R9") == []
    new_version(world, quality)
    (finding,) = findings_of(world.plan, "R9")
    assert finding.code == "peer-review-outdated"
    assert "Stichting Het Anker" in finding.message and f"versie {world.version.number}" in finding.message


# --- Comments and answers (R27) ---------------------------------------------------------------


def test_a_comment_says_whom_its_author_speaks_for(world, quality):
    by_council = world.comment
    by_peer = services.add_comment(version=world.version, by=world.people["peer_reviewer"], section_key=SECTION,
                                   body="Hoe meet u dit?", quote="elke dag naar buiten")
    by_staff = services.add_comment(version=world.version, by=quality, section_key=SECTION, body="Klopt dit nog?")
    assert (by_council.council, by_council.peer_organisation) == (world.client_council, None)
    assert (by_peer.council, by_peer.peer_organisation) == (None, world.peer_organisation)
    assert by_peer.quote == "elke dag naar buiten"
    assert (by_staff.council, by_staff.peer_organisation) == (None, None)


@pytest.mark.parametrize(("section_key", "body", "field"), [
    ("bestaat-niet", "Goed.", "section_key"), (SECTION, "   ", "body"), (SECTION, "x" * 5001, "body")])
def test_a_comment_needs_a_known_section_and_a_text(world, section_key, body, field):
    with pytest.raises(ValidationError) as error:
        services.add_comment(version=world.version, by=world.people["council_member"], section_key=section_key,
                             body=body)
    assert field in error.value.message_dict


@pytest.mark.parametrize("persona", ["outsider", "care_office", "uninvited_peer"])
def test_strangers_do_not_comment(world, persona):
    with pytest.raises(PermissionDenied):
        services.add_comment(version=world.version, by=world.people[persona], section_key=SECTION, body="Hallo")


def test_council_members_see_the_comments_of_their_council_together(world):
    secretary_comment = services.add_comment(version=world.version, by=world.people["council_secretary"],
                                             section_key=SECTION, body="Wij sluiten ons aan.")
    by_works_council = services.add_comment(version=world.version, by=world.people["works_council_member"],
                                            section_key=SECTION, body="Wat betekent dit voor de roosters?")
    assert set(comments_for_user(world.people["council_member"], world.plan)) == {world.comment, secretary_comment}
    assert set(comments_for_user(world.people["works_council_member"], world.plan)) == {by_works_council}
    assert set(comments_for_user(world.people["quality"], world.plan)) == {
        world.comment, secretary_comment, by_works_council}


def test_open_comments_warn_per_section_until_answered(world, quality):
    sections = [s["key"] for s in world.version.snapshot["sections"] if s["kind"] in ("theme", "text")]
    other = next(key for key in sections if key != SECTION)
    services.add_comment(version=world.version, by=world.people["council_secretary"], section_key=SECTION,
                         body="Ook op zondag?")
    services.add_comment(version=world.version, by=quality, section_key=other, body="Nog aanvullen.")

    assert [(f.target.key, f.code) for f in findings_of(world.plan, "R27")] == sorted(
        [(SECTION, "comments-open"), (other, "comments-open")],
        key=lambda item: sections.index(item[0]))
    (on_section,) = [f for f in findings_of(world.plan, "R27") if f.target.key == SECTION]
    assert "2 reacties" in on_section.message

    for comment in Comment.objects.filter(section_key=SECTION):
        services.answer_comment(comment=comment, by=quality, outcome=Comment.Outcome.NOT_PROCESSED,
                                answer="Dat past niet in dit jaar.")
    assert [f.target.key for f in findings_of(world.plan, "R27")] == [other]


def test_processed_needs_a_later_version_with_the_change(world, quality):
    with pytest.raises(ValidationError) as error:
        services.answer_comment(comment=world.comment, by=quality, outcome=Comment.Outcome.PROCESSED)
    assert "change_version" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.answer_comment(comment=world.comment, by=quality, outcome=Comment.Outcome.PROCESSED,
                                change_version=world.first_version)

    later = new_version(world, quality, " Wie wil, kookt zelf mee.")
    answered = services.answer_comment(comment=world.comment, by=quality, outcome=Comment.Outcome.PROCESSED,
                                       change_version=later)
    assert (answered.outcome, answered.change_version, answered.answered_by) == ("processed", later, quality)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.kind == AuditEvent.Kind.COMMENT_ANSWERED and event.data["change_version"] == later.number


@pytest.mark.parametrize("outcome", [Comment.Outcome.PARTLY_PROCESSED, Comment.Outcome.NOT_PROCESSED])
def test_not_or_partly_processed_needs_a_reason(world, quality, outcome):
    with pytest.raises(ValidationError) as error:
        services.answer_comment(comment=world.comment, by=quality, outcome=outcome, answer=" ")
    assert "answer" in error.value.message_dict
    assert Comment.objects.get(pk=world.comment.pk).is_open


@pytest.mark.parametrize("persona", ["council_member", "peer_reviewer", "location_manager"])
def test_only_the_plans_authors_answer_comments(world, persona):
    with pytest.raises(PermissionDenied):
        services.answer_comment(comment=world.comment, by=world.people[persona],
                                outcome=Comment.Outcome.NOT_PROCESSED, answer="Nee.")


# --- The client council's top 3 (R21) ---------------------------------------------------------


def test_the_top_3_is_replaced_as_a_whole(world):
    points = services.record_top_points(plan=world.plan, council=world.client_council,
                                        by=world.people["council_secretary"], location=None, points=[
                                            {"title": "Vaste gezichten", "explanation": ""},
                                            {"title": ""},  # an empty row of the form
                                            {"title": "Meer buiten zijn", "explanation": "Elke dag."}])
    assert [(p.rank, p.title) for p in points] == [(1, "Vaste gezichten"), (2, "Meer buiten zijn")]
    assert TopPoint.objects.filter(plan=world.plan).count() == 2


def test_the_top_3_has_at_most_three_points(world):
    with pytest.raises(ValidationError):
        services.record_top_points(plan=world.plan, council=world.client_council, by=world.people["council_member"],
                                   location=None, points=[{"title": f"Punt {n}"} for n in range(4)])


def test_a_top_3_may_be_given_per_location(world):
    (point,) = services.record_top_points(plan=world.plan, council=world.client_council,
                                          by=world.people["council_member"], location=world.location,
                                          points=[{"title": "Een tuin"}])
    assert point.location == world.location
    assert TopPoint.objects.filter(plan=world.plan).count() == 2  # the organisation-wide one stays
    with pytest.raises(ValidationError):
        services.record_top_points(plan=world.plan, council=world.client_council, by=world.people["council_member"],
                                   location=world.other_location, points=[{"title": "Een tuin"}])


@pytest.mark.parametrize("persona", ["works_council_member", "quality", "peer_reviewer", "outsider"])
def test_only_client_council_members_record_the_top_3(world, persona):
    with pytest.raises(PermissionDenied):
        services.record_top_points(plan=world.plan, council=world.client_council, by=world.people[persona],
                                   location=None, points=[{"title": "Iets anders"}])


def test_a_top_3_point_without_action_or_answer_warns(world):
    (finding,) = findings_of(world.plan, "R21")
    assert finding.code == "top-point-not-covered" and "Meer buiten zijn" in finding.message


def test_a_top_3_point_linked_to_an_action_is_covered(world, quality):
    services.answer_top_point(point=world.top_point, by=quality, action_ids=[world.action.pk])
    assert findings_of(world.plan, "R21") == []


def test_a_top_3_point_answered_in_writing_is_covered(world, quality):
    services.answer_top_point(point=world.top_point, by=quality, action_ids=[],
                              answer="Dat doen we al: elke dag een wandeling.")
    assert findings_of(world.plan, "R21") == []


def test_a_top_3_point_is_linked_only_to_actions_of_its_plan(world, quality):
    outsider = world.people["outsider"]
    other_plan = plan_services.create_plan(organisation=world.other_organisation, year=2027,
                                           framework=world.plan.framework, by=outsider)
    foreign = plan_services.save_action(plan=other_plan, location=world.other_location, by=outsider,
                                        title="Samen tuinieren", owner="Teamleider", due_quarter="2027-Q3")
    with pytest.raises(ValidationError):
        services.answer_top_point(point=world.top_point, by=quality, action_ids=[foreign.pk])
    assert not world.top_point.actions.exists()


def test_a_linked_action_that_is_deleted_no_longer_covers_the_point(world, quality):
    services.answer_top_point(point=world.top_point, by=quality, action_ids=[world.action.pk])
    plan_services.delete_action(plan=world.plan, action=world.action, by=quality)
    assert [f.code for f in findings_of(world.plan, "R21")] == ["top-point-not-covered"]
