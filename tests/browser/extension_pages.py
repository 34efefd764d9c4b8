"""Page objects for the browser extension: the loaded extension, its report flow, its options and
its cases page (the evidence kept on the device)."""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import BrowserContext, CDPSession, Page, Playwright, Worker, expect

from tests.browser.conftest import CHROMIUM_ARGS, block_outside_network, chromium_path
from tests.browser.wizard_pages import ids

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"
MANIFEST = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
REPORT_PAGE = MANIFEST["action"]["default_popup"]
OPTIONS_PAGE = MANIFEST["options_ui"]["page"]
CASES_PAGE = "cases/cases.html"
# The tab most reports start from, as the popup is told of it (?url=&title=).
PAGE = {"url": "https://example.com/board/thread/42", "title": "掲示板のスレッド"}
# A window id no browser hands out: the action popup cannot open there, so the extension falls
# back to its small window, which (unlike the popup) Playwright sees as a page.
NO_SUCH_WINDOW = 987_654_321
# A test page's title that would run script if any page drew it as HTML.
HOSTILE_TITLE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> 悪質な投稿'
BOARD = "https://bbs.example.jp/thread"
# Lets the test press the toolbar button through the DevTools protocol (Extensions.triggerAction),
# which Chromium allows only with this switch over --remote-debugging-pipe (Playwright's link).
DEBUGGING_ARG = "--enable-unsafe-extension-debugging"
# An element's text with each <ruby>base<rt>reading</rt></ruby> written back as {base|reading}.
RUBY_AS_MARKUP = """(element) => {
    const copy = element.cloneNode(true);
    for (const ruby of copy.querySelectorAll("ruby")) {
        const reading = ruby.querySelector("rt")?.textContent ?? "";
        ruby.querySelector("rt")?.remove();
        ruby.replaceWith(`{${ruby.textContent}|${reading}}`);
    }
    return copy.textContent;
}"""


def extension_args() -> list[str]:
    return [f"--disable-extensions-except={EXTENSION_DIR}", f"--load-extension={EXTENSION_DIR}"]


@contextmanager
def loaded_extension(playwright: Playwright, profile: Path, service_url: str) -> Iterator["Extension"]:
    """A fresh profile with the extension loaded, outside network blocked, pointed at the service."""
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        headless=True,
        executable_path=chromium_path(),
        args=[*extension_args(), *CHROMIUM_ARGS, DEBUGGING_ARG],
        locale="ja-JP",
        timezone_id="Europe/London",
        accept_downloads=True,
    )
    try:
        blocked = block_outside_network(context)
        worker = (
            context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        )
        # Writing is a user gesture's job; reading it back is the test's.
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        extension = Extension(context, worker.url.split("/")[2], blocked)
        # Japanese on purpose: headless Chromium's own language is en-US whatever the locale.
        extension.set_options(serviceUrl=service_url, lang="ja")
        yield extension
    finally:
        context.close()


