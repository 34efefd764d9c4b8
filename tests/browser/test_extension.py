"""The browser extension, loaded unpacked in the system Chromium (headless) against the live service."""

import json
import re
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright, expect

from tests.browser.extension_pages import EXTENSION_DIR, MANIFEST, Extension, loaded_extension

pytestmark = pytest.mark.browser

MENU_IDS = ["report-page", "report-link", "report-image", "report-selection", "save-evidence"]
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
    with loaded_extension(playwright_instance, tmp_path / "profile", live_server) as extension:
        yield extension


# ---- the package itself (no browser) ----


def test_manifest_permissions_are_pinned():
    assert MANIFEST["manifest_version"] == 3
    # unlimitedStorage: the evidence kit's captures in IndexedDB (issue 4); no <all_urls>, no tabs.
    assert MANIFEST["permissions"] == ["contextMenus", "activeTab", "storage", "unlimitedStorage"]
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
            used |= set(re.findall(r'\[\["(note\w+)"', text))  # notes: [["noteLink"]]
            used |= set(re.findall(r'title: "(menu\w+)"', text))
            used |= set(re.findall(r'(?:label|child): "(\w+)"', text))  # the first screen's options
            used |= set(re.findall(r'CaptureRefused\("(\w+)"', text))
            used |= set(re.findall(r'^\s+\w+: "(reporter\w+)"', text, re.MULTILINE))
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


def test_service_worker_registers_the_menu_entries(extension: Extension):
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
        "save-evidence": ["page", "selection"],
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
        # The questions clicked: in a fresh profile, and once the reporter is remembered.
        "asked": ["situation", "reporter", "category"],
        "asked_remembered": ["situation", "category"],
        "open": "ihc",  # the window whose 「フォームを開く」 (or 「サイトを開く」) is the last click
        "clicks": 4,  # menu → 見つけた → 違法薬物の販売 → open the form
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
        "asked": ["situation", "reporter", "harm", "goal", "delete_by"],
        "asked_remembered": ["situation", "harm", "goal", "delete_by"],
        "open": "jinken",
        "clicks": 6,  # menu → 自分について → 誹謗中傷 → 削除したい → 代わりに → open
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
        "asked": ["urgent", "reporter", "situation", "category"],
        "asked_remembered": ["urgent", "situation", "category"],
        "open": "ihc",
        "clicks": 5,  # menu → 110 (banner with the call link) → 見つけた → 闇バイト → open
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

    assert asked == case["asked"]
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


@pytest.mark.parametrize("situation", SITUATIONS)
def test_clicks_from_the_menu_to_an_opened_form(extension: Extension, live_server: str, situation: str):
    """Issue 3's goal: right-click → opened form with the checklist copied, reporter remembered."""
    case = SITUATIONS[situation]
    extension.set_options(reporter=case["answers"]["reporter"])
    clicks = 1  # the context-menu entry
    report = extension.click_menu_into_window(
        "report-page", {"pageUrl": PAGE["url"]}, {"id": 1, "title": PAGE["title"]}
    )
    asked = report.walk(case["answers"])
    assert asked == case["asked_remembered"]
    clicks += len(asked)
    card = report.page.locator(f"[data-destination-id='{case['open']}']")
    with extension.context.expect_page():
        card.locator("a[data-action^='open-']").click()
    clicks += 1
    assert clicks == case["clicks"]
    # The checklist block the service made for this report is on the clipboard, ready to paste.
    copied = report.clipboard()
    assert copied == report.page.locator("#text-ja").text_content()
    assert PAGE["url"] in copied
    expected = assess(live_server, {**PAGE, "answers": case["answers"]})
    assert report.destination_ids() == [d["id"] for d in expected["destinations"]]


def test_nothing_is_sent_before_the_first_click_and_the_reporter_goes_with_it(extension: Extension):
    extension.set_options(reporter="self")
    report = extension.open_report(**PAGE)
    bodies: list[dict] = []
    report.page.on("request", lambda r: bodies.append(r.post_data_json) if r.method == "POST" else None)
    expect(report.page.locator("[data-question-id='situation'] button")).to_have_count(4)
    report.page.wait_for_timeout(300)
    assert bodies == []
    report.first_click({"urgent": "no", "situation": "found"})
    assert report.current_question() == "category"
    assert bodies[0]["answers"] == {"urgent": "no", "reporter": "self", "situation": "found"}


