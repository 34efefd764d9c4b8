"""The web wizard in the system Chromium (headless), served by `python -m server`, nothing from outside."""

import io
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Page,
    Route,
    expect,
)

from server.settings import Settings
from tests.answers import DEFAMED_DELETE_MYSELF, SEXTORTION_CHILD
from tests.browser.conftest import block_outside_network
from tests.browser.service import assess
from tests.browser.wizard_pages import SITUATIONS, Wizard

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script>"
QUICK_EXIT_URL = Settings().quick_exit_url


@pytest.fixture
def no_js_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(java_script_enabled=False, locale="ja-JP", timezone_id="Asia/Tokyo")
    context.blocked = block_outside_network(context)  # type: ignore[attr-defined]
    yield context
    assert context.blocked == []  # type: ignore[attr-defined]
    context.close()


def query_of(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def neutral_site(page: Page) -> None:
    """Answer for the quick-exit site locally: a page route wins over the context's blocking."""

    def fulfill(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<title>neutral</title>")

    page.route(lambda url: url == QUICK_EXIT_URL, fulfill)


@pytest.mark.parametrize("name", SITUATIONS)
def test_walk_from_the_start_page_to_the_result(wizard: Wizard, name: str):
    url, answers, expected, warnings = SITUATIONS[name]
    wizard.open("/").start(url).answer_all(answers)
    assert wizard.destination_ids() == expected
    assert set(warnings) <= set(wizard.warning_ids())
    if url:
        expect(wizard.checklist_value("url")).to_have_text(url)
    # Every window shows why it fits; the address holds every answer and the time of finding.
    expect(wizard.page.locator(".card .why")).to_have_count(len(expected))
    assert query_of(wizard.page).items() >= answers.items()
    assert "found_at" in query_of(wizard.page)


def test_urgent_shows_the_110_banner_on_every_following_page(wizard: Wizard):
    wizard.open("/").start()
    expect(wizard.urgent_banner).to_have_count(0)
    wizard.answer("urgent", "yes")
    for question_id, option_id in [("reporter", "self"), ("situation", "found")]:
        expect(wizard.urgent_banner).to_be_visible()
        expect(wizard.urgent_banner.locator("a[href='tel:110']")).to_be_visible()
        wizard.answer(question_id, option_id)
    wizard.answer_all({"category": "crime-solicitation"})
    expect(wizard.urgent_banner).to_be_visible()
    assert wizard.destination_ids()[0] == "police-110"


def test_child_wording_and_a_trusted_adult_first(wizard: Wizard):
    _, answers, _, _ = SITUATIONS["child"]
    wizard.open("/").start().answer("urgent", "no").answer("reporter", "child")
    # From here on the questions use the service's child wording, kanji with readings (the text
    # content holds the reading from <rt> after its kanji).
    expect(wizard.page.locator("form.question legend")).to_have_text("どんなことで困こまっていますか？")
    wizard.answer_all(answers)
    # "It is not your fault", then "tell an adult you trust", before any other note.
    assert wizard.message_ids()[:2] == ["not-your-fault", "tell-trusted-adult"]
    expect(wizard.page.locator(".message").first).to_have_attribute("data-warning-id", "not-your-fault")


def test_csam_says_do_not_save_and_asks_for_no_screenshot(wizard: Wizard):
    url, answers, _, _ = SITUATIONS["found-csam"]
    wizard.open("/").start(url).answer_all(answers)
    expect(wizard.page.locator("[data-warning-id='csam-do-not-save']")).to_be_visible()
    expect(wizard.page.locator("[data-evidence='forbidden']")).to_be_visible()
    expect(wizard.page.locator("[data-item-id='screenshot']")).to_have_count(0)


def test_the_back_link_drops_the_last_answer_and_steps_add_no_history(wizard: Wizard):
    wizard.open("/").start().answer("urgent", "no").answer("reporter", "self")
    assert wizard.question_id() == "situation"
    wizard.back()
    assert wizard.question_id() == "reporter"
    # Each step replaced the one before: the entry before the wizard is the blank tab.
    wizard.page.go_back()
    assert wizard.page.url == "about:blank"


def test_the_whole_wizard_works_without_javascript(no_js_context: BrowserContext, live_server: str):
    wizard = Wizard(no_js_context.new_page(), live_server)
    url, answers, expected, _ = SITUATIONS["victim"]
    wizard.open("/").start(url).answer_all(answers)
    assert wizard.destination_ids() == expected
    # Copy buttons need JavaScript and stay hidden; the text itself is there to select.
    expect(wizard.copy_all_button).to_be_hidden()
    expect(wizard.memo).to_be_visible()
    found_at = query_of(wizard.page)["found_at"]
    expected_memo = assess(live_server, {"url": url, "answers": answers, "found_at": found_at})
    expect(wizard.memo).to_have_value(expected_memo["checklist"]["text_ja"])
    expect(wizard.quick_exit).to_have_attribute("rel", "noreferrer")
    expect(wizard.quick_exit).to_have_attribute("href", QUICK_EXIT_URL)
    wizard.open_print_view()
    expect(wizard.page.locator("h1")).to_have_text("相談メモ")
    expect(wizard.page.locator("button[data-print]")).to_be_hidden()


def test_english_from_the_start_page_to_the_print_view(wizard: Wizard):
    url, answers, expected, _ = SITUATIONS["victim"]
    wizard.open("/", lang="en")
    expect(wizard.page.locator("html")).to_have_attribute("lang", "en")
    expect(wizard.quick_exit).to_have_text("Quick exit")
    wizard.start(url)
    expect(wizard.question.locator("legend")).to_contain_text("Is someone's life or body in danger")
    wizard.answer_all(answers)
    # In English, the foreign-language human rights line follows 人権相談 (§7 rule 25).
    assert wizard.destination_ids() == [*expected, "jinken-foreign"]
    expect(wizard.page.locator("h1")).to_have_text("Where to report")
    expect(wizard.page.locator("#d-ihaho h3")).to_contain_text("Illegal and Harmful Information")
    # The block to paste stays Japanese, for Japanese forms.
    expect(wizard.memo).to_have_attribute("lang", "ja")
    expect(wizard.memo).to_contain_text("【通報・相談メモ】")
    wizard.open_print_view()
    expect(wizard.page.locator("h1")).to_have_text("Consultation memo")
    wizard.switch_language()
    expect(wizard.page.locator("h1")).to_have_text("相談メモ")
    assert "lang" not in query_of(wizard.page)


def test_the_print_view_prints_on_a4(wizard: Wizard):
    url, answers, expected, _ = SITUATIONS["victim"]
    wizard.open("/").start(url).answer_all(answers).open_print_view()
    page = wizard.page
    expect(page.locator("button[data-print]")).to_be_visible()
    assert (
        page.locator("table.memo-windows [data-destination-id]").evaluate_all(
            "rows => rows.map(r => r.dataset.destinationId)"
        )
        == expected
    )
    expect(page.locator(".memo-facts")).to_contain_text(url)
    expect(page.locator(".memo-facts")).to_contain_text("（日本時間）")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    # A4 is 210 × 297 mm, 595 × 842 points: the size comes from the page's own @page rule.
    assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]", pdf)


def test_a_hostile_title_is_shown_as_text_and_never_runs(wizard: Wizard):
    dialogs: list[Dialog] = []
    wizard.page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    _, answers, _, _ = SITUATIONS["victim"]
    wizard.open("/wizard", url="https://x.com/someone/status/1", title=HOSTILE)
    wizard.answer_all(answers)
    expect(wizard.checklist_value("title")).to_have_text(HOSTILE)
    expect(wizard.memo).to_contain_text(f"ページのタイトル：{HOSTILE}")
    wizard.open_print_view()
    expect(wizard.page.locator(".memo-facts")).to_contain_text(HOSTILE)
    assert dialogs == []


def test_copy_all_puts_the_japanese_block_on_the_clipboard(
    wizard: Wizard, context: BrowserContext, live_server: str
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    url, answers, _, _ = SITUATIONS["victim"]
    wizard.open("/").start(url).answer_all(answers)
    expected = assess(
        live_server, {"url": url, "answers": answers, "found_at": query_of(wizard.page)["found_at"]}
    )["checklist"]["text_ja"]
    wizard.copy_all_button.click()
    expect(wizard.copy_all_button).to_have_text("コピーしました")
    assert wizard.page.evaluate("navigator.clipboard.readText()") == expected
    # One item alone, too.
    wizard.page.locator("button[data-copy='value-url']").click()
    assert wizard.page.evaluate("navigator.clipboard.readText()") == url


def test_back_after_quick_exit_shows_nothing_of_the_case(wizard: Wizard):
    neutral_site(wizard.page)
    wizard.open("/").start().answer("urgent", "no").answer("reporter", "child").answer("situation", "victim")
    wizard.quick_exit.click()
    wizard.page.wait_for_url(lambda url: url == QUICK_EXIT_URL)
    wizard.page.go_back()
    assert "/wizard" not in wizard.page.url and "reporter" not in wizard.page.url
    assert wizard.page.url == "about:blank"


def test_escape_twice_is_a_quick_exit(wizard: Wizard):
    neutral_site(wizard.page)
    wizard.open("/destinations")
    wizard.page.keyboard.press("Escape")
    wizard.page.keyboard.press("Escape")
    wizard.page.wait_for_url(lambda url: url == QUICK_EXIT_URL)


def test_a_refused_url_comes_back_to_the_start_page_with_the_message(wizard: Wizard):
    wizard.open("/").start("javascript:alert(1)")
    expect(wizard.error).to_contain_text("http:// か https://")
    expect(wizard.page.locator("#url")).to_have_value("javascript:alert(1)")
    wizard.start("https://x.com/someone/status/1")
    assert wizard.question_id() == "urgent"


def test_the_map_of_windows_links_the_chart_to_each_card(wizard: Wizard):
    wizard.open("/destinations")
    wizard.page.locator(".chart a[href='#d-ihc']").first.click()
    expect(wizard.page.locator("#d-ihc")).to_be_in_viewport()
    assert "ihc" in wizard.destination_ids() and "site-operator" in wizard.destination_ids()


def test_a_scam_result_says_call_the_card_company_first_and_what_calls_cost(wizard: Wizard):
    _, answers, expected, _ = SITUATIONS["scam"]
    wizard.open("/").start().answer_all(answers)
    assert wizard.destination_ids() == expected
    assert wizard.message_ids()[0] == "call-card-company"
    phones = wizard.page.locator(".card .phone")
    expect(phones.first.locator(".cost")).to_be_visible()
    for cost in phones.evaluate_all("items => items.map(i => i.dataset.cost)"):
        assert cost in ("free", "charged")
    expect(wizard.page.locator("#d-consumer-188 .next")).to_be_visible()


def test_an_english_result_marks_the_windows_that_answer_in_other_languages(wizard: Wizard):
    wizard.open("/", lang="en").start().answer_all(DEFAMED_DELETE_MYSELF)
    marked = wizard.page.locator(".card[data-destination-id]:has([data-other-languages])")
    assert marked.evaluate_all("cards => cards.map(c => c.dataset.destinationId)") == ["jinken-foreign"]
    expect(marked.locator(".other-languages")).to_have_text("Answers in other languages too")
    expect(wizard.page.locator("#d-jinken .languages")).to_contain_text("Japanese only")


PHONE = {"width": 390, "height": 844}
CHILD_VICTIM = SITUATIONS["child"][1]
PARENT = {**CHILD_VICTIM, "reporter": "parent"}


def fits_the_phone(wizard: Wizard) -> None:
    """Nothing wider than the 390 px screen: no sideways scrolling."""
    assert wizard.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(wizard.page.locator("a.header-110")).to_be_visible()


@pytest.mark.parametrize("answers", [CHILD_VICTIM, SEXTORTION_CHILD], ids=["victim", "sextortion"])
def test_a_child_walks_from_the_first_screen_on_a_phone(wizard: Wizard, answers: dict):
    wizard.page.set_viewport_size(PHONE)
    wizard.open("/")
    fits_the_phone(wizard)
    wizard.start_as_child()
    # Every question after the child's button is in a child's words, with readings.
    expect(wizard.question).to_have_attribute("data-question-id", "urgent")
    expect(wizard.page.locator("form.question legend ruby").first).to_be_visible()
    while (question_id := wizard.question_id()) is not None:
        fits_the_phone(wizard)
        wizard.answer(question_id, answers[question_id])
    fits_the_phone(wizard)
    assert wizard.message_ids()[:2] == ["not-your-fault", "tell-trusted-adult"]
    assert wizard.destination_ids()[0] == "kodomo-sos"
    expect(wizard.page.locator("#d-kodomo-sos .phone[data-cost='free']").first).to_be_visible()
    expect(wizard.page.locator("h1 ruby")).to_have_count(1)
    wizard.open_share_view()
    fits_the_phone(wizard)


def test_a_parent_gets_the_guide_and_the_childrens_windows_on_a_phone(wizard: Wizard):
    wizard.page.set_viewport_size(PHONE)
    wizard.open("/").start().answer_all(PARENT)
    fits_the_phone(wizard)
    assert {"kodomo-sos", "kodomo-jinken"} <= set(wizard.destination_ids())
    guide = wizard.page.locator(".guide")
    expect(guide.locator("[data-guide-id]").first).to_have_attribute("data-guide-id", "listen")
    expect(guide.locator("[data-guide-id='listen'] .guide-own")).to_be_visible()
    expect(guide.locator("[data-guide-id='local-windows'] .guide-source a")).to_be_visible()
    wizard.open_print_view()
    expect(wizard.page.locator(".guide [data-guide-id='listen']")).to_be_visible()
    expect(wizard.page.locator(".memo-share svg")).to_be_visible()


def decoded_qr(wizard: Wizard) -> str:
    """The QR code on the screen, photographed and read back by zxing-cpp."""
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(wizard.qr.screenshot())))
    return barcode.text


