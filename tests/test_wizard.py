"""The web wizard without a browser: pages, order of windows, escaping, refusals and languages."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import ROOT, Settings
from server.wizard import CHART, STRINGS
from tests.answers import DEFAMED_DELETE_MYSELF

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


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def wizard_url(path: str = "/wizard", **params: str) -> str:
    return f"{path}?{urlencode({'found_at': FOUND_AT, **params})}"


def get_page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def destination_ids(html: str) -> list[str | None]:
    return Tags(html).values("data-destination-id")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?lang=en",
        wizard_url(),
        wizard_url(**VICTIM),
        wizard_url("/wizard/print", **VICTIM),
        "/destinations",
        "/destinations?lang=en",
    ],
)
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
    assert [b["value"] for b in buttons] == ["self", "child", "parent", "school"]
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
            ["jinken", "slander-hotline", "safeline"],
        ),
        (
            {"urgent": "no", "reporter": "self", "situation": "found", "category": "csam"},
            None,
            ["ihc", "safeline"],
        ),
        (
            {"urgent": "yes", "reporter": "child", "situation": "worried"},
            None,
            ["police-110", "mamorouyo-kokoro", "kodomo-sos", "kodomo-jinken"],
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


def test_the_result_shows_notices_first_then_warnings(client: TestClient):
    answers = {"urgent": "no", "reporter": "child", "situation": "victim"}
    answers |= {"harm": "intimate-image", "goal": "delete", "delete_by": "proxy"}
    html = get_page(client, wizard_url(**answers))
    assert Tags(html).values("data-notice-id") == ["tell-trusted-adult"]
    assert "csam-do-not-save" in Tags(html).values("data-warning-id")
    assert html.index("data-notice-id") < html.index("data-warning-id")
    # Child wording comes from the API (audience=child).
    assert "しんじられる おとな" in html
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


def test_the_language_switch_keeps_the_answers(client: TestClient):
    html = get_page(client, wizard_url(**VICTIM))
    (switch,) = Tags(html).find("a", **{"class": "lang-switch"})
    query = dict(parse_qsl(urlsplit(switch["href"]).query))
    assert query == {"found_at": FOUND_AT, **VICTIM, "lang": "en"}


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
    assert "URLと見つけた日時だけを記録する" in checklist_item(html, "url-only")
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
    assert html.index('data-warning-id="csam-do-not-save"') < html.index('data-notice-id="helper-accepted"')
