"""Service rules the pages lean on that test_services_rules.py does not already cover."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samenplan.audit.models import AuditEvent
from samenplan.core.formats import long_date
from samenplan.participation import services
from samenplan.notifications.models import Notification
from samenplan.participation.models import Comment, PeerReview, PeerReviewInvitation
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


# --- The date peers are asked to respond by -----------------------------------------------------


def _invite_second_peer(world, **kwargs):
    return services.invite_peers(version=world.version, organisations=[world.second_peer_organisation],
                                 by=world.people["quality"], **kwargs)


def test_peers_get_four_weeks_unless_the_author_chooses_a_date(world):
    (invitation,) = _invite_second_peer(world)
    assert invitation.respond_by == timezone.localdate() + timedelta(weeks=4)
    message = Notification.objects.get(recipient=world.people["uninvited_peer"], kind="review_requested")
    assert message.body.endswith(f"graag vóór {long_date(invitation.respond_by)}.")


def test_a_chosen_date_is_kept_and_today_is_allowed(world):
    (invitation,) = _invite_second_peer(world, respond_by=timezone.localdate())
    invitation.refresh_from_db()
    assert invitation.respond_by == timezone.localdate()


@pytest.mark.parametrize(("days", "message"), [
    (-1, "Deze datum is al voorbij. Kies vandaag of een latere datum."),
    (367, "Kies een datum binnen een jaar vanaf vandaag."),
])
def test_a_date_in_the_past_or_far_ahead_is_refused(world, days, message):
    with pytest.raises(ValidationError) as refused:
        _invite_second_peer(world, respond_by=timezone.localdate() + timedelta(days=days))
    assert refused.value.message_dict == {"respond_by": [message]}
    assert not PeerReviewInvitation.objects.filter(organisation=world.second_peer_organisation).exists()


def test_a_bad_date_and_no_organisation_are_both_named(world):
    with pytest.raises(ValidationError) as refused:
        services.invite_peers(version=world.version, organisations=[], by=world.people["quality"],
                              respond_by=timezone.localdate() - timedelta(days=3))
    assert set(refused.value.message_dict) == {"respond_by", "organisations"}


def test_inviting_again_keeps_the_first_date(world):
    first = world.invitation.respond_by
    (again,) = services.invite_peers(version=world.version, organisations=[world.peer_organisation],
                                     by=world.people["quality"], respond_by=timezone.localdate() + timedelta(days=3))
    assert again.pk == world.invitation.pk and again.respond_by == first


def test_a_comment_on_the_whole_plan(world):
    comment = services.add_comment(version=world.version, by=world.people["council_member"],
                                   section_key=Comment.WHOLE_PLAN, body="Een leesbaar plan.")
    assert comment.section_key == "hele-plan"
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.COMMENT_ADDED).latest("pk")
    assert event.data["section"] == "Het hele plan"
