"""Service rules the pages lean on that test_services_rules.py does not already cover."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samenplan.audit.models import AuditEvent
from samenplan.participation import services
from samenplan.participation.models import Comment, PeerReview
from samenplan.plans import services as plan_services

pytestmark = [pytest.mark.django_db, pytest.mark.shared_world]


def test_a_works_council_member_speaks_for_the_works_council(world):
    comment = services.add_comment(version=world.version, by=world.people["works_council_member"],
                                   section_key="veiligheid", body="Denk aan de nachtdienst.")
    assert (comment.council, comment.peer_organisation) == (world.works_council, None)


@pytest.mark.parametrize(("persona", "version"), [("peer_reviewer", "first_version"), ("platform_admin", "version")])
def test_only_those_the_version_was_put_before_comment(world, persona, version):
    with pytest.raises(PermissionDenied):
        services.add_comment(version=getattr(world, version), by=world.people[persona], section_key="veiligheid",
                             body="Hallo.")


def test_an_answer_can_be_corrected(world):
    quality = world.people["quality"]
    services.answer_comment(comment=world.comment, by=quality, outcome="not_processed", answer="Te duur.")
    plan_services.update_section(plan=world.plan, key="wonen-en-welzijn", base_revision=1, by=quality,
                                 body="Bewoners koken één keer per week zelf.")
    third = plan_services.freeze_version(plan=world.plan, by=quality)
    comment = services.answer_comment(comment=world.comment, by=quality, outcome="processed", change_version=third)
    assert (comment.outcome, comment.answer, comment.change_version) == (Comment.Outcome.PROCESSED, "", third)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.COMMENT_ANSWERED).count() == 2


def test_the_platform_admin_does_not_answer(world):
    with pytest.raises(PermissionDenied):
        services.answer_comment(comment=world.comment, by=world.people["platform_admin"], outcome="not_processed",
                                answer="Nee.")


def test_a_member_records_only_for_a_client_council_of_their_own(world):
    for council in (world.nursing_council, world.works_council, world.other_council):
        with pytest.raises(PermissionDenied):
            services.record_top_points(plan=world.plan, council=council, by=world.people["council_member"],
                                       location=None, points=[{"title": "Tuin"}])


def test_empty_feedback_on_a_section_is_left_out(world):
    review = services.save_peer_review(version=world.version, by=world.people["peer_reviewer"],
                                       section_feedback={"veiligheid": " Goed. ", "wonen-en-welzijn": "  "},
                                       summary="")
    assert review.section_feedback == {"veiligheid": "Goed."} and not review.is_submitted


def test_a_submitted_review_is_not_saved_as_a_draft_either(world):
    peer = world.people["peer_reviewer"]
    services.save_peer_review(version=world.version, by=peer, section_feedback={}, summary="Helder.", submit=True)
    with pytest.raises(ValidationError):
        services.save_peer_review(version=world.version, by=peer, section_feedback={"veiligheid": "Toch."},
                                  summary="Anders.", submit=False)
    review = PeerReview.objects.get()
    assert (review.summary, review.section_feedback, review.is_submitted) == ("Helder.", {}, True)
