"""An answer's page drawn once per answer and shape, the request's own strings marked and filled in each time.

Everything on a wizard page but what the request sent depends on the answer's key (answers, site kind
and platform, language, audience). Such a page is drawn once with a numbered mark in place of each of
the request's own strings — the reported URL and host, title, selected text, time of finding and the
links that carry them — and each request fills in its own, escaped. What the page decides from those
strings (whether each is given) is its shape, and part of the key: each kept page has one structure.
A kept page never holds a request's string, only marks.

For a client that accepts gzip, each run of the page's own text is compressed once, on its own (so it
refers to nothing before it), and each request's strings go between those runs as stored (uncompressed)
deflate blocks: a valid gzip stream, made for about a tenth of what compressing the whole page costs.
"""

import functools
import re
import struct
import zlib
from collections.abc import Callable, Hashable
from typing import Any

from markupsafe import Markup, escape

# Private-use characters: the data and the page words may not hold them (the start-up check refuses them).
MARK_CHARS = ("\ue000", "\ue001")
MARK = re.compile("\ue000(\\d+)\ue001")

Outline = tuple[bytes | int, ...]
# An outline whose text runs are each (as they are, compressed on their own).
Deflated = tuple[tuple[bytes, bytes] | int, ...]
# Memo.keep: the value kept under a key, made the first time.
Keep = Callable[[Hashable, Callable[[], Any]], Any]
# A gzip member's header (RFC 1952: deflate, no name, no time, unknown OS) and deflate's last, empty block.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
LAST_BLOCK = b"\x03\x00"


@functools.cache
def mark(number: int) -> Markup:
    """The mark standing for the request's string of this number (made once: a page has dozens)."""
    return Markup(f"\ue000{number}\ue001")


class Own:
    """The request's own strings, each given as a mark; an empty one stays as it is and shapes the page."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.shape: list[bool] = []

    def __call__(self, value: Any) -> Any:
        self.shape.append(bool(value))
        if not value:
            return value
        self.values.append(value)
        return mark(len(self.values) - 1)

    def decide(self, flag: bool) -> bool:
        """A choice the page makes from the request's strings (not just whether one is given)."""
        self.shape.append(flag)
        return flag

    def key(self) -> tuple[bool, ...]:
        """What the page may decide from the marked strings: which were given."""
        return tuple(self.shape)


def outline(html: str, marks: int) -> Outline:
    """A drawn page as its text (encoded once, here) and its marks' numbers, in turn."""
    parts = MARK.split(html)
    numbers = [int(part) for part in parts[1::2]]
    # A mark may be drawn more than once or not at all, but nothing else may look like one.
    if not set(numbers) <= set(range(marks)):
        raise ValueError("a kept page's marks do not match its strings")
    return tuple(int(part) if n % 2 else part.encode() for n, part in enumerate(parts))


def fill(kept: Outline, values: list[str]) -> bytes:
    """The page with this request's strings in place of the marks, each escaped (Markup stays as it is)."""
    return b"".join(part if type(part) is bytes else escape(values[part]).encode() for part in kept)


def deflated(kept: Outline, level: int) -> Deflated:
    """Each text run of an outline with its raw deflate blocks, which refer to nothing outside the run."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    # A full flush ends the run's blocks on a byte and forgets the run, so the next one starts afresh.
    return tuple(
        part if type(part) is int else (part, compressor.compress(part) + compressor.flush(zlib.Z_FULL_FLUSH))
        for part in kept
    )


def fill_gzip(kept: Deflated, values: list[str]) -> bytes:
    """The filled page as a gzip stream: the kept compressed runs, and the strings stored between them."""
    # Level 0 stores: its blocks hold the bytes as they are and refer to nothing.
    stored = zlib.compressobj(0, zlib.DEFLATED, -zlib.MAX_WBITS)
    blocks = [GZIP_HEADER]
    crc = size = 0
    for part in kept:
        if type(part) is int:
            text = escape(values[part]).encode()
            block = stored.compress(text) + stored.flush(zlib.Z_SYNC_FLUSH)
        else:
            text, block = part
        crc = zlib.crc32(text, crc)
        size += len(text)
        blocks.append(block)
    blocks += [LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(blocks)


def page(
    keep: Keep, key: Hashable, own: Own, draw: Callable[[], str], gzip_level: int | None = None
) -> bytes:
    """The page for this key and shape: drawn with marks the first time, then filled with the strings;
    gzipped at that level when one is given."""
    kept = keep(("page", key, own.key()), lambda: outline(draw(), len(own.values)))
    if gzip_level is None:
        return fill(kept, own.values)
    compressed = keep(("gzip", key, own.key(), gzip_level), lambda: deflated(kept, gzip_level))
    return fill_gzip(compressed, own.values)
