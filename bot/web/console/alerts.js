/* Wayfinder console: urgent requests on a busy night.
 *
 * One alert strip ("3 urgent requests", Show, Dismiss all) instead of a banner per alert;
 * what an advocate dismissed stays dismissed across reloads (this browser, per advocate);
 * new alerts are announced politely, one sentence per batch; a sound, the tab's title and
 * favicon and (when turned on) a browser notification say it outside the page too.
 */
import { $, el, clear, setText, plural, readable } from "./dom.js";
import { state, announce, remember, recall } from "./state.js";

const alerts = new Map(); // key -> {key, handoffId, kind, text, at}
let dismissed = new Set();
let fresh = []; // alerts not yet announced, gathered for one polite sentence
let batchTimer = null;
let openHandler = function () {};
let loaded = false; // set once the first queue is drawn: what waited already is no news for a notification

/** The page's first queue is drawn: alerts from now on are new. */
export function alertsLoaded() {
  loaded = true;
}

const MAX_DISMISSED = 2000; // the newest keys kept in storage

function dismissedKey() {
  return "wayfinder.console.dismissed." + (state.me ? state.me.username : "");
}

export function alertKey(handoffId, kind) {
  return handoffId + ":" + (kind === "crisis" ? "crisis" : "urgent");
}

/** Called once signed in: what this advocate dismissed before, and what "Open" does. */
export function initAlerts(open) {
  openHandler = open;
  dismissed = new Set(recall(dismissedKey(), []));
  $("alerts-toggle").addEventListener("click", function () {
    const list = $("alert-list");
    list.hidden = !list.hidden;
    $("alerts-toggle").setAttribute("aria-expanded", list.hidden ? "false" : "true");
    $("alerts-toggle").textContent = list.hidden ? "Show" : "Hide";
  });
  $("alerts-dismiss-all").addEventListener("click", function () {
    Array.from(alerts.keys()).forEach(dismiss);
    saveDismissed();
    renderAlerts();
    announce("All urgent alerts dismissed.");
    const heading = $("queue-heading");
    if (heading) heading.focus();
  });
  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, unlockAudio, { once: true, capture: true });
  });
  initNotifications();
}

function dismiss(key) {
  alerts.delete(key);
  dismissed.delete(key);
  dismissed.add(key); // newest last
}

function saveDismissed() {
  const keys = Array.from(dismissed);
  remember(dismissedKey(), keys.slice(Math.max(0, keys.length - MAX_DISMISSED)));
}

/** An urgent request to alert about, unless dismissed or already shown. */
export function raiseAlert(handoffId, kind, text) {
  const key = alertKey(handoffId, kind);
  if (dismissed.has(key)) return;
  const label = readable(text) || (kind === "crisis" ? "A caller may be in crisis." : "An urgent request is waiting.");
  const known = alerts.get(key);
  alerts.set(key, {
    key: key,
    handoffId: handoffId,
    kind: kind === "crisis" ? "crisis" : "urgent",
    text: label,
    news: known ? known.news : loaded,
  });
  if (known) {
    renderAlerts();
    return;
  }
  fresh.push(alerts.get(key));
  if (!batchTimer) batchTimer = window.setTimeout(flush, 300);
}

/** Alerts whose request left the queue (claimed elsewhere, resolved, gone) go from the strip. */
export function keepAlertsFor(handoffs) {
  const open = new Set(
    handoffs.map(function (handoff) {
      return handoff.id;
    })
  );
  let changed = false;
  alerts.forEach(function (alert, key) {
    if (!open.has(alert.handoffId)) {
      alerts.delete(key);
      changed = true;
    }
  });
  if (changed) renderAlerts();
}

function flush() {
  batchTimer = null;
  const batch = fresh.filter(function (alert) {
    return alerts.has(alert.key);
  });
  fresh = [];
  renderAlerts();
  if (!batch.length) return;
  const crisis = batch.some(function (alert) {
    return alert.kind === "crisis";
  });
  announce(
    batch.length === 1
      ? (crisis ? "New crisis alert: " : "New urgent request: ") + batch[0].text
      : batch.length + " new urgent requests. " + plural(alerts.size, "urgent request", "urgent requests") + " in all."
  );
  beep();
  const news = batch.filter(function (alert) {
    return alert.news;
  });
  if (news.length) notify(news);
}

function renderAlerts() {
  const strip = $("alerts");
  const list = $("alert-list");
  strip.hidden = alerts.size === 0;
  setText("alerts-summary", plural(alerts.size, "urgent request", "urgent requests"));
  strip.classList.toggle("has-crisis", Array.from(alerts.values()).some(function (alert) {
    return alert.kind === "crisis";
  }));
  if (!alerts.size) {
    list.hidden = true;
    $("alerts-toggle").setAttribute("aria-expanded", "false");
    $("alerts-toggle").textContent = "Show";
  }
  clear(list);
  alerts.forEach(function (alert) {
    const open = el("button", { type: "button", class: "primary", text: "Open conversation" });
    open.setAttribute("aria-label", "Open conversation #" + alert.handoffId);
    open.addEventListener("click", function () {
      openHandler(alert.handoffId);
    });
    const close = el("button", { type: "button", text: "Dismiss" });
    close.setAttribute("aria-label", "Dismiss the alert for conversation #" + alert.handoffId);
    close.addEventListener("click", function () {
      dismiss(alert.key);
      saveDismissed();
      renderAlerts();
      const next = $("alert-list").querySelector("button");
      (next || $("queue-heading")).focus();
    });
    list.appendChild(
      el("li", { class: "alert-item", dataset: { key: alert.key, handoffId: String(alert.handoffId) } }, [
        el("strong", { class: "alert-flag", text: alert.kind === "crisis" ? "CRISIS" : "URGENT" }),
        el("span", { class: "alert-text", text: "#" + alert.handoffId + " " + alert.text }),
        open,
        close,
      ])
    );
  });
}

