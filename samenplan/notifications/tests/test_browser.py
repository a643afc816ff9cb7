"""The inbox in a real browser: axe audit, keyboard, narrow screens, and marking read without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from samenplan.core.tests.browser_support import (  # noqa: F401 - the first three override pytest-playwright's
    assert_accessible,
    assert_keyboard_reachable,
    assert_reflows,
    browser_context_args,
    browser_type_launch_args,
    context,
    log_in,
)
from samenplan.core.tests.world import build_world
from samenplan.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _audit(page, what):
    assert_accessible(page, what)
    assert_keyboard_reachable(page)
    assert_reflows(page)


def test_the_inbox_is_accessible_full_and_empty(live_server, page, context):
    world = build_world()
    person = world.people["council_member"]
    Notification.objects.filter(recipient=person).delete()
    log_in(context, live_server, person)
    page.goto("/berichten/")
    expect(page.get_by_role("heading", name="Nog geen berichten")).to_be_visible()
    _audit(page, "the empty inbox")

    for n in range(3):
        Notification.objects.create(recipient=person, event_key=f"e{n}", kind="test", url="/",
                                    subject=f"De raad is gevraagd om instemming {n}", body="Reageer vóór 1 maart.")
    page.goto("/berichten/")
    expect(page.get_by_role("link", name="Berichten 3 nieuw")).to_be_visible()
    _audit(page, "the inbox with messages")


@pytest.fixture
def no_js_page(new_context):
    context = new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    return context


def test_marking_read_works_without_javascript(live_server, no_js_page):
    world = build_world()
    person = world.people["quality"]
    Notification.objects.filter(recipient=person).delete()
    for n in range(2):
        Notification.objects.create(recipient=person, event_key=f"e{n}", kind="test", subject=f"Bericht {n}")
    log_in(no_js_page, live_server, person)
    page = no_js_page.new_page()
    page.goto("/berichten/")
    page.get_by_role("button", name=re.compile(r"^Gelezen\W+Bericht 1$")).click()
    expect(page.get_by_text("U heeft 1 nieuw bericht.")).to_be_visible()
    page.get_by_role("button", name="Alles gelezen").click()
    expect(page.get_by_text("1 bericht is nu gelezen.")).to_be_visible()
    expect(page.get_by_text("U heeft geen nieuwe berichten.")).to_be_visible()
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
