"""The /verify page checks an evidence pack inside the browser, names a tampered file, refuses the
hostile packs that the command line refuses with the same verdict, and says what it proves."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from server.evidence import LIMITS, PROBLEMS
from tests.browser.conftest import block_outside_network
from tests.evidence_packs import ESCAPE_NAME, HOSTILE, large_pack, pack_with, write_pack, zip_bytes

pytestmark = pytest.mark.browser

FILES = {"capture-1.png": b"\x89PNG one", "report.html": b"<h1>memo</h1>"}


def verify(page: Page, live_server: str, file: Path) -> None:
    page.goto(f"{live_server}/verify")
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if r.method != "GET" else None)
    page.set_input_files("#pack", str(file))
    expect(page.locator("#verdict")).not_to_be_empty()
    assert uploads == [], "the pack must never leave the browser"


def test_an_unchanged_pack_verifies(page: Page, live_server: str, tmp_path: Path):
    verify(page, live_server, write_pack(tmp_path / "ok.zip", FILES))
    expect(page.locator("#verdict")).to_have_attribute("data-state", "ok")
    expect(page.locator("#verdict")).to_contain_text("一致しました")


def test_a_realistic_large_pack_verifies(page: Page, live_server: str, tmp_path: Path):
    verify(page, live_server, large_pack(tmp_path / "large.zip"))
    expect(page.locator("#verdict")).to_have_attribute("data-state", "ok")


def test_a_tampered_file_is_named(page: Page, live_server: str, tmp_path: Path):
    verify(
        page,
        live_server,
        write_pack(tmp_path / "bad.zip", {**FILES, "capture-1.png": b"edited"}, listed=FILES),
    )
    expect(page.locator("#verdict")).to_have_attribute("data-state", "bad")
    expect(page.locator("#problems li")).to_have_count(1)
    expect(page.locator("#problems li")).to_have_attribute("data-file", "capture-1.png")


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_pack_gets_the_verdict_of_the_command_line(
    page: Page, live_server: str, tmp_path: Path, case
):
    build, problem, subject = HOSTILE[case]
    path = tmp_path / "hostile.zip"
    path.write_bytes(build())
    verify(page, live_server, path)
    expect(page.locator("#verdict")).to_have_attribute("data-state", "error")
    expect(page.locator("#verdict")).to_contain_text("確認できませんでした")
    line = page.locator("#problems li")
    expect(line).to_have_attribute("data-kind", problem)
    expect(line).to_contain_text(PROBLEMS[problem][0])
    assert line.get_attribute("data-file") == subject


def test_an_entry_named_proto_is_named(page: Page, live_server: str, tmp_path: Path):
    """A plain object used as a map hid `__proto__`: the check must see it like any name."""
    path = tmp_path / "proto.zip"
    path.write_bytes(zip_bytes(pack_with(("__proto__", b"{}"))))
    verify(page, live_server, path)
    expect(page.locator("#verdict")).to_have_attribute("data-state", "bad")
    expect(page.locator("#problems li")).to_have_attribute("data-file", "__proto__")
    expect(page.locator("#problems li")).to_have_attribute("data-kind", "unlisted")


def test_entry_names_are_shown_escaped(page: Page, live_server: str, tmp_path: Path):
    path = tmp_path / "escape.zip"
    path.write_bytes(zip_bytes(pack_with((ESCAPE_NAME, b"x"))))
    verify(page, live_server, path)
    line = page.locator("#problems li")
    expect(line).to_have_attribute("data-kind", "unlisted")
    expect(line).to_contain_text(r"\x1b[2K\r\x1b[1A\u202eOK.png: ")
    assert page.locator("#problems li *").count() == 0


def test_the_limits_are_those_of_the_command_line(page: Page, live_server: str):
    page.goto(f"{live_server}/verify")
    limits = page.evaluate("import('/static/verify.js').then((module) => ({ ...module.LIMITS }))")
    assert limits == {
        "entries": LIMITS.entries,
        "entryBytes": LIMITS.entry_bytes,
        "totalBytes": LIMITS.total_bytes,
        "ratio": LIMITS.ratio,
        "ratioFloor": LIMITS.ratio_floor,
    }


@pytest.mark.parametrize(
    ("lang", "proves", "does_not"),
    [
        (
            "ja",
            "書き出したときに evidence.json に記録された",
            "evidence.json そのものが書き換えられていないこと",
        ),
        ("en", "recorded in evidence.json at export", "evidence.json itself was not rewritten"),
    ],
)
def test_the_page_says_what_the_check_proves_and_what_not(
    page: Page, live_server: str, lang, proves, does_not
):
    page.goto(f"{live_server}/verify?lang={lang}")
    expect(page.locator("main")).to_contain_text(proves)
    expect(page.locator("main")).to_contain_text(does_not)


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    block_outside_network(context)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_without_javascript_nobody_is_sent_to_a_command(
    page_without_javascript: Page, live_server: str, lang
):
    page_without_javascript.goto(f"{live_server}/verify?lang={lang}")
    notice = page_without_javascript.locator("p.notice")
    expect(notice).to_be_visible()
    assert "make" not in notice.inner_text() and "python" not in notice.inner_text()
    expect(page_without_javascript.locator("#verify")).to_be_hidden()
