"""Accessibility: axe-core finds nothing on any page of the wizard or the extension, in Japanese and
English, and the keyboard focus ring stands out (3:1) from whatever it is drawn on."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_violations
from tests.browser.extension_pages import Extension, open_test_page
from tests.browser.wizard_pages import SITUATIONS, Wizard

pytestmark = pytest.mark.browser

LANGS = ["ja", "en"]
# Walked from the start page through each question to the result and its print view.
WALKS = ["urgent", "child", "found-csam"]
# Pages reached by address: the map, the pack check, a refused URL, an unknown page, a bad answer.
PAGES = ["/destinations", "/verify", "/?url=javascript:alert(1)", "/no-such-page", "/wizard?urgent=maybe"]
# A parent's result (with the guide), its share view and its print memo (with the QR code).
PARENT = "found_at=2026-11-29T20%3A15%3A00%2B09%3A00&urgent=no&reporter=parent&situation=worried"
PAGES += [
    f"/wizard?{PARENT}",
    f"/wizard/share?url=https%3A%2F%2Fx.com%2Fa&{PARENT}",
    f"/wizard/print?{PARENT}",
]
URGENT_FOUND = SITUATIONS["urgent"][1]
CSAM_FOUND = SITUATIONS["found-csam"][1]

# What the focused element shows: its ring, its own background and the one behind it (the first
# ancestor that paints one, else the canvas, which follows the colour scheme).
FOCUS_STYLE = """() => {
    const element = document.activeElement;
    const paint = (node) => getComputedStyle(node).backgroundColor;
    const clear = (colour) => colour === "rgba(0, 0, 0, 0)" || colour === "transparent";
    const probe = document.createElement("div");
    probe.style.background = "Canvas";
    document.body.append(probe);
    let behind = paint(probe);
    probe.remove();
    for (let node = element.parentElement; node; node = node.parentElement) {
        if (!clear(paint(node))) { behind = paint(node); break; }
    }
    const style = getComputedStyle(element);
    // Focus came round (or left the page) once it is back on an element already seen, or on body.
    const seen = (window.focusRingSeen ??= new WeakSet());
    const again = element === document.body || seen.has(element);
    seen.add(element);
    return {
        again, element: element.outerHTML.slice(0, 80),
        style: style.outlineStyle, width: parseFloat(style.outlineWidth),
        outline: style.outlineColor, shadow: style.boxShadow,
        own: clear(paint(element)) ? behind : paint(element), behind,
    };
}"""


def rgb(colour: str) -> tuple[int, int, int]:
    red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.2)."""
    srgb = [c / 255 for c in rgb(colour)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_focus_rings_stand_out(page: Page, most: int = 150) -> None:
    """Tabs through the page and fails for a focused element without a ring, or whose ring's
    colours all fall under 3:1 against a background it is drawn on (its own or the one behind).
    A two-tone ring (an outline and a box-shadow band) counts when either band stands out."""
    problems: list[str] = []
    page.locator("body").focus()
    for checked in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused["again"]:
            assert checked, "no element took the focus"
            assert not problems, "\n".join(problems)
            return
        ring = [focused["outline"], *re.findall(r"rgba?\([^)]*\)", focused["shadow"])]
        if focused["style"] == "none" or focused["width"] < 2:
            problems.append(f"{focused['element']}: no outline")
        for background in {focused["own"], focused["behind"]}:
            best = max(contrast(colour, background) for colour in ring)
            if best < 3:
                problems.append(f"{focused['element']}: ring {ring} on {background} is {best:.2f}:1")
    raise AssertionError(f"focus did not come round after {most} tabs")


# ---- the wizard ----


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", WALKS)
def test_every_wizard_page_of_a_walk_has_no_violations(wizard: Wizard, name: str, lang: str):
    url, answers, _, _ = SITUATIONS[name]
    wizard.open("/", **({"lang": lang} if lang != "ja" else {}))
    assert_no_violations(wizard.page)
    wizard.start(url)
    while (question_id := wizard.question_id()) is not None:
        assert_no_violations(wizard.page, f"question {question_id!r}")
        wizard.answer(question_id, answers[question_id])
    assert_no_violations(wizard.page, "the result")
    wizard.open_share_view()
    assert_no_violations(wizard.page, "the share view")
    wizard.back()
    wizard.open_print_view()
    assert_no_violations(wizard.page, "the print view")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_every_other_page_has_no_violations(wizard: Wizard, path: str, lang: str):
    separator = "&" if "?" in path else "?"
    wizard.page.goto(f"{wizard.base_url}{path}{separator}lang={lang}")
    assert_no_violations(wizard.page)


@pytest.mark.parametrize("path", ["/", "/wizard"])
def test_the_focus_ring_stands_out_on_every_background(wizard: Wizard, path: str):
    # The urgent result has them all: white, the red 110 banner, buttons, tinted boxes.
    wizard.open(path, **(URGENT_FOUND if path == "/wizard" else {}))
    expect(wizard.page.locator("main")).to_be_visible()
    assert_focus_rings_stand_out(wizard.page)


# ---- the extension ----


def assert_no_violations_in_either_scheme(page: Page, where: str) -> None:
    """The extension follows the system's light or dark scheme: both must pass."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_no_violations(page, f"{where} ({scheme})")


@pytest.mark.parametrize("lang", LANGS)
def test_every_extension_page_has_no_violations(extension: Extension, lang: str):
    extension.set_options(lang=lang)
    for answers in (URGENT_FOUND, CSAM_FOUND):
        report = extension.open_report(url="https://bbs.example.jp/thread/1", title="スレッド")
        expect(report.page.locator("#sent")).to_be_visible()
        assert_no_violations_in_either_scheme(report.page, "the report flow's first screen")
        report.first_click(answers)
        report.current_question()
        assert_no_violations_in_either_scheme(report.page, "a question of the report flow")
        report.answer_rest(answers)
        assert_no_violations_in_either_scheme(report.page, "the report flow's result")
        report.page.close()

    options = extension.open_options()
    expect(options.service_url).not_to_have_value("")
    assert_no_violations_in_either_scheme(options.page, "the options")

    tab = extension.press_toolbar_button(open_test_page(extension))
    saved = extension.save_evidence_from_menu(tab)
    expect(saved.page.locator("#capture-saved")).to_be_visible()
    assert_no_violations_in_either_scheme(saved.page, "the saved capture")
    cases = extension.open_cases()
    assert_no_violations_in_either_scheme(cases.page, "the list of cases")
    cases.open_case(cases.case_ids()[0])
    assert_no_violations_in_either_scheme(cases.page, "a case")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_extensions_focus_ring_stands_out(extension: Extension, scheme: str):
    report = extension.open_report(url="https://bbs.example.jp/thread/1", title="スレッド")
    report.page.emulate_media(color_scheme=scheme)
    report.walk(URGENT_FOUND)
    assert_focus_rings_stand_out(report.page)
