// The status page: /status.json once, then /events (server-sent events, once a second). Every peer-supplied string
// goes in with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

// A server with --token-file is opened as /?token=TOKEN: the page passes the same token on to what it fetches
// (EventSource and <audio> cannot send an Authorization header).
const token = new URLSearchParams(location.search).get("token");
const withToken = (path) => token ? path + "?token=" + encodeURIComponent(token) : path;

function seconds(s) {
  s = Math.floor(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return (h ? h + "h " : "") + (h || m ? m + "m " : "") + r + "s";
}

function row(cells, className) {
  const tr = document.createElement("tr");
  for (const [text, cls] of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  if (className) tr.className = className;
  return tr;
}

function render(status) {
  const s = status.stream;
  $("codec").textContent = s.codec;
  $("rate").textContent = s.sampleRate ? s.sampleRate + " Hz" : "–";
  $("channels").textContent = s.channels ?? "–";
  $("state").textContent = s.state;
  $("uptime").textContent = seconds(status.server.uptimeSeconds);
  $("http").textContent = s.http.path + " (Ogg Opus" + (s.http.transcoded ? ", transcoded from " + s.codec : ", passed through") + ")" + (s.http.failure ? " – unavailable: " + s.http.failure : "");
  $("agent").textContent = status.server.agent;

  const protocol = $("protocol-listeners").tBodies[0];
  protocol.replaceChildren(...status.listeners.protocol.map((l) => {
    const r = l.reported;
    return row([
      [l.remote], [l.agent], [seconds(l.connectedSeconds)],
      [r ? r.latencyMs.toFixed(1) + " ms" : "–", "latency"],
      [r ? r.bufferMs.toFixed(0) + " / " + r.targetMs.toFixed(0) + " ms" : "–", "buffer"],
      [r ? String(r.underruns) : "–", "underruns"],
      [r ? String(r.lost) : "–"], [r ? String(r.late) : "–"], [String(l.framesDropped)],
    ], "listener");
  }));
  $("protocol-count").textContent = status.listeners.protocol.length;

  const http = $("http-listeners").tBodies[0];
  http.replaceChildren(...status.listeners.http.map((l) => row([
    [l.remote], [l.userAgent], [seconds(l.connectedSeconds)], [String(l.pages)], [String(l.bytes)], [String(l.skipped)],
  ], "listener")));
  $("http-count").textContent = status.listeners.http.length;

  renderChat(status.chat);
}

function clock(iso) {
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toTimeString().slice(0, 8);
}

// Names and lines come from peers: textContent only (never innerHTML), as everything else on the page.
function renderChat(chat) {
  if (!chat) {
    $("chat").textContent = "No chat room runs on this server.";
    return;
  }
  $("chat-count").textContent = chat.participants;
  $("chat").textContent = "Chat room on port " + chat.port + " (streamer chat connect " + location.hostname + ":" + chat.port + "): "
    + chat.participants + " in the room" + (chat.readable ? "" : "; a token with the chat role shows who and what they say");
  $("chat-members").textContent = chat.members && chat.members.length ? "Here: " + chat.members.join(", ") : "";
  const lines = $("chat-lines");
  lines.replaceChildren(...(chat.recent || []).map((l) => {
    const li = document.createElement("li");
    li.className = "chat-" + l.event;
    const at = document.createElement("time");
    at.textContent = clock(l.at) + " ";
    const who = document.createElement("b");
    who.textContent = l.from;
    const text = document.createElement("span");
    text.className = "chat-text";
    text.textContent = l.event === "message" ? ": " + l.text
      : l.event === "join" ? " joined"
      : l.event === "leave" ? " left" + (l.text ? " (" + l.text + ")" : "")
      : (l.from ? ": " : "") + l.text;
    li.append(at, who, text);
    return li;
  }));
}

function connect() {
  const events = new EventSource(withToken("events"));
  events.onopen = () => { $("connection").textContent = "live"; $("connection").className = "badge live"; };
  events.onmessage = (e) => render(JSON.parse(e.data));
  events.onerror = () => { $("connection").textContent = "reconnecting…"; $("connection").className = "badge down"; };
}

fetch(withToken("status.json")).then((r) => r.json()).then(render).catch(() => {});
connect();

const player = $("player");
$("play").addEventListener("click", () => {
  if (player.paused) {
    player.src = withToken("stream.opus");
    player.play().catch((e) => { $("player-state").textContent = "cannot play: " + e.message; });
    $("play").textContent = "■ Stop";
  } else {
    player.pause();
    player.removeAttribute("src");
    player.load();
    $("play").textContent = "▶ Listen";
  }
});
player.addEventListener("playing", () => { $("player-state").textContent = "playing"; });
player.addEventListener("error", () => { $("player-state").textContent = "error: " + (player.error ? player.error.message || player.error.code : "?"); });
setInterval(() => { if (!player.paused) $("player-state").textContent = "playing " + player.currentTime.toFixed(1) + " s"; }, 500);
