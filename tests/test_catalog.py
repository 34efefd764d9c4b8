"""Broken data stops start-up with one error naming the file, the entry and the field."""

import itertools
import shutil
from pathlib import Path

import pytest

from server import contract
from server.catalog import CatalogError, load, main
from server.checks import check_page_words, complete_paths, matching, paths_and_rules
from server.engine import combine, place, route

ROOT = Path(__file__).resolve().parent.parent

# (what is broken, file, text to replace, replacement, the exact error)
BROKEN = [
    (
        "a mark character the pages keep for a request's own text",
        "destinations.toml",
        'role = { ja = "迅速な助言", en = "Quick advice"',
        'role = { ja = "迅速な助言", en = "Quick \ue0000\ue001 advice"',
        "data/destinations.toml: destinations[ihaho].role.en: holds U+E000 or U+E001, which the pages keep "
        "for marking a request's own text",
    ),
    (
        "missing field",
        "destinations.toml",
        'role = { ja = "迅速な助言", en = "Quick advice", ja_child = "すぐにアドバイス" }\n',
        "",
        "data/destinations.toml: destinations[ihaho].role: missing field",
    ),
    (
        "unknown field",
        "destinations.toml",
        'id = "ihaho"\n',
        'id = "ihaho"\nfax = "03-0000-0000"\n',
        "data/destinations.toml: destinations[ihaho].fax: unknown field",
    ),
    (
        "unknown destination id",
        "destinations.toml",
        'id = "ihaho"',
        'id = "ihaho2"',
        "data/destinations.toml: destinations[ihaho2].id: unknown id (not in the contract)",
    ),
    (
        "a destination of the contract is missing",
        "destinations.toml",
        'id = "antiphishing"',
        'id = "ihaho"',
        "data/destinations.toml: destinations[ihaho].id: duplicate id",
    ),
    (
        "rule pointing at no destination",
        "rules.toml",
        'destination = "houterasu"',
        'destination = "bengoshi"',
        "data/rules.toml: rules[victim-compensation].add[0].destination: unknown destination 'bengoshi'",
    ),
    (
        "rule on an unknown option",
        "rules.toml",
        'when = { situation = "security" }',
        'when = { situation = "hacked" }',
        "data/rules.toml: rules[security].when.situation: 'hacked' is not an option of situation",
    ),
    (
        "rule on an unknown question",
        "rules.toml",
        'when = { situation = "security" }',
        'when = { mood = "sad" }',
        "data/rules.toml: rules[security].when.mood: unknown question 'mood'",
    ),
    (
        "a rule no path matches",
        "rules.toml",
        'when = { reporter = ["parent", "school"] }',
        'when = { reporter = "parent", situation = "worried", harm = "threat" }',
        "data/rules.toml: rules[helper].when: no answer path matches it",
    ),
    (
        "a question no path reaches",
        "questions.toml",
        'ask_when = { situation = "victim", goal = "delete" }',
        'ask_when = { situation = "found", goal = "delete" }',
        "data/questions.toml: questions[delete_by].ask_when: no answer path reaches it",
    ),
    (
        "a complete answer with no destination",
        "rules.toml",
        'when = { situation = "worried" }',
        'when = { situation = "worried", reporter = "school" }',
        "data/rules.toml: rules: no destination for urgent=no, reporter=self, situation=worried "
        "(site=none, lang=ja)",
    ),
    (
        "unknown source",
        "destinations.toml",
        'source = "mext-sos" }]\nhours',
        'source = "somebody-said" }]\nhours',
        "data/destinations.toml: destinations[kodomo-sos].phones[0].source: unknown source 'somebody-said'",
    ),
    (
        "a source below GOV",
        "sources.toml",
        'level = "OFF"',
        'level = "2ND"',
        "data/sources.toml: ihaho-top.level: '2ND' is not one of OFF, GOV",
    ),
    (
        "a source without a checked date",
        "sources.toml",
        "checked = 2026-11-29\n\n[ihaho-top]",
        "\n[ihaho-top]",
        "data/sources.toml: seed-flyer.checked: missing field",
    ),
    (
        "not a URL",
        "destinations.toml",
        'url = { value = "https://www.ihaho.jp/"',
        'url = { value = "www.ihaho.jp"',
        "data/destinations.toml: destinations[ihaho].url.value: 'www.ihaho.jp' is not an http(s) URL",
    ),
    (
        "option missing from the contract",
        "questions.toml",
        '  { id = "phishing", label',
        '  { id = "fishing", label',
        "data/questions.toml: questions[category].options[fishing].id: unknown id (not in the contract)",
    ),
    (
        "unknown warning",
        "rules.toml",
        'warnings = ["call-110"]',
        'warnings = ["call-119"]',
        "data/rules.toml: rules[urgent].warnings[0]: unknown warning 'call-119'",
    ),
    (
        "unknown platform",
        "platforms.toml",
        'id = "discord"',
        'id = "myspace"',
        "data/platforms.toml: platforms[myspace].id: 'myspace' is not one of "
        "5ch, ameba, discord, facebook, google-maps, google-search, instagram, line, niconico, note, "
        "threads, tiktok, x, yahoo-japan, youtube",
    ),
    (
        "wrong type",
        "checklist.toml",
        'evidence = true\nhow = { ja = "URLがないと',
        'evidence = "yes"\nhow = { ja = "URLがないと',
        "data/checklist.toml: items[url].evidence: expected a non-empty bool, got 'yes'",
    ),
    (
        "not TOML",
        "wording.toml",
        "[channels]",
        "[channels",
        "data/wording.toml: not valid TOML: Expected ']' at the end of a table declaration "
        "(at line 148, column 10)",
    ),
    (
        "a phone whose cost cannot be told from the number",
        "destinations.toml",
        'number = "#9110"',
        'number = "9110"',
        "data/destinations.toml: destinations[police-9110].phones[0].number: cannot tell the cost of '9110'",
    ),
    (
        "a message naming an unknown window",
        "wording.toml",
        'requires = ["slander-hotline"]\nja = "誹謗中傷ホットラインは、本人',
        'requires = ["slander-line"]\nja = "誹謗中傷ホットラインは、本人',
        "data/wording.toml: notices.helper-accepted.requires[0]: unknown destination 'slander-line'",
    ),
    (
        "other languages without a source",
        "destinations.toml",
        '"th", "id"], source = "houterasu-multilingual" }',
        '"th", "id"] }',
        "data/destinations.toml: destinations[houterasu].languages.source: "
        "needed for languages other than Japanese",
    ),
    (
        "an unknown language code",
        "destinations.toml",
        'languages = { value = ["en", "zh"',
        'languages = { value = ["english", "zh"',
        "data/destinations.toml: destinations[jinken-foreign].languages.value[0]: 'english' is not one of "
        "ja, en, zh, ko, es, pt, vi, tl, ne, th, id",
    ),
    (
        "a designated platform without its source",
        "platforms.toml",
        'designated = { value = true, source = "soumu-designation-2025" }\nreport = [\n  { url = "https://help.x.com',
        'designated = { value = true }\nreport = [\n  { url = "https://help.x.com',
        "data/platforms.toml: platforms[x].designated.source: needed for a designated platform",
    ),
    (
        "an addition placed after an unknown window",
        "rules.toml",
        'after = "jinken"',
        'after = "jinkan"',
        "data/rules.toml: rules[english].add[0].after: unknown destination 'jinkan'",
    ),
    (
        "a fact shown on an unknown option",
        "destinations.toml",
        '{ category = "revenge-porn" }',
        '{ category = "revenge" }',
        "data/destinations.toml: destinations[safeline].form_asks[0].when[1].category: "
        "'revenge' is not an option of category",
    ),
    (
        "a rule on an unknown language",
        "rules.toml",
        'when = { lang = "en" }',
        'when = { lang = "fr" }',
        "data/rules.toml: rules[english].when.lang: 'fr' is not an option of lang",
    ),
    (
        "a text a child can see, with kanji and no child version",
        "destinations.toml",
        'role = { ja = "迅速な助言", en = "Quick advice", ja_child = "すぐにアドバイス" }',
        'role = { ja = "迅速な助言", en = "Quick advice" }',
        "data/destinations.toml: destinations[ihaho].role.ja_child: "
        "missing field (a child can see this text and it has kanji)",
    ),
    (
        "a kanji without a reading in a child text",
        "questions.toml",
        'ja_child = "{大人|おとな}"',
        'ja_child = "大人"',
        "data/questions.toml: questions[reporter].options[self].label.ja_child: "
        "kanji without a reading: 大人 (write {漢字|かんじ})",
    ),
    (
        "unbalanced reading markup",
        "questions.toml",
        'ja_child = "{大人|おとな}"',
        'ja_child = "{大人|おとな"',
        "data/questions.toml: questions[reporter].options[self].label.ja_child: "
        "unbalanced '{' outside a {base|reading} group in '{大人|おとな'",
    ),
    (
        "an empty reading",
        "questions.toml",
        'ja_child = "{大人|おとな}"',
        'ja_child = "{大人|}"',
        "data/questions.toml: questions[reporter].options[self].label.ja_child: "
        "the reading in '{大人|}' must be hiragana or katakana",
    ),
    (
        "a reading not in kana",
        "questions.toml",
        'ja_child = "{大人|おとな}"',
        'ja_child = "{大人|otona}"',
        "data/questions.toml: questions[reporter].options[self].label.ja_child: "
        "the reading in '{大人|otona}' must be hiragana or katakana",
    ),
    (
        "a rule naming an unknown guide",
        "rules.toml",
        'guides = ["parent-guide"]',
        'guides = ["parents-guide"]',
        "data/rules.toml: rules[helper].guides[0]: unknown guide 'parents-guide'",
    ),
    (
        "a guide citing an unknown source",
        "wording.toml",
        'source = "tottori-school-cp"',
        'source = "a-blog"',
        "data/wording.toml: guides.parent-guide[never-save].source: unknown source 'a-blog'",
    ),
]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def test_the_shipped_data_is_valid():
    catalog = load(ROOT / "data")
    assert len(catalog.destinations) == 20


