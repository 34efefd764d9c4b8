// The evidence part of the report page: 「証拠として保存」 on the first screen and on the result,
// the capture lock for child sexual abuse material, the question before capturing an intimate
// image of an adult, and the screen a context-menu capture opens. Captures stay on this device.

import { accountFromSelection, captureTab, CaptureRefused } from "../lib/capture.js";
import { h } from "../lib/dom.js";
import {
  deleteCase,
  findLock,
  getActiveCaseId,
  getCase,
  lockPages,
  newCase,
  saveCase,
  setActiveCaseId,
  updateCapture,
  updateCase,
} from "../lib/evidence-db.js";
import { marked, plain } from "../lib/ruby.js";
import { formatJapanTime } from "../lib/target.js";

const CASES_PAGE = "cases/cases.html";

export function casesPageUrl(caseId) {
  return chrome.runtime.getURL(caseId ? `${CASES_PAGE}?case=${encodeURIComponent(caseId)}` : CASES_PAGE);
}

/** What the case keeps of a result: the situation in words, answers, windows, checklist (as plain text). */
function caseFields(result) {
  const evidence = result.evidence ?? null;
  return {
    situation: result.checklist?.items?.find((item) => item.id === "situation")?.value ?? "",
    answers: result.answers ?? {},
    destinations: (result.destinations ?? []).map(({ id, name }) => ({ id, name: plain(name) })),
    checklist_text_ja: result.checklist?.text_ja ?? "",
    evidence: evidence && { ...evidence, reason: evidence.reason && plain(evidence.reason) },
  };
}

/**
 * Locks capture for the pages of this flow, the reported address and the page it was found on,
 * with its case (if any); returns how many captures were deleted.
 */
function lockFlowPages(flow) {
  const urls = [flow.target.url, flow.target.page_url];
  return lockPages({ caseId: flow.caseId, urls, reason: plain(flow.lock.reason) });
}

/** Before the first screen: a page locked by an earlier report stays locked. */
export async function loadLock(flow) {
  try {
    const lock = (await findLock(flow.target.page_url)) ?? (await findLock(flow.target.url));
    flow.lock = lock ? { reason: lock.reason, deleted: 0 } : null;
  } catch (error) {
    // No storage (e.g. Firefox set never to remember history): reporting still works; capturing will say it failed.
    console.error(error);
  }
}

/**
 * After each answer of the service. Child sexual abuse material: lock capture for these pages and
 * delete at once every capture of them, in this flow's case or any other. Keep the case (if any)
 * up to date.
 */
export async function applyResult(flow, result) {
  const evidence = result.evidence ?? {};
  flow.confirm = evidence.confirm ? { reason: evidence.reason ?? "" } : null;
  if (evidence.screenshot === "forbidden") {
    // Disabled on screen first, whatever happens to the storage below.
    flow.lock = { reason: evidence.reason ?? "", deleted: flow.lock?.deleted ?? 0 };
    flow.captured = 0;
    flow.lock.deleted += await lockFlowPages(flow);
  }
  if (flow.caseId) {
    await updateCase(flow.caseId, caseFields(result));
  }
}

/** The case this flow's captures go into: the active case when it is about the same page, else a new one. */
async function ensureCase(flow) {
  if (!flow.caseId) {
    const url = flow.target.url ?? flow.target.page_url;
    const active = await getCase(await getActiveCaseId());
    if (active && !active.locked && url && active.url === url) {
      flow.caseId = active.id;
    } else {
      const result = flow.steps.at(-1)?.result;
      const record = { ...newCase({ url, title: flow.target.title }), ...(result && caseFields(result)) };
      flow.caseId = (await saveCase(record)).id;
      if (flow.lock) {
        await lockFlowPages(flow);
      }
    }
  }
  await setActiveCaseId(flow.caseId);
  return flow.caseId;
}

