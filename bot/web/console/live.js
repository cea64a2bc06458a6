/* Wayfinder console: the live websocket (/api/live): queue, alerts, turns, typing, presence. */
import { $ } from "./dom.js";
import { api, session } from "./api.js";
import { state, announce } from "./state.js";
import { raiseAlert } from "./alerts.js";
import { renderQueue } from "./queue.js";
import { appendTurn, refreshConversation } from "./conversation.js";
import { setAdvocates, loadAdvocates } from "./presence.js";

const TYPING_MS = 5000;

function setConnection(text, ok) {
  const node = $("connection");
  node.textContent = text;
  node.classList.toggle("ok", !!ok);
}

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

export function handleLive(message) {
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
    raiseAlert(message.handoff_id, message.kind, message.text);
    if (state.current && message.handoff_id === state.current.handoff.id) refreshConversation();
  } else if (message.type === "presence") {
    setAdvocates(message.advocates);
  }
}

export function connectLive() {
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
      loadAdvocates();
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
