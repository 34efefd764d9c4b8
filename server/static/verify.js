// Check an evidence pack inside the browser, as `python -m server.evidence` does: read the ZIP's
// directory, refuse anything that could spoof the check or overload the browser before inflating,
// then hash one file at a time and compare it with evidence.json. The file is read from the disk in
// slices and never uploaded.
import { Inflate, strFromU8 } from "./vendor/fflate.js";

const FORMAT = "tsuho-navi-evidence/1";
const MANIFEST = "evidence.json";
// The same limits as LIMITS in server/evidence.py, which says why these (a test keeps them equal).
export const LIMITS = Object.freeze({
  entries: 256,
  entryBytes: 64 * 2 ** 20,
  totalBytes: 2 ** 30,
  ratio: 100,
  ratioFloor: 2 ** 20,
});
// Compressed bytes inflated at a time: one step can produce at most ~16 MiB before it is counted.
const INFLATE_STEP = 16 * 1024;
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

const form = document.getElementById("verify");
const verdict = document.getElementById("verdict");
const problems = document.getElementById("problems");
form.hidden = false;

/** Why a pack was not checked: a problem code of server/evidence.py and the entry it is about. */
class Refused extends Error {
  constructor(problem, entry) {
    super(problem);
    this.problem = problem;
    this.entry = entry;
  }
}

async function bytesAt(file, start, length) {
  if (start + length > file.size) throw new Refused("unreadable");
  return new Uint8Array(await file.slice(start, start + length).arrayBuffer());
}

function view(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function nameOf(bytes, flags) {
  // Bit 11: the name is UTF-8; otherwise a legacy code page, read byte for byte.
  return flags & 0x800 ? new TextDecoder("utf-8", { fatal: true }).decode(bytes) : strFromU8(bytes, true);
}

/** The ZIP's central directory: each entry's name, flags, method, sizes and local header. */
async function directory(file) {
  const tail = await bytesAt(file, Math.max(0, file.size - 22 - 0xffff), Math.min(file.size, 22 + 0xffff));
  const end = view(tail);
  let at = tail.length - 22;
  while (at >= 0 && end.getUint32(at, true) !== END_OF_DIRECTORY) at--;
  if (at < 0) throw new Refused("unreadable");
  const bytes = await bytesAt(file, end.getUint32(at + 16, true), end.getUint32(at + 12, true));
  const records = view(bytes);
  const entries = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 46 > bytes.length || records.getUint32(at, true) !== DIRECTORY_ENTRY) throw new Refused("unreadable");
    if (entries.length === LIMITS.entries) throw new Refused("entries");
    const flags = records.getUint16(at + 8, true);
    const nameLength = records.getUint16(at + 28, true);
    entries.push({
      name: nameOf(bytes.subarray(at + 46, at + 46 + nameLength), flags),
      flags,
      method: records.getUint16(at + 10, true),
      compressedSize: records.getUint32(at + 20, true),
      size: records.getUint32(at + 24, true),
      header: records.getUint32(at + 42, true),
    });
    at += 46 + nameLength + records.getUint16(at + 30, true) + records.getUint16(at + 32, true);
  }
  return entries;
}

/** Refuse a directory that could spoof the check or overload the browser, before inflating. */
function refuseHostile(entries) {
  const seen = new Set();
  let total = 0;
  for (const { name, flags, method, compressedSize, size } of entries) {
    if (seen.has(name)) throw new Refused("duplicate", name);
    seen.add(name);
    if (flags & 1) throw new Refused("encrypted", name);
    if (method !== 0 && method !== 8) throw new Refused("compression", name);
    if (size > LIMITS.entryBytes) throw new Refused("size", name);
    if (size > LIMITS.ratioFloor && size > LIMITS.ratio * compressedSize) throw new Refused("ratio", name);
    total += size;
  }
  if (total > LIMITS.totalBytes) throw new Refused("total");
}

