"""An exported evidence pack verifies, and any altered, missing or added file is named."""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from server.evidence import FORMAT, main, verify

FILES = {"capture-1.png": b"\x89PNG fake one", "capture-2.png": b"\x89PNG two", "report.html": b"<h1>x</h1>"}


def write_pack(path: Path, files: dict[str, bytes], listed: dict[str, bytes] | None = None) -> Path:
    """A pack whose evidence.json lists `listed` (default: the files themselves)."""
    manifest = {
        "format": FORMAT,
        "files": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in (listed or files).items()
        ],
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evidence.json", json.dumps(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_an_unaltered_pack_verifies(tmp_path: Path, capsys):
    pack = write_pack(tmp_path / "pack.zip", FILES)
    assert verify(pack).ok
    assert main(["verify", str(pack)]) == 0
    assert "OK" in capsys.readouterr().out


def test_an_altered_file_is_named(tmp_path: Path, capsys):
    pack = write_pack(tmp_path / "pack.zip", {**FILES, "capture-2.png": b"edited"}, listed=FILES)
    verdict = verify(pack)
    assert verdict.altered == ("capture-2.png",) and not verdict.ok
    assert main(["verify", str(pack)]) == 1
    assert "altered (hash differs): capture-2.png" in capsys.readouterr().err


def test_missing_and_added_files_are_named(tmp_path: Path):
    files = {k: v for k, v in FILES.items() if k != "report.html"} | {"extra.png": b"x"}
    verdict = verify(write_pack(tmp_path / "pack.zip", files, listed=FILES))
    assert (verdict.missing, verdict.unlisted) == (("report.html",), ("extra.png",))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not a zip", "cannot read the pack"),
        (None, "evidence.json is missing"),
    ],
)
def test_not_a_pack(tmp_path: Path, content: bytes | None, problem: str):
    path = tmp_path / "pack.zip"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("photo.png", b"x")
    else:
        path.write_bytes(content)
    assert verify(path).problem.startswith(problem)
