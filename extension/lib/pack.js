// One evidence pack per case: a ZIP (built with the vendored fflate) holding capture-1.png, …,
// report.html (the printable 相談メモ) and evidence.json, which records every other file with its
// SHA-256 so that `python -m server.evidence PACK` and the service's /verify page can tell whether
// anything was changed. Built on the device; nothing is sent.

import { memoHtml } from "./memo.js";
import { sha256Hex } from "./capture.js";
import { isoJst } from "./target.js";
import { strToU8, zipSync } from "./vendor/fflate.js";

export const FORMAT = "tsuho-navi-evidence/1";

/** The capture fields that go into evidence.json, in this order. */
const CAPTURE_FIELDS = [
  "sha256",
  "url",
  "title",
  "captured_at_utc",
  "captured_at_jst",
  "selection",
  "account",
  "note",
  "browser",
  "extension_version",
];

/**
 * The pack of a case and its captures (oldest first): { bytes, name }. t and lang are those of
 * the language report.html is written in. Refuses to export a capture whose image no longer
 * matches the hash recorded when it was taken.
 */
export async function buildPack(kase, captures, { t, lang, now = new Date() }) {
  const files = new Map();
  const records = [];
  for (const [index, capture] of captures.entries()) {
    const file = `capture-${index + 1}.png`;
    const bytes = new Uint8Array(await capture.png.arrayBuffer());
    if ((await sha256Hex(bytes)) !== capture.sha256) {
      throw new Error(`${file}: the stored image does not match its recorded SHA-256`);
    }
    files.set(file, bytes);
    records.push({ file, ...Object.fromEntries(CAPTURE_FIELDS.map((name) => [name, capture[name] ?? ""])) });
  }
  const version = chrome.runtime.getManifest().version;
  files.set("report.html", strToU8(memoHtml({ kase, captures: records, t, lang, createdAt: now, version })));

  const manifest = {
    format: FORMAT,
    created_at: isoJst(now),
    case: {
      id: kase.id,
      title: kase.title,
      situation: kase.situation,
      answers: kase.answers,
      destinations: kase.destinations.map(({ id, name }) => ({ id, name })),
      checklist_text_ja: kase.checklist_text_ja,
      contacts: kase.contacts.map(({ destination, contacted_at, reference }) => ({
        destination,
        contacted_at,
        reference,
      })),
    },
    captures: records,
    files: [],
  };
  for (const [name, bytes] of files) {
    manifest.files.push({ name, sha256: await sha256Hex(bytes) });
  }

  const entries = {};
  for (const [name, bytes] of files) {
    // PNG is compressed already: stored as it is.
    entries[name] = [bytes, { level: name.endsWith(".png") ? 0 : 6 }];
  }
  entries["evidence.json"] = strToU8(JSON.stringify(manifest, null, 2));
  return { bytes: zipSync(entries, { mtime: now }), name: packName(now) };
}

/** tsuho-navi-evidence-20260601-2104.zip (Japan time). */
function packName(now) {
  const stamp = isoJst(now).slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return `tsuho-navi-evidence-${stamp}.zip`;
}
