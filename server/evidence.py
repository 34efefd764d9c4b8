"""Check that an evidence pack exported by the extension is unaltered: `python -m server.evidence PACK`."""

import hashlib
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = "tsuho-navi-evidence/1"
MANIFEST = "evidence.json"


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: files whose content differs, files missing, files not listed."""

    altered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unlisted: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.altered or self.missing or self.unlisted or self.problem)


def verify(pack: Path) -> Verdict:
    """Compare every file of the pack with the SHA-256 recorded in its evidence.json."""
    try:
        with zipfile.ZipFile(pack) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                return Verdict(problem=f"{MANIFEST} is missing: this is not an evidence pack")
            manifest = json.loads(archive.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                return Verdict(problem=f"{MANIFEST} is not in the {FORMAT} format")
            listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
            altered = tuple(
                name
                for name, digest in sorted(listed.items())
                if name in names and hashlib.sha256(archive.read(name)).hexdigest() != digest
            )
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as error:
        return Verdict(problem=f"cannot read the pack: {error}")
    return Verdict(
        altered=altered,
        missing=tuple(sorted(set(listed) - names)),
        unlisted=tuple(sorted(names - set(listed) - {MANIFEST})),
    )


def main(argv: list[str]) -> int:
    """Print the verdict for each pack named; exit 1 if any is altered."""
    if len(argv) < 2:
        print("usage: python -m server.evidence PACK.zip", file=sys.stderr)
        return 2
    failed = False
    for name in argv[1:]:
        verdict = verify(Path(name))
        failed |= not verdict.ok
        if verdict.ok:
            print(f"{name}: OK — every file matches its SHA-256 in {MANIFEST}")
            continue
        print(f"{name}: NOT VERIFIED", file=sys.stderr)
        if verdict.problem:
            print(f"  {verdict.problem}", file=sys.stderr)
        for label, files in (
            ("altered (hash differs)", verdict.altered),
            ("missing", verdict.missing),
            ("not listed in evidence.json", verdict.unlisted),
        ):
            for file in files:
                print(f"  {label}: {file}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
