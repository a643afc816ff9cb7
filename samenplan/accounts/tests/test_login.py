from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.core import mail
from django.urls import reverse
from django.utils.http import urlencode
from urllib.parse import quote
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership
from samenplan.accounts.tests.factories import UserFactory

PASSWORD = "geheim-wachtwoord-123"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_council_member_logs_in_with_a_password(people, client):
    response = _login(client, "council_member")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_gets_a_dutch_message_and_keeps_the_username(people, client):
    response = _login(client, "council_member", "fout")
    assert response.status_code == 200
    content = response.content.decode()
    assert "De gebruikersnaam of het wachtwoord klopt niet" in content
    assert 'value="council_member"' in content


def test_login_is_throttled_after_repeated_failures(people, client):
    for _attempt in range(5):
        _login(client, "council_member", "fout")
    response = _login(client, "council_member")  # even the right password is refused now
    assert response.status_code == 429
    assert "Te vaak een verkeerd wachtwoord" in response.content.decode()


@pytest.mark.parametrize("persona", ["board", "quality", "care_office", "platform_admin"])
def test_second_factor_is_required_for(persona, people, client):
    _login(client, persona)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.parametrize("persona", ["location_manager", "council_member", "council_secretary", "peer_reviewer"])
def test_second_factor_is_not_required_for(persona, people, client):
    _login(client, persona)
    assert client.get("/").status_code == 200


def _current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_second_try_right_after_a_wrong_code_is_slowed_down(people, client):
    _login(client, "quality")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=people["quality"])
    client.post(reverse("accounts:otp_setup"), {"code": "000000"})
    response = client.post(reverse("accounts:otp_setup"), {"code": _current_code(device)})
    assert "Even wachten" in response.content.decode()


def test_setting_up_the_second_factor_with_an_app(people, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _login(client, "quality")
    page = client.get(reverse("accounts:otp_setup") + "?next=/profiel/")
    assert "data:image/svg+xml;base64," in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=people["quality"])
    assert device.confirmed is False

    wrong = client.post(reverse("accounts:otp_setup"), {"code": "000000", "next": "/profiel/"})
    assert "Deze code klopt niet" in wrong.content.decode()

    response = client.post(reverse("accounts:otp_setup"), {"code": _current_code(device), "next": "/profiel/"})
    assert response.status_code == 302
    assert response["Location"] == "/profiel/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/").status_code == 200


