"""The access log: one short line per request with method, path as received and status, never the query."""

import logging
import re

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("tsuho_navi.access")

# Anything but visible ASCII is written as %XX, so a path cannot start a forged line or drive a terminal.
UNSAFE = re.compile(rb"[^\x21-\x7e]")


def escaped_path(scope: Scope) -> str:
    """The path still percent-encoded as the client sent it, with any other unsafe byte encoded too."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    return UNSAFE.sub(lambda byte: b"%%%02X" % byte[0][0], raw).decode("ascii")


class AccessLog:
    """Log each HTTP request in one line; a client leaving mid-request is one line too, not a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_and_log(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The query holds the answers and the reported URL: only the path is logged.
                log.info("%s %s %s", scope["method"], escaped_path(scope), message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_log)
        except ClientDisconnect:
            # Nobody is left to answer: a dropped upload is an event worth a line, not a server error.
            log.info("%s %s disconnected", scope["method"], escaped_path(scope))