/** The evidence part of the first screen and of the result; onResult (optional) means "result screen". */
export function evidenceSection(flow, t, { onResult = false, refresh }) {
  const canCapture = flow.target.tabId != null;
  if (!canCapture && !onResult) {
    return null;
  }
  const caseLink = flow.caseId
    ? h("a", { href: casesPageUrl(flow.caseId), target: "_blank", id: "open-case" }, t("openCase"))
    : null;
  // Keeping the case without any capture: the URL, the windows and the 「連絡した」 record only.
  const saveCaseButton =
    onResult && !flow.caseId
      ? h("button", {
          type: "button",
          id: "save-case",
          onclick: async () => {
            await ensureCase(flow);
            refresh();
          },
        }, t("saveCase"))
      : null;

  if (flow.lock) {
    return h("section", { class: "evidence", id: "evidence" },
      h("h2", {}, t("evidenceHeading")),
      canCapture ? h("button", { type: "button", id: "capture", disabled: true }, t("captureButton")) : null,
      h("p", { class: "warning", id: "capture-locked" },
        t("captureLockedText"), flow.lock.reason ? [" ", marked(flow.lock.reason)] : null),
      flow.lock.deleted ? h("p", { class: "notice", id: "captures-deleted" }, t("capturesDeleted", flow.lock.deleted)) : null,
      h("p", { class: "actions" }, saveCaseButton, caseLink),
    );
  }

  const status = h("p", { class: "status", id: "capture-status", role: "status" },
    flow.captured ? [t("capturedCount", flow.captured), " ", caseLink] : null);
  const account = h("input", { id: "capture-account", type: "text", autocomplete: "off", spellcheck: "false" });
  account.value = accountFromSelection(flow.target.selection);
  const note = h("input", { id: "capture-note", type: "text", autocomplete: "off" });
  const confirmBox = h("div", { class: "confirm", id: "capture-confirm", hidden: true });

  async function capture() {
    status.replaceChildren(t("capturing"));
    captureButton.disabled = true; // one capture at a time (browsers also limit how often)
    try {
      await ensureCase(flow);
      const record = await captureTab({
        tabId: flow.target.tabId,
        caseId: flow.caseId,
        selection: flow.target.selection,
        account: account.value.trim(),
        note: note.value.trim(),
      });
      flow.captured += 1;
      note.value = "";
      status.replaceChildren(
        t("captured", flow.captured, record.sha256.slice(0, 16)), " ",
        h("a", { href: casesPageUrl(flow.caseId), target: "_blank", id: "open-case" }, t("openCase")),
      );
    } catch (error) {
      status.replaceChildren(refusalText(error, t));
    } finally {
      captureButton.disabled = false;
    }
  }

  function askFirst() {
    confirmBox.hidden = false;
    confirmBox.replaceChildren(
      h("p", {}, marked(flow.confirm.reason) || t("captureConfirmUrlOnly"), " ", t("captureConfirmText")),
      h("p", { class: "actions" },
        h("button", { type: "button", class: "primary", id: "capture-anyway", onclick: () => {
          confirmBox.hidden = true;
          capture();
        } }, t("captureAnyway")),
        h("button", { type: "button", id: "capture-cancel", onclick: () => {
          confirmBox.hidden = true;
          status.replaceChildren(t("captureCancelled"));
        } }, t("captureCancel")),
      ),
    );
  }

  const captureButton = h("button", {
    type: "button",
    id: "capture",
    onclick: () => (flow.confirm ? askFirst() : capture()),
  }, t("captureButton"));

  return h("section", { class: "evidence", id: "evidence" },
    h("h2", {}, t("evidenceHeading")),
    canCapture
      ? [
          h("p", { class: "note" }, t("evidenceIntro")),
          h("p", { class: "field" }, h("label", { for: "capture-account" }, t("fieldAccount")), account),
          h("p", { class: "field" }, h("label", { for: "capture-note" }, t("fieldNote")), note),
          h("p", { class: "actions" }, captureButton, saveCaseButton),
          confirmBox,
          status,
        ]
      : h("p", { class: "actions" }, saveCaseButton, caseLink),
  );
}

/** Why capture was refused, as an element (a child's message keeps its readings). */
function refusalText(error, t) {
  if (error instanceof CaptureRefused) {
    return h("span", {}, t(error.key), error.reason ? ` ${error.reason}` : null);
  }
  console.error(error);
  return h("span", {}, t("captureFailed"));
}