/** Inflate into the declared size, stopping as soon as the data outgrows it. */
function inflated(data, size, name) {
  const out = new Uint8Array(size);
  let length = 0;
  const stream = new Inflate((chunk) => {
    if (length + chunk.length > size) throw new Refused("unreadable", name);
    out.set(chunk, length);
    length += chunk.length;
  });
  for (let at = 0; at < data.length; at += INFLATE_STEP) {
    stream.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.length);
  }
  return length === size ? out : null;
}

/** One entry's content, checked against its local header and its declared size. */
async function contents(file, entry) {
  try {
    const header = view(await bytesAt(file, entry.header, 30));
    const nameLength = header.getUint16(26, true);
    const start = entry.header + 30 + nameLength + header.getUint16(28, true);
    const localName = nameOf(await bytesAt(file, entry.header + 30, nameLength), entry.flags);
    if (header.getUint32(0, true) !== LOCAL_HEADER || localName !== entry.name) throw new Error("header");
    const data = await bytesAt(file, start, entry.compressedSize);
    const bytes = entry.method === 0 ? data : inflated(data, entry.size, entry.name);
    if (bytes?.length !== entry.size) throw new Error("size");
    return bytes;
  } catch (error) {
    throw error instanceof Refused ? error : new Refused("unreadable", entry.name);
  }
}

/** evidence.json's files as name → SHA-256; anything of another shape is not a pack. */
function listedFiles(bytes) {
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new Refused("notpack");
  }
  const files = manifest?.format === FORMAT ? manifest.files : null;
  if (!Array.isArray(files)) throw new Refused("notpack");
  const listed = new Map();
  for (const file of files) {
    if (typeof file?.name !== "string" || typeof file.sha256 !== "string" || listed.has(file.name)) {
      throw new Refused("notpack");
    }
    listed.set(file.name, file.sha256);
  }
  return listed;
}

async function sha256(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The altered, missing and unlisted files of a pack (a File or Blob), or a Refused. */
export async function check(file) {
  const entries = await directory(file);
  refuseHostile(entries);
  const found = new Map(entries.map((entry) => [entry.name, entry]));
  if (!found.has(MANIFEST)) throw new Refused("notpack");
  const listed = listedFiles(await contents(file, found.get(MANIFEST)));
  const problems = [];
  for (const [name, digest] of listed) {
    if (!found.has(name)) problems.push([name, "missing"]);
    else if ((await sha256(await contents(file, found.get(name)))) !== digest) problems.push([name, "altered"]);
  }
  for (const name of found.keys()) {
    if (name !== MANIFEST && !listed.has(name)) problems.push([name, "unlisted"]);
  }
  return problems;
}

// Escapes as Python's repr writes them, so that a name reads the same here and in the terminal.
const SHORT_ESCAPES = { " ": " ", "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A name from a pack as text that shows every character: control and format ones escaped. */
export function shown(name) {
  return name.replace(/[\p{C}\p{Z}\\]/gu, (character) => {
    if (character in SHORT_ESCAPES) return SHORT_ESCAPES[character];
    const code = character.codePointAt(0);
    const [prefix, digits] = code < 0x100 ? ["x", 2] : code < 0x10000 ? ["u", 4] : ["U", 8];
    return `\\${prefix}${code.toString(16).padStart(digits, "0")}`;
  });
}

/** Show the verdict: its state, its sentence, and a line per file (or per reason) found. */
function show(state, message, lines = []) {
  verdict.textContent = message;
  verdict.dataset.state = state;
  problems.replaceChildren(
    ...lines.map(([name, kind]) => {
      const item = document.createElement("li");
      item.textContent = name === undefined ? form.dataset[kind] : `${shown(name)}: ${form.dataset[kind]}`;
      if (name !== undefined) item.dataset.file = name;
      item.dataset.kind = kind;
      return item;
    }),
  );
}

document.getElementById("pack").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const found = await check(file);
    show(found.length ? "bad" : "ok", found.length ? form.dataset.bad : form.dataset.ok, found);
  } catch (error) {
    const refused = error instanceof Refused ? error : new Refused("unreadable");
    show("error", form.dataset.refused, [[refused.entry, refused.problem]]);
  }
});
