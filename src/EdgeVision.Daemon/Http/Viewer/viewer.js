// EdgeVision viewer: live streams and predictions (one WebSocket, viewer-stream.js), performance, models, HUD and capture.
// Plain DOM, no framework, no external resources: the page works offline from the daemon alone.
"use strict";

const SPARK_SAMPLES = 240;

const state = {
  token: null,
  sources: [],
  selected: null,
  predictions: new Map(),   // source -> newest prediction
  eventTimes: new Map(),    // source -> recent event timestamps (ms) for fps
  spark: [],                // {fps, latency}
  events: null,             // the LiveConnection: frames and every event type, EventSource-style listeners
  grid: null,               // the StreamGrid of tiles
  labels: [],
  counts: {},
  lastCaptured: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// ---- token: accepted once (?token= or a prompt), kept for this browser session ----
function initToken() {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    sessionStorage.setItem("edgevision.token", fromUrl);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  state.token = sessionStorage.getItem("edgevision.token");
}

// The token goes out in the Authorization header of fetch() only; <img> streams and EventSource cannot send
// headers, so the daemon turns it into an HttpOnly cookie (POST /api/session) instead of ?token= in their URLs.
async function openSession() {
  if (state.token) await api("/api/session", { method: "POST" });
}

let asking = null;
function askToken() {
  if (asking) return asking;
  asking = new Promise((resolve) => {
    const dialog = $("token-dialog");
    $("token-form").onsubmit = () => {
      const value = $("token-input").value.trim();
      if (value) { state.token = value; sessionStorage.setItem("edgevision.token", value); }
      asking = null;
      resolve();
      start();
    };
    dialog.showModal();
  });
  return asking;
}

// One request at a time, so the page holds one keep-alive connection for fetch() beside the live WebSocket
// instead of one per concurrent request (the browser opens up to six).
let apiQueue = Promise.resolve();
function api(path, options = {}) {
  const result = apiQueue.then(() => request(path, options));
  apiQueue = result.catch(() => {});
  return result;
}

async function request(path, options) {
  const headers = Object.assign({}, options.headers || {});
  if (state.token) headers.Authorization = "Bearer " + state.token;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: options.method || "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    cache: "no-store",
  });
  if (response.status === 401) { askToken(); throw new Error("a token is required"); }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!response.ok) throw new Error((data && data.error) || `${response.status} ${response.statusText}`);
  return data;
}

function toast(message, isError = false) {
  const node = $("toast");
  node.textContent = message;
  node.className = "toast show" + (isError ? " error" : "");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.className = "toast"; }, isError ? 6000 : 2800);
}

// ---- streams: the tiles live in StreamGrid (viewer-stream.js) ----
function renderStreams(sources) {
  if (sources.join("\u0000") === state.sources.join("\u0000")) return;
  state.sources = sources;
  state.grid.setSources(sources);
  if (!state.selected || !sources.includes(state.selected)) state.selected = sources[0] || null;
  const picker = $("capture-source");
  picker.replaceChildren(...sources.map((s) => el("option", { value: s }, s)));
  if (state.selected) picker.value = state.selected;
  renderPrediction();
}

function select(source) {
  state.selected = source;
  state.grid.focus(source);
  $("capture-source").value = source;
  renderPrediction();
}

// ---- predictions ----
function onPrediction(p) {
  state.predictions.set(p.source, p);
  const now = performance.now();
  const times = state.eventTimes.get(p.source) || [];
  times.push(now);
  while (times.length && now - times[0] > 2000) times.shift();
  state.eventTimes.set(p.source, times);

  const top = p.topk[0];
  const caption = $("top1-" + p.source);
  if (caption && top) {
    caption.replaceChildren(top.label, el("em", {}, (top.score * 100).toFixed(0) + "%"));
  }
  if (p.source === state.selected) renderPrediction();
}

function renderPrediction() {
  const p = state.predictions.get(state.selected);
  $("pred-source").textContent = state.selected || "";
  const list = $("topk");
  if (!p) { list.replaceChildren(el("li", { class: "muted" }, "no prediction yet")); $("truth").hidden = true; return; }
  list.replaceChildren(...p.topk.map((entry) => {
    const bar = el("i");
    bar.style.width = Math.max(0, Math.min(100, entry.score * 100)).toFixed(1) + "%";
    return el("li", { class: "row" },
      el("span", { class: "label" }, entry.label),
      el("span", { class: "score" }, (entry.score * 100).toFixed(1) + "%"),
      el("span", { class: "bar" }, bar));
  }));
  const truth = $("truth");
  if (p.groundTruth) {
    const ok = p.topk.length > 0 && p.topk[0].label === p.groundTruth;
    truth.hidden = false;
    truth.replaceChildren("ground truth ", el("b", { class: ok ? "ok" : "bad" }, p.groundTruth));
  } else truth.hidden = true;
}