def test_a_returning_user_types_the_code_from_the_app(people, client):
    device = TOTPDevice.objects.create(user=people["board"], name="app", confirmed=True)
    _login(client, "board")
    response = client.get("/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert "De code bestaat uit zes cijfers" in client.post(reverse("accounts:otp_verify"), {"code": "12ab"}).content.decode()
    response = client.post(reverse("accounts:otp_verify"), {"code": _current_code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_an_outside_next_address_is_ignored_after_the_second_factor(people, client):
    device = TOTPDevice.objects.create(user=people["board"], name="app", confirmed=True)
    _login(client, "board")
    response = client.post(reverse("accounts:otp_verify"), {"code": _current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_demo_accounts_skip_the_second_factor_only_in_demo_mode(people, client, settings):
    board = people["board"]
    board.is_demo = True
    board.save()
    _login(client, "board")
    assert client.get("/").status_code == 302
    settings.DEMO = True
    assert client.get("/").status_code == 200


def test_logging_out_needs_a_post_and_ends_the_session(people, client):
    _login(client, "council_member")
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


class TestLoginLinks:
    def _request(self, client, email):
        return client.post(reverse("accounts:login_link_request"), {"email": email})

    def _link_from_mail(self):
        body = mail.outbox[-1].body
        return next(line for line in body.splitlines() if "/inloggen/link/" in line).strip()

    def test_a_council_member_gets_a_link_that_works_once(self, people, client):
        response = self._request(client, "COUNCIL_MEMBER@example.nl")
        assert "Kijk in uw e-mail" in response.content.decode()
        assert mail.outbox[-1].to == ["council_member@example.nl"]
        url = self._link_from_mail().removeprefix("http://127.0.0.1:8000")

        confirm = client.get(url)  # opening the link (or a mail scanner doing so) logs nobody in
        assert confirm.status_code == 200
        assert client.get("/").status_code == 302

        assert client.post(url).status_code == 302
        assert client.get("/").status_code == 200

        client.logout()
        again = client.post(url)
        assert again.status_code == 410
        assert "Deze inloglink werkt niet meer" in again.content.decode()

    def test_nobody_learns_whether_an_address_has_an_account(self, people, client):
        unknown = self._request(client, "niemand@example.nl")
        staff = self._request(client, "quality@example.nl")  # not a council member: no link
        assert unknown.status_code == staff.status_code == 200
        assert "Kijk in uw e-mail" in unknown.content.decode()
        assert mail.outbox == []

    def test_a_tampered_link_is_refused(self, people, client):
        self._request(client, "council_member@example.nl")
        url = self._link_from_mail().removeprefix("http://127.0.0.1:8000")
        response = client.post(url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB"))
        assert response.status_code == 410
        assert client.get("/").status_code == 302

    def test_an_expired_link_is_refused(self, people, client, settings):
        self._request(client, "council_member@example.nl")
        url = self._link_from_mail().removeprefix("http://127.0.0.1:8000")
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            response = client.post(url)
        assert response.status_code == 410

    def test_at_most_three_links_an_hour(self, people, client):
        for _attempt in range(5):
            self._request(client, "council_member@example.nl")
        assert len(mail.outbox) == 3

    def test_a_bad_address_gets_a_dutch_message_and_is_kept(self, people, client):
        response = self._request(client, "gerrit-at-example")
        content = response.content.decode()
        assert response.status_code == 200
        assert "Dit is geen geldig e-mailadres" in content
        assert 'value="gerrit-at-example"' in content

    def test_a_council_member_who_also_is_board_still_needs_the_second_factor(self, people, client):
        add_membership(user=people["council_member"], role=Role.BOARD, organisation=people["board"].memberships.first().organisation)
        self._request(client, "council_member@example.nl")
        url = self._link_from_mail().removeprefix("http://127.0.0.1:8000")
        client.post(url)
        assert client.get("/")["Location"].startswith(reverse("accounts:otp_setup"))


class TestLoginLinksKeepTheirDestination:
    """A notification's link opened while logged out: login page, a login link, then that page."""

    def _link_from_mail(self):
        body = mail.outbox[-1].body
        return next(line for line in body.splitlines() if "/inloggen/link/" in line).strip().removeprefix(
            "http://127.0.0.1:8000")

    def test_the_link_opens_the_page_the_person_wanted(self, world, client):
        target = reverse("participation:version_comments", args=[world.version.pk])
        to_login = client.get(target)
        assert to_login.status_code == 302
        login_page = client.get(to_login["Location"]).content.decode()
        request_url = reverse("accounts:login_link_request") + "?next=" + quote(target)
        assert f'href="{request_url}"' in login_page

        form_page = client.get(request_url).content.decode()
        assert f'<input type="hidden" name="next" value="{target}">' in form_page
        assert "Na het inloggen komt u meteen op de pagina die u wilde openen." in form_page
        sent = client.post(reverse("accounts:login_link_request"), {"email": "council_member@example.nl",
                                                                   "next": target})
        assert f'href="{request_url}"' in sent.content.decode()  # "Nog een link aanvragen" keeps it too
        assert "Na het inloggen komt u meteen op de pagina" in mail.outbox[-1].body

        url = self._link_from_mail()
        assert "?" + urlencode({"next": target}) + "&sesame=" in url
        confirm = client.get(url)
        assert f'<input type="hidden" name="next" value="{target}">' in confirm.content.decode()
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == target
        assert client.get(target).status_code == 200

    @pytest.mark.parametrize("unsafe", ["//evil.example/plannen/", "https://evil.example/", "/\\evil.example/",
                                        "http://127.0.0.1:8000/profiel/", "javascript:alert(1)", "profiel/"])
    def test_an_unsafe_next_is_left_out_of_the_link(self, people, client, unsafe):
        client.post(reverse("accounts:login_link_request"), {"email": "council_member@example.nl", "next": unsafe})
        url = self._link_from_mail()
        assert "next=" not in url and "Na het inloggen komt u meteen" not in mail.outbox[-1].body
        assert client.post(url)["Location"] == reverse("core:dashboard")

    @pytest.mark.parametrize("unsafe", ["//evil.example/", "https://evil.example/", "/\\evil.example/"])
    def test_a_next_changed_in_the_link_falls_back_to_the_dashboard(self, people, client, unsafe):
        client.post(reverse("accounts:login_link_request"), {"email": "council_member@example.nl",
                                                             "next": "/profiel/"})
        url = self._link_from_mail()
        tampered = url.replace("next=%2Fprofiel%2F", urlencode({"next": unsafe}))
        assert tampered != url
        assert client.post(tampered)["Location"] == reverse("core:dashboard")

    def test_the_page_is_opened_after_the_second_factor(self, world, client):
        people = world.people
        add_membership(user=people["council_member"], role=Role.BOARD, organisation=world.organisation)
        target = reverse("participation:plan_comments", args=[world.plan.pk])
        client.post(reverse("accounts:login_link_request"), {"email": "council_member@example.nl", "next": target})
        response = client.post(self._link_from_mail())
        assert response["Location"] == target
        to_code = client.get(target)
        assert to_code["Location"] == reverse("accounts:otp_setup") + "?" + urlencode({"next": target})


def test_a_person_without_roles_sees_what_to_do(db, client):
    user = UserFactory()
    client.force_login(user)
    assert "U heeft nog geen rol" in client.get("/").content.decode()
