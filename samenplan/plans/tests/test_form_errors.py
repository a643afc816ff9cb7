"""Errors that say where, and nothing typed lost: the staffing form and the improvement-paragraph page.

The staffing form has the same twenty labels for every location, so each line of its error summary
names the location too. The paragraph page is one form: whichever button is pressed, what was typed
goes along, and deleting an action asks first on a page of its own.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from samenplan.core.tests.world import login
from samenplan.plans import services
from samenplan.plans.models import ImprovementAction

pytestmark = pytest.mark.shared_world

NOT_NEGATIVE = "Zorg ervoor dat deze waarde minstens 0 is."


@pytest.fixture
def quality(world, client):
    login(client, world.people["quality"])
    return world.people["quality"]


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary" role="alert" tabindex="-1" autofocus>(.*?)</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Staffing --------------------------------------------------------------------------------------


def _staffing_url(world):
    return reverse("plans:staffing", args=[world.plan.pk])


def _wilgenhof(world):
    return world.organisation.locations.get(name="Het Wilgenhof")


def test_the_staffing_summary_names_the_location_and_the_field_and_links_to_it(world, client, quality):
    linde, wilgenhof = world.location.pk, _wilgenhof(world).pk
    response = client.post(_staffing_url(world), {
        "reference_date": "2026-10-01", f"loc-{linde}-level3_fte": "-2", f"loc-{wilgenhof}-level1_fte": "3.5",
        f"loc-{wilgenhof}-trainees": "veel", "loc-org-sickness_rate": "120"})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert f'<a href="#id_loc-{linde}-level3_fte">De Linde — Niveau 3 fte: {NOT_NEGATIVE}</a>' in summary
    assert f'<a href="#id_loc-{wilgenhof}-trainees">Het Wilgenhof — Leerlingen en stagiairs: Voer een geheel getal in.' in summary
    assert ('<a href="#id_loc-org-sickness_rate">Niet aan één locatie verbonden (bijvoorbeeld centrale diensten) — '
            "Ziekteverzuim (%): ") in summary
    # In the order of the page: the organisation's row comes first, then the locations by name.
    assert summary.index("Niet aan één locatie") < summary.index("De Linde") < summary.index("Het Wilgenhof")


def test_the_staffing_summary_lists_the_main_form_without_a_location(world, client, quality):
    response = client.post(_staffing_url(world), {"reference_date": "1 oktober", "note": "Uit het systeem."})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert '<a href="#id_reference_date">Peildatum: Voer een geldige datum in.</a>' in summary


def test_each_staffing_field_keeps_what_was_typed_and_its_own_message(world, client, quality):
    linde, wilgenhof = world.location.pk, _wilgenhof(world).pk
    html = client.post(_staffing_url(world), {
        "reference_date": "2026-10-01", "note": "Cijfers van oktober.", f"loc-{linde}-level3_fte": "-2",
        f"loc-{linde}-level3_headcount": "6", f"loc-{wilgenhof}-level1_fte": "3.5"}).content.decode()
    field = re.search(rf'<input[^>]*name="loc-{linde}-level3_fte"[^>]*>', html).group(0)
    assert 'value="-2"' in field and 'aria-invalid="true"' in field
    assert f'aria-describedby="id_loc-{linde}-level3_fte_error"' in field
    assert re.search(rf'<ul class="errorlist" id="id_loc-{linde}-level3_fte_error"><li>{re.escape(NOT_NEGATIVE)}', html)
    assert re.search(rf'name="loc-{linde}-level3_headcount"[^>]*value="6"', html)
    assert re.search(rf'name="loc-{wilgenhof}-level1_fte"[^>]*value="3.5"', html)
    assert "Cijfers van oktober.</textarea>" in html and 'value="2026-10-01"' in html
    assert html.count('class="error-summary"') == 1


def test_the_staffing_page_is_400_only_with_errors(world, client, quality):
    assert client.get(_staffing_url(world)).status_code == 200
    ok = client.post(_staffing_url(world), {"reference_date": "2026-10-01", f"loc-{world.location.pk}-level3_fte": "4.5"})
    assert ok.status_code == 302
    assert world.plan.staffing.rows.get(location=world.location).level3_fte == 4.5
    assert "error-summary" not in client.get(_staffing_url(world)).content.decode()
    assert client.post(_staffing_url(world), {f"loc-{world.location.pk}-level3_fte": "-1"}).status_code == 400


# --- The improvement paragraph ---------------------------------------------------------------------


def _paragraph_url(world):
    return reverse("plans:paragraph", args=[world.plan.pk, world.location.pk])


def _delete_url(world, action):
    return reverse("plans:action_delete", args=[world.plan.pk, action.pk])


def _body(world) -> str:
    return world.plan.improvement_paragraphs.get(location=world.location).body


def _set_body(world, body):
    services.update_paragraph(plan=world.plan, location=world.location, by=world.people["quality"], body=body)


NEW_ACTION = {"title": "Samen wandelen", "goal": "Elke dag naar buiten.", "status": "planned", "source": "own"}


def test_the_paragraph_page_is_one_form_with_the_new_action_and_delete_buttons(world, client, quality):
    html = client.get(_paragraph_url(world)).content.decode()
    # Posted to the page's path, not "its own address": that would keep the #field of a summary link
    # followed before, and a page opened at a #field gets no autofocus on its summary.
    start = html.index(f'<form method="post" action="{_paragraph_url(world)}" novalidate')
    form = html[start:html.index("</form>", start)]
    assert 'name="body"' in form
    assert 'name="initial-body"' in form  # the text as it was, to tell whether this person changed it
    assert f'name="delete_action" value="{world.action.pk}"' in form
    assert f'name="edit_action" value="{world.action.pk}"' in form
    assert 'name="add_action" value="1"' in form and 'name="title"' in form


def test_adding_an_action_also_saves_the_typed_text(world, client, quality):
    _set_body(world, "Oude tekst.")
    response = client.post(_paragraph_url(world), {
        "body": "Nieuwe tekst over buiten zijn.", "initial-body": "Oude tekst.", "add_action": "1", **NEW_ACTION})
    assert response.status_code == 302 and response["Location"] == _paragraph_url(world)
    assert _body(world) == "Nieuwe tekst over buiten zijn."
    assert ImprovementAction.objects.filter(paragraph__location=world.location, title="Samen wandelen").exists()
    assert _messages(response) == ["De actie is toegevoegd.", "De verbeterparagraaf is opgeslagen."]


def test_adding_an_action_leaves_a_colleagues_newer_text_alone(world, client, quality):
    _set_body(world, "Wat een collega net opsloeg.")
    response = client.post(_paragraph_url(world), {
        "body": "Oude tekst.", "initial-body": "Oude tekst.", "add_action": "1", **NEW_ACTION})
    assert response.status_code == 302
    assert _body(world) == "Wat een collega net opsloeg."
    assert _messages(response) == ["De actie is toegevoegd."]


def test_an_invalid_new_action_is_shown_again_with_the_text_and_the_action_as_typed(world, client, quality):
    _set_body(world, "Oude tekst.")
    response = client.post(_paragraph_url(world), {
        "body": "Nieuwe tekst, nog niet opgeslagen.", "initial-body": "Oude tekst.", "add_action": "1",
        "title": "", "goal": "Elke dag naar buiten.", "owner": "Teamleider", "due_quarter": "volgend jaar",
        "status": "in_progress", "source": "client_council"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = _summary(html)
    assert '<a href="#id_title">Nieuwe actie — Actie: Dit veld is verplicht.</a>' in summary
    assert '<a href="#id_due_quarter">Nieuwe actie — Klaar in kwartaal: ' in summary
    assert "Nieuwe tekst, nog niet opgeslagen.</textarea>" in html
    assert "Elke dag naar buiten.</textarea>" in html and 'value="Teamleider"' in html
    assert 'value="volgend jaar"' in html
    assert '<option value="in_progress" selected>' in html and '<option value="client_council" selected>' in html
    # Nothing was saved: the person fixes the action and presses the button again.
    assert _body(world) == "Oude tekst."
    assert not ImprovementAction.objects.filter(goal="Elke dag naar buiten.").exists()
    title = re.search(r'<input[^>]*name="title"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in title and 'aria-describedby="id_title_error"' in title
    assert '<ul class="errorlist" id="id_title_error"><li>Dit veld is verplicht.</li></ul>' in html


def test_an_action_typed_in_is_added_when_tekst_opslaan_is_pressed(world, client, quality):
    """Enter in one of the new action's boxes presses the form's first button, "Tekst opslaan"."""
    response = client.post(_paragraph_url(world), {"body": "Tekst.", "initial-body": "", **NEW_ACTION})
    assert response.status_code == 302
    assert _body(world) == "Tekst."
    assert ImprovementAction.objects.filter(title="Samen wandelen").exists()


def test_saving_the_text_without_a_new_action_adds_nothing(world, client, quality):
    before = ImprovementAction.objects.count()
    response = client.post(_paragraph_url(world), {"body": "Tekst.", "initial-body": "", "status": "done",
                                                   "source": "own", "theme_key": ""})
    assert response.status_code == 302
    assert _messages(response) == ["De verbeterparagraaf is opgeslagen."]
    assert ImprovementAction.objects.count() == before


def test_a_delete_button_saves_the_typed_text_and_asks_first(world, client, quality):
    response = client.post(_paragraph_url(world), {
        "body": "Getypt voor het verwijderen.", "initial-body": "", "delete_action": str(world.action.pk)})
    assert response.status_code == 302 and response["Location"] == _delete_url(world, world.action)
    assert _body(world) == "Getypt voor het verwijderen."
    assert ImprovementAction.objects.filter(pk=world.action.pk).exists()
    assert _messages(response) == ["De verbeterparagraaf is opgeslagen."]


def test_a_delete_button_with_an_invalid_new_action_stays_on_the_page(world, client, quality):
    response = client.post(_paragraph_url(world), {
        "body": "Getypt.", "initial-body": "", "goal": "Zonder titel.", "status": "planned", "source": "own",
        "delete_action": str(world.action.pk)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nieuwe actie — Actie: Dit veld is verplicht." in _summary(html)
    assert "Getypt.</textarea>" in html and "Zonder titel.</textarea>" in html


def test_a_delete_button_for_an_action_elsewhere_is_not_found(world, client, quality):
    other = services.save_action(plan=world.plan, location=_wilgenhof(world), by=quality, title="Elders")
    response = client.post(_paragraph_url(world), {"body": "Getypt.", "initial-body": "", "delete_action": str(other.pk)})
    assert response.status_code == 404
    assert _body(world) == ""
    response = client.post(_paragraph_url(world), {"body": "Getypt.", "delete_action": "niets"})
    assert response.status_code == 404


def test_the_edit_button_saves_the_typed_text_and_opens_the_action(world, client, quality):
    response = client.post(_paragraph_url(world), {"body": "Getypt.", "initial-body": "",
                                                   "edit_action": str(world.action.pk)})
    assert response["Location"] == reverse("plans:action", args=[world.plan.pk, world.action.pk])
    assert _body(world) == "Getypt."


def test_the_confirmation_page_names_the_action_and_offers_yes_and_no(world, client, quality):
    response = client.get(_delete_url(world, world.action))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Actie „Samen koken op de afdeling” verwijderen?</h1>" in html
    assert "Dit kan niet ongedaan worden gemaakt." in html and "De Linde" in html
    assert re.search(r'<button type="submit" name="confirm" value="1" class="button">Ja, verwijderen</button>', html)
    assert f'<a href="{_paragraph_url(world)}#actie-{world.action.pk}">Nee, terug</a>' in html
    assert ImprovementAction.objects.filter(pk=world.action.pk).exists()


def test_yes_deletes_the_action(world, client, quality):
    response = client.post(_delete_url(world, world.action), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == _paragraph_url(world)
    assert not ImprovementAction.objects.filter(pk=world.action.pk).exists()
    assert _messages(response) == ["De actie „Samen koken op de afdeling” is verwijderd."]


def test_a_post_without_the_confirmation_does_not_delete(world, client, quality):
    response = client.post(_delete_url(world, world.action))
    assert response.status_code == 200
    assert "Ja, verwijderen" in response.content.decode()
    assert ImprovementAction.objects.filter(pk=world.action.pk).exists()


def test_readers_see_the_actions_without_buttons(world, client):
    login(client, world.people["location_manager"])
    html = client.get(_paragraph_url(world)).content.decode()
    assert "Samen koken op de afdeling" in html
    assert 'name="delete_action"' not in html and 'name="add_action"' not in html
    assert client.get(_delete_url(world, world.action)).status_code == 403
