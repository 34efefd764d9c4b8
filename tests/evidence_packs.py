"""Evidence packs made for tests: good ones, and hostile ones with the verdict each must get
(tests/test_evidence.py checks the command line with them, tests/browser/test_verify.py the page)."""

import hashlib
import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from server.evidence import FORMAT, LIMITS

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


def large_pack(path: Path) -> Path:
    """Five HiDPI captures of photo-like noise, stored as the extension stores PNGs (~55 MB)."""
    files = {f"capture-{i}.png": (bytes([i]) * 64 + bytes(range(256))) * 34_000 for i in range(1, 6)}
    files["report.html"] = b"<h1>memo</h1>" * 5_000
    return write_pack(path, files)
