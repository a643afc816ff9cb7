"""Wrong passwords lock out a name and an address; which address counts depends on the proxy."""

import pytest
from django.urls import reverse

from samenplan.accounts.tests.factories import UserFactory

PASSWORD = "geheim-wachtwoord-123"
PROXY = "172.18.0.5"  # the TLS proxy of deploy/: every request comes from it
BEHIND_PROXY = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]  # what settings use with BEHIND_PROXY=1


@pytest.fixture
def person(db):
    user = UserFactory(username="anna")
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(client, password, **meta):
    return client.post(reverse("accounts:login"), {"username": "anna", "password": password}, **meta)


def _locked(response) -> bool:
    return response.status_code == 429


def test_five_wrong_passwords_lock_the_name_at_that_address(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert not _locked(_log_in(client, "fout-wachtwoord"))
    assert _locked(_log_in(client, "fout-wachtwoord"))
    assert _locked(_log_in(client, PASSWORD))


def test_without_a_proxy_a_header_does_not_change_the_address(client, person, settings):
    """Otherwise a guesser would send a new X-Forwarded-For with every try and never be locked out."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "fout-wachtwoord", HTTP_X_FORWARDED_FOR=f"81.1.2.{n}")
    assert _locked(_log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="81.9.9.9"))


def test_behind_the_proxy_one_persons_lockout_is_not_everyones(client, person, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = BEHIND_PROXY
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "fout-wachtwoord", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="81.1.2.3")
    assert _locked(_log_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="81.1.2.3"))
    # Anna herself, at home, through the same proxy: her password works.
    response = _log_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="94.5.6.7")
    assert response.status_code == 302
