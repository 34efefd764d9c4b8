"""An exported evidence pack verifies, any altered, missing or added file is named, and a pack built
to spoof the check or to overload the checker is refused before anything is inflated."""

import hashlib
import io
import json
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.evidence import FORMAT, LIMITS, PROBLEMS, main, verify
from tests.conftest import ROOT

FILES = {"capture-1.png": b"\x89PNG fake one", "capture-2.png": b"\x89PNG two", "report.html": b"<h1>x</h1>"}
MiB = 1024 * 1024
ESCAPE_NAME = "\x1b[2K\r\x1b[1A\u202eOK.png"


def manifest_of(files: dict[str, bytes]) -> bytes:
    """An evidence.json recording these files."""
    listed = [{"name": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()]
    return json.dumps({"format": FORMAT, "files": listed}).encode()


def zip_bytes(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A ZIP of these entries in this order, duplicates included."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, which we want here
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def write_pack(path: Path, files: dict[str, bytes], listed: dict[str, bytes] | None = None) -> Path:
    """A pack whose evidence.json lists `listed` (default: the files themselves)."""
    entries = [("evidence.json", manifest_of(files if listed is None else listed)), *files.items()]
    path.write_bytes(zip_bytes(entries))
    return path


def patched(data: bytes, name: str, **fields: int) -> bytes:
    """The ZIP with one entry's flags, method or sizes rewritten in both of its headers, as a
    hostile tool could write them: (offset in the local header, in the central one, format)."""
    layout = {
        "flags": (6, 8, "<H"),
        "method": (8, 10, "<H"),
        "compressed": (18, 20, "<I"),
        "size": (22, 24, "<I"),
    }
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
        central = archive.start_dir
    while out[central : central + 4] == b"PK\x01\x02":
        length, extra, comment = struct.unpack_from("<HHH", out, central + 28)
        if out[central + 46 : central + 46 + length] == name.encode():
            break
        central += 46 + length + extra + comment
    for field, value in fields.items():
        in_local, in_central, form = layout[field]
        struct.pack_into(form, out, local + in_local, value)
        struct.pack_into(form, out, central + in_central, value)
    return bytes(out)


def deflated(entries: list[tuple[str, bytes]]) -> bytes:
    return zip_bytes(entries, zipfile.ZIP_DEFLATED)


def pack_with(*extra: tuple[str, bytes], listed: dict[str, bytes] = FILES) -> list[tuple[str, bytes]]:
    """The entries of a good pack, followed by `extra`."""
    return [("evidence.json", manifest_of(listed)), *FILES.items(), *extra]


def lzma_pack() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in pack_with():
            archive.writestr(name, data, zipfile.ZIP_LZMA if name == "report.html" else zipfile.ZIP_STORED)
    return buffer.getvalue()


def many_big_entries() -> bytes:
    """Entries that each pass the per-entry caps, but not in total (declared, never written)."""
    count = LIMITS.total_bytes // LIMITS.entry_bytes + 1
    data = zip_bytes(pack_with(*((f"capture-{i}.png", b"x") for i in range(3, 3 + count))))
    for i in range(3, 3 + count):
        data = patched(data, f"capture-{i}.png", size=LIMITS.entry_bytes, compressed=LIMITS.entry_bytes)
    return data


# Hostile packs and the exact verdict each gets: (problem, the entry it names). Built in the test.
HOSTILE: dict[str, tuple[Callable[[], bytes], str, str | None]] = {
    "two entries of one name": (
        lambda: zip_bytes(pack_with(("capture-1.png", b"swapped in"))),
        "duplicate",
        "capture-1.png",
    ),
    "encrypted entry": (
        lambda: patched(zip_bytes(pack_with()), "capture-2.png", flags=1),
        "encrypted",
        "capture-2.png",
    ),
    "unknown compression": (lzma_pack, "compression", "report.html"),
    "invented compression": (
        lambda: patched(zip_bytes(pack_with()), "report.html", method=99),
        "compression",
        "report.html",
    ),
    "declares 2 GiB": (
        lambda: patched(zip_bytes(pack_with()), "capture-1.png", size=2**31),
        "size",
        "capture-1.png",
    ),
    "too many entries": (
        lambda: zip_bytes(pack_with(*((f"x{i}", b"") for i in range(LIMITS.entries)))),
        "entries",
        None,
    ),
    "too large in total": (many_big_entries, "total", None),
    "compressed 1000:1": (lambda: deflated(pack_with(("zeros.bin", bytes(8 * MiB)))), "ratio", "zeros.bin"),
    "inflates past its declared size": (
        lambda: patched(
            deflated(pack_with(("zeros.bin", bytes(MiB)), listed=FILES | {"zeros.bin": bytes(MiB)})),
            "zeros.bin",
            size=1000,
        ),
        "unreadable",
        "zeros.bin",
    ),
    "deeply nested evidence.json": (
        lambda: zip_bytes([("evidence.json", b"[" * 100_000 + b"]" * 100_000)]),
        "notpack",
        None,
    ),
    "evidence.json of another shape": (
        lambda: zip_bytes([("evidence.json", json.dumps({"format": FORMAT, "files": [1, 2]}).encode())]),
        "notpack",
        None,
    ),
    "not a zip": (lambda: b"not a zip", "unreadable", None),
    "no evidence.json": (lambda: zip_bytes([("photo.png", b"x")]), "notpack", None),
}


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


def large_pack(path: Path) -> Path:
    """Five HiDPI captures of photo-like noise, stored as the extension stores PNGs (~55 MB)."""
    files = {f"capture-{i}.png": (bytes([i]) * 64 + bytes(range(256))) * 34_000 for i in range(1, 6)}
    files["report.html"] = b"<h1>memo</h1>" * 5_000
    return write_pack(path, files)


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