// Frames, predictions, status and any other event type come over the one WebSocket; its listeners work like
// EventSource's ({type, data}), so a handler for a new event type is one addEventListener line here.
function connectEvents() {
  if (state.events) state.events.close();
  const events = new LiveConnection();
  state.events = events;
  state.grid.attach(events);
  events.addEventListener("prediction", (e) => onPrediction(JSON.parse(e.data)));
  events.addEventListener("status", (e) => renderStatus(JSON.parse(e.data)));
  events.addEventListener("request-error", (e) => toast(JSON.parse(e.data).error, true));
  // Other panels (teach.js) take their events from the page, whatever carries them.
  events.addEventListener("teach", (e) => document.dispatchEvent(new CustomEvent("edgevision:teach", { detail: JSON.parse(e.data) })));
  events.onopen = () => setLink(true);
  events.onerror = () => setLink(false);
  events.open();
}

function setLink(live) {
  const link = $("link-state");
  link.classList.toggle("live", live);
  link.lastElementChild.textContent = live ? "live" : "offline";
}

// ---- performance: fps and latency sparkline ----
function sampleStats() {
  const p = state.predictions.get(state.selected);
  const times = state.eventTimes.get(state.selected) || [];
  const now = performance.now();
  const recent = times.filter((t) => now - t <= 2000);
  const fps = recent.length > 1 ? (recent.length - 1) / ((recent[recent.length - 1] - recent[0]) / 1000) : 0;
  const latency = p && now - lastSeen(p) < 3000 ? p.latencyMs : null;
  state.spark.push({ fps, latency });
  if (state.spark.length > SPARK_SAMPLES) state.spark.shift();
  $("stat-fps").textContent = fps ? fps.toFixed(1) : "–";
  $("stat-infer").textContent = p ? p.inferenceMs.toFixed(1) + "ms" : "–";
  $("stat-latency").textContent = latency != null ? latency.toFixed(0) + "ms" : "–";
  drawSpark();
}

function lastSeen(p) {
  const times = state.eventTimes.get(p.source);
  return times && times.length ? times[times.length - 1] : 0;
}

function drawSpark() {
  const canvas = $("spark");
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio); }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  g.strokeStyle = "#0f1b24"; g.lineWidth = 1;
  for (let y = h / 4; y < h; y += h / 4) { g.beginPath(); g.moveTo(0, y); g.lineTo(w, y); g.stroke(); }
  const series = (pick, color) => {
    const values = state.spark.map(pick);
    const finite = values.filter((v) => v != null);
    if (finite.length < 2) return;
    const max = Math.max(...finite) * 1.2 || 1;
    // Spread a short history over the width until there is a minute of it, then scroll.
    const step = w / (Math.min(SPARK_SAMPLES, Math.max(values.length, 40)) - 1);
    g.strokeStyle = color; g.lineWidth = 1.6; g.beginPath();
    let started = false;
    values.forEach((v, i) => {
      if (v == null) { started = false; return; }
      const x = w - (values.length - 1 - i) * step;
      const y = h - 4 - (v / max) * (h - 10);
      if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
    });
    g.stroke();
    g.fillStyle = color; g.font = "10px monospace";
    g.fillText(finite[finite.length - 1].toFixed(1), 4, color === "#37f2c8" ? 12 : 24);
  };
  series((s) => s.fps, "#37f2c8");
  series((s) => s.latency, "#ffb547");
}

// ---- status and models ----
// Pushed every second over the live connection; fetched once after a model switch.
async function refreshStatus() {
  try {
    renderStatus(await api("/api/status"));
  } catch (e) {
    setLink(false);
  }
}

function renderStatus(status) {
  const model = status.model || {};
  const provider = $("badge-provider");
  provider.textContent = model.provider || "—";
  provider.classList.toggle("gpu", model.provider && model.provider !== "CPU");
  $("badge-model").textContent = model.name ? `${model.name} · ${model.precision || ""}` : "no model";
  $("stat-uptime").textContent = formatUptime(status.uptimeSeconds || 0);
  renderStreams((status.sources || []).map((s) => s.name));
  state.grid.setStates(status.sources || []);
}

