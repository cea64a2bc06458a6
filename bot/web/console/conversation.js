/* Wayfinder console: one conversation (transcript, actions, composer, notes). */
import {
  $,
  el,
  clear,
  setText,
  humanize,
  phoneLink,
  webLink,
  formatDateTime,
  formatClock,
  formatValue,
  codeLabel,
  plural,
  priorityLabel,
  channelLabel,
  channelKind,
  reasonLabel,
  stateName,
  LANGUAGE_NAMES,
} from "./dom.js";
import { api, handoffPath } from "./api.js";
import { state, can, isMine, announce } from "./state.js";
import { renderQueue, loadQueue, stateLabel } from "./queue.js";
import { prefillDirectory, clearDirectory } from "./directory.js";
import { updateTransferButton } from "./presence.js";

// ---------------------------------------------------------------- rendering (also used by history)

export function turnKey(turn) {
  return [turn.who, turn.at, turn.text, turn.custom ? JSON.stringify(turn.custom) : ""].join("|");
}

export function renderCard(service, withSend) {
  const facts = [];
  if (typeof service.distance_miles === "number") facts.push(service.distance_miles + " mi");
  else facts.push("by phone or online");
  if (service.open_now === true) facts.push("open now");
  else if (service.open_now === false) facts.push("closed now");
  if (service.hours_today) facts.push("today: " + service.hours_today);
  const card = el("li", { class: "card" }, [
    el("p", { class: "card-name", text: service.name || "Unnamed service" }),
    service.organization && service.organization !== service.name ? el("p", { class: "card-org", text: service.organization }) : null,
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
    const categories = Array.isArray(custom.categories) ? custom.categories.map(codeLabel).join(", ") : "";
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

export function renderTurn(turn) {
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

export function renderTranscript(list, turns) {
  clear(list);
  turns.forEach(function (turn) {
    list.appendChild(renderTurn(turn));
  });
}

const SUMMARY_LABELS = {
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

function needName(code) {
  const need = state.needs.find(function (item) {
    return item.code === code;
  });
  return need && need.name ? need.name : null;
}

export function renderSummary(dl, emptyNode, summary) {
  clear(dl);
  let count = 0;
  Object.keys(summary || {}).forEach(function (key) {
    const raw = summary[key];
    let value = formatValue(raw);
    if ((key === "speaks" || key === "language") && LANGUAGE_NAMES[raw]) value = LANGUAGE_NAMES[raw];
    if (key === "need" && typeof raw === "string" && needName(raw)) value = needName(raw);
    if (key === "pending_needs" && Array.isArray(raw)) {
      value = raw
        .map(function (code) {
          return (typeof code === "string" && needName(code)) || formatValue(code);
        })
        .filter(Boolean)
        .join(", ");
    }
    if (key === "referrals_given" && Array.isArray(raw)) {
      const named = raw.filter(function (item) {
        return item && typeof item === "object" && item.name;
      });
      // The assistant keeps service ids; a referral sent from this console adds its card.
      const others = raw.length - named.length;
      const names = named.map(function (item) {
        return String(item.name);
      });
      if (others) names.push(plural(others, names.length ? "other service" : "service", names.length ? "other services" : "services"));
      value = names.join(", ");
    }
    if (!value) return;
    count += 1;
    dl.appendChild(el("dt", { text: SUMMARY_LABELS[key] || humanize(key) }));
    dl.appendChild(el("dd", { text: (key === "location" || key === "age") && typeof raw !== "object" ? String(raw) : value }));
  });
  if (emptyNode) emptyNode.hidden = count > 0;
}

export function renderNotes(list, notes) {
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

export function metaLine(handoff) {
  const parts = [
    priorityLabel(handoff.priority) + " priority",
    stateLabel(handoff),
    channelLabel(handoff.channel || channelKind(handoff)),
    reasonLabel(handoff.reason),
    "requested " + formatDateTime(handoff.requested_at),
  ];
  if (handoff.language === "es") parts.push("caller writes in Spanish");
  if (handoff.offered_to) parts.push("offered to " + (handoff.offered_to_name || handoff.offered_to));
  if (handoff.wanted_language === "es") parts.push("needs a Spanish-speaking advocate");
  if (handoff.disposition) parts.push("disposition: " + humanize(handoff.disposition));
  return parts.join(" · ");
}

// ---------------------------------------------------------------- the conversation view

export async function openConversation(id, focus) {
  const changed = state.currentId !== id;
  state.currentId = id;
  state.unread.delete(id);
  if (changed) {
    state.pendingTurns = [];
    $("typing").hidden = !state.typing.has(id);
    setText("conv-error", "");
    setText("conv-info", "");
    setText("message-status", "");
    clearDirectory();
  }
  try {
    const data = await api("GET", handoffPath(id));
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

export async function refreshConversation() {
  if (state.currentId === null) return;
  try {
    const data = await api("GET", handoffPath(state.currentId));
    if (data.handoff && state.currentId === data.handoff.id) showConversation(data, false);
  } catch (error) {
    if (error.status !== 401) setText("conv-error", error.message);
  }
}

function scrollToEnd() {
  const pane = $("transcript-log");
  pane.scrollTop = pane.scrollHeight;
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
    scrollToEnd();
  }
  const pending = state.pendingTurns;
  state.pendingTurns = [];
  pending.forEach(function (item) {
    if (item.handoffId === handoff.id) appendTurn(item.turn);
  });
  state.unread.delete(handoff.id);
  showSummary();
  renderNotes($("notes-list"), notes);
  updateControls();
  if (fresh) prefillDirectory(handoff.summary || {});
}

/** The open conversation's collected needs, as last known. */
export function showSummary() {
  if (!state.current) return;
  renderSummary($("summary"), $("summary-empty"), state.current.handoff.summary || {});
}

export function appendTurn(turn) {
  const key = turnKey(turn);
  if (state.turnKeys.has(key)) return;
  state.turnKeys.add(key);
  if (state.current) state.current.transcript.push(turn);
  $("transcript").appendChild(renderTurn(turn));
  scrollToEnd();
}

export function updateControls() {
  const handoff = state.current ? state.current.handoff : null;
  if (!handoff) return;
  const open = handoff.state === "waiting" || handoff.state === "with_advocate";
  const mine = handoff.state === "with_advocate" && isMine(handoff);
  const heldByOther = handoff.state === "with_advocate" && !isMine(handoff);
  $("btn-claim").disabled = handoff.state !== "waiting";
  $("btn-release").disabled = !(mine || (heldByOther && can("takeOver")));
  $("btn-release").textContent = heldByOther ? "Release to the queue" : "Release";
  // A supervisor can take a colleague's conversation over directly; the caller hears who is there now.
  $("btn-takeover").hidden = !(heldByOther && can("takeOver"));
  $("btn-handback").disabled = !mine;
  $("btn-resolve").disabled = !(open || handoff.state === "returned_to_bot");
  $("disposition").disabled = $("btn-resolve").disabled;
  $("message-text").disabled = !mine;
  $("message-send").disabled = !mine;
  updateTransferButton(handoff);
  if (!mine && !state.sending) {
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
  } else if (!state.sending && /Claim this|has this conversation|no longer with/.test($("message-status").textContent)) {
    setText("message-status", "");
  }
  document.querySelectorAll(".send-referral").forEach(function (button) {
    if (button.dataset.sent !== "true") button.disabled = !mine;
  });
}

async function conversationAction(path, body, done) {
  if (!state.current) return;
  const id = state.current.handoff.id;
  setText("conv-error", "");
  setText("conv-info", "");
  try {
    await api("POST", handoffPath(id, path), body);
    if (done) setText("conv-info", done);
  } catch (error) {
    setText("conv-error", error.message);
  }
  await refreshConversation();
  loadQueue();
}

async function sendMessage() {
  if (state.sending || !state.current) return;
  const box = $("message-text");
  const text = box.value.trim();
  if (!text) {
    setText("message-status", "Type a message first.");
    return;
  }
  state.sending = true;
  box.readOnly = true;
  $("message-send").disabled = true;
  $("message-form").setAttribute("aria-busy", "true");
  setText("message-status", "sending…");
  setText("conv-error", "");
  try {
    const data = await api("POST", handoffPath(state.current.handoff.id, "messages"), { text: text });
    if (box.value.trim() === text) box.value = "";
    setText("message-status", "Sent.");
    if (data && data.turn) appendTurn(data.turn);
  } catch (error) {
    setText("message-status", "Not sent.");
    setText("conv-error", error.message);
  } finally {
    state.sending = false;
    box.readOnly = false;
    $("message-form").removeAttribute("aria-busy");
    updateControls();
    box.focus();
  }
}

export function bindConversation() {
  $("btn-claim").addEventListener("click", function () {
    conversationAction("claim", undefined, "You have this conversation.").then(function () {
      if (!$("message-text").disabled) $("message-text").focus();
    });
  });
  $("btn-release").addEventListener("click", function () {
    conversationAction("release", undefined, "Released to the queue.");
  });
  $("btn-takeover").addEventListener("click", function () {
    conversationAction("take-over", undefined, "You have this conversation now.").then(function () {
      if (!$("message-text").disabled) $("message-text").focus();
    });
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
      await api("POST", handoffPath(state.current.handoff.id, "notes"), { text: text });
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

export { conversationAction };
