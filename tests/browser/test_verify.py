"""The /verify page checks an evidence pack inside the browser and names a tampered file."""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from server.evidence import FORMAT

pytestmark = pytest.mark.browser

FILES = {"capture-1.png": b"\x89PNG one", "report.html": b"<h1>memo</h1>"}


def pack(path: Path, files: dict[str, bytes]) -> Path:
    """A pack whose evidence.json records the hashes of FILES, holding `files`."""
    manifest = {
        "format": FORMAT,
        "files": [{"name": n, "sha256": hashlib.sha256(d).hexdigest()} for n, d in FILES.items()],
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evidence.json", json.dumps(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def verify(page: Page, live_server: str, file: Path) -> None:
    page.goto(f"{live_server}/verify")
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if r.method != "GET" else None)
    page.set_input_files("#pack", str(file))
    expect(page.locator("#verdict")).not_to_be_empty()
    assert uploads == [], "the pack must never leave the browser"


def test_an_unchanged_pack_verifies(page: Page, live_server: str, tmp_path: Path):
    verify(page, live_server, pack(tmp_path / "ok.zip", FILES))
    expect(page.locator("#verdict")).to_have_attribute("data-state", "ok")
    expect(page.locator("#verdict")).to_contain_text("変更はありません")


def test_a_tampered_file_is_named(page: Page, live_server: str, tmp_path: Path):
    verify(page, live_server, pack(tmp_path / "bad.zip", {**FILES, "capture-1.png": b"edited"}))
    expect(page.locator("#verdict")).to_have_attribute("data-state", "bad")
    expect(page.locator("#problems li")).to_have_count(1)
    expect(page.locator("#problems li")).to_have_attribute("data-file", "capture-1.png")


def test_not_a_pack(page: Page, live_server: str, tmp_path: Path):
    other = tmp_path / "x.zip"
    other.write_bytes(b"not a zip")
    verify(page, live_server, other)
    expect(page.locator("#verdict")).to_have_attribute("data-state", "error")
