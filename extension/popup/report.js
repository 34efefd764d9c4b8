// The report flow: show what would be sent, ask the service's questions one by one, then show
// where to report and the checklist. The service decides everything; this page only shows it.
// The same page shows what a context-menu 「証拠として保存」 captured (./evidence.js).

import { assess, ServiceError } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { captureCount } from "../lib/evidence-db.js";
import { loadMessages, localise } from "../lib/i18n.js";
import { forgetReporter, getOptions, rememberReporter, resolveLang, serviceHost } from "../lib/options.js";
import { marked } from "../lib/ruby.js";
import { formatJapanTime, prepareTarget } from "../lib/target.js";
import { destinationList } from "./cards.js";
import { applyResult, evidenceClickScreen, evidenceSection, loadLock } from "./evidence.js";
import { guideSection } from "./guide.js";
import { notices } from "./notices.js";
import { shareSection } from "./share.js";

const URGENT_CALL = "tel:110";
const MAMOROUYO_URL = "https://www.mhlw.go.jp/mamorouyokokoro/";
const SOUMU_CHART_URL =
  "https://www.soumu.go.jp/use_the_internet_wisely/trouble/reference/reference01.html";
// A click older than this is from an earlier, abandoned attempt: the toolbar button then means
// "this tab" again.
const CLICK_MAX_AGE_MS = 2 * 60 * 1000;

// The service asks "urgent" first, then "reporter", then "situation". The first screen offers the
// 110 button and the situations at once, with the reporter remembered from an earlier report, so
// that one click answers three questions. Nothing may be sent before that click, so these labels
// are local copies of the service's wording, a child's with its readings (a test compares them).
const SITUATIONS = Object.freeze([
  { id: "victim", label: "situationVictim" },
  { id: "found", label: "situationFound" },
  { id: "worried", label: "situationWorried" },
  { id: "security", label: "situationSecurity" },
  { id: "scam", label: "situationScam" },
]);
const REPORTER_LABELS = Object.freeze({
  self: "reporterSelf",
  child: "reporterChild",
  parent: "reporterParent",
  school: "reporterSchool",
  business: "reporterBusiness",
});

const app = document.getElementById("app");
const copyStatus = document.getElementById("copy-status");

// Until the chosen language is loaded, message keys stand in; a key is better than a blank page.
let t = (key) => key;

const flow = {
  lang: "ja",
  serviceUrl: "",
  reporter: null, // the remembered answer to "who are you?", or null
  reporterCleared: false, // the person just asked to change it
  target: null, // what is sent: { kind, url, title, selection, found_at, notes } (+ tabId, page_url: never sent)
  steps: [], // [{ answers: [[questionId, optionId], …], result }], newest last; Back drops one
  // Evidence (./evidence.js): the case captures go into, how many, the lock, the question first.
  caseId: null,
  captured: 0,
  lock: null, // { reason, deleted }: child sexual abuse material, never capture
  confirm: null, // { reason }: ask before capturing (intimate images of an adult)
};

async function main() {
  const options = await getOptions();
  flow.lang = resolveLang(options.lang);
  flow.serviceUrl = options.serviceUrl;
  flow.reporter = options.reporter;
  // A child's wording whenever the remembered (or just given) answer is "child".
  t = await loadMessages(flow.lang, () => flow.reporter === "child");
  document.documentElement.lang = flow.lang;
  localise(document, t);
  const raw = await readTarget();
  if (raw.kind === "evidence") {
    render(await evidenceClickScreen(raw, t, flow.lang, (caseId) => startReport(raw, caseId)));
    return;
  }
  await startReport(raw, null);
}

/** The flow for a target; caseId when the person already saved evidence for it. */
async function startReport(raw, caseId) {
  flow.target = prepareTarget({ ...raw, kind: raw.kind === "evidence" ? "page" : raw.kind });
  flow.steps = [];
  flow.caseId = caseId;
  flow.captured = caseId ? await captureCount(caseId) : 0;
  await loadLock(flow);
  showPreview();
}

