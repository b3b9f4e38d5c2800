// A chat's conversation in its tab: the transcript (whispers marked: only staff see them),
// sending, typing shown both ways, canned responses by "/shortcut" or the picker.
import { Problem } from "../api.js";
import { formatDateTime, t } from "../i18n.js";
import { CannedResponses } from "./canned.js";

const TYPING_IDLE_MS = 3000;

function clientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

export class Conversation {
  constructor(desk, contactId, element) {
    this.desk = desk;
    this.contactId = contactId;
    this.list = element.querySelector("[data-transcript]");
    this.typingLine = element.querySelector("[data-typing]");
    this.form = element.querySelector("[data-message-form]");
    this.box = element.querySelector("[data-message]");
    this.error = element.querySelector("[data-message-error]");
    this.seen = new Set();
    this.isTyping = false;
    this.idle = null;
    this.theirTyping = null;
    this.canned = new CannedResponses(
      desk.config.canned, this.box, element.querySelector("[data-canned-list]"),
      element.querySelector("[data-canned-picker]"), () => this.typing(true));
    this.wire();
  }

  url(path = "") {
    return "/chats/" + encodeURIComponent(this.contactId) + path;
  }

  wire() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.shiftKey) return;
      event.preventDefault();
      if (!this.canned.insertFirst()) this.send();
    });
    this.box.addEventListener("input", () => this.typing(this.box.value.trim() !== ""));
  }

  async load() {
    try {
      const chat = await this.desk.api("GET", this.url());
      for (const message of chat.messages) this.show(message);
    } catch (error) {
      this.showError(error);
    }
  }

  disable(text) {
    this.form.hidden = true;
    this.typing(false);
    this.typingLine.textContent = text;
  }

  receive(message) {
    if (message.type === "event" && message.event === "chat.message_sent") {
      this.show(message.data.message);
    } else if (message.type === "signal" && message.event === "chat.typing") {
      const data = message.data;
      if (data.who === "agent") return; // our own typing, echoed to the staff
      window.clearTimeout(this.theirTyping);
      this.typingLine.textContent = data.is_typing
        ? t("{name} is typing…", { name: data.display_name || t("The customer") })
        : "";
      // a lost "stopped typing" must not leave the line up for ever
      if (data.is_typing) {
        this.theirTyping = window.setTimeout(() => { this.typingLine.textContent = ""; }, 10000);
      }
    } else if (message.type === "event" && message.event === "chat.barged") {
      this.system(t("{name} joined the conversation; the customer sees it.", {
        name: message.data.display_name || t("A supervisor"),
      }));
    }
  }

  show(message) {
    if (!message || this.seen.has(message.seq)) return;
    this.seen.add(message.seq);
    if (message.author_kind === "customer") this.typingLine.textContent = "";
    const li = document.createElement("li");
    li.className = "message from-" + message.author_kind;
    li.dataset.seq = message.seq;
    const head = document.createElement("p");
    head.className = "message-head";
    const who = document.createElement("strong");
    who.textContent = message.author_name;
    const when = document.createElement("time");
    when.dateTime = message.sent_at;
    when.textContent = formatDateTime(message.sent_at, { timeStyle: "short" });
    head.append(who, " ", when);
    if (message.visibility === "staff") {
      li.classList.add("whisper");
      const mark = document.createElement("span");
      mark.className = "whisper-mark";
      mark.textContent = t("Whisper: only you see this, not the customer");
      head.append(" ", mark);
    }
    const text = document.createElement("p");
    text.className = "message-text";
    text.textContent = message.text;
    li.append(head, text);
    // keep conversation order even when a live message overtakes the transcript
    const later = [...this.list.children].find((el) => Number(el.dataset.seq) > message.seq);
    this.list.insertBefore(li, later || null);
    li.scrollIntoView({ block: "nearest" });
  }

  system(text) {
    const li = document.createElement("li");
    li.className = "message from-system";
    li.textContent = text;
    this.list.append(li);
  }

  showError(error) {
    this.error.textContent = error instanceof Problem ? error.detail || error.title : String(error);
    this.error.hidden = false;
  }

  async send() {
    const text = this.box.value.trim();
    this.error.hidden = true;
    if (!text) return;
    try {
      const message = await this.desk.api("POST", this.url("/messages"), {
        client_message_id: clientId(),
        text,
      });
      this.box.value = "";
      this.canned.suggest();
      this.typing(false);
      this.show(message);
    } catch (error) {
      this.showError(error);
    }
  }

  /** Tells the customer we type, at most once per change, and "stopped" after a pause. */
  typing(isTyping) {
    window.clearTimeout(this.idle);
    if (isTyping) this.idle = window.setTimeout(() => this.typing(false), TYPING_IDLE_MS);
    if (isTyping === this.isTyping) return;
    this.isTyping = isTyping;
    this.desk.api("POST", this.url("/typing"), { is_typing: isTyping }).catch(() => {});
  }
}
