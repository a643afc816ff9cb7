"""Signals without an account: the public page of a location and the public API route."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samenplan.core.tests.world import login
from samenplan.signals.models import Signal
from samenplan.signals.selectors import signal_page_of

pytestmark = pytest.mark.shared_world

TEXT = "Het eten komt lauw op de kamer. Samen aan tafel zou fijner zijn."


def _page(world, location=None):
    return reverse("signals:public_form", args=[signal_page_of(location or world.location).code])


def _api(location_id):
    return f"/api/v1/public/locations/{location_id}/signals"


def _post_api(client, location_id, **body):
    return client.post(_api(location_id), json.dumps(body), content_type="application/json")


def test_anyone_can_open_the_signal_page_without_logging_in(world, client):
    response = client.get(_page(world))
    assert response.status_code == 200
    assert "De Linde" in response.content.decode()
    assert 'name="website"' in response.content.decode()


def test_a_signal_sent_without_an_account_is_stored_and_thanked_for(world, client):
    url = _page(world)
    response = client.post(url, {"text": TEXT, "topic": "food", "giver_role": "relative", "website": ""})
    assert response.status_code == 302
    assert response["Location"] == url + "bedankt/"
    signal = Signal.objects.get()
    assert (signal.location, signal.organisation, signal.text, signal.topic, signal.giver_role, signal.channel,
            signal.entered_by) == (world.location, world.organisation, TEXT, "food", "relative", "online", None)
    thanks = client.get(response["Location"]).content.decode()
    assert "Wat gebeurt er nu?" in thanks and "U zei, wij deden" in thanks


def test_the_codes_of_the_pages_are_unique_and_not_the_location_id(world):
    codes = {signal_page_of(location).code for location in world.organisation.locations.all()}
    assert len(codes) == world.organisation.locations.count()
    assert str(world.location.pk) not in codes


def test_an_unknown_code_or_a_closed_location_has_no_signal_page(world, client):
    assert client.get(reverse("signals:public_form", args=["onbekend"])).status_code == 404
    url = _page(world)
    world.location.is_active = False
    world.location.save()
    assert client.get(url).status_code == 404
    assert _post_api(client, world.location.pk, text=TEXT).status_code == 404


def test_a_filled_honeypot_gets_the_same_thanks_and_is_dropped(world, client):
    url = _page(world)
    response = client.post(url, {"text": TEXT, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"].endswith("/bedankt/")
    api = _post_api(client, world.location.pk, text=TEXT, website="http://spam.example")
    assert api.status_code == 201
    assert Signal.objects.count() == 0


def test_an_empty_or_too_long_text_gets_a_clear_message_and_keeps_what_was_typed(world, client):
    url = _page(world)
    empty = client.post(url, {"text": "  ", "topic": "food"})
    assert empty.status_code == 400
    assert "Schrijf op wat er goed ging of wat beter kan." in empty.content.decode()
    long_text = "Veel te lang verhaal. " * 120
    response = client.post(url, {"text": long_text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "te lang" in page and "hoogstens 2000 tekens" in page
    assert "Veel te lang verhaal." in page
    assert 'action="' in page
    assert Signal.objects.count() == 0


def test_the_rate_limit_stops_a_client_per_location_and_keeps_the_text(world, client, settings):
    settings.SIGNAL_RATE_LIMIT = 2
    url = _page(world)
    for _n in range(2):
        assert client.post(url, {"text": TEXT}).status_code == 302
    response = client.post(url, {"text": "Nog een keer iets anders."})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Nog een keer iets anders." in response.content.decode()
    # Another location's limit is its own.
    other = world.organisation.locations.exclude(pk=world.location.pk).first()
    assert client.post(_page(world, other), {"text": TEXT}).status_code == 302
    assert Signal.objects.count() == 3


def test_the_api_answers_429_with_retry_after_over_the_limit(world, client, settings):
    settings.SIGNAL_RATE_LIMIT = 1
    assert _post_api(client, world.location.pk, text=TEXT).status_code == 201
    response = _post_api(client, world.location.pk, text=TEXT)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["message"]


def test_personal_data_is_warned_about_before_sending_and_can_be_sent_anyway(world, client):
    url = _page(world)
    text = "Mevrouw de Vries wacht elke ochtend lang op hulp. Bel mij: 06-12345678."
    response = client.post(url, {"text": text, "topic": "care"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Staat er iets persoonlijks in de tekst?" in page
    assert "een naam en een telefoonnummer" in page
    assert "„06-12345678”" in page and "„Mevrouw de Vries”" in page
    assert text in page  # what was typed stays
    assert 'name="confirm_personal_data" value="on"' in page
    assert Signal.objects.count() == 0
    sent = client.post(url, {"text": text, "topic": "care", "confirm_personal_data": "on"})
    assert sent.status_code == 302
    signal = Signal.objects.get()
    assert signal.personal_data_confirmed is True and signal.text == text


def test_a_changed_text_without_personal_data_is_sent_without_a_second_question(world, client):
    url = _page(world)
    client.post(url, {"text": "Bel mij op 06-12345678."})
    assert client.post(url, {"text": "Wilt u mij terugbellen via de receptie?"}).status_code == 302
    assert Signal.objects.get().personal_data_confirmed is False


def test_the_api_names_personal_data_and_takes_it_when_confirmed(world, client):
    text = "Mail mij op jan@example.nl over het eten."
    response = _post_api(client, world.location.pk, text=text)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "body.text"
    assert body["personal_data"] == [{"kind": "email", "fragment": "jan@example.nl"}]
    assert Signal.objects.count() == 0
    confirmed = _post_api(client, world.location.pk, text=text, confirm_personal_data=True)
    assert confirmed.status_code == 201
    assert Signal.objects.get().text == text


def test_the_api_names_the_field_of_bad_input(world, client):
    assert _post_api(client, world.location.pk, text="").json()["errors"][0]["field"] == "body.text"
    response = _post_api(client, world.location.pk, text=TEXT, topic="raket")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("topic")
    too_long = _post_api(client, world.location.pk, text="x" * 2001)
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "body.text"


def test_the_public_api_works_without_login_and_ignores_a_session(world, client):
    assert _post_api(client, world.location.pk, text=TEXT, topic="food", giver_role="staff").status_code == 201
    login(client, world.people["outsider"])
    assert _post_api(client, world.location.pk, text=TEXT).status_code == 201
    assert Signal.objects.filter(location=world.location).count() == 2
    # Written in plain SQL (services._insert): every column as the ORM would have written it.
    first = Signal.objects.filter(location=world.location).order_by("pk").first()
    assert (first.organisation, first.topic, first.giver_role, first.channel, first.received_on, first.theme_key,
            first.entered_by, first.duplicate_of, first.redacted_at, first.personal_data_confirmed) == (
        world.organisation, "food", "staff", "online", timezone.localdate(), "", None, None, None, False)
    assert abs(timezone.now() - first.created_at).total_seconds() < 60


def test_the_public_api_takes_a_signal_in_two_queries(world, client):
    with CaptureQueriesContext(connection) as queries:
        assert _post_api(client, world.location.pk, text=TEXT).status_code == 201
    # The location, the insert; SQLite's savepoint statements are not counted as work.
    work = [q for q in queries.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(work) == 2, [q["sql"] for q in work]


def test_the_poster_shows_the_short_link_and_an_inline_qr_code(world, client):
    login(client, world.people["location_manager"])
    page = signal_page_of(world.location)
    response = client.get(reverse("signals:poster", args=[world.organisation.pk, world.location.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"testserver/s/{page.code}/" in html
    assert '<svg role="img" aria-labelledby="qr-titel"' in html and "<img" not in html
