"""The extension's child wording (issue 8): every message a child can see in the report flow has a
child version where it needs one, every kanji in a child's Japanese carries its reading, and the
child versions are written as the service's are (tests/test_child.py)."""

import re

import pytest

from server import ruby
from tests.child_writing import (
    assert_one_spelling_and_one_reading,
    child_strings,
    long_kana_runs,
    long_sentences,
)
from tests.extension_messages import EXTENSION, messages

# The report flow, where a child who said "child" reads: its pages and parts, and the notes and
# refusals it shows from lib/. The options and cases pages are an adult's; the context menu is the
# browser's own, drawn as plain text (no readings possible), and is not in the flow.
CHILD_VISIBLE = [
    "popup/report.html",
    "popup/report.js",
    "popup/cards.js",
    "popup/notices.js",
    "popup/share.js",
    "popup/evidence.js",
    "lib/target.js",
    "lib/capture.js",
]
# The notes the service worker hands to the flow (shown on its first screen).
NOTES = re.compile(r'\[\["(note\w+)"')


def child_visible_keys() -> set[str]:
    """Every message key named in the flow's files (a quoted word that is a key)."""
    keys = messages("ja").keys()
    texts = [(EXTENSION / path).read_text("utf-8") for path in CHILD_VISIBLE]
    named = {word for text in texts for word in re.findall(r'"(\w+)"', text)}
    named |= set(NOTES.findall((EXTENSION / "background.js").read_text("utf-8")))
    return named & keys


def childs_wording(lang: str) -> dict[str, str]:
    """What a child reads for each child-visible key: its Child version, else the common one."""
    texts = messages(lang)
    return {key: texts.get(f"{key}Child", texts[key]) for key in child_visible_keys()}


def test_the_flow_names_its_messages():
    # The check below is only as good as this list: the flow's headings and buttons are in it.
    expected = {"resultHeading", "openForm", "call110Heading", "shareButton", "urgent110", "noteLink"}
    assert expected <= child_visible_keys()


def test_every_kanji_a_child_reads_has_its_reading():
    missing = {
        key: "".join(ruby.kanji_without_reading(text))
        for key, text in childs_wording("ja").items()
        if ruby.kanji_without_reading(text)
    }
    assert missing == {}, "add a Child version with {漢字|かんじ} readings"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_readings_are_well_formed_and_only_in_child_versions(lang: str):
    for key, text in messages(lang).items():
        ruby.parse(text)  # balanced {base|reading} groups, readings in kana
        if not key.endswith("Child"):
            assert ruby.plain(text) == text, f"{key}: readings belong in its Child version"


def child_versions() -> list[tuple[str, str]]:
    """(where, text) for every Japanese Child version, "$1"… filled in as the service's "{n}" are."""
    texts = messages("ja")
    return [
        (f"messages.json: {key}", re.sub(r"\$\d", "0", text))
        for key, text in texts.items()
        if key.endswith("Child") and key.removesuffix("Child") in texts  # not reporterChild, an option
    ]


def test_child_versions_write_words_in_kanji_not_long_runs_of_kana():
    assert long_kana_runs(child_versions()) == []


def test_child_versions_have_short_sentences():
    assert long_sentences(child_versions()) == []


def test_one_spelling_and_one_reading_per_word_in_the_service_and_the_extension():
    assert_one_spelling_and_one_reading(child_strings() + child_versions())


# Words are not spaced (分かち書き) in a child's Japanese; only a proper name keeps its own space.
WORD_SPACE = re.compile(r"(?<=[\u3041-\u30ff\u3400-\u9fff々])\s+(?=[\u3041-\u30ff\u3400-\u9fff々])")
SPACED_NAME = "まもろうよ こころ"


def test_child_versions_do_not_space_words():
    spaced = [
        f"{where}: {text!r}"
        for where, text in child_versions()
        if WORD_SPACE.search(ruby.plain(text).replace(SPACED_NAME, ""))
    ]
    assert spaced == []