/** What to report: ?url=&title=&selection= (tests, links), a context-menu click, or the active tab. */
async function readTarget() {
  const params = new URLSearchParams(location.search);
  if (["url", "title", "selection"].some((name) => params.has(name))) {
    return {
      kind: params.get("kind") ?? "page",
      url: params.get("url"),
      title: params.get("title"),
      selection: params.get("selection"),
      found_at: params.get("found_at"),
    };
  }
  const { click } = await chrome.storage.session.get("click");
  if (click) {
    // Used once: the next toolbar click is about the tab, not this old click.
    await chrome.storage.session.remove("click");
    if (Date.now() - click.at < CLICK_MAX_AGE_MS) {
      return click;
    }
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  // In the small window that stands in for the popup, the active tab is this page itself.
  const isThisPage = tab?.url?.startsWith(chrome.runtime.getURL(""));
  return isThisPage
    ? { kind: "page" }
    : { kind: "page", url: tab?.url, title: tab?.title, tabId: tab?.id, page_url: tab?.url };
}

// ---- moving through the flow ----

function currentAnswers() {
  return flow.steps.at(-1)?.answers ?? [];
}

async function answer(questionId, optionId) {
  if (questionId === "reporter") {
    // Remembered for the next report (and changeable on its first screen); nothing else is.
    flow.reporter = optionId;
    flow.reporterCleared = false;
    await rememberReporter(optionId);
  }
  return send([...currentAnswers(), [questionId, optionId]]);
}

/** The first click: urgent (and the situation) with the remembered reporter. Nothing is sent before it. */
function start(urgent, situation = null) {
  return send([
    ["urgent", urgent],
    ...(flow.reporter ? [["reporter", flow.reporter]] : []),
    ...(situation ? [["situation", situation]] : []),
  ]);
}

async function changeReporter() {
  await forgetReporter();
  flow.reporter = null;
  flow.reporterCleared = true;
  showPreview();
}

async function send(answers) {
  for (const button of app.querySelectorAll("button")) {
    button.disabled = true;
  }
  app.setAttribute("aria-busy", "true");
  app.append(h("p", { class: "busy" }, t("sending")));
  const { url, title, selection, found_at } = flow.target;
  const body = {
    ...(url && { url }),
    ...(title && { title }),
    ...(selection && { selection }),
    found_at,
    answers: Object.fromEntries(answers),
    lang: flow.lang,
    // A child's texts come with readings, drawn here as <ruby> (../lib/ruby.js).
    markup: "ruby",
  };
  let result;
  try {
    result = await assess(flow.serviceUrl, body);
  } catch (error) {
    showError(error, () => send(answers));
    return;
  }
  try {
    await applyResult(flow, result);
  } catch (error) {
    console.error(error); // the result still shows; a lock is kept in flow.lock all the same
  }
  flow.steps.push({ answers, result });
  showStep();
}

function showStep() {
  const { result } = flow.steps.at(-1);
  if (result.complete || !result.next_question) {
    showResult(result);
  } else {
    showQuestion(result);
  }
}

function back() {
  flow.steps.pop();
  if (flow.steps.length) {
    showStep();
  } else {
    showPreview();
  }
}

function startOver() {
  flow.steps = [];
  showPreview();
}

// ---- screens ----

/** Replaces the screen and moves focus to its heading: what had focus was just removed. */
function render(...nodes) {
  app.replaceChildren(...nodes.flat().filter(Boolean));
  copyStatus.replaceChildren();
  localise(document, t); // the page's own words follow a reporter who just said "child"
  app.removeAttribute("aria-busy");
  window.scrollTo(0, 0);
  // A screen built elsewhere (./evidence.js) has no marked heading: its first one stands in.
  const heading = app.querySelector("[data-screen-heading]") ?? app.querySelector("h2");
  heading?.setAttribute("tabindex", "-1");
  heading?.focus({ preventScroll: true });
}

/** The heading focus moves to when its screen shows (render() makes it focusable by script only). */
function screenHeading(text) {
  return h("h2", { "data-screen-heading": true }, text);
}

function showPreview() {
  const { kind, url, title, selection, found_at, notes } = flow.target;
  const kindKey = { page: "kindPage", link: "kindLink", image: "kindImage", selection: "kindSelection" };
  render(
    screenHeading(t("previewHeading")),
    h(
      "dl",
      { class: "sent", id: "sent" },
      field("kind", t("fieldKind"), t(kindKey[kind] ?? "kindPage")),
      field("url", t("fieldUrl"), url),
      field("title", t("fieldTitle"), title),
      selection ? field("selection", t("fieldSelection"), selection) : null,
      field("found_at", t("fieldFoundAt"), formatJst(found_at)),
    ),
    notes.map(([key, ...substitutions]) =>
      h("p", { class: "note", "data-note": key }, t(key, ...substitutions)),
    ),
    reporterLine(),
    // Any of these buttons is the moment the person agrees to send.
    h("section", { class: "question first-question", "data-question-id": "urgent" },
      h("button", { type: "button", class: "danger urgent", "data-option-id": "yes", onclick: () => start("yes") },
        t("urgent110")),
      h("p", { class: "note" }, t("urgentHint")),
    ),
    h("section", { class: "question", "data-question-id": "situation" },
      h("h2", {}, t("situationQuestion")),
      h("div", { class: "options" },
        SITUATIONS.map((option) =>
          h("button", { type: "button", "data-option-id": option.id, onclick: () => start("no", option.id) },
            t(option.label)),
        ),
      ),
    ),
    // The service by its name and host: a public build never shows a loopback address here.
    h("p", { class: "privacy", id: "service-named" },
      t("previewNothingSent", t("extShortName"), serviceHost(flow.serviceUrl))),
    evidenceSection(flow, t, { refresh: showPreview }),
  );
}

/** 「あなた：大人（変更）」 once the person has said who they are. */
function reporterLine() {
  if (!flow.reporter) {
    return flow.reporterCleared ? h("p", { class: "note", id: "reporter-cleared" }, t("reporterCleared")) : null;
  }
  return h("p", { class: "reporter", id: "reporter", "data-reporter": flow.reporter },
    t("reporterIs", t(REPORTER_LABELS[flow.reporter])),
    h("button", { type: "button", class: "link", id: "change-reporter", onclick: changeReporter }, t("reporterChange")),
  );
}

function showQuestion(result) {
  const { answered, total } = result.progress ?? {};
  render(
    isUrgent(result) ? call110Banner(result) : null,
    total ? h("p", { class: "progress" }, t("progress", answered + 1, total)) : null,
    questionBlock(result.next_question),
    notices(result, t),
    result.destinations?.length
      ? h("section", {}, h("h2", {}, t("soFarHeading")), destinations(result))
      : null,
    stepNav(),
  );
}

function showResult(result) {
  render(
    isUrgent(result) ? call110Banner(result) : null,
    // The evidence rule is in the evidence part of this screen, with the disabled capture button.
    notices(result, t, { evidenceRule: false }),
    siteLine(result.site),
    screenHeading(t("resultHeading")),
    destinations(result),
    guideSection(result.guide, t),
    shareSection(flow, result, t),
    checklistSection(result),
    evidenceSection(flow, t, { onResult: true, refresh: showStep }),
    stepNav(),
  );
}

function showError(error, retry) {
  // Back from an error returns to the screen the person was on, not the one before it.
  const backToStep = () => (flow.steps.length ? showStep() : showPreview());
  if (error instanceof ServiceError && error.kind === "not-permitted") {
    render(
      h("section", { id: "not-permitted" },
        screenHeading(t("notPermittedHeading")),
        h("p", {}, t("notPermittedText", flow.serviceUrl)),
        h("p", { class: "actions" }, settingsButton("primary")),
      ),
      emergencyHelp(),
      stepNav(backToStep),
    );
    return;
  }
  if (error instanceof ServiceError && error.kind === "rejected") {
    const urlRefused = String(error.code ?? "").startsWith("url") && flow.target.url;
    render(
      h("section", { id: "rejected" },
        screenHeading(t("rejectedHeading")),
        h("p", { class: "warning", "data-error-code": error.code }, t("rejectedText", error.message)),
      ),
      urlRefused
        ? h("button", { type: "button", class: "primary", id: "without-url", onclick: () => {
            flow.target.url = null;
            flow.target.notes.push(["noteUrlNotSent"]);
            retry();
          } }, t("continueWithoutUrl"))
        : null,
      stepNav(backToStep),
    );
    return;
  }
  render(
    h("section", { class: "unreachable", id: "unreachable" },
      screenHeading(t("unreachableHeading")),
      h("p", {}, t("unreachableText", flow.serviceUrl)),
    ),
    emergencyHelp(),
    h("p", { class: "actions" },
      h("button", { type: "button", class: "primary", id: "retry", onclick: retry }, t("retry")),
      settingsButton(),
    ),
    stepNav(backToStep),
  );
}

/** The last resort: something broke in this page. Still never a blank popup. */
function showUnexpected(error) {
  console.error(error);
  render(screenHeading(t("unexpectedError")), emergencyHelp());
}

// ---- parts ----

function field(name, label, value) {
  return h("div", { "data-field": name },
    h("dt", {}, label),
    h("dd", {}, value || t("noneValue")),
  );
}

function questionBlock(question) {
  return h("section", { class: "question", "data-question-id": question.id },
    screenHeading(marked(question.text)),
    h("div", { class: "options" },
      question.options.map((option) =>
        h("button", {
          type: "button",
          class: question.id === "urgent" && option.id === "yes" ? "danger" : null,
          "data-option-id": option.id,
          onclick: () => answer(question.id, option.id),
        }, marked(option.label)),
      ),
    ),
  );
}

function settingsButton(className = null) {
  const open = () => chrome.runtime.openOptionsPage();
  return h("button", { type: "button", class: className, id: "open-settings", onclick: open }, t("openSettings"));
}

function stepNav(onBack = back) {
  return h("nav", { class: "steps" },
    h("button", { type: "button", id: "back", onclick: onBack }, t("back")),
    h("button", { type: "button", id: "start-over", onclick: startOver }, t("startOver")),
  );
}

function isUrgent(result) {
  return (
    result.destinations?.[0]?.id === "police-110" ||
    result.warnings?.some((warning) => warning.id === "call-110")
  );
}

/** The banner carries the service's call-110 warning, in its words (a child's, for a child). */
function call110Banner(result) {
  const warning = result.warnings?.find(({ id }) => id === "call-110");
  return h("section", { class: "banner-110", id: "banner-110", role: "alert", "data-warning-id": warning?.id },
    h("h2", {}, t("call110Heading")),
    h("p", {}, marked(warning?.text) ?? t("call110Text")),
    h("a", { class: "button danger", href: URGENT_CALL }, t("call110Link")),
  );
}

function siteLine(site) {
  if (!site?.host) {
    return null;
  }
  const ascii = site.host_ascii && site.host_ascii !== site.host ? t("siteAscii", site.host_ascii) : null;
  return h("p", { class: "site", id: "site" }, t("siteLine", site.host), ascii);
}

/** The windows in order; opening one's page also copies the checklist: pasting it is the next step. */
function destinations(result) {
  const copyChecklist = result.checklist ? () => copy(result.checklist.text_ja, t("openFormCopied")) : null;
  return destinationList(result.destinations ?? [], t, copyChecklist, flow.lang);
}

function checklistSection(result) {
  const { checklist } = result;
  if (!checklist) {
    return null;
  }
  return h("section", { class: "checklist", id: "checklist" },
    h("h2", {}, t("checklistHeading")),
    h("ul", {}, checklist.items.map((item) =>
      h("li", { "data-item-id": item.id },
        h("span", { class: "label" }, marked(item.label)),
        item.evidence ? h("span", { class: "badge" }, t("evidenceBadge")) : null,
        h("span", { class: item.value ? "value" : "value missing" }, item.value || t("notFilled")),
        item.value
          ? h("button", { type: "button", class: "copy", onclick: () => copy(item.value) }, t("copy"))
          : null,
        item.how ? h("p", { class: "how" }, marked(item.how)) : null,
      ),
    )),
    h("p", { class: "actions" },
      h("button", { type: "button", class: "primary", id: "copy-all", onclick: () => copy(checklist.text_ja) }, t("copyAll")),
    ),
    // The block is Japanese even in the English interface (the forms are Japanese): say so, and show it.
    flow.lang === "ja" ? null : h("p", { class: "note", id: "japanese-note" }, t("japaneseBlockNote")),
    h("details", { open: flow.lang !== "ja" },
      h("summary", {}, t("japaneseBlockShow")),
      h("pre", { lang: "ja", id: "text-ja" }, checklist.text_ja),
    ),
  );
}

function emergencyHelp() {
  const link = (href, key, id) => h("li", {}, h("a", { href, id, target: "_blank", rel: "noopener noreferrer" }, t(key)));
  return h("section", { class: "emergency", id: "emergency" },
    h("h2", {}, t("emergencyHeading")),
    h("ul", {},
      h("li", {}, h("a", { href: URGENT_CALL, id: "call-110", class: "button danger" }, t("emergency110"))),
      link(MAMOROUYO_URL, "mamorouyo", "mamorouyo"),
      link(SOUMU_CHART_URL, "soumuChart", "soumu-chart"),
    ),
  );
}

async function copy(text, message = t("copied")) {
  try {
    await navigator.clipboard.writeText(text);
    copyStatus.replaceChildren(message);
  } catch {
    // Some browsers refuse the clipboard (no focus, no permission): let the person copy by hand.
    const area = h("textarea", { readonly: true, rows: 8, lang: "ja" });
    area.value = text;
    copyStatus.replaceChildren(h("span", {}, t("copyFailed")), area);
    area.select();
  }
}

function formatJst(iso) {
  return t("foundAtJst", formatJapanTime(iso, flow.lang));
}

window.addEventListener("unhandledrejection", (event) => showUnexpected(event.reason));
main().catch(showUnexpected);
