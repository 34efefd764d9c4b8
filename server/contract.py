"""The ids that the API, the extension and outside clients depend on (domain README §2, §6 and §7)."""

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
        "consumer-188",
        "police-8103",
        "onestop-8891",
        "jinken-foreign",
        "lawyer",
    }
)

QUESTIONS: dict[str, tuple[str, ...]] = {
    "urgent": ("yes", "no"),
    "reporter": ("self", "child", "parent", "school", "business"),
    "situation": ("victim", "found", "worried", "security", "scam"),
    "harm": (
        "defamation",
        "privacy",
        "intimate-image",
        "bullying-media",
        "threat",
        "impersonation",
        "sextortion",
        "hate",
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
        "violent-threat",
        "fraud",
        "hate",
    ),
    # The service's own follow-up (§2 allows extra ids): did money or card details already go out?
    "scam_loss": ("paid", "card", "none"),
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
        "sextortion-steps",
        "call-card-company",
        "not-your-fault",
        "languages",
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
        "google-maps",
    }
)

# Facts the rules may test besides the answers: what the URL tells, the interface language (rule 25)
# and the evidence decision.
SITE_KINDS = ("none", "other", "platform")
EVIDENCE_KINDS = ("allowed", "confirm", "forbidden")
SHOWABLE_LEVELS = frozenset({"OFF", "GOV"})
LANGS = ("ja", "en")
