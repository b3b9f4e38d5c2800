// The hosted chat page: pre-chat form, conversation, survey, and leave-a-message when closed.
// The same page runs on its own and inside the frame /widget.js adds to a client's site; the
// chat survives reloads of the page (sessionStorage keeps the chat's id, token and outbox).
import { Conversation, request } from "./conversation.js";
import { clearErrors, markField, showFieldErrors, showStatus, valuesOf } from "./fields.js";
import { formatSize, formatTime, formatWait, t } from "./text.js";

const config = JSON.parse(document.getElementById("chat-config").textContent);
const base = "/api/v1/chat/" + encodeURIComponent(config.widget_key);
const storeKey = "headset-chat:" + config.widget_key;
const draftKey = "headset-chat-draft:" + config.widget_key;
const $ = (id) => document.getElementById(id);
const VIEWS = ["view-prechat", "view-offline", "view-left", "view-chat", "view-survey", "view-thanks"];

let saved = load(storeKey);
let conversation = null;
let hasBeenOnline = false;

function load(key) {
  try { return JSON.parse(sessionStorage.getItem(key) || "null"); } catch { return null; }
}

function save() {
  if (saved) sessionStorage.setItem(storeKey, JSON.stringify(saved));
  else sessionStorage.removeItem(storeKey);
}

function show(...ids) {
  for (const id of VIEWS) $(id).hidden = !ids.includes(id);
}

// the frame on the client's site -----------------------------------------------------------

function tellParent(message) {
  if (window.parent !== window) window.parent.postMessage({ headset: "chat", ...message }, "*");
}

const openKey = "headset-chat-open:" + config.widget_key;

function openPanel(isFocused = true) {
  sessionStorage.setItem(openKey, "1");
  $("panel").hidden = false;
  $("launcher").hidden = true;
  $("launcher").setAttribute("aria-expanded", "true");
  tellParent({ open: true });
  if (!isFocused) return;
  const first = document.querySelector(".view:not([hidden]) input, .view:not([hidden]) textarea");
  (first || $("minimise")).focus();
}

function closePanel() {
  sessionStorage.removeItem(openKey);
  $("panel").hidden = true;
  $("launcher").hidden = false;
  $("launcher").setAttribute("aria-expanded", "false");
  tellParent({ open: false });
  $("launcher").focus();
}

if (config.is_embedded) {
  $("launcher").addEventListener("click", () => openPanel());
  $("minimise").addEventListener("click", closePanel);
  $("panel").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePanel();
  });
  tellParent({ ready: true, open: false, title: document.title });
}

// the pre-chat form and leave-a-message -----------------------------------------------------

function fill(form, values) {
  for (const [name, value] of Object.entries(values || {})) {
    const control = form.elements[name];
    if (control && value != null && control.type !== "file") control.value = value;
  }
}

const prechat = $("prechat");
const leave = $("leave");

prechat.addEventListener("change", (event) => {
  if (event.target.name !== "language") return;
  // the page speaks the chosen language: reload in it, keeping what was typed
  sessionStorage.setItem(draftKey, JSON.stringify(valuesOf(prechat)));
  const url = new URL(location.href);
  url.searchParams.set("lang", event.target.value);
  location.replace(url.href);
});

prechat.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(prechat);
  const body = valuesOf(prechat);
  if (!body.language && config.has_languages) body.language = config.language;
  if (!body.name) return markField(prechat, "name", t("name_missing"));
  const button = prechat.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const started = await request("POST", base + "/chats", { json: body });
    sessionStorage.removeItem(draftKey);
    saved = {
      chat_id: started.chat_id, token: started.token, outbox: [], stage: "chat",
      has_email: Boolean(body.email),
    };
    save();
    startConversation(started);
  } catch (error) {
    if (error.status === 409 && error.body.code === "closed") {
      fill(leave, body);
      $("offline-message").textContent = error.body.offline_message || t("closed_now");
      show("view-offline");
      showStatus(leave, t("closed_now"));
      leave.elements.email.focus();
    } else if (error.status === 422 && showFieldErrors(prechat, error)) {
      // shown next to the fields
    } else {
      showStatus(prechat, error.status === 0 ? t("no_connection") : t("failed", { reason: error.message }));
    }
  } finally {
    button.disabled = false;
  }
});

leave.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(leave);
  const body = valuesOf(leave);
  if (config.has_languages) body.language = config.language;
  const button = leave.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await request("POST", base + "/left-messages", { json: body });
    show("view-left");
    $("left-title").focus();
  } catch (error) {
    if (!(error.status === 422 && showFieldErrors(leave, error))) {
      showStatus(leave, error.status === 0 ? t("no_connection") : t("failed", { reason: error.message }));
    }
  } finally {
    button.disabled = false;
  }
});

