"""Proxy entry, who sees signals, themes, duplicates, links to the top 3 and actions, counts,
removing a text everywhere, and rule 22 of the checker."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import describe
from samenplan.core import pagecache
from samenplan.core.tests.world import PERSONAS, grow_world, login
from samenplan.organisations.tests.factories import LocationFactory
from samenplan.signals import services
from samenplan.signals.models import Signal, SignalAction, SignalTopPoint
from samenplan.signals.selectors import Period, counts_per_theme_and_location, signal_counts, themes_of

from .matrix_cases import READERS, make_signal

pytestmark = pytest.mark.shared_world

SECRET = "Het bed van kamer zeven kraakt en niemand komt kijken, zegt de buurvrouw."


def _today():
    return timezone.localdate()


def _record(world, by="council_secretary", **extra):
    data = {"location": world.location, "by": world.people[by], "text": "Op de afdeling is het 's avonds stil.",
            "channel": "paper", "received_on": _today() - datetime.timedelta(days=3)} | extra
    return services.record_signal_on_behalf(**data)


# --- Proxy entry -------------------------------------------------------------------------------


def test_a_secretary_enters_a_paper_signal_with_channel_date_and_who_entered_it(world, client):
    login(client, world.people["council_secretary"])
    url = reverse("signals:record", args=[world.organisation.pk])
    received = _today() - datetime.timedelta(days=5)
    response = client.post(url, {"location": world.location.pk, "channel": "paper", "received_on": received.isoformat(),
                                 "text": "Er is te weinig te doen op zondag.", "topic": "day", "giver_role": "resident"})
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"] == signal.get_absolute_url()
    assert (signal.channel, signal.received_on, signal.entered_by, signal.giver_role) == (
        "paper", received, world.people["council_secretary"], "resident")
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGNAL_RECORDED_ON_BEHALF).get()
    assert event.actor == world.people["council_secretary"]
    assert event.data["channel"] == "paper" and "zondag" not in json.dumps(event.data)
    assert "op papier" in describe(event)
    detail = client.get(signal.get_absolute_url()).content.decode()
    assert "ingevoerd door" in detail


@pytest.mark.parametrize("channel", ["meeting", "phone", "conversation"])
def test_quality_staff_enter_signals_from_meetings_calls_and_conversations(world, channel):
    signal = _record(world, by="quality", channel=channel)
    assert signal.channel == channel and signal.entered_by == world.people["quality"]


def test_proxy_entry_refuses_a_future_date_an_online_channel_and_other_people(world, client):
    with pytest.raises(ValidationError) as refused:
        _record(world, received_on=_today() + datetime.timedelta(days=1), channel="online")
    assert set(refused.value.message_dict) == {"received_on", "channel"}
    for persona in ("council_member", "board", "location_manager", "outsider"):
        with pytest.raises(PermissionDenied):
            _record(world, by=persona)
    login(client, world.people["council_secretary"])
    response = client.post(reverse("signals:record", args=[world.organisation.pk]),
                           {"location": world.location.pk, "channel": "paper", "received_on": "morgen",
                            "text": "Blijft staan."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een datum in" in page and "Blijft staan." in page


def test_proxy_entry_warns_about_personal_data_too(world, client):
    login(client, world.people["quality"])
    url = reverse("signals:record", args=[world.organisation.pk])
    data = {"location": world.location.pk, "channel": "phone", "received_on": _today().isoformat(),
            "text": "Meneer Jansen belde: zijn vrouw krijgt te laat haar pillen."}
    assert "Staat er iets persoonlijks in de tekst?" in client.post(url, data).content.decode()
    assert Signal.objects.count() == 0
    assert client.post(url, data | {"confirm_personal_data": "on"}).status_code == 302


# --- Who sees signals -------------------------------------------------------------------------


def test_only_council_members_and_quality_staff_of_the_organisation_read_signals(world, client):
    signal = make_signal(world, text=SECRET)
    pages = [reverse("signals:list", args=[world.organisation.pk]), signal.get_absolute_url(),
             reverse("signals:export", args=[world.organisation.pk]),
             f"/api/v1/locations/{world.location.pk}/signals"]
    for persona in PERSONAS:
        login(client, world.people[persona])
        for url in pages:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if persona in READERS:
                assert response.status_code == 200, (persona, url)
                assert SECRET.encode() in body, (persona, url)
            else:
                assert response.status_code in {403, 404}, (persona, url)
                assert SECRET.encode() not in body
        client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code in {302, 401} and SECRET.encode() not in response.content


def test_a_signal_of_location_a_is_invisible_to_another_organisation(world, client):
    signal = make_signal(world, text=SECRET)
    login(client, world.people["outsider"])
    other = world.other_organisation
    # The outsider's own list is of their own organisation and holds nothing of ours.
    own = client.get(reverse("signals:list", args=[other.pk]))
    assert own.status_code == 200 and SECRET not in own.content.decode()
    assert client.get(reverse("signals:list", args=[world.organisation.pk])).status_code == 404
    assert client.get(signal.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/locations/{world.location.pk}/signals").status_code == 404
    assert client.post(reverse("signals:redact", args=[signal.pk]), {"confirm": "on"}).status_code == 404
    assert client.post(f"/api/v1/signals/{signal.pk}/redact").status_code == 404
    # Nor through the public page: it shows a form, never a signal.
    public = client.get(reverse("signals:public_form", args=[world.location.signal_page.code]
                                if hasattr(world.location, "signal_page") else ["x"]))
    assert SECRET not in public.content.decode()


# --- Themes, duplicates, links, counts --------------------------------------------------------


def test_a_signal_is_tagged_with_a_theme_of_the_plans_framework(world, client):
    signal = make_signal(world)
    keys = dict(themes_of(world.organisation))
    assert "veiligheid" in keys and "wonen-en-welzijn" in keys
    login(client, world.people["council_member"])
    response = client.post(reverse("signals:tag", args=[signal.pk]), {"theme_key": "veiligheid"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.theme_key == "veiligheid"
    refused = client.post(reverse("signals:tag", args=[signal.pk]), {"theme_key": "ruimtevaart"})
    assert refused.status_code == 400 and "Er is iets niet goed ingevuld" in refused.content.decode()


def test_merged_duplicates_point_to_the_one_that_stays_and_count_as_one(world, client):
    kept, first, second = (make_signal(world, text=t) for t in ("Koffie koud.", "Koude koffie.", "Lauwe koffie."))
    me = world.people["quality"]
    services.merge_signals(signal=second, into=first, by=me)
    services.merge_signals(signal=first, into=kept, by=me)
    second.refresh_from_db()
    assert second.duplicate_of == kept  # chains stay one step long
    assert signal_counts(world.organisation.pk, start=_today(), end=_today()) == [(world.location.pk, "", 1)]
    login(client, me)
    page = client.get(reverse("signals:list", args=[world.organisation.pk])).content.decode()
    assert "2 dubbele signalen tellen hierbij mee" in page
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGNALS_MERGED).count() == 2
    with pytest.raises(ValidationError):
        services.merge_signals(signal=kept, into=second, by=me)  # into itself, through the chain
    other_location = world.organisation.locations.exclude(pk=world.location.pk).first()
    elsewhere = Signal.objects.create(organisation=world.organisation, location=other_location, text="Elders.",
                                      received_on=_today())
    with pytest.raises(ValidationError):
        services.merge_signals(signal=elsewhere, into=kept, by=me)
    services.separate_signal(signal=second, by=me)
    assert signal_counts(world.organisation.pk, start=_today(), end=_today())[0][2] == 2


def test_a_signal_is_linked_to_a_top_3_point_and_to_an_action(world, client):
    signal = make_signal(world)
    login(client, world.people["council_member"])
    url = reverse("signals:link", args=[signal.pk])
    response = client.post(url, {"top_point": world.top_point.pk, "action": world.action.pk})
    assert response.status_code == 302
    assert SignalTopPoint.objects.get().top_point == world.top_point
    assert SignalAction.objects.get().action == world.action
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGNAL_LINKED, plan_id=world.plan.pk)
    assert events.count() == 2
    assert any("Meer buiten zijn" in describe(e) for e in events)
    detail = client.get(signal.get_absolute_url()).content.decode()
    assert "Top 3-punt „Meer buiten zijn”" in detail and "Samen koken op de afdeling" in detail
    api = client.get(f"/api/v1/locations/{world.location.pk}/signals").json()
    assert api[0]["top_point_ids"] == [world.top_point.pk] and api[0]["action_ids"] == [world.action.pk]
    # Neither box chosen: a message, nothing lost.
    assert client.post(url, {}).status_code == 400
    client.post(reverse("signals:unlink", args=[signal.pk]), {"top_point": world.top_point.pk})
    assert not SignalTopPoint.objects.exists()


def test_a_signal_cannot_be_linked_to_another_organisations_top_3(world):
    from samenplan.participation.models import TopPoint

    signal = make_signal(world)
    foreign = TopPoint(plan_id=0, title="Elders")
    with pytest.raises(ValidationError):
        services.link_signal(signal=signal, by=world.people["quality"], top_point=foreign)


def test_counts_per_theme_and_location_match_the_chart_and_tables(world, client):
    other = world.organisation.locations.exclude(pk=world.location.pk).get()
    for theme, location in [("veiligheid", world.location), ("veiligheid", world.location),
                            ("wonen-en-welzijn", other), ("", other)]:
        Signal.objects.create(organisation=world.organisation, location=location, text="x", theme_key=theme,
                              received_on=_today())
    themes = themes_of(world.organisation)
    per_theme, per_location, cross = counts_per_theme_and_location(
        world.organisation, period=Period(_today(), _today()), themes=themes,
        locations=list(world.organisation.locations.all()))
    assert [(r.label, r.count) for r in per_theme] == [("Wonen en welzijn", 1), ("Veiligheid", 2),
                                                       ("Nog zonder thema", 1)]
    assert {r.label: r.count for r in per_location} == {"De Linde": 2, "Het Wilgenhof": 2}
    assert cross[world.location.pk] == {"veiligheid": 2}
    login(client, world.people["quality"])
    page = client.get(reverse("signals:list", args=[world.organisation.pk])).content.decode()
    assert "<title id=\"per-thema-titel\">Signalen per thema</title>" in page
    assert "<caption>Signalen per thema</caption>" in page
    assert '<th scope="row">Veiligheid</th><td>2</td>' in page
    assert 'fill="url(#per-thema-arcering)"' in page


def test_the_list_selects_a_quarter_a_location_a_theme_and_words(world, client):
    old = Signal.objects.create(organisation=world.organisation, location=world.location, text="Oud signaal.",
                                received_on=datetime.date(2025, 2, 3), theme_key="veiligheid")
    make_signal(world, text="Nieuw signaal over soep.")
    login(client, world.people["quality"])
    url = reverse("signals:list", args=[world.organisation.pk])
    quarter = client.get(url, {"kwartaal": "2025-Q1"}).content.decode()
    assert "Oud signaal." in quarter and "soep" not in quarter
    assert "soep" in client.get(url, {"zoek": "soep"}).content.decode()
    assert "Oud signaal." in client.get(url, {"van": "2025-01-01", "thema": "veiligheid"}).content.decode()
    wrong = client.get(url, {"kwartaal": "2025-5"})
    assert wrong.status_code == 400 and "bijvoorbeeld 2026-Q3" in wrong.content.decode()
    assert old.pk


# --- Removing the text ------------------------------------------------------------------------


def _everything_that_shows_signals(world, client, signal):
    """Every page, export and API answer that could show the signal, as quality staff."""
    org = world.organisation.pk
    bodies = []
    for url in [reverse("signals:list", args=[org]), reverse("signals:list", args=[org]) + "?zoek=kamer",
                reverse("signals:list", args=[org]) + f"?locatie={world.location.pk}",
                signal.get_absolute_url(), reverse("signals:export", args=[org]),
                reverse("signals:export", args=[org]) + "?zoek=kamer",
                f"/api/v1/locations/{world.location.pk}/signals", reverse("audit:timeline", args=[world.plan.pk]),
                f"/api/v1/plans/{world.plan.pk}/audit"]:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(b"".join(response.streaming_content) if response.streaming else response.content)
    return b"\n".join(bodies).decode()


def test_redaction_removes_the_text_everywhere_and_the_audit_says_who_not_what(world, client):
    signal = make_signal(world, text=SECRET)
    duplicate = make_signal(world, text="Ook over het bed.")
    services.merge_signals(signal=duplicate, into=signal, by=world.people["quality"])
    services.link_signal(signal=signal, by=world.people["quality"], top_point=world.top_point)
    login(client, world.people["quality"])
    assert SECRET in _everything_that_shows_signals(world, client, signal)
    login(client, world.people["council_secretary"])
    response = client.post(reverse("signals:redact", args=[signal.pk]), {"confirm": "on"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.text == "" and signal.redacted_by == world.people["council_secretary"]
    login(client, world.people["quality"])
    everything = _everything_that_shows_signals(world, client, signal)
    for fragment in (SECRET, "kamer zeven", "buurvrouw"):
        assert fragment not in everything
    assert "De tekst van dit signaal is weggehaald" in everything
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGNAL_REDACTED)
    assert event.actor == world.people["council_secretary"]
    assert SECRET not in event.content() and "kamer" not in event.content()
    assert not AuditEvent.objects.filter(data__icontains="kamer zeven").exists()
    # It still counts, as one with its duplicate.
    assert signal_counts(world.organisation.pk, start=_today(), end=_today()) == [(world.location.pk, "", 1)]


def test_redaction_needs_a_tick_and_the_right_role_and_happens_once(world, client):
    signal = make_signal(world, text=SECRET)
    login(client, world.people["council_member"])
    assert client.post(reverse("signals:redact", args=[signal.pk]), {"confirm": "on"}).status_code == 403
    login(client, world.people["quality"])
    refused = client.post(reverse("signals:redact", args=[signal.pk]), {})
    assert refused.status_code == 400 and "Zet een vinkje" in refused.content.decode()
    api = client.post(f"/api/v1/signals/{signal.pk}/redact")
    assert api.status_code == 200 and api.json()["text"] == "" and api.json()["redacted"] is True
    assert client.post(f"/api/v1/signals/{signal.pk}/redact").status_code == 409
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGNAL_REDACTED).count() == 1


# --- Rule 22 ----------------------------------------------------------------------------------


def _rule_22(world):
    from samenplan.consent.selectors import plan_findings

    _snapshot, _sha, findings = plan_findings(world.plan)
    return sorted(f.message.split(" is nog")[0] for f in findings if f.rule == "R22")


def test_rule_22_warns_about_each_location_without_signals_or_council_input(world):
    from samenplan.participation import services as participation

    assert _rule_22(world) == ["Over De Linde", "Over Het Wilgenhof"]
    make_signal(world)
    assert _rule_22(world) == ["Over Het Wilgenhof"]
    wilgenhof = world.organisation.locations.get(name="Het Wilgenhof")
    participation.record_top_points(plan=world.plan, council=world.client_council, by=world.people["council_member"],
                                    location=wilgenhof, points=[{"title": "Meer rust", "explanation": ""}])
    assert _rule_22(world) == []


def test_rule_22_counts_a_comment_of_a_local_council_and_skips_closed_locations(world):
    from samenplan.organisations.tests.factories import CouncilFactory
    from samenplan.participation.models import Comment

    wilgenhof = world.organisation.locations.get(name="Het Wilgenhof")
    local = CouncilFactory(organisation=world.organisation, kind="client_council", location=wilgenhof,
                           name="Lokale raad Wilgenhof")
    Comment.objects.create(version=world.version, plan=world.plan, section_key="hele-plan", body="Goed plan.",
                           author=world.people["council_member"], council=local)
    LocationFactory(organisation=world.organisation, name="Gesloten huis", is_active=False)
    assert _rule_22(world) == ["Over De Linde"]


def test_rule_22_is_a_warning_only_while_the_plan_is_drafted(world):
    from samenplan.compliance import Severity
    from samenplan.consent.selectors import plan_findings

    findings = [f for f in plan_findings(world.plan)[2] if f.rule == "R22"]
    assert findings and {f.severity for f in findings} == {Severity.WARN}
    world.plan.status = "peer_review"
    world.plan.save(update_fields=["status"])
    assert _rule_22(world) == []


# --- Query counts -----------------------------------------------------------------------------


def _queries(client, url) -> int:
    pagecache.clear()
    client.get(url)
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _more_signals(world, n):
    me = world.people["quality"]
    locations = list(world.organisation.locations.all())
    for i in range(n):
        signal = Signal.objects.create(organisation=world.organisation, location=locations[i % len(locations)],
                                       text=f"Signaal {i}", theme_key=["veiligheid", "wonen-en-welzijn", ""][i % 3],
                                       received_on=_today() - datetime.timedelta(days=i))
        if i % 4 == 0:
            services.link_signal(signal=signal, by=me, top_point=world.top_point, action=world.action)
        if i % 5 == 1:
            make_signal(world, text="Dubbel", duplicate_of=signal)


@pytest.mark.parametrize("persona", ["quality", "council_member"])
def test_the_signal_pages_make_as_many_queries_for_many_signals_and_locations(world, client, persona):
    login(client, world.people[persona])
    make_signal(world)
    signal = make_signal(world)
    services.link_signal(signal=signal, by=world.people["quality"], top_point=world.top_point)
    org = world.organisation.pk
    urls = [reverse("signals:list", args=[org]), reverse("signals:list", args=[org]) + "?pagina=2",
            signal.get_absolute_url(), f"/api/v1/locations/{world.location.pk}/signals"]
    small = [_queries(client, url) for url in urls]
    grow_world(world, locations=12)
    _more_signals(world, 120)
    large = [_queries(client, url) for url in urls]
    assert large == small


# --- The list kept per person (core/pagecache.py) ---------------------------------------------


@pytest.mark.parametrize("persona", sorted(READERS))
def test_the_signal_list_reads_only_the_tables_it_names(world, client, persona):
    """A table read but not named would leave a kept list out of date after a write to it."""
    from samenplan.core.tests.test_pagecache import REQUEST_TABLES, tables_read
    from samenplan.signals.selectors import SIGNAL_LIST_TABLES

    login(client, world.people[persona])
    signal = make_signal(world)
    services.link_signal(signal=signal, by=world.people["quality"], top_point=world.top_point, action=world.action)
    make_signal(world, text="Dubbel", duplicate_of=signal)
    pagecache.clear()
    assert tables_read(client, reverse("signals:list", args=[world.organisation.pk])) - REQUEST_TABLES \
        - SIGNAL_LIST_TABLES == set()


def test_the_signal_list_is_kept_until_a_signal_of_its_organisation_comes_in(world, client):
    from samenplan.core.tests.test_pagecache import WHO_IS_ASKING, tables_read

    login(client, world.people["council_member"])
    url = reverse("signals:list", args=[world.organisation.pk])
    pagecache.clear()
    make_signal(world, text="Eerste signaal van vandaag.")
    assert "Eerste signaal" in client.get(url).content.decode()
    assert tables_read(client, url) <= WHO_IS_ASKING
    # Another organisation's signal leaves the page kept; one of its own shows at once, also when
    # it comes in through the public intake without an account.
    services.submit_public_signal(location_id=world.other_location.pk, organisation_id=world.other_organisation.pk,
                                  text="Elders is het eten lekker.")
    assert tables_read(client, url) <= WHO_IS_ASKING
    response = client.post(f"/api/v1/public/locations/{world.location.pk}/signals",
                           {"text": "De lift doet het weer niet."}, content_type="application/json")
    assert response.status_code == 201
    assert "De lift doet het weer niet." in client.get(url).content.decode()
    # Filters are a query string: never kept.
    assert "signals_signal" in tables_read(client, url + "?zoek=lift")


# --- The demo ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_signals_at_every_location_some_linked_to_the_top_3(db, monkeypatch):
    from django.core.management import call_command

    import samenplan.careoffice.demo

    # The care office's part of the demo is its own story; the signals need the plans only.
    monkeypatch.setattr(samenplan.careoffice.demo, "load_demo_care_office", lambda: None)

    from samenplan.organisations.models import Organisation
    from samenplan.signals.demo import load_demo_signals

    call_command("load_frameworks")
    call_command("load_demo")
    load_demo_signals()
    load_demo_signals()
    linde = Organisation.objects.get(kvk_number="41000001")  # the shared world has a De Linde too
    for location in linde.locations.filter(is_active=True):
        assert location.signals.filter(channel="online").exists()
        assert location.signals.exclude(channel="online").exclude(entered_by=None).exists()
        assert hasattr(location, "signal_page")
    assert Signal.objects.filter(organisation=linde).count() == 10 * linde.locations.filter(is_active=True).count()
    linked = SignalTopPoint.objects.filter(top_point__plan__year=timezone.localdate().year + 1)
    assert {link.top_point.title for link in linked} == {"Elke dag naar buiten", "Vaste gezichten op de afdeling",
                                                          "Lekker en samen eten"}
    assert Signal.objects.exclude(theme_key="").exists()