/**
 * The screen of a context-menu 「証拠として保存」: capture the clicked tab into the active case (or
 * a new one), unless its page is locked; ask first when the case is about an intimate image.
 * onReport(caseId) goes on to find where to report this page.
 */
export async function evidenceClickScreen(click, t, lang, onReport) {
  try {
    return await captureClick(click, t, lang, onReport);
  } catch (error) {
    return refusedScreen(error, t);
  }
}

function refusedScreen(error, t) {
  return h("section", { id: "capture-refused" },
    h("h2", {}, t("captureRefusedHeading")),
    h("p", { class: "warning", id: "capture-locked" }, refusalText(error, t)),
  );
}

async function captureClick(click, t, lang, onReport) {
  const refused = (error) => refusedScreen(error, t);
  const lock = await findLock(click.page_url ?? click.url);
  if (lock) {
    return refused(new CaptureRefused("captureLocked", lock.reason));
  }
  // The active case (the one the person is collecting for), unless it is locked: then a new one.
  let kase = await getCase(await getActiveCaseId());
  const created = !kase || kase.locked;
  if (created) {
    kase = await saveCase(newCase({ url: click.page_url ?? click.url, title: click.title }));
  }
  await setActiveCaseId(kase.id);

  const capture = async () => {
    try {
      const record = await captureTab({
        tabId: click.tabId,
        caseId: kase.id,
        selection: click.selection ?? "",
        account: accountFromSelection(click.selection),
      });
      return savedScreen(record, kase, t, lang, onReport);
    } catch (error) {
      if (created) {
        await deleteCase(kase.id); // nothing was kept: leave no empty case behind
      }
      return refused(error);
    }
  };
  if (!kase.evidence?.confirm) {
    return capture();
  }
  const screen = h("section", { id: "capture-confirm" },
    h("h2", {}, t("evidenceHeading")),
    h("p", {}, kase.evidence.reason || t("captureConfirmUrlOnly"), " ", t("captureConfirmText")),
    h("p", { class: "actions" },
      h("button", { type: "button", class: "primary", id: "capture-anyway", onclick: async () => {
        screen.replaceWith(await capture());
      } }, t("captureAnyway")),
      h("button", { type: "button", id: "capture-cancel", onclick: () => {
        screen.replaceWith(h("p", { class: "status", id: "capture-status" }, t("captureCancelled")));
      } }, t("captureCancel")),
    ),
  );
  return screen;
}

function savedScreen(record, kase, t, lang, onReport) {
  const image = h("img", { class: "thumb", alt: t("captureImageAlt"), id: "capture-image" });
  image.src = URL.createObjectURL(record.png);
  const field = (id, label, value, key) => {
    const input = h("input", { id, type: "text", autocomplete: "off" });
    input.value = value;
    input.addEventListener("change", () => updateCapture(record.id, { [key]: input.value.trim() }));
    return h("p", { class: "field" }, h("label", { for: id }, label), input);
  };
  return h("section", { id: "capture-saved" },
    h("h2", {}, t("capturedHeading")),
    image,
    h("dl", { class: "sent" },
      h("div", {}, h("dt", {}, t("fieldUrl")), h("dd", { id: "capture-url" }, record.url)),
      h("div", {}, h("dt", {}, t("fieldCapturedAt")), h("dd", {}, t("foundAtJst", formatJapanTime(record.captured_at_jst, lang)))),
      h("div", {}, h("dt", {}, "SHA-256"), h("dd", { class: "hash", id: "capture-sha256" }, record.sha256)),
      h("div", {}, h("dt", {}, t("fieldCase")), h("dd", {}, kase.title || kase.url || t("noneValue"))),
    ),
    field("capture-account", t("fieldAccount"), record.account, "account"),
    field("capture-note", t("fieldNote"), record.note, "note"),
    h("p", { class: "note" }, t("capturedKeptHere")),
    h("p", { class: "actions" },
      kase.destinations?.length
        ? null
        : h("button", { type: "button", class: "primary", id: "report-this", onclick: () => onReport(kase.id) }, t("reportThisPage")),
      h("a", { href: casesPageUrl(kase.id), target: "_blank", class: "button", id: "open-case" }, t("openCase")),
    ),
  );
}
