/* Wayfinder console: canned responses (insert into the composer; supervisors and admins edit them). */
import { $, el, clear, setText } from "./dom.js";
import { api } from "./api.js";
import { state, can, announce } from "./state.js";

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
    const buttons = el("div", { class: "canned-buttons" }, [insert]);
    const row = el("li", { class: "canned-item" }, [
      el("div", { class: "canned-words" }, [
        el("p", { class: "canned-title", text: item.title || "" }),
        el("p", { class: "canned-text", text: item.text || "" }),
      ]),
      buttons,
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
      buttons.appendChild(edit);
      buttons.appendChild(remove);
    }
    list.appendChild(row);
  });
  $("canned-empty").hidden = state.canned.length > 0;
}

export async function loadCanned() {
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

export function bindCanned() {
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
