// Verify an evidence pack locally: unzip, hash every file, compare with evidence.json. Nothing is uploaded.
import { strFromU8, unzipSync } from "./vendor/fflate.js";

const FORMAT = "tsuho-navi-evidence/1";
const form = document.getElementById("verify");
const verdict = document.getElementById("verdict");
const problems = document.getElementById("problems");
form.hidden = false;

async function sha256(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The same checks as `python -m server.evidence`: altered, missing and unlisted files.
export async function check(zipBytes) {
  const files = unzipSync(zipBytes);
  const manifest = JSON.parse(strFromU8(files["evidence.json"]));
  if (manifest.format !== FORMAT) throw new Error("format");
  const listed = new Map(manifest.files.map((f) => [f.name, f.sha256]));
  const found = [];
  for (const [name, digest] of listed) {
    if (!(name in files)) found.push([name, "missing"]);
    else if ((await sha256(files[name])) !== digest) found.push([name, "altered"]);
  }
  for (const name of Object.keys(files)) {
    if (name !== "evidence.json" && !listed.has(name) && !name.endsWith("/")) found.push([name, "unlisted"]);
  }
  return found;
}

function show(message, found = []) {
  verdict.textContent = message;
  problems.replaceChildren(
    ...found.map(([name, kind]) => {
      const item = document.createElement("li");
      item.textContent = `${name}: ${form.dataset[kind]}`;
      item.dataset.file = name;
      item.dataset.kind = kind;
      return item;
    }),
  );
  verdict.dataset.state = found.length ? "bad" : "ok";
}

document.getElementById("pack").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const found = await check(new Uint8Array(await file.arrayBuffer()));
    show(found.length ? form.dataset.bad : form.dataset.ok, found);
  } catch {
    show(form.dataset.notPack);
    verdict.dataset.state = "error";
  }
});