// the conversation ---------------------------------------------------------------------------

const log = $("log");

function line(className) {
  const item = document.createElement("li");
  item.className = "message " + className;
  const firstPending = log.querySelector(".is-pending");
  log.insertBefore(item, firstPending); // messages stored come before those still sending
  return item;
}

function systemLine(text) {
  const item = line("is-system");
  item.textContent = text;
}

function fillMessage(item, message, isMine) {
  item.replaceChildren();
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = (isMine ? t("you") : message.author_name) +
    (message.sent_at ? " · " + formatTime(message.sent_at) : "");
  item.append(who);
  if (message.text) {
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text;
    item.append(text);
  }
  if (message.attachment) item.append(fileButton(message.attachment));
}

function fileButton(attachment) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "file";
  button.textContent = t("file_sent", { name: attachment.name, size: formatSize(attachment.size) });
  button.setAttribute("aria-label", t("download", { name: attachment.name }));
  button.addEventListener("click", () => download(attachment));
  return button;
}

async function download(attachment) {
  const url = conversation.url + "/attachments/" + encodeURIComponent(attachment.attachment_id);
  const response = await fetch(url, { headers: { Authorization: "Bearer " + saved.token } });
  if (!response.ok) return;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = attachment.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function showMessage(message) {
  const isMine = message.author_kind === "customer";
  const pending = isMine && log.querySelector(
    `[data-client-id="${CSS.escape(message.client_message_id)}"].is-pending`);
  const item = pending || line(isMine ? "is-mine" : "is-theirs");
  item.classList.remove("is-pending", "is-failed");
  item.dataset.seq = message.seq;
  fillMessage(item, message, isMine);
  if (!isMine) showTyping(null);
  item.scrollIntoView({ block: "nearest" });
}

function showPending(item) {
  const element = document.createElement("li");
  element.className = "message is-mine is-pending";
  element.dataset.clientId = item.client_message_id;
  fillMessage(element, { text: item.text, attachment: item.attachment }, true);
  const state = document.createElement("span");
  state.className = "state";
  state.textContent = t("sending");
  element.append(state);
  log.append(element);
  element.scrollIntoView({ block: "nearest" });
}

function showFailed(item, error) {
  const element = log.querySelector(`[data-client-id="${CSS.escape(item.client_message_id)}"]`);
  if (!element) return;
  element.classList.replace("is-pending", "is-failed");
  element.querySelector(".state").textContent = t("not_sent", { reason: error.message });
}

function showStatusLine(data) {
  const status = $("chat-status");
  if (data.status === "waiting") {
    const parts = [];
    if (data.position) parts.push(t("position", { position: data.position }));
    parts.push(data.expected_wait_seconds != null
      ? t("wait", { wait: formatWait(data.expected_wait_seconds) }) : t("wait_unknown"));
    status.textContent = parts.join(" ");
  } else if (data.status === "connected" && data.answering) {
    status.textContent = t("connected", { name: data.answering.display_name });
  }
}

let typingTimer = null;
function showTyping(message) {
  clearTimeout(typingTimer);
  const typing = $("typing");
  typing.textContent = message && message.is_typing ? t("typing", { name: message.display_name }) : "";
  if (typing.textContent) typingTimer = setTimeout(() => { typing.textContent = ""; }, 8000);
}

function showConnection(isOnline) {
  document.body.dataset.connection = isOnline ? "online" : "offline";
  if (isOnline) hasBeenOnline = true;
  const banner = $("connection");
  banner.hidden = isOnline || !hasBeenOnline;
  banner.textContent = banner.hidden ? "" : t("reconnecting");
}

function chatEnded() {
  showTyping(null);
  systemLine(t("ended"));
  $("chat-status").textContent = "";
  saved.stage = "survey";
  save();
  $("composer").hidden = true;
  $("end-chat").hidden = true;
  $("connection").hidden = true;
  show("view-chat", "view-survey");
  offerTranscript();
  $("survey-title").focus();
}

// the transcript by e-mail: offered when the tenant sends them and the customer gave an address
function offerTranscript() {
  $("transcript").hidden = !(config.sends_transcripts && saved && saved.has_email);
}

$("send-transcript").addEventListener("click", async () => {
  const button = $("send-transcript");
  const status = $("transcript-status");
  button.disabled = true;
  try {
    const sent = await request("POST", base + "/chats/" + encodeURIComponent(saved.chat_id) +
      "/transcript", { token: saved.token });
    status.textContent = t("transcript_sent", { to: sent.to });
    button.hidden = true;
  } catch (error) {
    status.textContent = error.status === 0 ? t("no_connection")
      : t("transcript_refused", { reason: error.message });
    button.disabled = false;
  }
});

let answering = null;
function agentJoined(name) {
  if (name === answering) return;
  answering = name;
  systemLine(t("joined_agent", { name }));
  showStatusLine({ status: "connected", answering: { display_name: name } });
}

function startConversation(first) {
  show("view-chat");
  $("composer").hidden = false;
  $("end-chat").hidden = false;
  if (first) showStatusLine(first);
  conversation = new Conversation(base, saved, {
    message: showMessage,
    typing: showTyping,
    status: (data) => {
      // an agent who accepted before the stream opened shows in the snapshot only
      if (data.status === "connected" && data.answering) agentJoined(data.answering.display_name);
      showStatusLine(data);
    },
    joined: (m) => {
      if (m.role === "agent") agentJoined(m.display_name);
      else systemLine(t("joined_supervisor", { name: m.display_name }));
    },
    transferred: () => {
      answering = null;
      systemLine(t("transferred"));
    },
    ended: chatEnded,
    connection: showConnection,
    pending: showPending,
    sent: () => {},
    failed: showFailed,
    save: () => { saved.outbox = conversation.outbox; save(); },
  });
  for (const item of saved.outbox || []) showPending(item);
  window.headsetChat = conversation; // for support and tests: headsetChat.drop()
  conversation.connect();
  $("composer-text").focus();
}

// composing: text, typing, files
const composer = $("composer");
const text = $("composer-text");
let isTyping = false;
let idleTimer = null;

function stopTyping() {
  clearTimeout(idleTimer);
  if (isTyping && conversation) conversation.typing(false);
  isTyping = false;
}

text.addEventListener("input", () => {
  if (!conversation) return;
  if (!isTyping && text.value.trim() !== "") {
    isTyping = true;
    conversation.typing(true);
  }
  clearTimeout(idleTimer);
  idleTimer = setTimeout(stopTyping, 4000);
});

text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const value = text.value.trim();
  if (!value || !conversation) return;
  conversation.send(value);
  text.value = "";
  stopTyping();
  text.focus();
});

