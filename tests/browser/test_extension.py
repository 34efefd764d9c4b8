"""The browser extension, loaded unpacked in the system Chromium (headless) against the live service."""

import json
import re
import socket

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.axe import assert_no_violations
from tests.browser.extension_pages import (
    EXTENSION_DIR,
    MANIFEST,
    OPTIONS_PAGE,
    PAGE,
    Extension,
)
from tests.browser.service import assess
from tests.extension_messages import messages

pytestmark = pytest.mark.browser

MENU_IDS = ["report-page", "report-link", "report-image", "report-selection", "save-evidence"]
# UTC on purpose: the page must show the time in Japan time whatever the computer's time zone.
FOUND_AT = "2026-06-01T12:00:00+00:00"
FOUND_AT_JST = "2026年6月1日 21:00:00（日本時間）"


def evaluate_without_gesture(page: Page, expression: str):
    """Runs a script in the page as the page itself would, not as a person's click (Playwright's
    evaluate counts as a user gesture); returns its awaited value."""
    cdp = page.context.new_cdp_session(page)
    try:
        result = cdp.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True, "userGesture": False},
        )
    finally:
        cdp.detach()
    return result["result"].get("value")


# ---- the package itself (no browser) ----


def test_manifest_permissions_are_pinned():
    assert MANIFEST["manifest_version"] == 3
    # unlimitedStorage: the evidence kit's captures in IndexedDB (issue 4); no <all_urls>, no tabs.
    assert MANIFEST["permissions"] == ["contextMenus", "activeTab", "storage", "unlimitedStorage"]
    # Loopback only, any port (Chrome's match patterns match every port when none is given): the
    # default service is http://127.0.0.1:8000, and a development service (or the tests') runs on
    # another local port. Any other origin is asked for at run time, and nothing is sent without it.
    assert MANIFEST["host_permissions"] == ["http://127.0.0.1/*"]
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
        "notices": ["local-windows"],
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
        "notices": ["local-windows"],
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
        "notices": ["tell-trusted-adult", "local-windows"],
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
    extension.remember_reporter(case["answers"]["reporter"])
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


VICTIM_UNSURE = {
    "urgent": "no",
    "reporter": "self",
    "situation": "victim",
    "harm": "defamation",
    "goal": "unsure",
}


def test_a_scam_result_says_call_the_card_company_first_and_what_each_call_costs(
    extension: Extension, live_server: str
):
    """Someone who paid a fake shop: the card company first, then 188 and the police, each phone
    with what the call costs and when it is answered, and what happens after reporting."""
    shop = {"url": "https://fake-shop.example.net/order/7", "title": "激安ブランド通販"}
    answers = {"urgent": "no", "reporter": "self", "situation": "scam", "scam_loss": "paid"}
    report = extension.open_report(**shop)
    assert report.walk(answers) == ["situation", "reporter", "scam_loss"]
    expected = assess(live_server, {**shop, "answers": answers})
    assert report.destination_ids() == [d["id"] for d in expected["destinations"]]
    assert report.destination_ids()[:2] == ["consumer-188", "police-cyber"]
    assert report.warning_ids()[0] == "call-card-company"
    for destination in expected["destinations"]:
        card = report.page.locator(f"[data-destination-id='{destination['id']}']")
        for phone in destination["phones"]:
            item = card.locator(".phones li", has=report.page.locator(f"[data-tel='{phone['number']}']"))
            expect(item).to_have_attribute("data-cost", phone["cost"])
            expect(item.locator(".cost")).to_have_text(phone["cost_label"])
            if phone["hours"]:
                expect(item.locator(".phone-hours")).to_have_text(phone["hours"])
        if destination["next"]:
            expect(card.locator("[data-facts='next'] p")).to_have_text(destination["next"]["text"])
    assert expected["destinations"][0]["phones"], "188 is a phone line"
    assert report.errors == []


