"""URL analysis for reported pages: plain functions, no I/O, and never a fetch of the URL."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import ipaddress
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, quote, urlsplit

import tldextract
import validators

from server.bounded import Bounded

MAX_URL_LENGTH = 2048

# Paste artefacts only: other whitespace or control characters around a URL are refused, not hidden.
_STRIP = " \t\r\n\u3000"
# Whitespace as str.isspace() knows it, inside the URL.
_SPACE = re.compile(r"\s")

# Names that only resolve on this machine or a private network (RFC 6761, RFC 8375, mDNS,
# ICANN's private-use .internal, and the usual router names).
_LOCAL_NAMES = ("localhost", "localdomain", "local", "internal", "lan", "home", "corp", "home.arpa")

# Cyrillic letters that read as Latin ones (Chromium's idn_spoof_checker set, lower-cased, as the
# IDNA mapping lower-cases hosts), and the Greek ones that do the same.
_CYRILLIC_LATIN_ALIKE = frozenset("асԁеһіјӏорԛѕԝхуъьҽпгѵѡ")
_GREEK_LATIN_ALIKE = frozenset("αγικνορτυχωϲϳ")
_LOOKALIKE_SCRIPTS = {"CYRILLIC": _CYRILLIC_LATIN_ALIKE, "GREEK": _GREEK_LATIN_ALIKE}


@dataclass(frozen=True)
class SearchPage:
    """A search-results page: report the page found, not the search."""

    domain: str
    path: str
    host: str | None = None
    query: str | None = None


@dataclass(frozen=True)
class PlatformPage:
    """Pages of a domain that belong to another platform (Google Maps under google.com)."""

    platform: str
    domain: str
    path: str
    host: str | None = None


@dataclass(frozen=True)
class LinkRules:
    """What the analysis knows about domains: platforms, shorteners and search pages."""

    platform_domains: Mapping[str, str]
    shorteners: frozenset[str]
    search_pages: tuple[SearchPage, ...]
    platform_pages: tuple[PlatformPage, ...] = ()


class UrlRefused(ValueError):
    """A URL the service will not analyse, with a reason a person can act on."""

    def __init__(self, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en

    def message(self, lang: str) -> str:
        """Return the message in English for "en", else in Japanese."""
        return self.message_en if lang == "en" else self.message_ja


@dataclass(frozen=True)
class SiteInfo:
    """What the service tells about the site of a reported URL."""

    url: str
    host: str
    host_ascii: str
    registered_domain: str
    registered_domain_ascii: str
    platform_id: str | None
    warnings: tuple[str, ...]


def too_long() -> UrlRefused:
    return UrlRefused(
        "url-too-long",
        f"アドレス（URL）が長すぎます。{MAX_URL_LENGTH:,}文字以内のアドレスを入れてください。",
        f"This address (URL) is too long. Please enter one of at most {MAX_URL_LENGTH:,} characters.",
    )


def _control_chars() -> UrlRefused:
    return UrlRefused(
        "url-control-chars",
        "アドレスに目に見えない制御文字が入っています。"
        "ブラウザのアドレス欄からもう一度コピーして貼り付けてください。",
        "The address contains invisible control characters. "
        "Please copy it again from the browser's address bar and paste it.",
    )


def _bad_scheme() -> UrlRefused:
    return UrlRefused(
        "url-scheme",
        "http:// か https:// で始まるページのアドレス（URL）を入れてください。",
        "Please enter the address (URL) of a web page, starting with http:// or https://.",
    )


def _local() -> UrlRefused:
    return UrlRefused(
        "url-local",
        "このパソコンや家庭・職場のネットワークの中のアドレスは調べられません。"
        "インターネットで公開されているページのアドレスを入れてください。",
        "Addresses on this computer or on a home or office network cannot be checked. "
        "Please enter the address of a page published on the internet.",
    )


def _invalid() -> UrlRefused:
    return UrlRefused(
        "url-invalid",
        "ページのアドレス（URL）として読み取れませんでした。"
        "ブラウザのアドレス欄から https:// で始まるアドレスをコピーして、"
        "そのまま貼り付けてください。",
        "This could not be read as a web page address (URL). Please copy the address starting "
        "with https:// from the browser's address bar and paste it as it is.",
    )


def _empty() -> UrlRefused:
    return UrlRefused(
        "url-invalid",
        "ページのアドレス（URL）を入れてください。",
        "Please enter the address (URL) of the page.",
    )


def _spaces() -> UrlRefused:
    return UrlRefused(
        "url-invalid",
        "アドレスの途中に空白があります。アドレスだけを貼り付けてください。",
        "There is a space inside the address. Please paste the address only.",
    )


def make_extractor() -> tldextract.TLDExtract:
    """Build the suffix extractor once, from the bundled list only (nothing written or fetched)."""
    # cache_dir=None disables the disk cache; an empty URL list makes tldextract fall back to the
    # snapshot shipped in the package without opening a connection.
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def _ipv4_number(part: str) -> int | None:
    """Parse one part of a numeric host the way browsers do (decimal, 0x hex, 0 octal)."""
    if part[:2] in ("0x", "0X"):
        digits, base = part[2:] or "0", 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _numeric_host(host: str) -> ipaddress.IPv4Address | None:
    """Read a host ending in a number as browsers do (WHATWG URL), e.g. 2130706433 or 0x7f.1."""
    parts = host.split(".")
    if _ipv4_number(parts[-1]) is None:
        return None
    # A browser would take this host as an IPv4 address; one it cannot parse is no address at all.
    numbers = [_ipv4_number(p) if p else None for p in parts]
    if len(parts) > 4 or None in numbers:
        raise _invalid()
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise _invalid()
    value = last + sum(n * 256 ** (3 - i) for i, n in enumerate(head))
    return ipaddress.IPv4Address(value)


def _is_local_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Tell whether an address points at this machine, a private network or no host at all."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_reserved
        or ip.is_multicast
        or not ip.is_global
    )


def _is_local_name(host: str) -> bool:
    """Tell whether a host name only resolves on this machine or a private network."""
    return any(host == name or host.endswith("." + name) for name in _LOCAL_NAMES)


def _scripts(label: str) -> set[str]:
    """Name the scripts of the letters in a label, by the first word of each Unicode name."""
    return {unicodedata.name(ch, "?").split(" ")[0] for ch in label if ch.isalpha()}


def _is_lookalike(host: str) -> bool:
    """Tell whether a host label mixes Cyrillic or Greek with other letters, or imitates Latin."""
    for label in host.split("."):
        if label.isascii():
            continue
        scripts = _scripts(label)
        for script, alike in _LOOKALIKE_SCRIPTS.items():
            if script not in scripts:
                continue
            letters = {ch for ch in label if ch.isalpha()}
            # Mixed with another script (Latin or else), or made only of letters that read as Latin.
            if len(scripts) > 1 or letters <= alike:
                return True
    return False


def _is_page(page: SearchPage | PlatformPage, host: str, domain: str, path: str) -> bool:
    """Tell whether a URL's host and path fall under a declared page."""
    if page.domain != domain or (page.host is not None and page.host != host):
        return False
    prefix = page.path
    # "/search" matches "/search" and "/search/…", not "/searches".
    return path == prefix or path.startswith(prefix if prefix.endswith("/") else prefix + "/")


