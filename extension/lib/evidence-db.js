// The evidence kept on this device, in IndexedDB: cases, their captures (PNG images with their
// records) and capture locks. Nothing here is ever sent anywhere. The report page and the cases
// page use it; each call opens the database and closes it again.
//
// What is stored is ciphertext (./vault.js): only ids stay in clear, everything about a page is
// sealed with the case's own key, so that deleting the key makes whatever the database leaves
// behind on disk unreadable.
//
//   cases    { id, sealed }             sealed: { created_at, updated_at, title, url, situation,
//            answers, destinations: [{id, name}], checklist_text_ja, contacts: [{destination,
//            contacted_at, reference}], evidence, locked }
//   captures { id, caseId, sealed, png } sealed: { sha256, url, title, captured_at_utc,
//            captured_at_jst, selection, account, note, browser, extension_version };
//            png: the image, { iv, data: Blob of ciphertext }
//   locks    { id, caseId, reason, locked_at }: pages that must never be captured (child sexual
//            abuse material); id is an HMAC of the page address (./vault.js), never the address
//
// The functions take and return plain records ({ id, caseId, png: Blob, url, … } for a capture).

import {
  createCaseKey,
  deleteAllKeys,
  deleteCaseKey,
  KeyGone,
  lockId,
  openBytes,
  seal,
  sealBytes,
  unseal,
} from "./vault.js";

const DB_NAME = "tsuho-navi-evidence";
// 2: sealed records. Version 1 stored them in clear; before the first release, so not migrated.
const DB_VERSION = 2;
// Which case the next capture from the context menu joins; per browser session only.
const ACTIVE_CASE_KEY = "activeCaseId";

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of [...db.objectStoreNames]) {
        db.deleteObjectStore(name);
      }
      db.createObjectStore("cases", { keyPath: "id" });
      db.createObjectStore("captures", { keyPath: "id" }).createIndex("caseId", "caseId");
      db.createObjectStore("locks", { keyPath: "id" }).createIndex("caseId", "caseId");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The result of one IndexedDB request, as a promise. */
function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs work(stores) in one transaction over the named stores and resolves with what work
 * returned, once the transaction has committed (so a write is on disk when the promise settles).
 * work may wait only for IndexedDB requests: the transaction ends at any other wait, so
 * encrypting and decrypting happen before or after it.
 */
async function transaction(names, mode, work) {
  const db = await openDb();
  try {
    const tx = db.transaction(names, mode);
    const committed = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
    });
    committed.catch(() => {}); // reported below, by the await or by work's own error
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    let value;
    try {
      value = await work(stores);
    } catch (error) {
      tx.abort();
      throw error;
    }
    await committed;
    return value;
  } finally {
    db.close();
  }
}

// Changes that read, decrypt, change and write back run one after another on a page, so that
// two quick edits (a date, then a reference number) cannot overwrite each other.
let queue = Promise.resolve();

function serial(work) {
  const run = queue.then(work);
  queue = run.catch(() => {});
  return run;
}

/** Reads one store: all records, or those of one case. */
function readAll(store, caseId) {
  return transaction([store], "readonly", (stores) =>
    result(caseId ? stores[store].index("caseId").getAll(caseId) : stores[store].getAll()),
  );
}

// ---- sealing records ----

async function sealCase(record) {
  const { id, ...fields } = record;
  return { id, sealed: await seal(id, fields) };
}

/** The fields sealed under the case's key, with the ids added; null when the key is gone. */
async function openSealed(caseId, sealed, ids) {
  try {
    return { ...(await unseal(caseId, sealed)), ...ids };
  } catch (error) {
    if (error instanceof KeyGone) {
      return null;
    }
    throw error;
  }
}

/** The case as stored, opened; null when its key is gone (deleted, only ciphertext left). */
function openCase(stored) {
  return openSealed(stored.id, stored.sealed, { id: stored.id });
}

/** Seals the fields of a capture's record: all but its ids and its image. */
function sealCaptureRecord({ id, caseId, png, ...fields }) {
  return seal(caseId, fields);
}

