// The wallboard's charts, drawn as inline SVG: contacts offered and service level per hour of
// today, from the service's hourly tallies (glossary.md: answered within T ÷ (answered +
// abandoned after T), T the queue's service-level seconds).
import { formatNumber, formatPercent, t } from "../i18n.js";

const NS = "http://www.w3.org/2000/svg";
const W = 480;
const H = 160;
const PAD = { left: 36, right: 8, top: 10, bottom: 22 };

function el(name, attrs = {}, text = "") {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text) node.textContent = text;
  return node;
}

/** Per local hour 0-23: offered, and the service level (null where nothing counted), summed
 * over the queues from the service's own tallies (`hours_today` of each queue's stats). */
export function hourly(queueStats) {
  const hours = Array.from({ length: 24 }, () => ({ offered: 0, within: 0, counted: 0 }));
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  for (const queue of queueStats) {
    for (const h of queue.hours_today || []) {
      const starts = new Date(h.starts_at);
      if (starts < midnight) continue; // the service's (UTC) day began before the local one
      const bucket = hours[starts.getHours()];
      bucket.offered += h.offered;
      bucket.within += h.answered_in_time;
      bucket.counted += h.counted;
    }
  }
  return hours.map((h) => ({
    offered: h.offered,
    level: h.counted ? (100 * h.within) / h.counted : null,
  }));
}

function frame(svg, max, format) {
  const plotH = H - PAD.top - PAD.bottom;
  for (const fraction of [0, 0.5, 1]) {
    const y = PAD.top + plotH * (1 - fraction);
    svg.append(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: "grid" }));
    svg.append(el("text", { x: PAD.left - 4, y: y + 4, class: "axis", "text-anchor": "end" },
      format(max * fraction)));
  }
  for (const hour of [0, 6, 12, 18, 23]) {
    svg.append(el("text", { x: xOf(hour), y: H - 6, class: "axis", "text-anchor": "middle" },
      String(hour).padStart(2, "0")));
  }
}

function xOf(hour) {
  return PAD.left + ((W - PAD.left - PAD.right) * (hour + 0.5)) / 24;
}

function yOf(value, max) {
  return PAD.top + (H - PAD.top - PAD.bottom) * (1 - value / max);
}

function svgFor(label) {
  return el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label, class: "chart-svg" });
}

function volumeChart(hours) {
  const total = hours.reduce((sum, h) => sum + h.offered, 0);
  const svg = svgFor(t("{count} contacts offered today", { count: formatNumber(total) }));
  const max = Math.max(4, ...hours.map((h) => h.offered));
  frame(svg, max, (v) => formatNumber(Math.round(v)));
  const width = ((W - PAD.left - PAD.right) / 24) * 0.7;
  hours.forEach((h, hour) => {
    if (!h.offered) return;
    const y = yOf(h.offered, max);
    const bar = el("rect", { x: xOf(hour) - width / 2, y, width, height: yOf(0, max) - y, class: "bar" });
    bar.append(el("title", {}, String(hour).padStart(2, "0") + ":00 · " + formatNumber(h.offered)));
    svg.append(bar);
  });
  return svg;
}

function levelChart(hours, target) {
  const known = hours.map((h, hour) => [hour, h.level]).filter(([, level]) => level !== null);
  const last = known.length ? known[known.length - 1][1] : null;
  const svg = svgFor(last === null
    ? t("No service level yet today")
    : t("Service level in the last hour with contacts: {level}", { level: formatPercent(last, 1) }));
  frame(svg, 100, (v) => formatPercent(v));
  if (target != null) {
    svg.append(el("line", { x1: PAD.left, x2: W - PAD.right, y1: yOf(target, 100), y2: yOf(target, 100), class: "target" }));
  }
  if (known.length) {
    const points = known.map(([hour, level]) => `${xOf(hour)},${yOf(level, 100)}`).join(" ");
    svg.append(el("polyline", { points, class: "line" }));
    for (const [hour, level] of known) {
      const dot = el("circle", { cx: xOf(hour), cy: yOf(level, 100), r: 3.5, class: "dot" });
      dot.append(el("title", {}, String(hour).padStart(2, "0") + ":00 · " + formatPercent(level, 1)));
      svg.append(dot);
    }
  }
  return svg;
}

export function drawCharts(root, queueStats, queues) {
  const hours = hourly(queueStats);
  const targets = [...new Set(queues.map((q) => q.service_level_percent))];
  root.querySelector('[data-chart="volume"] [data-svg]').replaceChildren(volumeChart(hours));
  root.querySelector('[data-chart="service-level"] [data-svg]')
    .replaceChildren(levelChart(hours, targets.length === 1 ? targets[0] : null));
}
