"""Real-browser acceptance of the foundation: axe audit, keyboard use and pages without JavaScript.

Every page must pass axe-core with no serious or critical WCAG 2.2 AA violation, be usable with the
keyboard alone and work with JavaScript switched off. See browser_support.py for the helpers.
"""

import base64
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from samenplan.accounts.models import Role
from samenplan.accounts.services import add_membership, request_login_link
from samenplan.core.tests.world import build_world
from samenplan.organisations.models import Location

from .browser_support import (  # noqa: F401 - the first three override pytest-playwright's fixtures
    browser_context_args,
    browser_type_launch_args,
    context,
)
from .browser_support import (
    PASSWORD,
    assert_accessible,
    assert_keyboard_reachable,
    assert_reflows,
    current_totp,
    focused,
    log_in,
    tab_until,
    use_session_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def audit(page, path=None, *, status=200):
    """Opens `path` (or stays on the current page) and checks it with axe, the keyboard and at 320px."""
    if path is not None:
        response = page.goto(path)
        assert response.status == status, f"{path}: HTTP {response.status}"
    assert_accessible(page)
    assert_keyboard_reachable(page)
    assert_reflows(page)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def mailed_login_link(user) -> str:
    """Asks for a login link as the person would and returns its path from the e-mail."""
    mail.outbox.clear()
    request_login_link(email=user.email)
    assert len(mail.outbox) == 1, "no login link was sent"
    url = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    return path_of(url)


# --- 0. The helpers catch what they are meant to catch --------------------------------------------


def test_the_audit_helpers_catch_problems(live_server, page):
    page.set_content(
        "<!DOCTYPE html><html><head><title>x</title><style>.bare:focus { outline: none; }</style></head>"
        "<body><main><h1>Test</h1><input type='text'>"
        "<a href='#a' tabindex='-1'>unreachable</a> <a class='bare' href='#b'>no focus ring</a></main></body></html>"
    )
    with pytest.raises(pytest.fail.Exception, match=r"\[critical\] label"):
        assert_accessible(page)
    with pytest.raises(AssertionError, match="not reachable with Tab.*unreachable"):
        assert_keyboard_reachable(page)
    page.evaluate("() => document.querySelector('[tabindex]').removeAttribute('tabindex')")
    with pytest.raises(AssertionError, match="focus is not visible.*no focus ring"):
        assert_keyboard_reachable(page)
    assert_reflows(page)
    page.evaluate("() => { document.querySelector('main').innerHTML += '<p style=\"width: 600px\">wide</p>'; }")
    with pytest.raises(AssertionError, match="scrolls sideways.*wide"):
        assert_reflows(page)


# --- 1. The axe audit, page by page ------------------------------------------------------------


def test_login_pages_are_accessible(live_server, page):
    world = build_world()
    member = world.people["council_member"]
    mail.outbox.clear()  # the world's comments and invitations sent their notifications

    audit(page, "/inloggen/")
    audit(page, "/inloggen/link/")

    page.get_by_role("button", name="Stuur de link").click()  # empty: a Dutch message, no lost text
    expect(page.get_by_role("alert")).to_contain_text("Vul uw e-mailadres in.")
    audit(page)

    page.get_by_label("Uw e-mailadres").fill(member.email)
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    audit(page)
    assert len(mail.outbox) == 1

    confirm_path = mailed_login_link(member)
    audit(page, confirm_path)
    expect(page.get_by_role("main").get_by_role("button", name="Inloggen")).to_be_visible()
    tampered = confirm_path[:-4] + ("AAAA" if not confirm_path.endswith("AAAA") else "BBBB")
    audit(page, tampered, status=410)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deze inloglink werkt niet")


def test_second_factor_pages_are_accessible(live_server, page, context, client):
    world = build_world()
    quality, board = world.people["quality"], world.people["board"]

    client.force_login(quality)  # password done, no app linked yet
    use_session_of(client, context, live_server)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen/tweede-stap/instellen/\?next=%2F$"))
    expect(page.get_by_role("img", name="QR-code om Samenplan aan uw app toe te voegen")).to_be_visible()
    audit(page)
    page.get_by_label("Code uit uw app").fill("12345")
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_role("alert")).to_contain_text("De code bestaat uit zes cijfers.")
    expect(page.get_by_label("Code uit uw app")).to_have_value("12345")
    audit(page)

    TOTPDevice.objects.create(user=board, name="app", confirmed=True)
    client.force_login(board)
    use_session_of(client, context, live_server)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen/tweede-stap/\?next=%2F$"))
    audit(page)