def test_a_sextortion_result_opens_with_not_your_fault_and_the_steps(extension: Extension, live_server: str):
    answers = {**VICTIM_UNSURE, "harm": "sextortion"}
    report = extension.open_report(**PAGE)
    report.walk(answers)
    expected = assess(live_server, {**PAGE, "answers": answers})
    assert report.destination_ids() == [d["id"] for d in expected["destinations"]]
    assert report.destination_ids()[:2] == ["police-cyber", "police-8103"]
    first = report.page.locator("#app [data-warning-id], #app [data-notice-id]").first
    expect(first).to_have_attribute("data-warning-id", "not-your-fault")
    assert "sextortion-steps" in report.warning_ids()
    steps = next(w for w in expected["warnings"] if w["id"] == "sextortion-steps")
    expect(report.page.locator("[data-warning-id='sextortion-steps']")).to_have_text(steps["text"])


def test_an_english_result_marks_the_windows_that_answer_in_other_languages(
    extension: Extension, live_server: str
):
    extension.set_options(lang="en")
    instagram = {"url": "https://www.instagram.com/p/abc", "title": "post"}
    answers = VICTIM_UNSURE
    report = extension.open_report(**instagram)
    report.walk(answers)
    expected = assess(live_server, {**instagram, "answers": answers, "lang": "en"})
    marked = report.page.locator("[data-languages]").evaluate_all(
        """lines => lines.map((line) =>
            [line.closest('[data-destination-id]').dataset.destinationId, line.textContent])"""
    )
    others = [d for d in expected["destinations"] if set(d["languages"]) - {"ja"}]
    assert [destination for destination, _ in marked] == [d["id"] for d in others]
    assert "jinken-foreign" in dict(marked)
    assert "English" in dict(marked)["jinken-foreign"] and "Chinese" in dict(marked)["jinken-foreign"]
    assert "languages" in report.warning_ids()
    # Instagram is designated under the Information Distribution Platform Act: its card says so.
    designation = expected["site"]["platform"]["designation"]["text"]
    card = report.page.locator("[data-destination-id='site-operator']")
    expect(card.locator(".designation")).to_have_text(designation)


def test_a_platform_card_shows_only_the_report_pages_for_this_harm(extension: Extension, live_server: str):
    """Like the wizard: YouTube's privacy form is not for defamation, so the card leaves it out."""
    video = {"url": "https://www.youtube.com/watch?v=abc", "title": "動画"}
    report = extension.open_report(**video)
    report.walk(VICTIM_UNSURE)
    operator = next(
        d
        for d in assess(live_server, {**video, "answers": VICTIM_UNSURE})["destinations"]
        if d["id"] == "site-operator"
    )
    card = report.page.locator("[data-destination-id='site-operator']")
    shown = card.locator("[data-facts='links'] a").evaluate_all("links => links.map((a) => a.href)")
    assert shown == [link["url"] for link in operator["links"]]
    assert len(operator["platform"]["report"]) > len(operator["links"]), (
        "the platform has pages for other harms"
    )


def test_the_first_screen_names_the_service_by_its_name_and_host(extension: Extension, live_server: str):
    report = extension.open_report(**PAGE)
    host = live_server.removeprefix("http://")
    expect(report.page.locator("#service-named")).to_contain_text(f"通報ナビ（{host}）")
    extension.set_options(serviceUrl="https://tsuho.example.jp")
    report.page.reload()
    expect(report.page.locator("#service-named")).to_contain_text("通報ナビ（tsuho.example.jp）")
    expect(report.page.locator("body")).not_to_contain_text("127.0.0.1")


def test_the_reporter_an_earlier_version_synced_moves_to_this_device(extension: Extension):
    extension.set_options(reporter="child")  # where earlier versions kept it
    report = extension.open_report(**PAGE)
    assert report.reporter_line() == "あなた：18歳より下の子ども（変える）"
    assert extension.stored_reporter() == "child"
    assert "reporter" not in extension.worker.evaluate("chrome.storage.sync.get(null)")


def test_choosing_child_stores_nothing_in_synced_storage(extension: Extension):
    report = extension.open_report(**PAGE)
    report.first_click({"urgent": "no", "situation": "victim"})
    report.answer("reporter", "child")
    assert report.current_question() == "harm"
    assert extension.stored_reporter() == "child"
    assert "reporter" not in extension.worker.evaluate("chrome.storage.sync.get(null)")


