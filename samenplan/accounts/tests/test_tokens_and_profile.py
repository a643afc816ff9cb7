import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from samenplan.accounts.models import ApiToken
from samenplan.core.tests.world import login

pytestmark = pytest.mark.shared_world


def _create_token(client, name="koppeling"):
    response = client.post(reverse("accounts:token_create"), {"name": name})
    return response, response.context.get("new_token")


def test_a_token_is_shown_once_and_stored_only_as_a_hash(people, client):
    login(client, people["quality"])
    response, raw = _create_token(client)
    assert raw and raw in response.content.decode()
    token = ApiToken.objects.get(user=people["quality"])
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in client.get(reverse("accounts:profile")).content.decode()


def test_a_token_authenticates_the_api_until_it_is_revoked(people, client):
    login(client, people["quality"])
    _response, raw = _create_token(client)
    api = client.__class__()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
    assert me.json()["username"] == "quality"
    assert ApiToken.objects.get().last_used_at is not None

    token = ApiToken.objects.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_token_needs_a_name(people, client):
    login(client, people["quality"])
    response, raw = _create_token(client, name="")
    assert response.status_code == 400
    assert raw is None
    assert "Dit veld is verplicht" in response.content.decode()


def test_a_token_name_with_markup_is_shown_inert(people, client):
    login(client, people["quality"])
    _create_token(client, name="<script>alert(1)</script>")
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_an_unknown_token_is_refused_with_json(db, client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer sp_nonsense"})
    assert response.status_code == 401
    assert "API-sleutel" in response.json()["message"]


def test_the_management_command_prints_a_working_token(people, client, capsys):
    call_command("create_api_token", "council_member", "--name", "script")
    raw = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"] == "council_member"


def test_a_session_without_the_second_factor_cannot_use_the_api(people, client):
    client.force_login(people["board"])  # password done, app code not yet
    assert client.get("/api/v1/me").status_code == 401


def test_changing_the_language_and_notification_preference(people, client):
    login(client, people["council_member"])
    response = client.post(reverse("accounts:profile"), {"language": "en", "notification_preference": "daily_digest"})
    assert response.status_code == 302
    user = people["council_member"]
    user.refresh_from_db()
    assert (user.language, user.notification_preference) == ("en", "daily_digest")
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_a_bad_profile_choice_is_refused_in_dutch(people, client):
    login(client, people["council_member"])
    response = client.post(reverse("accounts:profile"), {"language": "fr", "notification_preference": "immediate"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_the_language_switch_in_the_footer_is_remembered(people, client):
    login(client, people["council_member"])
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/profiel/"})
    assert response["Location"] == "/profiel/"
    people["council_member"].refresh_from_db()
    assert people["council_member"].language == "en"
