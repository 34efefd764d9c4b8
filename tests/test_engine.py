"""The routing policy of domain README §3 as a table: answers and the URL's site → ids in order."""

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

from server import engine
from server.catalog import Catalog
from server.checks import complete_paths
from server.contract import LANGS, SITE_KINDS

ROOT = Path(__file__).resolve().parent.parent


def answers(spec: str) -> dict[str, str]:
    """'urgent=no reporter=self' → {'urgent': 'no', 'reporter': 'self'}."""
    return dict(pair.split("=") for pair in spec.split())


ADULT = "urgent=no reporter=self"
CHILD = "urgent=no reporter=child"
BUSINESS = "urgent=no reporter=business"


@dataclass(frozen=True)
class Route:
    """One row of the routing table: answers (and site, language) → what the result must hold."""

    name: str
    given: str
    ids: list[str]  # destination ids, in order
    warnings: tuple[str, ...] = ()  # present, in this order among themselves
    site: str = "none"
    lang: str = "ja"
    notices: tuple[str, ...] | None = None  # exactly these, when given
    evidence: str | None = None
    absent: tuple[str, ...] = ()  # warnings and notices that must not be there


ROUTES = [
    Route("1 urgent first", "urgent=yes", ["police-110"], ("call-110",)),
    Route(
        "1 urgent stays first",
        "urgent=yes reporter=self situation=victim harm=threat goal=punish",
        ["police-110", "police-cyber", "police-9110"],
        ("call-110",),
    ),
    Route(
        "1 urgent + suicide inducement",
        "urgent=yes reporter=self situation=found category=suicide-inducement",
        ["police-110", "mamorouyo-kokoro", "ihc", "safeline"],
        ("call-110", "suicide-support"),
    ),
    Route(
        "1 urgent + the person at risk",
        "urgent=yes reporter=self situation=worried",
        ["police-110", "mamorouyo-kokoro"],
        ("call-110", "suicide-support"),
    ),
    Route("2 worried", f"{ADULT} situation=worried", ["mamorouyo-kokoro"], notices=("local-windows",)),
    Route(
        "2+21 worried child: the free 24-hour line first",
        f"{CHILD} situation=worried",
        ["kodomo-sos", "mamorouyo-kokoro", "kodomo-jinken"],
        ("not-your-fault",),
        notices=("tell-trusted-adult", "local-windows"),
    ),
    Route(
        "1+21 urgent child at risk: 110, then the free line",
        "urgent=yes reporter=child situation=worried",
        ["police-110", "kodomo-sos", "mamorouyo-kokoro", "kodomo-jinken"],
        ("call-110", "suicide-support", "not-your-fault"),
    ),
    Route("3 victim unsure", f"{ADULT} situation=victim harm=defamation goal=unsure", ["ihaho", "jinken"]),
    Route(
        "4 delete by self",
        f"{ADULT} situation=victim harm=defamation goal=delete delete_by=self",
        ["site-operator", "ihaho", "jinken"],
    ),
    Route(
        "5 delete by proxy",
        f"{ADULT} situation=victim harm=privacy goal=delete delete_by=proxy",
        ["jinken", "slander-hotline"],
        ("celebrity-may-be-refused",),
    ),
    Route(
        "5 delete by proxy, bullying images",
        f"{ADULT} situation=victim harm=bullying-media goal=delete delete_by=proxy",
        ["jinken", "slander-hotline", "safeline"],
    ),
    Route(
        "5+8+22 delete by proxy, intimate image: SafeLine first, no Slander Hotline",
        f"{ADULT} situation=victim harm=intimate-image goal=delete delete_by=proxy",
        ["safeline", "jinken", "police-cyber", "onestop-8891"],
        ("not-your-fault",),
        evidence="confirm",
        absent=("celebrity-may-be-refused",),
    ),
    Route(
        "6 compensation: a lawyer or Houterasu",
        f"{ADULT} situation=victim harm=defamation goal=compensation",
        ["houterasu", "lawyer"],
        notices=("evidence-matters", "local-windows"),
    ),
    Route(
        "7 punish",
        f"{ADULT} situation=victim harm=impersonation goal=punish",
        ["police-cyber", "police-9110"],
    ),
    Route(
        "7+17 threat: the police first whatever the goal",
        f"{ADULT} situation=victim harm=threat goal=unsure",
        ["police-cyber", "police-9110", "ihaho", "jinken"],
    ),
    Route(
        "8 intimate image, any goal",
        f"{ADULT} situation=victim harm=intimate-image goal=compensation",
        ["houterasu", "lawyer", "safeline", "police-cyber", "onestop-8891"],
    ),
    *[
        Route(f"9 found {category}", f"{ADULT} situation=found category={category}", ["ihc", "safeline"])
        for category in ("drugs", "obscene", "weapons", "crime-solicitation", "other-illegal")
    ],
    Route(
        "9+10 found csam",
        f"{ADULT} situation=found category=csam",
        ["ihc", "safeline"],
        ("csam-do-not-save",),
        evidence="forbidden",
    ),
    Route(
        "10 a minor's intimate image is csam",
        "urgent=no reporter=parent situation=victim harm=intimate-image goal=delete delete_by=proxy",
        ["safeline", "jinken", "police-cyber", "onestop-8891", "kodomo-sos", "kodomo-jinken"],
        ("not-your-fault", "csam-do-not-save"),
        evidence="forbidden",
        notices=("helper-accepted-safeline", "local-windows"),
    ),
    Route(
        "11 found revenge porn",
        f"{ADULT} situation=found category=revenge-porn",
        ["safeline", "police-cyber"],
        evidence="confirm",
    ),
    Route("11 found bullying media", f"{ADULT} situation=found category=bullying-media", ["safeline"]),
    Route("11 found other harmful", f"{ADULT} situation=found category=other-harmful", ["safeline"]),
    Route(
        "12+23 security: IPA, then the police",
        f"{ADULT} situation=security",
        ["ipa-anshin", "police-cyber", "antiphishing"],
    ),
    Route("12 found phishing", f"{ADULT} situation=found category=phishing", ["antiphishing", "ihc"]),
    Route(
        "13+21 child victim: the free line first, kodomo-jinken instead of jinken",
        f"{CHILD} situation=victim harm=defamation goal=unsure",
        ["kodomo-sos", "ihaho", "kodomo-jinken"],
        ("not-your-fault",),
        notices=("tell-trusted-adult", "local-windows"),
    ),
    Route(
        "13+21 child finder: the situation's windows keep their order",
        f"{CHILD} situation=found category=drugs",
        ["ihc", "safeline", "kodomo-sos", "kodomo-jinken"],
        absent=("not-your-fault",),
    ),
    Route(
        "13+21+26 parent: child lines after, only the notice naming a window shown",
        "urgent=no reporter=parent situation=victim harm=defamation goal=delete delete_by=proxy",
        ["jinken", "slander-hotline", "kodomo-sos", "kodomo-jinken"],
        notices=("helper-accepted", "local-windows"),
    ),
    Route(
        "14 known platform, victim",
        f"{ADULT} situation=victim harm=defamation goal=unsure",
        ["ihaho", "jinken", "site-operator"],
        ("platform-first",),
        site="platform",
    ),
    Route(
        "14 known platform, finder",
        f"{ADULT} situation=found category=drugs",
        ["ihc", "safeline", "site-operator"],
        site="platform",
    ),
    Route(
        "14 unknown site adds no site-operator",
        f"{ADULT} situation=found category=drugs",
        ["ihc", "safeline"],
        site="other",
    ),
    Route(
        "14 platform before the child's windows",
        f"{CHILD} situation=found category=bullying-media",
        ["safeline", "site-operator", "kodomo-sos", "kodomo-jinken"],
        site="platform",
    ),
    Route(
        "16 scam, money paid: call the card company first, then 188 and the police",
        f"{ADULT} situation=scam scam_loss=paid",
        ["consumer-188", "police-cyber", "police-9110"],
        ("call-card-company",),
    ),
    Route(
        "16 scam, card details typed into a fake site given by URL: phishing report too",
        f"{ADULT} situation=scam scam_loss=card",
        ["consumer-188", "police-cyber", "police-9110", "antiphishing"],
        ("call-card-company",),
        site="other",
    ),
    Route(
        "16 scam, nothing gone out yet: no card-company warning",
        f"{ADULT} situation=scam scam_loss=none",
        ["consumer-188", "police-cyber", "police-9110"],
        absent=("call-card-company",),
    ),
    Route(
        "16+21 child scammed: the free line first",
        f"{CHILD} situation=scam scam_loss=paid",
        ["kodomo-sos", "consumer-188", "police-cyber", "police-9110", "kodomo-jinken"],
        ("not-your-fault", "call-card-company"),
    ),
    Route(
        "16 found a fake shop: 188 and the police, never ihaho or jinken",
        f"{ADULT} situation=found category=fraud",
        ["consumer-188", "police-cyber"],
    ),
    Route(
        "18 sextortion: the police and #8103 before ihaho",
        f"{ADULT} situation=victim harm=sextortion goal=unsure",
        ["police-cyber", "police-8103", "ihaho", "jinken", "onestop-8891"],
        ("not-your-fault", "sextortion-steps"),
        evidence="confirm",
    ),
    Route(
        "18 sextortion, images spread: SafeLine, no Slander Hotline",
        f"{ADULT} situation=victim harm=sextortion goal=delete delete_by=proxy",
        ["police-cyber", "police-8103", "safeline", "jinken", "onestop-8891"],
        ("not-your-fault", "sextortion-steps"),
        absent=("celebrity-may-be-refused",),
    ),
    Route(
        "18 sextortion of a child: never save, the child line first",
        f"{CHILD} situation=victim harm=sextortion goal=punish",
        ["kodomo-sos", "police-cyber", "police-8103", "police-9110", "onestop-8891", "kodomo-jinken"],
        ("not-your-fault", "sextortion-steps", "csam-do-not-save"),
        evidence="forbidden",
    ),
    Route(
        "19 found a violent threat: the police first, IHC after",
        f"{ADULT} situation=found category=violent-threat",
        ["police-cyber", "police-9110", "ihc"],
    ),
    Route(
        "19 found a violent threat, urgent: 110 first",
        "urgent=yes reporter=self situation=found category=violent-threat",
        ["police-110", "police-cyber", "police-9110", "ihc"],
        ("call-110",),
    ),
    Route(
        "20 hate against me: jinken first, then ihaho, the site",
        f"{ADULT} situation=victim harm=hate goal=unsure",
        ["jinken", "ihaho", "site-operator"],
    ),
    Route(
        "20 hate against a group, found on a platform",
        f"{ADULT} situation=found category=hate",
        ["jinken", "ihaho", "site-operator"],
        site="platform",
    ),
    Route(
        "24 business: the site, ihaho, a lawyer; no person-only windows",
        f"{BUSINESS} situation=victim harm=defamation goal=unsure",
        ["site-operator", "ihaho", "lawyer"],
    ),
    Route(
        "24 business, fake reviews on a platform",
        f"{BUSINESS} situation=victim harm=defamation goal=delete delete_by=proxy",
        ["site-operator", "ihaho", "lawyer", "slander-hotline"],
        ("platform-first",),
        site="platform",
    ),
    Route(
        "24 business finding hate: never jinken",
        f"{BUSINESS} situation=found category=hate",
        ["ihaho", "site-operator"],
        lang="en",
        absent=("call-110",),
    ),
    Route(
        "25 English: jinken-foreign right after jinken, and the languages warning",
        f"{ADULT} situation=victim harm=defamation goal=delete delete_by=proxy",
        ["jinken", "jinken-foreign", "slander-hotline"],
        ("languages",),
        lang="en",
    ),
    Route(
        "25 English without jinken: no jinken-foreign",
        f"{ADULT} situation=found category=drugs",
        ["ihc", "safeline"],
        ("languages",),
        lang="en",
    ),
    Route(
        "26 notices naming absent windows are not shown",
        "urgent=no reporter=school situation=found category=revenge-porn",
        ["safeline", "police-cyber", "kodomo-sos", "kodomo-jinken"],
        notices=("helper-accepted-safeline", "local-windows"),
        absent=("helper-accepted",),
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_routes(catalog: Catalog, route: Route):
    result = engine.assess(catalog, answers(route.given), route.site, route.lang).routing
    assert [pick.destination for pick in result.destinations] == route.ids
    assert [w for w in result.warnings if w in route.warnings] == list(route.warnings)
    assert not set(route.absent) & {*result.warnings, *result.notices}
    if route.notices is not None:
        assert list(result.notices) == list(route.notices)
    if route.evidence is not None:
        assert result.evidence == route.evidence


def test_urgent_returns_110_at_once_and_asks_on(catalog: Catalog):
    result = engine.assess(catalog, {"urgent": "yes"})
    assert not result.complete
    assert result.next_question.id == "reporter"
    assert result.routing.destinations[0].destination == "police-110"


@pytest.mark.parametrize(
    ("given", "next_id"),
    [
        ("", "urgent"),
        ("urgent=no", "reporter"),
        ("urgent=no reporter=self", "situation"),
        (f"{ADULT} situation=victim", "harm"),
        (f"{ADULT} situation=victim harm=privacy", "goal"),
        (f"{ADULT} situation=victim harm=privacy goal=delete", "delete_by"),
        (f"{ADULT} situation=found", "category"),
        (f"{ADULT} situation=scam", "scam_loss"),
        ("urgent=no reporter=business situation=victim", "harm"),
        (f"{ADULT} situation=worried", None),
        (f"{ADULT} situation=victim harm=privacy goal=unsure", None),
    ],
)
def test_only_questions_that_change_the_result_are_asked(catalog: Catalog, given, next_id):
    result = engine.assess(catalog, answers(given))
    assert (result.next_question.id if result.next_question else None) == next_id


def test_answers_off_the_path_are_dropped(catalog: Catalog):
    result = engine.assess(catalog, answers(f"{ADULT} situation=worried category=csam"))
    assert "category" not in result.answers
    assert "csam-do-not-save" not in result.routing.warnings


@pytest.mark.parametrize(
    ("given", "code"),
    [("colour=red", "unknown-question"), ("urgent=maybe", "unknown-option")],
)
def test_unknown_ids_are_refused(catalog: Catalog, given, code):
    with pytest.raises(engine.AnswerError) as error:
        engine.assess(catalog, answers(given))
    assert error.value.code == code


def test_evidence_capture_forbidden_for_csam_and_confirmed_for_adult_intimate_images(catalog):
    csam = engine.assess(catalog, answers(f"{ADULT} situation=found category=csam"))
    minor = engine.assess(
        catalog,
        answers("urgent=no reporter=child situation=victim harm=intimate-image goal=unsure"),
    )
    adult = engine.assess(catalog, answers(f"{ADULT} situation=victim harm=intimate-image goal=unsure"))
    assert (csam.routing.evidence, minor.routing.evidence, adult.routing.evidence) == (
        "forbidden",
        "forbidden",
        "confirm",
    )
    items = {item.id for item in csam.checklist}
    assert "screenshot" not in items and "url-only" in items


def test_every_complete_path_routes_somewhere_and_never_repeats(catalog: Catalog):
    paths = 0
    for given in complete_paths(catalog):
        for site, lang in itertools.product(SITE_KINDS, LANGS):
            ids = [p.destination for p in engine.assess(catalog, given, site, lang).routing.destinations]
            assert ids and len(ids) == len(set(ids)), (given, site)
            if given["urgent"] == "yes":
                assert ids[0] == "police-110"
            if given["situation"] == "found" and given["category"] != "hate":
                assert not {"slander-hotline", "houterasu", "jinken"} & set(ids), given
            if given["reporter"] == "business":
                assert not {"jinken", "kodomo-sos", "kodomo-jinken"} & set(ids), given
            paths += 1
    assert paths > 300


def test_progress_counts_the_questions_still_possible(catalog: Catalog):
    start = engine.assess(catalog, {})
    found = engine.assess(catalog, answers(f"{ADULT} situation=found"))
    assert (start.answered, start.total) == (0, 8)
    assert (found.answered, found.total) == (3, 4)


def test_every_complete_result_names_the_local_windows_and_no_absent_window(catalog: Catalog):
    for given in complete_paths(catalog):
        for site, lang in itertools.product(SITE_KINDS, LANGS):
            routing = engine.assess(catalog, given, site, lang).routing
            chosen = {pick.destination for pick in routing.destinations}
            assert "local-windows" in routing.notices, given
            shown = [catalog.warnings[w] for w in routing.warnings] + [
                catalog.notices[n] for n in routing.notices
            ]
            for message in shown:
                assert not message.requires or chosen & set(message.requires), (given, site, lang)