def _is_search_page(page: SearchPage, host: str, domain: str, path: str, query: str) -> bool:
    """Tell whether a URL's parts match one search-results page."""
    if not _is_page(page, host, domain, path):
        return False
    return page.query is None or page.query in parse_qs(query, keep_blank_values=True)


def platform_of(rules: LinkRules, host: str, domain: str, path: str) -> str | None:
    """The platform of a page: a declared page of another platform first, else the domain's."""
    page = next((p for p in rules.platform_pages if _is_page(p, host, domain, path)), None)
    return page.platform if page else rules.platform_domains.get(domain)


def _to_ascii(host: str) -> str:
    """Convert a host to its punycode form, lower-case and without a trailing root dot."""
    try:
        # The stdlib codec applies nameprep: upper-case and full-width letters and the ideographic
        # full stop are mapped, so "ＥＸＡＭＰＬＥ。ｃｏｍ" and "example.com" are the same host.
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise _invalid() from exc
    return ascii_host.removesuffix(".")


def _to_unicode(ascii_host: str) -> str:
    """Convert a punycode host to Unicode, refusing xn-- labels that are not valid IDNA."""
    try:
        return ascii_host.encode("ascii").decode("idna")
    except UnicodeError as exc:
        raise _invalid() from exc


def _passes_validators(
    parts: SplitResult,
    host_ascii: str,
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None,
    port: int | None,
) -> bool:
    """Tell whether validators accepts the URL as a browser would send it."""
    # Rebuilt with the punycode host and a percent-encoded path, query and fragment, so that only
    # the URL's shape is judged, not whether it was typed in Unicode.
    host = f"[{host_ascii}]" if isinstance(ip, ipaddress.IPv6Address) else host_ascii
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port is not None else "")
    safe = "!#$%&'()*+,/:;=?@[]~"
    sent = parts._replace(
        netloc=netloc,
        path=quote(parts.path, safe=safe),
        query=quote(parts.query, safe=safe),
        fragment=quote(parts.fragment, safe=safe),
    )
    try:
        return bool(validators.url(sent.geturl(), strict_query=False))
    except validators.ValidationError:  # raised instead of returned when RAISE_VALIDATION_ERROR=True
        return False


@dataclass(frozen=True)
class Host:
    """What a host name tells by itself, whatever the rest of the URL."""

    ascii: str
    unicode: str
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    domain_ascii: str
    domain: str
    lookalike: bool


# The analysis of a host is kept for this many hosts (the service keeps no reported URL; a host, far
# less telling, stays in memory until it is among the least recently seen). A refused host is not kept.
HOSTS_KEPT = 1024


