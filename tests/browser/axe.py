"""axe-core (from npm, node_modules/axe-core) run on a page: the accessibility check of every page."""

import functools
from pathlib import Path

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (JIS X 8341-3 asks for 2.0 AA), and axe's best practices
# (landmarks, one h1, heading order): they are what a screen-reader user moves by.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN = """async (tags) => {
    const options = { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] };
    const result = await axe.run(document, options);
    return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({
            target: n.target.join(" "), html: n.html.slice(0, 160), summary: n.failureSummary,
        })),
    }));
}"""


@functools.cache
def axe_source() -> str:
    """axe-core's script, read once: it is 650 KB, and every page checked needs it."""
    if not AXE_PATH.exists():
        raise AssertionError(f"{AXE_PATH} is missing: `make test` installs it (npm ci).")
    return AXE_PATH.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict]:
    """axe's violations on the page as it is now."""
    # The pages' CSP (script-src 'self') refuses an added <script>, so add_script_tag cannot load
    # axe; evaluate() goes through DevTools, which CSP does not govern.
    # Styles decide sizes and contrast: judge the page only once everything it links has loaded.
    page.wait_for_function("document.readyState === 'complete'")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN, TAGS)


def report(found: list[dict]) -> str:
    """One line per violation and one per offending element, for the failure message."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " / ".join(line.strip() for line in node["summary"].splitlines()[1:])
            lines.append(f"    {node['target']}  {node['html']}\n        {summary}")
    return "\n".join(lines)


def assert_no_violations(page: Page, where: str = "") -> None:
    """Fail with each violation's id, help and the offending selectors."""
    found = violations(page)
    assert not found, f"axe found violations on {where or page.url}:\n{report(found)}"
