"""The browser extension, loaded unpacked in the system Chromium (headless) against the live service."""

import json
import re
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright, expect

from tests.browser.conftest import CHROMIUM_ARGS, block_outside_network, chromium_path
from tests.browser.extension_pages import (
    EXTENSION_DIR,
    MANIFEST,
    Extension,
    extension_args,
)

pytestmark = pytest.mark.browser

MENU_IDS = ["report-page", "report-link", "report-image", "report-selection"]
PAGE = {"url": "https://example.com/board/thread/42", "title": "掲示板のスレッド"}
# UTC on purpose: the page must show the time in Japan time whatever the computer's time zone.
FOUND_AT = "2026-06-01T12:00:00+00:00"
FOUND_AT_JST = "2026年6月1日 21:00:00（日本時間）"


def messages(lang: str) -> dict:
    return json.loads((EXTENSION_DIR / "_locales" / lang / "messages.json").read_text("utf-8"))


def assess(service_url: str, body: dict) -> dict:
    """The service's own answer, to compare with what the extension shows and copies."""
    request = urllib.request.Request(
        f"{service_url}/api/v1/assess",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def extension(playwright_instance: Playwright, tmp_path: Path, live_server: str) -> Iterator[Extension]:
    """A fresh profile with the extension loaded and pointed at the live service."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        headless=True,
        executable_path=chromium_path(),
        args=[*extension_args(), *CHROMIUM_ARGS],
        locale="ja-JP",
        timezone_id="Europe/London",
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
        extension.set_options(serviceUrl=live_server, lang="ja")
        yield extension
    finally:
        context.close()


# ---- the package itself (no browser) ----


def test_manifest_permissions_are_pinned():
    assert MANIFEST["manifest_version"] == 3
    assert MANIFEST["permissions"] == ["contextMenus", "activeTab", "storage"]
    assert MANIFEST["host_permissions"] == ["http://127.0.0.1:8000/*"]
    assert MANIFEST["optional_host_permissions"] == ["http://*/*", "https://*/*"]
    for key in ("content_scripts", "optional_permissions", "web_accessible_resources"):
        assert key not in MANIFEST
    assert MANIFEST["background"] == {
        "service_worker": "background.js",
        "scripts": ["background.js"],
        "type": "module",
    }
    gecko = MANIFEST["browser_specific_settings"]["gecko"]
    assert gecko["id"]
    assert gecko["data_collection_permissions"]["required"]
    assert MANIFEST["default_locale"] == "ja"


def test_every_string_is_in_both_locales():
    ja, en = messages("ja"), messages("en")
    assert ja.keys() == en.keys()
    used = set(re.findall(r"__MSG_(\w+)__", json.dumps(MANIFEST)))
    for path in EXTENSION_DIR.rglob("*"):
        if path.suffix == ".html":
            used |= set(re.findall(r'data-i18n="(\w+)"', path.read_text("utf-8")))
        elif path.suffix == ".js":
            text = path.read_text("utf-8")
            used |= set(re.findall(r'\bt\("(\w+)"', text))
            used |= set(re.findall(r'\[\["(\w+)"', text))  # notes: [["noteLink"]]
            used |= set(re.findall(r'title: "(menu\w+)"', text))
    assert used - ja.keys() == set()


def test_no_html_parsing_or_remote_code():
    for path in EXTENSION_DIR.rglob("*.js"):
        text = path.read_text("utf-8")
        for forbidden in (
            r"\.innerHTML",
            r"\.outerHTML",
            r"insertAdjacentHTML\(",
            r"\beval\(",
            "new Function",
        ):
            assert not re.search(forbidden, text), f"{forbidden} in {path.name}"
        assert not re.search(r"""import\s.*from\s+["']https?:""", text), path.name
    for path in EXTENSION_DIR.rglob("*.html"):
        assert not re.search(r"""src=["']https?:""", path.read_text("utf-8")), path.name


# ---- the context menu ----


def test_service_worker_registers_the_four_menu_entries(extension: Extension):
    for menu_id in MENU_IDS:
        assert extension.menu_entry_exists(menu_id, wait_ms=5000), menu_id
    assert not extension.menu_entry_exists("no-such-entry")
    contexts = extension.worker.evaluate(
        "Object.fromEntries(globalThis.tsuhoNavi.MENU_ENTRIES.map(e => [e.id, e.contexts]))"
    )
    assert contexts == {
        "report-page": ["page"],
        "report-link": ["link"],
        "report-image": ["image"],
        "report-selection": ["selection"],
    }


@pytest.mark.parametrize(
    ("menu_id", "info", "shown_url", "kind", "note"),
    [
        ("report-page", {"pageUrl": PAGE["url"]}, PAGE["url"], "ページ", None),
        (
            "report-link",
            {"pageUrl": PAGE["url"], "linkUrl": "https://bad.example.net/post/7"},
            "https://bad.example.net/post/7",
            "リンク先",
            "noteLink",
        ),
        (
            "report-image",
            {"pageUrl": PAGE["url"], "srcUrl": "https://img.example.org/a.jpg", "mediaType": "image"},
            "https://img.example.org/a.jpg",
            "画像",
            None,
        ),
        (
            "report-image",
            {"pageUrl": PAGE["url"], "srcUrl": "data:image/png;base64,iVBORw0KGgo=", "mediaType": "image"},
            PAGE["url"],
            "画像",
            "noteImageFallback",
        ),
    ],
    ids=["page", "link", "image", "data-image"],
)
def test_menu_click_opens_the_flow_for_what_was_clicked(
    extension: Extension, menu_id, info, shown_url, kind, note
):
    report = extension.click_menu_into_window(menu_id, info, {"id": 1, "title": PAGE["title"]})
    assert report.sent("url") == shown_url
    assert report.sent("kind") == kind
    assert report.notes() == ([note] if note else [])
    # Nothing is sent yet, and the link's page was never opened.
    assert extension.blocked == []


def test_menu_click_on_a_selection_puts_the_text_in_the_checklist(extension: Extension):
    text = "○○は今夜△△駅で待ち伏せする"
    report = extension.click_menu_into_window(
        "report-selection",
        {"pageUrl": PAGE["url"], "selectionText": text},
        {"id": 1, "title": PAGE["title"]},
    )
    assert report.sent("selection") == text
    report.walk({"urgent": "no", "reporter": "self", "situation": "found", "category": "other-illegal"})
    values = report.checklist_values()
    assert values["selection"] == text
    assert values["url"] == PAGE["url"]
    assert values["title"] == PAGE["title"]


def test_menu_click_opens_the_action_popup_where_it_can(extension: Extension):
    """In a normal window the flow opens as the action popup, which Playwright cannot drive:
    another extension page reads the popup's document instead."""
    probe = extension.open_options().page
    window_id = extension.worker.evaluate("chrome.windows.getCurrent().then((w) => w.id)")
    link = "https://bad.example.net/post/8"
    extension.click_menu(
        "report-link",
        {"pageUrl": PAGE["url"], "linkUrl": link},
        {"id": 1, "windowId": window_id, "title": PAGE["title"]},
    )
    shown_url = """() => chrome.extension.getViews({ type: "popup" })
        .map((view) => view.document.querySelector('#sent [data-field="url"] dd'))
        .find(Boolean)?.textContent"""
    probe.wait_for_function(shown_url)
    assert probe.evaluate(shown_url) == link


# ---- the flow against the live service ----

SITUATIONS = {
    # A person finds a drug-selling post: IHC first, then Safeline; never the victim-only windows.
    "found-drugs": {
        "answers": {"urgent": "no", "reporter": "self", "situation": "found", "category": "drugs"},
        "first": ["ihc", "safeline"],
        "absent": ["slander-hotline", "houterasu", "jinken"],
        "warnings": [],
        "notices": [],
    },
    # A person defamed online wants someone to ask for deletion on their behalf.
    "victim-delete-proxy": {
        "answers": {
            "urgent": "no",
            "reporter": "self",
            "situation": "victim",
            "harm": "defamation",
            "goal": "delete",
            "delete_by": "proxy",
        },
        "first": ["jinken", "slander-hotline"],
        "absent": ["ihc", "police-110"],
        "warnings": [],
        "notices": [],
    },
    # A child sees a threat to kill: 110 first, and the children's lines, in a child's words.
    "child-urgent": {
        "answers": {
            "urgent": "yes",
            "reporter": "child",
            "situation": "found",
            "category": "crime-solicitation",
        },
        "first": ["police-110"],
        "absent": ["slander-hotline"],
        "contains": ["ihc", "kodomo-sos", "kodomo-jinken"],
        "warnings": ["call-110"],
        "notices": ["tell-trusted-adult"],
    },
}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_report_page_walks_a_situation(extension: Extension, live_server: str, situation: str):
    case = SITUATIONS[situation]
    report = extension.open_report(**PAGE, found_at=FOUND_AT)
    assert report.sent("url") == PAGE["url"]
    assert report.sent("title") == PAGE["title"]
    assert report.sent("found_at") == FOUND_AT_JST

    asked = report.walk(case["answers"])

    assert asked == list(case["answers"])
    ids = report.destination_ids()
    assert ids[: len(case["first"])] == case["first"]
    assert not set(case["absent"]) & set(ids)
    assert set(case.get("contains", [])) <= set(ids)
    assert set(case["warnings"]) <= set(report.warning_ids())
    assert report.notice_ids() == case["notices"]
    expect(report.page.locator("#banner-110")).to_have_count(1 if "police-110" in ids else 0)
    expected = assess(live_server, {**PAGE, "found_at": FOUND_AT, "answers": case["answers"]})
    assert ids == [d["id"] for d in expected["destinations"]]
    values = report.checklist_values()
    assert values["url"] == PAGE["url"]
    assert values["title"] == PAGE["title"]
    assert values["found_at"].startswith("2026年6月1日 21時00分")
    assert report.errors == []


def test_urgent_shows_110_before_the_next_question(extension: Extension):
    report = extension.open_report(**PAGE)
    report.answer("urgent", "yes")
    expect(report.page.locator("#banner-110 a[href='tel:110']")).to_be_visible()
    expect(report.page.locator("[data-destination-id='police-110']")).to_be_visible()
    assert report.current_question() == "reporter"


def test_back_and_start_over(extension: Extension):
    report = extension.open_report(**PAGE)
    report.answer("urgent", "no")
    report.answer("reporter", "self")
    assert report.current_question() == "situation"
    report.back()
    assert report.current_question() == "reporter"
    report.back()
    expect(report.page.locator("#sent")).to_be_visible()  # the first screen again
    report.answer("urgent", "no")
    report.start_over()
    expect(report.page.locator("#sent")).to_be_visible()
    assert report.current_question() == "urgent"


def test_copy_all_copies_the_japanese_block(extension: Extension, live_server: str):
    answers = SITUATIONS["found-drugs"]["answers"]
    report = extension.open_report(**PAGE, selection="売ります", found_at=FOUND_AT)
    report.walk(answers)
    expected = assess(
        live_server, {**PAGE, "selection": "売ります", "found_at": FOUND_AT, "answers": answers}
    )["checklist"]["text_ja"]

    assert report.copy_all() == expected
    assert PAGE["url"] in expected and "売ります" in expected

    # One item alone.
    report.page.evaluate("navigator.clipboard.writeText('')")
    report.page.locator("[data-item-id='url'] button.copy").click()
    assert report.clipboard() == PAGE["url"]

    # Opening a window's page copies the block too, so that pasting it is the next step.
    report.page.evaluate("navigator.clipboard.writeText('')")
    card = report.page.locator("[data-destination-id='ihc']")
    with extension.context.expect_page():
        card.locator("a[data-action^='open-']").click()
    assert extension.blocked == ["https://www.internethotline.jp/"]  # opened (outside: blocked)
    assert report.clipboard() == expected


def test_english_interface_copies_japanese_and_says_what_it_is(extension: Extension, live_server: str):
    extension.set_options(lang="en")
    report = extension.open_report(**PAGE, found_at=FOUND_AT)
    expect(report.page.locator("html")).to_have_attribute("lang", "en")
    expect(report.page.locator("[data-question-id='urgent'] h2")).to_have_text(
        messages("en")["urgentQuestion"]["message"]
    )
    answers = SITUATIONS["found-drugs"]["answers"]
    report.walk(answers)
    expected = assess(live_server, {**PAGE, "found_at": FOUND_AT, "answers": answers, "lang": "en"})
    assert report.copy_all() == expected["checklist"]["text_ja"]
    expect(report.page.locator("#japanese-note")).to_be_visible()
    expect(report.page.locator("#text-ja")).to_have_text(expected["checklist"]["text_ja"])
    labels = report.page.locator("#checklist [data-item-id='url'] .label")
    expect(labels).to_have_text(expected["checklist"]["items"][0]["label"])


def test_hostile_title_is_shown_as_text(extension: Extension):
    title = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    report = extension.open_report(url=PAGE["url"], title=title)
    dialogs = []
    report.page.on("dialog", lambda dialog: dialogs.append(dialog))
    assert report.sent("title") == title
    report.walk(SITUATIONS["found-drugs"]["answers"])
    assert report.checklist_values()["title"] == title
    assert report.page.evaluate("window.pwned") is None
    assert report.page.locator("#app script, #app img").count() == 0
    assert dialogs == []


def test_local_url_is_refused_and_the_flow_goes_on_without_it(extension: Extension):
    report = extension.open_report(url="http://127.0.0.1:9/admin", title="router")
    report.answer("urgent", "no")
    error = report.page.locator("[data-error-code]")
    expect(error).to_have_attribute("data-error-code", re.compile(r"^url-"))
    report.page.locator("#without-url").click()
    expect(report.page.locator("#rejected")).to_have_count(0)
    assert report.current_question() == "reporter"
    report.walk(SITUATIONS["found-drugs"]["answers"])
    assert "url" not in report.checklist_values()


# ---- options, failure and restarts ----


def test_options_persist(extension: Extension, live_server: str):
    options = extension.open_options()
    defaults = options.page.evaluate("import('../lib/options.js').then((m) => m.DEFAULTS)")
    assert defaults == {"serviceUrl": "http://127.0.0.1:8000", "lang": "auto"}
    expect(options.service_url).to_have_value(live_server)
    expect(options.lang).to_have_value("ja")

    options.save(service_url="ftp://example.com")
    expect(options.status).to_have_text(messages("ja")["invalidServiceUrl"]["message"])

    # The same origin as now: saved at once, no permission prompt needed.
    options.save(service_url=live_server + "/", lang="en")
    expect(options.status).to_have_text(messages("en")["saved"]["message"])  # now in English
    options.page.reload()
    expect(options.service_url).to_have_value(live_server)
    expect(options.lang).to_have_value("en")
    expect(options.page.locator("label[for=lang]")).to_have_text("Language")
    stored = extension.worker.evaluate("chrome.storage.sync.get(null)")
    assert stored == {"serviceUrl": live_server, "lang": "en"}


def test_options_ask_for_the_host_permission_of_a_new_service(extension: Extension):
    options = extension.open_options()
    # The browser's own prompt cannot be answered from a test: stand in for it and say no.
    options.page.evaluate(
        """() => { chrome.permissions.request = (asked) => {
            window.asked = asked; return Promise.resolve(false); }; }"""
    )
    options.save(service_url="https://tsuho.example.org")
    expect(options.status).to_have_text(messages("ja")["savedNoPermission"]["message"])
    assert options.page.evaluate("window.asked") == {"origins": ["https://tsuho.example.org/*"]}
    stored = extension.worker.evaluate("chrome.storage.sync.get(null)")
    assert stored["serviceUrl"] == "https://tsuho.example.org"


def test_unreachable_service_shows_help_not_a_blank_page(extension: Extension):
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    extension.set_options(serviceUrl=dead)
    report = extension.open_report(**PAGE)
    report.answer("urgent", "no")
    unreachable = report.page.locator("#unreachable")
    expect(unreachable).to_be_visible()
    expect(unreachable).to_contain_text(dead)
    expect(report.page.locator("#call-110")).to_have_attribute("href", "tel:110")
    expect(report.page.locator("#mamorouyo")).to_have_attribute(
        "href", "https://www.mhlw.go.jp/mamorouyo-kokoro/"
    )
    expect(report.page.locator("#soumu-chart")).to_have_attribute(
        "href",
        "https://www.soumu.go.jp/use_the_internet_wisely/trouble/reference/reference01.html",
    )
    expect(report.page.locator("#retry")).to_be_visible()
    assert report.errors == []


def test_flow_works_after_the_service_worker_restarts(extension: Extension):
    assert extension.menu_entry_exists("report-link", wait_ms=5000)  # installed and set up
    extension.worker.evaluate("globalThis.startedBefore = true")
    extension.stop_worker()
    # Any event the worker listens to starts it again; a change of options is one.
    extension.open_options().save(lang="en")
    extension.wait_for_worker()
    assert extension.worker.evaluate("typeof globalThis.tsuhoNavi") == "object"
    assert extension.worker.evaluate("globalThis.startedBefore") is None  # a new worker
    for menu_id in MENU_IDS:
        assert extension.menu_entry_exists(menu_id), menu_id
    report = extension.click_menu_into_window(
        "report-link",
        {"pageUrl": PAGE["url"], "linkUrl": "https://bad.example.net/post/9"},
        {"id": 1, "title": PAGE["title"]},
    )
    assert report.sent("url") == "https://bad.example.net/post/9"
    report.walk(SITUATIONS["found-drugs"]["answers"])
    assert report.destination_ids()[0] == "ihc"
