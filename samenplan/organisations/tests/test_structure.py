import pytest
from django.db import IntegrityError
from django.urls import reverse

from samenplan.accounts.models import Membership, Role, User
from samenplan.core.tests.world import login
from samenplan.organisations import selectors, services
from samenplan.organisations.models import Council

pytestmark = pytest.mark.shared_world


def _texts(organisation, user):
    organisation = selectors.get_organisation_for_user(user, organisation.pk)
    return [(item.text, item.blocking) for item in selectors.structure_attention(organisation)]


def test_an_organisation_without_a_nursing_council_is_normal_when_a_works_council_stands_in(world):
    items = _texts(world.peer_organisation, world.people["platform_admin"])
    assert any("Daarom stemt de ondernemingsraad in" in text and not blocking for text, blocking in items)


def test_without_nursing_and_works_council_someone_must_still_consent(world):
    Council.objects.filter(organisation=world.peer_organisation, kind=Council.Kind.WORKS_COUNCIL).delete()
    items = _texts(world.peer_organisation, world.people["platform_admin"])
    assert any("geen VAR/PAR en geen ondernemingsraad" in text and blocking for text, blocking in items)


def test_a_missing_client_council_blocks(world):
    from samenplan.consent.models import ConsentRequest

    ConsentRequest.objects.filter(council=world.client_council).delete()
    world.client_council.delete()
    items = _texts(world.organisation, world.people["platform_admin"])
    assert any("nog geen cliëntenraad" in text and blocking for text, blocking in items)


def test_a_council_without_secretary_is_pointed_out(world):
    items = _texts(world.organisation, world.people["platform_admin"])
    assert any("VAR heeft nog geen leden" in text for text, _ in items)
    assert not any("Centrale cliëntenraad heeft geen secretaris" in text for text, _ in items)


def test_adding_a_council_member_creates_a_person_without_password(world):
    membership = services.add_council_member(
        council=world.client_council, by=world.people["quality"], full_name="Gerrit Bakker",
        email="Gerrit@Example.nl")
    assert membership.user.has_usable_password() is False
    assert membership.organisation == world.organisation
    again = services.add_council_member(
        council=world.nursing_council, by=world.people["quality"], full_name="Gerrit Bakker",
        email="gerrit@example.nl", role=Role.COUNCIL_SECRETARY)
    assert again.user == membership.user
    assert User.objects.filter(email__iexact="gerrit@example.nl").count() == 1


def test_removing_a_member_by_the_page(world, client):
    login(client, world.people["quality"])
    membership = Membership.objects.get(user=world.people["council_member"])
    url = reverse("organisations:council_member_remove",
                  args=[world.organisation.pk, world.client_council.pk, membership.pk])
    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_from_another_council_cannot_be_removed_through_ours(world, client):
    login(client, world.people["quality"])
    membership = Membership.objects.get(user=world.people["council_member"])
    url = reverse("organisations:council_member_remove",
                  args=[world.organisation.pk, world.nursing_council.pk, membership.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_database_refuses_a_location_manager_without_a_location(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=world.people["quality"], role=Role.LOCATION_MANAGER,
                                  organisation=world.organisation)


def test_the_database_refuses_a_care_office_role_inside_an_organisation(world):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=world.people["quality"], role=Role.CARE_OFFICE_STAFF,
                                  organisation=world.organisation)


def test_the_care_office_sees_organisations_of_its_region_only(world, client):
    login(client, world.people["care_office"])
    content = client.get(reverse("organisations:care_office", args=[world.care_office.pk])).content.decode()
    assert "Zorggroep De Linde" in content and "Stichting Het Anker" in content
    assert "Zorgcentrum Elders" not in content


def test_the_care_office_does_not_see_council_members(world, client):
    login(client, world.people["care_office"])
    response = client.get(f"/api/v1/organisations/{world.organisation.pk}")
    assert all(council["members"] is None for council in response.json()["councils"])
    page = client.get(reverse("organisations:detail", args=[world.organisation.pk])).content.decode()
    assert world.people["council_member"].get_full_name() not in page


def test_switching_organisation(world, client):
    from samenplan.accounts.services import add_membership

    quality = world.people["quality"]
    add_membership(user=quality, role=Role.PEER_REVIEWER, organisation=world.peer_organisation)
    login(client, quality)
    assert "Zorggroep De Linde" in client.get("/").content.decode()
    client.post(reverse("organisations:switch"), {"organisation": world.peer_organisation.pk, "next": "/"})
    assert "U werkt nu voor Stichting Het Anker" in client.get("/").content.decode()
    # An organisation the person has no role in is ignored.
    client.post(reverse("organisations:switch"), {"organisation": world.other_organisation.pk, "next": "https://evil.example"})
    assert "Zorgcentrum Elders" not in client.get("/").content.decode()


def test_without_a_choice_a_person_starts_in_the_organisation_of_their_weightiest_role(world, client):
    from samenplan.accounts.services import add_membership

    quality = world.people["quality"]
    # "Stichting Het Anker" sorts before "Zorggroep De Linde", but reviewing is the lighter role.
    add_membership(user=quality, role=Role.PEER_REVIEWER, organisation=world.peer_organisation)
    login(client, quality)
    assert "U werkt voor" in client.get("/").content.decode()
    page = client.get("/").content.decode()
    assert '<option value="%d" selected>Zorggroep De Linde</option>' % world.organisation.pk in page
