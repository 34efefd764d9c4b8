"""The access log: one short line per request with method, path as received and status, never the query."""

import logging
import re
import time
from collections.abc import Callable
from typing import NamedTuple

from starlette.types import Scope

log = logging.getLogger("tsuho_navi.access")


class Line(NamedTuple):
    """An answered request's line, before it is formatted: when, method, path and status."""

    created: float
    method: str
    path: str
    status: int


# Set by the log writer of a served process (server.serve): answered requests go to it as Lines.
# A log record per request, made on the event loop and handled by the logging machinery, cost
# about a tenth of a small answer's throughput. Unset (tests, an app served otherwise), lines are
# logged as records.
_direct: Callable[[Line], None] | None = None


def write_lines_to(put: Callable[[Line], None] | None) -> None:
    """Send answered requests' lines straight to a log writer (None: back to the logging machinery)."""
    global _direct
    _direct = put


# Anything but visible ASCII is written as %XX, so a path cannot start a forged line or drive a terminal.
UNSAFE = re.compile(rb"[^\x21-\x7e]")


def escaped_path(scope: Scope) -> str:
    """The path still percent-encoded as the client sent it, with any other unsafe byte encoded too."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    return UNSAFE.sub(lambda byte: b"%%%02X" % byte[0][0], raw).decode("ascii")


def answered(scope: Scope, status: int) -> None:
    """Log an answered request: method, path and status; the query holds the answers and the URL."""
    if _direct is not None and log.isEnabledFor(logging.INFO):
        _direct(Line(time.time(), scope["method"], escaped_path(scope), status))
    else:
        log.info("%s %s %s", scope["method"], escaped_path(scope), status)


def disconnected(scope: Scope) -> None:
    """Log a request whose client left before the answer."""
    log.info("%s %s disconnected", scope["method"], escaped_path(scope))
