/* Wayfinder console: the queue, as compact cards, with filters and a search. */
import {
  $,
  el,
  clear,
  setText,
  formatWait,
  priorityLabel,
  channelKind,
  reasonLabel,
  stateName,
  readable,
} from "./dom.js";
import { api } from "./api.js";
import { state, isMine, offeredToMe, speaksSpanish, announce, remember, recall } from "./state.js";
import { raiseAlert, keepAlertsFor, showCounts } from "./alerts.js";
import { openConversation, refreshConversation } from "./conversation.js";

const CHANNEL_SHORT = { web: "Website chat", sms: "SMS", rest: "REST" };
const FILTERS_KEY = "wayfinder.console.queue-filters";

export function stateLabel(handoff) {
  const label = stateName(handoff.state);
  if (handoff.state === "with_advocate" && handoff.holder) {
    return label + ": " + (isMine(handoff) ? "you" : handoff.holder_name || handoff.holder);
  }
  return label;
}

function noteWaitBase(handoff) {
  if (typeof handoff.wait_seconds === "number") state.waitBase.set(handoff.id, Date.now() - handoff.wait_seconds * 1000);
}

export function updateWaits() {
  document.querySelectorAll("[data-wait-for]").forEach(function (node) {
    const base = state.waitBase.get(Number(node.dataset.waitFor));
    if (base !== undefined) node.textContent = "waiting " + formatWait((Date.now() - base) / 1000);
  });
}

// ---------------------------------------------------------------- filters

function filters() {
  return {
    urgent: $("filter-urgent").checked,
    waiting: $("filter-waiting").checked,
    mine: $("filter-mine").checked,
    channel: $("filter-channel").value,
    language: $("filter-language").value,
    search: $("queue-search").value.trim().toLowerCase(),
  };
}

function matches(handoff, chosen) {
  if (chosen.urgent && handoff.priority !== "urgent") return false;
  if (chosen.waiting && handoff.state !== "waiting") return false;
  if (chosen.mine && !(isMine(handoff) || offeredToMe(handoff))) return false;
  if (chosen.channel && channelKind(handoff) !== chosen.channel) return false;
  if (chosen.language && (handoff.language || "en") !== chosen.language) return false;
  if (chosen.search) {
    const haystack = [handoff.needs_line || "", readable(handoff.needs_line), handoff.conversation_id || "", "#" + handoff.id]
      .join(" ")
      .toLowerCase();
    if (haystack.indexOf(chosen.search) < 0) return false;
  }
  return true;
}

/** Urgent first always; a Spanish speaker then sees Spanish-speaking callers (and requests for Spanish) first. */
function inLanguageOrder(handoffs) {
  if (!speaksSpanish()) return handoffs;
  const spanish = function (handoff) {
    return handoff.language === "es" || handoff.wanted_language === "es";
  };
  return handoffs.slice().sort(function (a, b) {
    const urgent = (b.priority === "urgent") - (a.priority === "urgent");
    return urgent || spanish(b) - spanish(a);
  });
}

export function bindQueueFilters() {
  const saved = recall(FILTERS_KEY, {});
  ["urgent", "waiting", "mine"].forEach(function (name) {
    $("filter-" + name).checked = saved[name] === true;
  });
  if (typeof saved.channel === "string") $("filter-channel").value = saved.channel;
  if (typeof saved.language === "string") $("filter-language").value = saved.language;
  if (!$("filter-channel").value) $("filter-channel").value = "";
  ["filter-urgent", "filter-waiting", "filter-mine", "filter-channel", "filter-language"].forEach(function (id) {
    $(id).addEventListener("change", function () {
      const chosen = filters();
      delete chosen.search;
      remember(FILTERS_KEY, chosen);
      renderQueue(state.queue);
    });
  });
  $("queue-search").addEventListener("input", function () {
    renderQueue(state.queue);
  });
  $("queue-filters").addEventListener("submit", function (event) {
    event.preventDefault();
  });
  $("filters-clear").addEventListener("click", function () {
    ["filter-urgent", "filter-waiting", "filter-mine"].forEach(function (id) {
      $(id).checked = false;
    });
    $("filter-channel").value = "";
    $("filter-language").value = "";
    $("queue-search").value = "";
    remember(FILTERS_KEY, {});
    renderQueue(state.queue);
  });
}

// ---------------------------------------------------------------- cards