def test_the_reporter_is_remembered_and_can_be_changed(extension: Extension):
    report = extension.open_report(**PAGE)
    assert report.reporter_line() is None  # nothing remembered yet: the service asks
    report.walk(SITUATIONS["found-drugs"]["answers"])
    assert extension.worker.evaluate("chrome.storage.sync.get(null)")["reporter"] == "self"

    report = extension.open_report(**PAGE)
    assert report.reporter_line() == "あなた：大人（変更）"
    assert report.walk(SITUATIONS["found-drugs"]["answers"]) == ["situation", "category"]

    report.start_over()
    report.change_reporter()
    expect(report.page.locator("#reporter-cleared")).to_be_visible()
    assert "reporter" not in extension.worker.evaluate("chrome.storage.sync.get(null)")
    report.first_click({"urgent": "no", "situation": "victim"})
    assert report.current_question() == "reporter"  # asked again
    report.answer("reporter", "parent")
    # Only the reporter is remembered: never urgent, the situation or anything about the case.
    stored = extension.worker.evaluate("chrome.storage.sync.get(null)")
    assert set(stored) == {"serviceUrl", "lang", "reporter"}
    assert stored["reporter"] == "parent"


def test_a_child_sees_the_first_screen_in_a_childs_words(extension: Extension):
    extension.set_options(reporter="child")
    report = extension.open_report(**PAGE)
    ja = messages("ja")
    assert report.reporter_line() == "あなた：18歳未満の子供（変更）"
    expect(report.page.locator("[data-question-id='urgent'] button")).to_have_text(
        ja["urgent110Child"]["message"]
    )
    expect(report.page.locator("[data-question-id='situation'] h2")).to_have_text(
        ja["situationQuestionChild"]["message"]
    )
    expect(report.page.locator("[data-question-id='situation'] [data-option-id='found']")).to_have_text(
        ja["situationFoundChild"]["message"]
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("reporter", ["self", "child"])
def test_first_screen_wording_is_the_services(live_server: str, lang: str, reporter: str):
    """The first screen shows the situation question before anything is sent, so its words are
    local copies: they must be the service's own."""
    question = assess(live_server, {"answers": {"urgent": "no", "reporter": reporter}, "lang": lang})[
        "next_question"
    ]
    local = messages(lang)
    suffix = "Child" if reporter == "child" else ""
    assert question["id"] == "situation"
    assert question["text"] == local[f"situationQuestion{suffix}"]["message"]
    assert {o["id"]: o["label"] for o in question["options"]} == {
        o["id"]: local[f"situation{o['id'].capitalize()}{suffix}"]["message"] for o in question["options"]
    }


def test_urgent_shows_110_before_the_next_question(extension: Extension):
    report = extension.open_report(**PAGE)
    report.answer("urgent", "yes")
    expect(report.page.locator("#banner-110 a[href='tel:110']")).to_be_visible()
    expect(report.page.locator("[data-destination-id='police-110']")).to_be_visible()
    assert report.current_question() == "reporter"


def test_back_and_start_over(extension: Extension):
    report = extension.open_report(**PAGE)
    report.answer("situation", "found")
    assert report.current_question() == "reporter"
    report.answer("reporter", "self")
    assert report.current_question() == "category"
    report.back()
    assert report.current_question() == "reporter"
    report.back()
    expect(report.page.locator("#sent")).to_be_visible()  # the first screen again
    report.answer("situation", "victim")
    assert report.current_question() == "harm"  # the reporter is remembered now
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
    expect(report.page.locator("[data-question-id='urgent'] button")).to_have_text(
        messages("en")["urgent110"]["message"]
    )
    expect(report.page.locator("[data-question-id='situation'] h2")).to_have_text(
        messages("en")["situationQuestion"]["message"]
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
    report.answer("situation", "found")
    error = report.page.locator("[data-error-code]")
    expect(error).to_have_attribute("data-error-code", re.compile(r"^url-"))
    report.page.locator("#without-url").click()
    expect(report.page.locator("#rejected")).to_have_count(0)
    assert report.current_question() == "reporter"
    report.answer_rest(SITUATIONS["found-drugs"]["answers"])
    assert "url" not in report.checklist_values()


# ---- options, failure and restarts ----


def test_options_persist(extension: Extension, live_server: str):
    options = extension.open_options()
    defaults = options.page.evaluate("import('../lib/options.js').then((m) => m.DEFAULTS)")
    assert defaults == {"serviceUrl": "http://127.0.0.1:8000", "lang": "auto", "reporter": None}
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
    report.answer("situation", "found")
    unreachable = report.page.locator("#unreachable")
    expect(unreachable).to_be_visible()
    expect(unreachable).to_contain_text(dead)
    expect(report.page.locator("#call-110")).to_have_attribute("href", "tel:110")
    expect(report.page.locator("#mamorouyo")).to_have_attribute(
        "href", "https://www.mhlw.go.jp/mamorouyokokoro/"
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