def test_nothing_is_sent_before_the_first_click_and_the_reporter_goes_with_it(extension: Extension):
    extension.remember_reporter("self")
    report = extension.open_report(**PAGE)
    bodies: list[dict] = []
    report.page.on("request", lambda r: bodies.append(r.post_data_json) if r.method == "POST" else None)
    expect(report.page.locator("[data-question-id='situation'] button")).to_have_count(5)
    report.first_click({"urgent": "no", "situation": "found"})
    assert report.current_question() == "category"
    # One request in all, the click's: anything sent before it would be here too.
    first_click = {"urgent": "no", "reporter": "self", "situation": "found"}
    assert [body["answers"] for body in bodies] == [first_click]


def test_the_reporter_is_remembered_and_can_be_changed(extension: Extension):
    report = extension.open_report(**PAGE)
    assert report.reporter_line() is None  # nothing remembered yet: the service asks
    report.walk(SITUATIONS["found-drugs"]["answers"])
    assert extension.stored_reporter() == "self"

    report = extension.open_report(**PAGE)
    assert report.reporter_line() == "あなた：大人（変更）"
    assert report.walk(SITUATIONS["found-drugs"]["answers"]) == ["situation", "category"]

    report.start_over()
    report.change_reporter()
    expect(report.page.locator("#reporter-cleared")).to_be_visible()
    assert extension.stored_reporter() is None
    report.first_click({"urgent": "no", "situation": "victim"})
    assert report.current_question() == "reporter"  # asked again
    report.answer("reporter", "parent")
    # Only the reporter is remembered, on this device: never urgent, the situation or anything about the case.
    assert extension.worker.evaluate("chrome.storage.local.get(null)") == {"reporter": "parent"}
    assert set(extension.worker.evaluate("chrome.storage.sync.get(null)")) == {"serviceUrl", "lang"}


