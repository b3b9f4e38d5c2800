// "Call us" on the hosted chat page and in the widget (docs/widget.md "Calls"): the same
// pre-contact form as a chat, the microphone, then the call: where it is (the menu, place in
// line and expected wait, ringing, connected with the agent's name), a keypad for the menu
// (RFC 4733 through insertDTMF), mute and hang up. The call is one WebRTC connection to the
// media hub; its state comes from GET .../calls/{id} every two seconds.
import { HubPeer, expose, microphone } from "../js/voice/peer.js";
import { request } from "./conversation.js";
import { clearErrors, markField, showFieldErrors, showStatus, valuesOf } from "./fields.js";
import { formatWait, t } from "./text.js";

const POLL_MS = 2000;
const config = JSON.parse(document.getElementById("chat-config").textContent);
const voice = config.voice || {};
const base = "/api/v1/voice/" + encodeURIComponent(config.widget_key) + "/calls";
const $ = (id) => document.getElementById(id);
const FIELDS = ["name", "email", "phone", "topic_id", "language"];

let call = null; // {call_id, token, peer, stream, timer, status}

function showView() {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== "view-call";
}

function say(text) {
  $("call-status").textContent = text;
}

function statusText(data) {
  switch (data.status) {
    case "ivr": return t("call_ivr");
    case "queued": {
      const parts = [];
      if (data.place_in_line) parts.push(t("position", { position: data.place_in_line }));
      parts.push(data.expected_wait_s != null
        ? t("wait", { wait: formatWait(data.expected_wait_s) }) : t("wait_unknown"));
      return parts.join(" ");
    }
    case "ringing": return t("call_ringing");
    case "connected": return data.agent_name
      ? t("call_connected", { name: data.agent_name }) : t("call_connected_anonymous");
    case "held": return t("call_held");
    case "ended": return t("call_ended");
    default: return t("call_connecting");
  }
}

async function poll() {
  if (!call) return;
  try {
    const data = await request("GET", base + "/" + encodeURIComponent(call.call_id), { token: call.token });
    if (data.status !== call.status) {
      call.status = data.status;
      document.body.dataset.call = data.status;
      if (data.status === "ended") return ended();
    }
    say(statusText(data));
  } catch (error) {
    if (error.status === 404 || error.status === 401) return ended();
  }
  call.timer = setTimeout(poll, POLL_MS);
  return undefined;
}

function ended() {
  if (!call) return;
  clearTimeout(call.timer);
  call.peer.close();
  for (const track of call.stream.getTracks()) track.stop();
  expose("customer", null);
  call = null;
  document.body.dataset.call = "ended";
  say(t("call_ended"));
  $("call-controls").hidden = true;
  $("call-again").hidden = false;
  $("call-again").focus();
}

async function start(form) {
  clearErrors(form);
  const all = valuesOf(form);
  const body = {};
  // the topic chosen in the form goes with the call; a widget's IVR flow runs all the same
  for (const name of FIELDS) if (all[name]) body[name] = all[name];
  if (!body.language && config.has_languages) body.language = config.language;
  if (!body.name) return markField(form, "name", t("name_missing"));
  const button = $("call-us");
  button.disabled = true;
  let stream;
  try {
    stream = await microphone();
  } catch {
    button.disabled = false;
    return showStatus(form, t("call_microphone"));
  }
  const peer = new HubPeer({
    iceServers: voice.ice_servers || [],
    track: stream.getAudioTracks()[0],
    audioElement: $("call-audio"),
  });
  try {
    const started = await peer.connect((sdp) => request("POST", base, { json: { ...body, sdp } }));
    call = { call_id: started.call_id, token: started.token, peer, stream, status: null, timer: null };
  } catch (error) {
    peer.close();
    for (const track of stream.getTracks()) track.stop();
    if (!(error.status === 422 && showFieldErrors(form, error))) {
      showStatus(form, error.status === 0 ? t("no_connection")
        : t("failed", { reason: error.message || String(error) }));
    }
    return undefined;
  } finally {
    button.disabled = false;
  }
  expose("customer", peer);
  showView();
  document.body.dataset.call = "connecting";
  say(t("call_connecting"));
  $("call-controls").hidden = false;
  $("call-again").hidden = true;
  $("call-hang-up").focus();
  poll();
  return undefined;
}

function digit(key) {
  if (!call) return;
  const line = $("call-digits");
  if (!call.peer.sendDigits(key)) {
    line.textContent = t("call_keypad_unavailable");
    return;
  }
  line.dataset.sent = (line.dataset.sent || "") + key;
  line.textContent = t("call_digits_sent", { digits: line.dataset.sent });
}

function mute() {
  if (!call) return;
  const track = call.stream.getAudioTracks()[0];
  track.enabled = !track.enabled;
  const button = $("call-mute");
  button.setAttribute("aria-pressed", String(!track.enabled));
  button.textContent = track.enabled ? t("call_mute") : t("call_unmute");
  say(track.enabled ? statusText({ status: call.status }) : t("call_muted"));
}

async function hangUp() {
  if (!call) return;
  const url = base + "/" + encodeURIComponent(call.call_id) + "/hang-up";
  try {
    await request("POST", url, { token: call.token });
  } catch {
    // the media closes anyway: the hub ends a call whose customer leg is gone
  }
  ended();
}

if (voice.enabled && $("call-us")) {
  const form = $("prechat");
  $("call-us").hidden = false;
  $("call-us-help").hidden = false;
  $("call-us").addEventListener("click", () => start(form));
  $("call-hang-up").addEventListener("click", hangUp);
  $("call-mute").addEventListener("click", mute);
  for (const key of document.querySelectorAll("#call-keypad [data-key]")) {
    key.addEventListener("click", () => digit(key.dataset.key));
  }
  $("call-keypad").addEventListener("keydown", (event) => {
    if (/^[0-9*#]$/.test(event.key)) {
      event.preventDefault();
      digit(event.key);
    }
  });
  $("call-again").addEventListener("click", () => location.reload());
  window.addEventListener("pagehide", () => { if (call) hangUp(); });
}