function formatUptime(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  return h ? `${h}h${String(m).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

function formatBytes(n) {
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + " MB";
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(0) + " KB";
  return n + " B";
}

async function refreshModels() {
  try {
    const models = await api("/api/models");
    const list = $("models");
    if (!models.length) { list.replaceChildren(el("li", { class: "muted" }, "no models in models/")); return; }
    list.replaceChildren(...models.map((m) => {
      const meta = m.error
        ? el("span", { class: "meta" }, m.error)
        : el("span", { class: "meta" },
            el("span", { class: "acc" }, m.top1 != null ? `top-1 ${(m.top1 * 100).toFixed(1)}%` : "top-1 n/a"),
            ` · ${m.architecture || "?"} · ${m.precision || "?"} · ${formatBytes(m.sizeBytes)}`);
      const button = el("button", { type: "button", dataset: { model: m.name } }, m.active ? "active" : "use");
      button.disabled = m.active || !!m.error;
      button.addEventListener("click", () => switchModel(m.name, button));
      return el("li", { class: "model" + (m.active ? " active" : "") + (m.error ? " broken" : ""), dataset: { model: m.name } },
        el("span", { class: "mname", title: m.name }, m.name), meta, button);
    }));
  } catch (e) {
    $("models").replaceChildren(el("li", { class: "muted" }, e.message));
  }
}

async function switchModel(name, button) {
  button.disabled = true;
  button.textContent = "loading…";
  try {
    await api("/api/models/active", { method: "POST", body: { name } });
    toast(`model ${name} is serving`);
  } catch (e) {
    toast(e.message, true);
  }
  await Promise.all([refreshModels(), refreshStatus(), refreshCaptureInfo()]);
}

// ---- HUD toggles ----
// The element names and their current state come from the daemon (GET /api/hud), so a toggle always names an
// element the daemon has and starts as the daemon draws it (configured off, or switched by another viewer).
async function renderHud() {
  const box = $("hud");
  let hud;
  try { hud = await api("/api/hud"); }
  catch (e) { toast("HUD state: " + e.message, true); return; }
  box.replaceChildren(...Object.entries(hud).map(([name, visible]) => {
    const input = el("input", { type: "checkbox", id: "hud-" + name });
    input.checked = visible;
    const label = el("label", { class: visible ? "on" : "", for: "hud-" + name, dataset: { element: name } }, name);
    input.addEventListener("change", async () => {
      label.classList.toggle("on", input.checked);
      try { await api("/api/hud", { method: "POST", body: { element: name, visible: input.checked } }); }
      catch (e) { input.checked = !input.checked; label.classList.toggle("on", input.checked); toast(e.message, true); }
    });
    return el("span", {}, input, label);
  }));
}

// ---- capture ----
async function refreshCaptureInfo() {
  try {
    const info = await api("/api/capture/counts");
    state.labels = info.labels || [];
    state.counts = info.counts || {};
    $("capture-labels").replaceChildren(...state.labels.map((l) => el("option", { value: l })));
    renderCounts();
  } catch { /* shown by status */ }
}

function renderCounts() {
  const entries = Object.entries(state.counts);
  const list = $("capture-counts");
  if (!entries.length) { list.replaceChildren(el("li", {}, "no frames captured yet")); return; }
  list.replaceChildren(...entries.map(([label, count]) =>
    el("li", { class: label === state.lastCaptured ? "fresh" : "", dataset: { label } }, label, el("b", {}, count))));
}

async function capture() {
  const label = $("capture-label").value.trim();
  const source = $("capture-source").value || state.selected;
  if (!label) { toast("type or choose a label first", true); $("capture-label").focus(); return; }
  try {
    const saved = await api("/api/capture", { method: "POST", body: { source, label } });
    state.lastCaptured = saved.label;
    state.counts[saved.label] = saved.count;
    renderCounts();
    toast(`saved ${saved.path} (${saved.width}×${saved.height})`);
  } catch (e) {
    toast(e.message, true);
  }
}

function initCapture() {
  $("capture-form").addEventListener("submit", (e) => { e.preventDefault(); capture(); });
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (!typing && (e.key === "c" || e.key === "C") && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); capture(); }
    if (!typing && /^[1-9]$/.test(e.key) && state.sources[Number(e.key) - 1]) select(state.sources[Number(e.key) - 1]);
  });
}

// ---- start ----
let timers = [];
async function start() {
  timers.forEach(clearInterval);
  try {
    await openSession();
  } catch {
    return; // a wrong token: api() has asked for another, and submitting it starts again
  }
  connectEvents();
  refreshModels();
  refreshCaptureInfo();
  renderHud();
  timers = [
    setInterval(refreshModels, 10000),
    setInterval(sampleStats, 250),
  ];
}

initToken();
initCapture();
state.grid = new StreamGrid($("streams"), select);
start();
