"""Child mode: every string a child can see has a child version with readings, one spelling per word,
plain text unless a client asks for the markup, sextortion advice that never contradicts itself,
and the guide for parents and school staff."""

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from server import contract, engine, ruby
from server.catalog import Catalog
from server.checks import complete_paths
from server.present import Known, assessment_view
from server.urls import analyse, make_extractor
from tests.child_writing import (
    assert_one_spelling_and_one_reading,
    child_strings,
    child_visible,
    long_kana_runs,
    long_sentences,
)

FOUND_AT = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def test_every_child_visible_string_has_a_child_version_with_readings():
    problems = []
    for where, text in child_visible():
        if not ruby.KANJI.search(text["ja"]):
            continue  # already kana and letters: a child reads it as it is
        if "ja_child" not in text:
            problems.append(f"{where}: no child version of {text['ja']!r}")
    for where, child in child_strings():
        if bare := ruby.kanji_without_reading(child):
            problems.append(f"{where}: kanji without a reading {''.join(bare)!r} in {child!r}")
    assert problems == []


def test_one_spelling_and_one_reading_per_word():
    assert_one_spelling_and_one_reading(child_strings())


def test_child_strings_write_words_in_kanji_not_long_runs_of_kana():
    assert long_kana_runs(child_strings()) == []


def test_child_sentences_are_short():
    assert long_sentences(child_strings()) == []


def result(catalog: Catalog, answers: dict[str, str], markup: bool = False) -> dict[str, Any]:
    assessment = engine.assess(catalog, answers, "none")
    return assessment_view(catalog, assessment, Known(FOUND_AT), "ja", markup)


def test_child_texts_are_plain_unless_the_client_asks_for_readings(catalog):
    answers = {
        "urgent": "no",
        "reporter": "child",
        "situation": "victim",
        "harm": "sextortion",
        "goal": "unsure",
    }
    plain = result(catalog, answers)
    marked = result(catalog, answers, markup=True)
    assert [s for s in strings(plain) if "{" in s or "|" in s] == []
    assert any("{警察|けいさつ}" in s for s in strings(marked))
    assert marked["checklist"]["text_ja"] == plain["checklist"]["text_ja"]
    assert "{" not in marked["checklist"]["text_ja"]
    assert ruby.plain(marked["warnings"][0]["text"]) == plain["warnings"][0]["text"]


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)


# A sentence that speaks of capturing or saving must say not to (or that it is not needed).
CAPTURE = re.compile(r"スクリーンショット|スクショ|保存|撮|screenshot|save|captur", re.IGNORECASE)
REFUSAL = re.compile(
    r"しない|せず|ないで|要りません|必要はありません|never|do not|don't|not needed", re.IGNORECASE
)


