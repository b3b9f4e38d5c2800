// An e-mail contact's conversation in its tab (docs/desktop.md, docs/email.md): every
// message oldest first — sanitised HTML in a sandboxed frame that runs nothing and loads
// nothing from outside, inline images read through the API, files as downloads — the
// first-response and resolution timers, and the reply editor: canned responses by
// "/shortcut", the mailbox's signature (the server adds it), attachments, and each reply's
// status (sending, sent, failed) with "send again" for a failed one.
import { Problem } from "../api.js";
import { formatClock, formatDateTime, formatNumber, t } from "../i18n.js";
import { CannedResponses } from "./canned.js";

/** Timers are read again this often while the tab is open. */
const TIMER_REFRESH_MS = 30000;
/** What a message frame may do: no scripts, no requests; inline styles and data: images. */
const FRAME_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
const FRAME_STYLE =
  "body{font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;margin:.25rem;overflow-wrap:anywhere}" +
  "img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap}";

function newClientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

function problemText(error) {
  if (error instanceof Problem) return error.detail || error.title;
  return (error && error.detail) || t("That did not work; try again.");
}

function formatBytes(bytes) {
  if (bytes >= 1000000) return t("{size} MB", { size: formatNumber(bytes / 1000000, { maximumFractionDigits: 1 }) });
  if (bytes >= 1000) return t("{size} kB", { size: formatNumber(Math.ceil(bytes / 1000)) });
  return t("{size} bytes", { size: formatNumber(bytes) });
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function statusText(message) {
  if (message.status === "sending") return t("Sending…");
  if (message.status === "sent") return t("Sent");
  if (message.status === "failed") return t("Not sent");
  return "";
}

export class MailConversation {
  constructor(desk, contactId, element) {
    this.desk = desk;
    this.contactId = contactId;
    this.q = (selector) => element.querySelector(selector);
    this.section = this.q("[data-mail]");
    this.thread = this.q("[data-mail-thread]");
    this.form = this.q("[data-mail-form]");
    this.box = this.q("[data-mail-text]");
    this.files = this.q("[data-mail-files]");
    this.error = this.q("[data-mail-error]");
    this.items = new Map(); // mail_id -> <li>
    this.inlineImages = new Map(); // attachment_id -> data: URL
    this.clientId = newClientId();
    this.filesMax = 0;
    this.canned = new CannedResponses(
      desk.config.canned, this.box, this.q("[data-mail-canned-list]"),
      this.q("[data-mail-canned-picker]"), () => { this.dirty = true; });
    this.wire();
  }

  url(path = "") {
    return "/contacts/" + encodeURIComponent(this.contactId) + "/mail" + path;
  }

  wire() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.box.addEventListener("keydown", (event) => {
      // an e-mail is written in lines: Enter takes a typed shortcut, else starts a new line
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
        if (this.canned.insertFirst()) event.preventDefault();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.send();
      }
    });
    // a changed draft is a new reply: a new key, so it is not taken for the one before
    this.box.addEventListener("input", () => { this.dirty = true; });
    this.files.addEventListener("change", () => this.showChosen());
  }

  start() {
    this.section.hidden = false;
    this.load();
    this.timerTick = window.setInterval(() => this.load(), TIMER_REFRESH_MS);
  }

  close() {
    window.clearInterval(this.timerTick);
    window.clearTimeout(this.again);
  }

  /** The contact is over: no more replies; the thread stays readable for the wrap-up. */
  ended() {
    this.form.hidden = true;
    for (const button of this.thread.querySelectorAll("[data-mail-retry]")) button.hidden = true;
  }

  receive(message) {
    if (message.type !== "event" || !String(message.event).startsWith("mail.")) return;
    if ((message.data || {}).contact_id !== this.contactId) return;
    // a new message, or a reply's status changed: read the conversation again (once for a
    // burst of events)
    window.clearTimeout(this.again);
    this.again = window.setTimeout(() => this.load(), 150);
  }

  async load() {
    let conversation;
    try {
      conversation = await this.desk.api("GET", this.url());
    } catch (error) {
      this.showError(error);
      return;
    }
    this.conversation = conversation;
    this.q("[data-mail-subject]").textContent = conversation.subject || "–";
    this.q("[data-mail-reference]").textContent = "#" + conversation.reference;
    this.q("[data-mail-from]").textContent = conversation.mailbox_address || "–";
    this.showSignature(conversation.signature);
    this.filesMax = conversation.reply_files_max_bytes;
    this.q("[data-mail-files-help]").textContent =
      t("Up to {size} together. Programs and scripts are refused.", { size: formatBytes(this.filesMax) });
    this.showTimers(conversation.timers);
    for (const message of conversation.messages) await this.show(message);
  }

  showSignature(signature) {
    const holder = this.q("[data-mail-signature-box]");
    holder.hidden = !signature;
    this.q("[data-mail-signature]").textContent = signature || "";
  }

  showTimers(timers) {
    const show = (selector, timer) => {
      const cell = this.q(selector);
      cell.classList.toggle("is-breached", Boolean(timer && timer.is_breached));
      if (!timer) {
        cell.textContent = "–";
        return;
      }
      const values = { time: formatClock(timer.seconds) };
      let text = timer.is_running ? t("{time} so far", values) : values.time;
      if (timer.target_seconds) {
        text += " · " + t("target {time}", { time: formatClock(timer.target_seconds) });
        if (timer.is_breached) text += " · " + t("over the target");
      }
      cell.textContent = text;
    };
    show("[data-mail-timer-first]", timers.first_response);
    show("[data-mail-timer-resolution]", timers.resolution);
    this.q("[data-mail-hours-note]").hidden = !timers.business_hours;
  }

  /** Adds a message to the thread, or brings its status up to date. */
  async show(message) {
    const known = this.items.get(message.mail_id);
    if (known) {
      known.latest = message; // still being made: it shows this status when it is done
      if (known.querySelector("[data-mail-status]")) this.showStatus(known, message);
      return;
    }
    const li = document.createElement("li");
    // known at once: a read that overlaps this one (an event during the first load) must
    // not add the message a second time while its body is being made
    this.items.set(message.mail_id, li);
    li.className = "mail-message from-" + (message.direction === "inbound" ? "customer" : "agent");
    li.dataset.mailId = message.mail_id;
    li.dataset.kind = message.kind;
    const head = document.createElement("p");
    head.className = "message-head";
    const who = document.createElement("strong");
    who.textContent = message.from_name
      ? message.from_name + " <" + message.from_address + ">" : message.from_address;
    const when = document.createElement("time");
    when.dateTime = message.created_at;
    when.textContent = formatDateTime(message.created_at);
    head.append(who, " ", when);
    const label = this.kindLabel(message.kind);
    if (label) {
      const mark = document.createElement("span");
      mark.className = "mail-kind";
      mark.textContent = label;
      head.append(" ", mark);
    }
    li.append(head);
    li.append(await this.body(message));
    if (message.refused_attachments && message.refused_attachments.length) {
      const refused = document.createElement("p");
      refused.className = "mail-refused";
      refused.textContent = t("Removed for safety: {names}", {
        names: message.refused_attachments.map((r) => r.name || r).join(", "),
      });
      li.append(refused);
    }
    const downloads = message.attachments.filter((a) => !a.is_inline);
    if (downloads.length) li.append(this.fileList(downloads));
    const status = document.createElement("div");
    status.className = "mail-status";
    status.dataset.mailStatus = "";
    li.append(status);
    this.showStatus(li, li.latest || message);
    // oldest first: before the first message that is newer
    const later = [...this.thread.children].find((el) => el.dataset.createdAt > message.created_at);
    li.dataset.createdAt = message.created_at;
    this.thread.insertBefore(li, later || null);
    if (!later) this.thread.scrollTop = this.thread.scrollHeight; // the newest in sight
  }

  kindLabel(kind) {
    if (kind === "acknowledgement") return t("Automatic acknowledgement");
    if (kind === "automatic") return t("Automatic message");
    if (kind === "bounce") return t("Not delivered (bounce)");
    return "";
  }

  /** The message's text, or its sanitised HTML in a frame that can run nothing. */
  async body(message) {
    if (!message.html) {
      const text = document.createElement("p");
      text.className = "message-text";
      text.textContent = message.text;
      return text;
    }
    let html = message.html;
    for (const file of message.attachments) {
      if (!file.is_inline || !file.content_id) continue;
      const image = await this.inlineImage(file);
      if (image) html = html.split("cid:" + file.content_id.replace(/^<|>$/g, "")).join(image);
    }
    const frame = document.createElement("iframe");
    frame.className = "mail-frame";
    // no allow-scripts, no allow-same-origin: the frame is a page of its own that runs
    // nothing; links open in a new tab (they carry rel="noopener noreferrer")
    frame.setAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.title = t("Message from {name}", { name: message.from_name || message.from_address });
    const lines = Math.min(30, Math.max(4, message.text.split("\n").length + 2));
    frame.style.height = (lines * 1.5) + "em";
    frame.srcdoc = '<!doctype html><html><head><meta charset="utf-8">' +
      '<meta http-equiv="Content-Security-Policy" content="' + FRAME_POLICY + '">' +
      '<base target="_blank"><style>' + FRAME_STYLE + "</style></head><body>" + html +
      "</body></html>";
    return frame;
  }

  /** An inline image as a data: URL (the frame loads nothing itself). */
  async inlineImage(file) {
    if (this.inlineImages.has(file.attachment_id)) return this.inlineImages.get(file.attachment_id);
    let url = null;
    try {
      const response = await fetch(this.desk.url(
        this.url("/attachments/" + encodeURIComponent(file.attachment_id) + "?inline=true")),
        { credentials: "same-origin" });
      if (response.ok && (response.headers.get("content-type") || "").startsWith("image/")) {
        const blob = await response.blob();
        url = await new Promise((resolve) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result));
          reader.onerror = () => resolve(null);
          reader.readAsDataURL(blob);
        });
      }
    } catch {
      url = null;
    }
    this.inlineImages.set(file.attachment_id, url);
    return url;
  }

  fileList(files) {
    const list = document.createElement("ul");
    list.className = "mail-files";
    list.setAttribute("aria-label", t("Attachments"));
    for (const file of files) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = this.desk.url(this.url("/attachments/" + encodeURIComponent(file.attachment_id)));
      link.setAttribute("download", file.name);
      link.textContent = file.name;
      li.append(link, " (" + formatBytes(file.size) + ")");
      list.append(li);
    }
    return list;
  }

  showStatus(li, message) {
    // drawn again only when it changed: the thread is a live region
    const key = [message.status, message.attempts, message.next_attempt_at, this.form.hidden].join("|");
    if (li.dataset.statusKey === key) return;
    li.dataset.statusKey = key;
    const holder = li.querySelector("[data-mail-status]");
    holder.replaceChildren();
    li.dataset.status = message.status;
    if (message.direction !== "outbound") return;
    const badge = document.createElement("span");
    badge.className = "mail-badge";
    badge.dataset.state = message.status;
    badge.textContent = statusText(message);
    holder.append(badge);
    if (message.status !== "failed") return;
    const why = document.createElement("p");
    why.className = "mail-error";
    const attempts = t("attempts: {count}", { count: formatNumber(message.attempts) });
    why.textContent = message.next_attempt_at
      ? t("{error} ({attempts}; next automatic try {when})", {
        error: message.error || "", attempts,
        when: formatDateTime(message.next_attempt_at, { timeStyle: "short" }),
      })
      : t("{error} ({attempts}; no more automatic tries)", { error: message.error || "", attempts });
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "button quiet small";
    retry.dataset.mailRetry = "";
    retry.textContent = t("Send again");
    retry.hidden = this.form.hidden;
    retry.addEventListener("click", () => this.retry(message.mail_id, retry));
    holder.append(why, retry);
  }

  async retry(mailId, button) {
    button.disabled = true;
    this.error.hidden = true;
    try {
      const message = await this.desk.api(
        "POST", this.url("/replies/" + encodeURIComponent(mailId) + "/retry"), {});
      await this.show(message);
      this.desk.announce(message.status === "sent" ? t("The reply is sent.") : t("The reply is not sent yet."));
    } catch (error) {
      this.showError(error);
      button.disabled = false;
    }
  }

  showChosen() {
    const list = this.q("[data-mail-chosen]");
    list.replaceChildren();
    let total = 0;
    for (const file of this.files.files) {
      total += file.size;
      const li = document.createElement("li");
      li.textContent = file.name + " (" + formatBytes(file.size) + ")";
      list.append(li);
    }
    this.error.hidden = true;
    if (this.filesMax && total > this.filesMax) {
      this.showError({ detail: t("The files weigh {size}; at most {max} can be sent.", {
        size: formatBytes(total), max: formatBytes(this.filesMax) }) });
    }
  }

  showError(error) {
    this.error.textContent = problemText(error);
    this.error.hidden = false;
  }

  async send() {
    const text = this.box.value.trim();
    this.error.hidden = true;
    if (!text) {
      this.showError({ detail: t("Write the reply first.") });
      this.box.focus();
      return;
    }
    if (this.sending) return;
    this.sending = true;
    const button = this.q("[data-mail-send]");
    button.disabled = true;
    if (this.dirty) {
      this.clientId = newClientId();
      this.dirty = false;
    }
    try {
      const files = [];
      for (const file of this.files.files) {
        files.push({
          name: file.name, media_type: file.type || "application/octet-stream",
          content: await readBase64(file),
        });
      }
      const message = await this.desk.api(
        "POST", this.url("/replies"), { text, files, client_id: this.clientId });
      this.box.value = "";
      this.files.value = "";
      this.showChosen();
      this.canned.suggest();
      this.clientId = newClientId();
      await this.show(message);
      this.desk.announce(message.status === "sent" ? t("The reply is sent.") : t("The reply is not sent yet."));
      this.load();
    } catch (error) {
      this.showError(error);
    } finally {
      this.sending = false;
      button.disabled = false;
    }
  }
}
