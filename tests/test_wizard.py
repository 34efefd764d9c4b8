"""The web wizard without a browser: pages, order of windows, escaping, refusals and languages."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.pages import href
from server.settings import ROOT, Settings
from server.wizard import CHART, STRINGS, joined
from tests.answers import DEFAMED_DELETE_MYSELF, SCAM_PAID, SEXTORTION_CHILD

FOUND_AT = "2026-11-29T20:15:00+09:00"
HOSTILE = "<script>alert(1)</script>"
VICTIM = DEFAMED_DELETE_MYSELF


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def values(self, attribute: str) -> list[str | None]:
        """The values of one attribute, in document order."""
        return [attrs[attribute] for _, attrs in self.tags if attribute in attrs]

    def find(self, tag: str, **attributes: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k) == v for k, v in attributes.items())
        ]


def wizard_url(path: str = "/wizard", **params: str) -> str:
    return f"{path}?{urlencode({'found_at': FOUND_AT, **params})}"


def get_page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def destination_ids(html: str) -> list[str | None]:
    return Tags(html).values("data-destination-id")


# Every kind of page, each answering 200.
PAGES = [
    "/",
    "/?lang=en",
    wizard_url(),
    wizard_url(**VICTIM),
    wizard_url("/wizard/print", **VICTIM),
    wizard_url("/wizard/share", **VICTIM),
    "/destinations",
    "/destinations?lang=en",
    "/verify",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_html_with_the_security_headers(client: TestClient, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("url", ["/", wizard_url(**VICTIM), "/destinations", "/no-such-page"])
def test_every_page_has_the_quick_exit_and_no_inline_script_or_style(client: TestClient, url: str):
    html = client.get(url, headers={"accept": "text/html"}).text
    tags = Tags(html)
    (exit_link,) = tags.find("a", id="quick-exit")
    assert exit_link["href"] == Settings().quick_exit_url
    assert exit_link["rel"] == "noreferrer"
    assert all(attrs.get("src", "").startswith("/static/") for attrs in tags.find("script"))
    assert not tags.find("style")
    assert not [attrs for _, attrs in tags.tags if "style" in attrs]
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def test_the_first_visit_fixes_the_time_of_finding_in_the_address(client: TestClient):
    response = client.get("/wizard?url=https://x.com/a/status/1", follow_redirects=False)
    assert response.status_code == 303
    query = dict(parse_qsl(urlsplit(response.headers["location"]).query))
    assert query["url"] == "https://x.com/a/status/1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", query["found_at"])


def test_a_question_page_is_one_get_form_with_one_button_per_option(client: TestClient):
    html = get_page(client, wizard_url(url="https://x.com/a/status/1", urgent="no"))
    tags = Tags(html)
    (form,) = tags.find("form", **{"class": "question"})
    assert (form["method"], form["action"], form["data-question-id"]) == ("get", "/wizard", "reporter")
    buttons = tags.find("button", type="submit", name="reporter")
    assert [b["value"] for b in buttons] == ["self", "child", "parent", "school", "business"]
    hidden = {a["name"]: a["value"] for a in tags.find("input", type="hidden")}
    assert hidden == {"url": "https://x.com/a/status/1", "found_at": FOUND_AT, "urgent": "no"}
    assert tags.find("progress", value="1")
    assert "質問 2（全" in html


def test_the_back_link_drops_the_last_answer(client: TestClient):
    for page_url, back_url in [
        (wizard_url(urgent="no", reporter="self"), wizard_url(urgent="no")),
        (wizard_url(**VICTIM), wizard_url(**{k: v for k, v in VICTIM.items() if k != "delete_by"})),
        (
            wizard_url(url="https://x.com/a"),
            "/?" + urlencode({"url": "https://x.com/a", "found_at": FOUND_AT}),
        ),
    ]:
        (back,) = Tags(get_page(client, page_url)).find("a", **{"class": "back-link"})
        assert back["href"] == back_url


@pytest.mark.parametrize(
    ("answers", "url", "expected"),
    [
        (VICTIM, "https://x.com/someone/status/1", ["site-operator", "ihaho", "jinken"]),
        (
            {**VICTIM, "reporter": "parent", "harm": "bullying-media", "delete_by": "proxy"},
            None,
            ["jinken", "slander-hotline", "safeline", "kodomo-sos", "kodomo-jinken"],
        ),
        (
            {"urgent": "no", "reporter": "self", "situation": "found", "category": "csam"},
            None,
            ["ihc", "safeline"],
        ),
        (
            {"urgent": "yes", "reporter": "child", "situation": "worried"},
            None,
            ["police-110", "kodomo-sos", "mamorouyo-kokoro", "kodomo-jinken"],
        ),
        (
            {"urgent": "no", "reporter": "self", "situation": "found", "category": "phishing"},
            None,
            ["antiphishing", "ihc"],
        ),
    ],
)
def test_the_result_lists_the_windows_in_the_services_order(
    client: TestClient, answers: dict, url: str | None, expected: list[str]
):
    params = {**answers, **({"url": url} if url else {})}
    html = get_page(client, wizard_url(**params))
    assert destination_ids(html) == expected
    api = client.post("/api/v1/assess", json={"answers": answers, "url": url}).json()
    assert [d["id"] for d in api["destinations"]] == expected


def test_the_110_banner_follows_an_urgent_answer(client: TestClient):
    assert "data-banner" not in get_page(client, wizard_url())
    assert "data-banner" not in get_page(client, wizard_url(urgent="no"))
    question = Tags(get_page(client, wizard_url(urgent="yes")))
    result = Tags(get_page(client, wizard_url(urgent="yes", reporter="self", situation="worried")))
    for tags in (question, result):
        assert tags.find("section", **{"data-banner": "110"})
        assert tags.find("a", href="tel:110")


def message_ids(html: str) -> list[str]:
    """The warnings and notices of a page, in the order shown."""
    return re.findall(r'data-(?:warning|notice)-id="([^"]+)"', html)


def test_a_childs_result_opens_with_not_your_fault_then_tell_an_adult(client: TestClient):
    answers = {"urgent": "no", "reporter": "child", "situation": "victim"}
    answers |= {"harm": "intimate-image", "goal": "delete", "delete_by": "proxy"}
    html = get_page(client, wizard_url(**answers))
    shown = message_ids(html)
    assert shown[:2] == ["not-your-fault", "tell-trusted-adult"]
    assert "csam-do-not-save" in shown and shown[-1] == "local-windows"
    assert Tags(html).find("div", **{"data-evidence": "forbidden"})


def test_csam_result_forbids_capture_and_says_so(client: TestClient):
    answers = {"urgent": "no", "reporter": "self", "situation": "found", "category": "csam"}
    html = get_page(client, wizard_url(**answers))
    tags = Tags(html)
    assert tags.values("data-warning-id") == ["csam-do-not-save"]
    assert tags.find("div", **{"data-evidence": "forbidden"})
    assert "screenshot" not in tags.values("data-item-id")
    assert "url-only" in tags.values("data-item-id")


def test_a_card_shows_phones_links_and_sources(client: TestClient):
    answers = {**VICTIM, "goal": "unsure"}
    del answers["delete_by"]
    html = get_page(client, wizard_url(**answers))
    tags = Tags(html)
    assert tags.find("a", href="tel:0570003110")
    assert tags.find("a", href="https://www.jinken.go.jp/")
    assert "運営者の公式ページ" in html and "確認日 2026-" in html


def test_the_checklist_is_prefilled_and_copyable_without_javascript(client: TestClient):
    html = get_page(client, wizard_url(url="https://x.com/a/status/1", title="ひどい投稿", **VICTIM))
    tags = Tags(html)
    assert 'id="value-url">https://x.com/a/status/1<' in html
    assert "2026年11月29日 20時15分（日本時間）" in html
    (memo,) = tags.find("textarea", id="memo-ja")
    assert "readonly" in memo
    assert "【通報・相談メモ】" in html and "ページのタイトル：ひどい投稿" in html
    # The copy buttons are an enhancement: hidden until app.js shows them.
    copies = [b for b in tags.find("button") if "data-copy" in b]
    assert len(copies) > 1 and all("hidden" in b for b in copies)
    assert "memo-ja" in [b["data-copy"] for b in copies]


def test_a_hostile_title_is_shown_as_text(client: TestClient):
    for path in ("/wizard", "/wizard/print"):
        html = get_page(client, wizard_url(path, title=HOSTILE, **VICTIM))
        assert HOSTILE not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    question = get_page(client, wizard_url(title=HOSTILE))
    assert HOSTILE not in question and 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in question


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "http:// か https://"),
        ("data:text/html,hi", "http:// か https://"),
        ("http://localhost/admin", "家庭・職場のネットワーク"),
        ("http://192.168.0.1/", "家庭・職場のネットワーク"),
        ("https://example.com/a\x00b", None),
        ("https://example.com/" + "a" * 3000, "2,048文字"),
    ],
)
def test_a_refused_url_gets_the_start_page_with_the_message(
    client: TestClient, url: str, message: str | None
):
    html = get_page(client, wizard_url(url=url), status=400)
    tags = Tags(html)
    assert tags.find("div", role="alert")
    (field,) = tags.find("input", id="url")
    assert field["aria-invalid"] == "true"
    if message:
        assert message in html


@pytest.mark.parametrize(
    "params",
    [
        {"urgent": "maybe"},
        {"favourite_colour": "blue"},
        {"found_at": "yesterday"},
        {"url": "javascript:alert(1)", "urgent": "yes"},
    ],
)
def test_bad_input_is_a_400_page_never_a_500(client: TestClient, params: dict):
    for path in ("/wizard", "/wizard/print"):
        html = get_page(client, f"{path}?{urlencode(params)}", status=400)
        assert Tags(html).find("form", action="/wizard")


def test_unknown_answers_get_words_a_person_can_act_on(client: TestClient):
    html = get_page(client, wizard_url(urgent="maybe"), status=400)
    assert "最初から答え直してください" in html and "openapi" not in html


def test_english_everywhere_with_lang_en(client: TestClient):
    start = get_page(client, "/?lang=en")
    assert '<html lang="en">' in start and "Quick exit" in start and "Start" in start
    question = get_page(client, wizard_url(lang="en"))
    assert "Is someone's life or body in danger" in question.replace("&#39;", "'")
    assert Tags(question).find("input", type="hidden", name="lang", value="en")
    result = get_page(client, wizard_url(lang="en", **VICTIM))
    assert "Illegal and Harmful Information Consultation Center" in result
    assert "Where to report" in result
    # The block to paste stays Japanese: the forms it goes into are Japanese.
    assert "【通報・相談メモ】" in result
    assert "Window" in get_page(client, wizard_url("/wizard/print", lang="en", **VICTIM))
    assert "Every report and advice window" in get_page(client, "/destinations?lang=en")
    refused = get_page(client, wizard_url(lang="en", url="javascript:x"), status=400)
    assert "We could not read that" in refused


@pytest.mark.parametrize(
    ("path", "facts", "lang"),
    [
        ("/wizard", {}, "ja"),
        ("/wizard", {"url": "https://例え.jp/ページ?q=a&b=c", "title": "ひどい 投稿 & <script>"}, "en"),
        ("/wizard/print", {"url": "https://x.com/a/status/1", "selection": "改行\nあり"}, "ja"),
    ],
)
def test_the_language_switch_keeps_the_answers_and_facts(
    client: TestClient, path: str, facts: dict[str, str], lang: str
):
    html = get_page(client, wizard_url(path, **facts, **VICTIM, **({"lang": "en"} if lang == "en" else {})))
    (switch,) = Tags(html).find("a", **{"class": "lang-switch"})
    assert urlsplit(switch["href"]).path == path
    query = parse_qsl(urlsplit(switch["href"]).query)
    other = [("lang", "en")] if lang == "ja" else []
    assert sorted(query) == sorted([("found_at", FOUND_AT), *facts.items(), *VICTIM.items(), *other])


def test_the_print_view_is_an_a4_memo_with_blanks(client: TestClient):
    html = get_page(client, wizard_url("/wizard/print", url="https://x.com/a/status/1", **VICTIM))
    assert "相談メモ" in html and "2026年11月29日 20時15分（日本時間）" in html
    assert destination_ids(html) == ["site-operator", "ihaho", "jinken"]
    assert "0570-003-110" in html and 'class="write-in"' in html
    css = (ROOT / "server" / "static" / "app.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{\s*size:\s*A4", css)


def test_the_print_view_of_an_unfinished_wizard_goes_back_to_it(client: TestClient):
    response = client.get(wizard_url("/wizard/print", urgent="no"), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/wizard?")


def test_the_map_shows_every_window_once_under_the_flyers_chart(client: TestClient):
    html = get_page(client, "/destinations")
    catalog_ids = [d["id"] for d in client.get("/api/v1/destinations").json()["destinations"]]
    assert destination_ids(html) == catalog_ids
    charted = {i for section in CHART for i in section["destinations"]}
    assert charted == set(catalog_ids), "every window sits under a heading of the chart"
    assert "ネット上の書き込み・画像を削除したい" in html
    assert Tags(html).find("a", href="#d-ihc")


def test_an_unknown_page_is_html_for_browsers_and_json_for_the_api(client: TestClient):
    html = get_page(client, "/no-such-page", status=404)
    assert "そのページやAPIはありません" in html
    api = client.get("/api/v1/nothing", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "not-found"
    plain = client.get("/no-such-page")
    assert plain.json()["error"]["code"] == "not-found"


def test_static_files_are_served_from_this_site(client: TestClient):
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_the_start_page_carries_what_is_known_about_the_page(client: TestClient):
    tags = Tags(
        get_page(client, "/?" + urlencode({"url": "https://x.com/a", "title": "T", "found_at": FOUND_AT}))
    )
    (field,) = tags.find("input", id="url")
    assert field["value"] == "https://x.com/a"
    hidden = {a["name"]: a["value"] for a in tags.find("input", type="hidden")}
    assert hidden == {"title": "T", "found_at": FOUND_AT}
    # After a refusal the time is not carried back: it may be what was refused.
    refused = Tags(get_page(client, wizard_url(url="javascript:x", title="T"), status=400))
    assert {a["name"] for a in refused.find("input", type="hidden")} == {"title"}


def test_a_selected_text_prefills_the_problem_post(client: TestClient):
    html = get_page(client, wizard_url(selection="ひどい書き込みの本文", **VICTIM))
    assert 'id="value-selection">ひどい書き込みの本文<' in html
    (back,) = Tags(html).find("a", **{"class": "back-link"})
    assert dict(parse_qsl(urlsplit(back["href"]).query))["selection"] == "ひどい書き込みの本文"


def test_every_word_a_template_uses_is_in_strings_toml():
    # Jinja renders an unknown attribute as nothing, so a misspelt key would show as a blank.
    used = {
        key
        for template in (ROOT / "server" / "templates").glob("*.html")
        for key in re.findall(r"\bt\.(\w+)", template.read_text(encoding="utf-8"))
    }
    assert used - set(vars(STRINGS["ja"])) == set()


def checklist_item(html: str, item_id: str) -> str:
    """The HTML of one checklist entry of the result page ('' when it is not listed)."""
    match = re.search(rf'<li data-item-id="{item_id}">(.*?)</li>', html, re.S)
    return match.group(1) if match else ""


def test_evidence_items_are_marked_with_how_to_take_them(client: TestClient):
    html = get_page(client, wizard_url(url="https://x.com/a/status/1", **VICTIM))
    for item_id in ("url", "screenshot", "account", "exchange", "deletion-request"):
        assert 'class="badge"' in checklist_item(html, item_id), item_id
    assert "スマホ" in checklist_item(html, "screenshot") and "PC" in checklist_item(html, "screenshot")
    assert "「3分前」ではなく" in checklist_item(html, "found_at")


def test_csam_result_asks_for_the_url_and_time_only(client: TestClient):
    found_csam = {"urgent": "no", "reporter": "self", "situation": "found", "category": "csam"}
    html = get_page(client, wizard_url(url="https://uploader.example.net/i/1", **found_csam))
    assert checklist_item(html, "screenshot") == ""
    assert "URLと日時を記録する" in checklist_item(html, "url-only")
    assert 'data-evidence="forbidden"' in html


@pytest.mark.parametrize(
    ("typed", "analysed"),
    [
        ("x.com/someone/status/1", "https://x.com/someone/status/1"),
        ("  www.example.jp  ", "https://www.example.jp"),
        ("例え.jp/ページ", "https://例え.jp/ページ"),
        ("https://x.com/a", "https://x.com/a"),
    ],
)
def test_an_address_typed_without_https_is_read_as_https(client: TestClient, typed: str, analysed: str):
    html = get_page(client, wizard_url(url=typed, **VICTIM))
    assert '<li data-item-id="url">' in html
    assert analysed in checklist_item(html, "url")


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "localhost:8000/x", "not an address"])
def test_other_typed_text_is_still_refused(client: TestClient, typed: str):
    get_page(client, wizard_url(url=typed, **VICTIM), status=400)


def test_safety_warnings_come_before_other_notes_for_a_parent(client: TestClient):
    answers = {"urgent": "no", "reporter": "parent", "situation": "victim"}
    answers |= {"harm": "intimate-image", "goal": "delete", "delete_by": "proxy"}
    html = get_page(client, wizard_url(**answers))
    assert html.index('data-warning-id="csam-do-not-save"') < html.index(
        'data-notice-id="helper-accepted-safeline"'
    )


def assert_error_page(response, status: int) -> Tags:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    tags = Tags(response.text)
    assert tags.find("a", id="quick-exit")
    return tags


@pytest.mark.parametrize("found_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-11-29"])
def test_a_crafted_time_gets_the_start_page_not_a_json_500(client: TestClient, found_at: str):
    for path in ("/wizard", "/wizard/print"):
        url = f"{path}?{urlencode({**VICTIM, 'found_at': found_at})}"
        response = client.get(url, headers={"accept": "text/html"})
        assert_error_page(response, 400).find("form", action="/wizard")


def test_an_unexpected_error_in_the_wizard_is_a_page_with_the_quick_exit(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("server.wizard.assess_request", broken)
    with TestClient(
        create_app(Settings()), base_url="http://localhost", raise_server_exceptions=False
    ) as client:
        response = client.get(wizard_url(lang="en"), headers={"accept": "text/html"})
        assert_error_page(response, 500)
        assert "call 110" in response.text and "a bug" not in response.text
        api = client.post("/api/v1/assess", json={"answers": {}})
        assert api.status_code == 200, "the API does not use the wizard's function"


def test_a_405_page_says_which_methods_are_allowed(client: TestClient):
    response = client.post("/wizard", headers={"accept": "text/html"})
    assert_error_page(response, 405)
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


@pytest.mark.parametrize(
    "path",
    [
        "/%2F%2Fevil.example",
        "/%2F%2Fevil.example?lang=en",
        "/%5C%5Cevil.example",
        "/%5Cevil.example",
        "/x%3Fy",
    ],
)
def test_every_link_to_this_site_is_a_single_slash_path(client: TestClient, path: str):
    tags = assert_error_page(client.get(path, headers={"accept": "text/html"}), 404)
    (switch,) = tags.find("a", **{"class": "lang-switch"})
    assert switch["href"] == ("/" if "lang=en" in path else "/?lang=en")
    for link in tags.values("href") + tags.values("action") + tags.values("src"):
        assert link and not link.startswith(("//", "/\\")) and "evil" not in link, link


def test_the_language_switch_of_an_error_on_a_page_keeps_that_page(client: TestClient):
    html = get_page(client, wizard_url(urgent="maybe"), status=400)
    (switch,) = Tags(html).find("a", **{"class": "lang-switch"})
    assert switch["href"].startswith("/wizard?") and switch["href"].endswith("lang=en")


# Issue 7: cost, hours, languages, what happens next, the platform's designation.


def card(html: str, destination_id: str) -> str:
    """The HTML of one destination card ('' when it is not shown)."""
    match = re.search(rf'<article class="card" id="d-{destination_id}".*?</article>', html, re.S)
    return match.group(0) if match else ""


def test_a_card_shows_what_each_call_costs_when_it_answers_and_what_happens_next(client: TestClient):
    html = get_page(client, wizard_url(**SCAM_PAID))
    api = client.post("/api/v1/assess", json={"answers": SCAM_PAID}).json()
    consumer = next(d for d in api["destinations"] if d["id"] == "consumer-188")
    (phone,) = consumer["phones"]
    shown = card(html, "consumer-188")
    assert f'data-cost="{phone["cost"]}"' in shown and phone["cost_label"] in shown
    assert phone["hours"] and phone["hours"] in shown
    assert consumer["next"]["text"] in shown
    assert message_ids(html)[0] == "call-card-company"
    memo = get_page(client, wizard_url("/wizard/print", **SCAM_PAID))
    assert phone["cost_label"] in memo and phone["hours"] in memo and consumer["next"]["text"] in memo


def test_free_and_charged_lines_are_told_apart(client: TestClient):
    html = get_page(client, wizard_url(**SEXTORTION_CHILD))
    assert 'data-cost="free"' in card(html, "kodomo-sos")
    assert 'data-cost="charged"' in card(html, "police-9110")


def test_an_english_result_marks_the_windows_that_answer_in_other_languages(client: TestClient):
    html = get_page(client, wizard_url(lang="en", **VICTIM))
    marked = [
        a["data-destination-id"]
        for a in Tags(html).find("article")
        if "data-other-languages" in card(html, a["data-destination-id"] or "")
    ]
    assert marked == ["jinken-foreign"]
    assert "Answers in other languages too" in card(html, "jinken-foreign")
    assert "Japanese only, as far as known" in card(html, "jinken")
    assert "languages" in message_ids(html)


def test_a_designated_platforms_card_says_what_its_operator_must_do(client: TestClient):
    html = get_page(client, wizard_url(url="https://x.com/someone/status/1", **VICTIM))
    api = client.post(
        "/api/v1/assess", json={"answers": VICTIM, "url": "https://x.com/someone/status/1"}
    ).json()
    sentence = api["site"]["platform"]["designation"]["text"]
    assert "data-designated" in card(html, "site-operator") and sentence in card(html, "site-operator")
    assert sentence in get_page(client, wizard_url("/wizard/print", url="https://x.com/a/status/1", **VICTIM))


def test_the_map_shows_cost_hours_languages_and_next(client: TestClient):
    html = get_page(client, "/destinations")
    for window in ("consumer-188", "police-8103", "onestop-8891", "jinken-foreign", "lawyer"):
        assert card(html, window), window
    assert 'data-cost="free"' in html and 'data-cost="charged"' in html
    assert "data-other-languages" in card(html, "jinken-foreign")
    assert 'class="next"' in card(html, "consumer-188")


# Issue 8: child mode, the first screen, the parent guide, sharing, history and editable facts.

MARKUP_LEFT = re.compile(r"\{[^{}|]*\|[^{}|]*\}")


def test_a_childs_pages_draw_readings_and_copy_plain_text(client: TestClient):
    for path in ("/wizard", "/wizard/print", "/wizard/share"):
        html = get_page(client, wizard_url(path, title="{x|y} T", **SEXTORTION_CHILD))
        assert "<ruby>" in html, path
        assert not MARKUP_LEFT.sub("", html.replace("{x|y} T", "")).count("|しつもん"), path
        assert not MARKUP_LEFT.search(html.replace("{x|y} T", "")), path
        assert "<ruby>" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    html = get_page(client, wizard_url(title="{x|y} T", **SEXTORTION_CHILD))
    # The page words are the child's, with readings: "相談するところ".
    assert "<ruby>相談<rt>そうだん</rt></ruby>するところ" in html
    # What a person typed is shown as typed; the block to paste is plain text.
    assert 'id="value-title">{x|y} T<' in html
    api = client.post(
        "/api/v1/assess", json={"answers": SEXTORTION_CHILD, "title": "{x|y} T", "found_at": FOUND_AT}
    ).json()
    (memo,) = re.findall(r'<textarea id="memo-ja"[^>]*>(.*?)</textarea>', html, re.S)
    assert memo == api["checklist"]["text_ja"] and "<ruby>" not in memo


def test_a_question_number_is_filled_before_its_readings_are_drawn(client: TestClient):
    html = get_page(client, wizard_url(urgent="no", reporter="child"))
    assert "<ruby>質問<rt>しつもん</rt></ruby> 3（<ruby>全部<rt>ぜんぶ</rt></ruby>で" in html


def test_the_first_screen_has_a_childs_way_in_and_110_stays_first(client: TestClient):
    tags = Tags(get_page(client, "/"))
    (button,) = tags.find("button", name="reporter", value="child")
    assert button["form"] == "start-form" and tags.find("form", id="start-form")
    assert "<ruby>子<rt>こ</rt></ruby>どもの<ruby>人<rt>ひと</rt></ruby>はここから" in get_page(client, "/")
    # "Who are you?" answered first: the danger question comes next, in a child's words.
    html = get_page(client, wizard_url(reporter="child"))
    (form,) = Tags(html).find("form", **{"class": "question"})
    assert form["data-question-id"] == "urgent"
    assert "<ruby>" in html and "命や身体に危険が迫っていますか" not in html


@pytest.mark.parametrize("url", [*PAGES, "/no-such-page"])
def test_every_page_has_a_110_call_button(client: TestClient, url: str):
    html = client.get(url, headers={"accept": "text/html"}).text
    assert Tags(html).find("a", href="tel:110", **{"class": "header-110"})


@pytest.mark.parametrize(
    "answers",
    [
        SEXTORTION_CHILD,
        {"urgent": "no", "reporter": "self", "situation": "victim", "harm": "sextortion", "goal": "punish"},
    ],
)
def test_not_your_fault_opens_a_childs_or_a_sexual_image_victims_result(client: TestClient, answers: dict):
    assert message_ids(get_page(client, wizard_url(**answers)))[0] == "not-your-fault"


PARENT = {"urgent": "no", "reporter": "parent", "situation": "worried"}


def test_a_parent_gets_the_guide_on_the_result_and_the_memo(client: TestClient):
    api = client.post("/api/v1/assess", json={"answers": PARENT}).json()
    for path in ("/wizard", "/wizard/print"):
        html = get_page(client, wizard_url(path, **PARENT))
        tags = Tags(html)
        assert tags.values("data-guide-id") == [g["id"] for g in api["guide"]]
        own = re.search(r'<li data-guide-id="listen">(.*?)</li>', html, re.S).group(1)
        assert "guide-own" in own and "出典のない、このサービス自身の助言" in own
        flyer = re.search(r'<li data-guide-id="local-windows">(.*?)</li>', html, re.S).group(1)
        assert "guide-source" in flyer and "学校や地方公共団体" in flyer
        assert "local-windows" in tags.values("data-notice-id")


def share_of(html: str) -> str:
    (section,) = Tags(html).find("section", **{"class": "share"})
    return section["data-share-link"] or ""


def test_the_share_view_says_what_the_link_holds_and_holds_only_that(client: TestClient):
    params = {"url": "https://x.com/a/status/1", "title": "秘密のタイトル", "selection": "本文", **VICTIM}
    html = get_page(client, wizard_url("/wizard/share", **params))
    assert html.index("ページのタイトルと、書き込みの本文は入りません") < html.index('class="qr"')
    link = share_of(html)
    query = dict(parse_qsl(urlsplit(link).query))
    assert query == {"found_at": FOUND_AT, **VICTIM}, "answers and time only, no URL unless ticked"
    assert Tags(html).find("input", type="checkbox", name="include_url")
    with_url = dict(
        parse_qsl(
            urlsplit(share_of(get_page(client, wizard_url("/wizard/share", include_url="1", **params)))).query
        )
    )
    assert with_url == {"url": "https://x.com/a/status/1", "found_at": FOUND_AT, **VICTIM}
    # The QR code is an inline SVG: no script, no style attribute, nothing the CSP refuses.
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<script" not in svg and " style=" not in svg
    # The result page leads here with its own query.
    (link,) = Tags(get_page(client, wizard_url(**params))).find("a", **{"class": "button share-link"})
    assert dict(parse_qsl(urlsplit(link["href"] or "").query)) == {"found_at": FOUND_AT, **params}


def test_the_share_link_opens_the_same_result(client: TestClient):
    link = share_of(get_page(client, wizard_url("/wizard/share", **SEXTORTION_CHILD)))
    parts = urlsplit(link)
    shared = get_page(client, f"{parts.path}?{parts.query}")
    assert destination_ids(shared) == destination_ids(get_page(client, wizard_url(**SEXTORTION_CHILD)))


def test_without_a_public_address_the_share_view_says_the_link_works_only_here(client: TestClient):
    html = get_page(client, wizard_url("/wizard/share", **VICTIM))
    assert Tags(html).find("p", **{"data-local": None}) and "このコンピューターでしか開けません" in html
    assert share_of(html).startswith("http://localhost/wizard?")


def test_the_share_link_uses_the_public_address():
    settings = Settings(public_url="https://tsuho.example.jp/", allowed_hosts=("localhost",))
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        html = get_page(client, wizard_url("/wizard/share", **VICTIM))
        memo = get_page(client, wizard_url("/wizard/print", url="https://x.com/a/status/1", **VICTIM))
    assert share_of(html).startswith("https://tsuho.example.jp/wizard?found_at=")
    assert "data-local" not in html
    (figure,) = Tags(memo).find("figure", **{"class": "memo-share"})
    assert figure["data-share-link"].startswith("https://tsuho.example.jp/wizard?")
    assert "url=" not in figure["data-share-link"] and "<svg" in memo


def test_without_javascript_the_footer_says_what_stays_in_the_history(client: TestClient):
    html = get_page(client, wizard_url(**VICTIM))
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S).group(1)
    assert "閲覧履歴に残ります" in noscript
    assert "履歴に残りにくく" not in html


def test_the_facts_can_be_corrected_before_the_checklist(client: TestClient):
    html = get_page(client, wizard_url(**VICTIM))
    tags = Tags(html)
    (form,) = tags.find("form", **{"class": "facts"})
    assert (form["action"], form["method"]) == ("/wizard", "get")
    (found_at,) = tags.find("input", name="found_at", type="datetime-local")
    assert found_at["value"] == "2026-11-29T20:15"
    assert html.index('class="facts"') < html.index('class="known"')
    hidden = {a["name"] for a in tags.find("input", type="hidden")}
    assert {"title", "selection", "found_at"}.isdisjoint(hidden)
    # What the form sends: the time as typed in Japan time, the title and the post.
    facts = {"found_at": "2026-11-28T07:05", "title": "ひどい投稿", "selection": "問題の本文"}
    edited = {"url": "https://x.com/a/status/1", **VICTIM, **facts}
    page_html = get_page(client, f"/wizard?{urlencode(edited)}")
    body = {"answers": VICTIM, "url": "https://x.com/a/status/1", **facts}
    api = client.post("/api/v1/assess", json=body).json()
    text_ja = api["checklist"]["text_ja"]
    for line in ("2026年11月28日 7時05分（日本時間）", "ページのタイトル：ひどい投稿", "問題の本文"):
        assert line in text_ja and line in page_html
    assert "（　" not in text_ja.split("【用意するもの・証拠】")[0]
    (memo,) = re.findall(r'<textarea id="memo-ja"[^>]*>(.*?)</textarea>', page_html, re.S)
    assert memo == text_ja


def test_links_joined_from_pairs_encoded_once_equal_href():
    pairs = [
        ("url", "https://x.com/a?b=1&c=é"),
        ("title", "題 名+%"),
        ("found_at", "2026-11-29T20:15:00+09:00"),
    ]
    for n in range(len(pairs) + 1):
        encoded = [urlencode([pair]) for pair in pairs[:n]]
        assert joined("/wizard", encoded) == href("/wizard", pairs[:n])
        assert joined("", encoded) == href("", pairs[:n])
