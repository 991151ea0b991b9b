// EdgeVision live view: every tile's frames and every daemon event over one WebSocket (/api/live), and the grid
// of tiles for 1–16 sources. Browsers give a host six HTTP/1.1 connections; one MJPEG <img> per camera plus an
// EventSource used them all up, so beyond five cameras tiles stayed black and every fetch() waited.
// Loaded before viewer.js, which creates the LiveConnection and the StreamGrid (and whose el() builds the tiles).
"use strict";

const LIVE_GRID_FPS = 10;      // grid tiles: scaled to their size on screen and capped at this rate
const LIVE_WIDTH_STEP = 32;    // the daemon rounds widths down to this step (ScaledJpegCache.WidthStep)
const LIVE_FPS_WINDOW_MS = 2000;

// An EventSource look-alike over the WebSocket: addEventListener(type, fn) calls fn({type, data}) with data the
// event's JSON text, for whatever types the daemon publishes (prediction, status, and any added later), so code
// written for /api/events works unchanged. Frames go to onframe(source, blob, sequence).
class LiveConnection {
  constructor(path = "/api/live") {
    this.url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
    this.listeners = new Map();
    this.socket = null;
    this.request = null;
    this.retryMs = 500;
    this.closed = false;
    this.onframe = null;
    this.onopen = null;
    this.onerror = null;
    this.decoder = new TextDecoder();
  }

  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  open() {
    this.closed = false;
    const socket = new WebSocket(this.url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      if (this.request) socket.send(JSON.stringify(this.request));
      if (this.onopen) this.onopen();
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.onerror) this.onerror();
      if (this.closed) return;
      // Reconnect with a capped backoff; the last request is sent again on open.
      setTimeout(() => { if (!this.closed) this.open(); }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close();
    this.socket = null;
  }

  get live() { return !!this.socket && this.socket.readyState === WebSocket.OPEN; }

  // What the page shows now: {streams: [{source, width?, fps?}], events}; replaces the previous request.
  send(request) {
    this.request = request;
    if (this.live) this.socket.send(JSON.stringify(request));
  }

  receive(data) {
    if (typeof data === "string") {
      const newline = data.indexOf("\n");
      if (newline < 0) return;
      const event = { type: data.slice(0, newline), data: data.slice(newline + 1) };
      for (const fn of this.listeners.get(event.type) || []) fn(event);
      return;
    }
    // [1][name length][name UTF-8][sequence int64 BE][JPEG]
    const bytes = new Uint8Array(data);
    if (bytes.length < 10 || bytes[0] !== 1) return;
    const nameEnd = 2 + bytes[1];
    const source = this.decoder.decode(bytes.subarray(2, nameEnd));
    const sequence = Number(new DataView(data, nameEnd, 8).getBigInt64(0));
    if (this.onframe) this.onframe(source, new Blob([bytes.subarray(nameEnd + 8)], { type: "image/jpeg" }), sequence);
  }
}

// The tiles: a grid sized for the number of sources, one focused tile shown large at full size and rate, the others
// scaled down at LIVE_GRID_FPS; a hidden tab asks for nothing. Each tile shows its state and the rate it receives.
class StreamGrid {
  constructor(box, onFocus) {
    this.box = box;
    this.live = null;
    this.onFocus = onFocus;
    this.tiles = new Map();
    this.sources = [];
    this.focused = null;
    this.sentKey = null;
    document.addEventListener("visibilitychange", () => this.request());
    let resizing = null;
    window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(() => this.request(), 300); });
    setInterval(() => this.renderRates(), 500);
  }

  // A new connection (start, or a new token): it gets the current request when it opens.
  attach(live) {
    this.live = live;
    live.onframe = (source, blob) => this.frame(source, blob);
    this.sentKey = null;
    this.request();
  }

  setSources(sources) {
    if (sources.join("\u0000") === this.sources.join("\u0000")) return;
    this.sources = sources;
    for (const tile of this.tiles.values()) if (tile.url) URL.revokeObjectURL(tile.url);
    this.tiles.clear();
    this.box.replaceChildren();
    if (sources.length === 0) {
      this.box.append(el("div", { class: "empty" }, "waiting for sources…"));
      this.request();
      return;
    }
    const columns = sources.length <= 1 ? 1 : sources.length <= 4 ? 2 : sources.length <= 9 ? 3 : 4;
    this.box.style.setProperty("--columns", columns);
    this.box.classList.toggle("many", sources.length >= 3);
    sources.forEach((source, i) => {
      const img = el("img", { id: "stream-" + source, alt: "live stream of " + source });
      const badge = el("span", { class: "state", id: "state-" + source }, "connecting");
      const rate = el("span", { class: "fps", id: "fps-" + source }, "");
      const node = el("figure", { class: "tile", dataset: { source, state: "connecting" } }, img, badge,
        el("figcaption", { class: "caption" },
          el("span", { class: "name" }, i < 9 ? el("kbd", {}, String(i + 1)) : "", source),
          rate,
          el("span", { class: "top1", id: "top1-" + source }, "")));
      node.addEventListener("click", () => this.onFocus(source));
      this.box.append(node);
      this.tiles.set(source, { node, img, badge, rate, times: [], pending: null, loading: false, url: null, state: "connecting" });
    });
    if (!sources.includes(this.focused)) this.focused = sources[0];
    this.focus(this.focused);
  }

  focus(source) {
    if (!this.tiles.has(source)) return;
    this.focused = source;
    for (const [name, tile] of this.tiles) tile.node.classList.toggle("selected", name === source);
    // The layout changed: tile widths (and so the widths asked for) follow once it is laid out.
    requestAnimationFrame(() => this.request());
  }

  // What the page shows, and nothing more: sent only when it changed.
  request() {
    const request = document.hidden
      ? { streams: [], events: false }
      : { streams: this.sources.map((source) => this.streamFor(source)), events: true };
    const key = JSON.stringify(request);
    if (key === this.sentKey || !this.live) return;
    this.sentKey = key;
    this.live.send(request);
  }

  streamFor(source) {
    if (source === this.focused) return { source };
    const tile = this.tiles.get(source);
    const css = tile && tile.img.clientWidth ? tile.img.clientWidth : 320;
    const width = Math.ceil(css * (window.devicePixelRatio || 1) / LIVE_WIDTH_STEP) * LIVE_WIDTH_STEP;
    return { source, width, fps: LIVE_GRID_FPS };
  }

  // Latest wins here too: while a tile decodes one frame only the newest one waits.
  frame(source, blob) {
    const tile = this.tiles.get(source);
    if (!tile) return;
    tile.times.push(performance.now());
    tile.pending = blob;
    this.show(tile);
  }

  show(tile) {
    if (tile.loading || !tile.pending) return;
    const url = URL.createObjectURL(tile.pending);
    tile.pending = null;
    tile.loading = true;
    const done = () => {
      if (tile.url) URL.revokeObjectURL(tile.url);
      tile.url = url;
      tile.loading = false;
      this.show(tile);
    };
    tile.img.onload = done;
    tile.img.onerror = done;
    tile.img.src = url;
  }

  // From the status event: Live, Connecting, NoSignal or Ended per source; the connection itself overrides them.
  setStates(sources) {
    for (const s of sources) {
      const tile = this.tiles.get(s.name);
      if (tile) tile.state = s.state;
    }
    this.renderStates();
  }

  renderStates() {
    const connected = !!this.live && this.live.live;
    for (const tile of this.tiles.values()) {
      const [key, text] = !connected ? ["reconnecting", "reconnecting"]
        : tile.state === "Live" ? ["live", "live"]
        : tile.state === "NoSignal" ? ["nosignal", "NO SIGNAL"]
        : tile.state === "Ended" ? ["ended", "ended"]
        : ["reconnecting", tile.url ? "reconnecting" : "connecting"];
      tile.node.dataset.state = key;
      tile.badge.textContent = text;
    }
  }

  renderRates() {
    const now = performance.now();
    for (const tile of this.tiles.values()) {
      while (tile.times.length && now - tile.times[0] > LIVE_FPS_WINDOW_MS) tile.times.shift();
      const n = tile.times.length;
      const fps = n > 1 ? (n - 1) / ((tile.times[n - 1] - tile.times[0]) / 1000) : 0;
      tile.rate.textContent = fps ? fps.toFixed(1) + " fps" : "";
      tile.node.dataset.fps = fps.toFixed(1);
    }
    this.renderStates();
  }
}