def sentences(view: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every sentence the result shows in warnings, notices, the checklist and the evidence reason."""
    shown = [(m["id"], m["text"]) for m in view["warnings"] + view["notices"]]
    for item in view["checklist"]["items"]:
        shown += [(item["id"], item["label"]), (item["id"], item["how"] or "")]
    shown.append(("evidence.reason", view["evidence"]["reason"] or ""))
    for where, text in shown:
        for sentence in re.split(r"(?<=[。.])\s*", text):
            yield where, sentence


def forbidden_results(catalog: Catalog) -> Iterator[dict[str, Any]]:
    for answers, lang in itertools.product(complete_paths(catalog), contract.LANGS):
        assessment = engine.assess(catalog, answers, "none", lang)
        if assessment.routing.evidence == "forbidden":
            yield assessment_view(catalog, assessment, Known(FOUND_AT), lang)


def test_when_capture_is_forbidden_nothing_tells_to_screenshot_or_save(catalog):
    checked, told = 0, set()
    for view in forbidden_results(catalog):
        checked += 1
        assert view["evidence"]["screenshot"] == "forbidden"
        for where, sentence in sentences(view):
            if CAPTURE.search(sentence) and not REFUSAL.search(sentence):
                told.add(f"{view['answers']} {where}: {sentence}")
    assert checked > 0
    assert sorted(told) == []


def test_sextortion_advice_keeps_the_chat_and_never_the_image(catalog):
    answers = {
        "urgent": "no",
        "reporter": "child",
        "situation": "victim",
        "harm": "sextortion",
        "goal": "punish",
    }
    for markup in (False, True):
        view = result(catalog, answers, markup)
        steps = next(w["text"] for w in view["warnings"] if w["id"] == "sextortion-steps")
        steps = ruby.plain(steps)
        for said in (
            "お金",
            "払わ",
            "返事",
            "送らない",
            "やりとり",
            "ID",
            "アドレス",
            "消して",
            "悪くありません",
            "相談",
        ):
            assert said in steps
    items = {i["id"] for i in result(catalog, answers)["checklist"]["items"]}
    assert {"exchange-text", "account", "url-only"} <= items
    assert "exchange" not in items and "screenshot" not in items


@pytest.mark.parametrize("reporter", ["parent", "school"])
def test_parents_and_school_staff_get_the_guide_with_its_sources(catalog, reporter):
    view = result(catalog, {"urgent": "no", "reporter": reporter, "situation": "worried"})
    guide = view["guide"]
    ids = [g["id"] for g in guide]
    assert ids[:2] == ["listen", "do-not-blame"]
    assert {
        "keep-phone",
        "no-contact",
        "what-to-keep",
        "never-save",
        "report-together",
        "local-windows",
    } <= set(ids)
    sources = {g["id"]: g["source"] for g in guide}
    assert sources["listen"] is None  # the service's own advice, labelled as such by the display
    assert sources["local-windows"]["id"] == "seed-flyer"
    assert all(s is None or s["level"] in ("OFF", "GOV") for s in sources.values())


@pytest.mark.parametrize("reporter", ["self", "child", "business"])
def test_others_get_no_parent_guide(catalog, reporter):
    assert result(catalog, {"urgent": "no", "reporter": reporter, "situation": "worried"})["guide"] == []


def test_the_api_sends_readings_only_when_asked(client: TestClient):
    body = {"answers": {"urgent": "no", "reporter": "child", "situation": "worried"}}
    plain = client.post("/api/v1/assess", json=body).json()
    marked = client.post("/api/v1/assess", json={**body, "markup": "ruby"}).json()
    refused = client.post("/api/v1/assess", json={**body, "markup": "html"})
    assert [s for s in strings(plain) if "{" in s] == []
    assert marked["destinations"][0]["name"] == "24{時間|じかん} {子|こ}どもSOSダイヤル"
    assert plain["destinations"][0]["name"] == "24時間 子どもSOSダイヤル"
    assert marked["checklist"]["text_ja"] == plain["checklist"]["text_ja"]
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "invalid-markup")


# What a child's result holds besides words for the child: ids, addresses, the person's own
# facts, phone numbers, the paste block (always adult Japanese) and the sources' own titles.
NOT_WORDS = {"id", "url", "value", "text_ja", "number", "tel", "form_url", "found_at", "sources", "answers"}


def worded(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, string) for every string in a JSON value that is words shown to the person."""
    if key in NOT_WORDS:
        return
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from worded(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from worded(item, key)


def test_every_word_of_a_childs_result_carries_its_readings_when_asked(catalog):
    site = analyse("https://x.com/a/status/1", catalog.links, make_extractor())
    child_paths = [a for a in complete_paths(catalog) if a.get("reporter") == "child"]
    assert child_paths
    for answers in child_paths:
        assessment = engine.assess(catalog, answers, "platform")
        view = assessment_view(catalog, assessment, Known(FOUND_AT, site=site), "ja", True)
        missing = [(key, text) for key, text in worded(view) if ruby.kanji_without_reading(text)]
        assert missing == [], answers


def test_a_childs_first_number_to_call_after_110_is_never_a_paid_0570_line(catalog):
    for answers in complete_paths(catalog):
        if answers.get("reporter") != "child":
            continue
        view = result(catalog, answers)
        numbers = [p["number"] for d in view["destinations"] if d["id"] != "police-110" for p in d["phones"]]
        assert not numbers or not numbers[0].startswith("0570"), answers
