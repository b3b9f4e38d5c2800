// The live stream (/api/v1/live, docs/live.md): snapshot, then events in seq order; resumes
// after a lost connection with ?after=<last seq>, and starts afresh on "resync".

const MAX_DELAY_MS = 30000;

export class LiveStream {
  /**
   * onMessage(message) gets every snapshot, event, stats and heartbeat message in order;
   * onStatus("connecting" | "open" | "closed") tells the page how the connection is.
   */
  constructor({ onMessage, onStatus = () => {}, path = "/api/v1/live" }) {
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.path = path;
    this.resumeAt = null;
    this.delay = 500;
    this.stopped = false;
    this.socket = null;
    this.nextId = 1;
    this.waiting = new Map();
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.socket) this.socket.close();
  }

  /** Sends a command (docs/live.md); resolves with the reply's data, rejects with the reply. */
  command(name, fields = {}) {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        reject({ ok: false, status: 0, detail: "not connected" });
        return;
      }
      this.waiting.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ type: "command", id, command: name, ...fields }));
    });
  }

  connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const query = this.resumeAt === null ? "" : "?after=" + this.resumeAt;
    this.onStatus("connecting");
    const socket = new WebSocket(scheme + "//" + window.location.host + this.path + query);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.delay = 500;
      this.onStatus("open");
    });
    socket.addEventListener("message", (frame) => this.receive(JSON.parse(frame.data)));
    socket.addEventListener("close", () => {
      for (const { reject } of this.waiting.values()) reject({ ok: false, status: 0 });
      this.waiting.clear();
      this.onStatus("closed");
      if (this.stopped) return;
      window.setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    });
  }

  receive(frame) {
    for (const message of Array.isArray(frame) ? frame : [frame]) {
      if (message.type === "reply") {
        const pending = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (pending) (message.ok ? pending.resolve(message.data) : pending.reject(message));
        continue;
      }
      if (message.type === "resync") {
        this.resumeAt = null; // the server closes the stream; the next connection snapshots
        this.delay = 0;
      } else if (typeof message.seq === "number") {
        this.resumeAt = message.seq;
      }
      this.onMessage(message);
    }
  }
}
