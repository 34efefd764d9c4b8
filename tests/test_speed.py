"""What makes the service fast, checked for correctness (not timed): kept answers, compression, caching."""

import contextlib
import datetime as dt
import gzip
import io
import itertools
import json
import logging
import queue
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from markupsafe import Markup
from starlette.testclient import TestClient

from server import accesslog, engine, kept, pages
from server.app import create_app
from server.assets import VERSIONS, file_versions
from server.catalog import Catalog
from server.checks import complete_paths
from server.contract import LANGS
from server.memo import Memo, encode, site_kind
from server.present import Known, assessment_view
from server.serve import LOG_CONFIG, LineFormatter, LineQueue, write_lines
from server.settings import ROOT, Settings
from server.urls import HOSTS_KEPT, Analyses, UrlRefused, analyse, analyse_host, make_extractor
from tests.answers import DEFAMED_DELETE_MYSELF

FOUND_AT = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
# Two different URLs for each kind of site (a platform, a shortener, any other site) and none: the
# second of each pair must get an answer of its own from what the first one left behind.
URLS = (
    ("https://x.com/alice/status/1", "https://x.com/bob/status/2"),
    ("https://bit.ly/abc", "https://bit.ly/xyz"),
    ("https://example.jp/a", "https://www.example.co.jp/b?q=1"),
    (None, None),
)


def fresh(catalog: Catalog, answers: dict[str, str], known: Known, lang: str, markup: bool) -> dict[str, Any]:
    """The answer as the engine and the presenter make it, nothing kept."""
    assessment = engine.assess(catalog, answers, site_kind(known.site), lang)
    return assessment_view(catalog, assessment, known, lang, markup)


def test_kept_answers_equal_fresh_ones_on_every_complete_path(catalog: Catalog):
    memo = Memo(catalog)
    extractor = make_extractor()
    compared = 0
    for answers, pair, lang in itertools.product(complete_paths(catalog), URLS, LANGS):
        markup = answers["reporter"] == "child"
        for n, url in enumerate(pair):
            site = analyse(url, catalog.links, extractor) if url else None
            known = Known(FOUND_AT + dt.timedelta(minutes=n), url, f"title {n}", f"selection {n}", site)
            expected = fresh(catalog, answers, known, lang, markup)
            answer = memo.answer(answers, known, lang, markup)
            assert answer.view == expected, (answers, url, lang)
            assert answer.json() == encode(expected), (answers, url, lang)
            assert gzip.decompress(memo.gzipped_json(answer, 6)) == answer.json(), (answers, url, lang)
            compared += 1
    assert compared > 2000
    assert len(memo.shared.values) < compared / 2, "the second URL of a pair found the first one's part"


def test_partial_answers_and_refusals_are_the_engines(catalog: Catalog):
    memo = Memo(catalog)
    partial = {"urgent": "no", "reporter": "self", "situation": "victim"}
    known = Known(FOUND_AT)
    assert memo.answer(partial, known, "en").view == fresh(catalog, partial, known, "en", False)
    kept = len(memo.assessments.values)
    for refused in ({"nope": "x"}, {"urgent": "maybe"}):
        with pytest.raises(engine.AnswerError):
            memo.answer(refused, known, "ja")
    assert len(memo.assessments.values) == kept, "answers the engine refuses are not kept"


def test_what_is_kept_holds_nothing_a_request_sent(catalog: Catalog):
    memo = Memo(catalog)
    url, title, selection = "https://x.com/secret-name/status/7", "secret title", "secret selection"
    site = analyse(url, catalog.links, make_extractor())
    found_at = dt.datetime(1999, 9, 9, 9, 9, tzinfo=dt.UTC)
    memo.answer(DEFAMED_DELETE_MYSELF, Known(found_at, url, title, selection, site), "ja")
    kept = repr([memo.assessments.values, memo.shared.values, memo.kept.values])
    assert "x.com" in kept, "the platform's own page is data, and kept"
    for secret in ("secret", "1999"):
        assert secret not in kept