def test_every_persona_has_an_accessible_dashboard(live_server, page, context):
    world = build_world()
    for name, user in world.people.items():
        log_in(context, live_server, user)
        response = page.goto("/")
        assert response.status == 200, name
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
        assert_accessible(page, f"the dashboard of {name}")
        assert_keyboard_reachable(page)
        assert_reflows(page)


def test_organisation_pages_are_accessible(live_server, page, context):
    world = build_world()
    organisation, location, council = world.organisation, world.location, world.client_council
    log_in(context, live_server, world.people["quality"])
    base = organisation.get_absolute_url()

    audit(page, base)
    audit(page, f"{base}wijzigen/")

    # Bad input: Dutch messages on the form, and what was typed stays in the fields.
    page.get_by_label("Naam").fill("")
    page.get_by_label("KvK-nummer").fill("12ab")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is iets niet goed ingevuld")
    expect(summary).to_contain_text("Dit veld is verplicht.")
    expect(summary).to_contain_text("Een KvK-nummer bestaat uit precies 8 cijfers")
    expect(page.get_by_label("KvK-nummer")).to_have_value("12ab")
    expect(page.get_by_label("Naam")).to_have_value("")
    expect(page.get_by_label("KvK-nummer")).to_have_accessible_description(re.compile("precies 8 cijfers"))
    # The summary has focus when the page opens; its first link takes the keyboard to the field.
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Naam: Dit veld is verplicht."
    page.keyboard.press("Enter")
    expect(page.get_by_label("Naam")).to_be_focused()
    audit(page)

    audit(page, f"{base}locaties/nieuw/")
    page.get_by_label("Naam").fill("De Eik")
    page.get_by_label("Postcode").fill("12")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een Nederlandse postcode in")
    expect(page.get_by_label("Naam")).to_have_value("De Eik")
    expect(page.get_by_label("Postcode")).to_have_value("12")
    audit(page)

    audit(page, location.get_absolute_url())
    audit(page, f"{location.get_absolute_url()}wijzigen/")

    audit(page, council.get_absolute_url())
    expect(page.get_by_role("heading", name="Lid toevoegen")).to_be_visible()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is iets niet goed ingevuld")
    audit(page)
    audit(page, f"{base}raden/nieuw/")
    audit(page, f"{council.get_absolute_url()}wijzigen/")
    audit(page, world.network.get_absolute_url())


def test_profile_and_error_pages_are_accessible(live_server, page, context):
    world = build_world()
    log_in(context, live_server, world.people["quality"])

    audit(page, "/profiel/")
    # A radio group left empty: the summary link takes the keyboard to the group's first option.
    page.evaluate("() => document.querySelectorAll('input[name=language]').forEach((r) => { r.checked = false; })")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Taal: Dit veld is verplicht.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_language_0")).to_be_focused()
    audit(page)

    page.get_by_label("Naam van de nieuwe sleutel").fill("Koppeling kwaliteitssysteem")
    page.get_by_role("button", name="Sleutel maken").click()
    expect(page.locator("#new-token")).to_have_text(re.compile(r"\S{20,}"))
    audit(page)

    audit(page, "/organisaties/999999/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")

    log_in(context, live_server, world.people["council_member"])
    audit(page, f"{world.organisation.get_absolute_url()}wijzigen/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dit mag u niet doen")


def test_care_office_page_is_accessible(live_server, page, context):
    world = build_world()
    log_in(context, live_server, world.people["care_office"])
    audit(page, world.care_office.get_absolute_url())
    expect(page.get_by_role("link", name=world.organisation.name)).to_be_visible()


# --- 2. Real logins ----------------------------------------------------------------------------


def test_quality_staff_logs_in_and_links_an_authenticator_app(live_server, page):
    world = build_world()
    quality = world.people["quality"]

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next=/$"))
    page.get_by_label("Gebruikersnaam").fill(quality.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Extra beveiliging instellen")
    shown_key = page.locator("code.secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=quality, confirmed=False)
    assert base64.b32decode(shown_key + "=" * (-len(shown_key) % 8)) == device.bin_key
    page.get_by_label("Code uit uw app").fill(current_totp(device))
    page.get_by_role("button", name="Koppelen").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("status")).to_contain_text("Uw app is gekoppeld")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    device.refresh_from_db()
    assert device.confirmed


def test_council_member_logs_in_with_a_login_link(live_server, page):
    world = build_world()
    member = world.people["council_member"]
    link = mailed_login_link(member)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inloggen als")
    page.get_by_role("main").get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Uw raad")).to_be_visible()
    page.goto(link)  # a link works once
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deze inloglink werkt niet")


# --- 3. Keyboard -------------------------------------------------------------------------------


def test_first_tab_stop_is_the_skip_link_to_the_content(live_server, page):
    page.goto("/inloggen/")
    page.keyboard.press("Tab")
    info = focused(page)
    assert info["text"] == "Direct naar de inhoud"
    assert info["outline"] != "none" and info["outlineWidth"] > 0, info
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is the first control inside the content
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_focus_on_a_link_is_visible(live_server, page, context):
    world = build_world()
    log_in(context, live_server, world.people["quality"])
    page.goto("/")
    info = tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "Mijn gegevens")
    assert info["outline"] != "none" and info["outlineWidth"] >= 2, info


