// A contact's call recordings (GET .../contacts/{id}/recordings, for users with
// recording.listen): an <audio> player per recording with its waveform drawn from `peaks` as
// SVG (the customer above the line, the agent below), the pauses marked on it and listed in
// words, a playhead, and a click on the waveform to seek. The audio itself is
// GET .../recordings/{id}/audio, fetched only when played (each playback is audited).
import { Problem } from "../api.js";
import { errorText } from "../errors.js";
import { formatClock, t } from "../i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 64;

function svg(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** The waveform of one recording: bars per peak pair, pause stretches, a playhead. */
export function waveform(recording) {
  const peaks = recording.peaks || [];
  const width = Math.max(1, peaks.length);
  const duration = recording.duration_s || 1;
  const drawing = svg("svg", {
    class: "waveform", viewBox: `0 0 ${width} ${HEIGHT}`, preserveAspectRatio: "none",
    role: "img",
    "aria-label": t("Waveform: the customer above the line, the agent below; {count} pauses marked.", {
      count: (recording.pauses || []).length,
    }),
  });
  for (const pause of recording.pauses || []) {
    const x = (pause.start_s / duration) * width;
    const w = Math.max(0.5, ((pause.end_s - pause.start_s) / duration) * width);
    const mark = svg("rect", { class: "pause", x, y: 0, width: w, height: HEIGHT });
    const title = svg("title", {});
    title.textContent = pauseText(pause);
    mark.append(title);
    drawing.append(mark);
  }
  const middle = HEIGHT / 2;
  peaks.forEach(([left, right], i) => {
    const up = Math.max(0.5, left * (middle - 2));
    const down = Math.max(0.5, right * (middle - 2));
    drawing.append(svg("rect", { class: "peak-left", x: i + 0.1, y: middle - up, width: 0.8, height: up }));
    drawing.append(svg("rect", { class: "peak-right", x: i + 0.1, y: middle, width: 0.8, height: down }));
  });
  drawing.append(svg("line", { class: "playhead", x1: 0, x2: 0, y1: 0, y2: HEIGHT, "vector-effect": "non-scaling-stroke" }));
  return drawing;
}

function pauseText(pause) {
  const values = {
    start: formatClock(pause.start_s),
    end: formatClock(pause.end_s),
    by: pause.by_name || pause.by || t("unknown"),
  };
  return pause.reason
    ? t("Paused {start}–{end} by {by}: {reason}", { ...values, reason: pause.reason })
    : t("Paused {start}–{end} by {by}", values);
}

let formNumber = 0;

/** "Silence a stretch": masks part of the stored recording for good (a card number said). */
function maskForm(recording, li, api) {
  formNumber += 1;
  const id = "mask-" + formNumber;
  const box = document.createElement("details");
  box.className = "recording-mask";
  const summary = document.createElement("summary");
  summary.textContent = t("Silence a stretch");
  const form = document.createElement("form");
  form.className = "inline-form";
  const control = (name, label, attributes) => {
    const wrap = document.createElement("div");
    wrap.className = "control";
    const caption = document.createElement("label");
    caption.htmlFor = id + "-" + name;
    caption.textContent = label;
    const input = document.createElement("input");
    input.id = id + "-" + name;
    input.name = name;
    Object.assign(input, attributes);
    wrap.append(caption, input);
    form.append(wrap);
    return input;
  };
  const start = control("start_s", t("From (seconds)"), { type: "text", inputMode: "decimal" });
  const end = control("end_s", t("To (seconds)"), { type: "text", inputMode: "decimal" });
  const reason = control("reason", t("Why"), { type: "text", maxLength: 200 });
  const button = document.createElement("button");
  button.type = "submit";
  button.className = "button quiet";
  button.textContent = t("Silence it");
  const error = document.createElement("p");
  error.className = "form-status is-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  form.append(button, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = {
      start_s: Number(start.value.replace(",", ".")),
      end_s: Number(end.value.replace(",", ".")),
      reason: reason.value.trim(),
    };
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    try {
      const answer = await api.post("/recordings/" + encodeURIComponent(recording.recording_id) + "/mask", body);
      const changed = { ...recording, pauses: answer.pauses };
      li.replaceWith(recordingItem(changed, li.querySelector("audio").src, api));
    } catch (problem) {
      // each field the API names is marked, its label said with the message
      const lines = [];
      for (const fault of (problem instanceof Problem && problem.errors) || []) {
        const input = form.elements[String(fault.field || "").split(".")[0]];
        if (input) input.setAttribute("aria-invalid", "true");
        const label = input ? form.querySelector(`label[for="${input.id}"]`).textContent + ": " : "";
        lines.push(label + errorText(fault));
      }
      if (!lines.length) {
        lines.push(problem instanceof Problem ? problem.detail || problem.title : String(problem));
      }
      error.textContent = lines.join(" ");
      error.hidden = false;
    }
  });
  box.append(summary, form);
  return box;
}