async function sealCapture(record) {
  const image = await sealBytes(record.caseId, new Uint8Array(await record.png.arrayBuffer()));
  return {
    id: record.id,
    caseId: record.caseId,
    sealed: await sealCaptureRecord(record),
    png: { iv: image.iv, data: new Blob([image.data]) },
  };
}

/** The capture's record without its image (enough to find and sort it); null when its key is gone. */
function openCaptureRecord(stored) {
  return openSealed(stored.caseId, stored.sealed, { id: stored.id, caseId: stored.caseId });
}

async function openCapture(stored) {
  const record = await openCaptureRecord(stored);
  if (!record) {
    return null;
  }
  const png = new Blob([await openBytes(stored.caseId, stored.png)], { type: "image/png" });
  return { ...record, png };
}

function present(records) {
  return records.filter(Boolean);
}

// ---- cases ----

/** A new, empty case about a page. Not stored until saveCase(). */
export function newCase({ url = null, title = "" } = {}) {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    created_at: now,
    updated_at: now,
    title: title || url || "",
    url,
    situation: "",
    answers: {},
    destinations: [],
    checklist_text_ja: "",
    contacts: [],
    evidence: null,
    locked: false,
  };
}

/** Stores a case (a new one gets its key here) and returns what was stored. */
export async function saveCase(record) {
  const stored = { ...record, updated_at: new Date().toISOString() };
  await createCaseKey(stored.id);
  const sealed = await sealCase(stored);
  await transaction(["cases"], "readwrite", ({ cases }) => result(cases.put(sealed)));
  return stored;
}

export async function getCase(id) {
  if (!id) {
    return null;
  }
  const stored = await transaction(["cases"], "readonly", ({ cases }) => result(cases.get(id)));
  return stored ? openCase(stored) : null;
}

/** Every case, the most recently changed first. */
export async function listCases() {
  const all = present(await Promise.all((await readAll("cases")).map(openCase)));
  return all.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
}

/** Changes some fields of a case; returns the stored case, or null when it is gone. */
export function updateCase(id, changes) {
  return serial(async () => {
    const record = await getCase(id);
    if (!record) {
      return null;
    }
    // A function computes the changes from the stored case, inside the queue: edits built on
    // what the case held (its contacts) cannot undo each other.
    const patch = typeof changes === "function" ? changes(record) : changes;
    const updated = { ...record, ...patch, id, updated_at: new Date().toISOString() };
    const sealed = await sealCase(updated);
    await transaction(["cases"], "readwrite", ({ cases }) => result(cases.put(sealed)));
    return updated;
  });
}

/**
 * Deletes a case with everything that belongs to it: its key first (what the database leaves
 * on disk is unreadable from then on), then its captures, locks and the active-case mark.
 */
export async function deleteCase(id) {
  await deleteCaseKey(id);
  await transaction(["cases", "captures", "locks"], "readwrite", async ({ cases, captures, locks }) => {
    for (const key of await result(captures.index("caseId").getAllKeys(id))) {
      captures.delete(key);
    }
    for (const key of await result(locks.index("caseId").getAllKeys(id))) {
      locks.delete(key);
    }
    cases.delete(id);
  });
  if ((await getActiveCaseId()) === id) {
    await chrome.storage.session.remove(ACTIVE_CASE_KEY);
  }
}

/** Deletes every key, then every case, capture and lock: the whole database. */
export async function deleteEverything() {
  await deleteAllKeys();
  await result(indexedDB.deleteDatabase(DB_NAME));
  await chrome.storage.session.remove(ACTIVE_CASE_KEY);
}

// ---- the active case ----

export async function getActiveCaseId() {
  return (await chrome.storage.session.get(ACTIVE_CASE_KEY))[ACTIVE_CASE_KEY] ?? null;
}

export function setActiveCaseId(id) {
  return chrome.storage.session.set({ [ACTIVE_CASE_KEY]: id });
}

// ---- captures ----

