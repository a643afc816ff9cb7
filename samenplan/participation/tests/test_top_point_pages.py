import pytest
from django.urls import reverse

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.organisations.models import Council
from samenplan.organisations.tests.factories import CouncilFactory
from samenplan.participation import services
from samenplan.participation.models import TopPoint
from samenplan.plans import services as plan_services

pytestmark = [pytest.mark.django_db, pytest.mark.shared_world]


def _url(world):
    return reverse("participation:top_points", args=[world.plan.pk])


def _answer_url(point):
    return reverse("participation:top_point_answer", args=[point.pk])


def _points(world, **extra):
    return {"council": world.client_council.pk, "location": "", "title_1": "Meer buiten zijn",
            "explanation_1": "Elke dag even naar buiten.", "title_2": "Vaste gezichten op de afdeling",
            "explanation_2": "", **extra}


# --- The top 3 ----------------------------------------------------------------------------------


def test_a_client_council_member_sees_the_top_3_and_the_form(world, login_as):
    response = login_as(world.people["council_member"]).get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="punt-{world.top_point.pk}"' in html
    assert "Meer buiten zijn" in html and "Bewoners willen elke dag naar buiten." in html
    assert "Hele organisatie" in html and "Gekozen door Centrale cliëntenraad" in html
    assert "Nog open" in html
    # The form holds the council's points; the council is fixed, as the member sits on one.
    assert 'name="title_1" value="Meer buiten zijn"' in html
    assert '<input type="hidden" name="council"' in html
    # Council members cannot open the plan itself, so the page does not link to it.
    assert f'href="/plannen/{world.plan.pk}/"' not in html
    assert _answer_url(world.top_point) not in html


def test_the_works_council_reads_the_top_3_without_a_form(world, login_as):
    html = login_as(world.people["works_council_member"]).get(_url(world)).content.decode()
    assert "Meer buiten zijn" in html
    assert 'name="title_1"' not in html


def test_authors_see_a_link_to_answer_each_point(world, login_as):
    html = login_as(world.people["quality"]).get(_url(world)).content.decode()
    assert _answer_url(world.top_point) in html
    assert 'name="title_1"' not in html


@pytest.mark.parametrize("persona", ["peer_reviewer", "uninvited_peer", "outsider", "care_office"])
def test_the_top_3_is_not_found_for_others(world, login_as, persona):
    assert login_as(world.people[persona]).get(_url(world)).status_code == 404


def test_a_member_records_the_top_3(world, login_as):
    response = login_as(world.people["council_secretary"]).post(_url(world), _points(world))
    assert response.status_code == 302
    points = list(TopPoint.objects.filter(plan=world.plan).order_by("rank"))
    assert [(p.rank, p.title) for p in points] == [(1, "Meer buiten zijn"), (2, "Vaste gezichten op de afdeling")]
    assert points[0].recorded_by == world.people["council_secretary"]


def test_a_member_records_a_top_3_for_one_location(world, login_as):
    client = login_as(world.people["council_member"])
    response = client.post(_url(world), _points(world, location=world.location.pk, title_1="Een eigen tuin",
                                                title_2=""))
    assert response.status_code == 302
    assert TopPoint.objects.get(location=world.location).title == "Een eigen tuin"
    assert TopPoint.objects.filter(location=None).count() == 1  # the organisation's point stays
    html = client.get(_url(world)).content.decode()
    assert html.index("Hele organisatie") < html.index("<h2 id=\"top3-%s-%s-kop\">De Linde" % (
        world.client_council.pk, world.location.pk))
    edit = client.get(_url(world) + f"?raad={world.client_council.pk}&locatie={world.location.pk}").content.decode()
    assert 'name="title_1" value="Een eigen tuin"' in edit
    assert f'<option value="{world.location.pk}" selected>' in edit


