// 通報ナビ service worker: the context-menu entries. A click becomes a "report target" that travels
// to the report page through chrome.storage.session; nothing is kept in globals, because the
// browser stops this worker whenever it is idle. 「証拠として保存」 travels the same way: the
// click grants activeTab for its tab, and the report page captures that tab.

import { loadMessages } from "./lib/i18n.js";
import { getOptions, resolveLang } from "./lib/options.js";
import { isoWithOffset } from "./lib/target.js";

const REPORT_PAGE = "popup/report.html";

const MENU_ENTRIES = Object.freeze([
  { id: "report-page", contexts: ["page"], title: "menuPage" },
  { id: "report-link", contexts: ["link"], title: "menuLink" },
  { id: "report-image", contexts: ["image"], title: "menuImage" },
  { id: "report-selection", contexts: ["selection"], title: "menuSelection" },
  { id: "save-evidence", contexts: ["page", "selection"], title: "menuSaveEvidence" },
]);

// What each entry reports. info is the menus' OnClickData, tab the tab it was clicked in.
const handlers = {
  "report-page": (info, tab) => ({ kind: "page", url: info.pageUrl || tab?.url, title: tab?.title }),
  // The link's own address is reported and its page is never opened. Browsers give no title for a
  // page nobody opened; Firefox gives the link's text, which is the closest thing.
  "report-link": (info) => ({
    kind: "link",
    url: info.linkUrl,
    title: info.linkText,
    notes: [["noteLink"]],
  }),
  // data: and blob: images have no address anyone else can open, so the page stands in for them.
  "report-image": (info, tab) =>
    /^(data|blob):/i.test(info.srcUrl ?? "")
      ? { kind: "image", url: info.pageUrl || tab?.url, title: tab?.title, notes: [["noteImageFallback"]] }
      : { kind: "image", url: info.srcUrl, title: tab?.title },
  "report-selection": (info, tab) => ({
    kind: "selection",
    url: info.pageUrl || tab?.url,
    title: tab?.title,
    selection: info.selectionText,
  }),
  // Not a report: capture this tab as evidence (with the selected text, if any).
  "save-evidence": (info, tab) => ({
    kind: "evidence",
    url: info.pageUrl || tab?.url,
    title: tab?.title,
    selection: info.selectionText,
  }),
};

async function createMenus() {
  const t = await loadMessages(resolveLang((await getOptions()).lang));
  await chrome.contextMenus.removeAll();
  for (const { id, contexts, title } of MENU_ENTRIES) {
    chrome.contextMenus.create({ id, contexts, title: t(title) });
  }
}

async function onMenuClick(info, tab) {
  const handler = handlers[info.menuItemId];
  if (!handler) {
    return;
  }
  const click = {
    ...handler(info, tab),
    // Never sent: the tab clicked in, to capture it as evidence if the person asks.
    tabId: tab?.id,
    page_url: info.pageUrl || tab?.url,
    found_at: isoWithOffset(new Date()),
    at: Date.now(),
  };
  await openReport(click, tab);
}

/** Shows the report page for a click: as the action popup where the browser allows, else a small window. */
async function openReport(click, tab) {
  // Not awaited before openPopup: Firefox only opens a popup while still handling the user's
  // click, and an await would end that. The page reads the click well after this write lands.
  const stored = chrome.storage.session.set({ click });
  try {
    await chrome.action.openPopup(tab?.windowId >= 0 ? { windowId: tab.windowId } : undefined);
    await stored;
  } catch {
    await stored;
    await chrome.windows.create({
      url: chrome.runtime.getURL(REPORT_PAGE),
      type: "popup",
      width: 460,
      height: 680,
    });
  }
}

// The menu titles follow the language chosen in the options.
async function onStorageChanged(changes, area) {
  if (area !== "sync" || !changes.lang) {
    return;
  }
  const t = await loadMessages(resolveLang((await getOptions()).lang));
  for (const { id, title } of MENU_ENTRIES) {
    await chrome.contextMenus.update(id, { title: t(title) });
  }
}

// Listeners at the top level, so that a click wakes a stopped worker and reaches its handler.
chrome.runtime.onInstalled.addListener(createMenus);
chrome.contextMenus.onClicked.addListener(onMenuClick);
chrome.storage.onChanged.addListener(onStorageChanged);

// The tests call the handlers as a click would; a module's names are not reachable from outside.
globalThis.tsuhoNavi = { MENU_ENTRIES, handlers, onMenuClick };
