"""Page objects for the browser extension: the loaded extension, its report flow and its options."""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import BrowserContext, CDPSession, Page, Worker, expect

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"
MANIFEST = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
REPORT_PAGE = MANIFEST["action"]["default_popup"]
OPTIONS_PAGE = MANIFEST["options_ui"]["page"]
# A window id no browser hands out: the action popup cannot open there, so the extension falls
# back to its small window, which (unlike the popup) Playwright sees as a page.
NO_SUCH_WINDOW = 987_654_321


def extension_args() -> list[str]:
    return [f"--disable-extensions-except={EXTENSION_DIR}", f"--load-extension={EXTENSION_DIR}"]


@dataclass
class Extension:
    """The extension loaded in a persistent Chromium context."""

    context: BrowserContext
    id: str
    blocked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.id}/{path}"

    @property
    def worker(self) -> Worker:
        return self.context.service_workers[0]

    def set_options(self, **options: str) -> None:
        self.worker.evaluate("options => chrome.storage.sync.set(options)", options)

    def menu_entry_exists(self, menu_id: str, wait_ms: int = 0) -> bool:
        """chrome.contextMenus has no getter; update() fails for an id that was never created.
        Menus are created asynchronously after install, hence the optional wait."""
        return self.worker.evaluate(
            """async ([id, waitMs]) => {
                const until = Date.now() + waitMs;
                for (;;) {
                    try { await chrome.contextMenus.update(id, {}); return true; }
                    catch { if (Date.now() > until) return false; }
                    await new Promise((resolve) => setTimeout(resolve, 50));
                }
            }""",
            [menu_id, wait_ms],
        )

    def click_menu(self, menu_id: str, info: dict, tab: dict) -> None:
        """Runs the service worker's click listener as the browser would for a menu click."""
        self.worker.evaluate(
            "([info, tab]) => globalThis.tsuhoNavi.onMenuClick(info, tab)",
            [{"menuItemId": menu_id, "editable": False, **info}, tab],
        )

    def click_menu_into_window(self, menu_id: str, info: dict, tab: dict) -> "ReportPage":
        """A menu click where the popup cannot open: the flow opens in a small window."""
        with self.context.expect_page(lambda page: REPORT_PAGE in page.url) as opened:
            self.click_menu(menu_id, info, {**tab, "windowId": NO_SUCH_WINDOW})
        return ReportPage(opened.value)

    def open_report(self, **params: str) -> "ReportPage":
        """The popup page opened as a tab, with ?url=&title=&selection= standing in for the tab."""
        page = self.context.new_page()
        page.goto(self.url(REPORT_PAGE) + ("?" + urlencode(params) if params else ""))
        return ReportPage(page)

    def open_options(self) -> "OptionsPage":
        page = self.context.new_page()
        page.goto(self.url(OPTIONS_PAGE))
        return OptionsPage(page)

    def stop_worker(self) -> None:
        """Stops the service worker as the browser does when it is idle (the way Chrome's own
        samples do it: close its DevTools target), and waits until it is gone."""
        cdp = self.context.new_cdp_session(self.context.pages[0])
        try:
            cdp.send("Target.closeTarget", {"targetId": self._worker_target(cdp)})
            for _ in range(100):
                if self._worker_target(cdp) is None:
                    return
                time.sleep(0.05)
            raise AssertionError("the service worker did not stop")
        finally:
            cdp.detach()

    def wait_for_worker(self) -> None:
        """Waits until the service worker runs again: evaluating in a stopped one would wait forever."""
        cdp = self.context.new_cdp_session(self.context.pages[0])
        try:
            for _ in range(200):
                if self._worker_target(cdp) is not None:
                    return
                time.sleep(0.05)
            raise AssertionError("the service worker did not start again")
        finally:
            cdp.detach()

    def _worker_target(self, cdp: CDPSession) -> str | None:
        targets = cdp.send("Target.getTargets")["targetInfos"]
        return next(
            (
                target["targetId"]
                for target in targets
                if target["type"] == "service_worker" and self.id in target["url"]
            ),
            None,
        )


class ReportPage:
    """The report flow (the action popup's page)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def sent(self, name: str) -> str:
        """A row of the first screen, "what will be sent": kind, url, title, selection, found_at."""
        return self.page.locator(f'#sent [data-field="{name}"] dd').inner_text()

    def notes(self) -> list[str]:
        return self.page.locator("[data-note]").evaluate_all("notes => notes.map(note => note.dataset.note)")

    def answer(self, question_id: str, option_id: str) -> None:
        question = self.page.locator(f'[data-question-id="{question_id}"]')
        question.locator(f'[data-option-id="{option_id}"]').click()
        expect(question).to_have_count(0)

    def current_question(self) -> str | None:
        """The id of the question on screen, or None once the result (or an error) shows."""
        screen = self.page.locator("[data-question-id], #checklist, #unreachable, #rejected").first
        screen.wait_for()
        return screen.get_attribute("data-question-id")

    def walk(self, answers: dict[str, str]) -> list[str]:
        """Answers whatever the service asks, from `answers`, until the result; returns the ids asked."""
        asked = []
        while (question := self.current_question()) is not None:
            assert question in answers, f"unexpected question {question!r} after {asked}"
            asked.append(question)
            self.answer(question, answers[question])
        expect(self.page.locator("#checklist")).to_be_visible()
        return asked

    def destination_ids(self) -> list[str]:
        return self.page.locator("[data-destination-id]").evaluate_all(
            "cards => cards.map(card => card.dataset.destinationId)"
        )

    def warning_ids(self) -> list[str]:
        return self.page.locator("[data-warning-id]").evaluate_all(
            "items => items.map(item => item.dataset.warningId)"
        )

    def notice_ids(self) -> list[str]:
        return self.page.locator("[data-notice-id]").evaluate_all(
            "items => items.map(item => item.dataset.noticeId)"
        )

    def checklist_values(self) -> dict[str, str]:
        """Checklist item id → the value shown (only items that have one)."""
        return self.page.locator("#checklist [data-item-id]").evaluate_all(
            """items => Object.fromEntries(items
                .filter(item => item.querySelector('.value:not(.missing)'))
                .map(item => [item.dataset.itemId, item.querySelector('.value').textContent]))"""
        )

    def copy_all(self) -> str:
        self.page.locator("#copy-all").click()
        expect(self.page.locator("#copy-status")).not_to_be_empty()
        return self.clipboard()

    def clipboard(self) -> str:
        return self.page.evaluate("navigator.clipboard.readText()")

    def back(self) -> None:
        self.page.locator("#back").click()

    def start_over(self) -> None:
        self.page.locator("#start-over").click()


class OptionsPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def service_url(self):
        return self.page.locator("#service-url")

    @property
    def lang(self):
        return self.page.locator("#lang")

    @property
    def status(self):
        return self.page.locator("#status")

    def save(self, service_url: str | None = None, lang: str | None = None) -> None:
        if service_url is not None:
            self.service_url.fill(service_url)
        if lang is not None:
            self.lang.select_option(lang)
        self.page.locator("button[type=submit]").click()