function card(handoff) {
  const selected = state.currentId === handoff.id;
  const classes = ["queue-item", "priority-" + handoff.priority, "state-" + handoff.state];
  if (selected) classes.push("selected");
  const kind = channelKind(handoff);
  const typing = (state.typing.get(handoff.id) || 0) > Date.now();
  const holder = handoff.state === "with_advocate" ? stateLabel(handoff) : null;
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
        el("span", { class: "badge badge-" + handoff.priority, text: priorityLabel(handoff.priority) }),
        handoff.state === "waiting"
          ? el("span", { class: "entry-wait", dataset: { waitFor: String(handoff.id) } })
          : el("span", { class: "entry-state", text: holder || stateName(handoff.state) }),
        el("span", { class: "entry-channel", text: CHANNEL_SHORT[kind] || "Other channel" }),
        handoff.language === "es" ? el("span", { class: "badge badge-language", lang: "es", text: "Español" }) : null,
        handoff.offered_to
          ? el("span", {
              class: "badge badge-offer",
              text: "for " + (offeredToMe(handoff) ? "you" : handoff.offered_to_name || handoff.offered_to),
            })
          : null,
        handoff.wanted_language === "es" ? el("span", { class: "badge badge-offer", text: "needs Spanish" }) : null,
        state.unread.has(handoff.id) ? el("span", { class: "entry-unread", text: "New message" }) : null,
        el("span", { class: "entry-typing", text: "typing…", hidden: !typing }),
        el("span", { class: "entry-id", text: "#" + handoff.id }),
      ]),
      el("span", { class: "entry-line entry-needs" }, [
        el("span", { class: "entry-reason", text: reasonLabel(handoff.reason) }),
        " · " + (readable(handoff.needs_line) || "No needs collected yet"),
      ]),
    ]
  );
  button.title = [reasonLabel(handoff.reason), readable(handoff.needs_line), handoff.conversation_id || ""].filter(Boolean).join(" · ");
  button.addEventListener("click", function () {
    openConversation(handoff.id, true);
  });
  return el("li", { class: classes.join(" ") }, [button]);
}

export function renderQueue(all) {
  state.queue = all;
  const ordered = inLanguageOrder(all);
  const chosen = filters();
  const shown = ordered.filter(function (handoff) {
    return matches(handoff, chosen);
  });
  const list = $("queue-list");
  const focused = document.activeElement;
  const focusedId = focused && focused.closest && focused.closest("#queue-list") ? focused.dataset.handoffId : null;
  clear(list);
  const fragment = document.createDocumentFragment();
  ordered.forEach(noteWaitBase);
  shown.forEach(function (handoff) {
    fragment.appendChild(card(handoff));
  });
  list.appendChild(fragment);
  const filtered = shown.length !== ordered.length;
  setText("queue-count", ordered.length ? (filtered ? "(" + shown.length + " of " + ordered.length + ")" : "(" + ordered.length + ")") : "");
  $("queue-empty").hidden = shown.length > 0;
  setText("queue-empty", ordered.length ? "No request matches these filters." : "No one is waiting.");
  updateWaits();
  if (focusedId) {
    const again = list.querySelector('[data-handoff-id="' + focusedId + '"]');
    if (again) again.focus();
  }
  showCounts(all);
  // Urgent requests the server has not alerted this page to (urgent before it opened) go in the strip.
  all.forEach(function (handoff) {
    if (handoff.priority === "urgent" && handoff.state === "waiting") {
      raiseAlert(
        handoff.id,
        handoff.crisis_at ? "crisis" : "urgent",
        "A caller is waiting" + (handoff.needs_line ? ": " + readable(handoff.needs_line) : "") + "."
      );
    }
  });
  keepAlertsFor(all);
  if (state.knownIds) {
    const fresh = all.filter(function (handoff) {
      return !state.knownIds.has(handoff.id);
    });
    if (fresh.length) announce(fresh.length === 1 ? "A new conversation is in the queue." : fresh.length + " new conversations are in the queue.");
  }
  state.knownIds = new Set(
    all.map(function (handoff) {
      return handoff.id;
    })
  );
  // Keep the open conversation's header in step with the queue.
  if (state.current) {
    const current = state.current.handoff;
    const mine = all.find(function (handoff) {
      return handoff.id === current.id;
    });
    if (mine) {
      if (
        mine.state !== current.state ||
        mine.holder !== current.holder ||
        mine.priority !== current.priority ||
        (mine.offered_to || null) !== (current.offered_to || null) ||
        (mine.wanted_language || null) !== (current.wanted_language || null)
      ) {
        refreshConversation();
      }
    } else if (current.state === "waiting" || current.state === "with_advocate") {
      refreshConversation(); // it left the queue (handed back, resolved, abandoned)
    }
  }
}

export async function loadQueue() {
  try {
    const data = await api("GET", "/api/queue");
    renderQueue(data.handoffs);
  } catch (error) {
    if (error.status !== 401) setText("fatal", error.message);
  }
}
