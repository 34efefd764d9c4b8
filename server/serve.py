"""Serve the app with uvicorn's h11 protocol: a bounded request head, a deadline per request."""

import asyncio
import atexit
import contextlib
import functools
import logging
import logging.handlers
import os
import queue
import sys
import threading
import time
from http import HTTPStatus
from typing import Any, TextIO, cast

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from server import accesslog
from server.errors import MESSAGES, ApiError, refusal
from server.settings import Settings

log = logging.getLogger("tsuho_navi.server")
# h11 gets a request head in pieces this big, so a head is refused at most this far past max_header_bytes.
HEAD_PIECE_BYTES = 1024
# The log writer's rest between batches, in seconds.
WRITE_PAUSE = 0.05

HEAD_TOO_LARGE = ApiError(
    431,
    "headers-too-large",
    "リクエストの行またはヘッダーが大きすぎます。アドレスを短くしてください。",
    "The request line or headers are too large. Use a shorter address.",
)
BAD_REQUEST = ApiError(400, "bad-request", *MESSAGES[400])


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request and JSON answers to unreadable ones.

    uvicorn times out only a connection idle after an answer (5 s), and any byte received stops that
    timer: a client sending half a request, or a byte now and then, would hold its connection for ever.
    Here a request must arrive whole within `request_timeout` seconds of the connection opening or of
    its own first byte, else the connection is closed.
    """

    def __init__(self, *args: Any, request_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_timeout = request_timeout
        self.deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self.watch()

    def data_received(self, data: bytes) -> None:
        # h11 applies max_header_bytes only to a head still incomplete after a read, so a head arriving
        # whole in one read (up to 256 KiB) would pass: until a head is in, h11 gets small pieces.
        rest = memoryview(data)
        while rest and not self.transport.is_closing():
            size = HEAD_PIECE_BYTES if self.conn.their_state is h11.IDLE else len(rest)
            super().data_received(bytes(rest[:size]))
            rest = rest[size:]
        self.watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop_deadline()
        super().connection_lost(exc)

    def watch(self) -> None:
        """Run the deadline while a request is awaited or still arriving; stop it once it is all in."""
        awaiting = self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing()
        if awaiting and self.deadline is None:
            self.deadline = self.loop.call_later(self.request_timeout, self.expire)
        elif not awaiting:
            self.stop_deadline()

    def stop_deadline(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def expire(self) -> None:
        """Close the connection of a request that did not arrive in time."""
        self.deadline = None
        # A request the app is still reading is logged once, by the access log, when it sees the disconnect.
        if self.cycle is None or self.cycle.response_complete:
            log.info("closed a connection: no whole request within %g s", self.request_timeout)
        self.transport.close()

    def _should_upgrade(self) -> bool:
        # The service speaks no WebSocket: an Upgrade header is ignored and the request answered as HTTP.
        return False

    def send_400_response(self, msg: str) -> None:
        """Answer a request h11 could not read with a JSON error like every other one, then close."""
        # uvicorn calls this inside its `except h11.RemoteProtocolError`, so that error is the one handled;
        # h11 hints 431 when the request line and headers outgrow `max_header_bytes`.
        error = HEAD_TOO_LARGE if getattr(sys.exception(), "error_status_hint", 400) == 431 else BAD_REQUEST
        # The request could not be read, so neither could its language: the answer is in Japanese.
        response = refusal(error, "ja")
        headers = [*response.raw_headers, (b"x-content-type-options", b"nosniff"), (b"connection", b"close")]
        for event in (
            h11.Response(status_code=error.status, headers=headers, reason=HTTPStatus(error.status).phrase),
            h11.Data(data=response.body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()


class LineQueue(logging.handlers.QueueHandler):
    """Queue each record for the writer thread as it is: formatting it is the writer's work, off the loop."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        # The queue stays in this process, so the record needs no pickling: the writer formats it.
        return record


class LineFormatter(logging.Formatter):
    """The standard formatter, but the date and time of a second are written once for all its lines."""

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        self.second = -1
        self.second_text = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return self.clock(record.created, record.msecs)

    def clock(self, created: float, msecs: float) -> str:
        """A line's date and time as the standard formatter writes them."""
        second = int(created)
        if second != self.second:
            self.second = second
            self.second_text = time.strftime(self.default_time_format, self.converter(second))
        return self.default_msec_format % (self.second_text, msecs)

    def format_line(self, line: accesslog.Line) -> str:
        """An access line as `format` writes the access log's record for it, without making the record."""
        fields = {
            "asctime": self.clock(line.created, int((line.created - int(line.created)) * 1000)),
            "process": os.getpid(),
            "levelname": "INFO",
            "name": accesslog.log.name,
            "message": f"{line.method} {line.path} {line.status}",
        }
        return self._fmt % fields


def formatted(handler: logging.Handler, item: logging.LogRecord | accesslog.Line) -> str:
    """A record or an access line as text; one that fails is reported, not fatal to the writer."""
    try:
        if isinstance(item, accesslog.Line):
            return cast(LineFormatter, handler.formatter).format_line(item) + "\n"
        return handler.format(item) + "\n"
    except Exception:
        record = item if isinstance(item, logging.LogRecord) else logging.makeLogRecord({"msg": str(item)})
        handler.handleError(record)
        return ""


def write_lines(records: queue.SimpleQueue, handler: logging.Handler, stream: TextIO) -> None:
    """Write the queued records in batches: a wake-up per line would take a quarter of the throughput."""
    while (record := records.get()) is not None:
        lines = [formatted(handler, record)]
        with contextlib.suppress(queue.Empty):
            while (record := records.get_nowait()) is not None:
                lines.append(formatted(handler, record))
        stream.write("".join(lines))
        stream.flush()
        if record is None:
            return
        time.sleep(WRITE_PAUSE)  # let lines gather: at most this long before a line is written


def queued_stderr() -> logging.Handler:
    """A handler queueing each record for a thread that writes it, so logging never blocks the loop."""
    # A line names neither its source line nor its thread: skip looking them up for each record
    # (the switches of the logging HOWTO's "Optimization" section).
    logging._srcfile = None
    logging.logThreads = False
    logging.logMultiprocessing = False
    records: queue.SimpleQueue[logging.LogRecord | accesslog.Line | None] = queue.SimpleQueue()
    handler = LineQueue(records)
    writer = threading.Thread(target=write_lines, args=(records, handler, sys.stderr), daemon=True)
    writer.start()
    accesslog.write_lines_to(records.put)

    def stop() -> None:
        accesslog.write_lines_to(None)
        records.put(None)  # written after everything queued before it
        writer.join(timeout=5)

    atexit.register(stop)
    return handler


# uvicorn applies this in every server process; its own loggers propagate to the root's handler.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": LineFormatter, "fmt": "%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"queue": {"()": queued_stderr, "formatter": "line"}},
    "root": {"level": "INFO", "handlers": ["queue"]},
}


def run(settings: Settings, app: str = "server.app:app") -> None:
    """Serve the app (an import string: each worker builds its own) on the configured address."""
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        # h11, not the faster httptools that uvicorn would pick: h11 bounds the request head.
        http=functools.partial(DeadlineH11Protocol, request_timeout=settings.request_timeout),
        h11_max_incomplete_event_size=settings.max_header_bytes,
        ws="none",
        limit_concurrency=settings.limit_concurrency,
        # uvicorn's access log would write the query string (the answers and the reported URL).
        access_log=False,
        log_config=LOG_CONFIG,
        log_level="info",
    )
