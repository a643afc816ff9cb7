"""The care office's portal: only its own regions, the state of every plan, who is late, filters,
sorting, search, the completeness view, the comparison, the staffing page, and the year settings
that change what the checker blocks (rule 26)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from samenplan.careoffice import services
from samenplan.careoffice.models import CareOfficeYear
from samenplan.compliance import CheckContext, check
from samenplan.consent.selectors import check_context_for, draft_state
from samenplan.core import pagecache
from samenplan.core.tests.world import login

from .helpers import submit_plan_of_world
from .region import grow_region, set_deadline

pytestmark = pytest.mark.shared_world

THIS_YEAR = timezone.localdate().year


def _portal(world, **query):
    return reverse("careoffice:portal", args=[world.care_office.pk]), query


def _get(client, world, **query):
    url, params = _portal(world, **query)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def _names(response):
    return [row.name for row in response.context["page"].object_list]


def test_the_overview_lists_every_organisation_of_the_region_with_its_state(world, client):
    grow_region(world, 6, year=THIS_YEAR)
    login(client, world.people["care_office"])
    response = _get(client, world, year=THIS_YEAR)
    states = {row.name: row.state for row in response.context["page"].object_list}
    assert states["Regio-organisatie 000 none"] == "not_started"
    assert states["Regio-organisatie 001 draft"] == "draft"
    assert states["Regio-organisatie 002 consent"] == "consent"
    assert states["Regio-organisatie 003 adopted"] == "adopted"
    assert states["Regio-organisatie 004 submitted"] == "submitted"
    assert states["Regio-organisatie 005 dialogue"] == "in_dialogue"
    assert "Zorgcentrum Elders" not in states  # another region
    assert "In dialoog" in response.content.decode()


def test_another_care_office_sees_none_of_the_region(world, client):
    grow_region(world, 3, year=THIS_YEAR)
    login(client, world.people["other_care_office"])
    assert client.get(reverse("careoffice:portal", args=[world.care_office.pk])).status_code == 404
    own = world.people["other_care_office"].memberships.get().care_office
    response = client.get(reverse("careoffice:portal", args=[own.pk]), {"year": THIS_YEAR})
    assert _names(response) == ["Zorgcentrum Elders"]


@pytest.mark.parametrize("persona", ["board", "quality", "council_member", "peer_reviewer", "outsider"])
def test_no_organisation_user_sees_the_portal(world, client, persona):
    login(client, world.people[persona])
    for name in ("portal", "portal_export", "staffing"):
        assert client.get(reverse(f"careoffice:{name}", args=[world.care_office.pk])).status_code in (403, 404)


def test_who_is_late_after_the_deadline_is_shown_in_words(world, client):
    grow_region(world, 6, year=THIS_YEAR)
    set_deadline(world, THIS_YEAR, timezone.localdate() - timedelta(days=1))
    login(client, world.people["care_office"])
    response = _get(client, world, year=THIS_YEAR, late="on")
    names = _names(response)
    assert "Regio-organisatie 003 adopted" in names and "Regio-organisatie 000 none" in names
    assert "Regio-organisatie 004 submitted" not in names and "Regio-organisatie 005 dialogue" not in names
    assert "Te laat" in response.content.decode()


def test_before_the_deadline_nobody_is_late(world, client):
    grow_region(world, 6, year=THIS_YEAR)
    set_deadline(world, THIS_YEAR, timezone.localdate() + timedelta(days=10))
    login(client, world.people["care_office"])
    assert _names(_get(client, world, year=THIS_YEAR, late="on")) == []
    assert "Te laat" not in _get(client, world, year=THIS_YEAR).content.decode()


def test_the_state_filter_search_and_sorting(world, client):
    grow_region(world, 12, year=THIS_YEAR)
    login(client, world.people["care_office"])
    assert _names(_get(client, world, year=THIS_YEAR, state="submitted")) == [
        "Regio-organisatie 004 submitted", "Regio-organisatie 010 submitted"]
    # A location's name finds its organisation.
    assert _names(_get(client, world, year=THIS_YEAR, q="Locatie 007-1")) == ["Regio-organisatie 007 draft"]
    descending = _names(_get(client, world, year=THIS_YEAR, sort="name", order="desc"))
    assert descending == sorted(descending, reverse=True)
    by_state = [row.state for row in _get(client, world, year=THIS_YEAR, sort="state").context["page"].object_list]
    assert by_state.index("not_started") < by_state.index("draft") < by_state.index("in_dialogue")


def test_the_search_finds_an_organisation_by_part_of_its_name_in_any_case(world, client):
    grow_region(world, 6, year=THIS_YEAR)
    login(client, world.people["care_office"])
    assert _names(_get(client, world, year=THIS_YEAR, q="de linde")) == ["Zorggroep De Linde"]
    assert _names(_get(client, world, year=THIS_YEAR, q="  004 SUBMITTED ")) == ["Regio-organisatie 004 submitted"]
    response = _get(client, world, year=THIS_YEAR, q="Elders")  # another care office's region
    assert _names(response) == []
    assert 'value="Elders"' in response.content.decode()  # what was typed stays in the field


def test_the_deadline_holds_for_its_own_care_office_and_year_only(world, client):
    grow_region(world, 6, year=THIS_YEAR)
    yesterday = timezone.localdate() - timedelta(days=1)
    other_office = world.people["other_care_office"].memberships.get().care_office
    CareOfficeYear.objects.create(care_office=other_office, year=THIS_YEAR, deadline=yesterday)
    set_deadline(world, THIS_YEAR - 1, yesterday)
    login(client, world.people["care_office"])
    assert _names(_get(client, world, year=THIS_YEAR, late="on")) == []
    (region,) = client.get(f"/api/v1/careoffice/plans?year={THIS_YEAR}").json()
    assert region["deadline"] is None and not any(p["late"] for p in region["plans"])
    client.logout()
    login(client, world.people["other_care_office"])
    response = client.get(reverse("careoffice:portal", args=[other_office.pk]), {"year": THIS_YEAR, "late": "on"})
    assert _names(response) == ["Zorgcentrum Elders"]
    (region,) = client.get(f"/api/v1/careoffice/plans?year={THIS_YEAR}").json()
    assert region["deadline"] == yesterday.isoformat() and region["plans"][0]["late"] is True


def test_the_attention_filter_shows_submissions_with_warnings(world, client):
    grow_region(world, 6, year=THIS_YEAR, warnings=2)
    login(client, world.people["care_office"])
    assert _names(_get(client, world, year=THIS_YEAR, attention="on")) == [
        "Regio-organisatie 004 submitted", "Regio-organisatie 005 dialogue"]


def test_a_wrong_filter_value_shows_the_whole_overview(world, client):
    login(client, world.people["care_office"])
    response = _get(client, world, year="twintig", state="weg")
    assert "Zorggroep De Linde" in _names(response)


def _queries(client, url) -> int:
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_overview_makes_as_many_queries_for_30_organisations_as_for_3(world, client):
    url = reverse("careoffice:portal", args=[world.care_office.pk]) + f"?year={THIS_YEAR}"
    grow_region(world, 3, year=THIS_YEAR, locations=1)
    login(client, world.people["care_office"])
    client.get(url)
    small = _queries(client, url)
    grow_region(world, 27, year=THIS_YEAR, locations=6)
    large = _queries(client, url)
    assert large == small
    staffing_url = reverse("careoffice:staffing", args=[world.care_office.pk])
    assert _queries(client, staffing_url) == _queries(client, staffing_url)



def test_the_filtered_and_sorted_overview_and_its_api_make_as_many_queries_for_60_organisations_as_for_6(
        world, client):
    base = reverse("careoffice:portal", args=[world.care_office.pk])
    urls = [f"{base}?year={THIS_YEAR}&sort=state&order=desc", f"{base}?year={THIS_YEAR}&sort=locations",
            f"{base}?year={THIS_YEAR}&state=submitted", f"{base}?year={THIS_YEAR}&late=on&attention=on",
            f"{base}?year={THIS_YEAR}&q=Locatie", f"{base}?year={THIS_YEAR}&pagina=2",
            f"/api/v1/careoffice/plans?year={THIS_YEAR}", "/api/v1/careoffice/plans"]
    set_deadline(world, THIS_YEAR, timezone.localdate() - timedelta(days=1))
    # Six: one organisation in each state, so no filter finds nothing (an empty page skips queries).
    grow_region(world, 6, year=THIS_YEAR, locations=1, warnings=1)
    login(client, world.people["care_office"])
    for url in urls:
        client.get(url)
    small = {url: _queries(client, url) for url in urls}
    # More than a page of organisations, more locations each, and plans of another year too.
    grow_region(world, 54, year=THIS_YEAR, locations=6, warnings=2)
    grow_region(world, 5, year=THIS_YEAR + 1, locations=2)
    large = {url: _queries(client, url) for url in urls}
    assert large == small
    (region,) = client.get(f"/api/v1/careoffice/plans?year={THIS_YEAR}").json()
    assert len(region["plans"]) > 60


def test_the_staffing_comparison_gives_fte_per_place_as_table_and_chart(world, client):
    grow_region(world, 6, year=THIS_YEAR, locations=2)
    login(client, world.people["care_office"])
    response = client.get(reverse("careoffice:staffing", args=[world.care_office.pk]))
    body = response.content.decode()
    line = next(li for li in response.context["lines"] if li.organisation.name == "Regio-organisatie 004 submitted")
    assert line.submitted and line.places == 41
    assert str(line.per_place["level3_fte"]) == "0.244"  # 10 fte on 41 places
    assert "<svg" in body and "<title" in body and "<desc" in body and "<caption>" in body
    assert 'pattern id="staffing-level-0"' in body


def test_the_completeness_view_shows_evidence_findings_history_and_text(world, client):
    submission = submit_plan_of_world(world)
    login(client, world.people["care_office"])
    response = client.get(reverse("careoffice:plan", args=[world.plan.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert submission.sha256 in body
    assert "Centrale cliëntenraad" in body and "Stichting Het Anker" in body
    assert "Geschiedenis van de indieningen" in body
    assert "Bewoners eten samen" in body  # the submitted text
    for persona in ("board", "quality", "council_secretary"):
        name = world.people[persona].get_full_name()
        if name:
            assert name not in body


def test_the_completeness_view_shows_each_finding_and_the_hash_of_each_piece_of_evidence(world, client):
    submission = submit_plan_of_world(world)
    login(client, world.people["care_office"])
    body = client.get(reverse("careoffice:plan", args=[world.plan.pk])).content.decode()
    evidence = submission.evidence
    assert evidence["consent"] and evidence["peer_reviews"] and evidence["findings"]
    for item in evidence["consent"] + evidence["peer_reviews"]:
        assert item["sha256"] in body
    for finding in evidence["findings"]:
        assert escape(finding["message"]) in body


def test_the_completeness_view_links_the_session_being_prepared_instead_of_planning_another(world, client):
    from samenplan.careoffice import dialogue_services
    from samenplan.careoffice.tests.dialogue_helpers import in_days

    submit_plan_of_world(world)
    login(client, world.people["care_office"])
    url = reverse("careoffice:plan", args=[world.plan.pk])
    new_session = reverse("careoffice:dialogue_new", args=[world.plan.pk])
    assert new_session in client.get(url).content.decode()
    session = dialogue_services.start_dialogue(plan=world.plan, by=world.people["care_office"],
                                               proposed_dates=[in_days(9)], place="Kantoor")
    body = client.get(url).content.decode()
    assert new_session not in body
    assert reverse("careoffice:dialogue", args=[session.pk]) in body and "Dialoogsessie: Data voorgesteld" in body


def test_a_plan_never_submitted_is_not_for_the_care_office(world, client):
    login(client, world.people["care_office"])
    assert client.get(reverse("careoffice:plan", args=[world.plan.pk])).status_code == 404


def test_two_submitted_versions_are_compared(world, client):
    first = submit_plan_of_world(world)
    second = submit_plan_of_world(world)
    login(client, world.people["care_office"])
    response = client.get(reverse("careoffice:compare", args=[world.plan.pk]),
                          {"a": first.version_id, "b": second.version_id})
    assert response.status_code == 200
    assert "Herzien" in response.content.decode()
    # A version never submitted cannot be asked for.
    response = client.get(reverse("careoffice:compare", args=[world.plan.pk]),
                          {"a": world.first_version.pk, "b": second.version_id})
    assert response.status_code == 404


def test_the_care_office_answers_from_its_page(world, client):
    submission = submit_plan_of_world(world)
    login(client, world.people["care_office"])
    url = reverse("careoffice:respond", args=[submission.pk])
    response = client.post(url, {"outcome": "correction_requested", "reason": ""})
    assert response.status_code == 400
    assert "Schrijf op wat de organisatie moet verbeteren." in response.content.decode()
    assert f'action="{url}"' in response.content.decode()
    response = client.post(url, {"outcome": "received"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "received"


def test_the_settings_page_keeps_what_was_typed_on_an_error(world, client):
    login(client, world.people["care_office"])
    url = reverse("careoffice:settings", args=[world.care_office.pk])
    response = client.post(url, {"year": "2028", "deadline": "", "plan_format": "free"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul de datum in waarvóór de plannen binnen moeten zijn." in body
    assert 'value="2028"' in body
    response = client.post(url, {"year": "2028", "deadline": "2028-01-31", "plan_format": "free"})
    assert response.status_code == 302
    assert CareOfficeYear.objects.get(care_office=world.care_office, year=2028).plan_format == "free"


def test_the_free_form_setting_turns_content_rules_into_warnings(world):
    snapshot, sha256 = draft_state(world.plan)
    strict = check(snapshot, check_context_for(world.plan, sha256))
    assert any(f.rule in ("R13", "R14", "R15") and f.severity == "block" for f in strict)
    services.set_care_office_year(care_office=world.care_office, by=world.people["care_office"],
                                  year=world.plan.year, deadline=timezone.localdate(), plan_format="free")
    free = check(snapshot, check_context_for(world.plan, sha256))
    assert not any(f.rule in ("R13", "R14", "R15") and f.severity == "block" for f in free)
    assert any(f.rule == "R13" and f.severity == "warn" for f in free)
    # Under free form an empty theme is no finding at all: the plan need not follow the themes.
    assert not any(f.code == "section-empty" and f.severity == "block" for f in free)


def test_the_free_form_setting_of_another_year_changes_nothing(world):
    snapshot, sha256 = draft_state(world.plan)
    set_deadline(world, world.plan.year + 1, timezone.localdate(), plan_format="free")
    assert check_context_for(world.plan, sha256).plan_format == "framework"
    assert CheckContext().plan_format == "framework"


def test_the_plan_page_shows_the_submission_panel_only_after_adoption(world, client):
    login(client, world.people["board"])
    body = client.get(world.plan.get_absolute_url()).content.decode()
    assert "Naar het zorgkantoor" not in body
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adopt_plan_of_world(world)
    body = client.get(world.plan.get_absolute_url()).content.decode()
    assert "Indienen bij het zorgkantoor" in body


def test_the_board_submits_from_the_confirmation_page(world, client):
    from samenplan.consent.tests.adopted import adopt_plan_of_world

    adoption = adopt_plan_of_world(world)
    login(client, world.people["board"])
    url = reverse("careoffice:submit", args=[world.plan.pk])
    body = client.get(url).content.decode()
    assert adoption.version.sha256 in body and "Zorgkantoor Rivierenland" in body
    response = client.post(url, {"note": "Hierbij ons plan"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == "submitted"


def test_the_confirmation_page_says_why_a_plan_cannot_go_yet(world, client):
    login(client, world.people["board"])
    url = reverse("careoffice:submit", args=[world.plan.pk])
    body = client.get(url).content.decode()
    assert "Het plan kan nog niet naar het zorgkantoor" in body
    assert "Het plan is nog niet vastgesteld." in body
    assert client.post(url, {"note": ""}).status_code == 409


# --- The overview kept per person (core/pagecache.py) -----------------------------------------


def test_the_overview_reads_only_the_tables_it_names(world, client):
    """A table read but not named would leave a kept overview out of date after a write to it."""
    from samenplan.careoffice.selectors import PORTAL_TABLES
    from samenplan.core.tests.test_pagecache import REQUEST_TABLES, tables_read

    grow_region(world, 6, year=THIS_YEAR)
    set_deadline(world, THIS_YEAR, timezone.localdate() - timedelta(days=1))
    login(client, world.people["care_office"])
    pagecache.clear()
    assert tables_read(client, _portal(world)[0]) - REQUEST_TABLES - PORTAL_TABLES == set()


def test_the_overview_is_kept_until_a_plan_of_its_region_changes(world, client):
    from samenplan.core.tests.test_pagecache import WHO_IS_ASKING, tables_read
    from samenplan.plans.models import QualityPlan

    made = grow_region(world, 3, year=THIS_YEAR)
    draft = QualityPlan.objects.get(organisation=made[1], year=THIS_YEAR)
    login(client, world.people["care_office"])
    url = _portal(world)[0]
    pagecache.clear()
    before = _names(client.get(url))
    assert "Regio-organisatie 002 consent" in before
    assert tables_read(client, url) <= WHO_IS_ASKING
    # A plan outside the care office's regions leaves the overview kept.
    QualityPlan.objects.create(organisation=world.other_organisation, year=THIS_YEAR, framework=draft.framework)
    assert tables_read(client, url) <= WHO_IS_ASKING
    # A plan of the region shows its new state at once, as does a new organisation in the region.
    draft.status = QualityPlan.Status.CONSENT
    draft.save()
    states = {row.name: row.state for row in client.get(url).context["page"].object_list}
    assert states["Regio-organisatie 001 draft"] == "consent"
    grow_region(world, 1, year=THIS_YEAR)
    assert len(_names(client.get(url))) == len(before) + 1
    # Filters are a query string: never kept.
    assert "careoffice_submission" in tables_read(client, url + f"?year={THIS_YEAR}")


def test_a_kept_overview_is_never_another_persons(world, client):
    grow_region(world, 2, year=THIS_YEAR)
    login(client, world.people["care_office"])
    url = _portal(world)[0]
    assert client.get(url).status_code == 200
    login(client, world.people["other_care_office"])
    assert client.get(url).status_code == 404
