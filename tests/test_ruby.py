"""The reading markup `{警察|けいさつ}`: plain text, escaped HTML ruby, kanji left without a reading."""

import pytest
from markupsafe import Markup

from server import ruby


def test_plain_drops_the_readings():
    assert ruby.plain("{警察|けいさつ}に{相談|そうだん}してね。") == "警察に相談してね。"


def test_html_draws_ruby():
    assert ruby.html("{警察|けいさつ}へ") == Markup("<ruby>警察<rt>けいさつ</rt></ruby>へ")


def test_katakana_readings_are_accepted():
    assert ruby.plain("{SOS|エスオーエス}") == "SOS"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>{警察|けいさつ}",
        "{<img src=x onerror=alert(1)>|けいさつ}\"&'",
        "</rt></ruby><b>{相談|そうだん}",
    ],
)
def test_html_escapes_everything_but_the_ruby_it_draws(hostile):
    drawn = str(ruby.html(hostile))
    assert "<script" not in drawn and "<img" not in drawn and "<b>" not in drawn
    assert drawn.count("<ruby>") == drawn.count("</ruby>") == 1
    assert Markup(drawn).striptags().replace(" ", "") != ""


def test_html_escapes_quotes_and_ampersands():
    assert str(ruby.html('A&B "{字|じ}"')) == "A&amp;B &#34;<ruby>字<rt>じ</rt></ruby>&#34;"


def test_kanji_without_reading_finds_only_kanji_outside_groups():
    assert ruby.kanji_without_reading("{警察|けいさつ}に相談、人々、〇") == ["相", "談", "人", "々"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{警察|けいさつ", "unbalanced '{'"),
        ("警察|けいさつ}", "unbalanced '|'"),
        ("警察}", "unbalanced '}'"),
        ("{警察|}", "the reading in '{警察|}' must be hiragana or katakana"),
        ("{警察|keisatsu}", "the reading in '{警察|keisatsu}' must be hiragana or katakana"),
        ("{警察|警察}", "the reading in '{警察|警察}' must be hiragana or katakana"),
        ("{|けいさつ}", "empty base text in '{|けいさつ}'"),
        ("{{警察|けいさつ}}", "unbalanced '{'"),
    ],
)
def test_malformed_markup_is_refused(text, problem):
    with pytest.raises(ruby.RubyError, match=problem.replace("{", r"\{").replace("|", r"\|")):
        ruby.parse(text)
