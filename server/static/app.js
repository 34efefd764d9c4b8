// Enhancements only: every page works without this file (CSP allows no inline script).
"use strict";

// Quick exit: leave for a neutral site without leaving this page in the history.
const quickExit = document.getElementById("quick-exit");
function leave() {
  location.replace(quickExit.href);
}
if (quickExit) {
  quickExit.addEventListener("click", (event) => {
    event.preventDefault();
    leave();
  });
  let lastEscape = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEscape < 1500) leave();
    lastEscape = now;
  });
}

// History-safe steps: every move inside this site replaces the history entry instead of adding one,
// so after a quick exit the Back button finds nothing of the case (the addresses hold the answers).
// Without this script each page stays in the history, and the footer says so.
for (const form of document.querySelectorAll("form[action^='/'][method=get]")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const target = new URL(form.action);
    target.search = new URLSearchParams(new FormData(form, event.submitter)).toString();
    location.replace(target.href);
  });
}
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='/']");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  location.replace(link.href);
});

// Copy buttons: shown only when this script runs; without it the text stays selectable.
function textOf(element) {
  return element.tagName === "TEXTAREA" ? element.value : element.textContent;
}

async function copyText(source) {
  try {
    await navigator.clipboard.writeText(textOf(source));
    return true;
  } catch {
    // No clipboard API or no permission: select the text, so the old command (or the person) can copy it.
    if (source.tagName === "TEXTAREA") {
      source.select();
    } else {
      window.getSelection().selectAllChildren(source);
    }
    return document.execCommand("copy");
  }
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  if (!source) continue;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    if (!(await copyText(source))) return;
    button.textContent = button.dataset.done;
    setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
}

// The print view's button.
for (const button of document.querySelectorAll("button[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
