// The cases page: every case kept on this device, one case with its captures, the 「連絡した」
// record per window, the export of one evidence pack, and complete deletion. Nothing on this
// page is sent anywhere; the pack is built here and saved as a download.

import { h } from "../lib/dom.js";
import {
  captureCount,
  capturesOf,
  deleteCapture,
  deleteCase,
  deleteEverything,
  findLock,
  getActiveCaseId,
  getCase,
  listCases,
  setActiveCaseId,
  updateCapture,
  updateCase,
} from "../lib/evidence-db.js";
import { loadMessages, localise } from "../lib/i18n.js";
import { getOptions, resolveLang } from "../lib/options.js";
import { buildPack } from "../lib/pack.js";
import { formatJapanTime, isoJst } from "../lib/target.js";

const app = document.getElementById("app");
const status = document.getElementById("status");
let t = (key) => key;
let lang = "ja";
// Object URLs of the images on screen, released when the screen changes.
let imageUrls = [];

async function main() {
  lang = resolveLang((await getOptions()).lang);
  t = await loadMessages(lang);
  document.documentElement.lang = lang;
  localise(document, t);
  const id = new URLSearchParams(location.search).get("case");
  await (id ? showCase(id) : showList());
}

function render(...nodes) {
  app.replaceChildren(...nodes.flat().filter(Boolean));
}

/** Called before a screen is built: the images of the one before are no longer needed. */
function releaseImages() {
  for (const url of imageUrls) {
    URL.revokeObjectURL(url);
  }
  imageUrls = [];
}

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

// ---- the list ----

async function showList() {
  releaseImages();
  const cases = await listCases();
  const active = await getActiveCaseId();
  const counts = await Promise.all(cases.map((kase) => captureCount(kase.id)));
  render(
    h("h2", {}, t("casesHeading")),
    h("p", { class: "note" }, t("casesKeptHere")),
    cases.length
      ? h("ul", { class: "cases", id: "case-list" },
          cases.map((kase, i) =>
            h("li", { "data-case-id": kase.id },
              h("a", { href: `?case=${encodeURIComponent(kase.id)}` }, kase.title || kase.url || t("untitledCase")),
              kase.id === active ? h("span", { class: "badge" }, t("activeCase")) : null,
              kase.locked ? h("span", { class: "badge" }, t("lockedCase")) : null,
              h("p", { class: "note" }, t("caseMeta", formatJapanTime(kase.created_at, lang), counts[i])),
            ),
          ),
        )
      : h("p", { id: "no-cases" }, t("noCases")),
    cases.length
      ? h("section", { class: "danger-zone" },
          confirmButton("delete-everything", t("deleteEverything"), t("deleteEverythingConfirm"), async () => {
            await deleteEverything();
            say(t("deletedEverything"));
            await showList();
          }),
        )
      : null,
  );
}

// ---- one case ----

async function showCase(id) {
  releaseImages();
  const kase = await getCase(id);
  if (!kase) {
    render(h("p", { id: "no-case" }, t("caseGone")), backLink());
    return;
  }
  const captures = await capturesOf(id);
  const active = await getActiveCaseId();
  // A case is locked itself, or its page was locked by a report made without it.
  const lock = await findLock(kase.url);
  const lockReason = kase.evidence?.reason || lock?.reason;
  render(
    backLink(),
    h("h2", { id: "case-title" }, kase.title || kase.url || t("untitledCase")),
    h("dl", { class: "sent" },
      row(t("fieldUrl"), kase.url),
      row(t("fieldSituation"), kase.situation),
      row(t("fieldCreated"), formatJapanTime(kase.created_at, lang)),
    ),
    kase.locked || lock
      ? h("p", { class: "warning", id: "case-locked" }, t("captureLockedText"), lockReason ? ` ${lockReason}` : null)
      : addCaptures(kase, active),
    h("section", { id: "captures" },
      h("h3", {}, t("capturesHeading", captures.length)),
      captures.length
        ? h("ol", { class: "captures" }, captures.map((capture, i) => captureItem(kase, capture, i)))
        : h("p", { id: "no-captures" }, t("noCaptures")),
    ),
    contacts(kase),
    h("section", { id: "export-section" },
      h("h3", {}, t("exportHeading")),
      h("p", { class: "note" }, t("exportText")),
      h("button", { type: "button", class: "primary", id: "export", onclick: () => exportCase(id) }, t("exportButton")),
    ),
    h("section", { class: "danger-zone" },
      h("h3", {}, t("deleteCaseHeading")),
      h("p", { class: "note" }, t("deleteCaseText")),
      confirmButton("delete-case", t("deleteCase"), t("deleteCaseConfirm"), async () => {
        await deleteCase(id);
        history.replaceState(null, "", location.pathname);
        say(t("caseDeleted"));
        await showList();
      }),
    ),
  );
}

function backLink() {
  return h("p", {}, h("a", { href: location.pathname, id: "back-to-list" }, t("backToList")));
}

function row(label, value) {
  return h("div", {}, h("dt", {}, label), h("dd", {}, value || t("noneValue")));
}

/** Where the next context-menu capture goes: make this case the active one. */
function addCaptures(kase, active) {
  if (kase.id === active) {
    return h("p", { class: "notice", id: "adding-captures" }, t("addingCaptures"));
  }
  return h("p", { class: "actions" },
    h("button", { type: "button", id: "add-captures", onclick: async () => {
      await setActiveCaseId(kase.id);
      await showCase(kase.id);
    } }, t("addCaptures")),
  );
}

