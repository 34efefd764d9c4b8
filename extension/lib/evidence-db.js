// The evidence kept on this device, in IndexedDB: cases, their captures (PNG blobs with their
// records) and capture locks. Nothing here is ever sent anywhere. The report page, the cases page
// and the service worker all use it; each call opens the database and closes it again, so that no
// state lives in the service worker between events.
//
//   cases    { id, created_at, updated_at, title, url, situation, answers, destinations: [{id, name}],
//              checklist_text_ja, contacts: [{destination, contacted_at, reference}], evidence, locked }
//   captures { id, caseId, png: Blob, sha256, url, title, captured_at_utc, captured_at_jst, selection,
//              account, note, browser, extension_version }
//   locks    { url, caseId, reason, locked_at }: pages that must never be captured (child sexual
//              abuse material: URL and time only)

const DB_NAME = "tsuho-navi-evidence";
const DB_VERSION = 1;
// Which case the next capture from the context menu joins; per browser session only.
const ACTIVE_CASE_KEY = "activeCaseId";

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("cases", { keyPath: "id" });
      db.createObjectStore("captures", { keyPath: "id" }).createIndex("caseId", "caseId");
      db.createObjectStore("locks", { keyPath: "url" }).createIndex("caseId", "caseId");
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

export function saveCase(record) {
  const stored = { ...record, updated_at: new Date().toISOString() };
  return transaction(["cases"], "readwrite", ({ cases }) => result(cases.put(stored))).then(() => stored);
}

export async function getCase(id) {
  if (!id) {
    return null;
  }
  return (await transaction(["cases"], "readonly", ({ cases }) => result(cases.get(id)))) ?? null;
}

/** Every case, the most recently changed first. */
export async function listCases() {
  const all = await transaction(["cases"], "readonly", ({ cases }) => result(cases.getAll()));
  return all.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
}

/** Changes some fields of a case; returns the stored case, or null when it is gone. */
export function updateCase(id, changes) {
  return transaction(["cases"], "readwrite", async ({ cases }) => {
    const record = await result(cases.get(id));
    if (!record) {
      return null;
    }
    const updated = { ...record, ...changes, id, updated_at: new Date().toISOString() };
    await result(cases.put(updated));
    return updated;
  });
}

/** Deletes a case with everything that belongs to it: captures, locks and the active-case mark. */
export async function deleteCase(id) {
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

/** Deletes every case, capture and lock: the whole database. */
export async function deleteEverything() {
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

export function addCapture(record) {
  return transaction(["cases", "captures"], "readwrite", async ({ cases, captures }) => {
    const owner = await result(cases.get(record.caseId));
    if (!owner) {
      throw new Error("no such case");
    }
    await result(captures.put(record));
    await result(cases.put({ ...owner, updated_at: new Date().toISOString() }));
    return record;
  });
}

/** The captures of a case, oldest first: the order of capture-1.png, capture-2.png, … */
export async function capturesOf(caseId) {
  const all = await transaction(["captures"], "readonly", ({ captures }) =>
    result(captures.index("caseId").getAll(caseId)),
  );
  return all.sort((a, b) => a.captured_at_utc.localeCompare(b.captured_at_utc));
}

/** Changes the note or account of a capture (the image and its record never change). */
export function updateCapture(id, { note, account }) {
  return transaction(["captures"], "readwrite", async ({ captures }) => {
    const record = await result(captures.get(id));
    if (!record) {
      return null;
    }
    const updated = { ...record, ...(note != null && { note }), ...(account != null && { account }) };
    await result(captures.put(updated));
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

export async function findLock(url) {
  if (!url) {
    return null;
  }
  return (await transaction(["locks"], "readonly", ({ locks }) => result(locks.get(pageKey(url))))) ?? null;
}

/**
 * Locks capture for these pages and for the case, and deletes at once everything captured for
 * the case. Returns how many captures were deleted.
 */
export function lockCase({ caseId, urls, reason }) {
  const lockedAt = new Date().toISOString();
  return transaction(["cases", "captures", "locks"], "readwrite", async ({ cases, captures, locks }) => {
    for (const url of new Set(urls.filter(Boolean).map(pageKey))) {
      // A lock without a case (nothing was saved yet) has no caseId, so no case deletes it.
      locks.put({ url, caseId: caseId ?? null, reason, locked_at: lockedAt });
    }
    if (!caseId) {
      return 0;
    }
    const keys = await result(captures.index("caseId").getAllKeys(caseId));
    for (const key of keys) {
      captures.delete(key);
    }
    const record = await result(cases.get(caseId));
    if (record) {
      cases.put({ ...record, locked: true, updated_at: lockedAt });
    }
    return keys.length;
  });
}