$("composer-file").addEventListener("change", async (event) => {
  const input = event.target;
  const file = input.files[0];
  const note = $("composer-error");
  note.hidden = true;
  if (!file || !conversation) return;
  input.value = "";
  const tooLarge = t("file_too_large", { limit: formatSize(config.attachment_limit) });
  if (file.size > config.attachment_limit) {
    note.textContent = tooLarge;
    note.hidden = false;
    return;
  }
  try {
    const url = conversation.url + "/attachments?name=" + encodeURIComponent(file.name);
    const attachment = await request("POST", url, {
      token: saved.token, body: file, headers: { "Content-Type": "application/octet-stream" },
    });
    conversation.send("", attachment);
  } catch (error) {
    note.textContent = error.status === 413 ? tooLarge
      : error.body.code === "file_type_refused" ? t("file_refused")
      : error.status === 0 ? t("no_connection") : t("failed", { reason: error.message });
    note.hidden = false;
  }
});

$("end-chat").addEventListener("click", async () => {
  try {
    await request("POST", conversation.url + "/end", { token: saved.token });
    conversation.end();
  } catch (error) {
    $("composer-error").textContent = error.status === 0 ? t("no_connection") : error.message;
    $("composer-error").hidden = false;
  }
});

// the survey: sent once
const survey = $("survey");
survey.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(survey);
  const body = valuesOf(survey);
  if (!body.rating) return markField(survey, "rating", t("rating_missing"));
  const button = survey.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await request("POST", base + "/chats/" + encodeURIComponent(saved.chat_id) + "/survey", {
      token: saved.token, json: body,
    });
    thank();
  } catch (error) {
    if (error.body.code === "survey_answered") thank();
    else if (!(error.status === 422 && showFieldErrors(survey, error))) {
      showStatus(survey, error.status === 0 ? t("no_connection") : t("failed", { reason: error.message }));
    }
  } finally {
    button.disabled = false;
  }
});

function thank() {
  saved.stage = "thanks";
  save();
  show("view-thanks");
  $("thanks-title").focus();
}

$("new-chat").addEventListener("click", () => {
  saved = null;
  save();
  location.reload();
});

// where to start ------------------------------------------------------------------------------

if (saved && saved.stage === "thanks") {
  show("view-thanks");
} else if (saved && saved.stage === "survey") {
  show("view-survey");
  offerTranscript();
} else if (saved && saved.chat_id) {
  startConversation(null);
} else if (!config.is_open) {
  show("view-offline");
} else {
  fill(prechat, load(draftKey));
  show("view-prechat");
}
// the panel stays open across the site's pages and the language switch
if (config.is_embedded && sessionStorage.getItem(openKey)) {
  openPanel(Boolean(load(draftKey)));
}
