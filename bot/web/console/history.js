/* Wayfinder console: the records tabs: history, callback requests and (supervisors) the audit log. */
import {
  $,
  el,
  clear,
  setText,
  humanize,
  phoneLink,
  formatDateTime,
  formatValue,
  priorityLabel,
  stateName,
  channelLabel,
  channelKind,
  readable,
} from "./dom.js";
import { api, handoffPath } from "./api.js";
import { state, can, announce } from "./state.js";
import { renderSummary, renderTranscript, renderNotes, metaLine } from "./conversation.js";

// ---------------------------------------------------------------- history

export async function loadHistory() {
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
        el("span", { class: "entry-line", text: readable(handoff.needs_line) || "No needs collected" }),
        el("span", {
          class: "entry-line muted",
          text: [
            stateName(handoff.state),
            handoff.disposition ? humanize(handoff.disposition) : null,
            handoff.holder ? "advocate: " + (handoff.holder_name || handoff.holder) : null,
            handoff.channel || channelKind(handoff) ? channelLabel(handoff.channel || channelKind(handoff)) : null,
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
    const data = await api("GET", handoffPath(id));
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

export async function loadCallbacks() {
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
    list.hidden = items.length === 0;
    $("callbacks-empty").hidden = items.length > 0;
  } catch (error) {
    setText("callbacks-error", error.message);
  }
}

// ---------------------------------------------------------------- audit log

export async function loadAudit() {
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

export function bindRecords() {
  $("history-form").addEventListener("submit", function (event) {
    event.preventDefault();
    loadHistory();
  });
  $("callbacks-refresh").addEventListener("click", loadCallbacks);
  $("audit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    loadAudit();
  });
}