// ---------------------------------------------------------------- the tab's title and favicon

let lastBadge = "";

/** "(4 waiting, 1 urgent) Wayfinder console", and the same counts drawn on the favicon. */
export function showCounts(handoffs) {
  const waiting = handoffs.filter(function (handoff) {
    return handoff.state === "waiting";
  });
  const urgent = waiting.filter(function (handoff) {
    return handoff.priority === "urgent";
  }).length;
  const parts = [];
  if (waiting.length) parts.push(waiting.length + " waiting");
  if (urgent) parts.push(urgent + " urgent");
  document.title = (parts.length ? "(" + parts.join(", ") + ") " : "") + "Wayfinder console";
  const badge = waiting.length + ":" + urgent;
  if (badge !== lastBadge) {
    lastBadge = badge;
    drawFavicon(waiting.length, urgent);
  }
}

function drawFavicon(waiting, urgent) {
  const link = document.querySelector('link[rel="icon"]');
  if (!link) return;
  const canvas = document.createElement("canvas");
  canvas.width = 32;
  canvas.height = 32;
  const context = canvas.getContext && canvas.getContext("2d");
  if (!context) return;
  context.fillStyle = "#14283f";
  context.fillRect(0, 0, 32, 32);
  context.fillStyle = "#ffffff";
  context.font = "bold 14px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText("W", 10, 11);
  if (waiting || urgent) {
    const count = urgent || waiting;
    context.fillStyle = urgent ? "#d1161b" : "#0b57a4";
    context.beginPath();
    context.arc(21, 21, 11, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = "#ffffff";
    context.font = "bold " + (count > 99 ? 10 : 14) + "px sans-serif";
    context.fillText(count > 99 ? "99+" : String(count), 21, 22);
  }
  try {
    link.href = canvas.toDataURL("image/png");
  } catch (error) {
    /* a canvas that cannot be read: the title still counts */
  }
}

// ---------------------------------------------------------------- browser notifications

const NOTIFY_KEY = "wayfinder.console.notifications";

function notificationsSupported() {
  return typeof window.Notification === "function";
}

function notificationsOn() {
  return notificationsSupported() && window.Notification.permission === "granted" && recall(NOTIFY_KEY, false) === true;
}

function showNotifyButton() {
  const button = $("notify-toggle");
  if (!notificationsSupported()) {
    button.hidden = true;
    return;
  }
  const permission = window.Notification.permission;
  button.hidden = false;
  if (permission === "denied") {
    button.textContent = "Notifications blocked";
    button.disabled = true;
    button.title = "The browser blocks notifications for this site; change it in the site's settings.";
  } else if (notificationsOn()) {
    button.textContent = "Turn off notifications";
  } else {
    button.textContent = "Turn on notifications";
  }
}

function initNotifications() {
  const button = $("notify-toggle");
  showNotifyButton();
  button.addEventListener("click", async function () {
    if (notificationsOn()) {
      remember(NOTIFY_KEY, false);
      showNotifyButton();
      announce("Notifications turned off.");
      return;
    }
    let permission = window.Notification.permission;
    if (permission === "default") {
      try {
        permission = await window.Notification.requestPermission();
      } catch (error) {
        permission = "denied";
      }
    }
    remember(NOTIFY_KEY, permission === "granted");
    showNotifyButton();
    announce(permission === "granted" ? "Notifications turned on for urgent requests." : "The browser did not allow notifications.");
  });
}

function notify(batch) {
  if (!notificationsOn()) return;
  try {
    const one = batch.length === 1 ? batch[0] : null;
    const notification = new window.Notification(
      one ? (one.kind === "crisis" ? "Crisis alert" : "Urgent request") : batch.length + " new urgent requests",
      {
        body: one ? one.text : "Open the Wayfinder console to see them.",
        tag: one ? "wayfinder-" + one.key : "wayfinder-urgent",
      }
    );
    notification.addEventListener("click", function () {
      window.focus();
      if (one) openHandler(one.handoffId);
      notification.close();
    });
  } catch (error) {
    /* notifications unavailable here: the strip and the title still say it */
  }
}

// ---------------------------------------------------------------- sound

let audio = null;
let lastBeep = 0;

function audioContext() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return null;
  if (!audio) audio = new Context();
  return audio;
}

function unlockAudio() {
  try {
    const context = audioContext();
    if (context && context.state === "suspended") {
      const resumed = context.resume();
      if (resumed && resumed.catch) resumed.catch(function () {});
    }
  } catch (error) {
    /* no audio: the strip is the cue */
  }
}

function beep() {
  const now = Date.now();
  if (now - lastBeep < 1500) return;
  lastBeep = now;
  try {
    const context = audioContext();
    if (!context || context.state === "suspended") return;
    [0, 0.22].forEach(function (offset, index) {
      const start = context.currentTime + offset;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = index === 0 ? 880 : 660;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      oscillator.connect(gain);
      gain.connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.2);
    });
  } catch (error) {
    /* audio blocked or unavailable: the strip is the cue */
  }
}
