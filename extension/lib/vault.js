// The keys that make deleting evidence real. Every case's records and images are stored in
// IndexedDB only as AES-GCM ciphertext under a key of that case; deleting the case deletes its key
// first. IndexedDB (LevelDB) keeps deleted values in its files until it compacts them, so leftover
// ciphertext may stay on disk for a while, but without the key it cannot be read.
//
// The keys are not kept in IndexedDB, which would leave them behind in the same way: each key is
// a small file of its own in the extension's origin private file system (OPFS), and deleting a
// key deletes that file. One more key, `locks`, makes the capture locks unreadable too: a lock is
// stored as an HMAC of the page address, never the address.

const VAULT_DIR = "vault";
const LOCK_KEY = "locks";
const KEY_BYTES = 32;

async function vaultDir() {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(VAULT_DIR, { create: true });
}

/** What work() resolves with, or null when the file or folder it looks for is not there. */
async function unlessNotFound(work) {
  try {
    return await work();
  } catch (error) {
    if (error.name === "NotFoundError") {
      return null;
    }
    throw error;
  }
}

/** The raw bytes of a key file, or null when there is none. */
function readKeyFile(name) {
  return unlessNotFound(async () => {
    const file = await (await (await vaultDir()).getFileHandle(name)).getFile();
    return new Uint8Array(await file.arrayBuffer());
  });
}

/** The key file named name, created with fresh random bytes when create is true and there is none. */
async function keyBytes(name, create) {
  const existing = await readKeyFile(name);
  if (existing || !create) {
    return existing;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const writable = await (await (await vaultDir()).getFileHandle(name, { create: true })).createWritable();
  await writable.write(bytes);
  await writable.close();
  return bytes;
}

/** Thrown when a record's key is gone: the record was deleted and only ciphertext is left. */
export class KeyGone extends Error {
  constructor(name) {
    super(`no key for ${name}`);
    this.name = "KeyGone";
  }
}

/** The AES-GCM key of a case (created with the case); non-extractable once loaded. */
async function caseKey(caseId, create = false) {
  const bytes = await keyBytes(caseId, create);
  if (!bytes) {
    throw new KeyGone(caseId);
  }
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Creates the key of a new case (does nothing when it exists). */
export async function createCaseKey(caseId) {
  await keyBytes(caseId, true);
}

/** Deletes the key of a case: from then on its stored ciphertext cannot be read. */
export async function deleteCaseKey(caseId) {
  await unlessNotFound(async () => (await vaultDir()).removeEntry(caseId));
}

/** Deletes every key, the lock key included. */
export async function deleteAllKeys() {
  const root = await navigator.storage.getDirectory();
  await unlessNotFound(() => root.removeEntry(VAULT_DIR, { recursive: true }));
}

/** Encrypts bytes under the case's key: { iv, data } with data an ArrayBuffer. */
export async function sealBytes(caseId, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await caseKey(caseId), bytes);
  return { iv, data };
}

/** The bytes sealed by sealBytes (throws KeyGone when the case's key was deleted). */
export async function openBytes(caseId, { iv, data }) {
  const source = data instanceof Blob ? await data.arrayBuffer() : data;
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await caseKey(caseId), source));
}

/** Encrypts a JSON value under the case's key. */
export function seal(caseId, value) {
  return sealBytes(caseId, new TextEncoder().encode(JSON.stringify(value)));
}

/** The JSON value sealed by seal. */
export async function unseal(caseId, sealed) {
  return JSON.parse(new TextDecoder().decode(await openBytes(caseId, sealed)));
}

/** The id a lock on this page address is stored under: HMAC-SHA-256 with the lock key, in hex. */
export async function lockId(key) {
  const raw = await keyBytes(LOCK_KEY, true);
  const hmacKey = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(key));
  return hex(mac);
}

/** Bytes (an ArrayBuffer or a Uint8Array) as lower-case hex. */
export function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
