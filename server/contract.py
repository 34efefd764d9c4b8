"""The ids that the API, the extension and outside clients depend on (domain README §2 and §6)."""

DESTINATION_IDS = frozenset(
    {
        "ihaho",
        "jinken",
        "slander-hotline",
        "safeline",
        "ihc",
        "police-cyber",
        "police-110",
        "police-9110",
        "houterasu",
        "mamorouyo-kokoro",
        "ipa-anshin",
        "site-operator",
        "kodomo-sos",
        "kodomo-jinken",
        "antiphishing",
    }
)

QUESTIONS: dict[str, tuple[str, ...]] = {
    "urgent": ("yes", "no"),
    "reporter": ("self", "child", "parent", "school"),
    "situation": ("victim", "found", "worried", "security"),
    "harm": (
        "defamation",
        "privacy",
        "intimate-image",
        "bullying-media",
        "threat",
        "impersonation",
    ),
    "goal": ("unsure", "delete", "compensation", "punish"),
    "delete_by": ("self", "proxy"),
    "category": (
        "drugs",
        "obscene",
        "csam",
        "weapons",
        "crime-solicitation",
        "suicide-inducement",
        "revenge-porn",
        "bullying-media",
        "phishing",
        "other-illegal",
        "other-harmful",
    ),
}

WARNING_IDS = frozenset(
    {
        "call-110",
        "csam-do-not-save",
        "suicide-support",
        "search-result-url",
        "shortened-url",
        "lookalike-domain",
        "platform-first",
        "celebrity-may-be-refused",
    }
)

PLATFORM_IDS = frozenset(
    {
        "x",
        "line",
        "instagram",
        "facebook",
        "threads",
        "youtube",
        "tiktok",
        "google-search",
        "yahoo-japan",
        "5ch",
        "note",
        "ameba",
        "niconico",
        "discord",
    }
)

# Facts the rules may test besides the answers: what the URL tells, and the evidence decision.
SITE_KINDS = ("none", "other", "platform")
EVIDENCE_KINDS = ("allowed", "confirm", "forbidden")
SHOWABLE_LEVELS = frozenset({"OFF", "GOV"})
LANGS = ("ja", "en")