/** Stores a capture ({ id, caseId, png: Blob, … }) in its case, which must exist. */
export function addCapture(record) {
  return serial(async () => {
    const owner = await getCase(record.caseId);
    if (!owner) {
      throw new Error("no such case");
    }
    const sealedCapture = await sealCapture(record);
    const sealedOwner = await sealCase({ ...owner, updated_at: new Date().toISOString() });
    await transaction(["cases", "captures"], "readwrite", ({ cases, captures }) => {
      captures.put(sealedCapture);
      return result(cases.put(sealedOwner));
    });
    return record;
  });
}

/** The captures of a case, oldest first: the order of capture-1.png, capture-2.png, … */
export async function capturesOf(caseId) {
  const all = present(await Promise.all((await readAll("captures", caseId)).map(openCapture)));
  return all.sort((a, b) => a.captured_at_utc.localeCompare(b.captured_at_utc));
}

/** How many captures a case has (without opening them). */
export function captureCount(caseId) {
  return transaction(["captures"], "readonly", ({ captures }) => result(captures.index("caseId").count(caseId)));
}

/** Changes the note or account of a capture (the image and its record never change). */
export function updateCapture(id, { note, account }) {
  return serial(async () => {
    const stored = await transaction(["captures"], "readonly", ({ captures }) => result(captures.get(id)));
    const record = stored && (await openCaptureRecord(stored));
    if (!record) {
      return null;
    }
    const updated = { ...record, ...(note != null && { note }), ...(account != null && { account }) };
    const sealed = { ...stored, sealed: await sealCaptureRecord(updated) };
    await transaction(["captures"], "readwrite", ({ captures }) => result(captures.put(sealed)));
    return updated;
  });
}

export function deleteCapture(id) {
  return transaction(["captures"], "readwrite", ({ captures }) => result(captures.delete(id)));
}

// ---- locks ----

/** A page address without its #fragment: the same page whatever part of it is in view. */
export function pageKey(url) {
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    return parsed.href;
  } catch {
    return String(url ?? "");
  }
}

/** The lock on this page, { reason, locked_at, caseId }, or null. */
export async function findLock(url) {
  if (!url) {
    return null;
  }
  const id = await lockId(pageKey(url));
  return (await transaction(["locks"], "readonly", ({ locks }) => result(locks.get(id)))) ?? null;
}

/**
 * Locks capture for these pages, whichever way a capture would come, and deletes at once every
 * capture of them: the captures of the given case (the flow's, if any), of every case about one
 * of these pages, and every capture taken of one of these pages in any other case. Those cases
 * stay, locked, with their URL and times (what may be reported). Returns how many captures were
 * deleted.
 */
export function lockPages({ caseId = null, urls, reason }) {
  return serial(async () => {
    const keys = new Set(urls.filter(Boolean).map(pageKey));
    const lockedAt = new Date().toISOString();
    // One after another: the first lockId creates the lock key, and two at once would create two.
    const lockIds = [];
    for (const key of keys) {
      lockIds.push(await lockId(key));
    }

    const cases = (await listCases()).filter((kase) => kase.id === caseId || keys.has(pageKey(kase.url)));
    const caseIds = new Set(cases.map((kase) => kase.id));
    const sealedCases = await Promise.all(
      cases.map((kase) => sealCase({ ...kase, locked: true, updated_at: lockedAt })),
    );
    const captures = present(await Promise.all((await readAll("captures")).map(openCaptureRecord)));
    const doomed = captures.filter((capture) => caseIds.has(capture.caseId) || keys.has(pageKey(capture.url)));

    await transaction(["cases", "captures", "locks"], "readwrite", (stores) => {
      for (const id of lockIds) {
        // A lock without a case (nothing was saved in this flow) has no caseId: no case deletes it.
        stores.locks.put({ id, caseId, reason, locked_at: lockedAt });
      }
      for (const capture of doomed) {
        stores.captures.delete(capture.id);
      }
      for (const sealed of sealedCases) {
        stores.cases.put(sealed);
      }
    });
    return doomed.length;
  });
}
