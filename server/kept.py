"""A page drawn once per key and shape, the request's own strings marked and filled in each time.

Everything on a wizard page but what the request sent depends on the answer's key (answers, site kind
and platform, language, audience); on the start page, the map and the verify page, on the language.
Such a page is drawn once with a numbered mark in place of each of the request's own strings — the
reported URL and host, title, selected text, time of finding and the links that carry them — and each
request fills in its own, escaped. What the page decides from those strings (whether each is given)
is its shape, and part of the key: each kept page has one structure. A kept page never holds a
request's string, only marks.

For a client that takes gzip, the text between the marks is compressed once (server.gzipped) and each
request's strings are stored between those runs: a tenth of the work of compressing the whole page.
"""

import functools
import re
from collections.abc import Callable, Hashable
from typing import Any

from markupsafe import Markup, escape

from server import gzipped

# Private-use characters: the data and the page words may not hold them (the start-up check refuses them).
MARK_CHARS = ("\ue000", "\ue001")
MARK = re.compile("\ue000(\\d+)\ue001")

Outline = tuple[bytes | int, ...]
# An outline whose text runs are each (as they are, compressed on their own).
Deflated = tuple[gzipped.Part | int, ...]
# Memo.keep: the value kept under a key, made the first time.
Keep = Callable[[Hashable, Callable[[], Any]], Any]


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


def escaped(value: str) -> bytes:
    """A request's string as the page holds it: escaped (Markup stays as it is), encoded."""
    return escape(value).encode()


def fill(kept: Outline, values: list[str]) -> bytes:
    """The page with this request's strings in place of the marks."""
    return b"".join(part if type(part) is bytes else escaped(values[part]) for part in kept)


def deflated(kept: Outline, level: int) -> Deflated:
    """An outline with each text run compressed on its own."""
    texts = [part for part in kept if type(part) is bytes]
    compressed = iter(zip(texts, gzipped.runs(texts, level), strict=True))
    return tuple(part if type(part) is int else next(compressed) for part in kept)


def fill_gzip(kept: Deflated, values: list[str]) -> bytes:
    """The filled page as a gzip stream: the kept compressed runs, and the strings stored between them."""
    store = gzipped.storer()
    return gzipped.member(
        (text := escaped(values[part]), store(text)) if type(part) is int else part for part in kept
    )


def page(
    keep: Keep, key: Hashable, own: Own, draw: Callable[[], str], gzip_level: int | None = None
) -> bytes:
    """The page for this key and shape: drawn with marks the first time, then filled with the strings;
    gzipped at that level when one is given."""
    shape = own.key()
    kept = keep(("page", key, shape), lambda: outline(draw(), len(own.values)))
    if gzip_level is None:
        return fill(kept, own.values)
    compressed = keep(("page-gzip", key, shape, gzip_level), lambda: deflated(kept, gzip_level))
    return fill_gzip(compressed, own.values)