def test_a_child_sees_the_first_screen_in_a_childs_words(extension: Extension):
    extension.remember_reporter("child")
    report = extension.open_report(**PAGE)
    ja = messages("ja")
    assert report.reporter_line() == "あなた：18歳より下の子ども（変える）"
    for selector, key in [
        ("[data-question-id='urgent'] button", "urgent110Child"),
        ("[data-question-id='situation'] h2", "situationQuestionChild"),
        ("[data-question-id='situation'] [data-option-id='found']", "situationFoundChild"),
        ("[data-question-id='situation'] [data-option-id='scam']", "situationScamChild"),
    ]:
        assert report.marked_text(selector) == ja[key], key


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("reporter", ["self", "child"])
def test_first_screen_wording_is_the_services(live_server: str, lang: str, reporter: str):
    """The first screen shows the situation question before anything is sent, so its words are
    local copies: they must be the service's own, a child's with the same readings."""
    body = {"answers": {"urgent": "no", "reporter": reporter}, "lang": lang, "markup": "ruby"}
    question = assess(live_server, body)["next_question"]
    local = messages(lang)
    suffix = "Child" if reporter == "child" else ""
    assert question["id"] == "situation"
    assert question["text"] == local[f"situationQuestion{suffix}"]
    assert {o["id"]: o["label"] for o in question["options"]} == {
        o["id"]: local[f"situation{o['id'].capitalize()}{suffix}"] for o in question["options"]
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


def test_a_redirect_from_the_service_is_not_followed(extension: Extension, live_server: str):
    """A 307 would send the same body (URL, title, selection) to an origin never permitted."""
    evil = "https://evil.example/api/v1/assess"
    extension.context.route(
        f"{live_server}/api/v1/assess",
        lambda route: route.fulfill(
            status=307, headers={"Location": evil, "Access-Control-Allow-Origin": "*"}
        ),
    )
    # Seen as a request, not a route: Playwright routes only the first address of a redirect.
    to_evil: list[str] = []
    extension.context.on("request", lambda r: to_evil.append(r.url) if r.url.startswith(evil) else None)
    report = extension.open_report(**PAGE)
    report.answer("situation", "found")
    expect(report.page.locator("#unreachable")).to_be_visible()
    assert to_evil == []


def test_focus_moves_to_the_heading_of_each_new_screen(extension: Extension):
    """Each answer replaces the screen: focus goes to its heading, not back to the page's start."""
    report = extension.open_report(**PAGE)
    page = report.page
    report.answer("situation", "found")
    expect(page.locator("[data-question-id='reporter'] h2")).to_be_focused()
    report.answer("reporter", "self")
    expect(page.locator("[data-question-id='category'] h2")).to_be_focused()
    report.back()
    expect(page.locator("[data-question-id='reporter'] h2")).to_be_focused()
    report.answer_rest(SITUATIONS["found-drugs"]["answers"])
    result_heading = page.locator("#app h2", has_text=messages("ja")["resultHeading"])
    expect(result_heading).to_be_focused()
    assert result_heading.get_attribute("tabindex") == "-1"  # focusable by script, not a Tab stop


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
        messages("en")["urgent110"]
    )
    expect(report.page.locator("[data-question-id='situation'] h2")).to_have_text(
        messages("en")["situationQuestion"]
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
    expect(options.status).to_have_text(messages("ja")["invalidServiceUrl"])

    # The same origin as now: saved at once, no permission prompt needed.
    options.save(service_url=live_server + "/", lang="en")
    expect(options.status).to_have_text(messages("en")["saved"])  # now in English
    options.page.reload()
    expect(options.service_url).to_have_value(live_server)
    expect(options.lang).to_have_value("en")
    expect(options.page.locator("label[for=lang]")).to_have_text("Language")
    stored = extension.worker.evaluate("chrome.storage.sync.get(null)")
    assert stored == {"serviceUrl": live_server, "lang": "en"}


def test_only_https_and_loopback_http_are_service_addresses(extension: Extension):
    options = extension.open_options()
    cases = {
        "https://tsuho.example.org": "https://tsuho.example.org",
        "https://tsuho.example.org:8443/": "https://tsuho.example.org:8443",
        "http://127.0.0.1:8000": "http://127.0.0.1:8000",
        "http://127.1:8000": "http://127.0.0.1:8000",
        "http://127.254.3.9": "http://127.254.3.9",
        "http://localhost:8000": "http://localhost:8000",
        "http://[::1]:8000": "http://[::1]:8000",
        "http://example.com": None,  # plain http anywhere but this computer
        "http://127.0.0.1.example.com": None,
        "http://128.0.0.1": None,
        "http://[::2]": None,
        "http://10.0.0.1:8000": None,
        "ftp://example.com": None,
        "file:///etc/passwd": None,
        "https://tsuho.example.org/api": None,  # a path is refused, not dropped
        "https://user:pw@tsuho.example.org": None,
        "javascript:alert(1)": None,
    }
    results = options.page.evaluate(
        """(texts) => import('../lib/options.js').then((m) =>
            Object.fromEntries(texts.map((text) => [text, m.normaliseServiceUrl(text)])))""",
        list(cases),
    )
    assert results == cases
    # Per host: Firefox's match patterns cannot hold a port, and a Chrome pattern without one
    # matches every port, so one pattern works in both browsers.
    patterns = options.page.evaluate(
        """() => import('../lib/options.js').then((m) => [
            m.originPattern('http://127.0.0.1:8000'), m.originPattern('https://tsuho.example.org:8443'),
            m.originPattern('http://[::1]:8000')])"""
    )
    assert patterns == ["http://127.0.0.1/*", "https://tsuho.example.org/*", "http://[::1]/*"]


@pytest.mark.parametrize("address", ["http://example.com", "ftp://example.com", "http://192.168.1.2:8000"])
def test_options_refuse_an_address_that_is_not_https_or_loopback(extension: Extension, address: str):
    before = extension.worker.evaluate("chrome.storage.sync.get(null)")
    options = extension.open_options()
    options.save(service_url=address)
    expect(options.status).to_have_text(messages("ja")["invalidServiceUrl"])
    assert extension.worker.evaluate("chrome.storage.sync.get(null)") == before


def test_options_save_nothing_when_the_permission_is_refused(extension: Extension, live_server: str):
    options = extension.open_options()
    # The browser's own prompt cannot be answered from a test: stand in for it and say no.
    options.page.evaluate(
        """() => { chrome.permissions.request = (asked) => {
            window.asked = asked; return Promise.resolve(false); }; }"""
    )
    options.save(service_url="https://tsuho.example.org", lang="en")
    expect(options.status).to_have_text(
        messages("ja")["notSavedNoPermission"].replace("$1", "https://tsuho.example.org")
    )
    assert options.page.evaluate("window.asked") == {"origins": ["https://tsuho.example.org/*"]}
    stored = extension.worker.evaluate("chrome.storage.sync.get(null)")
    assert stored == {"serviceUrl": live_server, "lang": "ja"}


def test_options_save_nothing_while_the_browser_asks(extension: Extension, live_server: str):
    """A real click in headless Chromium: the browser's prompt opens and, with nobody to answer
    it, stays open. Until it is answered nothing is saved."""
    options = extension.open_options()
    options.save(service_url="https://tsuho.example.org")
    expect(options.status).to_have_text(
        messages("ja")["askingPermission"].replace("$1", "https://tsuho.example.org")
    )
    assert extension.worker.evaluate("chrome.storage.sync.get(null)")["serviceUrl"] == live_server


def test_options_save_nothing_when_the_browser_refuses_a_request_without_a_gesture(
    extension: Extension, live_server: str
):
    """Real Chromium, no stand-in: chrome.permissions.request without a user gesture fails."""
    page = extension.context.new_page()
    page.goto(extension.url(OPTIONS_PAGE))
    # Only raw DevTools calls from here on: Playwright's own evaluate and waits count as a gesture.
    status = evaluate_without_gesture(
        page,
        """(async () => {
            const until = (check) => new Promise((resolve) => {
                const poll = () => (check() ? resolve() : setTimeout(poll, 20));
                poll();
            });
            const form = document.getElementById("options");
            const status = document.getElementById("status");
            await until(() => form.serviceUrl.value);
            form.serviceUrl.value = "https://tsuho.example.org";
            form.requestSubmit();
            await until(() => status.classList.contains("error"));
            return status.textContent;
        })()""",
    )
    assert status == messages("ja")["notSavedNoPermission"].replace("$1", "https://tsuho.example.org")
    assert extension.worker.evaluate("chrome.storage.sync.get(null)")["serviceUrl"] == live_server


def test_flow_sends_nothing_to_a_service_not_permitted(extension: Extension):
    """A server can answer CORS itself, so the host permission alone would not stop the request."""
    evil = "https://evil.example"
    extension.set_options(serviceUrl=evil)  # straight into storage, as another program could
    to_evil: list[str] = []

    def answer_anyway(route: Route) -> None:
        to_evil.append(route.request.url)
        route.fulfill(
            json={"complete": True, "next_question": None, "checklist": {"items": [], "text_ja": ""}},
            headers={"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "content-type"},
        )

    extension.context.route(f"{evil}/**", answer_anyway)
    requests: list[str] = []
    extension.context.on("request", lambda r: requests.append(f"{r.url} {r.post_data or ''}"))
    report = extension.open_report(**PAGE, selection="売ります")

    report.answer("situation", "found")

    assert report.current_question() is None  # whatever screen comes next, it has come
    assert to_evil == []
    assert extension.blocked == []
    assert not [r for r in requests if PAGE["url"] in r or "売ります" in r]
    screen = report.page.locator("#not-permitted")
    expect(screen).to_contain_text(messages("ja")["notPermittedHeading"])
    expect(screen).to_contain_text(evil)
    expect(screen.locator("h2")).to_be_focused()
    assert_no_violations(report.page, "the not-permitted screen")
    with extension.context.expect_page(lambda page: OPTIONS_PAGE in page.url):
        report.page.locator("#open-settings").click()


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
