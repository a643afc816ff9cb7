""""U zei, wij deden" and the public report: staff's own words only, nothing personal in any public
page or answer (rule 24), and nothing public before the organisation publishes it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samenplan.accounts.models import User
from samenplan.audit.models import AuditEvent
from samenplan.core.tests.world import login
from samenplan.monitoring import report_services as services
from samenplan.monitoring.models import ReportComment
from samenplan.monitoring.report_selectors import public_content, public_you_said, you_said_proposals
from samenplan.plans.models import ImprovementAction
from samenplan.publishing.tests.helpers import published_plan
from samenplan.publishing.tests.test_personal_data import _leaks, _name_people, _strings
from samenplan.signals.models import Signal

from .report_world import EVALUATION, SIGNAL_TEXT, adopted, build_chain, completed

pytestmark = pytest.mark.shared_world

YOU_SAID = "Bewoners willen vaker naar buiten."
WE_DID = "Elke dag gaat er een groep wandelen."


def _publish(world):
    page = services.save_you_said(plan=world.plan, location=world.location, by=world.people["quality"],
                                  items=[{"top_point": world.top_point.pk, "you_said": YOU_SAID, "we_did": WE_DID}])
    return services.set_you_said_published(page=page, by=world.people["quality"], published=True)


def test_the_page_proposes_themes_and_top_points_from_the_data(world):
    build_chain(world)
    proposals = you_said_proposals(world.plan, world.location)
    assert [(p["theme_key"], p["count"]) for p in proposals if p["theme_key"]] == [("wonen-en-welzijn", 1)]
    (point,) = [p for p in proposals if p["top_point"]]
    assert point["label"] == world.top_point.title and point["actions"][0]["title"] == world.action.title


def test_a_signal_s_own_words_are_refused(world):
    build_chain(world)
    with pytest.raises(services.VerbatimSignal):
        services.save_you_said(plan=world.plan, location=world.location, by=world.people["quality"],
                               items=[{"theme_key": "wonen-en-welzijn", "you_said": f"  {SIGNAL_TEXT.upper()} "}])


def test_the_staff_page_says_when_a_sentence_is_a_signal_s_text(world, client):
    build_chain(world)
    login(client, world.people["quality"])
    url = reverse("monitoring:edit_you_said", args=[world.plan.pk, world.location.pk])
    response = client.post(url, {"you_said_0": SIGNAL_TEXT, "we_did_0": WE_DID, "save": "1"})
    assert response.status_code == 400
    assert "letterlijk de tekst van een signaal" in response.content.decode()
    assert WE_DID in response.content.decode()


def test_publishing_needs_a_line(world):
    build_chain(world)
    page = services.save_you_said(plan=world.plan, location=world.location, by=world.people["quality"], items=[])
    with pytest.raises(ValidationError):
        services.set_you_said_published(page=page, by=world.people["quality"], published=True)


def test_the_public_page_and_poster_show_the_chain(world, client):
    completed(world)
    _publish(world)
    for name in ("you_said", "you_said_poster"):
        page = client.get(reverse(f"monitoring:{name}", args=[world.location.pk])).content.decode()
        for text in (YOU_SAID, WE_DID, world.top_point.title, world.action.title, "Klaar", EVALUATION):
            assert text in page, (name, text)
        assert SIGNAL_TEXT not in page
    poster = client.get(reverse("monitoring:you_said_poster", args=[world.location.pk])).content.decode()
    assert "<svg" in poster and "/s/" in poster


def test_unpublished_pages_are_not_found(world, client):
    report = adopted(world)
    page = _publish(world)
    services.set_you_said_published(page=page, by=world.people["quality"], published=False)
    assert client.get(reverse("monitoring:you_said", args=[world.location.pk])).status_code == 404
    assert client.get(reverse("monitoring:you_said_poster", args=[world.location.pk])).status_code == 404
    url = reverse("monitoring:public_report", args=[world.organisation.pk, world.plan.year])
    assert client.get(url).status_code == 404
    services.set_report_published(report=report, by=world.people["quality"], published=True)
    assert client.get(url).status_code == 200
    kinds = set(AuditEvent.objects.filter(plan_id=world.plan.pk).values_list("kind", flat=True))
    assert {AuditEvent.Kind.YOU_SAID_PUBLISHED, AuditEvent.Kind.YOU_SAID_UNPUBLISHED} <= kinds


def test_a_draft_report_is_never_public(world, client):
    completed(world)
    assert client.get(reverse("monitoring:public_report",
                              args=[world.organisation.pk, world.plan.year])).status_code == 404


def test_the_public_organisation_page_links_what_is_published(world, client):
    published_plan(world.organisation, year=world.plan.year - 1, framework=world.plan.framework)
    report = adopted(world)
    services.set_report_published(report=report, by=world.people["quality"], published=True)
    _publish(world)
    page = client.get(reverse("publishing:organisation", args=[world.organisation.pk])).content.decode()
    assert reverse("monitoring:public_report", args=[world.organisation.pk, world.plan.year]) in page
    assert reverse("monitoring:you_said", args=[world.location.pk]) in page


@pytest.fixture
def leaky_report(world):
    """The chain with personal data wherever it could go: named people, an action owner by name and
    e-mail, a council's comment, a signal's text; adopted, published and a published page."""
    _name_people()
    staff = User.objects.get(pk=world.people["location_manager"].pk)
    ImprovementAction.objects.filter(pk=world.action.pk).update(owner=f"{staff.get_full_name()} ({staff.email})")
    report = completed(world)
    services.comment_on_report(report=report, by=world.people["council_member"],
                               body="Wie neemt mevrouw uit kamer 12 mee naar de tuin?")
    report = services.adopt_report(report=report, by=world.people["board"])
    services.set_report_published(report=report, by=world.people["board"], published=True)
    page = _publish(world)
    return report, page


def _forbidden() -> list[str]:
    people = User.objects.values_list("first_name", "last_name")
    names = {part.strip() for first, last in people for part in (first, last) if part.strip()}
    comments = set(ReportComment.objects.values_list("body", flat=True))
    signals = {text for text in Signal.objects.values_list("text", flat=True) if text}
    return sorted(names | comments | signals)


def test_nothing_personal_is_public(world, client, leaky_report):
    report, page = leaky_report
    forbidden = _forbidden()
    for data in (public_content(report.content), public_you_said(page)):
        assert [leak for text in _strings(data) for leak in _leaks(text, forbidden)] == []
    for url in (reverse("monitoring:public_report", args=[world.organisation.pk, world.plan.year]),
                reverse("monitoring:you_said", args=[world.location.pk]),
                reverse("monitoring:you_said_poster", args=[world.location.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert _leaks(response.content.decode(), forbidden) == [], url


def test_the_staff_report_keeps_the_owner(world, client, leaky_report):
    # The organisation's own page names who did the work; only the public copy leaves it out.
    login(client, world.people["quality"])
    owner = ImprovementAction.objects.get(pk=world.action.pk).owner
    assert owner in client.get(reverse("monitoring:report", args=[world.plan.pk])).content.decode()
