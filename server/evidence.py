"""Check an evidence pack exported by the extension against its own record: `python -m server.evidence PACK`.

The check proves that the pack is internally consistent (every file matches the SHA-256 recorded in
evidence.json at export); it cannot prove that nothing was altered before export, or that
evidence.json itself was not rewritten. The same checks run in the browser on /verify
(server/static/verify.js), with the same limits.
"""

import hashlib
import json
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from server.words import UI

FORMAT = "tsuho-navi-evidence/1"
MANIFEST = "evidence.json"
CHUNK = 1024 * 1024


class Limits(NamedTuple):
    """What a pack may hold, read from its directory before anything is inflated."""

    entries: int
    entry_bytes: int
    total_bytes: int
    ratio: int
    ratio_floor: int


# Five HiDPI captures of photo-like noise make a ~55 MB pack; one capture of a 5K screen is at
# most ~59 MB. These leave room for long cases (a capture of a text page is ~0.1–3 MB) while one
# hostile pack cannot make the checker inflate more than 1 GiB or hold more than one 64 MiB entry.
# PNGs are stored, HTML and JSON deflate ~5–10:1; only entries over ratio_floor are held to ratio.
# verify.js has the same numbers; tests/browser/test_verify.py keeps them equal.
LIMITS = Limits(entries=256, entry_bytes=64 * 2**20, total_bytes=2**30, ratio=100, ratio_floor=2**20)


def words(key: str) -> tuple[str, str]:
    """The Japanese and English text of a /verify page string, shared with this command line."""
    return UI[key]["ja"], UI[key]["en"]


# Why a pack was refused: problem code → (ja, en). The page uses the same codes and texts.
PROBLEMS = {
    code: words(f"verify_{code}")
    for code in (
        "unreadable",
        "notpack",
        "duplicate",
        "encrypted",
        "compression",
        "entries",
        "size",
        "total",
        "ratio",
    )
}


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: files whose content differs, files missing, files not listed, or
    the problem (a code of PROBLEMS) that stopped the check and the entry it is about."""

    altered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unlisted: tuple[str, ...] = ()
    problem: str | None = None
    subject: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.altered or self.missing or self.unlisted or self.problem)


class Refused(Exception):
    """A pack the check will not go on with."""

    def __init__(self, problem: str, subject: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.subject = subject


def refuse_hostile(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a directory that could spoof the check or overload the checker, before inflating."""
    if len(entries) > LIMITS.entries:
        raise Refused("entries")
    seen: set[str] = set()
    total = 0
    for entry in entries:
        name = entry.filename
        if name in seen:
            raise Refused("duplicate", name)
        seen.add(name)
        if entry.flag_bits & 1:
            raise Refused("encrypted", name)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused("compression", name)
        if entry.file_size > LIMITS.entry_bytes:
            raise Refused("size", name)
        if entry.file_size > LIMITS.ratio_floor and entry.file_size > LIMITS.ratio * entry.compress_size:
            raise Refused("ratio", name)
        total += entry.file_size
    if total > LIMITS.total_bytes:
        raise Refused("total")


def listed_files(manifest_bytes: bytes) -> dict[str, str]:
    """evidence.json's files as name → SHA-256; anything of another shape is not a pack."""
    try:
        manifest = json.loads(manifest_bytes)
    except (ValueError, RecursionError) as error:
        raise Refused("notpack") from error
    files = manifest.get("files") if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None
    if not isinstance(files, list):
        raise Refused("notpack")
    listed: dict[str, str] = {}
    for file in files:
        if not (
            isinstance(file, dict)
            and isinstance(file.get("name"), str)
            and isinstance(file.get("sha256"), str)
        ):
            raise Refused("notpack")
        if file["name"] in listed:
            raise Refused("notpack")
        listed[file["name"]] = file["sha256"]
    return listed


def sha256_of(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> str:
    """The entry's SHA-256, inflated a chunk at a time (zipfile stops at the declared size and
    checks the CRC, so a stream that lies about its size fails here)."""
    digest = hashlib.sha256()
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise Refused("unreadable", entry.filename) from error
    return digest.hexdigest()


def verify(pack: Path) -> Verdict:
    """Compare every file of the pack with the SHA-256 recorded in its evidence.json."""
    try:
        with zipfile.ZipFile(pack) as archive:
            entries = archive.infolist()
            refuse_hostile(entries)
            found = {entry.filename: entry for entry in entries}
            if MANIFEST not in found:
                raise Refused("notpack")
            with archive.open(found[MANIFEST]) as stream:
                listed = listed_files(stream.read())
            altered = tuple(
                name
                for name, digest in sorted(listed.items())
                if name in found and sha256_of(archive, found[name]) != digest
            )
    except Refused as refused:
        return Verdict(problem=refused.problem, subject=refused.subject)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, ValueError, NotImplementedError):
        return Verdict(problem="unreadable")
    return Verdict(
        altered=altered,
        missing=tuple(sorted(set(listed) - set(found))),
        unlisted=tuple(sorted(set(found) - set(listed) - {MANIFEST})),
    )


def shown(name: str) -> str:
    """A name from a pack as it is safe to print: quoted, control and format characters escaped,
    so that a crafted name cannot move the cursor or erase a verdict on a terminal."""
    return repr(name)


def bilingual(key: str) -> str:
    return " / ".join(words(key))


def report(pack: str, verdict: Verdict) -> None:
    """Print the verdict for one pack: OK on stdout, anything else on stderr."""
    if verdict.ok:
        print(f"{shown(pack)}: OK — {bilingual('verify_ok')}")
        return
    print(
        f"{shown(pack)}: NOT VERIFIED — {bilingual('verify_refused' if verdict.problem else 'verify_bad')}",
        file=sys.stderr,
    )
    if verdict.problem:
        subject = f": {shown(verdict.subject)}" if verdict.subject is not None else ""
        print(f"  {' / '.join(PROBLEMS[verdict.problem])}{subject}", file=sys.stderr)
    for key, files in (
        ("verify_altered", verdict.altered),
        ("verify_missing", verdict.missing),
        ("verify_unlisted", verdict.unlisted),
    ):
        for file in files:
            print(f"  {bilingual(key)}: {shown(file)}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Print the verdict for each pack named, then what the check proves; exit 1 if any failed."""
    if len(argv) < 2:
        print("usage: python -m server.evidence PACK.zip", file=sys.stderr)
        return 2
    failed = False
    for pack in argv[1:]:
        verdict = verify(Path(pack))
        failed |= not verdict.ok
        report(pack, verdict)
    for heading, text in (
        ("verify_proves_heading", "verify_proves"),
        ("verify_not_proves_heading", "verify_not_proves"),
    ):
        for lang in (0, 1):
            print(f"{words(heading)[lang]}: {words(text)[lang]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