/** One recording: the player, the waveform under it, the pauses in words. */
function recordingItem(recording, audioUrl, api) {
  const li = document.createElement("li");
  li.className = "recording";
  li.dataset.recording = recording.recording_id;
  const audio = document.createElement("audio");
  audio.controls = true;
  audio.preload = "none";
  audio.src = audioUrl;
  audio.setAttribute("aria-label", t("Recording, {duration}", { duration: formatClock(recording.duration_s) }));
  const drawing = waveform(recording);
  const head = drawing.querySelector(".playhead");
  const width = Math.max(1, (recording.peaks || []).length);
  audio.addEventListener("timeupdate", () => {
    const x = (audio.currentTime / (recording.duration_s || 1)) * width;
    head.setAttribute("x1", x);
    head.setAttribute("x2", x);
  });
  drawing.addEventListener("click", (event) => {
    const box = drawing.getBoundingClientRect();
    audio.currentTime = ((event.clientX - box.left) / box.width) * recording.duration_s;
    audio.play().catch(() => {});
  });
  const legend = document.createElement("p");
  legend.className = "recording-legend";
  legend.textContent = t("Customer above, agent below; dashed: recording paused.");
  li.append(audio, drawing, legend);
  if ((recording.pauses || []).length) {
    const list = document.createElement("ul");
    list.className = "recording-pauses";
    for (const pause of recording.pauses) {
      const item = document.createElement("li");
      item.textContent = pauseText(pause);
      list.append(item);
    }
    li.append(list);
  }
  if (api.post) li.append(maskForm(recording, li, api));
  return li;
}

/**
 * Fills `holder` with the recordings of `contactId`. `url(path)` makes a tenant API URL and
 * `read(path)` GETs one, `post(path, body)` POSTs (the page's api helpers; without `post`
 * no mask form). Says so when there are none or the user may not hear them.
 */
export async function showRecordings(holder, contactId, { url, read, post }) {
  holder.replaceChildren();
  let recordings;
  try {
    recordings = await read("/contacts/" + encodeURIComponent(contactId) + "/recordings");
  } catch (error) {
    const note = document.createElement("p");
    note.className = "empty";
    note.textContent = error instanceof Problem && (error.status === 403 || error.status === 404)
      ? t("You may not hear this contact's recordings.") : t("The recordings could not be read.");
    holder.append(note);
    return [];
  }
  if (!recordings.length) {
    const note = document.createElement("p");
    note.className = "empty";
    note.textContent = t("No recordings.");
    holder.append(note);
    return recordings;
  }
  const list = document.createElement("ul");
  list.className = "recordings";
  for (const recording of recordings) {
    const audio = url("/recordings/" + encodeURIComponent(recording.recording_id) + "/audio");
    list.append(recordingItem(recording, audio, { post }));
  }
  holder.append(list);
  return recordings;
}
