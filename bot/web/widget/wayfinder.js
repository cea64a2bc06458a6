/*
 * Wayfinder website chat widget: vanilla JavaScript, no build step.
 *
 * Embed on any page:
 *   <script>window.WayfinderWidget = {socketUrl: "https://rasa.example.org"};</script>
 *   <script src="https://console.example.org/widget/wayfinder.js" defer></script>
 *
 * It speaks Rasa's socket.io protocol with session persistence (session_request /
 * session_confirm, user_uttered with session_id, bot_uttered) and Wayfinder's
 * session_history, so a reload or a lost connection keeps the conversation.
 *
 * Everything a person or the server wrote is inserted with textContent; links are
 * built only from validated fields (tel: from digits, map links with
 * encodeURIComponent, http(s) URLs only). There is no innerHTML in this file.
 */
(function () {
  "use strict";

  if (window.__wayfinderWidget) return;
  window.__wayfinderWidget = true;

  var SCRIPT = document.currentScript;
  var BASE = SCRIPT && SCRIPT.src ? SCRIPT.src.replace(/[^/?#]*([?#].*)?$/, "") : "";
  var STORAGE_KEY = "wayfinder.widget";
  // The caller's choice of a sound for new messages: kept on this device (off until turned on).
  var SOUND_KEY = "wayfinder.sound";
  var MAX_MESSAGE_CHARS = 2000; // the server reads no more than this (bot/channels/rest.py)
  var TYPING_TIMEOUT_MS = 30000;
  var ESCAPES_FOR_EXIT = 3;
  var ESCAPE_WINDOW_MS = 1500;

  var DEFAULTS = {
    socketUrl: "",
    socketPath: "/socket.io/",
    socketIoClientUrl: BASE + "vendor/socket.io.min.js",
    stylesheetUrl: BASE + "wayfinder.css",
    position: "right",
    // "session" forgets the conversation when the tab closes (safer on a shared device); "local" keeps it.
    storage: "session",
    initPayload: "/greet",
    exitUrl: "https://www.google.com/search?q=weather",
    escapeExit: true,
    mapUrl: "https://www.google.com/maps/search/?api=1&query=",
    title: "Wayfinder",
    subtitle: "",
    // The page's colours in light mode, and in dark mode ("colorScheme": "auto" follows the
    // caller's system setting; "light" keeps the light colours always).
    colorScheme: "auto",
    colors: {
      primary: "#1d4f7a",
      primaryText: "#ffffff",
      background: "#ffffff",
      text: "#1b1b1b",
      muted: "#4a4a4a",
      botBubble: "#eef2f6",
      botText: "#1b1b1b",
      userBubble: "#1d4f7a",
      userText: "#ffffff",
      crisis: "#8b1a1a",
      crisisText: "#ffffff",
      exit: "#5c1a6b",
      exitText: "#ffffff",
      focus: "#ffbf47",
    },
    darkColors: {
      primary: "#8cc4f2",
      primaryText: "#0b1b2b",
      background: "#15181c",
      text: "#ececec",
      muted: "#c2c2c2",
      botBubble: "#262b31",
      botText: "#ececec",
      userBubble: "#2b5d8a",
      userText: "#ffffff",
      crisis: "#8b1a1a",
      crisisText: "#ffffff",
      exit: "#5c1a6b",
      exitText: "#ffffff",
      focus: "#ffbf47",
    },
    // The page may set the conversation's first language ("en" or "es"); the caller's own
    // language then takes over (each bot message's payload says which it is in).
    language: "",
    // The widget's words come from the copy catalog (data/copy/caller.yml), which the server
    // puts in front of this script as window.__wayfinderCopy; a page may override them.
    texts: {},
  };

  // ---------- configuration ----------

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function merge(defaults, given) {
    var out = {};
    Object.keys(defaults).forEach(function (key) {
      var value = isObject(given) ? given[key] : undefined;
      if (isObject(defaults[key])) out[key] = merge(defaults[key], value);
      else if (value === undefined || value === null) out[key] = defaults[key];
      else if (typeof value === typeof defaults[key]) out[key] = value;
      else out[key] = defaults[key];
    });
    return out;
  }

  var COPY = isObject(window.__wayfinderCopy) ? window.__wayfinderCopy : {};
  var config = merge(DEFAULTS, window.WayfinderWidget);
  var PAGE_TEXTS = isObject(window.WayfinderWidget) && isObject(window.WayfinderWidget.texts)
    ? window.WayfinderWidget.texts
    : {};
  var PAGE_LANGUAGE = isObject(COPY[config.language]) ? config.language : "en";
  if (!config.socketUrl) config.socketUrl = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src).origin : location.origin;
  if (!httpUrl(config.exitUrl)) config.exitUrl = DEFAULTS.exitUrl;
  if (!httpUrl(config.mapUrl)) config.mapUrl = DEFAULTS.mapUrl;

  // The widget's words in a language: the catalog's, with the page's own for the page's language.
  function textsFor(language) {
    var own = isObject(COPY[language]) ? COPY[language] : COPY.en || {};
    return merge(own, language === PAGE_LANGUAGE ? PAGE_TEXTS : {});
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // ---------- validated links ----------

  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value, location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function dialable(phone) {
    // "(215) 555-0134 ext. 2" -> "2155550134": the main number; an extension is read from the text.
    if (typeof phone !== "string") return null;
    var main = phone.split(/ext|x|,|;/i)[0];
    var plus = /^\s*\+/.test(main) ? "+" : "";
    var digits = main.replace(/\D/g, "");
    return digits.length >= 3 && digits.length <= 15 ? plus + digits : null;
  }

  function text(value) {
    return typeof value === "string" ? value.trim() : "";
  }

  // ---------- storage ----------

  function store() {
    try {
      return config.storage === "local" ? window.localStorage : window.sessionStorage;
    } catch (error) {
      return null; // storage can be blocked; the conversation then lasts as long as the page
    }
  }

  function loadState() {
    try {
      var saved = JSON.parse((store() && store().getItem(STORAGE_KEY)) || "null");
      return isObject(saved) ? saved : {};
    } catch (error) {
      return {};
    }
  }

  function saveState() {
    try {
      if (store()) store().setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      /* full or blocked storage: nothing to do */
    }
  }

  function clearStorage() {
    [window.localStorage, window.sessionStorage].forEach(function (storage) {
      try {
        for (var i = storage.length - 1; i >= 0; i--) {
          var key = storage.key(i);
          if (key && key.indexOf("wayfinder.") === 0) storage.removeItem(key);
        }
      } catch (error) {
        /* blocked storage holds nothing of ours */
      }
    });
  }

  var saved = loadState();
  var state = {
    sessionId: typeof saved.sessionId === "string" ? saved.sessionId : null,
    // The server's signed proof that this conversation is ours: the only way back into it.
    resumeToken: typeof saved.resumeToken === "string" ? saved.resumeToken : null,
    open: saved.open === true,
    greeted: saved.greeted === true,
    language: isObject(COPY[saved.language]) ? saved.language : PAGE_LANGUAGE,
    // Bot and advocate messages that arrived while the chat was closed (or the tab hidden).
    unread: typeof saved.unread === "number" && saved.unread > 0 ? Math.min(Math.floor(saved.unread), 99) : 0,
  };
  var T = textsFor(state.language);

  function soundSaved() {
    try {
      return window.localStorage.getItem(SOUND_KEY) === "on";
    } catch (error) {
      return false;
    }
  }
  var soundOn = soundSaved();

  // ---------- DOM helpers ----------

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  // Nodes whose words follow the conversation's language: [node, key, where].
  var labelled = [];

  function label(node, key, where) {
    labelled.push([node, key, where || "text"]);
    applyLabel(node, key, where || "text");
    return node;
  }

  function applyLabel(node, key, where) {
    if (where === "text") node.textContent = T[key];
    else node.setAttribute(where, T[key]);
  }

  function subtitleText() {
    return config.subtitle || T.subtitle;
  }

  function setLanguage(language) {
    if (language === state.language || !isObject(COPY[language])) return;
    state.language = language;
    saveState();
    T = textsFor(language);
    root.setAttribute("lang", language);
    labelled.forEach(function (entry) {
      applyLabel(entry[0], entry[1], entry[2]);
    });
    if (handoffState !== "with_advocate") subtitle.textContent = subtitleText();
    showUnread();
  }

  function srOnly(content) {
    return el("span", "wf-sr-only", content);
  }

  function link(href, label, external) {
    var a = el("a", "wf-link", label);
    a.href = href;
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(srOnly(" " + T.newTab));
    }
    return a;
  }

  // An icon of one path, or of several ({d, className}: parts CSS can show or hide).
  function svgIcon(pathData) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "wf-icon");
    [].concat(pathData).forEach(function (part) {
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", typeof part === "string" ? part : part.d);
      if (part.className) path.setAttribute("class", part.className);
      svg.appendChild(path);
    });
    return svg;
  }

  // ---------- the widget's structure ----------

  var root, launcher, badge, unreadStatus, panel, header, subtitle, soundToggle, crisis, status, log, typing, form,
    input, floatingExit;

  function build() {
    root = el("div", "wf-root " + (config.position === "left" ? "wf-left" : "wf-right"));
    root.setAttribute("data-wayfinder-widget", "");
    root.setAttribute("lang", state.language);
    if (config.colorScheme === "light") root.classList.add("wf-light");
    applyColors();

    floatingExit = exitButton("wf-exit wf-exit-floating");
    launcher = el("button", "wf-launcher");
    launcher.type = "button";
    launcher.id = "wayfinder-launcher";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "wayfinder-panel");
    launcher.appendChild(
      svgIcon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z")
    );
    launcher.appendChild(label(el("span", "wf-launcher-text"), "launcher"));
    // How many messages wait unread: seen on the badge, heard in the button's name.
    badge = el("span", "wf-badge");
    badge.setAttribute("aria-hidden", "true");
    badge.hidden = true;
    launcher.appendChild(badge);
    launcher.addEventListener("click", function () {
      setOpen(!state.open, true);
    });
    unreadStatus = el("p", "wf-sr-only");
    unreadStatus.setAttribute("role", "status");

    panel = el("div", "wf-panel");
    panel.id = "wayfinder-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "wayfinder-title");
    panel.hidden = true;
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        setOpen(false, true);
      }
    });

    header = el("div", "wf-header");
    var titles = el("div", "wf-titles");
    var title = el("h2", "wf-title", config.title);
    title.id = "wayfinder-title";
    subtitle = el("p", "wf-subtitle", subtitleText());
    titles.appendChild(title);
    titles.appendChild(subtitle);
    var close = el("button", "wf-close");
    close.type = "button";
    label(close, "close", "aria-label");
    close.appendChild(svgIcon("M6 6l12 12M18 6L6 18"));
    close.addEventListener("click", function () {
      setOpen(false, true);
    });
    soundToggle = el("button", "wf-sound");
    soundToggle.type = "button";
    label(soundToggle, "sound", "aria-label");
    label(soundToggle, "sound", "title");
    soundToggle.setAttribute("aria-pressed", soundOn ? "true" : "false");
    soundToggle.appendChild(
      svgIcon([
        "M11 5 6 9H3v6h3l5 4z",
        { d: "M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13", className: "wf-sound-on" },
        { d: "M16 9.5l5 5M21 9.5l-5 5", className: "wf-sound-off" },
      ])
    );
    soundToggle.addEventListener("click", function () {
      setSound(!soundOn);
    });
    header.appendChild(titles);
    header.appendChild(soundToggle);
    header.appendChild(exitButton("wf-exit"));
    header.appendChild(close);

    crisis = el("div", "wf-crisis");
    crisis.setAttribute("role", "region");
    label(crisis, "crisisRegion", "aria-label");
    crisis.hidden = true;

    status = el("p", "wf-status");
    status.setAttribute("role", "status");

    log = el("div", "wf-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    label(log, "conversation", "aria-label");
    log.tabIndex = 0; // a scrollable region must be reachable by keyboard

    typing = el("div", "wf-typing");
    typing.setAttribute("role", "status");
    var dots = el("span", "wf-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    typing.appendChild(dots);
    typing.appendChild(label(el("span", "wf-typing-text"), "typing"));
    typing.hidden = true;

    form = el("form", "wf-form");
    var inputLabel = label(el("label", "wf-sr-only"), "inputLabel");
    inputLabel.htmlFor = "wayfinder-input";
    input = el("textarea", "wf-input");
    input.id = "wayfinder-input";
    input.rows = 2;
    input.maxLength = MAX_MESSAGE_CHARS;
    label(input, "placeholder", "placeholder");
    input.setAttribute("autocomplete", "off");
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    input.addEventListener("input", announceTyping);
    var send = label(el("button", "wf-send"), "send");
    send.type = "submit";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    form.appendChild(inputLabel);
    form.appendChild(input);
    form.appendChild(send);

    panel.appendChild(header);
    panel.appendChild(crisis);
    panel.appendChild(status);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(form);

    root.appendChild(panel);
    root.appendChild(floatingExit);
    root.appendChild(launcher);
    root.appendChild(unreadStatus);
    document.body.appendChild(root);
    showUnread();
  }

  function exitButton(className) {
    var button = label(el("button", className), "quickExit");
    button.type = "button";
    label(button, "quickExitLabel", "aria-label");
    button.addEventListener("click", quickExit);
    return button;
  }

  // The stylesheet picks --wf-light-* or --wf-dark-* by the caller's colour scheme.
  function applyColors() {
    [
      ["light", config.colors],
      ["dark", config.darkColors],
    ].forEach(function (scheme) {
      Object.keys(scheme[1]).forEach(function (name) {
        var value = scheme[1][name];
        if (window.CSS && CSS.supports && !CSS.supports("color", value)) return;
        var property = "--wf-" + scheme[0] + "-" + name.replace(/[A-Z]/g, "-$&").toLowerCase();
        root.style.setProperty(property, value);
      });
    });
  }

  function setOpen(open, moveFocus) {
    state.open = open;
    saveState();
    panel.hidden = !open;
    launcher.hidden = open;
    floatingExit.hidden = open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("wf-is-open", open);
    if (open) {
      connect();
      scrollToLatest();
      if (!document.hidden) clearUnread();
      if (moveFocus) input.focus();
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  // ---------- unread messages and the sound ----------

  var pageTitle = null; // the page's own title while ours says how many messages wait

  function showUnread() {
    if (!launcher) return;
    var count = state.unread;
    if (count > 0) {
      var name = fill(count === 1 ? T.launcherUnreadOne : T.launcherUnread, {
        label: T.launcher,
        count: count,
      });
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = false;
      launcher.setAttribute("aria-label", name);
      if (pageTitle === null) pageTitle = document.title;
      var title = fill(count === 1 ? T.titleUnreadOne : T.titleUnread, { count: count });
      document.title = pageTitle ? title + " · " + pageTitle : title;
    } else {
      badge.textContent = "";
      badge.hidden = true;
      launcher.removeAttribute("aria-label");
      if (pageTitle !== null) document.title = pageTitle;
      pageTitle = null;
    }
  }

  // A bot or advocate message the caller has not seen yet: the chat is closed or the tab hidden.
  function noteArrival() {
    if (state.open && !document.hidden) return;
    state.unread = Math.min(state.unread + 1, 99);
    saveState();
    showUnread();
    unreadStatus.textContent = launcher.getAttribute("aria-label") || "";
    beep();
  }

  function clearUnread() {
    unreadStatus.textContent = "";
    if (!state.unread && pageTitle === null) return;
    state.unread = 0;
    saveState();
    showUnread();
  }

  function onVisibility() {
    if (!document.hidden && state.open) clearUnread();
  }

  var audio = null;

  function audioContext() {
    if (!audio) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      try {
        audio = new Context();
      } catch (error) {
        return null;
      }
    }
    if (audio.state === "suspended" && audio.resume) audio.resume().catch(function () {});
    return audio;
  }

  // A short, soft tone: only when the caller turned the sound on.
  function beep() {
    if (!soundOn) return;
    var context = audioContext();
    if (!context) return;
    try {
      var tone = context.createOscillator();
      var gain = context.createGain();
      var now = context.currentTime;
      tone.type = "sine";
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(0.12, now + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.25);
      tone.connect(gain);
      gain.connect(context.destination);
      tone.start(now);
      tone.stop(now + 0.3);
    } catch (error) {
      /* no sound, the badge and the title still say it */
    }
  }

  function setSound(on) {
    soundOn = on;
    try {
      if (on) window.localStorage.setItem(SOUND_KEY, "on");
      else window.localStorage.removeItem(SOUND_KEY);
    } catch (error) {
      /* blocked storage: the choice lasts as long as the page */
    }
    soundToggle.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) beep(); // what it will sound like (and a click lets the browser play it later)
  }

  // ---------- quick exit ----------

  function quickExit() {
    // Leave first in the caller's eyes: hide everything, then forget, then go.
    document.documentElement.style.visibility = "hidden";
    try {
      // An advocate waiting to help should know the caller had to leave (it may not be safe to stay).
      if (socket && confirmed && state.sessionId) socket.emit("user_left", { session_id: state.sessionId });
      if (socket) socket.disconnect();
    } catch (error) {
      /* leaving anyway */
    }
    socket = null;
    if (root && root.parentNode) root.parentNode.removeChild(root);
    if (pageTitle !== null) document.title = pageTitle;
    clearStorage();
    // replace(): the Back button does not come back to this page.
    window.location.replace(config.exitUrl);
  }

  var escapes = [];
  function onDocumentKeydown(event) {
    if (!config.escapeExit || event.key !== "Escape") return;
    var now = Date.now();
    escapes = escapes.filter(function (time) {
      return now - time < ESCAPE_WINDOW_MS;
    });
    escapes.push(now);
    if (escapes.length >= ESCAPES_FOR_EXIT) quickExit();
  }

  // ---------- rendering ----------

  // How many of the conversation's messages (as the server's history counts them) are on screen,
  // so a history after a reconnect adds only what was missed.
  var shown = 0;
  var handoffState = null;

  // The latest answer with cards ({item, card, at}): its first card stays in view while the rest
  // of the same reply arrives (what follows it within a few seconds), until the caller writes
  // again; the caller reads the options from the first. A later message scrolls as any other.
  var anchor = null;
  var SAME_REPLY_MS = 5000;

  function scrollToLatest() {
    var end = log.scrollHeight - log.clientHeight;
    if (!anchor || !anchor.card.isConnected) {
      log.scrollTop = log.scrollHeight;
      return;
    }
    var base = log.getBoundingClientRect().top - log.scrollTop;
    var itemTop = anchor.item.getBoundingClientRect().top - base;
    var cardTop = anchor.card.getBoundingClientRect().top - base;
    var cardBottom = anchor.card.getBoundingClientRect().bottom - base;
    // The answer's first words too, when they fit with the first card; else the card itself.
    var top = cardBottom - itemTop + 16 <= log.clientHeight ? itemTop : cardTop;
    log.scrollTop = Math.max(0, Math.min(end, top - 8));
  }

  function append(node) {
    log.appendChild(node);
    scrollToLatest();
  }

  // When a message was written or received, small under it: "3:04 PM", with the full time for machines.
  function timeOf(seconds) {
    var given = typeof seconds === "number" && isFinite(seconds) && seconds > 0;
    var date = given ? new Date(seconds * 1000) : new Date();
    var node = el("time", "wf-time");
    node.dateTime = date.toISOString();
    var options = { hour: "numeric", minute: "2-digit" };
    if (date.toDateString() !== new Date().toDateString()) {
      options.month = "short";
      options.day = "numeric";
    }
    var browser = (navigator.language || "").toLowerCase();
    var locale = browser.split("-")[0] === state.language ? navigator.language : state.language;
    try {
      node.textContent = date.toLocaleString(locale, options);
    } catch (error) {
      node.textContent = date.toLocaleString(undefined, options);
    }
    return node;
  }

  function renderUser(message, timestamp) {
    anchor = null;
    var item = el("div", "wf-msg wf-msg-user");
    item.appendChild(srOnly(T.you + ": "));
    item.appendChild(el("p", "wf-bubble", message));
    item.appendChild(timeOf(timestamp));
    append(item);
  }

  // The words of a message: a referral list's own parts (its cards are drawn apart), else the text.
  function lines(custom) {
    return [].concat(custom.notices, [custom.intro]).filter(function (line) {
      return typeof line === "string" && line;
    });
  }

  // Returns whether it showed the caller anything (a message or a note).
  function renderBot(message) {
    var custom = isObject(message.custom) ? message.custom : {};
    // Every payload says the language of its words: the widget's own words follow it.
    if (typeof custom.language === "string") setLanguage(custom.language);
    var advocate = custom.type === "advocate_message";
    var advocateName = text(custom.advocate).slice(0, 60);
    var referrals = custom.type === "referrals";
    var cards = referrals && Array.isArray(custom.services) ? custom.services : [];
    // One service in full, drawn from its rows and fields (the text is for text-only clients).
    var details =
      custom.type === "service_details" && Array.isArray(custom.rows) && custom.rows.length
        ? renderDetails(custom)
        : null;
    var body = referrals ? lines(custom).join("\n") : details ? "" : text(message.text);
    var footer = referrals && Array.isArray(custom.footer) ? custom.footer.filter(function (line) {
      return typeof line === "string" && line;
    }) : [];

    var item = el("div", "wf-msg wf-msg-bot" + (advocate ? " wf-msg-advocate" : ""));
    if (custom.crisis === true) item.classList.add("wf-msg-crisis");
    if (advocate) {
      item.appendChild(
        el("p", "wf-sender", advocateName ? fill(T.advocate, { name: advocateName }) : T.advocateUnnamed)
      );
    } else {
      item.appendChild(srOnly(T.bot + ": "));
    }
    if (body) item.appendChild(el("p", "wf-bubble", body));
    if (details) item.appendChild(details);
    var list = cards.length ? renderCards(cards) : null;
    if (list) item.appendChild(list);
    if (footer.length) item.appendChild(el("p", "wf-bubble wf-footer", footer.join("\n")));
    if (Array.isArray(message.quick_replies) && message.quick_replies.length) {
      item.appendChild(renderButtons(message.quick_replies));
    }
    var shownAny = item.childNodes.length > 1;
    var at =
      typeof message.timestamp === "number" && message.timestamp > 0 ? message.timestamp * 1000 : Date.now();
    if (anchor && at - anchor.at > SAME_REPLY_MS) anchor = null;
    if (shownAny) {
      item.appendChild(timeOf(message.timestamp));
      if (list && list.firstChild) anchor = { item: item, card: list.firstChild, at: at };
      append(item);
    }
    if (custom.crisis === true) showCrisis(custom);
    if (custom.type === "handoff" && renderHandoff(custom, !body)) shownAny = true;
    return shownAny;
  }

  // Call, map and website links from a service's fields (never from its text).
  function serviceLinks(service) {
    var actions = el("p", "wf-card-actions");
    var phone = text(service.phone);
    var tel = dialable(phone);
    if (tel) actions.appendChild(link("tel:" + tel, fill(T.call, { phone: phone })));
    else if (phone) actions.appendChild(el("span", "", phone));
    var address = text(service.address);
    if (address) {
      actions.appendChild(
        link(config.mapUrl + encodeURIComponent(address), fill(T.map, { address: address }), true)
      );
    }
    var website = /^https?:\/\//i.test(text(service.url)) ? httpUrl(text(service.url)) : null;
    if (website) actions.appendChild(link(website, T.website, true));
    return actions.childNodes.length ? actions : null;
  }

  function renderDetails(custom) {
    var box = el("div", "wf-details");
    var service = isObject(custom.service) ? custom.service : {};
    var facts = null;
    var titled = false;
    var linked = false;
    custom.rows.slice(0, 40).forEach(function (row) {
      if (!isObject(row)) return;
      var name = text(row.label);
      var value = text(row.value);
      if (!value) return;
      if (!name) {
        // A row without a label: the title first, then a description.
        box.appendChild(titled ? el("p", "wf-details-text", value) : el("h3", "wf-details-name", value));
        titled = true;
        facts = null;
        return;
      }
      if (!linked) {
        // What the caller can do at once, under the service's name and description.
        var actions = serviceLinks(service);
        if (actions) box.appendChild(actions);
        linked = true;
      }
      if (!facts) {
        facts = el("dl", "wf-details-rows");
        box.appendChild(facts);
      }
      facts.appendChild(el("dt", "", name));
      facts.appendChild(el("dd", "", value));
    });
    if (!linked) {
      var links = serviceLinks(service);
      if (links) box.appendChild(links);
    }
    return box.childNodes.length ? box : null;
  }

  function renderCards(services) {
    var list = el("ol", "wf-cards");
    list.setAttribute("aria-label", T.services);
    // The numbers the caller picks by ("Details on 4"), as the payload numbers its cards.
    var first = isObject(services[0]) && typeof services[0].number === "number" ? services[0].number : 1;
    if (first > 1) list.start = first;
    services.slice(0, 20).forEach(function (service, index) {
      if (!isObject(service) || !text(service.name)) return;
      var number = typeof service.number === "number" && service.number > 0 ? service.number : first + index;
      var item = el("li", "wf-card");
      // The number the buttons and the caller pick it by ("Details on 2"), in sight.
      var heading = el("h3", "wf-card-name");
      var shownNumber = el("span", "wf-card-number", number);
      shownNumber.setAttribute("aria-hidden", "true");
      heading.appendChild(shownNumber);
      heading.appendChild(srOnly(fill(T.option, { number: number }) + " "));
      heading.appendChild(document.createTextNode(text(service.name)));
      item.appendChild(heading);
      var org = text(service.organization);
      if (org && org !== text(service.name)) item.appendChild(el("p", "wf-card-org", org));

      var facts = [];
      var miles = service.distance_miles;
      if (typeof miles === "number" && isFinite(miles)) {
        facts.push(miles === 1 ? T.mile : fill(T.miles, { miles: Math.round(miles * 10) / 10 }));
      } else {
        facts.push(T.remote);
      }
      if (service.open_now === true) facts.push(T.openNow);
      else if (service.open_now === false) facts.push(T.closedNow);
      // When a closed service opens next ("opens tomorrow at 9 am"): the caller can plan.
      if (service.open_now === false && text(service.next_open)) facts.push(text(service.next_open));
      var factLine = el("p", "wf-card-facts", facts.join(" · "));
      if (service.open_now === true) factLine.classList.add("wf-open");
      item.appendChild(factLine);
      var hours = text(service.hours_today);
      if (hours) item.appendChild(el("p", "wf-card-hours", fill(T.hoursToday, { hours: hours })));

      var actions = serviceLinks(service);
      if (actions) item.appendChild(actions);

      var reasons = (Array.isArray(service.reasons) ? service.reasons : []).filter(function (reason) {
        return typeof reason === "string" && !/miles? away$/.test(reason);
      });
      if (reasons.length) {
        var why = el("p", "wf-card-why");
        why.appendChild(el("strong", "", T.why + " "));
        why.appendChild(document.createTextNode(reasons.join("; ") + "."));
        item.appendChild(why);
      }
      var caveats = (Array.isArray(service.caveats) ? service.caveats : []).filter(function (caveat) {
        return typeof caveat === "string" && caveat;
      });
      if (caveats.length) {
        var check = el("p", "wf-card-check");
        check.appendChild(el("strong", "", T.check + " "));
        check.appendChild(document.createTextNode(caveats.join("; ") + "."));
        item.appendChild(check);
      }
      list.appendChild(item);
    });
    return list;
  }

  function renderButtons(replies) {
    var group = el("div", "wf-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", T.suggestedReplies);
    replies.forEach(function (reply) {
      if (!isObject(reply)) return;
      var title = text(reply.title);
      var payload = text(reply.payload);
      if (!title || !payload) return;
      var button = el("button", "wf-reply", title);
      button.type = "button";
      button.addEventListener("click", function () {
        send(payload, title);
      });
      group.appendChild(button);
    });
    return group;
  }

  // The header says who is answering; a note in the conversation says what changed, unless the
  // message's own text already does.
  function renderHandoff(custom, withNote) {
    var note;
    var name = text(custom.advocate).slice(0, 60);
    handoffState = custom.state;
    if (custom.state === "waiting" && custom.advocates_online === false) {
      note = null; // a request left for later: the bot's own text says when someone will answer
    } else if (custom.state === "waiting") {
      note =
        typeof custom.position === "number" && custom.position > 0
          ? fill(T.waitingPosition, { position: custom.position })
          : T.waiting;
      subtitle.textContent = subtitleText();
    } else if (custom.state === "with_advocate") {
      note = name ? fill(T.withAdvocate, { name: name }) : T.withAdvocateUnnamed;
      subtitle.textContent = name ? fill(T.withAdvocateSubtitle, { name: name }) : T.withAdvocateUnnamed;
      hideTyping();
    } else if (custom.state === "returned_to_bot" || custom.state === "bot") {
      note = T.returned;
      subtitle.textContent = subtitleText();
    } else if (custom.state === "resolved") {
      note = T.resolved;
      subtitle.textContent = subtitleText();
    }
    if (note && withNote) append(el("p", "wf-note wf-note-handoff", note));
    return Boolean(note && withNote);
  }

  function showCrisis(custom) {
    var language = custom.language === "es" ? "es" : "en";
    // One banner for the conversation; it stays in view, and follows the caller's language.
    if (crisis.childNodes.length && crisis.getAttribute("lang") === language) return;
    while (crisis.firstChild) crisis.removeChild(crisis.firstChild);
    var C = textsFor(language);
    crisis.setAttribute("lang", language);
    crisis.setAttribute("aria-label", C.crisisRegion);
    crisis.appendChild(el("h3", "wf-crisis-title", C.crisisTitle));
    crisis.appendChild(el("p", "wf-crisis-body", C.crisisBody));
    var links = el("p", "wf-crisis-links");
    links.appendChild(link("tel:988", C.call988));
    var keyword988 = text(C.text988Keyword);
    links.appendChild(link(keyword988 ? "sms:988?&body=" + encodeURIComponent(keyword988) : "sms:988", C.text988));
    links.appendChild(link("tel:911", C.call911));
    var seen = { "tel:988": true, "sms:988": true, "tel:911": true };
    (Array.isArray(custom.resources) ? custom.resources : []).forEach(function (resource) {
      if (!isObject(resource)) return;
      var call = dialable(text(resource.call));
      if (call && !resource.press && !seen["tel:" + call]) {
        seen["tel:" + call] = true;
        links.appendChild(link("tel:" + call, fill(C.callNumber, { number: text(resource.call) })));
      }
      var sms = dialable(text(resource.text));
      var keyword = text(resource.keyword);
      if (!/^[A-Za-z0-9]{1,20}$/.test(keyword)) keyword = "";
      if (sms && !seen["sms:" + sms]) {
        seen["sms:" + sms] = true;
        var href = "sms:" + sms + (keyword ? "?&body=" + encodeURIComponent(keyword) : "");
        var label = keyword
          ? fill(C.textKeyword, { keyword: keyword, number: text(resource.text) })
          : fill(C.textNumber, { number: text(resource.text) });
        links.appendChild(link(href, label));
      }
    });
    crisis.appendChild(links);
    crisis.hidden = false;
  }

  // Rasa's own words for an intent an advocate's console or a timer triggered: never the caller's.
  function internal(message) {
    var said = text(message.text);
    return /^EXTERNAL:/.test(said) || /^EXTERNAL_/.test(said);
  }

  // Returns whether a bot or advocate message was shown.
  function renderMessage(message) {
    if (!isObject(message)) return false;
    var fromBot = false;
    if (message.sender === "user") {
      if (!internal(message)) renderUser(text(message.text), message.timestamp);
    } else {
      fromBot = renderBot(message);
    }
    shown += 1;
    return fromBot;
  }

  // ---------- typing ----------

  var typingTimer = null;

  function showTyping() {
    if (handoffState === "with_advocate") return; // a person answers at a person's pace
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    typing.hidden = true;
  }

  // ---------- the socket ----------

  var socket = null;
  var confirmed = false;
  var outbox = [];

  function loadClient(done) {
    if (typeof window.io === "function") return done();
    var tag = document.createElement("script");
    tag.src = config.socketIoClientUrl;
    tag.async = true;
    tag.onload = done;
    tag.onerror = function () {
      status.textContent = T.reconnecting;
    };
    document.head.appendChild(tag);
  }

  function connect() {
    if (socket) return;
    socket = {}; // claimed while the client loads
    loadClient(function () {
      if (!socket) return; // quick exit while loading
      // WebSocket first: with several Rasa processes on one port (WAYFINDER_RASA_WORKERS), a
      // long-polling session's requests could reach different processes. Polling stays as the
      // fallback where a proxy blocks WebSockets.
      socket = window.io(config.socketUrl, {
        path: config.socketPath,
        transports: ["websocket", "polling"],
        tryAllTransports: true,
      });
      socket.on("connect", function () {
        status.textContent = "";
        confirmed = false;
        socket.emit("session_request", { session_id: state.sessionId, resume_token: state.resumeToken });
      });
      socket.on("disconnect", function () {
        confirmed = false;
        hideTyping();
        status.textContent = T.reconnecting;
      });
      socket.on("connect_error", function () {
        status.textContent = T.reconnecting;
      });
      socket.on("session_token", onSessionToken);
      socket.on("session_confirm", onSessionConfirm);
      socket.on("session_history", onHistory);
      socket.on("bot_uttered", onBotMessage);
    });
  }

  function onSessionToken(token) {
    if (typeof token !== "string") return;
    state.resumeToken = token;
    saveState();
  }

  function onSessionConfirm(sessionId) {
    var id = typeof sessionId === "string" ? sessionId : isObject(sessionId) ? sessionId.session_id : null;
    if (!id) return;
    if (id !== state.sessionId) {
      state.sessionId = id;
      state.greeted = false;
    }
    confirmed = true;
    saveState();
    var pending = outbox;
    outbox = [];
    pending.forEach(emit);
    if (!state.greeted && config.initPayload && shown === 0) {
      state.greeted = true;
      saveState();
      // A page in another language greets in it: the intent carries the page's language.
      var greeting = config.initPayload;
      if (PAGE_LANGUAGE !== "en" && greeting.charAt(0) === "/" && greeting.indexOf("{") < 0) {
        greeting += '{"caller_language":"' + PAGE_LANGUAGE + '"}';
      }
      emit({ message: greeting, metadata: { hidden: true } });
      showTyping();
    }
  }

  function onHistory(data) {
    if (!isObject(data) || data.session_id !== state.sessionId || !Array.isArray(data.messages)) return;
    if (data.messages.length) {
      state.greeted = true;
      saveState();
    }
    if (data.messages.length <= shown) return;
    log.setAttribute("aria-busy", "true");
    data.messages.slice(shown).forEach(renderMessage);
    log.setAttribute("aria-busy", "false");
  }

  function onBotMessage(message) {
    if (!isObject(message)) return;
    hideTyping();
    if (renderMessage(message)) noteArrival();
  }

  // An advocate sees "typing…" while the caller writes; at most one signal every few seconds.
  var lastTypingSignal = 0;
  function announceTyping() {
    var now = Date.now();
    if (!confirmed || !socket || !socket.emit || now - lastTypingSignal < 3000) return;
    lastTypingSignal = now;
    socket.emit("user_typing", { session_id: state.sessionId });
  }

  function emit(body) {
    body.session_id = state.sessionId;
    socket.emit("user_uttered", body);
  }

  function send(message, display) {
    message = text(message).slice(0, MAX_MESSAGE_CHARS);
    if (!message) return;
    renderUser(display || message);
    shown += 1;
    var body = { message: message, metadata: display ? { display: display } : {} };
    connect();
    if (confirmed && socket && socket.emit) emit(body);
    else outbox.push(body);
    showTyping();
  }

  function submit() {
    var message = input.value;
    if (!text(message)) return;
    input.value = "";
    send(message);
  }

  // ---------- start ----------

  function start() {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = config.stylesheetUrl;
    document.head.appendChild(css);
    build();
    document.addEventListener("keydown", onDocumentKeydown);
    document.addEventListener("visibilitychange", onVisibility);
    if (state.open) setOpen(true, false);
    else if (state.sessionId) connect(); // an advocate's words and the history arrive even while closed
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