def test_password_login_with_the_keyboard_only(live_server, page):
    world = build_world()
    member = world.people["council_member"]
    page.goto("/inloggen/")
    tab_until(page, lambda f: f["name"] == "username")
    page.keyboard.type(member.username)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def test_organisation_switcher_works_with_the_keyboard(live_server, page, context):
    world = build_world()
    quality = world.people["quality"]
    add_membership(user=quality, role=Role.QUALITY_STAFF, organisation=world.peer_organisation)
    log_in(context, live_server, quality)
    page.goto("/")

    switcher = page.get_by_label("U werkt voor")
    current = switcher.input_value()
    tab_until(page, lambda f: f["id"] == "organisation-switch")
    # The other organisation is the next or the previous option; the arrow keys change the choice.
    page.keyboard.press("ArrowDown")
    if switcher.input_value() == current:
        page.keyboard.press("ArrowUp")
    chosen = switcher.input_value()
    assert chosen != current
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Andere organisatie kiezen"
    page.keyboard.press("Enter")

    expected = world.peer_organisation if chosen == str(world.peer_organisation.pk) else world.organisation
    expect(page.get_by_role("status")).to_contain_text(f"U werkt nu voor {expected.name}")
    expect(page.get_by_label("U werkt voor")).to_have_value(str(expected.pk))
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Organisatie")).to_have_attribute(
        "href", expected.get_absolute_url())


def test_adding_a_location_with_the_keyboard_only(live_server, page, context):
    world = build_world()
    log_in(context, live_server, world.people["quality"])
    page.goto(world.organisation.get_absolute_url())

    tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "Locatie toevoegen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Locatie toevoegen")

    tab_until(page, lambda f: f["name"] == "name")
    for value, next_field in [
        ("De Eik", "kvk_establishment_number"),
        ("000099887766", "street"),
        ("Eikenlaan 3", "postal_code"),
        ("6711ab", "city"),
        ("Ede", "places"),
        ("48", "is_active"),
    ]:
        page.keyboard.type(value)
        page.keyboard.press("Tab")
        assert focused(page)["name"] == next_field
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Opslaan", limit=3)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("De Eik")
    expect(page.get_by_role("status")).to_contain_text("Locatie De Eik is toegevoegd.")
    location = Location.objects.get(organisation=world.organisation, name="De Eik")
    assert (location.postal_code, location.places, location.is_active) == ("6711 AB", 48, True)


# --- 4. Without JavaScript ---------------------------------------------------------------------


@pytest.fixture
def no_js_page(new_context):
    context = new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    return context.new_page()


def test_password_login_without_javascript(live_server, no_js_page):
    page = no_js_page
    world = build_world()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(world.people["council_member"].username)
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("De gebruikersnaam of het wachtwoord klopt niet.")
    expect(page.get_by_label("Gebruikersnaam")).to_have_value(world.people["council_member"].username)

    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Uw raad")).to_be_visible()


def test_adding_a_location_without_javascript(live_server, no_js_page):
    page = no_js_page
    world = build_world()
    log_in(page.context, live_server, world.people["quality"])
    page.goto(world.organisation.get_absolute_url())
    page.get_by_role("link", name="Locatie toevoegen").click()
    page.get_by_label("Naam").fill("De Beuk")
    page.get_by_label("KvK-vestigingsnummer").fill("000011112222")
    page.get_by_label("Straat en huisnummer").fill("Beukenweg 1")
    page.get_by_label("Postcode").fill("3811 AA")
    page.get_by_label(re.compile(r"^Plaats:?$")).fill("Amersfoort")
    page.get_by_label("Aantal plaatsen").fill("32")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("De Beuk")
    expect(page.get_by_role("status")).to_contain_text("Locatie De Beuk is toegevoegd.")
    assert Location.objects.filter(organisation=world.organisation, name="De Beuk", places=32).exists()


def test_pages_keep_to_their_own_content_security_policy(live_server, page):
    """htmx would add an inline style, which the CSP refuses; and /favicon.ico must not be a 404."""
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/inloggen/")
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert refused == []
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg")
