// The supervisor and team-leader wallboard (docs/desktop.md): one board per tenant the user
// may see, updated from the live stream's `stats` message every second; actions on agents,
// waiting contacts and live chats call the JSON API.
import { LiveStream } from "./live.js";
import { t } from "./i18n.js";
import { TenantBoard } from "./wallboard/board.js";
import { Monitors } from "./wallboard/monitor.js";

const root = document.getElementById("wallboard");
const status = document.getElementById("live-status");
const announcer = document.getElementById("announcer");
const boards = new Map();
const monitors = new Monitors(root, (text) => { announcer.textContent = text; });

function boardOf(tenantId) {
  let board = boards.get(tenantId);
  if (!board) {
    board = new TenantBoard(tenantId, monitors);
    boards.set(tenantId, board);
    root.append(board.element);
    board.load();
  }
  return board;
}

function showStats(stats) {
  for (const [tenantId, figures] of Object.entries(stats || {})) boardOf(tenantId).show(figures);
}

new LiveStream({
  onMessage(message) {
    if (message.type === "snapshot") showStats(message.data.stats);
    else if (message.type === "stats") showStats(message.data);
    else if (message.type === "event" || message.type === "signal") {
      const board = boards.get(message.data && message.data.tenant_id) || null;
      for (const each of board ? [board] : boards.values()) each.receive(message);
      monitors.receive(message);
    }
  },
  onStatus(state) {
    status.textContent =
      state === "open" ? t("Live") : state === "connecting" ? t("Connecting…") : t("Connection lost; reconnecting…");
    status.dataset.status = state;
  },
}).start();
