"""The browser suite: pytest + playwright driving Debian's Chromium against
``live_server``. Nothing is fetched from the internet: the browser is the system's
(``/usr/bin/chromium``, never ``playwright install``) and axe-core is served from
``tests/browser/vendor/``.

Run it alone with ``pytest -m browser``; without Chromium these tests are skipped
with the reason.
"""

import os
import shutil
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"

VIEWPORTS = {
    # A small phone, in dark mode; a desktop in light mode: both colour schemes are
    # checked for contrast on every page.
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "color_scheme": "dark",
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    skip = None
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(
            reason=f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium) or set CHROMIUM_PATH to run the browser tests"
        )
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API runs an event loop in this
    thread while the module runs, so Django's guard against ORM calls from async code
    is lifted for that time only (the tests themselves are plain synchronous code)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Tab:
    """A page in a fresh browser context, recording every console error and failed
    request so that a test can fail on them."""

    page: object
    base_url: str
    errors: list = field(default_factory=list)
    allowed: tuple = ()

    def goto(self, path, *, status=200):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.status == status, (path, response)
        return response

    def assert_no_errors(self):
        errors = [e for e in self.errors if not any(a in e for a in self.allowed)]
        assert not errors, "\n".join(errors)

    def axe_violations(self):
        """Serious and critical accessibility violations found by axe-core."""
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    def close(self):
        self.page.context.close()


@pytest.fixture
def open_tab(browser, live_server):
    tabs = []

    def open_(viewport="desktop", *, javascript=True, permissions=()):
        context = browser.new_context(
            **VIEWPORTS[viewport], java_script_enabled=javascript, base_url=live_server.url
        )
        if permissions:
            context.grant_permissions(list(permissions), origin=live_server.url)
        page = context.new_page()
        tab = Tab(page=page, base_url=live_server.url)
        page.on(
            "console",
            lambda message: (
                tab.errors.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))
        page.on(
            "requestfailed",
            lambda request: tab.errors.append(f"request failed: {request.url} {request.failure}"),
        )
        tabs.append(tab)
        return tab

    yield open_
    for tab in tabs:
        tab.close()


@pytest.fixture
def demo(transactional_db):
    """The demo content (the seed pages' researcher, papers and episode)."""
    call_command("load_demo", stdout=StringIO())
