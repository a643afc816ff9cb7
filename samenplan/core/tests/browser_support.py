"""Fixtures and helpers for the real-browser tests (Debian chromium driven by Playwright).

A test module imports the fixtures `browser_type_launch_args`, `browser_context_args` and
`context` from here, which overrides pytest-playwright's defaults for that module only (the
project conftest stays untouched). `browser_context_args` points Playwright's `base_url` at the
live server, so tests can `page.goto("/profiel/")`.
"""

from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from playwright.sync_api import Page

from samenplan.core.tests.world import login

__all__ = [
    "PASSWORD",
    "assert_accessible",
    "assert_keyboard_reachable",
    "assert_reflows",
    "browser_context_args",
    "browser_type_launch_args",
    "context",
    "current_totp",
    "focused",
    "log_in",
    "tab_until",
    "use_session_of",
]

PASSWORD = "geheim-wachtwoord-123"
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Debian's chromium; Playwright's own browser download does not work on this network.
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "locale": "nl-NL", "base_url": live_server.url}


@pytest.fixture
def context(new_context):
    # Fail in seconds, not after Playwright's default half minute.
    context = new_context()
    context.set_default_timeout(10_000)
    return context


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}; run `npm install` in the project folder.")
    return AXE_PATH.read_text(encoding="utf-8")


def assert_accessible(page: Page, what: str | None = None) -> None:
    """Runs axe-core on the page and fails on every serious or critical WCAG 2.x A/AA violation.

    The source is evaluated through the DevTools protocol, so the site's CSP does not block it.
    """
    result = page.evaluate(
        "async (tags) => {"
        f"  if (typeof window.axe === 'undefined') {{ {_axe_source()}\n }}"
        "  return await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});"
        "}",
        AXE_TAGS,
    )
    problems = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if problems:
        lines = [f"axe found {len(problems)} serious/critical problem(s) on {what or page.url}:"]
        for violation in problems:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
            for node in violation["nodes"][:8]:
                lines.append(f"    {' '.join(node['target'])}  {node.get('failureSummary', '').splitlines()[-1:]}")
        pytest.fail("\n".join(lines), pytrace=False)


# Visible, enabled elements a keyboard user must be able to reach. Radio buttons count once per
# group (Tab stops at one radio of a group; the arrow keys move within it).
_KEY_JS = "(el) => el.type === 'radio' ? 'radio:' + el.name : (el.id ? '#' + el.id : el.outerHTML.slice(0, 120))"

_INTERACTIVE_JS = """
() => {
  const key = %s;
  const selector = ['a[href]', 'button:not([disabled])', 'input:not([type=hidden]):not([disabled])',
    'select:not([disabled])', 'textarea:not([disabled])', '[tabindex]:not([tabindex="-1"])',
    'details > summary'].join(', ');
  // Chromium reports a size for what a closed <details> hides; only its summary can take focus.
  const folded = (el) => { const closed = el.closest('details:not([open])');
    return closed !== null && !closed.querySelector(':scope > summary').contains(el); };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !folded(el); };
  return [...document.querySelectorAll(selector)].filter(visible).map(key);
}
""" % _KEY_JS

_FOCUS_INFO_JS = """
(el) => {
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  return {
    key: (%s)(el),
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), text: el.textContent.trim(),
    outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
    tabindex: el.getAttribute('tabindex'),
  };
}
""" % _KEY_JS


def focused(page: Page) -> dict | None:
    """What has keyboard focus now, with the style that shows it."""
    return page.evaluate(f"() => ({_FOCUS_INFO_JS})(document.activeElement)")


def tab_until(page: Page, predicate, *, limit: int = 60) -> dict:
    """Presses Tab until `predicate(focused element info)` holds; fails after `limit` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is not None and predicate(info):
            return info
        seen.append(info and (info["id"] or info["text"][:30] or info["tag"]))
    pytest.fail(f"Tab never reached the wanted element on {page.url}; focus went through {seen}", pytrace=False)


def assert_keyboard_reachable(page: Page) -> None:
    """Tabs once round the whole page: every visible control is reached, and focus is always visible.

    A focusin listener records each stop (and its computed focus style) so the walk costs one key
    press per stop.
    """
    found = page.evaluate(_INTERACTIVE_JS)
    # Two links alike (same text and address) are two stops, but one key to look for.
    wanted = list(dict.fromkeys(found))
    page.evaluate(
        f"""() => {{
          const info = {_FOCUS_INFO_JS};
          window.__focusLog = [];
          document.addEventListener('focusin', (event) => window.__focusLog.push(info(event.target)));
        }}"""
    )
    # From wherever focus is, once round the page and a bit. Chromium stops four times in a date
    # box (day, month, year, calendar button), but fires focusin only once.
    dates = page.evaluate("() => document.querySelectorAll('input[type=date]').length")
    for _ in range(len(found) + 2 + 3 * dates):
        page.keyboard.press("Tab")
    stops = [info for info in page.evaluate("() => window.__focusLog") if info is not None]
    reached = {info["key"] for info in stops}
    missing = [key for key in wanted if key not in reached]
    assert not missing, f"not reachable with Tab on {page.url}: {missing}"
    invisible = [
        info["key"] for info in stops
        if (info["outline"] == "none" or info["outlineWidth"] == 0) and info["boxShadow"] in ("none", "")
    ]
    assert not invisible, f"focus is not visible on {page.url} for: {invisible}"


def assert_reflows(page: Page, width: int = 320) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide the page needs no sideways scrolling (a wide table may
    scroll inside its own .table-scroll box)."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": before["height"]})
    try:
        overflow = page.evaluate(
            """(width) => {
              if (document.documentElement.scrollWidth <= width) return null;
              const culprits = [...document.body.querySelectorAll('*')]
                .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll'))
                .map((el) => el.outerHTML.slice(0, 100));
              return culprits.slice(-5).reverse();
            }""",
            width,
        )
    finally:
        page.set_viewport_size(before)
    assert overflow is None, f"{page.url} scrolls sideways at {width}px; too wide: {overflow}"


def use_session_of(client, context, live_server) -> None:
    """Gives the browser context the session of a Django test client (and nothing else)."""
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.clear_cookies()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def log_in(context, live_server, user) -> None:
    """Puts a logged-in session (second factor done where needed) into the browser context."""
    use_session_of(login(Client(), user), context, live_server)


def current_totp(device) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"
