"""What a result shows beyond the routing: phone costs and hours, what happens next, languages,
platform pages fitted to the harm, designation, and facts shown only in the cases they fit."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from server import engine
from server.catalog import Catalog
from server.memo import site_kind
from server.model import phone_tariff
from server.present import Known, assessment_view, destination_view
from server.urls import analyse, make_extractor

ROOT = Path(__file__).resolve().parent.parent
FOUND_AT = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


def view(catalog: Catalog, given: str, url: str | None = None, lang: str = "ja") -> dict[str, Any]:
    """The API view of 'key=value …' answers, with the URL analysed as the API does."""
    answers = dict(pair.split("=") for pair in given.split())
    site = analyse(url, catalog.links, make_extractor()) if url else None
    assessment = engine.assess(catalog, answers, site_kind(site), lang)
    return assessment_view(catalog, assessment, Known(FOUND_AT, url, None, None, site), lang)


def card(result: dict[str, Any], destination: str) -> dict[str, Any]:
    return next(d for d in result["destinations"] if d["id"] == destination)


@pytest.mark.parametrize(
    ("number", "tariff"),
    [
        ("0120-0-78310", "free"),
        ("0800-123-4567", "free"),
        ("110", "free"),
        ("0570-003-110", "navi-dial"),
        ("#9110", "charged"),
        ("188", "charged"),
        ("03-5978-7509", "charged"),
        ("9110", None),
        ("119", None),
    ],
)
def test_the_cost_of_a_call_is_told_from_the_number(number, tariff):
    assert phone_tariff(number) == tariff


def test_a_person_who_paid_a_fake_shop_sees_the_card_company_first_then_188_and_the_police(catalog):
    result = view(catalog, "urgent=no reporter=self situation=scam scam_loss=paid")
    assert result["warnings"][0]["id"] == "call-card-company"
    assert [d["id"] for d in result["destinations"]][:2] == ["consumer-188", "police-cyber"]
    hotline = card(result, "consumer-188")
    assert hotline["phones"] == [
        {
            "number": "188",
            "tel": "tel:188",
            "label": "消費者ホットライン",
            "cost": "charged",
            "cost_label": "通話料がかかります",
            "hours": "年末年始（12月29日〜1月3日）を除き原則毎日",
        }
    ]
    assert hotline["next"]["source"] == "caa-188"
    assert card(result, "police-cyber")["next"]["text"].startswith("オンラインで送った内容は被害届")
    assert "scam-records" in [item["id"] for item in result["checklist"]["items"]]


def test_free_and_navi_dial_lines_are_told_apart(catalog):
    child = view(catalog, "urgent=no reporter=child situation=worried")
    sos = card(child, "kodomo-sos")["phones"][0]
    assert (sos["cost"], sos["cost_label"], sos["hours"]) == (
        "free",
        "無料",
        "24時間（夜も休みの日も）",
    )
    kokoro = {p["number"]: p for p in card(child, "mamorouyo-kokoro")["phones"]}
    assert kokoro["0570-064-556"]["cost"] == "charged"
    assert kokoro["0120-279-338"]["cost"] == "free"
    adult = view(catalog, "urgent=no reporter=self situation=victim harm=defamation goal=unsure", lang="en")
    jinken = card(adult, "jinken")["phones"][0]
    assert (jinken["cost"], jinken["cost_label"], jinken["hours"]) == (
        "charged",
        "Call charges apply (Navi Dial)",
        "Weekdays 8:30–17:15",
    )


def test_a_suicide_risk_result_shows_a_support_phone(catalog):
    result = view(catalog, "urgent=yes reporter=self situation=worried")
    assert card(result, "mamorouyo-kokoro")["phones"]


def test_english_results_say_which_windows_answer_in_other_languages(catalog):
    result = view(catalog, "urgent=no reporter=self situation=victim harm=defamation goal=unsure", lang="en")
    languages = {d["id"]: d["languages"] for d in result["destinations"]}
    assert languages["jinken"] == ["ja"]
    assert "en" in languages["jinken-foreign"]
    assert "languages" in [w["id"] for w in result["warnings"]]


def test_every_destination_says_its_languages_and_sources_what_happens_next(catalog):
    for destination in catalog.destinations.values():
        shown = destination_view(catalog, destination, "ja")
        assert shown["languages"]
        if shown["next"]:
            assert shown["next"]["source"] in {s["id"] for s in shown["sources"]}


@pytest.mark.parametrize(
    ("given", "asks"),
    [
        ("urgent=no reporter=self situation=found category=drugs", 0),
        ("urgent=no reporter=self situation=found category=csam", 0),
        ("urgent=no reporter=self situation=found category=revenge-porn", 3),
        ("urgent=no reporter=self situation=victim harm=intimate-image goal=delete delete_by=proxy", 3),
    ],
)
def test_safelines_revenge_porn_form_is_shown_only_for_sexual_images(catalog, given, asks):
    assert len(card(view(catalog, given), "safeline")["form_asks"]) == asks


@pytest.mark.parametrize(
    ("harm", "links"),
    [
        ("impersonation", ["https://help.x.com/ja/safety-and-security/report-x-impersonation"]),
        ("defamation", []),
    ],
)
def test_a_platform_page_for_one_harm_is_offered_only_for_that_harm(catalog, harm, links):
    result = view(
        catalog,
        f"urgent=no reporter=self situation=victim harm={harm} goal=delete delete_by=self",
        url="https://x.com/someone/status/1",
    )
    site = card(result, "site-operator")
    assert [link["url"] for link in site["links"]] == links
    assert site["url"] == "https://x.com/"


@pytest.mark.parametrize(
    ("url", "platform", "designated"),
    [
        ("https://x.com/someone/status/1", "x", True),
        ("https://www.youtube.com/watch?v=abc", "youtube", True),
        ("https://www.google.com/search?q=a", "google-search", False),
        ("https://maps.app.goo.gl/AbCdEf", "google-maps", False),
        ("https://egg.5ch.net/test/read.cgi/x/1/", "5ch", False),
    ],
)
def test_designated_platforms_carry_the_operators_duty(catalog, url, platform, designated):
    result = view(catalog, "urgent=no reporter=business situation=victim harm=defamation goal=unsure", url)
    shown = result["site"]["platform"]
    assert (shown["id"], shown["designated"]) == (platform, designated)
    assert (shown["designation"] is not None) == designated
    # Whether it is designated is backed by the GOV list; what that obliges it to do by its own source.
    assert shown["designated_source"] == ("soumu-designation-2025" if designated else None)
    if designated:
        assert shown["designation"]["source"] == "municipal-designation-duty"


def test_the_search_results_warning_points_to_the_search_engines_removal_route(catalog):
    result = view(
        catalog,
        "urgent=no reporter=self situation=victim harm=privacy goal=delete delete_by=self",
        url="https://www.google.com/search?q=my+name",
    )
    warning = next(w["text"] for w in result["warnings"] if w["id"] == "search-result-url")
    assert "検索サイトの削除の窓口" in warning
    assert card(result, "site-operator")["links"]


def test_a_platform_card_lists_the_sources_of_what_it_shows_of_the_platform(catalog):
    answers = "urgent=no reporter=self situation=victim harm=impersonation goal=delete delete_by=self"
    card = next(d for d in view(catalog, answers, "https://x.com/someone")["destinations"] if d["platform"])
    sources = {s["id"] for s in card["sources"]}
    # The impersonation report page, the GOV list naming X, and the sentence on the operator's duty.
    assert {"x-help-impersonation", "soumu-designation-2025", "municipal-designation-duty"} <= sources
    assert [link["url"] for link in card["links"]] == [
        "https://help.x.com/ja/safety-and-security/report-x-impersonation"
    ]
