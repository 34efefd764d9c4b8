"""`make extension SERVICE_URL=https://…`: the extension built for a public service (issue 10)."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "tools" / "build_extension.py"
SERVICE_URL = "https://tsuho.example.jp"
LOOPBACK = re.compile(r"127\.0\.0\.1|localhost|\[::1\]")
DEFAULT_LINE = re.compile(r'serviceUrl: "([^"]+)",')


def build(out: Path, service_url: str | None = None) -> subprocess.CompletedProcess:
    args = [sys.executable, str(BUILD), str(out), *(["--service-url", service_url] if service_url else [])]
    return subprocess.run(args, capture_output=True, text=True, check=False)


def user_visible_text(directory: Path) -> list[str]:
    """Every string a person can see: the messages, the pages' text and the manifest's strings."""
    texts = [
        entry["message"]
        for path in directory.glob("_locales/*/messages.json")
        for entry in json.loads(path.read_text("utf-8")).values()
    ]
    texts += [path.read_text("utf-8") for path in directory.rglob("*.html")]
    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    texts += [value for value in manifest.values() if isinstance(value, str)]
    return texts


@pytest.fixture(scope="module")
def public_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store zip of the public build, made by `make extension` itself (lint included)."""
    work = tmp_path_factory.mktemp("extension")
    made = subprocess.run(
        [
            "make",
            # Never install from here: web-ext is in place before the tests run (`make test` sees to it).
            "--assume-old=node_modules/.installed",
            "extension",
            f"SERVICE_URL={SERVICE_URL}",
            f"PYTHON={sys.executable}",
            f"EXTENSION_BUILD={work / 'build'}",
            f"EXTENSION_DIST={work / 'dist'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    (zipped,) = (work / "dist").glob("*.zip")
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(work / "unzipped")
    return work / "unzipped"


def test_public_build_talks_to_the_public_service_only(public_zip: Path):
    manifest = json.loads((public_zip / "manifest.json").read_text("utf-8"))
    assert manifest["host_permissions"] == ["https://tsuho.example.jp/*"]
    options = (public_zip / "lib" / "options.js").read_text("utf-8")
    assert DEFAULT_LINE.findall(options) == [SERVICE_URL]


def test_public_build_shows_no_loopback_address(public_zip: Path):
    shown = [text for text in user_visible_text(public_zip) if LOOPBACK.search(text)]
    assert shown == []


def test_development_build_keeps_the_loopback_service(tmp_path: Path):
    assert build(tmp_path / "dev").returncode == 0
    manifest = json.loads((tmp_path / "dev" / "manifest.json").read_text("utf-8"))
    assert manifest["host_permissions"] == ["http://127.0.0.1/*"]
    options = (tmp_path / "dev" / "lib" / "options.js").read_text("utf-8")
    assert DEFAULT_LINE.findall(options) == ["http://127.0.0.1:8000"]


@pytest.mark.parametrize(
    "address",
    ["http://tsuho.example.jp", "ftp://tsuho.example.jp", "https://tsuho.example.jp/api", "tsuho.example.jp"],
)
def test_a_public_build_needs_an_https_origin(tmp_path: Path, address: str):
    result = build(tmp_path / "out", address)
    assert result.returncode == 2
    assert "SERVICE_URL" in result.stderr
    assert not (tmp_path / "out").exists()
