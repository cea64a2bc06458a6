/* Wayfinder console: the directory search beside a conversation, and sending a referral. */
import { $, el, clear, setText, humanize } from "./dom.js";
import { api, handoffPath } from "./api.js";
import { state, isMine, announce } from "./state.js";
import { renderCard, showSummary } from "./conversation.js";

function fillNeeds(select) {
  state.needs.forEach(function (need) {
    select.appendChild(el("option", { value: need.code, text: need.name || humanize(need.code) }));
  });
}

export async function loadNeeds() {
  try {
    const data = await api("GET", "/api/directory/needs");
    state.needs = Array.isArray(data) ? data : [];
    fillNeeds($("dir-need"));
    fillNeeds($("hist-need"));
    if (state.current) {
      prefillDirectory(state.current.handoff.summary || {});
      showSummary();
    }
  } catch (error) {
    if (error.status !== 401) setText("directory-error", error.message);
  }
}

function choose(select, value) {
  const text = typeof value === "string" ? value : "";
  select.value = text && select.querySelector('option[value="' + CSS.escape(text) + '"]') ? text : "";
}

export function prefillDirectory(summary) {
  choose($("dir-need"), summary.need);
  $("dir-location").value = typeof summary.location === "string" ? summary.location : "";
  choose($("dir-payment"), summary.payment);
  $("dir-age").value = summary.age !== undefined && summary.age !== null && /^\d+$/.test(String(summary.age)) ? String(summary.age) : "";
  // The language the caller asked a provider to speak (not the one they write in).
  choose($("dir-language"), summary.language);
  const access = Array.isArray(summary.access) ? summary.access : [summary.access];
  $("dir-walk-in").checked = access.indexOf("walk_in") >= 0;
  $("dir-telehealth").checked = access.indexOf("telehealth") >= 0;
  $("dir-open-now").checked = false;
}

export function clearDirectory() {
  clear($("directory-results"));
  clear($("directory-notices"));
  setText("directory-status", "");
  setText("directory-error", "");
}

/** The open conversation's "Referrals already given", with a service just sent. */
function noteReferral(service) {
  if (!state.current || !service) return;
  const summary = Object.assign({}, state.current.handoff.summary || {});
  let given = Array.isArray(summary.referrals_given) ? summary.referrals_given.slice() : [];
  let already = false;
  // The assistant may keep a service by its id: the card sent takes its place, named.
  given = given.map(function (item) {
    const same =
      (service.id && (item === service.id || (item && typeof item === "object" && item.id === service.id))) ||
      (service.name && item && typeof item === "object" && item.name === service.name);
    if (!same) return item;
    already = true;
    return typeof item === "object" && item.name ? item : service;
  });
  if (!already) given.push(service);
  summary.referrals_given = given;
  state.current.handoff.summary = summary;
  showSummary();
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
      const data = await api("POST", handoffPath(state.current.handoff.id, "referral"), {
        service_id: service.id,
        query: state.lastSearch || {},
      });
      button.textContent = "Sent";
      button.dataset.sent = "true";
      if (data && data.handoff && data.handoff.summary && state.current && data.handoff.id === state.current.handoff.id) {
        state.current.handoff.summary = data.handoff.summary;
      }
      noteReferral((data && data.service) || service);
      announce((service.name || "The service") + " was sent to the caller.");
    } catch (error) {
      button.textContent = old;
      button.disabled = false;
      setText("directory-error", error.message);
    }
  });
  return button;
}

function query() {
  const chosen = {};
  if ($("dir-need").value) chosen.need = $("dir-need").value;
  if ($("dir-location").value.trim()) chosen.location = $("dir-location").value.trim();
  if ($("dir-payment").value) chosen.payment = $("dir-payment").value;
  if ($("dir-age").value.trim()) chosen.age = $("dir-age").value.trim();
  if ($("dir-language").value) chosen.language = $("dir-language").value;
  if ($("dir-open-now").checked) chosen.open_now = "1";
  if ($("dir-walk-in").checked) chosen.walk_in = "1";
  if ($("dir-telehealth").checked) chosen.telehealth = "1";
  return chosen;
}

export function bindDirectory() {
  $("directory-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    clearDirectory();
    setText("directory-status", "Searching…");
    const chosen = query();
    try {
      const data = await api("GET", "/api/directory/search?" + new URLSearchParams(chosen).toString());
      state.lastSearch = chosen;
      const results = Array.isArray(data.results) ? data.results : [];
      (Array.isArray(data.notices) ? data.notices : []).forEach(function (notice) {
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
