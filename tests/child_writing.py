"""How a child's wording is checked: the texts a child may see, and the rules they are written by
(one spelling and reading per word, short kana runs, short sentences); used for the service's words
(tests/test_child.py) and the extension's (tests/test_extension_strings.py)."""

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from server import ruby
from server.checks import ADULT_PAGE_WORDS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PAGE_WORDS = ROOT / "server" / "templates" / "strings.toml"

# Words a child text always writes in kanji with this reading, never in kana alone.
GLOSSARY = {
    "写真": "しゃしん",
    "警察": "けいさつ",
    "相談": "そうだん",
    "電話": "でんわ",
    "窓口": "まどぐち",
    "動画": "どうが",
    "大人": "おとな",
    "先生": "せんせい",
    "犯罪": "はんざい",
    "無料": "むりょう",
    "時間": "じかん",
    "名前": "なまえ",
    "法務局": "ほうむきょく",
}


def texts(value: Any, where: str) -> Iterator[tuple[str, dict]]:
    """Every {ja, en, …} table in a TOML document, with where it is."""
    if isinstance(value, dict):
        if isinstance(value.get("ja"), str) and isinstance(value.get("en"), str):
            yield where, value
        for key, item in value.items():
            yield from texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{where}[{index}]")


def child_visible() -> list[tuple[str, dict]]:
    """Every text a child may see: the data (not the guide for adults) and the wizard's own words."""
    found = []
    for path in sorted(DATA.glob("*.toml")):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        document.pop("guides", None)
        found += texts(document, path.name)
    ui = tomllib.loads(PAGE_WORDS.read_text(encoding="utf-8"))["ui"]
    found += [(f"strings.toml: ui.{k}", v) for k, v in ui.items() if not k.startswith(ADULT_PAGE_WORDS)]
    return found


def child_strings() -> list[tuple[str, str]]:
    # `{n}` in page words is a number filled in before drawing.
    return [
        (where, re.sub(r"\{[a-z_]+\}", "0", text["ja_child"]))
        for where, text in child_visible()
        if "ja_child" in text
    ]


def assert_one_spelling_and_one_reading(strings: list[tuple[str, str]]) -> None:
    """Each word read one way, and the glossary's words always in kanji with the glossary's reading."""
    readings: dict[str, set[str]] = defaultdict(set)
    kana_spellings = []
    for where, child in strings:
        for segment in ruby.parse(child):
            if segment.reading:
                readings[segment.text].add(segment.reading)
            else:
                kana_spellings += [f"{where}: {kana!r}" for kana in GLOSSARY.values() if kana in segment.text]
    assert {base: r for base, r in readings.items() if len(r) > 1} == {}
    assert {base: readings[base] for base in GLOSSARY} == {base: {kana} for base, kana in GLOSSARY.items()}
    assert kana_spellings == []


# Written with kanji (and readings), Japanese seldom has more than ten kana in a row: a verb ending
# such as 「いつでもかけられます」 is ten. The all-kana wording this replaced had runs of 11 to 37
# (「けしてほしいという おねがいに きまった きかんの うちに こたえる…」), which a child reads
# slower than kanji with readings (issue 8).
LONGEST_KANA_RUN = 10
# Short sentences: about two lines on a 390 px phone.
LONGEST_SENTENCE = 40
HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e]+")


def without_readings_or_spaces(strings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Child strings without readings and without spaces (spaces do not break a kana run)."""
    return [(where, re.sub(r"\s", "", ruby.plain(child))) for where, child in strings]


def long_kana_runs(strings: list[tuple[str, str]]) -> list[str]:
    """Where a child string has a run of hiragana longer than LONGEST_KANA_RUN."""
    return [
        f"{where}: {run!r}"
        for where, child in without_readings_or_spaces(strings)
        for run in HIRAGANA.findall(child)
        if len(run) > LONGEST_KANA_RUN
    ]


def long_sentences(strings: list[tuple[str, str]]) -> list[str]:
    """Where a child string has a sentence longer than LONGEST_SENTENCE."""
    return [
        f"{where}: {sentence!r} ({len(sentence)})"
        for where, child in without_readings_or_spaces(strings)
        for sentence in re.split(r"(?<=[。！？])", child)
        if len(sentence) > LONGEST_SENTENCE
    ]
