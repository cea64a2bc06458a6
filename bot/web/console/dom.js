/* Wayfinder console: element helpers, formatting and the labels for the server's codes.
 *
 * Rules kept throughout (the pages run under a strict Content-Security-Policy):
 * - every piece of text from the server goes into the page with textContent or
 *   createElement: never innerHTML, so a caller's "<script>" stays text;
 * - links only as tel: (digits) and http(s): URLs;
 * - no inline scripts, styles or event handlers; no eval.
 */

export function $(id) {
  return document.getElementById(id);
}

/** Build an element: attrs may hold class, text, hidden, dataset and plain attributes. */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  const options = attrs || {};
  Object.keys(options).forEach(function (key) {
    const value = options[key];
    if (value === undefined || value === null || value === false) return;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "hidden") node.hidden = true;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "type" || key === "value" || key === "disabled" || key === "title" || key === "checked") node[key] = value;
    else if (/^on/i.test(key)) throw new Error("no inline handlers");
    else node.setAttribute(key, value === true ? "" : String(value));
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined || child === false) return;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function setText(id, text) {
  const node = $(id);
  if (node) node.textContent = text || "";
}

export function humanize(code) {
  if (code === null || code === undefined) return "";
  const text = String(code).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(count, one, many) {
  return count + " " + (count === 1 ? one : many);
}

/** A tel: link from the digits of a phone number, or plain text when there are too few. */
export function phoneLink(phone) {
  const text = String(phone);
  const digits = text.replace(/[^0-9]/g, "");
  if (digits.length < 3) return document.createTextNode(text);
  return el("a", { href: "tel:" + digits, text: text });
}

/** An http(s) link, or nothing for any other scheme. */
export function webLink(url, label) {
  let parsed;
  try {
    parsed = new URL(String(url));
  } catch (error) {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return el("a", { href: parsed.href, text: label || parsed.href, target: "_blank", rel: "noopener noreferrer" });
}

export function parseTime(value) {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

export function formatDateTime(value) {
  const date = parseTime(value);
  return date ? date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "";
}

export function formatClock(value) {
  const date = parseTime(value);
  return date ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
}

export function formatWait(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  if (total < 60) return total + " s";
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return minutes + " min " + (total % 60) + " s";
  return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
}

// ---------------------------------------------------------------- labels for the server's codes

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
const CHANNELS = { socketio: "Website chat", twilio: "SMS", sms: "SMS", rest: "Web API (REST)", web: "Website chat" };
// Codes the assistant collects, in words (never "sliding_fee" or "plan_or_means" on screen).
export const CODE_LABELS = {
  medicaid: "Medicaid (Medical Assistance)",
  medicare: "Medicare",
  private_insurance: "Private insurance",
  sliding_fee: "Uninsured / sliding fee scale",
  uninsured: "Uninsured",
  free: "Free",
  self_pay: "Self-pay",
  // Crisis categories (bot/safety/detector.py)
  overdose: "Overdose",
  suicidal: "Suicidal thoughts",
  plan_or_means: "A plan or the means",
  self_harm: "Self-harm",
  harm_to_others: "Harm to others",
  danger_at_home: "Danger at home",
  psychosis: "Psychosis",
  exploitation: "Exploitation",
  self: "Themselves",
  someone_else: "Someone else",
  walk_in: "Walk-in",
  telehealth: "Telehealth",
};
export const LANGUAGE_NAMES = { en: "English", es: "Spanish" };

export function codeLabel(code) {
  if (code === null || code === undefined) return "";
  return CODE_LABELS[code] || LANGUAGE_NAMES[code] || humanize(code);
}

/** The server's one-line summary with any code still in it (e.g. "sliding_fee") in words. */
export function readable(line) {
  return String(line || "").replace(/\b[a-z]+(?:_[a-z]+)+\b/g, function (code) {
    return CODE_LABELS[code] ? CODE_LABELS[code].toLowerCase() : code.replace(/_/g, " ");
  });
}

export function channelLabel(channel) {
  return CHANNELS[channel] || humanize(channel) || "Unknown channel";
}

/** web, sms or rest: what the conversation id says ("web:…", "sms:…", "rest:…"). */
export function channelKind(handoff) {
  const match = /^(web|sms|rest):/.exec(String(handoff.conversation_id || ""));
  if (match) return match[1];
  if (handoff.channel === "socketio") return "web";
  if (handoff.channel === "twilio" || handoff.channel === "sms") return "sms";
  if (handoff.channel === "rest") return "rest";
  return "";
}

export function reasonLabel(reason) {
  return REASONS[reason] || humanize(reason) || "Unknown reason";
}

export function priorityLabel(priority) {
  return PRIORITY_LABELS[priority] || humanize(priority);
}

export function stateName(code) {
  return STATE_LABELS[code] || humanize(code);
}

export function formatValue(value) {
  if (value === null || value === undefined || value === "") return "";
  if (Array.isArray(value)) return value.map(formatValue).filter(Boolean).join(", ");
  if (typeof value === "object") {
    if (value.name) return String(value.name);
    if (value.label) return String(value.label);
    if (value.title) return String(value.title);
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return codeLabel(value);
}