def test_four_points_are_refused_and_the_text_kept(world, login_as):
    data = _points(world, title_3="Lekker eten", title_4="Meer uitjes")
    response = login_as(world.people["council_member"]).post(_url(world), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies hoogstens drie verbeterpunten." in html
    assert 'value="Meer uitjes"' in html and 'value="Vaste gezichten op de afdeling"' in html
    assert list(TopPoint.objects.values_list("title", flat=True)) == ["Meer buiten zijn"]


def test_a_location_of_another_organisation_is_refused(world, login_as):
    response = login_as(world.people["council_member"]).post(_url(world), _points(
        world, location=world.other_location.pk))
    assert response.status_code == 400
    assert TopPoint.objects.count() == 1


def test_a_member_of_two_client_councils_chooses_the_council(world, login_as):
    local = CouncilFactory(organisation=world.organisation, kind=Council.Kind.CLIENT_COUNCIL,
                           location=world.location, name="Cliëntenraad De Linde")
    member = world.people["council_member"]
    add_membership(user=member, role=Role.COUNCIL_MEMBER, council=local)
    client = login_as(member)
    html = client.get(_url(world)).content.decode()
    assert '<select name="council"' in html and "Cliëntenraad De Linde" in html
    response = client.post(_url(world), _points(world, council=local.pk, location=world.location.pk))
    assert response.status_code == 302
    assert TopPoint.objects.filter(council=local, location=world.location).count() == 2


def test_a_council_the_member_is_not_on_is_refused(world, login_as):
    response = login_as(world.people["council_member"]).post(_url(world), _points(
        world, council=world.nursing_council.pk))
    assert response.status_code == 400
    assert TopPoint.objects.count() == 1


@pytest.mark.parametrize("persona", ["works_council_member", "quality", "platform_admin"])
def test_only_client_council_members_record_the_top_3(world, login_as, persona):
    response = login_as(world.people[persona]).post(_url(world), _points(world))
    assert response.status_code == 403
    assert list(TopPoint.objects.values_list("title", flat=True)) == ["Meer buiten zijn"]


# --- The organisation's answer -----------------------------------------------------------------


def test_an_author_sees_the_actions_per_location(world, login_as):
    response = login_as(world.people["quality"]).get(_answer_url(world.top_point))
    assert response.status_code == 200
    html = response.content.decode()
    assert "De Linde" in html and "Samen koken op de afdeling" in html
    assert f'name="action_ids" value="{world.action.pk}"' in html


def test_an_author_links_an_action_and_answers(world, login_as):
    client = login_as(world.people["quality"])
    response = client.post(_answer_url(world.top_point), {"action_ids": [world.action.pk],
                                                           "answer": "De tuin gaat elke dag open."})
    assert response.status_code == 302
    assert response["Location"] == f"{_url(world)}#punt-{world.top_point.pk}"
    world.top_point.refresh_from_db()
    assert list(world.top_point.actions.all()) == [world.action]
    assert world.top_point.answer == "De tuin gaat elke dag open."
    html = login_as(world.people["council_member"]).get(_url(world)).content.decode()
    assert "Actie „Samen koken op de afdeling” bij De Linde (Gepland)" in html
    assert "De tuin gaat elke dag open." in html and "Nog open" not in html


def test_an_action_of_another_plan_is_refused(world, login_as):
    other_plan = plan_services.create_plan(organisation=world.organisation, year=2028,
                                           framework=world.plan.framework, by=world.people["quality"])
    other_action = plan_services.save_action(plan=other_plan, location=world.location, by=world.people["quality"],
                                             title="Iets anders")
    response = login_as(world.people["quality"]).post(_answer_url(world.top_point), {
        "action_ids": [other_action.pk], "answer": "Zie de actie."})
    assert response.status_code == 400
    assert "Kies acties uit dit plan." in response.content.decode()
    assert "Zie de actie.</textarea>" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [
    ("council_member", 403), ("works_council_member", 403), ("location_manager", 403), ("platform_admin", 403),
    ("peer_reviewer", 404), ("outsider", 404),
])
def test_only_authors_answer_a_point(world, login_as, persona, status):
    client = login_as(world.people[persona])
    assert client.get(_answer_url(world.top_point)).status_code == status
    assert client.post(_answer_url(world.top_point), {"answer": "Nee."}).status_code == status
    world.top_point.refresh_from_db()
    assert world.top_point.answer == ""


def test_answers_from_the_service_show_on_the_top_3(world, login_as):
    services.answer_top_point(point=world.top_point, by=world.people["board"], action_ids=[], answer="Komt in 2028.")
    html = login_as(world.people["works_council_member"]).get(_url(world)).content.decode()
    assert "Komt in 2028." in html
