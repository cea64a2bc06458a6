/* Wayfinder staff console: plain JavaScript, no framework.
 *
 * Rules kept throughout (the page runs under a strict Content-Security-Policy):
 * - every piece of text from the server goes into the page with textContent or
 *   createElement: never innerHTML, so a caller's "<script>" stays text;
 * - links only as tel: (digits) and http(s): URLs;
 * - no inline scripts, styles or event handlers; no eval.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- helpers

  function $(id) {
    return document.getElementById(id);
  }

  /** Build an element: attrs may hold class, text, hidden, dataset and plain attributes. */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    const options = attrs || {};
    Object.keys(options).forEach(function (key) {
      const value = options[key];
      if (value === undefined || value === null || value === false) return;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key === "hidden") node.hidden = true;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "type" || key === "value" || key === "disabled" || key === "title") node[key] = value;
      else if (/^on/i.test(key)) throw new Error("no inline handlers");
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setText(id, text) {
    const node = $(id);
    if (node) node.textContent = text || "";
  }

  function humanize(code) {
    if (code === null || code === undefined) return "";
    const text = String(code).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** A tel: link from the digits of a phone number, or plain text when there are too few. */
  function phoneLink(phone) {
    const text = String(phone);
    const digits = text.replace(/[^0-9]/g, "");
    if (digits.length < 3) return document.createTextNode(text);
    return el("a", { href: "tel:" + digits, text: text });
  }

  /** An http(s) link, or nothing for any other scheme. */
  function webLink(url, label) {
    let parsed;
    try {
      parsed = new URL(String(url));
    } catch (error) {
      return null;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return el("a", { href: parsed.href, text: label || parsed.href, target: "_blank", rel: "noopener noreferrer" });
  }

  function parseTime(value) {
    if (!value) return null;
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : new Date(time);
  }

  function formatDateTime(value) {
    const date = parseTime(value);
    return date ? date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "";
  }

  function formatClock(value) {
    const date = parseTime(value);
    return date ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function formatWait(seconds) {
    const total = Math.max(0, Math.floor(seconds));
    if (total < 60) return total + " s";
    const minutes = Math.floor(total / 60);
    if (minutes < 60) return minutes + " min " + (total % 60) + " s";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function formatValue(value) {
    if (value === null || value === undefined || value === "") return "";
    if (Array.isArray(value)) return value.map(formatValue).filter(Boolean).join(", ");
    if (typeof value === "object") {
      if (value.name) return String(value.name);
      if (value.label) return String(value.label);
      if (value.title) return String(value.title);
      return JSON.stringify(value);
    }
    if (typeof value === "boolean") return value ? "yes" : "no";
    return humanize(value);
  }

  // ---------------------------------------------------------------- the API

  function ApiError(message, status) {
    this.message = message;
    this.status = status;
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.name = "ApiError";

  const session = { csrf: "", leaving: false };

  function goToLogin() {
    if (session.leaving) return;
    session.leaving = true;
    window.location.assign("/login");
  }

  async function api(method, path, body, options) {
    const headers = { Accept: "application/json" };
    const init = { method: method, credentials: "same-origin", headers: headers, cache: "no-store" };
    if (method !== "GET") headers["X-CSRF-Token"] = session.csrf;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw new ApiError("The console server cannot be reached. Check the connection and try again.", 0);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (error) {
        data = null;
      }
    }
    if (response.status === 401 && !(options && options.noRedirect)) {
      goToLogin();
      throw new ApiError((data && data.error) || "Your session has ended. Please sign in again.", 401);
    }
    if (!response.ok) {
      throw new ApiError((data && data.error) || "The server answered " + response.status + ".", response.status);
    }
    return data || {};
  }

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
        setText(
          "login-error",
          error.status === 401 ? error.message || "Wrong username or password." : error.message
        );
        $("login-password").value = "";
        $("login-password").focus();
        button.disabled = false;
        button.textContent = "Sign in";
      }
    });
  }

  // ---------------------------------------------------------------- console state

  const state = {
    me: null,
    permissions: new Set(),
    queue: [],
    knownIds: null, // the queue's ids as last drawn; null until the first queue arrives
    current: null, // {handoff, transcript, notes}
    currentId: null,
    turnKeys: new Set(),
    pendingTurns: [], // turns of the conversation being opened, arrived before its transcript
    unread: new Set(),
    seenUrgent: new Set(),
    canned: [],
    needs: [],
    lastSearch: null,
    ws: null,
    wsDelay: 1000,
    wsOpened: false,
    typing: new Map(), // handoff id -> until when (epoch ms) the caller counts as typing
    waitBase: new Map(), // handoff id -> epoch ms when the wait started (server's clock adjusted)
  };

  // Permission names as GET /api/me lists them (bot/console/accounts.py).
  const PERMISSIONS = { audit: "read_audit", canned: "manage_canned", takeOver: "take_over" };

  function can(kind) {
    return state.permissions.has(PERMISSIONS[kind]);
  }

  function isMine(handoff) {
    if (!handoff || !handoff.holder || !state.me) return false;
    return handoff.holder === state.me.username;
  }

  function announce(text) {
    const node = $("announcer");
    node.textContent = "";
    // A fresh text node is announced even when the words repeat.
    window.setTimeout(function () {
      node.textContent = text;
    }, 50);
  }

  // ---------------------------------------------------------------- sound and alerts

  let audio = null;
  let lastBeep = 0;
  let sending = false;

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
      /* no audio: the banner is the cue */
    }
  }

  function beep() {
    const now = Date.now();
    if (now - lastBeep < 1500) return;
    lastBeep = now;
    try {
      unlockAudio();
      const context = audioContext();
      if (!context) return;
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
      /* audio blocked or unavailable: the banner is the cue */
    }
  }

  /** A banner in the role="alert" area; one per request, updated when a newer alert arrives. */
  function raiseAlert(text, handoffId, kind) {
    const area = $("alerts");
    const key = handoffId ? "handoff-" + handoffId : "general-" + Date.now();
    let item = area.querySelector('[data-key="' + key + '"]');
    const label = text || (kind === "crisis" ? "A caller may be in crisis." : "An urgent request is waiting.");
    if (!item) {
      item = el("div", { class: "alert-item", dataset: { key: key } });
      area.insertBefore(item, area.firstChild);
    }
    clear(item);
    item.appendChild(el("strong", { class: "alert-flag", text: kind === "crisis" ? "CRISIS" : "URGENT" }));
    item.appendChild(el("span", { class: "alert-text", text: label }));
    if (handoffId) {
      const open = el("button", { type: "button", class: "primary", text: "Open conversation" });
      open.addEventListener("click", function () {
        selectTab("queue");
        openConversation(handoffId, true);
      });
      item.appendChild(open);
    }
    const dismiss = el("button", { type: "button", text: "Dismiss" });
    dismiss.setAttribute("aria-label", "Dismiss alert: " + label);
    dismiss.addEventListener("click", function () {
      item.remove();
    });
    item.appendChild(dismiss);
    beep();
  }

  // ---------------------------------------------------------------- tabs

  const TABS = ["queue", "history", "callbacks", "audit"];

  function visibleTabs() {
    return TABS.filter(function (name) {
      return !$("tab-" + name).hidden;
    });
  }

  function selectTab(name) {
    TABS.forEach(function (other) {
      const tab = $("tab-" + other);
      const selected = other === name;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      $("panel-" + other).hidden = !selected;
    });
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

  // ---------------------------------------------------------------- the queue

  const REASONS = {
    caller_request: "Asked for a person",
    fallback: "The assistant did not understand",
    crisis: "Crisis",
    advocacy_intake: "Advocacy intake",
  };
  const PRIORITY_LABELS = { urgent: "URGENT", high: "High", normal: "Normal" };
  const STATE_LABELS = {
    waiting: "Waiting",
    with_advocate: "With an advocate",
    returned_to_bot: "Back with the assistant",
    resolved: "Resolved",
    abandoned: "Abandoned",
  };

  const CHANNELS = { socketio: "Website chat", twilio: "SMS", sms: "SMS", rest: "Web API (REST)" };

  function channelLabel(channel) {
    return CHANNELS[channel] || humanize(channel) || "Unknown channel";
  }

  function reasonLabel(reason) {
    return REASONS[reason] || humanize(reason) || "Unknown reason";
  }

  function priorityLabel(priority) {
    return PRIORITY_LABELS[priority] || humanize(priority);
  }

  function stateName(code) {
    return STATE_LABELS[code] || humanize(code);
  }

  function stateLabel(handoff) {
    const label = stateName(handoff.state);
    if (handoff.state === "with_advocate" && handoff.holder) {
      return label + ": " + (isMine(handoff) ? "you" : (handoff.holder_name || handoff.holder));
    }
    return label;
  }

  function noteWaitBase(handoff) {
    state.waitBase.set(handoff.id, Date.now() - handoff.wait_seconds * 1000);
  }

  function updateWaits() {
    document.querySelectorAll("[data-wait-for]").forEach(function (node) {
      const base = state.waitBase.get(Number(node.dataset.waitFor));
      if (base !== undefined) node.textContent = "waiting " + formatWait((Date.now() - base) / 1000);
    });
  }

  // An advocate who speaks Spanish sees Spanish-speaking callers first, or only them; kept in this browser.
  const LANGUAGE_PREFERENCES = "wayfinder.console.languages";

  function languagePreferences() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(LANGUAGE_PREFERENCES) || "{}");
      return { speaksSpanish: saved.speaksSpanish === true, spanishOnly: saved.spanishOnly === true };
    } catch (error) {
      return { speaksSpanish: false, spanishOnly: false };
    }
  }

  function saveLanguagePreferences() {
    const preferences = { speaksSpanish: $("speaks-spanish").checked, spanishOnly: $("spanish-only").checked };
    try {
      window.localStorage.setItem(LANGUAGE_PREFERENCES, JSON.stringify(preferences));
    } catch (error) {
      /* blocked storage: the choice lasts as long as the page */
    }
    renderQueue(state.queue || []);
  }

  function inLanguageOrder(handoffs) {
    const preferences = { speaksSpanish: $("speaks-spanish").checked, spanishOnly: $("spanish-only").checked };
    const spanish = function (handoff) {
      return handoff.language === "es";
    };
    if (preferences.spanishOnly) return handoffs.filter(spanish);
    if (!preferences.speaksSpanish) return handoffs;
    // Urgent stays first: a crisis in English is not put behind a Spanish request.
    return handoffs.slice().sort(function (a, b) {
      const urgent = (b.priority === "urgent") - (a.priority === "urgent");
      return urgent || spanish(b) - spanish(a);
    });
  }

  function renderQueue(all) {
    const handoffs = inLanguageOrder(all);
    const list = $("queue-list");
    const focused = document.activeElement;
    const focusedId = focused && focused.closest && focused.closest("#queue-list") ? focused.dataset.handoffId : null;
    state.queue = all;
    clear(list);
    handoffs.forEach(function (handoff) {
      noteWaitBase(handoff);
      const selected = state.currentId === handoff.id;
      const classes = ["queue-item", "priority-" + handoff.priority, "state-" + handoff.state];
      if (selected) classes.push("selected");
      const button = el(
        "button",
        {
          type: "button",
          class: "queue-entry",
          dataset: { handoffId: String(handoff.id) },
          "aria-current": selected ? "true" : null,
        },
        [
          el("span", { class: "entry-line entry-top" }, [
            el("span", {
              class: "badge badge-" + handoff.priority,
              text: priorityLabel(handoff.priority),
            }),
            el("span", { class: "entry-channel", text: channelLabel(handoff.channel) }),
            handoff.language === "es"
              ? el("span", { class: "badge badge-language", lang: "es", text: "Español" })
              : null,
            el("span", { class: "entry-wait", dataset: { waitFor: String(handoff.id) } }),
          ]),
          el("span", { class: "entry-line entry-reason", text: reasonLabel(handoff.reason) }),
          el("span", {
            class: "entry-line entry-needs",
            text: handoff.needs_line || "No needs collected yet",
          }),
          el("span", { class: "entry-line entry-state", text: stateLabel(handoff) }),
          state.unread.has(handoff.id) ? el("span", { class: "entry-line entry-unread", text: "New message" }) : null,
          el("span", {
            class: "entry-line entry-typing",
            text: "typing…",
            hidden: !((state.typing.get(handoff.id) || 0) > Date.now()),
          }),
        ]
      );
      button.addEventListener("click", function () {
        openConversation(handoff.id, true);
      });
      list.appendChild(el("li", { class: classes.join(" ") }, [button]));
    });
    setText("queue-count", handoffs.length ? "(" + handoffs.length + ")" : "");
    $("queue-empty").hidden = handoffs.length > 0;
    updateWaits();
    if (focusedId) {
      const again = list.querySelector('[data-handoff-id="' + focusedId + '"]');
      if (again) again.focus();
    }
    // Urgent requests the server has not alerted this page to (urgent before it opened) get the banner and the sound.
    handoffs.forEach(function (handoff) {
      if (handoff.priority === "urgent" && handoff.state === "waiting" && !state.seenUrgent.has(handoff.id)) {
        state.seenUrgent.add(handoff.id);
        raiseAlert(
          "Urgent: a caller is waiting" + (handoff.needs_line ? " (" + handoff.needs_line + ")" : "") + ".",
          handoff.id,
          handoff.crisis_at ? "crisis" : "urgent"
        );
      }
    });
    if (state.knownIds) {
      const fresh = handoffs.filter(function (handoff) {
        return !state.knownIds.has(handoff.id);
      });
      if (fresh.length) announce(fresh.length === 1 ? "A new conversation is in the queue." : fresh.length + " new conversations are in the queue.");
    }
    state.knownIds = new Set(
      handoffs.map(function (handoff) {
        return handoff.id;
      })
    );
    // Keep the open conversation's header in step with the queue.
    if (state.current) {
      const mine = handoffs.find(function (handoff) {
        return handoff.id === state.current.handoff.id;
      });
      if (mine) {
        if (mine.state !== state.current.handoff.state || mine.holder !== state.current.handoff.holder || mine.priority !== state.current.handoff.priority) {
          refreshConversation();
        }
      } else if (state.current.handoff.state === "waiting" || state.current.handoff.state === "with_advocate") {
        refreshConversation(); // it left the queue (handed back, resolved, abandoned)
      }
    }
  }

  async function loadQueue() {
    try {
      const data = await api("GET", "/api/queue");
      renderQueue(data.handoffs);
    } catch (error) {
      if (error.status !== 401) setText("fatal", error.message);
    }
  }

  // ---------------------------------------------------------------- transcript rendering

  function turnKey(turn) {
    return [turn.who, turn.at, turn.text, turn.custom ? JSON.stringify(turn.custom) : ""].join("|");
  }

  function renderCard(service, withSend) {
    const facts = [];
    if (typeof service.distance_miles === "number") facts.push(service.distance_miles + " mi");
    else facts.push("by phone or online");
    if (service.open_now === true) facts.push("open now");
    else if (service.open_now === false) facts.push("closed now");
    if (service.hours_today) facts.push("today: " + service.hours_today);
    const card = el("li", { class: "card" }, [
      el("p", { class: "card-name", text: service.name || "Unnamed service" }),
      service.organization && service.organization !== service.name
        ? el("p", { class: "card-org", text: service.organization })
        : null,
      el("p", { class: "card-facts", text: facts.join(" · ") }),
    ]);
    if (service.phone) card.appendChild(el("p", { class: "card-phone" }, ["Phone: ", phoneLink(service.phone)]));
    if (service.address) card.appendChild(el("p", { class: "card-address", text: service.address }));
    const reasons = Array.isArray(service.reasons) ? service.reasons : [];
    if (reasons.length) card.appendChild(el("p", { class: "card-reasons", text: "Why: " + reasons.join("; ") }));
    const caveats = Array.isArray(service.caveats) ? service.caveats : [];
    if (caveats.length) card.appendChild(el("p", { class: "card-caveats", text: "Note: " + caveats.join("; ") }));
    if (service.url) {
      const link = webLink(service.url, "Website");
      if (link) card.appendChild(el("p", { class: "card-url" }, [link]));
    }
    if (withSend) card.appendChild(withSend(service));
    return card;
  }

  function renderResource(resource) {
    const parts = [el("strong", { text: resource.name || "Crisis line" })];
    if (resource.call) parts.push(" · call ", phoneLink(resource.call));
    if (resource.text) parts.push(" · text " + resource.text);
    if (resource.url) {
      const link = webLink(resource.url);
      if (link) parts.push(" · ", link);
    }
    return el("li", {}, parts);
  }

  function renderCustom(custom) {
    if (!custom || typeof custom !== "object") return null;
    if (custom.type === "referrals") {
      const services = Array.isArray(custom.services) ? custom.services : [];
      if (!services.length) return el("p", { class: "turn-note", text: "Referral card: no services." });
      const list = el("ul", { class: "cards", "aria-label": "Referral cards" });
      services.forEach(function (service) {
        list.appendChild(renderCard(service || {}));
      });
      return list;
    }
    if (custom.crisis === true) {
      const box = el("div", { class: "crisis-box" });
      const categories = Array.isArray(custom.categories) ? custom.categories.map(humanize).join(", ") : "";
      box.appendChild(el("p", { text: "Crisis resources sent" + (categories ? " (" + categories + ")" : "") }));
      const resources = Array.isArray(custom.resources) ? custom.resources : [];
      if (resources.length) {
        const list = el("ul", { class: "resources" });
        resources.forEach(function (resource) {
          list.appendChild(renderResource(resource || {}));
        });
        box.appendChild(list);
      }
      return box;
    }
    if (custom.type === "handoff") {
      const words = stateName(custom.state || "handoff");
      return el("p", { class: "turn-note", text: "Handoff: " + words + (custom.advocate ? " (" + custom.advocate + ")" : "") });
    }
    return null;
  }

  function renderTurn(turn) {
    const custom = turn.custom && typeof turn.custom === "object" ? turn.custom : null;
    const who = turn.who === "caller" || turn.who === "advocate" ? turn.who : "assistant";
    const classes = ["turn", "turn-" + who];
    const crisis = custom && custom.crisis === true;
    if (crisis) classes.push("turn-crisis");
    let label = who === "caller" ? "Caller" : who === "advocate" ? "Advocate" : "Assistant";
    if (who === "advocate" && turn.advocate) label += " " + turn.advocate;
    const item = el("li", { class: classes.join(" ") }, [
      el("p", { class: "turn-head" }, [
        el("span", { class: "turn-who", text: label }),
        crisis ? el("strong", { class: "crisis-flag", text: "CRISIS" }) : null,
        turn.at ? el("time", { class: "turn-time", datetime: turn.at, text: formatClock(turn.at) }) : null,
      ]),
    ]);
    if (turn.text) item.appendChild(el("p", { class: "turn-text", text: turn.text }));
    const rendered = renderCustom(custom);
    if (rendered) item.appendChild(rendered);
    const buttons = Array.isArray(turn.buttons) ? turn.buttons : [];
    if (buttons.length) {
      const list = el("ul", { class: "turn-buttons", "aria-label": "Buttons offered to the caller" });
      buttons.forEach(function (button) {
        const title = typeof button === "string" ? button : button && (button.title || button.payload);
        list.appendChild(el("li", { text: title || "" }));
      });
      item.appendChild(list);
    }
    return item;
  }

  function renderTranscript(list, turns) {
    clear(list);
    turns.forEach(function (turn) {
      list.appendChild(renderTurn(turn));
    });
  }

  function renderSummary(dl, emptyNode, summary) {
    clear(dl);
    const labels = {
      need: "Need",
      pending_needs: "Other needs",
      location: "Place",
      payment: "Payment",
      age: "Age",
      relation: "Asking for",
      population: "Population",
      language: "Provider language asked for",
      speaks: "Caller writes in",
      access: "Access",
      referrals_given: "Referrals already given",
    };
    const LANGUAGE_NAMES = { en: "English", es: "Spanish" };
    let count = 0;
    Object.keys(summary || {}).forEach(function (key) {
      let value = formatValue(summary[key]);
      if ((key === "speaks" || key === "language") && LANGUAGE_NAMES[summary[key]]) value = LANGUAGE_NAMES[summary[key]];
      if (key === "referrals_given" && Array.isArray(summary[key])) {
        const given = summary[key];
        const named = given.filter(function (item) {
          return item && typeof item === "object" && item.name;
        });
        value = named.length ? formatValue(named) : given.length === 1 ? "1 service" : given.length + " services";
        if (!given.length) value = "";
      }
      if (!value) return;
      count += 1;
      dl.appendChild(el("dt", { text: labels[key] || humanize(key) }));
      const raw = summary[key];
      dl.appendChild(el("dd", { text: (key === "location" || key === "age") && typeof raw !== "object" ? String(raw) : value }));
    });
    if (emptyNode) emptyNode.hidden = count > 0;
  }

  function renderNotes(list, notes) {
    clear(list);
    if (!notes.length) {
      list.appendChild(el("li", { class: "muted small", text: "No notes yet." }));
      return;
    }
    notes.forEach(function (note) {
      list.appendChild(
        el("li", { class: "note" }, [
          el("p", { class: "note-head" }, [
            el("span", { class: "note-author", text: note.author || "" }),
            " · ",
            el("time", { datetime: note.created_at || "", text: formatDateTime(note.created_at) }),
          ]),
          el("p", { class: "note-text", text: note.text || "" }),
        ])
      );
    });
  }

  function metaLine(handoff) {
    const parts = [
      priorityLabel(handoff.priority) + " priority",
      stateLabel(handoff),
      channelLabel(handoff.channel),
      reasonLabel(handoff.reason),
      "requested " + formatDateTime(handoff.requested_at),
    ];
    if (handoff.disposition) parts.push("disposition: " + humanize(handoff.disposition));
    return parts.join(" · ");
  }

  // ---------------------------------------------------------------- the conversation view

  async function openConversation(id, focus) {
    const changed = state.currentId !== id;
    state.currentId = id;
    state.unread.delete(id);
    if (changed) {
      state.pendingTurns = [];
      $("typing").hidden = !state.typing.has(id);
      setText("conv-error", "");
      setText("conv-info", "");
      setText("message-status", "");
      clear($("directory-results"));
      clear($("directory-notices"));
      setText("directory-status", "");
      setText("directory-error", "");
    }
    try {
      const data = await api("GET", "/api/handoffs/" + encodeURIComponent(id));
      if (state.currentId !== id) return;
      showConversation(data, changed);
      if (focus) $("conv-title").focus();
      if (window.location.hash !== "#handoff-" + id) history.replaceState(null, "", "#handoff-" + id);
    } catch (error) {
      if (error.status !== 401) {
        $("conversation-placeholder").hidden = true;
        $("conversation").hidden = false;
        setText("conv-error", error.message);
      }
    }
    renderQueue(state.queue);
  }

  async function refreshConversation() {
    if (state.currentId === null) return;
    try {
      const data = await api("GET", "/api/handoffs/" + encodeURIComponent(state.currentId));
      if (data.handoff && state.currentId === data.handoff.id) showConversation(data, false);
    } catch (error) {
      if (error.status !== 401) setText("conv-error", error.message);
    }
  }

  function showConversation(data, fresh) {
    const handoff = data.handoff || {};
    const transcript = Array.isArray(data.transcript) ? data.transcript : [];
    const notes = Array.isArray(data.notes) ? data.notes : [];
    state.current = { handoff: handoff, transcript: transcript, notes: notes };
    $("conversation-placeholder").hidden = true;
    $("conversation").hidden = false;
    setText("conv-title", "Conversation #" + handoff.id);
    const meta = $("conv-meta");
    clear(meta);
    if (handoff.priority === "urgent") meta.appendChild(el("span", { class: "badge badge-urgent", text: "URGENT" }));
    meta.appendChild(document.createTextNode(" " + metaLine(handoff)));
    $("conversation").classList.toggle("urgent", handoff.priority === "urgent");
    // Transcript: rebuild only when it is another conversation or the turns differ.
    const list = $("transcript");
    const keys = transcript.map(turnKey);
    const same =
      !fresh &&
      keys.length === state.turnKeys.size &&
      keys.every(function (key) {
        return state.turnKeys.has(key);
      });
    if (!same) {
      if (fresh) {
        renderTranscript(list, transcript);
      } else {
        // Append only what is new, so a screen reader announces just that.
        transcript.forEach(function (turn) {
          if (!state.turnKeys.has(turnKey(turn))) list.appendChild(renderTurn(turn));
        });
      }
      state.turnKeys = new Set(keys);
      list.scrollTop = list.scrollHeight;
    }
    const pending = state.pendingTurns;
    state.pendingTurns = [];
    pending.forEach(function (item) {
      if (item.handoffId === handoff.id) appendTurn(item.turn);
    });
    state.unread.delete(handoff.id);
    renderSummary($("summary"), $("summary-empty"), handoff.summary || {});
    renderNotes($("notes-list"), notes);
    updateControls();
    if (fresh) prefillDirectory(handoff.summary || {});
  }

  function appendTurn(turn) {
    const key = turnKey(turn);
    if (state.turnKeys.has(key)) return;
    state.turnKeys.add(key);
    if (state.current) state.current.transcript.push(turn);
    const list = $("transcript");
    list.appendChild(renderTurn(turn));
    list.scrollTop = list.scrollHeight;
  }

  function updateControls() {
    const handoff = state.current ? state.current.handoff : null;
    if (!handoff) return;
    const open = handoff.state === "waiting" || handoff.state === "with_advocate";
    const mine = handoff.state === "with_advocate" && isMine(handoff);
    const heldByOther = handoff.state === "with_advocate" && !isMine(handoff);
    $("btn-claim").disabled = handoff.state !== "waiting";
    $("btn-release").disabled = !(mine || (heldByOther && can("takeOver")));
    $("btn-release").textContent = heldByOther ? "Release to the queue" : "Release";
    $("btn-handback").disabled = !mine;
    $("btn-resolve").disabled = !(open || handoff.state === "returned_to_bot");
    $("disposition").disabled = $("btn-resolve").disabled;
    $("message-text").disabled = !mine;
    $("message-send").disabled = !mine;
    if (!mine && !sending) {
      setText(
        "message-status",
        handoff.state === "waiting"
          ? "Claim this conversation to message the caller."
          : heldByOther
            ? (handoff.holder_name || handoff.holder) + " has this conversation."
            : open
              ? ""
              : "This conversation is no longer with an advocate."
      );
    } else if (!sending && /Claim this|has this conversation|no longer with/.test($("message-status").textContent)) {
      setText("message-status", "");
    }
    document.querySelectorAll(".send-referral").forEach(function (button) {
      button.disabled = !mine;
    });
  }

  async function conversationAction(path, body, done) {
    if (!state.current) return;
    const id = state.current.handoff.id;
    setText("conv-error", "");
    setText("conv-info", "");
    try {
      await api("POST", "/api/handoffs/" + encodeURIComponent(id) + "/" + path, body);
      if (done) setText("conv-info", done);
    } catch (error) {
      setText("conv-error", error.message);
    }
    await refreshConversation();
    loadQueue();
  }

  async function sendMessage() {
    if (sending || !state.current) return;
    const box = $("message-text");
    const text = box.value.trim();
    if (!text) {
      setText("message-status", "Type a message first.");
      return;
    }
    sending = true;
    box.readOnly = true;
    $("message-send").disabled = true;
    $("message-form").setAttribute("aria-busy", "true");
    setText("message-status", "sending…");
    setText("conv-error", "");
    try {
      const data = await api("POST", "/api/handoffs/" + encodeURIComponent(state.current.handoff.id) + "/messages", {
        text: text,
      });
      if (box.value.trim() === text) box.value = "";
      setText("message-status", "Sent.");
      if (data && data.turn) appendTurn(data.turn);
    } catch (error) {
      setText("message-status", "Not sent.");
      setText("conv-error", error.message);
    } finally {
      sending = false;
      box.readOnly = false;
      $("message-form").removeAttribute("aria-busy");
      updateControls();
      box.focus();
    }
  }

  function bindLanguagePreferences() {
    const preferences = languagePreferences();
    $("speaks-spanish").checked = preferences.speaksSpanish;
    $("spanish-only").checked = preferences.spanishOnly;
    $("speaks-spanish").addEventListener("change", saveLanguagePreferences);
    $("spanish-only").addEventListener("change", saveLanguagePreferences);
  }

  function bindConversation() {
    bindLanguagePreferences();
    $("btn-claim").addEventListener("click", function () {
      conversationAction("claim", undefined, "You have this conversation.").then(function () {
        if (!$("message-text").disabled) $("message-text").focus();
      });
    });
    $("btn-release").addEventListener("click", function () {
      conversationAction("release", undefined, "Released to the queue.");
    });
    $("btn-handback").addEventListener("click", function () {
      conversationAction("hand-back", undefined, "Handed back to the assistant.");
    });
    $("btn-resolve").addEventListener("click", function () {
      const disposition = $("disposition").value;
      if (!disposition) {
        setText("conv-error", "Choose a disposition before resolving.");
        $("disposition").focus();
        return;
      }
      conversationAction("resolve", { disposition: disposition }, "Resolved: " + humanize(disposition) + ".");
    });
    $("message-form").addEventListener("submit", function (event) {
      event.preventDefault();
      sendMessage();
    });
    $("message-text").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        sendMessage();
      }
    });
    $("note-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      if (!state.current) return;
      const text = $("note-text").value.trim();
      setText("note-error", "");
      if (!text) {
        setText("note-error", "Write the note first.");
        return;
      }
      $("note-add").disabled = true;
      try {
        await api("POST", "/api/handoffs/" + encodeURIComponent(state.current.handoff.id) + "/notes", { text: text });
        $("note-text").value = "";
        await refreshConversation();
        announce("Note added.");
      } catch (error) {
        setText("note-error", error.message);
      } finally {
        $("note-add").disabled = false;
      }
    });
  }

  // ---------------------------------------------------------------- canned responses

  function insertIntoMessage(text) {
    const box = $("message-text");
    if (box.disabled) {
      setText("message-status", "Claim this conversation to message the caller.");
      return;
    }
    const start = box.selectionStart !== undefined ? box.selectionStart : box.value.length;
    const end = box.selectionEnd !== undefined ? box.selectionEnd : box.value.length;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    const caret = start + text.length;
    box.setSelectionRange(caret, caret);
  }

  function renderCanned() {
    const list = $("canned-list");
    const manage = can("canned");
    clear(list);
    state.canned.forEach(function (item) {
      const insert = el("button", { type: "button", text: "Insert" });
      insert.setAttribute("aria-label", "Insert canned response: " + (item.title || ""));
      insert.addEventListener("click", function () {
        insertIntoMessage(item.text || "");
      });
      const row = el("li", { class: "canned-item" }, [
        el("div", { class: "canned-words" }, [
          el("p", { class: "canned-title", text: item.title || "" }),
          el("p", { class: "canned-text", text: item.text || "" }),
        ]),
        el("div", { class: "canned-buttons" }, [insert]),
      ]);
      if (manage) {
        const edit = el("button", { type: "button", text: "Edit" });
        edit.setAttribute("aria-label", "Edit canned response: " + (item.title || ""));
        edit.addEventListener("click", function () {
          $("canned-id").value = String(item.id);
          $("canned-title").value = item.title || "";
          $("canned-text").value = item.text || "";
          setText("canned-form-heading", "Edit canned response");
          $("canned-cancel").hidden = false;
          $("canned-title").focus();
        });
        const remove = el("button", { type: "button", class: "danger", text: "Delete" });
        remove.setAttribute("aria-label", "Delete canned response: " + (item.title || ""));
        remove.addEventListener("click", async function () {
          if (!window.confirm("Delete the canned response “" + (item.title || "") + "”?")) return;
          setText("canned-error", "");
          try {
            await api("DELETE", "/api/canned/" + encodeURIComponent(item.id));
            await loadCanned();
            announce("Canned response deleted.");
          } catch (error) {
            setText("canned-error", error.message);
          }
        });
        row.lastChild.appendChild(edit);
        row.lastChild.appendChild(remove);
      }
      list.appendChild(row);
    });
    $("canned-empty").hidden = state.canned.length > 0;
  }

  async function loadCanned() {
    try {
      const data = await api("GET", "/api/canned");
      state.canned = data.canned;
      renderCanned();
    } catch (error) {
      if (error.status !== 401) setText("canned-error", error.message);
    }
  }

  function resetCannedForm() {
    $("canned-id").value = "";
    $("canned-title").value = "";
    $("canned-text").value = "";
    setText("canned-form-heading", "Add a canned response");
    $("canned-cancel").hidden = true;
  }

  function bindCanned() {
    if (!can("canned")) return;
    $("canned-form").hidden = false;
    resetCannedForm();
    $("canned-cancel").addEventListener("click", resetCannedForm);
    $("canned-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      setText("canned-error", "");
      const body = { title: $("canned-title").value.trim(), text: $("canned-text").value.trim() };
      if (!body.title || !body.text) {
        setText("canned-error", "A canned response needs a title and a text.");
        return;
      }
      const id = $("canned-id").value;
      try {
        if (id) await api("PUT", "/api/canned/" + encodeURIComponent(id), body);
        else await api("POST", "/api/canned", body);
        resetCannedForm();
        await loadCanned();
        announce("Canned response saved.");
      } catch (error) {
        setText("canned-error", error.message);
      }
    });
  }

  // ---------------------------------------------------------------- directory search

  function fillNeeds(select) {
    state.needs.forEach(function (need) {
      select.appendChild(el("option", { value: need.code, text: need.name || humanize(need.code) }));
    });
  }

  async function loadNeeds() {
    try {
      const data = await api("GET", "/api/directory/needs");
      state.needs = data;
      fillNeeds($("dir-need"));
      fillNeeds($("hist-need"));
      if (state.current) prefillDirectory(state.current.handoff.summary || {});
    } catch (error) {
      if (error.status !== 401) setText("directory-error", error.message);
    }
  }

  function prefillDirectory(summary) {
    const need = typeof summary.need === "string" ? summary.need : "";
    if (need && $("dir-need").querySelector('option[value="' + CSS.escape(need) + '"]')) $("dir-need").value = need;
    else $("dir-need").value = "";
    $("dir-location").value = typeof summary.location === "string" ? summary.location : "";
    const payment = typeof summary.payment === "string" ? summary.payment : "";
    $("dir-payment").value = $("dir-payment").querySelector('option[value="' + CSS.escape(payment) + '"]') ? payment : "";
    $("dir-age").value = summary.age !== undefined && summary.age !== null && /^\d+$/.test(String(summary.age)) ? String(summary.age) : "";
  }

  function sendReferralButton(service) {
    const button = el("button", { type: "button", class: "send-referral primary", text: "Send to caller" });
    button.setAttribute("aria-label", "Send " + (service.name || "this service") + " to the caller");
    const handoff = state.current ? state.current.handoff : null;
    button.disabled = !(handoff && handoff.state === "with_advocate" && isMine(handoff));
    button.addEventListener("click", async function () {
      if (!state.current) return;
      button.disabled = true;
      const old = button.textContent;
      button.textContent = "Sending…";
      setText("directory-error", "");
      try {
        await api("POST", "/api/handoffs/" + encodeURIComponent(state.current.handoff.id) + "/referral", {
          service_id: service.id,
          query: state.lastSearch || {},
        });
        button.textContent = "Sent";
        announce((service.name || "The service") + " was sent to the caller.");
      } catch (error) {
        button.textContent = old;
        button.disabled = false;
        setText("directory-error", error.message);
      }
    });
    return button;
  }

  function bindDirectory() {
    $("directory-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      setText("directory-error", "");
      setText("directory-status", "Searching…");
      clear($("directory-results"));
      clear($("directory-notices"));
      const query = {};
      if ($("dir-need").value) query.need = $("dir-need").value;
      if ($("dir-location").value.trim()) query.location = $("dir-location").value.trim();
      if ($("dir-payment").value) query.payment = $("dir-payment").value;
      if ($("dir-age").value.trim()) query.age = $("dir-age").value.trim();
      const params = new URLSearchParams(query);
      try {
        const data = await api("GET", "/api/directory/search?" + params.toString());
        state.lastSearch = query;
        const results = data.results;
        data.notices.forEach(function (notice) {
          $("directory-notices").appendChild(el("li", { text: notice }));
        });
        results.forEach(function (service) {
          $("directory-results").appendChild(renderCard(service || {}, sendReferralButton));
        });
        setText("directory-status", results.length === 1 ? "1 result." : results.length + " results.");
      } catch (error) {
        setText("directory-status", "");
        setText("directory-error", error.message);
      }
    });
  }

  // ---------------------------------------------------------------- history

  async function loadHistory() {
    state.historyLoaded = true;
    const params = new URLSearchParams();
    [
      ["since", "hist-since"],
      ["until", "hist-until"],
      ["need", "hist-need"],
      ["disposition", "hist-disposition"],
      ["advocate", "hist-advocate"],
    ].forEach(function (pair) {
      const value = $(pair[1]).value.trim();
      if (value) params.set(pair[0], value);
    });
    setText("history-error", "");
    setText("history-status", "Loading…");
    try {
      const data = await api("GET", "/api/history?" + params.toString());
      const items = data.handoffs;
      const list = $("history-list");
      clear(list);
      items.forEach(function (handoff) {
        const open = el("button", { type: "button", class: "history-entry", dataset: { handoffId: String(handoff.id) } }, [
          el("span", { class: "entry-line entry-top" }, [
            el("span", { class: "history-date", text: formatDateTime(handoff.requested_at) }),
            el("span", { class: "badge badge-" + handoff.priority, text: priorityLabel(handoff.priority) }),
          ]),
          el("span", { class: "entry-line", text: handoff.needs_line || "No needs collected" }),
          el("span", {
            class: "entry-line muted",
            text: [
              stateName(handoff.state),
              handoff.disposition ? humanize(handoff.disposition) : null,
              handoff.holder ? "advocate: " + (handoff.holder_name || handoff.holder) : null,
              handoff.channel ? channelLabel(handoff.channel) : null,
            ]
              .filter(Boolean)
              .join(" · "),
          }),
        ]);
        open.addEventListener("click", function () {
          openHistory(handoff.id);
        });
        list.appendChild(el("li", {}, [open]));
      });
      setText("history-status", items.length === 1 ? "1 conversation." : items.length + " conversations.");
    } catch (error) {
      setText("history-status", "");
      setText("history-error", error.message);
    }
  }

  async function openHistory(id) {
    setText("history-error", "");
    try {
      const data = await api("GET", "/api/handoffs/" + encodeURIComponent(id));
      const handoff = data.handoff || {};
      $("history-detail").hidden = false;
      setText("history-detail-title", "Conversation #" + handoff.id);
      setText("history-detail-meta", metaLine(handoff));
      renderSummary($("history-summary"), null, handoff.summary || {});
      renderTranscript($("history-transcript"), Array.isArray(data.transcript) ? data.transcript : []);
      renderNotes($("history-notes"), Array.isArray(data.notes) ? data.notes : []);
      $("history-detail-title").focus();
    } catch (error) {
      setText("history-error", error.message);
    }
  }

  // ---------------------------------------------------------------- callbacks

  async function loadCallbacks() {
    setText("callbacks-error", "");
    try {
      const data = await api("GET", "/api/callbacks");
      const items = data.callbacks;
      const list = $("callbacks-list");
      clear(list);
      items.forEach(function (item) {
        const summary = item.summary && typeof item.summary === "object" ? item.summary : {};
        const needs = ["need", "location"]
          .map(function (key) {
            return formatValue(summary[key]);
          })
          .filter(Boolean)
          .join(" · ");
        const row = el("li", { class: "callback" }, [
          el("p", { class: "callback-phone" }, ["Call ", phoneLink(item.phone || "")]),
          el("p", {
            class: "muted small",
            text: ["asked " + formatDateTime(item.created_at), item.channel ? channelLabel(item.channel) : null, item.status ? humanize(item.status) : null]
              .filter(Boolean)
              .join(" · "),
          }),
          needs ? el("p", { text: needs }) : null,
        ]);
        if (!item.status || item.status === "open") {
          const done = el("button", { type: "button", text: "Mark done" });
          done.setAttribute("aria-label", "Mark the callback to " + (item.phone || "") + " done");
          done.addEventListener("click", async function () {
            done.disabled = true;
            try {
              await api("POST", "/api/callbacks/" + encodeURIComponent(item.id) + "/done");
              announce("Callback marked done.");
              await loadCallbacks();
            } catch (error) {
              done.disabled = false;
              setText("callbacks-error", error.message);
            }
          });
          row.appendChild(done);
        }
        list.appendChild(row);
      });
      $("callbacks-empty").hidden = items.length > 0;
    } catch (error) {
      setText("callbacks-error", error.message);
    }
  }

  // ---------------------------------------------------------------- audit log

  async function loadAudit() {
    if (!can("audit")) return;
    setText("audit-error", "");
    const handoffId = $("audit-handoff").value.trim();
    try {
      const data = await api("GET", "/api/audit" + (handoffId ? "?handoff_id=" + encodeURIComponent(handoffId) : ""));
      const rows = data.audit;
      const body = $("audit-body");
      clear(body);
      rows.forEach(function (row) {
        const detail = row.detail && typeof row.detail === "object" ? JSON.stringify(row.detail) : String(row.detail || "");
        body.appendChild(
          el("tr", {}, [
            el("td", {}, [el("time", { datetime: row.at || "", text: formatDateTime(row.at) })]),
            el("td", { text: row.actor || "" }),
            el("td", { text: humanize(row.action || "") }),
            el("td", { text: row.handoff_id === null || row.handoff_id === undefined ? "" : String(row.handoff_id) }),
            el("td", { class: "mono", text: row.conversation_id || "" }),
            el("td", { class: "mono", text: detail === "{}" ? "" : detail }),
          ])
        );
      });
      if (!rows.length) body.appendChild(el("tr", {}, [el("td", { colspan: "6", class: "muted", text: "Nothing logged." })]));
    } catch (error) {
      setText("audit-error", error.message);
    }
  }

  // ---------------------------------------------------------------- live updates

  function setConnection(text, ok) {
    const node = $("connection");
    node.textContent = text;
    node.classList.toggle("ok", !!ok);
  }

  const TYPING_MS = 5000;

  /** Show "typing…" on the queue entry and in the open conversation while the caller writes. */
  function showTyping() {
    const now = Date.now();
    state.typing.forEach(function (until, id) {
      if (until <= now) state.typing.delete(id);
    });
    document.querySelectorAll("#queue-list [data-handoff-id]").forEach(function (button) {
      const mark = button.querySelector(".entry-typing");
      if (mark) mark.hidden = !state.typing.has(Number(button.dataset.handoffId));
    });
    $("typing").hidden = !(state.currentId !== null && state.typing.has(state.currentId));
  }

  function callerTyping(handoffId) {
    state.typing.set(handoffId, Date.now() + TYPING_MS);
    showTyping();
    window.setTimeout(showTyping, TYPING_MS + 50);
  }

  function handleLive(message) {
    if (!message || typeof message !== "object") return;
    if (message.type === "queue") {
      renderQueue(Array.isArray(message.handoffs) ? message.handoffs : []);
    } else if (message.type === "turn") {
      if (message.turn && message.turn.who === "caller" && state.typing.delete(message.handoff_id)) showTyping();
      const current = state.current ? state.current.handoff : null;
      const loaded = current && current.id === state.currentId;
      const here =
        (message.handoff_id !== undefined && message.handoff_id === state.currentId) ||
        (loaded && message.conversation_id && message.conversation_id === current.conversation_id);
      if (here && message.turn) {
        if (loaded) appendTurn(message.turn);
        else state.pendingTurns.push({ handoffId: state.currentId, turn: message.turn });
      } else if (message.handoff_id !== undefined && message.turn && message.turn.who === "caller") {
        state.unread.add(message.handoff_id);
        renderQueue(state.queue);
        announce("New message from a caller in the queue.");
      }
    } else if (message.type === "typing") {
      if (message.handoff_id !== undefined && message.handoff_id !== null) callerTyping(message.handoff_id);
    } else if (message.type === "alert") {
      state.seenUrgent.add(message.handoff_id);
      raiseAlert(message.text, message.handoff_id, message.kind);
      if (state.current && message.handoff_id === state.current.handoff.id) refreshConversation();
    }
  }

  function connectLive() {
    const url = (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/api/live";
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      scheduleReconnect();
      return;
    }
    state.ws = socket;
    socket.addEventListener("open", function () {
      state.wsDelay = 1000;
      setConnection("Live updates on", true);
      if (state.wsOpened) {
        // Catch up on the open conversation; the socket itself sends the queue on connect.
        refreshConversation();
      }
      state.wsOpened = true;
    });
    socket.addEventListener("message", function (event) {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      handleLive(message);
    });
    socket.addEventListener("close", function () {
      if (state.ws !== socket) return;
      state.ws = null;
      if (session.leaving) return;
      setConnection("Live updates lost: reconnecting…", false);
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    const delay = state.wsDelay + Math.floor(Math.random() * 500);
    state.wsDelay = Math.min(state.wsDelay * 2, 30000);
    window.setTimeout(async function () {
      try {
        await api("GET", "/api/me"); // a 401 sends the advocate to the sign-in page
      } catch (error) {
        if (error.status === 401) return;
      }
      connectLive();
    }, delay);
  }

  // ---------------------------------------------------------------- start

  /** The resolve and history choices, from the one list the server accepts (GET /api/me). */
  function fillDispositions(codes) {
    ["disposition", "hist-disposition"].forEach(function (id) {
      codes.forEach(function (code) {
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
    setText(
      "whoami",
      "Signed in as " + (state.me.display_name || state.me.username || "") + (state.me.role ? " (" + state.me.role + ")" : "")
    );
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
    ["pointerdown", "keydown"].forEach(function (name) {
      document.addEventListener(name, unlockAudio, { once: true, capture: true });
    });

    bindTabs();
    bindConversation();
    bindCanned();
    bindDirectory();
    $("history-form").addEventListener("submit", function (event) {
      event.preventDefault();
      loadHistory();
    });
    $("callbacks-refresh").addEventListener("click", loadCallbacks);
    $("audit-form").addEventListener("submit", function (event) {
      event.preventDefault();
      loadAudit();
    });

    await loadQueue();
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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