@functools.lru_cache(maxsize=HOSTS_KEPT)
def analyse_host(hostname: str, extractor: tldextract.TLDExtract) -> Host:
    """Check a URL's host name (as urlsplit gives it) and tell its punycode, site and address."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    if ":" in hostname:
        try:
            ip = ipaddress.IPv6Address(hostname)
        except ValueError as exc:
            raise _invalid() from exc
        host_ascii = ip.compressed
    else:
        host_ascii = _to_ascii(hostname)
        ip = _numeric_host(host_ascii) if host_ascii else None
        if ip is not None:
            host_ascii = str(ip)
    if not host_ascii:
        raise _invalid()
    if _is_local_name(host_ascii) or (ip is not None and _is_local_ip(ip)):
        raise _local()
    if ip is not None:
        # A public IP literal has no registrable domain: the address itself stands for the site.
        return Host(host_ascii, host_ascii, ip, host_ascii, host_ascii, False)
    host = _to_unicode(host_ascii)
    domain_ascii = extractor(host_ascii).top_domain_under_public_suffix
    if not domain_ascii:
        # An unknown top-level domain, or a bare public suffix such as "co.jp": no site to name.
        raise _invalid()
    return Host(host_ascii, host, None, domain_ascii, _to_unicode(domain_ascii), _is_lookalike(host))


def _has_control_chars(url: str) -> bool:
    """Cc (NUL, tab, newline, other C0/C1 controls) or Cf (zero-width spaces, bidi overrides)."""
    # Printable ASCII, by far the most common URL, has none: no need to look at each character.
    if url.isascii() and url.isprintable():
        return False
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in url)


def analyse(raw: str, rules: LinkRules, extractor: tldextract.TLDExtract) -> SiteInfo:
    """Check a reported URL and tell its host, registrable domain, platform and warnings."""
    url = raw.strip(_STRIP)
    if not url:
        raise _empty()
    if len(url) > MAX_URL_LENGTH:
        raise too_long()
    # IDNA silently drops invisible marks such as zero-width spaces, and bidi overrides disguise a URL.
    if _has_control_chars(url):
        raise _control_chars()
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise _invalid() from exc
    if not url[len(parts.scheme) :].startswith("://"):
        # No "scheme://" in front: a bare word, a host without its scheme ("x.com/…"), or a
        # scheme-only URL such as "javascript:…", "data:…" or "mailto:…".
        if parts.scheme in ("", "http", "https") or "." in parts.scheme:
            raise _invalid()
        raise _bad_scheme()
    if parts.scheme not in ("http", "https"):
        raise _bad_scheme()
    if _SPACE.search(url):
        raise _spaces()
    try:
        port = parts.port
    except ValueError as exc:  # not a number, or out of range
        raise _invalid() from exc
    # Browsers read "\\" as "/" in http(s) URLs, so "a.com\\@b.com" is a.com to them but b.com here.
    if not parts.hostname or "\\" in parts.netloc:
        raise _invalid()
    host = analyse_host(parts.hostname, extractor)
    if not _passes_validators(parts, host.ascii, host.ip, port):
        raise _invalid()
    if host.ip is not None:
        return SiteInfo(url, host.ascii, host.ascii, host.ascii, host.ascii, None, ())

    warnings: list[str] = []
    path = parts.path or "/"
    if any(
        _is_search_page(page, host.ascii, host.domain_ascii, path, parts.query) for page in rules.search_pages
    ):
        warnings.append("search-result-url")
    if host.ascii in rules.shorteners or host.domain_ascii in rules.shorteners:
        warnings.append("shortened-url")
    if host.lookalike:
        warnings.append("lookalike-domain")

    return SiteInfo(
        url=url,
        host=host.unicode,
        host_ascii=host.ascii,
        registered_domain=host.domain,
        registered_domain_ascii=host.domain_ascii,
        platform_id=platform_of(rules, host.ascii, host.domain_ascii, path),
        warnings=tuple(warnings),
    )


# URLs whose analysis is kept: far more than the people using the wizard at one time (each of them sends
# the same URL at every step).
URLS_KEPT = 2048


class Analyses:
    """`analyse` for one set of rules, what it found kept per URL under a keyed digest, never the URL.

    A kept analysis holds the host's facts, the platform and the warnings, with the URL left out: the
    request's own URL is put back in. The key is a BLAKE2b digest keyed with a random secret made at
    start and never written, so a kept entry cannot be matched to a guessed URL without that secret.
    A refused URL is not kept.
    """

    def __init__(self, rules: LinkRules, extractor: tldextract.TLDExtract, size: int = URLS_KEPT) -> None:
        self.rules = rules
        self.extractor = extractor
        self.secret = os.urandom(32)
        self.kept: Bounded[SiteInfo] = Bounded(size)

    def __call__(self, raw: str) -> SiteInfo:
        url = raw.strip(_STRIP)
        # A lone surrogate (JSON allows one) still gets a digest; the analysis refuses the URL.
        digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), key=self.secret, digest_size=16)
        site = self.kept.get(
            digest.digest(),
            lambda: dataclasses.replace(analyse(url, self.rules, self.extractor), url=""),
        )
        return dataclasses.replace(site, url=url)