function captureItem(kase, capture, i) {
  const url = URL.createObjectURL(capture.png);
  imageUrls.push(url);
  return h("li", { class: "capture", "data-capture-id": capture.id },
    h("h4", {}, t("captureName", i + 1, `capture-${i + 1}.png`)),
    h("a", { href: url, target: "_blank" }, h("img", { class: "thumb", src: url, alt: t("captureImageAlt") })),
    h("dl", { class: "sent" },
      row(t("fieldUrl"), capture.url),
      row(t("fieldTitle"), capture.title),
      row(t("fieldCapturedAt"), t("foundAtJst", formatJapanTime(capture.captured_at_jst, lang))),
      row("UTC", capture.captured_at_utc),
      h("div", {}, h("dt", {}, "SHA-256"), h("dd", { class: "hash" }, capture.sha256)),
      capture.selection ? row(t("fieldSelection"), capture.selection) : null,
    ),
    editable(capture, "account", t("fieldAccount")),
    editable(capture, "note", t("fieldNote")),
    confirmButton(`delete-capture-${i + 1}`, t("deleteCapture"), t("deleteCaptureConfirm"), async () => {
      await deleteCapture(capture.id);
      say(t("captureDeleted"));
      await showCase(kase.id);
    }),
  );
}

function editable(capture, name, label) {
  const id = `${name}-${capture.id}`;
  // autocomplete off also keeps the browser from saving the text with the tab for session restore.
  const input = h(name === "note" ? "textarea" : "input", {
    id,
    rows: name === "note" ? 2 : null,
    "data-field": name,
    autocomplete: "off",
  });
  input.value = capture[name] ?? "";
  input.addEventListener("change", async () => {
    await updateCapture(capture.id, { [name]: input.value.trim() });
    say(t("saved"));
  });
  return h("p", { class: "field" }, h("label", { for: id }, label), input);
}

/** Per window of the case: 「連絡した」 with the date and the 参照番号 (the window's case number). */
function contacts(kase) {
  return h("section", { id: "contacts" },
    h("h3", {}, t("contactsHeading")),
    kase.destinations.length
      ? h("ul", { class: "contacts" }, kase.destinations.map((destination) => contactRow(kase, destination)))
      : h("p", { class: "note" }, t("noDestinations")),
  );
}

function contactRow(kase, destination) {
  const contact = kase.contacts.find((entry) => entry.destination === destination.id);
  const box = h("input", { type: "checkbox", id: `contacted-${destination.id}`, checked: Boolean(contact) });
  const date = h("input", { type: "date", id: `contacted-at-${destination.id}`, disabled: !contact });
  date.value = contact?.contacted_at ?? "";
  const reference = h("input", { type: "text", id: `reference-${destination.id}`, disabled: !contact, autocomplete: "off" });
  reference.value = contact?.reference ?? "";

  async function save() {
    if (box.checked && !date.value) {
      date.value = isoJst(new Date()).slice(0, 10); // today in Japan
    }
    date.disabled = reference.disabled = !box.checked;
    // Read the row and the stored contacts inside the database's queue, when this save's turn
    // comes: the latest values win, and quick edits of several windows cannot undo each other.
    await updateCase(kase.id, (current) => {
      const byDestination = new Map(current.contacts.map((contact) => [contact.destination, contact]));
      if (box.checked) {
        byDestination.set(destination.id, {
          destination: destination.id,
          contacted_at: date.value,
          reference: reference.value.trim(),
        });
      } else {
        byDestination.delete(destination.id);
      }
      return { contacts: current.destinations.map(({ id }) => byDestination.get(id)).filter(Boolean) };
    });
  }
  for (const input of [box, date, reference]) {
    input.addEventListener("change", () => {
      // Saves still running are counted on the status line, so nobody (a test included) takes
      // "saved" for done while a later edit is still being written.
      status.dataset.pending = String(Number(status.dataset.pending ?? 0) + 1);
      save()
        .then(() => say(t("saved")))
        .catch((error) => {
          console.error(error);
          say(t("unexpectedError"), true);
        })
        .finally(() => {
          status.dataset.pending = String(Number(status.dataset.pending) - 1);
        });
    });
  }
  return h("li", { "data-destination-id": destination.id },
    h("p", {}, h("label", { class: "check" }, box, " ", t("contacted"), " — ", destination.name)),
    h("p", { class: "contact-fields" },
      h("label", { for: date.id }, t("contactedAt")), date,
      h("label", { for: reference.id }, t("reference")), reference,
    ),
  );
}

async function exportCase(id) {
  say(t("exporting"));
  try {
    const { bytes, name } = await buildPack(await getCase(id), await capturesOf(id), { t, lang });
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/zip" }));
    const link = h("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    say(t("exported", name, Math.ceil(bytes.length / 1024)));
  } catch (error) {
    console.error(error);
    say(t("exportFailed", String(error.message ?? error)), true);
  }
}

/** A button that asks once more before doing something that cannot be undone. */
function confirmButton(id, label, question, action) {
  const holder = h("div", { class: "confirm-holder" });
  const first = h("button", { type: "button", class: "danger-outline", id, onclick: () => {
    holder.replaceChildren(
      h("p", { class: "warning" }, question),
      h("p", { class: "actions" },
        h("button", { type: "button", class: "danger", id: `${id}-confirm`, onclick: action }, t("deleteYes")),
        h("button", { type: "button", id: `${id}-cancel`, onclick: () => holder.replaceChildren(first) }, t("deleteNo")),
      ),
    );
  } }, label);
  holder.append(first);
  return holder;
}

main().catch((error) => {
  console.error(error);
  say(t("unexpectedError"), true);
});
