/* Wayfinder console: what the page knows, shared by every module. */
import { $ } from "./dom.js";

export const state = {
  me: null,
  permissions: new Set(),
  queue: [],
  knownIds: null, // the queue's ids as last drawn; null until the first queue arrives
  current: null, // {handoff, transcript, notes}
  currentId: null,
  turnKeys: new Set(),
  pendingTurns: [], // turns of the conversation being opened, arrived before its transcript
  unread: new Set(),
  canned: [],
  needs: [],
  lastSearch: null,
  advocates: [], // GET /api/advocates, kept fresh by the live "presence" messages
  presence: null, // mine: {status, languages}
  ws: null,
  wsDelay: 1000,
  wsOpened: false,
  typing: new Map(), // handoff id -> until when (epoch ms) the caller counts as typing
  waitBase: new Map(), // handoff id -> epoch ms when the wait started (server's clock adjusted)
  historyLoaded: false,
  sending: false,
};

// Permission names as GET /api/me lists them (bot/console/accounts.py).
const PERMISSIONS = { audit: "read_audit", canned: "manage_canned", takeOver: "take_over" };

export function can(kind) {
  return state.permissions.has(PERMISSIONS[kind]);
}

export function myName() {
  return state.me ? state.me.username : null;
}

export function isMine(handoff) {
  if (!handoff || !handoff.holder || !state.me) return false;
  return handoff.holder === state.me.username;
}

export function offeredToMe(handoff) {
  return !!(handoff && handoff.offered_to && state.me && handoff.offered_to === state.me.username);
}

/** Do I speak Spanish (my presence says so)? */
export function speaksSpanish() {
  return !!(state.presence && Array.isArray(state.presence.languages) && state.presence.languages.indexOf("es") >= 0);
}

let announceTimer = null;

/** A polite announcement for screen readers; a newer one replaces one not yet read. */
export function announce(text) {
  const node = $("announcer");
  node.textContent = "";
  window.clearTimeout(announceTimer);
  // A fresh text node is announced even when the words repeat.
  announceTimer = window.setTimeout(function () {
    node.textContent = text;
  }, 50);
}

/** Keep a value in this browser; blocked storage only means it lasts as long as the page. */
export function remember(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch (error) {
    /* blocked storage */
  }
}

export function recall(key, fallback) {
  try {
    const text = window.localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch (error) {
    return fallback;
  }
}
