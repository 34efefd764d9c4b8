"""Page objects for the web wizard: the start page, one question per page, the result and the memo."""

from dataclasses import dataclass
from urllib.parse import urlencode

from playwright.sync_api import Locator, Page, expect

from tests.answers import DEFAMED_DELETE_MYSELF, SCAM_PAID

# Walks whose outcome the tests know, name: (URL typed on the start page, answers, windows in order,
# warnings that must show).
SITUATIONS = {
    "urgent": (
        "https://twitter.com/someone/status/2",
        {"urgent": "yes", "reporter": "self", "situation": "found", "category": "crime-solicitation"},
        ["police-110", "ihc", "safeline", "site-operator"],
        [],
    ),
    "child": (
        "",
        {
            "urgent": "no",
            "reporter": "child",
            "situation": "victim",
            "harm": "bullying-media",
            "goal": "delete",
            "delete_by": "proxy",
        },
        ["kodomo-sos", "kodomo-jinken", "slander-hotline", "safeline"],
        ["not-your-fault", "celebrity-may-be-refused"],
    ),
    "found-csam": (
        "https://uploader.example.net/img/1",
        {"urgent": "no", "reporter": "self", "situation": "found", "category": "csam"},
        ["ihc", "safeline"],
        ["csam-do-not-save"],
    ),
    "victim": (
        "https://x.com/someone/status/1",
        DEFAMED_DELETE_MYSELF,
        ["site-operator", "ihaho", "jinken"],
        ["platform-first"],
    ),
    "scam": ("", SCAM_PAID, ["consumer-188", "police-cyber", "police-9110"], ["call-card-company"]),
    "sextortion": (
        "",
        {"urgent": "no", "reporter": "self", "situation": "victim", "harm": "sextortion", "goal": "punish"},
        ["police-cyber", "police-8103", "police-9110", "onestop-8891"],
        ["not-your-fault", "sextortion-steps"],
    ),
}


def ids(page: Page, attribute: str) -> list[str]:
    """The values of `attribute` on the page's elements that carry it, in page order."""
    return page.locator(f"[{attribute}]").evaluate_all(
        "(elements, attribute) => elements.map(e => e.getAttribute(attribute))", attribute
    )


@dataclass
class Wizard:
    """The wizard as a person walks it, in one browser tab."""

    page: Page
    base_url: str

    def follow(self, target: Locator) -> "Wizard":
        """Click a link or button that opens a new page, and wait until that page has loaded.

        Waiting for the navigation itself, not the load state: right after the click the old page
        is still there and already loaded (with JavaScript, the page replaces itself a moment later).
        """
        with self.page.expect_navigation():
            target.click()
        return self

    def open(self, path: str = "/", **params: str) -> "Wizard":
        query = f"?{urlencode(params)}" if params else ""
        self.page.goto(f"{self.base_url}{path}{query}")
        return self

    # The start page.
    def start(self, url: str = "") -> "Wizard":
        """Type the URL (if any) and press the big start button."""
        self.page.locator("#url").fill(url)
        return self.follow(self.page.locator("form.start button[type=submit]"))

    @property
    def error(self) -> Locator:
        return self.page.locator(".error[role=alert]")

    # Question pages.
    @property
    def question(self) -> Locator:
        return self.page.locator("form.question")

    def question_id(self) -> str | None:
        return self.question.get_attribute("data-question-id") if self.question.count() else None

    def answer(self, question_id: str, option_id: str) -> "Wizard":
        expect(self.question).to_have_attribute("data-question-id", question_id)
        return self.follow(self.question.locator(f"button[name='{question_id}'][value='{option_id}']"))

    def answer_all(self, answers: dict[str, str]) -> "Wizard":
        """Answer each question the service asks, in its order, until the result shows."""
        while (question_id := self.question_id()) is not None:
            assert question_id in answers, f"the wizard asked {question_id!r}, which the test did not expect"
            self.answer(question_id, answers[question_id])
        expect(self.page.locator("section.destinations")).to_be_visible()
        return self

    def back(self) -> "Wizard":
        return self.follow(self.page.locator("a.back-link"))

    # The result.
    @property
    def urgent_banner(self) -> Locator:
        return self.page.locator("[data-banner='110']")

    def destination_ids(self) -> list[str]:
        return ids(self.page, "data-destination-id")

    def warning_ids(self) -> list[str]:
        return ids(self.page, "data-warning-id")

    def notice_ids(self) -> list[str]:
        return ids(self.page, "data-notice-id")

    @property
    def memo(self) -> Locator:
        """The Japanese block to paste, readable and selectable without JavaScript."""
        return self.page.locator("#memo-ja")

    @property
    def copy_all_button(self) -> Locator:
        return self.page.locator("button[data-copy='memo-ja']")

    def checklist_value(self, item_id: str) -> Locator:
        return self.page.locator(f"#value-{item_id}")

    def open_print_view(self) -> "Wizard":
        self.follow(self.page.locator(".actions a[href^='/wizard/print']"))
        expect(self.page.locator("table.memo-windows")).to_be_visible()
        return self

    # Every page.
    @property
    def quick_exit(self) -> Locator:
        return self.page.locator("#quick-exit")

    def switch_language(self) -> "Wizard":
        return self.follow(self.page.locator("a.lang-switch"))

    # Issue 8: a child's way in, sharing with an adult and correcting the facts.
    def start_as_child(self) -> "Wizard":
        """Press the child's button on the first screen."""
        return self.follow(self.page.locator("button.child-start"))

    def message_ids(self) -> list[str]:
        """The warnings and notices in the order shown."""
        return self.page.locator("[data-warning-id], [data-notice-id]").evaluate_all(
            "elements => elements.map(e => e.dataset.warningId || e.dataset.noticeId)"
        )

    def open_share_view(self) -> "Wizard":
        self.follow(self.page.locator("a.share-link").first)
        expect(self.qr).to_be_visible()
        return self

    @property
    def qr(self) -> Locator:
        return self.page.locator(".qr svg")

    def share_link(self) -> str:
        return self.page.locator("section.share").get_attribute("data-share-link") or ""

    def include_url_in_share(self) -> "Wizard":
        self.page.locator("#include-url").check()
        return self.follow(self.page.locator("form.share-options button[type=submit]"))

    def correct_facts(self, found_at: str, title: str, selection: str) -> "Wizard":
        form = self.page.locator("form.facts")
        form.locator("input[name=found_at]").fill(found_at)
        form.locator("input[name=title]").fill(title)
        form.locator("textarea[name=selection]").fill(selection)
        return self.follow(form.locator("button[type=submit]"))
