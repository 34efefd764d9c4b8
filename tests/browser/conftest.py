"""Playwright fixtures: the system Chromium, headless, with all outside network blocked."""

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    Route,
    sync_playwright,
)

from tests.browser.wizard_pages import Wizard

if TYPE_CHECKING:
    from tests.browser.extension_pages import Extension

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_PREFIXES = ("http://127.0.0.1:", "http://localhost:", "chrome-extension://", "data:", "blob:")


def chromium_path() -> str:
    """Debian's chromium; Playwright's own browser download is not available here."""
    path = shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    return path


def block_outside_network(context: BrowserContext) -> list[str]:
    """Abort every request that leaves this machine and return the list of blocked URLs."""
    blocked: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    return blocked


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context per test, outside network blocked."""
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    context.blocked = block_outside_network(context)  # type: ignore[attr-defined]
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on outside requests, console errors (CSP) and failed assets."""
    page = context.new_page()
    # A CSP violation or a script error shows in the console; a missing style or script as a failed
    # response (a page itself may be a 400 on purpose).
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert context.blocked == [], "the pages must load nothing from outside"  # type: ignore[attr-defined]
    assert errors == []


@pytest.fixture
def extension(playwright_instance: Playwright, tmp_path: Path, live_server: str) -> Iterator["Extension"]:
    """A fresh profile with the extension loaded and pointed at the live service."""
    # extension_pages imports this module (the Chromium flags), so it is imported here.
    from tests.browser.extension_pages import loaded_extension

    with loaded_extension(playwright_instance, tmp_path / "profile", live_server) as extension:
        yield extension


@pytest.fixture
def wizard(page: Page, live_server: str) -> Wizard:
    """The web wizard on the live service, as a page object."""
    return Wizard(page, live_server)
