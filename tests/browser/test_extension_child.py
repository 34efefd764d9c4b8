"""Child mode in the extension (issue 8): a child and a parent walked at a phone's width (390 px),
readings drawn as <ruby>, 110 on every screen, 「おうちの人に見せる」, and the parent guide."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_violations
from tests.browser.extension_pages import PAGE, Extension, ReportPage
from tests.browser.service import assess

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
VICTIM = {"urgent": "no", "reporter": "child", "situation": "victim", "harm": "defamation", "goal": "unsure"}
SEXTORTION = {**VICTIM, "harm": "sextortion"}
PARENT = {**VICTIM, "reporter": "parent"}
# Text nodes with a kanji outside a <ruby>, leaving out what is not the extension's or the
# service's wording: what the page holds (#sent), and the checklist's filled-in facts and the
# block to paste, which are written for the adults who read the report (its labels and advice
# are checked).
KANJI_WITHOUT_READING = r"""() => {
    const skip = "rt, ruby, #sent dd, #checklist .value, #text-ja, title, script, style";
    const kanji = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]/;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node; (node = walker.nextNode()); ) {
        if (!node.parentElement.closest(skip) && kanji.test(node.data)) found.push(node.data.trim());
    }
    return found;
}"""


def open_on_a_phone(extension: Extension, reporter: str) -> ReportPage:
    extension.remember_reporter(reporter)
    report = extension.open_report(**PAGE)
    report.page.set_viewport_size(PHONE)
    expect(report.page.locator("#sent")).to_be_visible()
    return report


def assert_fits_a_phone_with_110(report: ReportPage) -> None:
    """110 can be called from this screen, and nothing is wider than the phone."""
    expect(report.page.locator("#top-110")).to_have_attribute("href", "tel:110")
    expect(report.page.locator("#top-110")).to_be_in_viewport()
    assert report.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def walk_as_a_child(report: ReportPage, answers: dict[str, str]) -> None:
    """The child's walk, checking every screen: readings on every kanji, 110, a phone's width."""
    for screen in range(10):
        assert_fits_a_phone_with_110(report)
        assert report.page.evaluate(KANJI_WITHOUT_READING) == [], f"screen {screen}"
        if screen == 0:
            report.first_click(answers)
        elif (question := report.current_question()) is not None:
            report.answer(question, answers[question])
        else:
            return
    raise AssertionError("no result after ten screens")


@pytest.mark.parametrize("answers", [VICTIM, SEXTORTION], ids=["victim", "sextortion"])
def test_a_child_walks_to_a_result_in_a_childs_words(extension: Extension, live_server: str, answers: dict):
    report = open_on_a_phone(extension, "child")
    bodies: list[dict] = []
    report.page.on("request", lambda r: bodies.append(r.post_data_json) if r.method == "POST" else None)
    walk_as_a_child(report, answers)
    assert {body["markup"] for body in bodies} == {"ruby"}
    # The time the extension sent, not the service's "now" when this asks: a minute may turn between.
    found_at = bodies[-1]["found_at"]
    expected = assess(live_server, {**PAGE, "answers": answers, "markup": "ruby", "found_at": found_at})
    assert report.destination_ids() == [d["id"] for d in expected["destinations"]]
    assert report.destination_ids()[0] == "kodomo-sos"  # the free 24-hour line first
    # The result opens with "it is not your fault", then "tell an adult you trust".
    opening = report.page.locator("#app [data-warning-id], #app [data-notice-id]")
    expect(opening.nth(0)).to_have_attribute("data-warning-id", "not-your-fault")
    expect(opening.nth(1)).to_have_attribute("data-notice-id", "tell-trusted-adult")
    reason = next(w for w in expected["warnings"] if w["id"] == "not-your-fault")["text"]
    assert report.marked_text("[data-warning-id='not-your-fault']") == reason
    kodomo = next(d for d in expected["destinations"] if d["id"] == "kodomo-sos")
    assert report.marked_text("[data-destination-id='kodomo-sos'] h3") == kodomo["name"]
    # Copied text is plain: no readings, no markup.
    copied = report.copy_all()
    assert copied == expected["checklist"]["text_ja"]
    assert "{" not in copied and "|" not in copied
    assert report.plain_text("#share-open") == "おうちの人に見せる"
    expect(report.page.locator("#guide")).to_have_count(0)  # the parent guide is for parents
    if answers is SEXTORTION:
        assert {"sextortion-steps", "csam-do-not-save"} <= set(report.warning_ids())
    assert_no_violations(report.page, "a child's result at 390 px")
    assert report.errors == []


def test_a_parent_gets_the_guide_the_childrens_lines_and_a_link_to_hand_over(
    extension: Extension, live_server: str
):
    report = open_on_a_phone(extension, "parent")
    report.walk(PARENT)
    assert_fits_a_phone_with_110(report)
    expected = assess(live_server, {**PAGE, "answers": PARENT})
    assert report.destination_ids() == [d["id"] for d in expected["destinations"]]
    assert {"kodomo-sos", "kodomo-jinken"} <= set(report.destination_ids())
    guide = report.page.locator("#guide [data-guide-id]")
    shown = guide.evaluate_all("items => items.map(i => i.dataset.guideId)")
    assert shown == [item["id"] for item in expected["guide"]]
    expect(guide.first).to_contain_text(expected["guide"][0]["text"])

    # The share view holds the answers and the language; the page's address only once ticked.
    share = report.page.locator("#share-open")
    query = parse_qs(urlsplit(share.get_attribute("href")).query)
    found_at = query.pop("found_at")
    assert {key: values[0] for key, values in query.items()} == {**expected["answers"], "lang": "ja"}
    assert found_at and "url" not in query
    report.page.locator("#share-with-url").check()
    with extension.context.expect_page() as opened:
        share.click()
    shared = opened.value
    link = urlsplit(shared.url)
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{live_server}/wizard/share"
    # The service's share view opens with its QR code, and its link holds the ticked address.
    expect(shared.locator(".share .qr svg")).to_be_visible()
    shared_link = parse_qs(urlsplit(shared.locator(".share").get_attribute("data-share-link")).query)
    assert shared_link["url"] == [PAGE["url"]]
    assert PAGE["title"] not in shared.url
    shared.close()
    assert_no_violations(report.page, "a parent's result at 390 px")
