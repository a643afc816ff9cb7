"""Bad input gets a clear Dutch message on the page, keeps what was typed, and never a 500."""

import pytest
from django.urls import reverse

from samenplan.core.tests.world import login
from samenplan.organisations.models import Council, Location

pytestmark = pytest.mark.shared_world

SCRIPT = '<script>alert("x")</script>'


def _edit(client, world, **data):
    url = reverse("organisations:edit", args=[world.organisation.pk])
    return client.post(url, {"name": "Zorggroep De Linde", "kvk_number": "41000001", **data})


@pytest.mark.parametrize(("data", "message", "kept"), [
    ({"name": ""}, "Dit veld is verplicht.", None),
    ({"name": "x" * 201}, "Zorg dat deze waarde niet meer dan 200 tekens bevat", "x" * 201),
    ({"kvk_number": "1234"}, "Een KvK-nummer bestaat uit precies 8 cijfers", 'value="1234"'),
    ({"kvk_number": "12ab5678"}, "Een KvK-nummer bestaat uit precies 8 cijfers", 'value="12ab5678"'),
    ({"name": SCRIPT}, "Gebruik geen &lt; of &gt; in een naam", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
])
def test_organisation_form(data, message, kept, world, client):
    login(client, world.people["quality"])
    response = _edit(client, world, **data)
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert "Er is iets niet goed ingevuld" in content
    if kept:
        assert kept in content
    assert SCRIPT not in content
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Zorggroep De Linde"


def test_a_kvk_number_of_another_organisation_is_refused(world, client):
    login(client, world.people["quality"])
    response = _edit(client, world, kvk_number=world.other_organisation.kvk_number)
    assert "Er is al een organisatie met dit KvK-nummer." in response.content.decode()


LOCATION = {"name": "De Nieuwe Hof", "kvk_establishment_number": "000012340001", "street": "Hofweg 1",
            "postal_code": "4001 AB", "city": "Tiel", "places": "30", "is_active": "on"}


@pytest.mark.parametrize(("data", "message"), [
    ({"kvk_establishment_number": "12345"}, "Een vestigingsnummer bestaat uit precies 12 cijfers"),
    ({"postal_code": "ABCD 12"}, "Vul een Nederlandse postcode in"),
    ({"places": "-3"}, "Zorg ervoor dat deze waarde minstens 0 is."),
    ({"places": "veel"}, "Voer een geheel getal in."),
    ({"name": "De Linde"}, "Er is al een locatie met deze naam."),
    ({"city": SCRIPT}, "Gebruik geen &lt; of &gt; in een naam"),
    ({"street": ""}, "Dit veld is verplicht."),
])
def test_location_form(data, message, world, client):
    login(client, world.people["quality"])
    url = reverse("organisations:location_create", args=[world.organisation.pk])
    response = client.post(url, {**LOCATION, **data})
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert 'value="Hofweg 1"' in content or "street" in data  # what was typed stays
    assert not Location.objects.filter(kvk_establishment_number="000012340001").exists()


def test_a_valid_location_is_saved_with_a_tidy_postal_code(world, client):
    login(client, world.people["quality"])
    url = reverse("organisations:location_create", args=[world.organisation.pk])
    response = client.post(url, {**LOCATION, "postal_code": "4001ab"})
    location = Location.objects.get(kvk_establishment_number="000012340001")
    assert response["Location"] == location.get_absolute_url()
    assert location.postal_code == "4001 AB"


def test_a_second_central_client_council_is_refused(world, client):
    login(client, world.people["quality"])
    url = reverse("organisations:council_create", args=[world.organisation.pk])
    response = client.post(url, {"kind": "client_council", "name": "Nog een raad", "location": ""})
    assert response.status_code == 400
    assert "Er is al een centrale raad van deze soort." in response.content.decode()


def test_a_council_cannot_be_placed_at_another_organisations_location(world, client):
    login(client, world.people["quality"])
    url = reverse("organisations:council_create", args=[world.organisation.pk])
    response = client.post(url, {"kind": "client_council", "name": "Raad", "location": world.other_location.pk})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Council.objects.filter(name="Raad").exists()


def test_a_council_member_needs_a_valid_address(world, client):
    login(client, world.people["quality"])
    url = reverse("organisations:council", args=[world.organisation.pk, world.client_council.pk])
    response = client.post(url, {"full_name": "Gerrit Bakker", "email": "gerrit", "role": "council_member"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Voer een geldig e-mailadres in." in content
    assert 'value="Gerrit Bakker"' in content


def test_a_malformed_id_in_the_address_is_a_404(world, client):
    login(client, world.people["quality"])
    assert client.get(f"/organisaties/{world.organisation.pk}/locaties/999999/").status_code == 404
