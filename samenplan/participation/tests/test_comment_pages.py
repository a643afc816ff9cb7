import pytest
from django.urls import reverse

from samenplan.participation import services
from samenplan.participation.models import Comment
from samenplan.plans import services as plan_services

pytestmark = [pytest.mark.django_db, pytest.mark.shared_world]


def _plan_comments(world):
    return reverse("participation:plan_comments", args=[world.plan.pk])


def _version_comments(version):
    return reverse("participation:version_comments", args=[version.pk])


def _answer_url(comment):
    return reverse("participation:comment_answer", args=[comment.pk])


def _answer(comment, **data):
    return {f"reactie-{comment.pk}-{name}": value for name, value in data.items()}


def _later_version(world):
    quality = world.people["quality"]
    plan_services.update_section(plan=world.plan, key="wonen-en-welzijn", base_revision=1, by=quality,
                                 body="Bewoners eten samen en koken één keer per week zelf.")
    return plan_services.freeze_version(plan=world.plan, by=quality, note="Na de reacties")


# --- The plan's comments -----------------------------------------------------------------------


def test_authors_see_every_comment_per_section_with_an_answer_form(world, login_as):
    services.add_comment(version=world.version, by=world.people["works_council_member"], section_key="veiligheid",
                         body="Wie let op de trap?", quote="Veilig wonen")
    response = login_as(world.people["quality"]).get(_plan_comments(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="onderdeel-wonen-en-welzijn"' in html and 'id="onderdeel-veiligheid"' in html
    assert f'id="reactie-{world.comment.pk}"' in html
    assert "Kunnen bewoners ook zelf koken?" in html and "namens Centrale cliëntenraad" in html
    assert "namens OR" in html and '<blockquote class="guidance">Veilig wonen</blockquote>' in html
    assert "Over versie 2" in html
    assert f'action="{_answer_url(world.comment)}"' in html
    assert f'name="reactie-{world.comment.pk}-outcome" value="processed"' in html


def test_open_comments_come_first_with_a_count_per_section(world, login_as):
    later = services.add_comment(version=world.version, by=world.people["council_secretary"],
                                 section_key="wonen-en-welzijn", body="Graag ook een moestuin.")
    services.answer_comment(comment=world.comment, by=world.people["quality"], outcome="not_processed",
                            answer="Dat past dit jaar niet in het budget.")
    html = login_as(world.people["quality"]).get(_plan_comments(world)).content.decode()
    assert html.index(f'id="reactie-{later.pk}"') < html.index(f'id="reactie-{world.comment.pk}"')
    assert "1 reactie zonder antwoord" in html
    assert "Niet verwerkt" in html and "Dat past dit jaar niet in het budget." in html
    assert f"{_answer_url(world.comment)}\">" in html  # answered: a link to change the answer, no inline form
    assert f'name="reactie-{world.comment.pk}-outcome"' not in html


def test_a_processed_answer_links_to_the_changes(world, login_as):
    third = _later_version(world)
    services.answer_comment(comment=world.comment, by=world.people["quality"], outcome="processed",
                            change_version=third)
    html = login_as(world.people["board"]).get(_plan_comments(world)).content.decode()
    assert f'href="/versies/{world.version.pk}/vergelijken/?met={third.pk}"' in html


def test_location_managers_read_the_comments_but_do_not_answer(world, login_as):
    html = login_as(world.people["location_manager"]).get(_plan_comments(world)).content.decode()
    assert "Kunnen bewoners ook zelf koken?" in html
    assert "-outcome" not in html


@pytest.mark.parametrize("persona", ["council_member", "peer_reviewer", "outsider"])
def test_the_plan_comments_are_not_found_for_others(world, login_as, persona):
    assert login_as(world.people[persona]).get(_plan_comments(world)).status_code == 404


# --- Comments on one version -------------------------------------------------------------------


def test_client_council_members_see_each_others_comments(world, login_as):
    html = login_as(world.people["council_secretary"]).get(_version_comments(world.version)).content.decode()
    assert "Kunnen bewoners ook zelf koken?" in html
    assert 'name="body"' in html


def test_the_works_council_does_not_see_the_client_councils_comments(world, login_as):
    response = login_as(world.people["works_council_member"]).get(_version_comments(world.version))
    assert response.status_code == 200
    assert "Kunnen bewoners ook zelf koken?" not in response.content.decode()


def test_a_council_member_adds_a_comment_for_the_council(world, login_as):
    response = login_as(world.people["council_secretary"]).post(_version_comments(world.version), {
        "section_key": "veiligheid", "quote": "Veilig wonen", "body": "Wat doet u bij brand?"})
    comment = Comment.objects.get(body="Wat doet u bij brand?")
    assert response.status_code == 302
    assert response["Location"] == f"{_version_comments(world.version)}#reactie-{comment.pk}"
    assert (comment.council, comment.version, comment.quote) == (world.client_council, world.version, "Veilig wonen")
    assert "Uw reactie is geplaatst" in login_as(world.people["council_secretary"]).get(
        response["Location"]).content.decode()


def test_an_empty_comment_is_refused_and_the_quote_kept(world, login_as):
    response = login_as(world.people["council_member"]).post(_version_comments(world.version), {
        "section_key": "wonen-en-welzijn", "quote": "Wie wil, gaat elke dag naar buiten.", "body": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Schrijf uw reactie." in html
    assert "Wie wil, gaat elke dag naar buiten.</textarea>" in html
    assert Comment.objects.count() == 1


def test_a_comment_on_an_unknown_section_is_refused(world, login_as):
    response = login_as(world.people["council_member"]).post(_version_comments(world.version), {
        "section_key": "bestaat-niet", "body": "Hierover wil ik iets zeggen."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies het onderdeel van het plan waar uw reactie over gaat." in html
    assert "Hierover wil ik iets zeggen.</textarea>" in html


def test_the_section_can_be_chosen_from_a_link(world, login_as):
    url = _version_comments(world.version) + "?onderdeel=veiligheid"
    html = login_as(world.people["council_member"]).get(url).content.decode()
    assert '<option value="veiligheid" selected>' in html


def test_one_dropdown_offers_the_whole_plan_and_each_section(world, login_as):
    html = login_as(world.people["council_member"]).get(_version_comments(world.version)).content.decode()
    assert html.count('name="section_key"') == 1
    assert '<option value="hele-plan" selected>Het hele plan</option>' in html
    titles = [s["title"] for s in world.version.snapshot["sections"]]
    assert all(f">{title}</option>" in html for title in titles)
    assert "Reageer op dit onderdeel" not in html


def test_an_unknown_section_in_the_link_leaves_the_whole_plan_chosen(world, login_as):
    url = _version_comments(world.version) + "?onderdeel=bestaat-niet"
    html = login_as(world.people["council_member"]).get(url).content.decode()
    assert '<option value="hele-plan" selected>' in html


def test_a_comment_on_the_whole_plan_is_shown_under_its_own_heading(world, login_as):
    client = login_as(world.people["council_member"])
    response = client.post(_version_comments(world.version), {"section_key": "hele-plan", "body": "Helder plan."})
    assert response.status_code == 302
    comment = Comment.objects.get(body="Helder plan.")
    assert comment.section_key == Comment.WHOLE_PLAN
    html = client.get(_version_comments(world.version)).content.decode()
    assert '<h2 id="onderdeel-hele-plan-kop">Het hele plan</h2>' in html
    html = login_as(world.people["quality"]).get(_plan_comments(world)).content.decode()
    assert '<a href="#onderdeel-hele-plan">Het hele plan</a>' in html


def test_the_comment_forms_post_to_the_page_without_an_anchor(world, login_as):
    """After a redirect to #reactie-N, a form that posted to "its own address" would keep the anchor,
    and a mistake would open scrolled down to the old comment, away from the error summary."""
    html = login_as(world.people["council_member"]).get(_version_comments(world.version)).content.decode()
    assert f'<form method="post" action="{_version_comments(world.version)}" novalidate' in html
    html = login_as(world.people["quality"]).get(_answer_url(world.comment)).content.decode()
    assert f'<form method="post" action="{_answer_url(world.comment)}" novalidate' in html


def test_a_mistake_after_a_comment_opens_at_the_error_summary(world, login_as):
    client = login_as(world.people["council_member"])
    first = client.post(_version_comments(world.version), {"section_key": "veiligheid", "body": "Goed zo."})
    assert "#reactie-" in first["Location"]
    response = client.post(_version_comments(world.version), {"section_key": "veiligheid", "body": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html
    assert html.index("error-summary") < html.index('name="body"')


def test_an_invited_peer_comments_for_its_organisation(world, login_as):
    client = login_as(world.people["peer_reviewer"])
    response = client.post(_version_comments(world.version), {"section_key": "veiligheid", "body": "Helder."})
    assert response.status_code == 302
    comment = Comment.objects.get(body="Helder.")
    assert comment.peer_organisation == world.peer_organisation and comment.council is None
    html = client.get(_version_comments(world.version)).content.decode()
    assert "Helder." in html and "Kunnen bewoners ook zelf koken?" not in html
    assert f"/plannen/{world.plan.pk}/" not in html


@pytest.mark.parametrize(("persona", "version"), [
    ("uninvited_peer", "version"), ("peer_reviewer", "first_version"), ("outsider", "version"),
    ("care_office", "version"),
])
def test_the_version_comments_are_not_found_for_others(world, login_as, persona, version):
    client = login_as(world.people[persona])
    assert client.get(_version_comments(getattr(world, version))).status_code == 404
    response = client.post(_version_comments(getattr(world, version)), {"section_key": "veiligheid", "body": "x"})
    assert response.status_code == 404


def test_the_platform_admin_reads_but_does_not_comment(world, login_as):
    client = login_as(world.people["platform_admin"])
    assert 'name="body"' not in client.get(_version_comments(world.version)).content.decode()
    response = client.post(_version_comments(world.version), {"section_key": "veiligheid", "body": "x"})
    assert response.status_code == 403


def test_a_council_member_sees_the_answer_and_the_link_to_the_changes(world, login_as):
    third = _later_version(world)
    plan_services.share_version_with_councils(version=third, by=world.people["quality"])
    services.answer_comment(comment=world.comment, by=world.people["quality"], outcome="processed",
                            answer="Eén keer per week koken bewoners zelf.", change_version=third)
    html = login_as(world.people["council_member"]).get(_version_comments(world.version)).content.decode()
    assert "Verwerkt" in html and "Eén keer per week koken bewoners zelf." in html
    assert f"/versies/{world.version.pk}/vergelijken/?met={third.pk}" in html


def test_no_link_to_changes_the_reader_may_not_see(world, login_as):
    third = _later_version(world)  # not shared with the councils
    services.answer_comment(comment=world.comment, by=world.people["quality"], outcome="processed",
                            change_version=third)
    html = login_as(world.people["council_member"]).get(_version_comments(world.version)).content.decode()
    assert "vergelijken" not in html
    assert "Verwerkt in versie 3." in html


# --- Answering a comment -----------------------------------------------------------------------


def test_an_author_opens_the_answer_form(world, login_as):
    response = login_as(world.people["quality"]).get(_answer_url(world.comment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kunnen bewoners ook zelf koken?" in html
    assert "Leg dan eerst een nieuwe versie van het plan vast" in html


def test_an_author_answers_not_processed_with_a_reason(world, login_as):
    response = login_as(world.people["quality"]).post(_answer_url(world.comment), _answer(
        world.comment, outcome="not_processed", answer="De keuken is te klein."))
    assert response.status_code == 302
    assert response["Location"] == f"{_plan_comments(world)}#reactie-{world.comment.pk}"
    world.comment.refresh_from_db()
    assert (world.comment.outcome, world.comment.answer) == ("not_processed", "De keuken is te klein.")
    assert world.comment.answered_by == world.people["quality"]


def test_an_author_answers_processed_with_the_later_version(world, login_as):
    third = _later_version(world)
    response = login_as(world.people["board"]).post(_answer_url(world.comment), _answer(
        world.comment, outcome="processed", change_version=third.pk, answer=""))
    assert response.status_code == 302
    world.comment.refresh_from_db()
    assert (world.comment.outcome, world.comment.change_version) == ("processed", third)


def test_not_processed_without_a_reason_is_refused(world, login_as):
    response = login_as(world.people["quality"]).post(_answer_url(world.comment), _answer(
        world.comment, outcome="not_processed", answer=""))
    assert response.status_code == 400
    assert "Schrijf waarom de reactie niet of maar voor een deel is verwerkt." in response.content.decode()
    world.comment.refresh_from_db()
    assert world.comment.is_open


def test_processed_without_a_later_version_is_refused(world, login_as):
    response = login_as(world.people["quality"]).post(_answer_url(world.comment), _answer(
        world.comment, outcome="processed", answer="Aangepast."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies de versie waarin de wijziging staat." in html
    assert "Aangepast.</textarea>" in html
    world.comment.refresh_from_db()
    assert world.comment.is_open


def test_an_earlier_version_is_no_answer(world, login_as):
    response = login_as(world.people["quality"]).post(_answer_url(world.comment), _answer(
        world.comment, outcome="processed", change_version=world.first_version.pk))
    assert response.status_code == 400
    assert "Kies een latere versie van dit plan" in response.content.decode()


def test_no_outcome_is_refused(world, login_as):
    response = login_as(world.people["quality"]).post(_answer_url(world.comment), _answer(
        world.comment, answer="Goed idee."))
    assert response.status_code == 400
    assert "Kies wat u met de reactie hebt gedaan." in response.content.decode()


@pytest.mark.parametrize("persona", ["council_member", "location_manager", "platform_admin"])
def test_readers_who_are_no_author_may_not_answer(world, login_as, persona):
    client = login_as(world.people[persona])
    assert client.get(_answer_url(world.comment)).status_code == 403
    data = _answer(world.comment, outcome="not_processed", answer="Nee.")
    assert client.post(_answer_url(world.comment), data).status_code == 403
    world.comment.refresh_from_db()
    assert world.comment.is_open


@pytest.mark.parametrize("persona", ["works_council_member", "peer_reviewer", "outsider"])
def test_those_who_cannot_see_the_comment_get_not_found(world, login_as, persona):
    assert login_as(world.people[persona]).get(_answer_url(world.comment)).status_code == 404