def assess(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/assess", json={"answers": DEFAMED_DELETE_MYSELF, **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_two_requests_with_the_same_answers_each_get_their_own_url_title_and_time(client: TestClient):
    first = assess(client, url="https://x.com/alice/status/1", title="アリス", found_at="2026-11-29T10:00:00")
    second = assess(client, url="https://x.com/bob/status/2", title="ボブ", found_at="2026-11-30T11:00:00")
    assert first["site"]["url"].endswith("alice/status/1") and second["site"]["url"].endswith("bob/status/2")
    assert first["checklist"]["found_at"] != second["checklist"]["found_at"]
    second_text = json.dumps(second, ensure_ascii=False)
    assert "alice" not in second_text and "アリス" not in second_text
    assert "ボブ" in second["checklist"]["text_ja"] and "アリス" in first["checklist"]["text_ja"]
    third = assess(client)
    assert third["site"] is None and "bob" not in json.dumps(third)


def test_the_map_of_windows_is_built_once_and_revalidated_by_etag(client: TestClient, catalog: Catalog):
    first = client.get("/api/v1/destinations")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["cache-control"] == "public, max-age=600"
    assert [d["id"] for d in first.json()["destinations"]] == list(catalog.destinations)
    assert client.get("/api/v1/destinations").content == first.content
    english = client.get("/api/v1/destinations?lang=en")
    assert english.headers["etag"] != etag and english.json()["lang"] == "en"
    for header in (etag, etag.removeprefix("W/"), f'"other", {etag}', "*"):
        again = client.get("/api/v1/destinations", headers={"if-none-match": header})
        assert again.status_code == 304 and again.content == b"", header
        assert again.headers["etag"] == etag
    stale = client.get("/api/v1/destinations", headers={"if-none-match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_the_map_changes_its_etag_when_the_data_changes(tmp_path: Path):
    etags = []
    for name in ("before", "after"):
        data = tmp_path / name
        data.mkdir()
        for path in (ROOT / "data").iterdir():
            (data / path.name).write_bytes(path.read_bytes())
        if name == "after":
            sources = data / "sources.toml"
            sources.write_text(sources.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
            destinations = data / "destinations.toml"
            text = destinations.read_text(encoding="utf-8")
            destinations.write_text(text.replace('name = { ja = "', 'name = { ja = "新', 1), encoding="utf-8")
        with TestClient(create_app(Settings(data_dir=data)), base_url="http://localhost") as client:
            etags.append(client.get("/api/v1/destinations").headers["etag"])
    assert etags[0] != etags[1]


def test_text_over_500_bytes_is_gzipped_and_smaller_text_is_not(client: TestClient):
    gzip = {"accept-encoding": "gzip"}
    page = client.get("/?lang=en", headers=gzip)
    assert page.headers["content-encoding"] == "gzip" and "Accept-Encoding" in page.headers["vary"]
    assert len(page.text) > 500 and page.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/destinations", headers=gzip).headers["content-encoding"] == "gzip"
    small = client.get("/healthz", headers=gzip)
    assert "content-encoding" not in small.headers and small.json() == {"status": "ok"}
    plain = client.get("/?lang=en", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers, "only when the client takes it"


def test_a_body_over_the_limit_is_still_a_413_with_gzip(client: TestClient):
    response = client.post(
        "/api/v1/assess",
        content=b"[" + b" " * 70000 + b"]",
        headers={"content-type": "application/json", "accept-encoding": "gzip"},
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "body-too-large"
    assert response.headers["cache-control"] == "no-store"


def static_links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_their_hash_and_those_are_kept_a_year(client: TestClient):
    links = static_links(client.get("/").text) + static_links(client.get("/verify").text)
    assert {link.split("?")[0] for link in links} == {
        "/static/app.css",
        "/static/app.js",
        "/static/verify.js",
    }
    for link in links:
        path, version = link.removeprefix("/static/").split("?v=")
        assert version == VERSIONS[path]
        response = client.get(link)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_static_files_asked_for_without_their_hash_are_kept_briefly(client: TestClient):
    for url in ("/static/app.css", "/static/app.css?v=0123456789ab", "/static/vendor/fflate.js"):
        assert client.get(url).headers["cache-control"] == "public, max-age=300", url


def test_a_changed_file_gets_a_new_url(tmp_path: Path):
    (tmp_path / "app.css").write_text("body { color: black; }")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.js").write_text("export {};")
    before = file_versions(tmp_path)
    (tmp_path / "app.css").write_text("body { color: navy; }")
    after = file_versions(tmp_path)
    assert set(before) == {"app.css", "vendor/lib.js"}
    assert before["app.css"] != after["app.css"] and before["vendor/lib.js"] == after["vendor/lib.js"]


ANSWERED = urlencode({**DEFAMED_DELETE_MYSELF, "url": "https://x.com/a/status/1", "found_at": "2026-11-29"})


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?url=https://x.com/a/status/1",
        "/wizard?urgent=no&url=https://x.com/a/status/1",
        "/wizard?urgent=no&found_at=2026-11-29T10:00:00",
        f"/wizard?{ANSWERED}T10:00:00",
        f"/wizard/print?{ANSWERED}T10:00:00",
        f"/wizard?{ANSWERED}",
        "/destinations?url=https://x.com/a/status/1",
        "/verify",
        "/nothing?url=https://x.com/a/status/1",
    ],
)
def test_every_page_that_may_hold_answers_or_a_url_is_no_store(client: TestClient, path: str):
    for headers in ({}, {"accept-encoding": "gzip", "accept": "text/html"}):
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.headers["cache-control"] == "no-store", (path, response.status_code)


def gzipped_and_plain(client: TestClient, method: str, path: str, **kwargs: Any) -> tuple[bytes, bytes]:
    """An answer's bytes as sent gzipped and as sent plain."""
    plain = client.request(method, path, headers={"accept-encoding": "identity"}, **kwargs)
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with client.stream(method, path, headers={"accept-encoding": "gzip"}, **kwargs) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip" and "Accept-Encoding" in response.headers["vary"]
    assert int(response.headers["content-length"]) == len(raw)
    assert len(raw) < len(plain.content) / 2
    return raw, plain.content


def test_a_gzipped_answer_is_the_same_json(client: TestClient):
    body = {
        "answers": DEFAMED_DELETE_MYSELF,
        "url": "https://x.com/a/status/1",
        "title": "題名 \u2028 </script>",
    }
    raw, plain = gzipped_and_plain(client, "POST", "/api/v1/assess", json=body)
    # Decoded here by the standard library, not by the client.
    assert gzip.decompress(raw) == plain


@pytest.mark.parametrize("path", ["/api/v1/destinations", "/api/v1/destinations?lang=en", "/openapi.json"])
def test_what_is_the_same_for_everyone_is_gzipped_once(client: TestClient, path: str):
    raw, plain = gzipped_and_plain(client, "GET", path)
    assert gzip.decompress(raw) == plain
    kept = client.app.state.memo.kept.values
    assert raw in kept.values(), "the gzipped bytes sent are the ones kept"
    before = dict(kept)
    assert gzipped_and_plain(client, "GET", path) == (raw, plain)
    assert kept == before, "made once, then kept"


def test_every_assess_answer_is_no_store(client: TestClient):
    for body in ({"answers": {}}, {"answers": DEFAMED_DELETE_MYSELF, "url": "https://x.com/a/status/1"}):
        response = client.post("/api/v1/assess", json=body, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store"


def test_url_analysis_keeps_hosts_only_a_bounded_number_and_no_refused_one(catalog: Catalog):
    extractor = make_extractor()
    analyse_host.cache_clear()
    first = analyse("https://www.example.co.jp/secret/path?q=1", catalog.links, extractor)
    second = analyse("https://www.example.co.jp/other", catalog.links, extractor)
    assert (first.url, second.url) == (
        "https://www.example.co.jp/secret/path?q=1",
        "https://www.example.co.jp/other",
    )
    assert first.registered_domain == second.registered_domain == "example.co.jp"
    assert analyse_host.cache_info().hits == 1 and analyse_host.cache_info().maxsize == HOSTS_KEPT
    with pytest.raises(UrlRefused):
        analyse("http://printer.local/", catalog.links, extractor)
    assert analyse_host.cache_info().currsize == 1, "a refused host is not kept"
    kept = repr(analyse_host.cache_parameters()) + repr([analyse_host("www.example.co.jp", extractor)])
    assert "secret" not in kept


# Pairs on one host whose platform or warnings differ by path, IDN and IP hosts, pasted spaces.
KEPT_URLS = (
    "https://www.google.com/search?q=name",
    "https://www.google.com/maps/place/abc",
    "https://x.com/search?q=name",
    "https://x.com/someone/status/1",
    "https://bit.ly/3abcDEF",
    "https://pаypal.com/login",
    "https://例え.jp/ページ",
    "https://8.8.8.8/a",
    "  https://example.co.jp/a\n",
    "https://example.co.jp/a",
)


def test_kept_url_analyses_equal_fresh_ones_and_hold_no_url(catalog: Catalog):
    analyses = Analyses(catalog.links, make_extractor())
    extractor = make_extractor()
    for _ in range(2):  # made, then kept
        for url in KEPT_URLS:
            assert analyses(url) == analyse(url, catalog.links, extractor), url
    assert len(analyses.kept.values) == len(KEPT_URLS) - 1, "a URL with pasted spaces is the same URL"
    with pytest.raises(UrlRefused):
        analyses("http://printer.local/secret")
    kept = analyses.kept.values
    assert len(kept) == len(KEPT_URLS) - 1, "a refused URL is not kept"
    assert all(type(key) is bytes and len(key) == 16 for key in kept)
    assert all(site.url == "" for site in kept.values())
    for secret in ("someone", "ページ", "place", "q=name", "/a", "3abcDEF"):
        assert secret not in repr(kept), secret


def test_kept_url_analyses_are_bounded_and_keyed_by_a_secret(catalog: Catalog):
    first, second = (Analyses(catalog.links, make_extractor(), size=3) for _ in range(2))
    for n in range(5):
        first(f"https://example.jp/{n}")
        second(f"https://example.jp/{n}")
    assert len(first.kept.values) == 3
    assert not set(first.kept.values) & set(second.kept.values), "each service keys with its own secret"


def test_url_analysis_fast_paths_refuse_what_the_slow_ones_did(catalog: Catalog):
    extractor = make_extractor()
    for url, code in (
        ("https://example.jp/a\u200bb", "url-control-chars"),
        ("https://example.jp/\x7f", "url-control-chars"),
        ("https://example.jp/a\u3000b", "url-invalid"),
        ("https://example.jp/a\u00a0b", "url-invalid"),
        ("https://example.jp/a\tb", "url-control-chars"),
    ):
        with pytest.raises(UrlRefused) as refused:
            analyse(url, catalog.links, extractor)
        assert refused.value.code == code, url
    assert analyse("https://例え.jp/ページ", catalog.links, extractor).host == "例え.jp"


def page_html(client: TestClient, params: dict[str, str], path: str = "/wizard") -> str:
    """A wizard page's text, as a client that takes no compression gets it."""
    response = client.get(
        f"{path}?{urlencode(params)}", headers={"accept": "text/html", "accept-encoding": "identity"}
    )
    assert response.status_code == 200, response.text
    assert "content-encoding" not in response.headers
    return response.text


def gzipped_page_html(client: TestClient, params: dict[str, str], path: str = "/wizard") -> str:
    """A wizard page's text, sent gzipped and decoded here by the standard library, not the client."""
    headers = {"accept": "text/html", "accept-encoding": "gzip"}
    with client.stream("GET", f"{path}?{urlencode(params)}", headers=headers) as response:
        assert response.status_code == 200
        assert (
            response.headers["content-encoding"] == "gzip" and response.headers["vary"] == "Accept-Encoding"
        )
        raw = b"".join(response.iter_raw())
    assert int(response.headers["content-length"]) == len(raw)
    return gzip.decompress(raw).decode()


@contextlib.contextmanager
def drawn_whole(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pages drawn whole while inside: the request's own strings in place, nothing kept."""
    with monkeypatch.context() as patch:
        patch.setattr(kept.Own, "__call__", lambda self, value: value)
        patch.setattr(kept, "page", lambda keep, key, own, draw, level=None: draw().encode())
        yield


FIRST_URL, FIRST_TITLE = "https://x.com/first-visitor/status/1", "最初の人の題名"
# What a later request brings: each shape of the page (a platform, an IDN host, another site, no URL;
# with and without title and selected text, one holding what looks like a mark), on each answer page.
LATER = (
    ("/wizard", "ja", {"url": "https://x.com/a/status/1"}),
    ("/wizard", "en", {"url": "https://例え.jp/ページ", "title": "<b>題名</b> & \ue0000\ue001"}),
    ("/wizard/print", "ja", {"url": "https://example.jp/b", "selection": "書き込み\n二行目"}),
    ("/wizard/share", "en", {"title": "t", "include_url": "1"}),
    ("/wizard/share", "ja", {"url": "https://bit.ly/abc", "include_url": "1"}),
)


def test_answer_pages_from_kept_outlines_equal_pages_drawn_whole(
    client: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
):
    drawn = 0
    # Every fourth path (the whole set takes half a minute), and a question page on the way to it.
    sample = itertools.islice(complete_paths(catalog), 0, None, 4)
    for answers, (path, lang, facts) in zip(sample, itertools.cycle(LATER), strict=False):
        question = dict(itertools.islice(answers.items(), 2))
        for shown, where in ((answers, path), (question, "/wizard")):
            page_html(client, {**shown, "lang": lang, "url": FIRST_URL, "title": FIRST_TITLE}, where)
            params = {**shown, "lang": lang, "found_at": "2026-11-30T11:00:00", **facts}
            kept_page = page_html(client, params, where)
            assert gzipped_page_html(client, params, where) == kept_page, (where, params)
            with drawn_whole(monkeypatch):
                assert page_html(client, params, where) == kept_page, (where, params)
            assert "first-visitor" not in kept_page and FIRST_TITLE not in kept_page
            drawn += 1
    assert drawn > 200


# Pages kept per language (and, for the start page, status and shape): a first request, then others.
OTHER_PAGES = (
    ("/", {"url": "https://first-visitor.example/", "title": "最初"}, {}),
    ("/", {}, {"lang": "en", "url": "https://例え.jp/<b>", "title": "t & \ue0000\ue001", "found_at": "2026"}),
    ("/", {"selection": "first-visitor"}, {"title": "only a title"}),
    (
        "/wizard",
        {"url": "javascript:first-visitor"},
        {"url": "ftp://x.example/<i>", "title": "t", "found_at": "x"},
    ),
    ("/wizard", {"urgent": "first-visitor"}, {"urgent": "maybe", "lang": "en"}),
    ("/wizard", {"url": "javascript:first-visitor"}, {"urgent": "maybe", "url": "https://x.com/a"}),
    ("/destinations", {"first-visitor": "1"}, {"lang": "en", "x": "<y>"}),
    ("/verify", {"lang": "en", "first-visitor": "1"}, {"lang": "en", "z": "a&b"}),
)


@pytest.mark.parametrize(("path", "first", "later"), OTHER_PAGES)
def test_other_kept_pages_equal_pages_drawn_whole(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str, first: dict, later: dict
):
    def fetch(params: dict[str, str], encoding: str = "identity") -> tuple[int, str]:
        response = client.get(f"{path}?{urlencode(params)}", headers={"accept-encoding": encoding})
        return response.status_code, response.text

    fetch(first)
    kept_page = fetch(later)
    assert fetch(later, "gzip") == kept_page
    assert "first-visitor" not in kept_page[1]
    with drawn_whole(monkeypatch):
        assert fetch(later) == kept_page


def test_a_kept_page_holds_marks_never_what_a_request_sent(client: TestClient):
    secret = {"url": "https://x.com/secret-name/status/7", "title": "secret title", "selection": "secret"}
    page_html(client, {**DEFAMED_DELETE_MYSELF, "found_at": "1999-09-09T09:09:00", **secret})
    outlines = [value for key, value in client.app.state.memo.kept.values.items() if key[0] == "page"]
    assert outlines and all(any(isinstance(part, int) for part in outline) for outline in outlines)
    for secret_part in ("secret", "1999"):
        assert secret_part not in repr(outlines)


def test_an_outline_refuses_a_mark_it_has_no_string_for():
    assert kept.outline("a\ue0000\ue001b", 1) == (b"a", 0, b"b")
    with pytest.raises(ValueError, match="marks do not match"):
        kept.outline("a\ue0001\ue001b", 1)


@pytest.mark.parametrize("level", [1, 6, 9])
def test_a_gzipped_outline_decodes_to_the_filled_page(level: int):
    outline = kept.outline("<p>\ue0000\ue001</p>" + "<li>同じ行</li>" * 500 + "\ue0001\ue001\ue0000\ue001", 2)
    # A string longer than one stored block (65,535 bytes), and one to escape.
    values = ["<b>題名</b> & 'x'", "長" * 30_000]
    packed = kept.fill_gzip(kept.deflated(outline, level), values)
    assert gzip.decompress(packed) == kept.fill(outline, values)
    # The request's strings are stored as they are; the page's own 9 KB shrinks to a few hundred bytes.
    assert len(packed) < len(values[1].encode()) + 1_000


def test_log_lines_carry_the_same_time_as_the_standard_formatter_across_seconds():
    fmt = LOG_CONFIG["formatters"]["line"]["fmt"]
    ours, standard = LineFormatter(fmt), logging.Formatter(fmt)
    # Within a second, into the next, back again (a clock set back) and the same second once more.
    for created in (1764465000.123, 1764465000.999, 1764465001.0004, 1764464999.5, 1764465001.25):
        record = logging.LogRecord("tsuho_navi.access", logging.INFO, "", 0, "%s %s", ("GET", "/"), None)
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert ours.format(record) == standard.format(record)


def test_the_log_writer_writes_every_line_in_order_and_survives_a_bad_record():
    records: queue.SimpleQueue = queue.SimpleQueue()
    handler = LineQueue(records)
    handler.setFormatter(logging.Formatter("%(message)s"))
    stream = io.StringIO()
    logger = logging.getLogger("tests.speed.writer")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        for n in range(3):
            logger.info("line %d", n)
        logger.info("bad %d", "not a number")
        logger.info("after")
    finally:
        logger.removeHandler(handler)
    records.put(None)
    with contextlib.redirect_stderr(io.StringIO()):
        write_lines(records, handler, stream)
    assert stream.getvalue() == "line 0\nline 1\nline 2\nafter\n"


def test_an_access_line_is_written_as_the_standard_formatter_writes_its_record():
    fmt = LOG_CONFIG["formatters"]["line"]["fmt"]
    ours, standard = LineFormatter(fmt), logging.Formatter(fmt)
    for created in (1764465000.123, 1764465000.999, 1764465001.0004, 1764464999.5):
        line = accesslog.Line(created, "GET", "/wizard", 200)
        record = logging.LogRecord(
            "tsuho_navi.access", logging.INFO, "", 0, "%s %s %s", ("GET", "/wizard", 200), None
        )
        record.created, record.msecs = created, int((created - int(created)) * 1000)
        assert ours.format_line(line) == standard.format(record)


def test_the_log_writer_writes_access_lines_and_records_in_the_order_they_came():
    records: queue.SimpleQueue = queue.SimpleQueue()
    handler = LineQueue(records)
    handler.setFormatter(LineFormatter("%(name)s %(message)s"))
    records.put(accesslog.Line(1764465000.5, "GET", "/", 200))
    records.put(logging.LogRecord("tests.speed", logging.INFO, "", 0, "between", (), None))
    records.put(accesslog.Line(1764465000.6, "POST", "/api/v1/assess", 400))
    records.put(None)
    stream = io.StringIO()
    write_lines(records, handler, stream)
    assert stream.getvalue() == (
        "tsuho_navi.access GET / 200\ntests.speed between\ntsuho_navi.access POST /api/v1/assess 400\n"
    )


def test_answered_requests_go_straight_to_a_log_writer_while_the_access_log_is_on():
    lines: list[accesslog.Line] = []
    scope = {"method": "GET", "path": "/wizard", "raw_path": b"/wizard\n"}
    accesslog.write_lines_to(lines.append)
    try:
        accesslog.log.setLevel(logging.INFO)
        accesslog.answered(scope, 200)
        accesslog.log.setLevel(logging.WARNING)
        accesslog.answered(scope, 201)
    finally:
        accesslog.log.setLevel(logging.NOTSET)
        accesslog.write_lines_to(None)
    assert [(line.method, line.path, line.status) for line in lines] == [("GET", "/wizard%0A", 200)]


def test_start_up_warms_what_the_first_requests_would_wait_for():
    app = create_app(Settings())
    with TestClient(app, base_url="http://localhost"):
        assert len(app.state.memo.shared.values) == 1, "one answer made"
        assert analyse_host.cache_info().currsize >= 1, "the suffix list read, a host analysed"
        loaded = {name for _, name in pages.templates.env.cache}
        assert {"result.html", "question.html", "start.html"} <= loaded


def test_texts_kept_drawn_as_html_are_the_services_own(client: TestClient, catalog: Catalog):
    secrets = {"url": "https://x.com/secret-name/status/7", "title": "秘密の題名", "selection": "秘密の文"}
    for answers, lang in itertools.product(itertools.islice(complete_paths(catalog), 0, None, 40), LANGS):
        html = page_html(client, {**answers, **secrets, "lang": lang, "found_at": "1999-09-09T09:09"})
        assert "秘密の題名" in html
    kept = repr(pages.DRAWN)
    assert pages.DRAWN and len(pages.DRAWN) < pages.DRAWN_KEPT, "the service's texts, all kept"
    for secret in ("secret-name", "秘密", "1999"):
        assert secret not in kept
    assert pages.draw_ruby("{漢字|かんじ}") == Markup("<ruby>漢字<rt>かんじ</rt></ruby>")
    assert pages.draw_ruby(Markup("<b>{字|じ}</b>")) == pages.ruby.html(Markup("<b>{字|じ}</b>"))
    assert pages.draw_ruby("<b>") == "&lt;b&gt;" and pages.draw_ruby(None) == ""
