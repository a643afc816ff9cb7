"""The councils' way into a plan: a summary in plain language per section, and what changed, in words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samenplan.consent import services as consent_services
from samenplan.consent.models import ConsentDecision
from samenplan.core.tests.world import login
from samenplan.plans import services
from samenplan.plans.changes import ADDED, CHANGED, explain_changes
from samenplan.plans.models import PlanVersion, QualityPlan
from samenplan.plans.snapshot import build_snapshot, load_plan_for_snapshot

pytestmark = pytest.mark.django_db

SUMMARY = "Bewoners eten samen. Ze gaan elke dag naar buiten."


def _section(plan, key="wonen-en-welzijn"):
    return plan.sections.get(key=key)


def _save(world, *, body=None, summary=None, key="wonen-en-welzijn"):
    section = _section(world.plan, key)
    return services.update_section(plan=world.plan, key=key, body=section.body if body is None else body,
                                   summary=summary, base_revision=section.revision, by=world.people["quality"])


# --- The summary is saved and frozen -------------------------------------------------------------


def test_a_summary_is_saved_with_the_text_and_none_leaves_it_alone(world):
    _save(world, summary=f"  {SUMMARY}  ")
    assert _section(world.plan).summary == SUMMARY
    _save(world, body="Nieuwe tekst.")
    assert _section(world.plan).summary == SUMMARY


def test_a_summary_that_is_too_long_is_refused_with_its_field(world):
    with pytest.raises(ValidationError) as refused:
        _save(world, summary="Te lang. " * 100)
    assert "summary" in refused.value.message_dict
    assert _section(world.plan).summary == ""


def test_a_plan_without_summaries_keeps_its_hash(world):
    """Versions frozen before summaries existed stay valid: nothing is added to an unsummarised snapshot."""
    snapshot = build_snapshot(load_plan_for_snapshot(world.plan.pk))
    assert all("summary" not in section for section in snapshot["sections"])
    assert PlanVersion.hash_of(PlanVersion.canonical(snapshot)) == world.version.sha256


def test_a_summary_is_part_of_the_frozen_version(world):
    _save(world, summary=SUMMARY)
    version = services.freeze_version(plan=world.plan, by=world.people["quality"], note="")
    section = next(s for s in version.snapshot["sections"] if s["key"] == "wonen-en-welzijn")
    assert section["summary"] == SUMMARY


def test_next_years_plan_starts_with_this_years_summaries(world):
    _save(world, summary=SUMMARY)
    plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                by=world.people["quality"])
    assert _section(plan).summary == SUMMARY


def test_the_councils_cannot_be_asked_without_a_summary_of_each_written_text(world):
    from samenplan.consent.tests.helpers import complete_plan

    complete_plan(world.plan, world.people["quality"])
    _save(world, summary="")
    services.freeze_version(plan=world.plan, by=world.people["quality"], note="")
    with pytest.raises(consent_services.TransitionRefused) as refused:
        consent_services.transition_plan(plan=world.plan, to=QualityPlan.Status.CONSENT, by=world.people["quality"])
    assert [(f.rule, f.target.key) for f in refused.value.findings] == [("R28", "wonen-en-welzijn")]


# --- The section editor --------------------------------------------------------------------------


def test_the_editor_saves_the_summary_and_shows_its_readability(client, world):
    login(client, world.people["quality"])
    url = reverse("plans:section", args=[world.plan.pk, "wonen-en-welzijn"])
    section = _section(world.plan)
    response = client.post(url, {"body": section.body, "summary": SUMMARY, "base_revision": section.revision})
    assert response.status_code == 302
    assert _section(world.plan).summary == SUMMARY
    page = client.get(url).content.decode()
    assert "In het kort, voor de raden" in page and SUMMARY in page
    assert "Samenvatting voor de raden" in page


def test_a_summary_typed_during_a_conflict_is_kept(client, world):
    login(client, world.people["quality"])
    section = _section(world.plan)
    _save(world, body="Iemand anders schreef dit.")
    response = client.post(reverse("plans:section", args=[world.plan.pk, "wonen-en-welzijn"]),
                           {"body": "Mijn tekst.", "summary": "Mijn samenvatting.", "base_revision": section.revision})
    assert response.status_code == 409
    assert "Mijn samenvatting." in response.content.decode()
    assert _section(world.plan).summary == ""


def test_the_editor_keeps_a_too_long_summary_with_a_message(client, world):
    login(client, world.people["quality"])
    section = _section(world.plan)
    typed = "Een heel lange samenvatting. " * 40
    response = client.post(reverse("plans:section", args=[world.plan.pk, "wonen-en-welzijn"]),
                           {"body": section.body, "summary": typed, "base_revision": section.revision})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_summary"' in page and typed.strip() in page


def test_the_api_reads_and_writes_the_summary(client, world):
    login(client, world.people["quality"])
    section = _section(world.plan)
    url = f"/api/v1/plans/{world.plan.pk}/sections/wonen-en-welzijn"
    response = client.patch(url, {"body": section.body, "summary": SUMMARY, "base_revision": section.revision},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["summary"] == SUMMARY
    too_long = client.patch(url, {"body": section.body, "summary": "x" * 801, "base_revision": section.revision + 1},
                            content_type="application/json")
    assert too_long.status_code == 422 and "summary" in str(too_long.json())


# --- The version page leads with the summaries -----------------------------------------------------


def test_the_version_page_opens_with_the_plan_in_short(client, world):
    _save(world, summary=SUMMARY)
    version = services.freeze_version(plan=world.plan, by=world.people["quality"], note="")
    services.share_version_with_councils(version=version, by=world.people["quality"])
    login(client, world.people["council_member"])
    page = client.get(reverse("plans:version", args=[version.pk])).content.decode()
    assert "Het plan in het kort" in page
    assert page.count(SUMMARY) == 2  # in the overview and above the section itself
    assert reverse("plans:version_changes", args=[version.pk]) in page


def test_the_consent_request_leads_to_the_summary_and_the_changes(client, world):
    login(client, world.people["council_member"])
    page = client.get(reverse("consent:request", args=[world.consent_request.pk])).content.decode()
    assert f'{reverse("plans:version", args=[world.version.pk])}#in-het-kort' in page
    assert reverse("plans:version_changes", args=[world.version.pk]) in page


# --- What changed, in words -----------------------------------------------------------------------


def _snapshot(world):
    return build_snapshot(load_plan_for_snapshot(world.plan.pk))


def test_changes_tell_which_sentences_came_and_went(world):
    old = _snapshot(world)
    _save(world, body="Bewoners eten samen. Ze koken ook zelf. Ze kiezen hun eigen muziek.", summary=SUMMARY)
    changes = explain_changes(old, _snapshot(world))
    [change] = changes.changed
    assert (change.key, change.state, change.summary) == ("wonen-en-welzijn", CHANGED, SUMMARY)
    assert change.points == ["Er zijn 2 zinnen nieuw of anders geschreven.", "1 zin van eerst staat er niet meer.",
                             "Er is een samenvatting bij gekomen."]
    assert change.new_sentences == ["Ze koken ook zelf.", "Ze kiezen hun eigen muziek."]
    assert "Veiligheid" in changes.unchanged


def test_changes_in_actions_staffing_and_profile_are_told_in_dutch_numbers(world):
    quality = world.people["quality"]
    old = _snapshot(world)
    services.save_action(plan=world.plan, location=world.location, by=quality, action=world.action,
                         title=world.action.title, owner=world.action.owner, due_quarter="2027-Q2", status="in_progress")
    services.save_action(plan=world.plan, location=world.location, by=quality, title="Tuin opknappen",
                         owner="Facilitair", due_quarter="2027-Q3")
    services.update_staffing(plan=world.plan, by=quality, reference_date=None, note="", rows=[
        {"location": world.location, "level3_fte": "4.5", "level3_headcount": 6}])
    services.update_profile(plan=world.plan, by=quality, target_groups=["psychogeriatrie"], care_types=[],
                            care_intensity={"VV5": 12}, text="")
    by_key = {change.key: change for change in explain_changes(old, _snapshot(world)).changed}
    paragraph = by_key[f"paragraph-{world.location.pk}"]
    assert "„Samen koken op de afdeling” (Teamleider De Linde, 2027-Q2): was gepland, nu bezig." in paragraph.points
    assert "Nieuwe actie: „Tuin opknappen” (Facilitair, 2027-Q3)." in paragraph.points
    assert by_key["staffing"].points == ["De Linde: nieuw in de cijfers, zorgpersoneel 4,50 fte, 6 mensen."]
    assert by_key["profile"].points == [
        "Nieuwe doelgroep: Mensen met dementie (psychogeriatrie).",
        "Bewoners met zorgprofiel VV5 – Beschermd wonen met intensieve dementiezorg: eerst 0, nu 12."]


def test_last_years_actions_are_told_as_carried_over_or_finished(world):
    quality = world.people["quality"]
    services.save_action(plan=world.plan, location=world.location, by=quality, title="Nieuwe tuinbank",
                         owner="Facilitair", due_quarter="2027-Q2", status="done")
    old = _snapshot(world)
    plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework, by=quality)
    new = build_snapshot(load_plan_for_snapshot(plan.pk))
    [paragraph] = [c for c in explain_changes(old, new).changed if c.key == f"paragraph-{world.location.pk}"]
    assert paragraph.points == [
        "„Samen koken op de afdeling” (Teamleider De Linde) loopt door uit het vorige plan.",
        "De actie „Nieuwe tuinbank” (Facilitair, 2027-Q2) is klaar en staat er daarom niet meer in.",
    ]


def test_a_section_new_in_this_years_framework_is_told_as_new(world):
    old = _snapshot(world)
    new = _snapshot(world)
    new["sections"].append({"key": "zingeving", "kind": "theme", "title": "Zingeving", "group": "", "required": False,
                            "body": "We praten over wat het leven zin geeft.", "summary": "Over zingeving."})
    [change] = explain_changes(old, new).changed
    assert (change.state, change.title, change.summary) == (ADDED, "Zingeving", "Over zingeving.")


def test_the_changes_page_compares_with_the_version_the_council_decided_on(client, world):
    ConsentDecision.objects.create(request=world.consent_request, decision="granted", meeting_date="2027-01-10",
                                   recorded_by=world.people["council_secretary"], version_sha256=world.version.sha256)
    _save(world, body="Bewoners eten samen. Ze koken ook zelf.", summary=SUMMARY)
    newer = services.freeze_version(plan=world.plan, by=world.people["quality"], note="")
    services.share_version_with_councils(version=newer, by=world.people["quality"])
    login(client, world.people["council_member"])
    response = client.get(reverse("plans:version_changes", args=[newer.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Versie {world.version.number}: de versie waarover uw raad besloot" in page
    assert "versie 2 van" in page  # the lead names the base the council decided on
    assert "Er is 1 zin nieuw of anders geschreven." in page and SUMMARY in page
    assert "„Ze koken ook zelf.”" in page


def test_the_changes_page_offers_last_years_plan(client, world):
    quality = world.people["quality"]
    plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework, by=quality)
    services.update_section(plan=plan, key="wonen-en-welzijn", body="Alles nieuw dit jaar.", summary="Nieuw.",
                            base_revision=_section(plan).revision, by=quality)
    version = services.freeze_version(plan=plan, by=quality, note="")
    login(client, quality)
    page = client.get(reverse("plans:version_changes", args=[version.pk])).content.decode()
    assert f"?sinds={world.version.pk}" in page and "Het plan van 2027" in page
    assert "Er is 1 zin nieuw of anders geschreven." in page
    # No word-for-word diff across two plans: that page compares versions of one plan.
    assert reverse("plans:version_diff", args=[version.pk]) not in page


def test_another_organisations_version_is_never_a_base(client, world):
    from samenplan.frameworks.models import Framework

    outsider = world.people["outsider"]
    other_plan = services.create_plan(organisation=world.other_organisation, year=2027, by=outsider,
                                      framework=Framework.objects.get(key=world.plan.framework.key, organisation=None))
    other_version = services.freeze_version(plan=other_plan, by=outsider, note="")
    login(client, world.people["platform_admin"])
    url = reverse("plans:version_changes", args=[world.version.pk])
    assert client.get(url, {"sinds": other_version.pk}).status_code == 404
    assert client.get(url, {"sinds": "x"}).status_code == 404
    assert client.get(url, {"sinds": world.version.pk}).status_code == 404


def test_the_changes_page_without_an_earlier_version_says_so(client, world):
    login(client, world.people["peer_reviewer"])
    response = client.get(reverse("plans:version_changes", args=[world.version.pk]))
    assert response.status_code == 200
    assert "Er is nog geen eerdere versie om mee te vergelijken." in response.content.decode()
