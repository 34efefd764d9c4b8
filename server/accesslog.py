"""The access log: one short line per request with method, path as received and status, never the query."""

import logging
import re

from starlette.types import Scope

log = logging.getLogger("tsuho_navi.access")

# Anything but visible ASCII is written as %XX, so a path cannot start a forged line or drive a terminal.
UNSAFE = re.compile(rb"[^\x21-\x7e]")


def escaped_path(scope: Scope) -> str:
    """The path still percent-encoded as the client sent it, with any other unsafe byte encoded too."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    return UNSAFE.sub(lambda byte: b"%%%02X" % byte[0][0], raw).decode("ascii")


def answered(scope: Scope, status: int) -> None:
    """Log an answered request: method, path and status; the query holds the answers and the URL."""
    log.info("%s %s %s", scope["method"], escaped_path(scope), status)


def disconnected(scope: Scope) -> None:
    """Log a request whose client left before the answer."""
    log.info("%s %s disconnected", scope["method"], escaped_path(scope))
