"""Static files under URLs that carry their content hash, so browsers and proxies may keep them for a year."""

import hashlib
import os
from pathlib import Path

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from server.settings import ROOT

STATIC = ROOT / "server" / "static"
# A URL with the file's current hash never changes its bytes; anything else (a file a module imports
# by a plain relative path, an old hash) is kept briefly and then revalidated.
HASHED_CACHE = "public, max-age=31536000, immutable"
UNHASHED_CACHE = "public, max-age=300"


def file_versions(directory: Path) -> dict[str, str]:
    """A short hash of each file's content, by its path under the directory."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


# Computed once, at start-up: the files do not change while the service runs.
VERSIONS = file_versions(STATIC)


def static_url(path: str) -> str:
    """The URL of a static file with its content hash (a changed file gets a new URL)."""
    return f"/static/{path}?v={VERSIONS[path]}"


class VersionedStatic(StaticFiles):
    """Starlette's static files with a Cache-Control that depends on whether the URL names the content."""

    def __init__(self, directory: Path, versions: dict[str, str]) -> None:
        super().__init__(directory=directory)
        self.root = directory.resolve()  # Starlette resolves the paths it serves
        self.versions = versions

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        path = Path(full_path).relative_to(self.root).as_posix()
        version = QueryParams(scope.get("query_string", b"")).get("v")
        hashed = version is not None and version == self.versions.get(path)
        response.headers["cache-control"] = HASHED_CACHE if hashed else UNHASHED_CACHE
        return response
