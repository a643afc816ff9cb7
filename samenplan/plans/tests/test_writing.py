"""Writing the plan: carry-over from last year, edit conflicts, frozen versions."""

import json

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from samenplan.core.tests.world import login
from samenplan.frameworks.models import Framework
from samenplan.organisations.tests.factories import LocationFactory
from samenplan.plans import services
from samenplan.plans.models import ImprovementAction, PlanVersion, QualityPlan, VersionImmutable
from samenplan.plans.snapshot import build_snapshot, load_plan_for_snapshot

pytestmark = pytest.mark.shared_world


@pytest.fixture
def quality(world):
    return world.people["quality"]


def test_a_new_plan_has_every_section_of_its_framework_and_a_paragraph_per_active_location(world, quality):
    LocationFactory(organisation=world.organisation, name="Gesloten huis", is_active=False)
    framework = Framework.objects.get(key="generiek-kompas-2024", organisation=None)
    plan = services.create_plan(organisation=world.organisation, year=2030, framework=framework, by=quality)
    assert [s.key for s in plan.sections.all()] == [s.key for s in framework.sections.all()]
    assert {p.location.name for p in plan.improvement_paragraphs.all()} == {"De Linde", "Het Wilgenhof"}


def test_next_years_plan_starts_from_this_one_and_carries_unfinished_actions(world, quality):
    plan = world.plan
    done = services.save_action(plan=plan, location=world.location, by=quality, title="Klaar", status="done")
    stopped = services.save_action(plan=plan, location=world.location, by=quality, title="Gestopt", status="stopped")
    busy = services.save_action(plan=plan, location=world.location, by=quality, title="Bezig", status="in_progress",
                                owner="Teamleider", due_quarter="2027-Q4", source="client_council")
    next_plan = services.create_plan(organisation=world.organisation, year=2028, framework=plan.framework, by=quality)

    assert next_plan.previous == plan
    assert next_plan.sections.get(key="wonen-en-welzijn").body == plan.sections.get(key="wonen-en-welzijn").body
    carried = ImprovementAction.objects.filter(paragraph__plan=next_plan)
    assert {a.title for a in carried} == {"Samen koken op de afdeling", "Bezig"}
    bezig = carried.get(title="Bezig")
    assert bezig.carried_over_from == busy and bezig.is_carried_over
    assert (bezig.status, bezig.owner, bezig.source) == ("in_progress", "Teamleider", "client_council")
    assert bezig.due_quarter == ""  # a new year needs a new date
    assert not carried.filter(carried_over_from__in=[done, stopped]).exists()


def test_the_snapshot_names_the_action_an_action_was_carried_over_from(world, quality):
    busy = services.save_action(plan=world.plan, location=world.location, by=quality, title="Bezig",
                                status="in_progress", owner="Teamleider", due_quarter="2027-Q4")
    next_plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                     by=quality)
    ImprovementAction.objects.filter(pk=busy.pk).update(status="done")

    actions = {a["title"]: a for p in build_snapshot(load_plan_for_snapshot(next_plan.pk))["improvement_paragraphs"]
               for a in p["actions"]}
    assert actions["Bezig"]["carried_over_from"] == {"id": busy.pk, "year": 2027, "status": "done"}
    assert actions["Bezig"]["status"] == "in_progress"
    own = services.save_action(plan=next_plan, location=world.location, by=quality, title="Nieuw")
    paragraph = next(p for p in build_snapshot(load_plan_for_snapshot(next_plan.pk))["improvement_paragraphs"]
                     if p["location_id"] == world.location.pk)
    assert [a["title"] for a in paragraph["actions"]][-1] == own.title
    assert paragraph["actions"][-1]["carried_over_from"] is None


def test_the_paragraph_page_shows_where_an_action_came_from(world, quality, client):
    next_plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                     by=quality)
    login(client, quality)
    page = client.get(reverse("plans:paragraph", args=[next_plan.pk, world.location.pk])).content.decode()
    assert "Overgenomen" in page and "uit het plan van 2027" in page


def test_each_location_starts_from_its_own_paragraph_text_of_last_year(world, quality):
    services.update_paragraph(plan=world.plan, location=world.location, by=quality,
                              body="De Linde gaat elke week met bewoners naar buiten.")
    wilgenhof = world.organisation.locations.get(name="Het Wilgenhof")
    services.update_paragraph(plan=world.plan, location=wilgenhof, by=quality,
                              body="Het Wilgenhof werkt aan vaste gezichten.")
    next_plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                     by=quality)
    bodies = dict(next_plan.improvement_paragraphs.values_list("location__name", "body"))
    assert bodies == {"De Linde": "De Linde gaat elke week met bewoners naar buiten.",
                      "Het Wilgenhof": "Het Wilgenhof werkt aan vaste gezichten."}
    # Last year's text stays as it was: the new plan has copies of its own.
    assert world.plan.improvement_paragraphs.get(location=world.location).body.startswith("De Linde gaat")


