"""Copy extension/ to a build directory, pointed at a public service when SERVICE_URL is given.

`python tools/build_extension.py OUT [--service-url https://host]`: without a service URL the copy
is the development build (service http://127.0.0.1:8000, host permission http://127.0.0.1/*). With
one, the manifest's only host permission and the extension's default service become that origin.
Only a plain https origin is accepted: what the extension sends must never cross a network in clear.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

SOURCE = Path(__file__).resolve().parents[1] / "extension"
OPTIONS = Path("lib/options.js")
# The one line of lib/options.js that holds the development default.
DEV_DEFAULT = 'serviceUrl: "http://127.0.0.1:8000",'


def public_origin(text: str) -> str:
    """The https origin of a service address; ValueError for anything else (http, a path, a user)."""
    parts = urlsplit(text.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"SERVICE_URL must be an https:// address, not {text!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"SERVICE_URL must be an origin (https://host[:port]) only, not {text!r}")
    return f"https://{parts.netloc.lower()}"


def build(out: Path, service_url: str | None = None) -> Path:
    """A fresh copy of the extension in out, pointed at service_url when given."""
    origin = public_origin(service_url) if service_url else None
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(SOURCE, out)
    if origin:
        manifest_path = out / "manifest.json"
        manifest = json.loads(manifest_path.read_text("utf-8"))
        # Per host, without the port: the same pattern lib/options.js asks for at run time.
        manifest["host_permissions"] = [f"https://{urlsplit(origin).hostname}/*"]
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        options = out / OPTIONS
        text = options.read_text("utf-8")
        if text.count(DEV_DEFAULT) != 1:
            raise RuntimeError(f"{OPTIONS}: expected the line {DEV_DEFAULT!r} once")
        options.write_text(text.replace(DEV_DEFAULT, f"serviceUrl: {json.dumps(origin)},"), "utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--service-url", default="")
    args = parser.parse_args()
    try:
        build(args.out, args.service_url or None)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
