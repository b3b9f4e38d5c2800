// One chat as the customer's browser holds it: the live socket (resumed from the last message
// seq after every drop), and an outbox of messages not yet stored by the server.
//
// Nothing is lost or doubled across a reconnect: the hello names the last seq this page has,
// the server sends what came after it, and messages are shown once per seq. A message typed
// while the connection is down waits in the outbox (kept in sessionStorage with the chat) and
// is posted after reconnecting with the client message id it got when typed, so a post the
// server stored just before the connection dropped is answered with the same message again.

const RETRY_MS = [500, 1000, 2000, 4000, 8000];

export class ChatRequestError extends Error {
  constructor(status, body) {
    super((body && body.detail) || String(status));
    this.status = status;
    this.body = body || {};
  }
}

/** Calls the chat API; rejects with ChatRequestError (status 0: no connection). */
export async function request(method, url, { token, json, body, headers = {} } = {}) {
  const all = { Accept: "application/json, application/problem+json", ...headers };
  if (token) all.Authorization = "Bearer " + token;
  if (json !== undefined) all["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: all,
      credentials: "omit",
      body: json !== undefined ? JSON.stringify(json) : body,
    });
  } catch {
    throw new ChatRequestError(0, null);
  }
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ChatRequestError(response.status, data);
  return data;
}

export function newClientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

export class Conversation {
  /**
   * `saved`: {chat_id, token, outbox}; `base`: /api/v1/chat/{key}; `on`: handlers for
   * message, status, typing, joined, transferred, ended, connection, sent, failed, save.
   */
  constructor(base, saved, on) {
    this.base = base;
    this.chatId = saved.chat_id;
    this.token = saved.token;
    this.outbox = saved.outbox || [];
    this.on = on;
    this.after = 0;
    this.seen = new Set();
    this.socket = null;
    this.attempt = 0;
    this.isClosed = false;
    this.isOnline = false;
    this.isFlushing = false;
  }

  get url() {
    return this.base + "/chats/" + encodeURIComponent(this.chatId);
  }

  connect() {
    if (this.isClosed) return;
    if (!this.onlineListener) {
      // the network is back: reconnect now rather than at the next back-off step
      this.onlineListener = () => {
        if (this.socket || this.isClosed) return;
        clearTimeout(this.retry);
        this.connect();
      };
      window.addEventListener("online", this.onlineListener);
    }
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + this.url + "/live");
    this.socket = socket;
    socket.addEventListener("open", () => {
      const hello = { type: "hello", token: this.token };
      if (this.after > 0) hello.after = this.after;
      socket.send(JSON.stringify(hello));
    });
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      for (const message of Array.isArray(frame) ? frame : [frame]) this.receive(message);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setOnline(false);
      if (this.isClosed || event.code === 4401 || event.code === 4403) return;
      const wait = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
      this.attempt += 1;
      this.retry = setTimeout(() => this.connect(), wait);
    });
  }

  /** Drops the socket the way a lost network does; it reconnects by itself. */
  drop() {
    if (this.socket) this.socket.close();
  }

  close() {
    this.isClosed = true;
    clearTimeout(this.retry);
    window.removeEventListener("online", this.onlineListener);
    if (this.socket) this.socket.close();
  }

  setOnline(isOnline) {
    if (this.isOnline === isOnline) return;
    this.isOnline = isOnline;
    this.on.connection(isOnline);
  }

  receive(message) {
    switch (message.type) {
      case "snapshot": {
        const data = message.data;
        this.attempt = 0;
        this.setOnline(true);
        for (const m of data.messages) this.deliver(m);
        this.after = Math.max(this.after, data.last_message_seq || 0);
        this.on.status(data);
        if (data.status === "ended") this.end();
        else this.flush();
        break;
      }
      case "message": this.deliver(message.message); break;
      case "position":
        this.on.status({ status: "waiting", ...message });
        break;
      case "typing": this.on.typing(message); break;
      case "joined": this.on.joined(message); break;
      case "transferred": this.on.transferred(); break;
      case "ended": this.end(); break;
      case "resync": this.drop(); break;
      default: break; // heartbeat
    }
  }

  /** Shows a stored message once, whichever way (post answer, snapshot, live) it came. */
  deliver(message) {
    if (this.seen.has(message.seq)) return;
    this.seen.add(message.seq);
    this.after = Math.max(this.after, message.seq);
    this.on.message(message);
  }

  end() {
    if (this.isClosed) return;
    this.close();
    this.on.ended();
  }

  /** Queues a message and sends it as soon as the connection allows. */
  send(text, attachment = null) {
    const item = { client_message_id: newClientId(), text, attachment };
    this.outbox.push(item);
    this.on.save();
    this.on.pending(item);
    this.flush();
    return item;
  }

  async flush() {
    if (this.isFlushing) return;
    this.isFlushing = true;
    try {
      while (this.outbox.length > 0) {
        const item = this.outbox[0];
        const json = { client_message_id: item.client_message_id, text: item.text };
        if (item.attachment) json.attachment_id = item.attachment.attachment_id;
        try {
          const stored = await request("POST", this.url + "/messages", { token: this.token, json });
          this.outbox.shift();
          this.on.save();
          this.on.sent(item, stored);
          this.deliver(stored);
        } catch (error) {
          if (error.status === 0 || error.status >= 500) {
            // no connection: try again when the socket is back (or in a moment)
            clearTimeout(this.flushRetry);
            this.flushRetry = setTimeout(() => this.flush(), 3000);
            return;
          }
          this.outbox.shift();
          this.on.save();
          this.on.failed(item, error);
        }
      }
    } finally {
      this.isFlushing = false;
    }
  }

  /** Asks for the transcript by e-mail once the chat has ended (sent once per chat, to the
   * address given when starting it); resolves to {mail_id, status, to}. */
  sendTranscript() {
    return request("POST", this.url + "/transcript", { token: this.token });
  }

  typing(isTyping) {
    return request("POST", this.url + "/typing", {
      token: this.token, json: { is_typing: isTyping },
    }).catch(() => {});
  }
}
