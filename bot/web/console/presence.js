/* Wayfinder console: who is on (presence: Available / Away, languages) and transfers to a colleague.
 *
 * GET /api/advocates, PUT /api/presence, POST /api/handoffs/<id>/transfer; the live socket's
 * "presence" messages keep the list fresh.
 */
import { $, el, clear, setText } from "./dom.js";
import { api, handoffPath } from "./api.js";
import { state, isMine, announce } from "./state.js";
import { renderQueue, loadQueue } from "./queue.js";
import { refreshConversation } from "./conversation.js";

const STATUS_LABELS = { available: "Available", away: "Away", offline: "Offline" };
let presenceServed = true; // false when the server has no presence API yet (404)

function statusLabel(status) {
  return STATUS_LABELS[status] || "Offline";
}

function showMine() {
  const mine = state.presence || { status: "available", languages: [] };
  $("presence-status").value = mine.status === "away" ? "away" : "available";
  $("speaks-spanish").checked = Array.isArray(mine.languages) && mine.languages.indexOf("es") >= 0;
  document.body.classList.toggle("is-away", mine.status === "away");
}

/** The advocates' list, from the server or a live "presence" message. */
export function setAdvocates(advocates) {
  state.advocates = Array.isArray(advocates) ? advocates : [];
  const me = state.advocates.find(function (advocate) {
    return state.me && advocate.username === state.me.username;
  });
  const before = JSON.stringify(state.presence && state.presence.languages);
  if (me) state.presence = { status: me.status, languages: Array.isArray(me.languages) ? me.languages : [] };
  showMine();
  if (before !== JSON.stringify(state.presence && state.presence.languages)) renderQueue(state.queue);
  if ($("transfer-dialog").open) fillColleagues();
}

export async function loadAdvocates() {
  try {
    const data = await api("GET", "/api/advocates");
    presenceServed = true;
    setAdvocates(data.advocates);
  } catch (error) {
    if (error.status === 404) {
      presenceServed = false;
      setText("presence-error", "");
    } else if (error.status !== 401) {
      setText("presence-error", "Presence: " + error.message);
    }
    showMine();
  }
}

async function savePresence() {
  const wanted = {
    status: $("presence-status").value === "away" ? "away" : "available",
    languages: $("speaks-spanish").checked ? ["en", "es"] : ["en"],
  };
  const before = state.presence;
  state.presence = wanted; // the queue's order follows at once
  renderQueue(state.queue);
  setText("presence-error", "");
  try {
    const data = await api("PUT", "/api/presence", wanted);
    if (data && data.presence) state.presence = { status: data.presence.status, languages: data.presence.languages || [] };
    announce(
      "Your status: " + statusLabel(state.presence.status) + (wanted.languages.indexOf("es") >= 0 ? ", Spanish-speaking callers first." : ".")
    );
  } catch (error) {
    if (error.status === 404) {
      presenceServed = false; // the choice lasts as long as the page
    } else if (error.status !== 401) {
      state.presence = before;
      setText("presence-error", error.message);
    }
  }
  showMine();
  renderQueue(state.queue);
}

export function bindPresence() {
  $("presence-status").addEventListener("change", savePresence);
  $("speaks-spanish").addEventListener("change", savePresence);
  bindTransfer();
}

// ---------------------------------------------------------------- transfer

/** Only the advocate holding a conversation hands it on (it goes back in line, offered on). */
export function updateTransferButton(handoff) {
  $("btn-transfer").disabled = !(handoff && handoff.state === "with_advocate" && isMine(handoff));
}

function fillColleagues() {
  const select = $("transfer-to");
  const chosen = select.value;
  clear(select);
  select.appendChild(el("option", { value: "", text: "Choose…" }));
  select.appendChild(el("option", { value: "lang:es", text: "Any Spanish-speaking advocate" }));
  const others = state.advocates.filter(function (advocate) {
    return !(state.me && advocate.username === state.me.username);
  });
  const order = { available: 0, away: 1, offline: 2 };
  others
    .slice()
    .sort(function (a, b) {
      return (order[a.status] ?? 3) - (order[b.status] ?? 3) || String(a.display_name).localeCompare(String(b.display_name));
    })
    .forEach(function (advocate) {
      const languages = Array.isArray(advocate.languages) && advocate.languages.indexOf("es") >= 0 ? ", speaks Spanish" : "";
      select.appendChild(
        el("option", {
          value: "user:" + advocate.username,
          text: (advocate.display_name || advocate.username) + " (" + statusLabel(advocate.status) + languages + ")",
        })
      );
    });
  if (select.querySelector('option[value="' + CSS.escape(chosen) + '"]')) select.value = chosen;
  setText("transfer-help", others.length ? "" : presenceServed ? "No colleague is signed up yet." : "The colleagues' list is not available yet.");
}

function bindTransfer() {
  const dialog = $("transfer-dialog");
  $("btn-transfer").addEventListener("click", async function () {
    setText("transfer-error", "");
    $("transfer-note").value = "";
    fillColleagues();
    dialog.showModal();
    $("transfer-to").focus();
    await loadAdvocates();
    fillColleagues();
  });
  $("transfer-cancel").addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () {
    $("btn-transfer").focus();
  });
  $("transfer-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!state.current) return;
    const to = $("transfer-to").value;
    const note = $("transfer-note").value.trim();
    setText("transfer-error", "");
    if (!to) {
      setText("transfer-error", "Choose a colleague, or any Spanish-speaking advocate.");
      $("transfer-to").focus();
      return;
    }
    if (!note) {
      setText("transfer-error", "Write a note for the colleague: what the caller needs, what was done.");
      $("transfer-note").focus();
      return;
    }
    const body = to === "lang:es" ? { language: "es", note: note } : { to: to.slice(5), note: note };
    const label = $("transfer-to").selectedOptions[0] ? $("transfer-to").selectedOptions[0].textContent : "";
    $("transfer-send").disabled = true;
    try {
      await api("POST", handoffPath(state.current.handoff.id, "transfer"), body);
      dialog.close();
      setText("conv-info", to === "lang:es" ? "Offered to any Spanish-speaking advocate." : "Offered to " + label.replace(/ \(.*\)$/, "") + ".");
      await refreshConversation();
      loadQueue();
    } catch (error) {
      setText("transfer-error", error.status === 404 ? "Transfers are not available on this server yet." : error.message);
    } finally {
      $("transfer-send").disabled = false;
    }
  });
}