def test_the_qr_code_reads_back_as_exactly_the_share_link(wizard: Wizard):
    url, answers, _, _ = SITUATIONS["victim"]
    wizard.open("/wizard", url=url, title="タイトル", selection="本文").answer_all(answers).open_share_view()
    expect(wizard.page.locator(".share-local")).to_be_visible()
    link = wizard.share_link()
    assert decoded_qr(wizard) == link
    query = query_of_url(link)
    assert "url" not in query and "title" not in query and "selection" not in query
    wizard.include_url_in_share()
    assert decoded_qr(wizard) == wizard.share_link() and query_of_url(wizard.share_link())["url"] == url
    # The link opens the same result.
    wizard.page.goto(wizard.share_link())
    assert wizard.destination_ids() == SITUATIONS["victim"][2]


def query_of_url(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_the_facts_corrected_in_the_wizard_go_into_the_block_to_paste(wizard: Wizard, live_server: str):
    url, answers, _, _ = SITUATIONS["victim"]
    wizard.open("/").start(url).answer_all(answers)
    wizard.correct_facts("2026-11-28T07:05", "ひどい投稿", "問題の本文")
    facts = {"found_at": "2026-11-28T07:05", "title": "ひどい投稿", "selection": "問題の本文"}
    expected = assess(live_server, {"url": url, "answers": answers, **facts})["checklist"]["text_ja"]
    expect(wizard.memo).to_have_value(expected)
    expect(wizard.memo).to_contain_text("2026年11月28日 7時05分")
    expect(wizard.checklist_value("title")).to_have_text("ひどい投稿")
