/* Wayfinder staff console: the entry module (index.html and login.html load it).
 *
 * Native ES modules, no bundler, no framework; the pages' Content-Security-Policy runs only
 * these files (script-src 'self'). Each area has its module:
 *   dom.js (helpers, labels), api.js (the JSON API), state.js (what the page knows),
 *   alerts.js (urgent strip, title, favicon, notifications), queue.js, conversation.js,
 *   canned.js, directory.js, history.js (history, callbacks, audit), presence.js
 *   (status, languages, transfers), live.js (the websocket).
 */
import { $, el, setText, humanize } from "./dom.js";
import { api, session } from "./api.js";
import { state, can } from "./state.js";
import { initAlerts, alertsLoaded } from "./alerts.js";
import { loadQueue, bindQueueFilters, updateWaits } from "./queue.js";
import { bindConversation, openConversation } from "./conversation.js";
import { bindCanned, loadCanned } from "./canned.js";
import { bindDirectory, loadNeeds } from "./directory.js";
import { bindRecords, loadHistory, loadCallbacks, loadAudit } from "./history.js";
import { bindPresence, loadAdvocates } from "./presence.js";
import { connectLive } from "./live.js";

// ---------------------------------------------------------------- sign-in page

function initLogin() {
  const form = $("login-form");
  const button = $("login-submit");
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    setText("login-error", "");
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    if (!username || !password) {
      setText("login-error", "Enter your username and password.");
      (username ? $("login-password") : $("login-username")).focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Signing in…";
    try {
      await api("POST", "/api/login", { username: username, password: password }, { noRedirect: true });
      window.location.assign("/");
    } catch (error) {
      setText("login-error", error.status === 401 ? error.message || "Wrong username or password." : error.message);
      $("login-password").value = "";
      $("login-password").focus();
      button.disabled = false;
      button.textContent = "Sign in";
    }
  });
}

// ---------------------------------------------------------------- tabs

const TABS = ["queue", "history", "callbacks", "audit"];

function visibleTabs() {
  return TABS.filter(function (name) {
    return !$("tab-" + name).hidden;
  });
}

export function selectTab(name) {
  TABS.forEach(function (other) {
    const tab = $("tab-" + other);
    const selected = other === name;
    tab.setAttribute("aria-selected", selected ? "true" : "false");
    tab.tabIndex = selected ? 0 : -1;
    $("panel-" + other).hidden = !selected;
  });
  document.body.dataset.tab = name;
  if (name === "history" && !state.historyLoaded) loadHistory();
  if (name === "callbacks") loadCallbacks();
  if (name === "audit") loadAudit();
}

function bindTabs() {
  TABS.forEach(function (name) {
    const tab = $("tab-" + name);
    tab.addEventListener("click", function () {
      selectTab(name);
    });
    tab.addEventListener("keydown", function (event) {
      const tabs = visibleTabs();
      const index = tabs.indexOf(name);
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
      else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
      else if (event.key === "Home") next = tabs[0];
      else if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next);
        $("tab-" + next).focus();
      }
    });
  });
}

// ---------------------------------------------------------------- start

/** The resolve and history choices, from the one list the server accepts (GET /api/me). */
function fillDispositions(codes) {
  ["disposition", "hist-disposition"].forEach(function (id) {
    (codes || []).forEach(function (code) {
      $(id).appendChild(el("option", { value: code, text: humanize(code) }));
    });
  });
}

async function initConsole() {
  let me;
  try {
    me = await api("GET", "/api/me");
  } catch (error) {
    if (error.status !== 401) setText("fatal", error.message);
    return;
  }
  state.me = me.user || {};
  session.csrf = me.csrf_token;
  state.permissions = new Set(me.permissions);
  setText("whoami", "Signed in as " + (state.me.display_name || state.me.username || "") + (state.me.role ? " (" + state.me.role + ")" : ""));
  $("tab-audit").hidden = !can("audit");
  fillDispositions(me.dispositions);

  $("logout").addEventListener("click", async function () {
    $("logout").disabled = true;
    try {
      await api("POST", "/api/logout");
    } catch (error) {
      /* signed out either way */
    }
    session.leaving = true;
    if (state.ws) state.ws.close();
    window.location.assign("/login");
  });

  initAlerts(function (handoffId) {
    selectTab("queue");
    openConversation(handoffId, true);
  });
  bindTabs();
  document.body.dataset.tab = "queue";
  bindQueueFilters();
  bindPresence();
  bindConversation();
  bindCanned();
  bindDirectory();
  bindRecords();

  await loadAdvocates();
  await loadQueue();
  alertsLoaded();
  loadNeeds();
  loadCanned();
  connectLive();
  window.setInterval(updateWaits, 5000);
  const match = /^#handoff-(\d+)$/.exec(window.location.hash);
  if (match) openConversation(Number(match[1]), false);
}

function start() {
  const page = document.body.dataset.page;
  if (page === "login") initLogin();
  else if (page === "console") initConsole();
}

// Modules run after the document is parsed, like a deferred script.
start();
