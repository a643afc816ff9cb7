import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from samenplan.consent.tests.helpers import reviewed_by_two_peers
from samenplan.participation import services
from samenplan.participation.models import PeerReview, PeerReviewInvitation

pytestmark = [pytest.mark.django_db, pytest.mark.shared_world]


def _reviews_url(world):
    return reverse("participation:plan_peer_reviews", args=[world.plan.pk])


def _review_url(version):
    return reverse("participation:peer_review", args=[version.pk])


def _submit(world, user=None, version=None, **feedback):
    return services.save_peer_review(version=version or world.version, by=user or world.people["peer_reviewer"],
                                     section_feedback=feedback, summary="Een helder plan.", submit=True)


# --- The plan's peer feedback ------------------------------------------------------------------


def test_authors_see_the_invitations_and_the_invite_form(world, login_as):
    response = login_as(world.people["quality"]).get(_reviews_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stichting Het Anker" in html and "Nog niet begonnen" in html
    assert "minstens 2 verschillende collega-organisaties" in html and "telt de feedback van 0 organisaties" in html
    # The candidates are the learning network, without the organisation itself or outsiders.
    assert f'name="organisations" value="{world.second_peer_organisation.pk}"' in html
    assert f'name="organisations" value="{world.other_organisation.pk}"' not in html
    assert f'name="organisations" value="{world.organisation.pk}"' not in html
    assert f'<option value="{world.version.pk}" selected>' in html


def test_submitted_feedback_is_shown_in_full(world, login_as):
    review = _submit(world, **{"wonen-en-welzijn": "Mooi dat bewoners samen eten."})
    html = login_as(world.people["board"]).get(_reviews_url(world)).content.decode()
    assert f'id="feedback-{review.pk}"' in html and f'href="#feedback-{review.pk}"' in html
    assert "Een helder plan." in html
    assert "<dt><strong>Wonen en welzijn</strong></dt><dd>Mooi dat bewoners samen eten.</dd>" in html
    assert "telt de feedback van 1 organisatie mee" in html


def test_two_peers_are_enough(world, login_as):
    reviewed_by_two_peers(world, world.version)
    html = login_as(world.people["quality"]).get(_reviews_url(world)).content.decode()
    assert "telt de feedback van 2 organisaties mee" in html and "Dat is genoeg." in html


def test_two_reviews_from_one_organisation_count_once(world, login_as):
    services.invite_peers(version=world.first_version, organisations=[world.peer_organisation],
                          by=world.people["quality"])
    _submit(world)
    _submit(world, version=world.first_version)
    html = login_as(world.people["quality"]).get(_reviews_url(world)).content.decode()
    assert "telt de feedback van 1 organisatie mee" in html


def test_an_author_invites_peers(world, login_as):
    response = login_as(world.people["quality"]).post(_reviews_url(world), {
        "version": world.version.pk, "organisations": [world.second_peer_organisation.pk]})
    assert response.status_code == 302
    assert PeerReviewInvitation.objects.filter(version=world.version,
                                               organisation=world.second_peer_organisation).exists()


def test_the_invite_form_asks_for_feedback_within_four_weeks(world, login_as):
    html = login_as(world.people["quality"]).get(_reviews_url(world)).content.decode()
    default = (timezone.localdate() + timedelta(weeks=4)).isoformat()
    assert f'type="date" name="respond_by" value="{default}"' in html
    assert "krijgen 7 dagen en 1 dag van tevoren een herinnering." in html


def test_an_author_chooses_the_response_date_and_sees_it_in_the_list(world, login_as):
    client = login_as(world.people["quality"])
    chosen = timezone.localdate() + timedelta(days=20)
    response = client.post(_reviews_url(world), {"version": world.version.pk, "respond_by": chosen.isoformat(),
                                                 "organisations": [world.second_peer_organisation.pk]})
    assert response.status_code == 302
    invitation = PeerReviewInvitation.objects.get(organisation=world.second_peer_organisation)
    assert invitation.respond_by == chosen
    html = client.get(_reviews_url(world)).content.decode()
    assert '<th scope="col">Feedback graag vóór</th>' in html
    assert f"<td>{date_format(chosen, 'j F Y')}</td>" in html
    assert f"<td>{date_format(world.invitation.respond_by, 'j F Y')}</td>" in html


def test_a_response_date_in_the_past_is_refused_and_the_choice_kept(world, login_as):
    past = timezone.localdate() - timedelta(days=1)
    response = login_as(world.people["quality"]).post(_reviews_url(world), {
        "version": world.version.pk, "respond_by": past.isoformat(),
        "organisations": [world.second_peer_organisation.pk]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze datum is al voorbij. Kies vandaag of een latere datum." in html
    assert f'value="{past.isoformat()}"' in html
    assert re.search(rf'name="organisations" value="{world.second_peer_organisation.pk}"[^>]* checked', html)
    assert not PeerReviewInvitation.objects.filter(organisation=world.second_peer_organisation).exists()


def test_a_date_that_is_no_date_gets_a_dutch_message(world, login_as):
    response = login_as(world.people["quality"]).post(_reviews_url(world), {
        "version": world.version.pk, "respond_by": "volgende week",
        "organisations": [world.second_peer_organisation.pk]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vul een datum in, bijvoorbeeld 31-01-2027." in html and 'value="volgende week"' in html


def test_the_peer_reviewer_sees_the_response_date(world, login_as):
    html = login_as(world.people["peer_reviewer"]).get(_review_url(world.version)).content.decode()
    date = date_format(world.invitation.respond_by, "j F Y")
    assert f"Zorggroep De Linde vraagt uw feedback vóór {date}." in html


def test_inviting_nobody_is_refused(world, login_as):
    response = login_as(world.people["quality"]).post(_reviews_url(world), {"version": world.version.pk})
    assert response.status_code == 400
    assert "Kies minstens één collega-organisatie." in response.content.decode()


def test_an_organisation_outside_the_network_cannot_be_invited(world, login_as):
    response = login_as(world.people["quality"]).post(_reviews_url(world), {
        "version": world.version.pk, "organisations": [world.other_organisation.pk]})
    assert response.status_code == 400
    assert "Kies organisaties uit uw lerend netwerk." in response.content.decode()
    assert not PeerReviewInvitation.objects.filter(organisation=world.other_organisation).exists()


def test_location_managers_read_but_do_not_invite(world, login_as):
    client = login_as(world.people["location_manager"])
    assert 'name="organisations"' not in client.get(_reviews_url(world)).content.decode()
    response = client.post(_reviews_url(world), {"version": world.version.pk,
                                                 "organisations": [world.second_peer_organisation.pk]})
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["council_member", "peer_reviewer", "outsider"])
def test_the_peer_feedback_is_not_found_for_others(world, login_as, persona):
    assert login_as(world.people[persona]).get(_reviews_url(world)).status_code == 404


# --- Reviewing a version -----------------------------------------------------------------------


def test_the_peer_reviewer_sees_the_version_and_nothing_else(world, login_as):
    response = login_as(world.people["peer_reviewer"]).get(_review_url(world.version))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Bewoners eten samen. Wie wil, gaat elke dag naar buiten.</p>" in html  # Markdown, rendered
    assert 'name="feedback_wonen-en-welzijn"' in html and 'name="summary"' in html
    assert 'value="save"' in html and 'value="submit"' in html
    assert f"/plannen/{world.plan.pk}/" not in html
    assert f"/versies/{world.first_version.pk}/" not in html
    assert f'href="/versies/{world.version.pk}/"' not in html


def test_the_peer_reviewer_sees_only_the_invited_version(world, login_as):
    client = login_as(world.people["peer_reviewer"])
    assert client.get(_review_url(world.version)).status_code == 200
    assert client.get(_review_url(world.first_version)).status_code == 404
    assert client.get(reverse("plans:version", args=[world.first_version.pk])).status_code == 404
    assert client.get(reverse("participation:version_comments", args=[world.first_version.pk])).status_code == 404
    assert client.get(reverse("plans:detail", args=[world.plan.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["uninvited_peer", "quality", "council_member", "platform_admin", "outsider"])
def test_only_an_invited_peer_reviews(world, login_as, persona):
    client = login_as(world.people[persona])
    assert client.get(_review_url(world.version)).status_code == 404
    assert client.post(_review_url(world.version), {"summary": "x", "action": "submit"}).status_code == 404
    assert not PeerReview.objects.exists()


def test_a_draft_is_saved_and_shown_again(world, login_as):
    client = login_as(world.people["peer_reviewer"])
    response = client.post(_review_url(world.version), {"feedback_veiligheid": "Noem de brandoefeningen.",
                                                        "summary": "", "action": "save"})
    assert response.status_code == 302
    review = PeerReview.objects.get()
    assert review.section_feedback == {"veiligheid": "Noem de brandoefeningen."} and not review.is_submitted
    html = client.get(_review_url(world.version)).content.decode()
    assert "Noem de brandoefeningen.</textarea>" in html and "Laatst opgeslagen" in html


def test_submitting_without_a_summary_is_refused_and_the_feedback_kept(world, login_as):
    response = login_as(world.people["peer_reviewer"]).post(_review_url(world.version), {
        "feedback_veiligheid": "Noem de brandoefeningen.", "summary": " ", "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Schrijf een korte samenvatting voordat u de feedback indient." in html
    assert "Noem de brandoefeningen.</textarea>" in html
    assert not PeerReview.objects.filter(submitted_at__isnull=False).exists()


def test_submitted_feedback_is_read_only(world, login_as):
    client = login_as(world.people["peer_reviewer"])
    response = client.post(_review_url(world.version), {"feedback_veiligheid": "Noem de brandoefeningen.",
                                                        "summary": "Een helder plan.", "action": "submit"})
    assert response.status_code == 302
    assert PeerReview.objects.get().is_submitted
    html = client.get(_review_url(world.version)).content.decode()
    assert "U hebt uw feedback ingediend" in html
    assert "<textarea" not in html and "Noem de brandoefeningen." in html and "Een helder plan." in html
    again = client.post(_review_url(world.version), {"summary": "Toch anders.", "action": "submit"})
    assert again.status_code == 400
    html = again.content.decode()
    assert "Deze feedback is al ingediend en kan niet meer veranderen." in html
    assert "Noem de brandoefeningen." in html and "Toch anders." not in html
    assert PeerReview.objects.get().summary == "Een helder plan."


# --- Errors that say which section ---------------------------------------------------------------


def test_feedback_too_long_is_shown_at_its_section(world, login_as):
    response = login_as(world.people["peer_reviewer"]).post(_review_url(world.version), {
        "feedback_veiligheid": "x" * 5001, "feedback_wonen-en-welzijn": "Mooi dat bewoners samen eten.",
        "summary": "", "action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('<div class="error-summary"'):html.index("</div>", html.index('<div class="error-summary"'))]
    assert ('<a href="#id_feedback_veiligheid">Uw feedback op „Veiligheid”: '
            "Houd de feedback per onderdeel onder de 5000 tekens.</a>") in summary
    assert "Wonen en welzijn" not in summary
    assert 'aria-describedby="id_feedback_veiligheid_error"' in html
    assert '<ul class="errorlist" id="id_feedback_veiligheid_error">' in html
    assert "Mooi dat bewoners samen eten.</textarea>" in html and "x" * 5001 + "</textarea>" in html
    assert html.index("error-summary") < html.index('name="feedback_veiligheid"')
    assert not PeerReview.objects.exists()


def test_a_missing_summary_links_to_the_summary_box(world, login_as):
    html = login_as(world.people["peer_reviewer"]).post(_review_url(world.version), {
        "summary": "", "action": "submit"}).content.decode()
    assert ('<a href="#id_summary">Samenvatting van uw feedback: '
            "Schrijf een korte samenvatting voordat u de feedback indient.</a>") in html
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html


def test_the_refusal_on_submitted_feedback_links_nowhere(world, login_as):
    _submit(world)
    html = login_as(world.people["peer_reviewer"]).post(_review_url(world.version), {
        "summary": "Toch anders.", "action": "submit"}).content.decode()
    assert "<li>Samenvatting van uw feedback: Deze feedback is al ingediend en kan niet meer veranderen.</li>" in html
    assert 'href="#id_summary"' not in html  # the submitted page shows no boxes


def test_the_service_names_the_section_whose_feedback_is_too_long(world):
    with pytest.raises(ValidationError) as refused:
        services.save_peer_review(version=world.version, by=world.people["peer_reviewer"], summary="",
                                  section_feedback={"veiligheid": "x" * 5001, "wonen-en-welzijn": "Goed."})
    assert list(refused.value.message_dict) == ["section_feedback.veiligheid"]


def test_the_invitation_page_marks_the_adopted_version(world, login_as):
    from samenplan.consent.models import Adoption

    Adoption.objects.create(plan=world.plan, version=world.version, adopted_by=world.people["board"])
    page = login_as(world.people["quality"]).get(_reviews_url(world)).content.decode()
    assert f"Versie {world.version.number} van" in page
    assert "(vastgestelde versie)</option>" in page
    assert page.count("Vastgestelde versie") == 1  # the heading of its invitations
