"""Readings for kanji in child texts: `{警察|けいさつ}` is the base text 警察 read けいさつ.

One small markup, pure functions: parse it, drop the readings for plain text (copied text, the
paste block, logs), or draw it as HTML `<ruby>` with everything else escaped.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

# A group is `{base|reading}`; any other brace or bar is a mistake in the data.
_GROUP = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")
# Hiragana, katakana and the long-vowel mark: what a reading may be written in.
_READING = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]+")
# CJK Unified Ideographs (with extension A and compatibility ideographs) and the repeat mark 々.
# 〇 is left out: in children's pages it is the circle mark as often as the numeral.
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]")


class RubyError(ValueError):
    """Malformed markup: the message says what is wrong, the caller says where."""


@dataclass(frozen=True)
class Segment:
    """Plain text (reading None) or a base text with its reading."""

    text: str
    reading: str | None = None


def parse(text: str) -> tuple[Segment, ...]:
    """The text as segments, refusing unbalanced braces, empty bases and readings not in kana."""
    segments: list[Segment] = []
    position = 0
    for group in _GROUP.finditer(text):
        segments.extend(_plain_segment(text[position : group.start()]))
        base, reading = group.group(1), group.group(2)
        if not base.strip():
            raise RubyError(f"empty base text in {group.group(0)!r}")
        if not _READING.fullmatch(reading):
            raise RubyError(f"the reading in {group.group(0)!r} must be hiragana or katakana")
        segments.append(Segment(base, reading))
        position = group.end()
    segments.extend(_plain_segment(text[position:]))
    return tuple(segments)


def _plain_segment(text: str) -> list[Segment]:
    stray = next((c for c in text if c in "{}|"), None)
    if stray:
        raise RubyError(f"unbalanced {stray!r} outside a {{base|reading}} group in {text!r}")
    return [Segment(text)] if text else []


def plain(text: str) -> str:
    """The base text without readings."""
    return "".join(segment.text for segment in parse(text))


def html(text: str) -> Markup:
    """Escaped HTML with each reading drawn as <ruby>base<rt>reading</rt></ruby>."""
    parts = [
        escape(s.text) if s.reading is None else Markup("<ruby>%s<rt>%s</rt></ruby>") % (s.text, s.reading)
        for s in parse(text)
    ]
    return Markup("").join(parts)


def kanji_without_reading(text: str) -> list[str]:
    """The kanji that stand outside a reading group, in order."""
    return [c for s in parse(text) if s.reading is None for c in KANJI.findall(s.text)]