@pytest.mark.parametrize(
    ("file", "old", "new", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_data_names_file_entry_and_field(data_copy: Path, file, old, new, message):
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, "the fixture no longer matches the data file"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load(data_copy)
    assert str(error.value) == message


def test_page_words_a_child_sees_need_a_child_version_with_readings():
    with pytest.raises(CatalogError) as error:
        check_page_words(
            {"result_lead": {"ja": "上から順に当たってください。", "en": "Try them from the top."}}
        )
    assert str(error.value) == (
        "server/templates/strings.toml: ui.result_lead.ja_child: "
        "missing field (a child can see this text and it has kanji)"
    )
    with pytest.raises(CatalogError) as error:
        check_page_words({"sources": {"ja": "出典", "en": "Sources", "ja_child": "出典"}})
    assert str(error.value) == (
        "server/templates/strings.toml: ui.sources.ja_child: "
        "kanji without a reading: 出典 (write {漢字|かんじ})"
    )
    # The evidence-pack check and the map of windows are for adults; a number's place is not markup.
    check_page_words({"verify_title": {"ja": "証拠パックの確認", "en": "Check an evidence pack"}})
    check_page_words(
        {"question_of": {"ja": "質問 {n}", "en": "Question {n}", "ja_child": "{質問|しつもん} {n}"}}
    )


def test_a_missing_file(data_copy: Path):
    (data_copy / "rules.toml").unlink()
    with pytest.raises(CatalogError, match=r"^data/rules.toml: file is missing$"):
        load(data_copy)


def test_check_data_command_reports_the_error(data_copy: Path, capsys):
    (data_copy / "rules.toml").write_text("rules = 3\n", encoding="utf-8")
    assert main(["check-data", str(data_copy)]) == 1
    assert capsys.readouterr().err == "error: data/rules.toml: rules: expected a list, got int\n"
    assert main(["check-data", str(ROOT / "data")]) == 0


def test_the_start_up_check_routes_every_path_as_the_engine_does():
    """The check narrows the rules along the answer tree; each path still gets engine.route's routing."""
    catalog = load(ROOT / "data")
    count = 0
    for answers, rules in paths_and_rules(catalog):
        for site, lang in itertools.product(contract.SITE_KINDS, contract.LANGS):
            matched = matching(matching(rules, "site", site), "lang", lang)
            routing = combine(catalog, matched)
            assert routing == route(catalog, answers, site, lang)
            # The check routes with only the rules that add or drop a window: they alone place windows.
            placing = [rule for rule in matched if rule.add or rule.drop]
            assert tuple(place(placing)) == routing.destinations
            count += 1
    assert count == len(list(complete_paths(catalog))) * len(contract.SITE_KINDS) * len(contract.LANGS)
