"""Spec of server.urls: what the service says about a reported URL, and which URLs it refuses."""

from __future__ import annotations

import os
import socket
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.urls import (
    MAX_URL_LENGTH,
    LinkRules,
    PlatformPage,
    SearchPage,
    UrlRefused,
    analyse,
    make_extractor,
)

PLATFORMS_TOML = Path(__file__).resolve().parent.parent / "data" / "platforms.toml"


def load_rules(path: Path) -> LinkRules:
    """Build LinkRules from data/platforms.toml (a local stand-in for the real loader)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return LinkRules(
        platform_domains={d: p["id"] for p in data["platforms"] for d in p["domains"]},
        shorteners=frozenset(data["links"]["shorteners"]),
        search_pages=tuple(SearchPage(**page) for page in data["links"]["search_pages"]),
        platform_pages=tuple(PlatformPage(**page) for page in data["links"]["platform_pages"]),
    )


@pytest.fixture(scope="module")
def rules() -> LinkRules:
    return load_rules(PLATFORMS_TOML)


@pytest.fixture(scope="module")
def extractor():
    return make_extractor()


# --- platforms: every host people meet, including mobile and short hosts

PLATFORM_HOSTS = [
    # url, host, registered domain, platform id
    ("https://x.com/someone/status/1", "x.com", "x.com", "x"),
    ("https://twitter.com/someone", "twitter.com", "twitter.com", "x"),
    ("https://mobile.twitter.com/someone/status/1", "mobile.twitter.com", "twitter.com", "x"),
    ("https://t.co/AbCdEf", "t.co", "t.co", "x"),
    ("https://line.me/R/ti/p/abc", "line.me", "line.me", "line"),
    ("https://lin.ee/abc", "lin.ee", "lin.ee", "line"),
    ("https://www.instagram.com/p/abc/", "www.instagram.com", "instagram.com", "instagram"),
    ("https://instagr.am/p/abc/", "instagr.am", "instagr.am", "instagram"),
    ("https://m.facebook.com/story.php?id=1", "m.facebook.com", "facebook.com", "facebook"),
    ("https://fb.me/abc", "fb.me", "fb.me", "facebook"),
    ("https://www.threads.net/@someone", "www.threads.net", "threads.net", "threads"),
    ("https://www.threads.com/@someone", "www.threads.com", "threads.com", "threads"),
    ("https://www.youtube.com/watch?v=abc", "www.youtube.com", "youtube.com", "youtube"),
    ("https://m.youtube.com/watch?v=abc", "m.youtube.com", "youtube.com", "youtube"),
    ("https://youtu.be/abc", "youtu.be", "youtu.be", "youtube"),
    ("https://www.tiktok.com/@someone/video/1", "www.tiktok.com", "tiktok.com", "tiktok"),
    ("https://vm.tiktok.com/ZMabc/", "vm.tiktok.com", "tiktok.com", "tiktok"),
    # Google Maps (its reviews) is not Google Search: told apart by host and path.
    ("https://www.google.co.jp/maps", "www.google.co.jp", "google.co.jp", "google-maps"),
    ("https://www.google.com/maps/place/Shop/@35,139,17z", "www.google.com", "google.com", "google-maps"),
    ("https://maps.google.com/?cid=1", "maps.google.com", "google.com", "google-maps"),
    ("https://maps.google.co.jp/maps?q=x", "maps.google.co.jp", "google.co.jp", "google-maps"),
    ("https://maps.app.goo.gl/AbCdEf", "maps.app.goo.gl", "goo.gl", "google-maps"),
    ("https://goo.gl/maps/AbCdEf", "goo.gl", "goo.gl", "google-maps"),
    ("https://www.google.com/search?q=shop", "www.google.com", "google.com", "google-search"),
    ("https://www.google.com/mapsearch", "www.google.com", "google.com", "google-search"),
    ("https://goo.gl/AbCdEf", "goo.gl", "goo.gl", None),
    (
        "https://chiebukuro.yahoo.co.jp/question/detail/q1",
        "chiebukuro.yahoo.co.jp",
        "yahoo.co.jp",
        "yahoo-japan",
    ),
    ("https://news.yahoo.co.jp/articles/abc", "news.yahoo.co.jp", "yahoo.co.jp", "yahoo-japan"),
    ("https://egg.5ch.net/test/read.cgi/x/1/", "egg.5ch.net", "5ch.net", "5ch"),
    ("https://note.com/someone/n/abc", "note.com", "note.com", "note"),
    ("https://ameblo.jp/someone/entry-1.html", "ameblo.jp", "ameblo.jp", "ameba"),
    ("https://www.nicovideo.jp/watch/sm9", "www.nicovideo.jp", "nicovideo.jp", "niconico"),
    ("https://nico.ms/sm9", "nico.ms", "nico.ms", "niconico"),
    ("https://discord.gg/abc", "discord.gg", "discord.gg", "discord"),
    ("https://discord.com/channels/1/2", "discord.com", "discord.com", "discord"),
    # Case and a trailing root dot do not hide a platform.
    ("HTTPS://MOBILE.TWITTER.COM/someone", "mobile.twitter.com", "twitter.com", "x"),
    ("https://x.com./someone", "x.com", "x.com", "x"),
    # Not a platform: a look-alike name, a platform name inside another domain.
    ("https://example.com/page", "example.com", "example.com", None),
    ("https://x.com.example.net/", "x.com.example.net", "example.net", None),
    ("https://twitter.co.jp/", "twitter.co.jp", "twitter.co.jp", None),
]


@pytest.mark.parametrize(("url", "host", "domain", "platform"), PLATFORM_HOSTS)
def test_platform_is_found_by_registrable_domain(rules, extractor, url, host, domain, platform):
    info = analyse(url, rules, extractor)
    assert (info.host, info.registered_domain, info.platform_id) == (host, domain, platform)


def test_every_platform_domain_in_the_data_is_recognised(rules, extractor):
    for domain, platform in rules.platform_domains.items():
        assert analyse(f"https://{domain}/", rules, extractor).platform_id == platform


# --- internationalised domain names: both forms, either way in

IDN = [
    # url, host, host_ascii, registered domain, registered domain ascii
    ("https://例え.jp/", "例え.jp", "xn--r8jz45g.jp", "例え.jp", "xn--r8jz45g.jp"),
    ("https://xn--r8jz45g.jp/", "例え.jp", "xn--r8jz45g.jp", "例え.jp", "xn--r8jz45g.jp"),
    ("https://XN--R8JZ45G.JP/", "例え.jp", "xn--r8jz45g.jp", "例え.jp", "xn--r8jz45g.jp"),
    (
        "https://www.日本語.jp/a",
        "www.日本語.jp",
        "www.xn--wgv71a119e.jp",
        "日本語.jp",
        "xn--wgv71a119e.jp",
    ),
    (
        "https://ドメイン名例.jp",
        "ドメイン名例.jp",
        "xn--eckwd4c7cu47r2wf.jp",
        "ドメイン名例.jp",
        "xn--eckwd4c7cu47r2wf.jp",
    ),
    ("https://お名前.com/", "お名前.com", "xn--t8jx73hngb.com", "お名前.com", "xn--t8jx73hngb.com"),
    # A Japanese-script top-level domain.
    (
        "https://例え.みんな/",
        "例え.みんな",
        "xn--r8jz45g.xn--q9jyb4c",
        "例え.みんな",
        "xn--r8jz45g.xn--q9jyb4c",
    ),
    # Full-width letters and the ideographic full stop, as typed with a Japanese IME.
    (
        "https://ＷＷＷ．ＥＸＡＭＰＬＥ。ｃｏｍ/",
        "www.example.com",
        "www.example.com",
        "example.com",
        "example.com",
    ),
]


@pytest.mark.parametrize(("url", "host", "host_ascii", "domain", "domain_ascii"), IDN)
def test_idn_is_shown_in_unicode_and_punycode(rules, extractor, url, host, host_ascii, domain, domain_ascii):
    info = analyse(url, rules, extractor)
    assert (info.host, info.host_ascii) == (host, host_ascii)
    assert (info.registered_domain, info.registered_domain_ascii) == (domain, domain_ascii)


# --- warnings

WARNINGS = [
    # Search-results pages: report the page found, not the search.
    ("https://www.google.com/search?q=%E5%90%8D%E5%89%8D", ("search-result-url",)),
    ("https://www.google.co.jp/search?q=name&hl=ja", ("search-result-url",)),
    ("https://google.com/search", ("search-result-url",)),
    ("https://search.yahoo.co.jp/search?p=name", ("search-result-url",)),
    ("https://search.yahoo.co.jp/image/search?p=name", ("search-result-url",)),
    ("https://www.bing.com/search?q=name", ("search-result-url",)),
    ("https://duckduckgo.com/?q=name", ("search-result-url",)),
    ("https://www.youtube.com/results?search_query=name", ("search-result-url",)),
    ("https://x.com/search?q=name&src=typed_query", ("search-result-url",)),
    ("https://twitter.com/search?q=name", ("search-result-url",)),
    # The same domains, not a search.
    ("https://www.google.com/maps/place/abc", ()),
    ("https://www.google.co.jp/", ()),
    ("https://chiebukuro.yahoo.co.jp/search", ()),
    ("https://www.bing.com/maps", ()),
    ("https://duckduckgo.com/about", ()),
    ("https://www.youtube.com/watch?v=abc", ()),
    ("https://x.com/searches_for_cats/status/1", ()),
    # Shorteners hide the real page.
    ("https://bit.ly/3abcDEF", ("shortened-url",)),
    ("https://t.co/AbCdEf", ("shortened-url",)),
    ("https://tinyurl.com/abc", ("shortened-url",)),
    ("https://lin.ee/abc", ("shortened-url",)),
    ("https://amzn.to/abc", ("shortened-url",)),
    ("https://x.com/someone/status/1", ()),
    # Letters that imitate Latin ones, or scripts that should not mix.
    ("https://pаypal.com/login", ("lookalike-domain",)),  # Cyrillic а (U+0430)
    ("https://xn--pypal-4ve.com/login", ("lookalike-domain",)),  # the same, in punycode
    ("https://аррӏе.com/", ("lookalike-domain",)),  # all Cyrillic, reads as "apple"
    ("https://xn--80ak6aa92e.com/", ("lookalike-domain",)),  # the same, in punycode
    ("https://gοοgle.com/", ("lookalike-domain",)),  # Greek omicron
    ("https://login.ехample.com/", ("lookalike-domain",)),  # Cyrillic е and х in a subdomain
    ("https://x.com.ѕite.jp/", ("lookalike-domain",)),  # Cyrillic dze
    # Scripts that do mix: plain Japanese, Japanese with Latin, Latin with accents, Russian.
    ("https://日本語.jp/", ()),
    ("https://ドメイン名例.jp/", ()),
    ("https://お名前.com/", ()),
    ("https://abcマート.jp/", ()),
    ("https://東京2025-test.jp/", ()),
    ("https://café.fr/", ()),
    ("https://пример.рф/", ()),
]


@pytest.mark.parametrize(("url", "warnings"), WARNINGS)
def test_warnings(rules, extractor, url, warnings):
    assert analyse(url, rules, extractor).warnings == warnings


def test_warnings_come_in_a_fixed_order(extractor):
    rules = LinkRules(
        platform_domains={},
        shorteners=frozenset({"bit.ly"}),
        search_pages=(SearchPage(domain="bit.ly", path="/search", query="q"),),
    )
    info = analyse("https://ехample.bit.ly/search?q=x", rules, extractor)
    assert info.warnings == ("search-result-url", "shortened-url", "lookalike-domain")


def test_search_page_host_and_query_must_match(extractor):
    rules = LinkRules(
        platform_domains={},
        shorteners=frozenset(),
        search_pages=(
            SearchPage(domain="example.com", host="search.example.com", path="/"),
            SearchPage(domain="example.org", path="/", query="q"),
        ),
    )
    assert analyse("https://search.example.com/x", rules, extractor).warnings == ("search-result-url",)
    assert analyse("https://www.example.com/x", rules, extractor).warnings == ()
    assert analyse("https://example.org/?q=", rules, extractor).warnings == ("search-result-url",)
    assert analyse("https://example.org/?p=x", rules, extractor).warnings == ()


# --- accepted as they are


def test_surrounding_spaces_and_newlines_are_stripped(rules, extractor):
    info = analyse("  \n https://x.com/a \r\n\u3000", rules, extractor)
    assert info.url == "https://x.com/a"
    assert info.platform_id == "x"


def test_url_is_kept_as_given(rules, extractor):
    url = "https://例え.jp/パス?q=値#見出し"
    assert analyse(url, rules, extractor).url == url


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://8.8.8.8/", "8.8.8.8"),
        ("https://203.0.113.5.sslip.io/", None),  # a name, not an address
        ("http://[2001:4860:4860::8888]/", "2001:4860:4860::8888"),
        ("http://134744072/", "8.8.8.8"),  # the decimal form a browser reads as 8.8.8.8
    ],
)
def test_public_ip_literal_has_no_platform(rules, extractor, url, host):
    info = analyse(url, rules, extractor)
    if host is not None:
        assert (info.host, info.host_ascii) == (host, host)
        assert (info.registered_domain, info.registered_domain_ascii) == (host, host)
    assert info.platform_id is None
    assert info.warnings == ()


def test_url_of_max_length_is_accepted(rules, extractor):
    prefix = "https://example.com/"
    url = prefix + "a" * (MAX_URL_LENGTH - len(prefix))
    assert len(url) == MAX_URL_LENGTH
    assert analyse(url, rules, extractor).url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com:8443/path",
        "https://user@example.com/",
        "https://example.com/?flag",
        "https://example.com/a%20b",
        "https://ja.wikipedia.org/wiki/日本#歴史",
    ],
)
def test_ordinary_urls_are_accepted(rules, extractor, url):
    assert analyse(url, rules, extractor).registered_domain in ("example.com", "wikipedia.org")


# --- refused, with a reason a person can act on

REFUSED = [
    # Too long.
    ("https://example.com/" + "a" * (MAX_URL_LENGTH + 1 - 20), "url-too-long"),
    # Control characters, anywhere.
    ("https://exa\x00mple.com/", "url-control-chars"),
    ("https://example.com/a\x00b", "url-control-chars"),
    ("\x00https://example.com/", "url-control-chars"),
    ("https://example.com/a\tb", "url-control-chars"),
    ("https://example.com/a\nb", "url-control-chars"),
    ("https://exam\nple.com/", "url-control-chars"),
    ("https://example.com/\x7f", "url-control-chars"),
    ("https://example.com/\x85", "url-control-chars"),  # C1 "next line"
    ("https://pa\u200bypal.com/", "url-control-chars"),  # zero-width space, dropped by IDNA
    ("https://example.com/\u202etxt.exe", "url-control-chars"),  # right-to-left override
    # Not a web page.
    ("javascript:alert(1)", "url-scheme"),
    ("JavaScript:alert(1)", "url-scheme"),
    ("data:text/html,<script>alert(1)</script>", "url-scheme"),
    ("file:///etc/passwd", "url-scheme"),
    ("ftp://example.com/file", "url-scheme"),
    ("chrome://settings", "url-scheme"),
    ("about:blank", "url-scheme"),
    ("blob:https://example.com/0b3f", "url-scheme"),
    ("mailto:someone@example.com", "url-scheme"),
    ("ws://example.com/", "url-scheme"),
    # This machine or a private network.
    ("http://localhost/", "url-local"),
    ("http://LOCALHOST:8000/admin", "url-local"),
    ("http://app.localhost/", "url-local"),
    ("http://printer.local/", "url-local"),
    ("http://router.lan/", "url-local"),
    ("http://db.internal/", "url-local"),
    ("http://127.0.0.1/", "url-local"),
    ("http://127.1/", "url-local"),
    ("http://[::1]/", "url-local"),
    ("http://[::ffff:127.0.0.1]/", "url-local"),
    ("http://[fe80::1]/", "url-local"),
    ("http://[fd00::1]/", "url-local"),
    ("http://10.0.0.1/", "url-local"),
    ("http://172.16.0.1/", "url-local"),
    ("http://192.168.1.1/", "url-local"),
    ("http://169.254.169.254/latest/meta-data/", "url-local"),
    ("http://0.0.0.0/", "url-local"),
    ("http://0/", "url-local"),
    ("http://100.64.0.1/", "url-local"),  # carrier-grade NAT
    ("http://224.0.0.1/", "url-local"),  # multicast
    ("http://255.255.255.255/", "url-local"),
    ("http://2130706433/", "url-local"),  # 127.0.0.1 in decimal
    ("http://0x7f.1/", "url-local"),  # 127.0.0.1 in hex
    ("http://0x7f000001/", "url-local"),
    ("http://017700000001/", "url-local"),  # 127.0.0.1 in octal
    ("http://0300.0250.0.1/", "url-local"),  # 192.168.0.1 in octal
    # Not readable as a web page address.
    ("", "url-invalid"),
    ("   ", "url-invalid"),
    ("not a url", "url-invalid"),
    ("example.com/page", "url-invalid"),  # no scheme
    ("//example.com/page", "url-invalid"),
    ("http://", "url-invalid"),
    ("https:///page", "url-invalid"),
    ("http:example.com", "url-invalid"),
    ("https://example.com/a b", "url-invalid"),
    ("https://example.com:99999/", "url-invalid"),
    ("https://example.com:port/", "url-invalid"),
    ("https://exa mple.com/", "url-invalid"),
    ("https://example..com/", "url-invalid"),
    ("https://-example.com/", "url-invalid"),
    ("https://" + "a" * 64 + ".com/", "url-invalid"),  # label over 63 characters
    ("https://xn--zz.com/", "url-invalid"),  # punycode that decodes to nothing
    ("https://xn--abc-.com/", "url-invalid"),  # punycode that does not round-trip
    ("https://example.com\\@x.com/", "url-invalid"),  # browsers and Python disagree on the host
    ("http://1.2.3.4.5/", "url-invalid"),
    ("http://256.1.1.1/", "url-invalid"),
    ("http://[::1/", "url-invalid"),
    ("https://example.notatld/", "url-invalid"),  # no public suffix: no site to name
    ("https://co.jp/", "url-invalid"),  # a bare public suffix
]


@pytest.mark.parametrize(("raw", "code"), REFUSED)
def test_refused(rules, extractor, raw, code):
    with pytest.raises(UrlRefused) as refused:
        analyse(raw, rules, extractor)
    assert refused.value.code == code


@pytest.mark.parametrize(("raw", "code"), REFUSED)
def test_refusal_says_what_to_do_in_both_languages(rules, extractor, raw, code):
    with pytest.raises(UrlRefused) as refused:
        analyse(raw, rules, extractor)
    error = refused.value
    assert isinstance(error, ValueError)
    assert error.message("ja") == error.message_ja
    assert error.message("en") == error.message_en
    assert error.message("fr") == error.message_ja  # Japanese unless English is asked for
    assert "ください" in error.message_ja
    assert "Please" in error.message_en


def test_length_limit_counts_the_stripped_url(rules, extractor):
    prefix = "https://example.com/"
    url = prefix + "a" * (MAX_URL_LENGTH - len(prefix))
    assert analyse(f"  {url}\n", rules, extractor).url == url
    with pytest.raises(UrlRefused) as refused:
        analyse(url + "a", rules, extractor)
    assert refused.value.code == "url-too-long"


# --- no network, no disk

_watching: list[tuple[str, tuple]] | None = None
_hook_installed = False
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple) -> None:
    # Audit hooks cannot be removed, so this one records only while a test is watching.
    if _watching is None:
        return
    writes = event == "open" and isinstance(args[2], int) and args[2] & _WRITE_FLAGS
    if event.startswith("socket.") or writes or event in ("os.mkdir", "os.rename", "os.remove"):
        _watching.append((event, args))


@pytest.fixture
def io_events(monkeypatch) -> Iterator[list[tuple[str, tuple]]]:
    """Record every socket use and file write while the test runs."""
    global _watching, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    # Even with a suffix list URL in the environment, the extractor must not fetch it.
    monkeypatch.setenv("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "https://publicsuffix.org/list/x.dat")
    _watching = []
    try:
        yield _watching
    finally:
        _watching = None


def test_analysis_opens_no_socket_and_writes_no_file(rules, io_events):
    extractor = make_extractor()  # the suffix list is loaded on first use, inside the watch
    info = analyse("https://chiebukuro.yahoo.co.jp/question/detail/q1", rules, extractor)
    assert info.registered_domain == "yahoo.co.jp"  # the bundled list knows co.jp
    for url in ("https://例え.jp/", "https://bit.ly/x", "http://8.8.8.8/"):
        analyse(url, rules, extractor)
    with pytest.raises(UrlRefused):
        analyse("http://localhost/", rules, extractor)
    assert io_events == []


def test_the_watch_sees_sockets_and_writes(io_events, tmp_path):
    with socket.socket():
        pass
    (tmp_path / "probe").write_text("x")
    events = {event for event, _ in io_events}
    assert "socket.__new__" in events
    assert "open" in events
