"""The routing policy of domain README §3 as a table: answers and the URL's site → ids in order."""

from pathlib import Path

import pytest

from server import engine
from server.catalog import Catalog, complete_paths, load
from server.contract import SITE_KINDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load(ROOT / "data")


def answers(spec: str) -> dict[str, str]:
    """'urgent=no reporter=self' → {'urgent': 'no', 'reporter': 'self'}."""
    return dict(pair.split("=") for pair in spec.split())


ADULT = "urgent=no reporter=self"

# (rule, answers, site, destination ids in order, warnings that must be present)
ROUTES = [
    ("1 urgent first", "urgent=yes", "none", ["police-110"], ["call-110"]),
    (
        "1 urgent stays first",
        "urgent=yes reporter=self situation=victim harm=threat goal=punish",
        "none",
        ["police-110", "police-cyber", "police-9110"],
        ["call-110"],
    ),
    (
        "1 urgent + suicide inducement",
        "urgent=yes reporter=self situation=found category=suicide-inducement",
        "none",
        ["police-110", "mamorouyo-kokoro", "ihc", "safeline"],
        ["call-110", "suicide-support"],
    ),
    (
        "1 urgent + the person at risk",
        "urgent=yes reporter=self situation=worried",
        "none",
        ["police-110", "mamorouyo-kokoro"],
        ["call-110", "suicide-support"],
    ),
    ("2 worried", f"{ADULT} situation=worried", "none", ["mamorouyo-kokoro"], []),
    (
        "2 worried child",
        "urgent=no reporter=child situation=worried",
        "none",
        ["mamorouyo-kokoro", "kodomo-sos", "kodomo-jinken"],
        [],
    ),
    (
        "3 victim unsure",
        f"{ADULT} situation=victim harm=defamation goal=unsure",
        "none",
        ["ihaho", "jinken"],
        [],
    ),
    (
        "4 delete by self",
        f"{ADULT} situation=victim harm=defamation goal=delete delete_by=self",
        "none",
        ["site-operator", "ihaho", "jinken"],
        [],
    ),
    (
        "5 delete by proxy",
        f"{ADULT} situation=victim harm=privacy goal=delete delete_by=proxy",
        "none",
        ["jinken", "slander-hotline"],
        ["celebrity-may-be-refused"],
    ),
    (
        "5 delete by proxy, bullying images",
        f"{ADULT} situation=victim harm=bullying-media goal=delete delete_by=proxy",
        "none",
        ["jinken", "slander-hotline", "safeline"],
        [],
    ),
    (
        "5+8 delete by proxy, intimate image",
        f"{ADULT} situation=victim harm=intimate-image goal=delete delete_by=proxy",
        "none",
        ["jinken", "slander-hotline", "safeline", "police-cyber"],
        [],
    ),
    (
        "6 compensation",
        f"{ADULT} situation=victim harm=defamation goal=compensation",
        "none",
        ["houterasu"],
        [],
    ),
    (
        "7 punish",
        f"{ADULT} situation=victim harm=impersonation goal=punish",
        "none",
        ["police-cyber", "police-9110"],
        [],
    ),
    (
        "7 threat whatever the goal",
        f"{ADULT} situation=victim harm=threat goal=unsure",
        "none",
        ["ihaho", "jinken", "police-cyber", "police-9110"],
        [],
    ),
    (
        "8 intimate image, any goal",
        f"{ADULT} situation=victim harm=intimate-image goal=compensation",
        "none",
        ["houterasu", "safeline", "police-cyber"],
        [],
    ),
    *[
        (
            f"9 found {category}",
            f"{ADULT} situation=found category={category}",
            "none",
            ["ihc", "safeline"],
            [],
        )
        for category in ("drugs", "obscene", "weapons", "crime-solicitation", "other-illegal")
    ],
    (
        "9+10 found csam",
        f"{ADULT} situation=found category=csam",
        "none",
        ["ihc", "safeline"],
        ["csam-do-not-save"],
    ),
    (
        "10 a minor's intimate image is csam",
        "urgent=no reporter=parent situation=victim harm=intimate-image goal=delete delete_by=proxy",
        "none",
        ["jinken", "slander-hotline", "safeline", "police-cyber"],
        ["csam-do-not-save"],
    ),
    (
        "11 found revenge porn",
        f"{ADULT} situation=found category=revenge-porn",
        "none",
        ["safeline", "police-cyber"],
        [],
    ),
    (
        "11 found bullying media",
        f"{ADULT} situation=found category=bullying-media",
        "none",
        ["safeline"],
        [],
    ),
    (
        "11 found other harmful",
        f"{ADULT} situation=found category=other-harmful",
        "none",
        ["safeline"],
        [],
    ),
    ("12 security", f"{ADULT} situation=security", "none", ["ipa-anshin", "antiphishing"], []),
    (
        "12 found phishing",
        f"{ADULT} situation=found category=phishing",
        "none",
        ["antiphishing", "ihc"],
        [],
    ),
    (
        "13 child: own windows after the situation's",
        "urgent=no reporter=child situation=victim harm=defamation goal=unsure",
        "none",
        ["ihaho", "jinken", "kodomo-sos", "kodomo-jinken"],
        [],
    ),
    (
        "14 known platform, victim",
        f"{ADULT} situation=victim harm=defamation goal=unsure",
        "platform",
        ["ihaho", "jinken", "site-operator"],
        ["platform-first"],
    ),
    (
        "14 known platform, finder",
        f"{ADULT} situation=found category=drugs",
        "platform",
        ["ihc", "safeline", "site-operator"],
        [],
    ),
    (
        "14 unknown site adds no site-operator",
        f"{ADULT} situation=found category=drugs",
        "other",
        ["ihc", "safeline"],
        [],
    ),
    (
        "14 platform before the child's windows",
        "urgent=no reporter=child situation=found category=bullying-media",
        "platform",
        ["safeline", "site-operator", "kodomo-sos", "kodomo-jinken"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("given", "site", "expected", "warnings"),
    [route[1:] for route in ROUTES],
    ids=[route[0] for route in ROUTES],
)
def test_routes(catalog: Catalog, given: str, site: str, expected: list[str], warnings: list[str]):
    result = engine.assess(catalog, answers(given), site)
    assert [pick.destination for pick in result.routing.destinations] == expected
    assert set(warnings) <= set(result.routing.warnings)


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
        for site in SITE_KINDS:
            ids = [p.destination for p in engine.assess(catalog, given, site).routing.destinations]
            assert ids and len(ids) == len(set(ids)), (given, site)
            if given["urgent"] == "yes":
                assert ids[0] == "police-110"
            if given["situation"] == "found":
                assert not {"slander-hotline", "houterasu", "jinken"} & set(ids), given
            paths += 1
    assert paths > 300


def test_progress_counts_the_questions_still_possible(catalog: Catalog):
    start = engine.assess(catalog, {})
    found = engine.assess(catalog, answers(f"{ADULT} situation=found"))
    assert (start.answered, start.total) == (0, 7)
    assert (found.answered, found.total) == (3, 4)
