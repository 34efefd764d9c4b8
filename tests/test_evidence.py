"""An exported evidence pack verifies, any altered, missing or added file is named, and a pack built
to spoof the check or to overload the checker is refused before anything is inflated."""

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.evidence import FORMAT, PROBLEMS, main, verify
from tests.conftest import ROOT
from tests.evidence_packs import (
    ESCAPE_NAME,
    FILES,
    HOSTILE,
    MiB,
    deflated,
    large_pack,
    manifest_of,
    pack_with,
    write_pack,
    zip_bytes,
)


@pytest.fixture(params=HOSTILE, ids=list(HOSTILE))
def hostile(request, tmp_path: Path) -> tuple[Path, str, str | None]:
    build, problem, subject = HOSTILE[request.param]
    path = tmp_path / "hostile.zip"
    path.write_bytes(build())
    return path, problem, subject


def test_an_unaltered_pack_verifies(tmp_path: Path, capsys):
    pack = write_pack(tmp_path / "pack.zip", FILES)
    assert verify(pack).ok
    assert main(["verify", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out


def test_an_altered_file_is_named(tmp_path: Path, capsys):
    pack = write_pack(tmp_path / "pack.zip", {**FILES, "capture-2.png": b"edited"}, listed=FILES)
    verdict = verify(pack)
    assert verdict.altered == ("capture-2.png",) and not verdict.ok
    assert main(["verify", str(pack)]) == 1
    err = capsys.readouterr().err
    assert "NOT VERIFIED" in err and "altered (hash differs)" in err and "'capture-2.png'" in err


def test_missing_and_added_files_are_named(tmp_path: Path):
    files = {k: v for k, v in FILES.items() if k != "report.html"} | {"extra.png": b"x"}
    verdict = verify(write_pack(tmp_path / "pack.zip", files, listed=FILES))
    assert (verdict.missing, verdict.unlisted) == (("report.html",), ("extra.png",))


def test_an_entry_named_proto_is_named(tmp_path: Path):
    path = tmp_path / "pack.zip"
    path.write_bytes(zip_bytes(pack_with(("__proto__", b"{}"))))
    assert verify(path).unlisted == ("__proto__",)


def test_a_hostile_pack_gets_its_verdict(hostile: tuple[Path, str, str | None], capsys):
    path, problem, subject = hostile
    verdict = verify(path)
    assert (verdict.problem, verdict.subject) == (problem, subject)
    assert main(["verify", str(path)]) == 1
    err = capsys.readouterr().err
    ja, en = PROBLEMS[problem]
    assert "NOT VERIFIED" in err and ja in err and en in err
    assert "Traceback" not in err


def test_entry_names_are_printed_escaped(tmp_path: Path, capsys):
    """A name with terminal escapes could erase NOT VERIFIED from the screen; it is printed as text."""
    path = tmp_path / "pack.zip"
    path.write_bytes(zip_bytes(pack_with((ESCAPE_NAME, b"x"))))
    assert verify(path).unlisted == (ESCAPE_NAME,)
    assert main(["verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\r" not in err and "\u202e" not in err
    assert r"'\x1b[2K\r\x1b[1A\u202eOK.png'" in err


def test_the_output_says_what_the_check_proves_and_what_not(tmp_path: Path, capsys):
    main(["verify", str(write_pack(tmp_path / "pack.zip", FILES))])
    out = capsys.readouterr().out
    assert "書き出す前" in out and "before the export" in out
    assert "evidence.json そのもの" in out and "evidence.json itself" in out


def test_a_real_bomb_is_refused_before_it_is_inflated(tmp_path: Path):
    """100 MiB of zeros listed in a pack of 100 KB: refused, and the checker's memory stays small."""
    zeros = hashlib.sha256()
    for _ in range(100):
        zeros.update(bytes(MiB))
    listed = [
        {"name": "capture-3.png", "sha256": zeros.hexdigest()},
        *json.loads(manifest_of(FILES))["files"],
    ]
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence.json", json.dumps({"format": FORMAT, "files": listed}))
        for name, data in FILES.items():
            archive.writestr(name, data)
        with archive.open("capture-3.png", "w") as entry:
            for _ in range(100):
                entry.write(bytes(MiB))
    assert path.stat().st_size < MiB
    script = (
        "import resource, sys\n"
        "from server.evidence import main\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "code = main(['verify', sys.argv[1]])\n"
        "print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=ROOT)
    code, grown_kib = map(int, run.stdout.split()[-2:])
    assert grown_kib < 16 * 1024, f"the check grew by {grown_kib} KiB"
    assert code == 1 and PROBLEMS["size"][1] in run.stderr


def test_a_realistic_large_pack_fits_the_limits(tmp_path: Path):
    pack = large_pack(tmp_path / "pack.zip")
    assert pack.stat().st_size > 54 * 1_000_000
    assert verify(pack).ok


def test_the_memo_sends_nobody_to_a_command():
    """report.html is read by police and lawyers: it names the /verify page, not a command line."""
    for lang in ("ja", "en"):
        path = ROOT / "extension" / "_locales" / lang / "messages.json"
        memo = {
            k: v["message"] for k, v in json.loads(path.read_text("utf-8")).items() if k.startswith("memo")
        }
        text = " ".join(memo.values())
        assert "python" not in text and "server.evidence" not in text and "make " not in text
        assert "/verify" in memo["memoVerify"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_damaged_pack_gets_a_verdict_not_a_traceback(tmp_path: Path, data):
    notes = {"notes.txt": b"note " * 200}
    good = bytearray(deflated(pack_with(*notes.items(), listed=FILES | notes)))
    for _ in range(data.draw(st.integers(1, 8))):
        good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.zip"
    path.write_bytes(
        bytes(good[: data.draw(st.integers(0, len(good)))] if data.draw(st.booleans()) else good)
    )
    verdict = verify(path)
    assert verdict.ok or verdict.problem in PROBLEMS or verdict.altered or verdict.missing or verdict.unlisted
