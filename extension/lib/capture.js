// Capturing a page as evidence: the visible part of a tab as PNG, with a record of what it is
// (URL, title, time in UTC and Japan time, SHA-256 of the PNG, browser, extension version),
// stored on this device only. The browser allows the capture only under activeTab: after the
// person used the toolbar button or the context menu on that tab.

import { addCapture, findLock, getCase } from "./evidence-db.js";
import { isoJst, isoUtc } from "./target.js";
import { hex } from "./vault.js";

/** Capture is not allowed; key is the message to show, reason the service's words (if any). */
export class CaptureRefused extends Error {
  constructor(key, reason = "") {
    super(key);
    this.name = "CaptureRefused";
    this.key = key;
    this.reason = reason;
  }
}

/**
 * Captures the tab into the case and returns the stored record. Refuses a locked page or case
 * (child sexual abuse material), a tab that is not the one shown in its window, and a tab the
 * extension has no activeTab grant for.
 */
export async function captureTab({ tabId, caseId, selection = "", account = "", note = "" }) {
  const owner = await getCase(caseId);
  if (!owner) {
    throw new CaptureRefused("captureNoCase");
  }
  if (owner.locked) {
    throw new CaptureRefused("captureLocked", owner.evidence?.reason ?? "");
  }
  let tab;
  try {
    tab = await chrome.tabs.get(tabId);
  } catch {
    throw new CaptureRefused("captureTabGone");
  }
  // The page shown now, or the page the case is about: either may have been locked since.
  const lock = (await findLock(tab.url)) ?? (await findLock(owner.url));
  if (lock) {
    throw new CaptureRefused("captureLocked", lock.reason);
  }
  if (!tab.active) {
    throw new CaptureRefused("captureNotShown");
  }
  let dataUrl;
  try {
    // PNG, not the default JPEG: lossless, so the image is exactly what was on the screen.
    dataUrl = await chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" });
  } catch (error) {
    console.warn("captureVisibleTab:", error);
    throw new CaptureRefused("captureNoAccess");
  }
  const bytes = dataUrlBytes(dataUrl);
  const at = new Date();
  const record = {
    id: crypto.randomUUID(),
    caseId,
    png: new Blob([bytes], { type: "image/png" }),
    sha256: await sha256Hex(bytes),
    url: tab.url ?? "",
    title: tab.title ?? "",
    captured_at_utc: isoUtc(at),
    captured_at_jst: isoJst(at),
    selection: String(selection ?? ""),
    account: String(account ?? ""),
    note: String(note ?? ""),
    browser: navigator.userAgent,
    extension_version: chrome.runtime.getManifest().version,
  };
  return addCapture(record);
}

/** SHA-256 of the bytes, as lower-case hex. */
export async function sha256Hex(bytes) {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

function dataUrlBytes(dataUrl) {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(",") + 1));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** A selected "@name" is the poster's account: it fills the account field (the person can edit it). */
export function accountFromSelection(selection) {
  const text = String(selection ?? "").trim();
  return /^@[\w.-]{1,50}$/.test(text) ? text : "";
}
