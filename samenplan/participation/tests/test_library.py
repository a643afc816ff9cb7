"""The learning network's library: who may share (only an adopted version, only the organisation's
board and quality staff), who may read (network members, not the councils, the care office or
outsiders), comments, copying a section into one's own draft, withdrawal and query counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory
from samenplan.audit.models import AuditEvent
from samenplan.audit.timeline import describe
from samenplan.consent.tests.adopted import adopt_plan_of_world
from samenplan.core import pagecache
from samenplan.core.tests.world import login
from samenplan.frameworks.models import Framework
from samenplan.participation import selectors, services
from samenplan.participation.models import LibraryComment, LibraryEntry, SectionCopy
from samenplan.plans import services as plan_services
from samenplan.plans.services import EditConflict

NOTE = {"who_took_part": "De cliëntenraad, de VAR en twee teams.", "how_signals": "Gesprekken aan tafel.",
        "do_differently": "Eerder beginnen."}


@pytest.fixture
def adopted(world):
    return adopt_plan_of_world(world)


@pytest.fixture
def entry(world, adopted):
    (entry,) = services.share_in_library(plan=world.plan, by=world.people["quality"], **NOTE)
    return entry


@pytest.fixture
def peer_quality(world):
    """Quality staff of Stichting Het Anker, with a draft plan of their own."""
    user = UserFactory(username="kwaliteit-anker", first_name="Karin", last_name="Anker")
    add_membership(user=user, role=Role.QUALITY_STAFF, organisation=world.peer_organisation)
    framework = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None)
    user.draft = plan_services.create_plan(organisation=world.peer_organisation, year=2027, framework=framework,
                                           by=user)
    return user


@pytest.mark.django_db
def test_the_quality_staff_shares_the_adopted_version_with_a_note(world, adopted, entry):
    assert entry.version == adopted.version and entry.network == world.network
    assert entry.who_took_part == NOTE["who_took_part"]
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.PLAN_SHARED_IN_LIBRARY).get()
    assert describe(event) == f"{event.actor_name} deelde versie {adopted.version.number} in de bibliotheek van " \
                              "Lerend netwerk Rivierenland."


@pytest.mark.django_db
def test_a_plan_that_is_not_adopted_cannot_be_shared(world):
    with pytest.raises(ValidationError) as refused:
        services.share_in_library(plan=world.plan, by=world.people["quality"], **NOTE)
    assert "version" in refused.value.error_dict
    assert not LibraryEntry.objects.exists()


@pytest.mark.django_db
def test_sharing_needs_at_least_one_part_of_the_note(world, adopted):
    with pytest.raises(ValidationError) as refused:
        services.share_in_library(plan=world.plan, by=world.people["board"])
    assert "who_took_part" in refused.value.error_dict


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["location_manager", "council_member", "peer_reviewer", "outsider"])
def test_only_the_board_and_quality_staff_share(world, adopted, persona):
    with pytest.raises(PermissionDenied):
        services.share_in_library(plan=world.plan, by=world.people[persona], **NOTE)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["quality", "location_manager", "peer_reviewer", "uninvited_peer"])
def test_network_members_read_the_library_and_the_entry(world, entry, client, persona):
    login(client, world.people[persona])
    page = client.get(f"/netwerken/{world.network.pk}/bibliotheek/")
    assert page.status_code == 200 and "Kwaliteitsplan 2027 van Zorggroep De Linde" in page.content.decode()
    page = client.get(f"/bibliotheek/{entry.pk}/")
    assert page.status_code == 200
    assert NOTE["how_signals"] in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["council_member", "council_secretary", "works_council_member", "care_office",
                                     "outsider", "other_care_office"])
def test_councils_the_care_office_and_outsiders_see_nothing(world, entry, client, persona):
    login(client, world.people[persona])
    assert client.get(f"/netwerken/{world.network.pk}/bibliotheek/").status_code == 404
    assert client.get(f"/bibliotheek/{entry.pk}/").status_code == 404
    assert client.get(f"/api/v1/library/{entry.pk}").status_code == 404
    with pytest.raises(Http404):
        selectors.get_library_entry_for_user(world.people[persona], entry.pk)


@pytest.mark.django_db
def test_a_peer_comments_with_name_and_organisation(world, entry, client):
    login(client, world.people["peer_reviewer"])
    response = client.post(f"/bibliotheek/{entry.pk}/", {"body": "Hoe kreeg u de teams mee? <b>vet</b>"})
    assert response.status_code == 302
    comment = LibraryComment.objects.get()
    assert comment.organisation == world.peer_organisation
    page = client.get(f"/bibliotheek/{entry.pk}/").content.decode()
    assert "Stichting Het Anker" in page and "&lt;b&gt;vet&lt;/b&gt;" in page


@pytest.mark.django_db
def test_an_empty_comment_gets_a_message_and_keeps_the_page(world, entry, client):
    login(client, world.people["peer_reviewer"])
    response = client.post(f"/bibliotheek/{entry.pk}/", {"body": "  "})
    assert response.status_code == 400
    assert "Schrijf uw reactie." in response.content.decode()


@pytest.mark.django_db
def test_copying_appends_the_text_records_the_source_and_shows_the_note(world, entry, peer_quality, client):
    section = peer_quality.draft.sections.get(key="wonen-en-welzijn")
    plan_services.update_section(plan=peer_quality.draft, key=section.key, body="Onze eigen tekst.",
                                 base_revision=section.revision, by=peer_quality)
    login(client, peer_quality)
    response = client.post(f"/bibliotheek/{entry.pk}/overnemen/",
                           {"section_key": "wonen-en-welzijn", "plan": peer_quality.draft.pk})
    assert response.status_code == 302
    section.refresh_from_db()
    source = next(s for s in entry.version.snapshot["sections"] if s["key"] == "wonen-en-welzijn")
    assert section.body == "Onze eigen tekst.\n\n" + source["body"].strip()
    copy = SectionCopy.objects.get()
    assert (copy.entry, copy.source_organisation, copy.copied_by) == (entry, "Zorggroep De Linde", peer_quality)
    page = client.get(response["Location"]).content.decode()
    assert "Een deel van deze tekst komt uit het kwaliteitsplan 2027 van Zorggroep De Linde." in page
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.SECTION_COPIED).get()
    assert event.plan_id == peer_quality.draft.pk
    assert "uit het kwaliteitsplan 2027 van Zorggroep De Linde" in describe(event)


@pytest.mark.django_db
def test_a_copy_on_an_outdated_revision_is_a_conflict_and_changes_nothing(world, entry, peer_quality, client):
    section = peer_quality.draft.sections.get(key="wonen-en-welzijn")
    with pytest.raises(EditConflict):
        services.copy_from_library(entry=entry, by=peer_quality, section_key="wonen-en-welzijn",
                                   target_plan=peer_quality.draft, base_revision=section.revision + 5)
    assert not SectionCopy.objects.exists()
    login(client, peer_quality)
    response = client.post(f"/api/v1/library/{entry.pk}/copy", {"section_key": "wonen-en-welzijn",
                           "plan_id": peer_quality.draft.pk, "base_revision": 99}, content_type="application/json")
    assert response.status_code == 409 and response.json()["revision"] == section.revision
    assert not SectionCopy.objects.exists()


@pytest.mark.django_db
def test_a_peer_without_an_editable_plan_cannot_copy(world, entry, client):
    login(client, world.people["peer_reviewer"])
    assert client.get(f"/bibliotheek/{entry.pk}/overnemen/").status_code == 403


@pytest.mark.django_db
def test_a_withdrawn_entry_vanishes_and_copies_keep_their_note(world, entry, peer_quality, client):
    services.copy_from_library(entry=entry, by=peer_quality, section_key="wonen-en-welzijn",
                               target_plan=peer_quality.draft)
    services.withdraw_from_library(entry=entry, by=world.people["board"])
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LIBRARY_SHARE_WITHDRAWN).exists()
    login(client, peer_quality)
    assert "Zorggroep De Linde" not in client.get(f"/netwerken/{world.network.pk}/bibliotheek/").content.decode()
    assert client.get(f"/bibliotheek/{entry.pk}/").status_code == 404
    assert client.get(f"/api/v1/networks/{world.network.pk}/library").json() == []
    page = client.get(f"/plannen/{peer_quality.draft.pk}/onderdelen/wonen-en-welzijn/").content.decode()
    assert "komt uit het kwaliteitsplan 2027 van Zorggroep De Linde" in page


@pytest.mark.django_db
def test_the_library_filters_by_year_and_theme(world, entry, client):
    login(client, world.people["peer_reviewer"])
    url = f"/netwerken/{world.network.pk}/bibliotheek/"
    assert "Zorggroep De Linde" in client.get(url + "?jaar=2027&thema=veiligheid").content.decode()
    assert "Zorggroep De Linde" not in client.get(url + "?jaar=2026").content.decode()
    api = client.get(f"/api/v1/networks/{world.network.pk}/library?theme=nergens").json()
    assert api == []


@pytest.mark.django_db
def test_the_plan_page_offers_sharing_and_withdrawing_to_the_staff(world, entry, client):
    login(client, world.people["quality"])
    page = client.get(f"/plannen/{world.plan.pk}/").content.decode()
    assert f"/bibliotheek/{entry.pk}/intrekken/" in page
    login(client, world.people["location_manager"])
    assert "Bibliotheek van het lerend netwerk" not in client.get(f"/plannen/{world.plan.pk}/").content.decode()


@pytest.mark.django_db
def test_the_api_shares_comments_and_copies_through_the_services(world, adopted, peer_quality, client):
    login(client, world.people["quality"])
    response = client.post(f"/api/v1/plans/{world.plan.pk}/library", {"who_took_part": "Iedereen."},
                           content_type="application/json")
    assert response.status_code == 201
    entry_id = response.json()[0]["id"]
    login(client, peer_quality)
    assert client.post(f"/api/v1/library/{entry_id}/comments", {"body": "Dank!"},
                       content_type="application/json").status_code == 201
    response = client.post(f"/api/v1/library/{entry_id}/copy", {"section_key": "veiligheid",
                           "plan_id": peer_quality.draft.pk}, content_type="application/json")
    assert response.status_code == 201 and response.json()["source_organisation"] == "Zorggroep De Linde"
    detail = client.get(f"/api/v1/library/{entry_id}").json()
    assert detail["comments"][0]["organisation"]["name"] == "Stichting Het Anker"
    assert detail["content"]["plan"]["year"] == 2027


@pytest.mark.django_db
def test_the_api_names_the_field_of_bad_input(world, client):
    login(client, world.people["quality"])
    response = client.post(f"/api/v1/plans/{world.plan.pk}/library", {"who_took_part": "x"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "version" in str(response.json())


@pytest.mark.django_db
def test_a_network_id_beyond_the_databases_range_names_the_field(world, adopted, client):
    login(client, world.people["quality"])
    response = client.post(f"/api/v1/plans/{world.plan.pk}/library", {"who_took_part": "Iedereen.",
                           "network_ids": [2**63 + 5]}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body.network_ids"
    assert not LibraryEntry.objects.exists()


def _queries(client, url) -> int:
    pagecache.clear()
    client.get(url)
    pagecache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_the_library_page_and_the_entry_page_make_as_many_queries_for_more(world, entry, peer_quality, client):
    login(client, world.people["peer_reviewer"])
    library, detail = f"/netwerken/{world.network.pk}/bibliotheek/", f"/bibliotheek/{entry.pk}/"
    services.comment_in_library(entry=entry, by=world.people["peer_reviewer"], body="Eerste.")
    small = (_queries(client, library), _queries(client, detail))
    for n in range(5):
        services.comment_in_library(entry=entry, by=world.people["uninvited_peer"], body=f"Reactie {n}.")
    # More entries: another organisation's shared plans, made directly, and more sections with text.
    framework = Framework.objects.get(key="kwaliteitskader-verpleeghuiszorg-2017", organisation=None)
    for year in (2025, 2026):
        plan = peer_quality.draft if year == 2026 else world.plan.__class__.objects.create(
            organisation=world.peer_organisation, year=year, framework=framework)
        LibraryEntry.objects.create(network=world.network, version=entry.version, plan=plan,
                                    organisation=world.peer_organisation, year=year,
                                    shared_by=world.people["quality"], who_took_part="Samen.")
    assert (_queries(client, library), _queries(client, detail)) == small
