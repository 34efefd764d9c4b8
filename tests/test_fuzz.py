"""Fuzzing the in-process app: the API against its served schema, the wizard with odd queries."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance
from starlette.testclient import TestClient

from server.app import create_app
from server.contract import QUESTIONS
from server.openapi import URL_PATTERN
from server.settings import Settings
from server.urls import UrlRefused, analyse, make_extractor

# Bounded to a few seconds and the same examples every run, so that CI is repeatable.
BOUNDED = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

# Schemathesis calls the app in process with the Host "testserver".
app = create_app(Settings(allowed_hosts=("testserver",)))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)

# What a schema cannot say: which hosts are local or malformed, which dates do not exist.
SEMANTIC_REFUSALS = re.compile(r"url-[a-z-]+|invalid-found_at")


def schema_valid_is_accepted(ctx: object, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """A schema-valid request is answered, unless refused for a reason the schema cannot express."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code < 400:
        return
    code = response.json()["error"]["code"]
    assert response.status_code == 400 and SEMANTIC_REFUSALS.fullmatch(code), (response.status_code, code)


@schema.parametrize()
@settings(BOUNDED, max_examples=40)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case) -> None:
    """No 5xx and every response as the served schema describes it, for valid and invalid input."""
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance], additional_checks=[schema_valid_is_accepted]
    )


URL_TEXT = st.text(max_size=40) | st.lists(
    st.sampled_from(["http", "S", ":", "/", " ", "\u3000", "x.jp"])
).map("".join)


def test_every_url_the_server_takes_matches_the_schemas_pattern(client: TestClient) -> None:
    """The URL pattern in the schema is never stricter than urls.analyse."""
    links, extractor = client.app.state.catalog.links, make_extractor()

    @BOUNDED
    @given(URL_TEXT)
    def check(text: str) -> None:
        try:
            analyse(text, links, extractor)
        except UrlRefused:
            return
        assert re.match(URL_PATTERN, text)

    check()


# Real answers (to reach questions, results and the memo), times at the edges of the range, and noise.
ANSWER = st.sampled_from([(q, o) for q, options in QUESTIONS.items() for o in options])
OFFSET = st.integers(-14 * 60, 14 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
EDGES = st.datetimes(max_value=dt.datetime(1, 1, 1, 14)) | st.datetimes(
    min_value=dt.datetime(9999, 12, 31, 10)
)
FOUND_AT = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone).isoformat(), EDGES | st.datetimes(), OFFSET
)
NOISE = st.tuples(
    st.sampled_from(["url", "title", "selection", "lang", "found_at"]) | st.text(max_size=8), st.text()
)
PATH = st.sampled_from(["/", "/wizard", "/wizard/print", "/destinations", "/verify"]) | st.text(
    st.sampled_from("/\\.e"), max_size=6
).map(lambda text: "/" + quote(text, safe=""))
# Links that stay on this site are paths with a single leading slash; the rest go to known places.
SAME_SITE = re.compile(r"/(?![/\\])|#")
ELSEWHERE = re.compile(r"https?://|tel:|data:,")


def get_page(client: TestClient, path: str, pairs: list[tuple[str, str]], raw: bytes) -> list[str] | None:
    """GET an address as a browser would; the links of the page, or None for a redirect."""
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    query += "&" + "".join(f"%{byte:02X}" for byte in raw)
    response = client.get(f"{path}?{query}", headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code < 500, (path, query)
    if response.status_code == 303:
        assert SAME_SITE.match(response.headers["location"])
        return None
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="quick-exit"' in response.text
    return re.findall(r'(?:href|action|src)="([^"]*)"', response.text)


def test_odd_addresses_get_a_page_whose_links_stay_on_this_site(client: TestClient) -> None:
    """Any path and query gets an HTML page with the quick exit, and no link leaves for another host."""

    @BOUNDED
    @given(PATH, st.lists(NOISE | ANSWER, max_size=4), st.binary(max_size=8))
    def check(path: str, pairs: list[tuple[str, str]], raw: bytes) -> None:
        links = get_page(client, path, pairs, raw) or []
        assert all(SAME_SITE.match(link) or ELSEWHERE.match(link) for link in links), links

    check()


@pytest.mark.parametrize("path", ["/wizard", "/wizard/print"])
def test_odd_wizard_queries_get_a_page_never_a_5xx(client: TestClient, path: str) -> None:
    """Real and odd answers, any time of finding, odd text and raw bytes: always a page."""

    @BOUNDED
    @given(st.lists(ANSWER, max_size=7), FOUND_AT, st.lists(NOISE, max_size=3), st.binary(max_size=8))
    def check(
        answers: list[tuple[str, str]], found_at: str, noise: list[tuple[str, str]], raw: bytes
    ) -> None:
        get_page(client, path, [*answers, *noise, ("found_at", found_at)], raw)

    check()