def test_a_new_location_starts_with_an_empty_paragraph(world, quality):
    new = LocationFactory(organisation=world.organisation, name="De Nieuwe Hof")
    next_plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                     by=quality)
    assert next_plan.improvement_paragraphs.get(location=new).body == ""


class TestDueQuarter:
    @pytest.mark.parametrize("quarter", ["2027-Q1", "2027-Q4", "2030-Q2", "2032-Q4", ""])
    def test_a_quarter_in_the_plan_year_or_the_years_after_is_accepted(self, world, quality, quarter):
        action = services.save_action(plan=world.plan, location=world.location, by=quality, title="Tuin",
                                      due_quarter=quarter)
        assert action.due_quarter == quarter

    def test_a_quarter_before_the_plan_year_is_refused_naming_the_year(self, world, quality):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as refused:
            services.save_action(plan=world.plan, location=world.location, by=quality, title="Tuin",
                                 due_quarter="2026-Q4")
        assert refused.value.message_dict == {"due_quarter": [
            "Dit is het plan voor 2027. Kies een kwartaal in 2027 of later, bijvoorbeeld 2027-Q2."]}

    def test_a_quarter_too_far_ahead_is_refused(self, world, quality):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="tot en met 2032-Q4"):
            services.save_action(plan=world.plan, location=world.location, by=quality, title="Tuin",
                                 due_quarter="2033-Q1")

    def test_the_form_shows_the_plans_own_year(self, world, quality, client):
        next_plan = services.create_plan(organisation=world.organisation, year=2028, framework=world.plan.framework,
                                         by=quality)
        action = next_plan.improvement_paragraphs.get(location=world.location).actions.first()
        login(client, quality)
        html = client.get(reverse("plans:action", args=[next_plan.pk, action.pk])).content.decode()
        assert 'placeholder="2028-Q2"' in html
        assert "Een kwartaal in 2028 of later, bijvoorbeeld 2028-Q2." in html

    def test_the_page_names_the_plan_year_and_keeps_what_was_typed(self, world, quality, client):
        login(client, quality)
        url = reverse("plans:action", args=[world.plan.pk, world.action.pk])
        response = client.post(url, {"title": "Samen koken op de afdeling", "goal": "Elke week samen koken.",
                                     "due_quarter": "2025-Q3", "status": "planned", "source": "own"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Dit is het plan voor 2027. Kies een kwartaal in 2027 of later" in html
        assert 'value="2025-Q3"' in html and "Elke week samen koken." in html
        world.action.refresh_from_db()
        assert world.action.due_quarter != "2025-Q3"

    def test_the_api_answers_400_naming_the_field(self, world, quality, client):
        login(client, quality)
        response = client.put(f"/api/v1/plans/{world.plan.pk}/improvement-paragraphs/{world.location.pk}",
                              json.dumps({"body": "", "actions": [{"title": "Tuin", "due_quarter": "2020-Q1"}]}),
                              content_type="application/json")
        assert response.status_code == 400
        assert response.json()["errors"] == [{
            "field": "body.due_quarter",
            "message": "Dit is het plan voor 2027. Kies een kwartaal in 2027 of later, bijvoorbeeld 2027-Q2."}]


def test_one_plan_per_year(world, quality):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Er is al een kwaliteitsplan voor dit jaar"):
        services.create_plan(organisation=world.organisation, year=2027, framework=world.plan.framework, by=quality)


class TestEditConflict:
    def test_the_second_save_on_an_old_base_keeps_both_texts(self, world, quality):
        first = services.update_section(plan=world.plan, key="veiligheid", body="Tekst van Sanne.", base_revision=0,
                                        by=quality)
        with pytest.raises(services.EditConflict) as clash:
            services.update_section(plan=world.plan, key="veiligheid", body="Tekst van Marieke.", base_revision=0,
                                    by=world.people["board"])
        assert clash.value.section.body == "Tekst van Sanne."
        assert clash.value.attempted_body == "Tekst van Marieke."
        assert world.plan.sections.get(key="veiligheid").revision == first.revision == 1

    def test_the_page_shows_both_texts_and_keeps_what_was_typed(self, world, quality, client):
        services.update_section(plan=world.plan, key="veiligheid", body="Tekst van Sanne.", base_revision=0, by=quality)
        login(client, world.people["board"])
        url = reverse("plans:section", args=[world.plan.pk, "veiligheid"])
        response = client.post(url, {"body": "Tekst van Marieke.", "base_revision": "0"})
        content = response.content.decode()
        assert response.status_code == 409
        assert "Iemand anders heeft deze tekst intussen opgeslagen" in content
        assert content.count("Tekst van Marieke.") >= 2  # in the comparison and still in the text box
        assert "Tekst van Sanne." in content
        assert 'name="base_revision" value="1"' in content

    def test_the_api_answers_409_with_the_current_text(self, world, quality, client):
        services.update_section(plan=world.plan, key="veiligheid", body="Nieuw.", base_revision=0, by=quality)
        login(client, world.people["board"])
        response = client.patch(f"/api/v1/plans/{world.plan.pk}/sections/veiligheid",
                                json.dumps({"body": "Ook nieuw.", "base_revision": 0}), content_type="application/json")
        assert response.status_code == 409
        body = response.json()
        assert body["current"]["body"] == "Nieuw." and body["current"]["revision"] == 1
        assert body["attempted_body"] == "Ook nieuw."


class TestVersions:
    def test_the_hash_is_the_sha256_of_the_stored_canonical_json(self, world):
        version = PlanVersion.objects.get(pk=world.version.pk)
        assert version.verify()
        assert PlanVersion.hash_of(PlanVersion.canonical(json.loads(version.content))) == version.sha256
        assert version.snapshot["plan"]["year"] == 2027

    def test_freezing_twice_without_changes_keeps_the_last_version(self, world, quality):
        with pytest.raises(services.NothingChanged) as unchanged:
            services.freeze_version(plan=world.plan, by=quality)
        assert unchanged.value.version == world.version

    def test_a_change_after_freezing_makes_a_new_version_and_leaves_the_old_one(self, world, quality):
        services.update_section(plan=world.plan, key="veiligheid", body="Nieuw.", base_revision=0, by=quality)
        version = services.freeze_version(plan=world.plan, by=quality)
        assert version.number == 3 and version.sha256 != world.version.sha256
        assert PlanVersion.objects.get(pk=world.version.pk).content == world.version.content

    def test_a_version_cannot_be_changed_or_deleted_through_the_model(self, world):
        version = PlanVersion.objects.get(pk=world.version.pk)
        version.note = "Anders"
        with pytest.raises(VersionImmutable):
            version.save()
        with pytest.raises(VersionImmutable):
            version.delete()
        with pytest.raises(VersionImmutable):
            PlanVersion.objects.filter(pk=version.pk).update(note="Anders")
        with pytest.raises(VersionImmutable):
            PlanVersion.objects.filter(pk=version.pk).delete()

    def test_the_database_refuses_an_update(self, world):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE plans_planversion SET note = 'x' WHERE id = %s", [world.version.pk])
        assert PlanVersion.objects.get(pk=world.version.pk).note == "Voor de raden"

    def test_the_database_refuses_a_delete_on_postgresql(self, world):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite keeps deletes possible for the test flush; the model refuses them")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM plans_planversion WHERE id = %s", [world.version.pk])

    def test_a_plan_with_versions_cannot_be_deleted(self, world):
        from django.db.models import ProtectedError

        with pytest.raises(ProtectedError):
            QualityPlan.objects.get(pk=world.plan.pk).delete()

    def test_the_admin_offers_no_change_or_delete(self, world, admin_client):
        assert admin_client.get(f"/beheer/plans/planversion/{world.version.pk}/delete/").status_code in {403, 404, 302}
        response = admin_client.post(f"/beheer/plans/planversion/{world.version.pk}/change/", {"note": "Anders"})
        assert PlanVersion.objects.get(pk=world.version.pk).note == "Voor de raden"
        assert response.status_code in {200, 302, 403}


@time_machine.travel("2026-12-02 10:00 +01:00")
def test_the_new_plan_form_offers_the_first_year_without_a_plan(world, client):
    """The world has a plan for 2027: in December 2026 the form offers 2028, not a year that exists."""
    login(client, world.people["quality"])
    page = client.get(reverse("plans:list")).content.decode()
    assert 'name="year" value="2028"' in page
    world.plan.organisation.plans.filter(year=2027).update(year=2030)
    page = client.get(reverse("plans:list")).content.decode()
    assert 'name="year" value="2027"' in page