def open_test_page(extension: "Extension", name: str = "thread", title: str = HOSTILE_TITLE) -> Page:
    """A board page with posts and their posters, enough to fill the screen. Playwright fulfils it
    inside the browser (nothing is fetched; the outside network stays blocked), at a public-looking
    address: the service refuses to look up local addresses such as 127.0.0.1."""
    page = extension.context.new_page()
    url = f"{BOARD}/{name}"
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    post = "売ります。連絡はDMで。" * 6
    posts = "".join(f"<article><h2>@user_{i}</h2><p>{post} No.{i}</p></article>" for i in range(40))
    body = (
        f"<!doctype html><html lang=ja><head><meta charset=utf-8><title>{escaped}</title>"
        "<style>body{font:16px sans-serif;margin:2rem}h2{color:#b3261e}"
        "article{border:1px solid #888;margin:1rem 0;padding:.5rem;background:#fffbe6}</style>"
        f"</head><body><h1>掲示板 {name}</h1>{posts}</body></html>"
    )
    page.route(url, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=body))
    page.goto(url)
    return page


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

    def remember_reporter(self, reporter: str) -> None:
        """The answer to 「あなたは誰ですか？」 as the extension remembers it: on this device only."""
        self.worker.evaluate("reporter => chrome.storage.local.set({ reporter })", reporter)

    def stored_reporter(self) -> str | None:
        return self.worker.evaluate("chrome.storage.local.get('reporter')").get("reporter")

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

    def open_cases(self) -> "CasesPage":
        """The cases page, in a window of its own: a new tab would hide the test page, and only
        the tab shown in its window can be captured."""
        url = self.url(CASES_PAGE)
        with self.context.expect_page(lambda page: page.url == url) as opened:
            self.worker.evaluate("(url) => chrome.windows.create({ url })", url)
        return CasesPage(opened.value)

    # ---- evidence: a real tab, and the activeTab grant a person's click gives ----

    def press_toolbar_button(self, page: Page) -> dict:
        """Presses the extension's toolbar button on the tab showing `page`, as a person would:
        Chromium's own action path runs (it grants activeTab for that tab and opens the action
        popup). Returns the tab as the extension sees it: {id, windowId, url, title, …}."""
        browser = self.context.browser
        assert browser is not None
        cdp = browser.new_browser_cdp_session()
        try:
            targets = cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
            (tab_target,) = [target for target in targets if target["url"] == page.url]
            # Report windows opened earlier have the popup's address too: only a new target is the popup.
            popup = self.url(REPORT_PAGE)
            targets = cdp.send("Target.getTargets")["targetInfos"]
            earlier = {target["targetId"] for target in targets if target["url"] == popup}
            cdp.send("Extensions.triggerAction", {"id": self.id, "targetId": tab_target["targetId"]})
            # The popup opened; close it, as a click elsewhere would, so that it cannot take a
            # later menu click meant for the test's window. The grant belongs to the tab and stays.
            for _ in range(200):
                found = [
                    t["targetId"]
                    for t in cdp.send("Target.getTargets")["targetInfos"]
                    if t["url"] == popup and t["targetId"] not in earlier
                ]
                if found:
                    cdp.send("Target.closeTarget", {"targetId": found[0]})
                    break
                time.sleep(0.025)
            else:
                raise AssertionError("the toolbar button opened no popup")
        finally:
            cdp.detach()
        page.bring_to_front()
        # Without the grant the extension sees no tab's address, so finding it proves the grant.
        return self.worker.evaluate(
            """async (url) => (await chrome.tabs.query({})).find((tab) => tab.url === url)""",
            page.url,
        )

    def menu_tab(self, tab: dict) -> dict:
        """The tab of a menu click, with a window where the popup cannot open (see NO_SUCH_WINDOW):
        the tab id stays real, so the capture still finds the tab and its window."""
        return {"id": tab["id"], "title": tab["title"], "windowId": NO_SUCH_WINDOW}

    def save_evidence_from_menu(self, tab: dict, selection: str | None = None) -> "ReportPage":
        """The 「証拠として保存」 context-menu entry on that tab (it must have the activeTab grant)."""
        info = {"pageUrl": tab["url"], **({"selectionText": selection} if selection else {})}
        return self.click_menu_into_window("save-evidence", info, self.menu_tab(tab))

    def report_from_menu(self, tab: dict) -> "ReportPage":
        """「このページを通報・相談する」 on that tab: the flow, able to capture the tab."""
        return self.click_menu_into_window("report-page", {"pageUrl": tab["url"]}, self.menu_tab(tab))

    def stop_worker(self) -> None:
        """Stops the service worker as the browser does when it is idle (the way Chrome's own
        samples do it: close its DevTools target), and waits until it is gone."""
        with self._devtools() as cdp:
            cdp.send("Target.closeTarget", {"targetId": self._worker_target(cdp)})
            self._await_worker(cdp, running=False, tries=100)

    def wait_for_worker(self) -> None:
        """Waits until the service worker runs again: evaluating in a stopped one would wait forever."""
        with self._devtools() as cdp:
            self._await_worker(cdp, running=True, tries=200)

    @contextmanager
    def _devtools(self) -> Iterator[CDPSession]:
        """A DevTools session through the first page, detached after use."""
        cdp = self.context.new_cdp_session(self.context.pages[0])
        try:
            yield cdp
        finally:
            cdp.detach()

    def _await_worker(self, cdp: CDPSession, running: bool, tries: int) -> None:
        """Asks DevTools every 50 ms, at most `tries` times, until the service worker runs (or is gone)."""
        for _ in range(tries):
            if (self._worker_target(cdp) is not None) == running:
                return
            time.sleep(0.05)
        raise AssertionError(f"the service worker did not {'start again' if running else 'stop'}")

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

    def marked_text(self, selector: str) -> str:
        """The text of the first element matching, each <ruby> written back as {base|reading}."""
        return self.page.locator(selector).first.evaluate(RUBY_AS_MARKUP)

    def plain_text(self, selector: str) -> str:
        """The text of the first element matching, without the readings (what a person reads)."""
        return self.page.locator(selector).first.evaluate(
            """(element) => {
                const copy = element.cloneNode(true);
                copy.querySelectorAll("rt").forEach((rt) => rt.remove());
                return copy.textContent;
            }"""
        )

    def notes(self) -> list[str]:
        return self.page.locator("[data-note]").evaluate_all("notes => notes.map(note => note.dataset.note)")

    def answer(self, question_id: str, option_id: str) -> None:
        question = self.page.locator(f'[data-question-id="{question_id}"]')
        question.locator(f'[data-option-id="{option_id}"]').click()
        expect(question).to_have_count(0)

    def current_question(self) -> str | None:
        """The id of the question on screen, or None once the result (or an error) shows."""
        screen = self.page.locator(
            "[data-question-id], #checklist, #unreachable, #rejected, #not-permitted"
        ).first
        screen.wait_for()
        return screen.get_attribute("data-question-id")

    def walk(self, answers: dict[str, str]) -> list[str]:
        """From the first screen (one click: 110 or the situation, with the remembered reporter),
        answers whatever the service asks, from `answers`, until the result. Returns the ids of the
        questions clicked, in order."""
        return [self.first_click(answers), *self.answer_rest(answers)]

    def answer_rest(self, answers: dict[str, str]) -> list[str]:
        """Answers whatever the service asks, from `answers`, until the result; returns the ids asked."""
        asked: list[str] = []
        while (question := self.current_question()) is not None:
            assert question in answers, f"unexpected question {question!r} after {asked}"
            asked.append(question)
            self.answer(question, answers[question])
        expect(self.page.locator("#checklist")).to_be_visible()
        return asked

    def destination_ids(self) -> list[str]:
        return ids(self.page, "data-destination-id")

    def warning_ids(self) -> list[str]:
        return ids(self.page, "data-warning-id")

    def notice_ids(self) -> list[str]:
        return ids(self.page, "data-notice-id")

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

    # ---- the first screen ----

    def first_click(self, answers: dict[str, str]) -> str:
        """The one click of the first screen: the 110 button for urgent=yes, else the situation."""
        expect(self.page.locator("#sent")).to_be_visible()
        first = "urgent" if answers.get("urgent") == "yes" else "situation"
        self.answer(first, answers[first])
        return first

    def reporter_line(self) -> str | None:
        """「あなた：大人（変更）」 on the first screen, or None when no reporter is remembered."""
        expect(self.page.locator("#sent")).to_be_visible()
        line = self.page.locator("#reporter")
        return self.plain_text("#reporter") if line.count() else None

    def change_reporter(self) -> None:
        self.page.locator("#change-reporter").click()
        expect(self.page.locator("#reporter")).to_have_count(0)

    # ---- evidence ----

    @property
    def capture_button(self):
        return self.page.locator("#capture")

    @property
    def capture_status(self):
        return self.page.locator("#capture-status")

    def capture(self, account: str | None = None, note: str | None = None) -> None:
        """「証拠として保存」 in the flow; waits until it is saved."""
        if account is not None:
            self.page.locator("#capture-account").fill(account)
        if note is not None:
            self.page.locator("#capture-note").fill(note)
        self.capture_button.click()
        expect(self.page.locator("#capture-status #open-case")).to_be_visible()

    def saved_sha256(self) -> str:
        """The hash shown after a context-menu capture."""
        return self.page.locator("#capture-sha256").inner_text()


class OptionsPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        # Ready once the saved address is shown: a value typed earlier would be overwritten by it.
        expect(self.service_url).not_to_have_value("")

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


class CasesPage:
    """The cases page: the evidence kept on this device."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        expect(page.locator("#app [data-i18n=loading]")).to_have_count(0)

    def case_ids(self) -> list[str]:
        return ids(self.page, "data-case-id")

    def capture_ids(self) -> list[str]:
        return ids(self.page, "data-capture-id")

    def open_case(self, case_id: str) -> None:
        self.page.locator(f'[data-case-id="{case_id}"] a').click()
        expect(self.page.locator("#case-title")).to_be_visible()

    def tick_contacted(self, destination: str, date: str, reference: str) -> None:
        row = self.page.locator(f'#contacts [data-destination-id="{destination}"]')
        row.locator("input[type=checkbox]").check()
        row.locator("input[type=date]").fill(date)
        row.locator("input[type=date]").dispatch_event("change")
        row.locator("input[type=text]").fill(reference)
        row.locator("input[type=text]").dispatch_event("change")
        # Every edit saved, not only the first: the page counts the saves still running.
        expect(self.page.locator('#status[data-pending="0"]')).not_to_be_empty()

    def export(self, directory: Path) -> Path:
        """Exports the open case; returns the downloaded ZIP."""
        with self.page.expect_download() as download:
            self.page.locator("#export").click()
        path = directory / download.value.suggested_filename
        download.value.save_as(path)
        return path

    def delete(self, button_id: str) -> None:
        """A two-step delete button: press it, then confirm."""
        self.page.locator(f"#{button_id}").click()
        self.page.locator(f"#{button_id}-confirm").click()

    def stored(self) -> dict:
        """Everything the extension keeps, read straight from IndexedDB, the key files and
        chrome.storage (not through the extension's own code): {databases, raw, keys, cases,
        captures, locks, local, session}. `raw` is the records as stored (sealed: only their
        strings are shown); `cases` and `captures` are those records opened here with their case's
        key, as README describes the format, leaving out any whose key is gone; a capture's image
        is given as its size."""
        return self.page.evaluate(
            """async () => {
                const request = (r) => new Promise((resolve, reject) => {
                    r.onsuccess = () => resolve(r.result);
                    r.onerror = () => reject(r.error);
                });
                // On disk: strings as they are, anything else by its type.
                const shape = (record) => Object.fromEntries(Object.entries(record)
                    .map(([key, value]) => [key, typeof value === "string" ? value : typeof value]));
                const names = (await indexedDB.databases()).map((db) => db.name);
                const raw = { cases: [], captures: [], locks: [] };
                if (names.includes("tsuho-navi-evidence")) {
                    const db = await request(indexedDB.open("tsuho-navi-evidence"));
                    for (const store of db.objectStoreNames) {
                        raw[store] = await request(db.transaction(store).objectStore(store).getAll());
                    }
                    db.close();
                }
                const keys = {};
                const root = await navigator.storage.getDirectory();
                for await (const [name, handle] of root.entries()) {
                    if (name !== "vault") continue;
                    for await (const [file, entry] of handle.entries()) {
                        keys[file] = new Uint8Array(await (await entry.getFile()).arrayBuffer());
                    }
                }
                const open = async (caseId, { iv, data }) => {
                    const key = await crypto.subtle.importKey(
                        "raw", keys[caseId], "AES-GCM", false, ["decrypt"]);
                    const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
                    return crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, bytes);
                };
                const json = async (caseId, sealed) =>
                    JSON.parse(new TextDecoder().decode(await open(caseId, sealed)));
                const cases = [];
                for (const { id, sealed } of raw.cases.filter((kase) => keys[kase.id])) {
                    cases.push({ ...(await json(id, sealed)), id });
                }
                const captures = [];
                for (const { id, caseId, sealed, png } of raw.captures.filter((c) => keys[c.caseId])) {
                    const image = await open(caseId, png);
                    captures.push({ ...(await json(caseId, sealed)), id, caseId, png: image.byteLength });
                }
                return {
                    databases: names,
                    raw: { cases: raw.cases.map(shape), captures: raw.captures.map(shape) },
                    keys: Object.keys(keys),
                    cases,
                    captures,
                    locks: raw.locks,
                    local: await chrome.storage.local.get(null),
                    session: await chrome.storage.session.get(null),
                };
            }"""
        )
