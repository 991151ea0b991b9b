// EdgeVision viewer, Teach panel: counts per captured label, a Train button (key t), a progress bar, the result and
// the taught model becoming active. Self-contained but for the page's request queue; live progress arrives as
// "edgevision:teach" DOM events (the page forwards the daemon's `teach` stream events), and while a job runs the
// panel also polls GET /api/teach/{id}, so it never depends on how the page receives its streams.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const teach = { job: null, poll: null, counts: {} };

  // Through the page's one request queue (viewer.js `api`: token, 401 prompt, errors): fetches of its own would each
  // hold another keep-alive connection beside the live WebSocket (the grid test saw 4 instead of at most 2).
  const call = (path, method = "GET", body) => api(path, { method, body });

  function item(label, count) {
    const li = document.createElement("li");
    li.dataset.label = label;
    li.className = count < 5 ? "few" : "";
    li.append(label, Object.assign(document.createElement("b"), { textContent: String(count) }));
    return li;
  }

  async function refreshCounts() {
    try {
      const info = await call("/api/capture/counts");
      teach.counts = info.counts || {};
      const entries = Object.entries(teach.counts);
      $("teach-counts").replaceChildren(...(entries.length ? entries.map(([l, c]) => item(l, c)) : [Object.assign(document.createElement("li"), { textContent: "capture frames of 2+ labels, 5+ each" })]));
      if (!teach.job || teach.job.state !== "running") {
        const ready = entries.filter(([, c]) => c >= 5).length >= 2;
        $("teach-button").disabled = !ready;
      }
    } catch { /* the page shows the connection state */ }
  }

  function show(job) {
    if (!job || (teach.job && job.id !== teach.job.id && teach.job.state === "running")) return;
    teach.job = job;
    const bar = $("teach-progress");
    const status = $("teach-status");
    const running = job.state === "running";
    $("teach-button").disabled = running;
    $("teach-cancel").hidden = !running;
    bar.hidden = false;
    // Embedding is nearly all the work; fitting, writing and the swap are the last few percent.
    const steps = { queued: 0, scanning: 2, embedding: 5, fitting: 90, writing: 94, loading: 96, done: 100 };
    let value = steps[job.phase] ?? 0;
    if (job.phase === "embedding" && job.toEmbed > 0) value = 5 + 85 * (job.embedded / job.toEmbed);
    if (job.phase === "embedding" && job.toEmbed === 0) value = 90;
    bar.value = running || job.state === "completed" ? value : bar.value;
    bar.dataset.state = job.state;
    status.dataset.state = job.state;
    status.dataset.phase = job.phase;
    if (running) {
      status.textContent = job.phase === "embedding"
        ? `embedding ${job.embedded}/${job.toEmbed}` + (job.cached ? ` · ${job.cached} cached` : "")
        : job.phase + "…";
    } else if (job.state === "completed") {
      const accuracy = job.accuracy != null ? (job.accuracy * 100).toFixed(1) + " %" : "n/a";
      status.replaceChildren(
        Object.assign(document.createElement("b"), { textContent: job.model }),
        ` ${job.active ? "now serving" : "written"} · hold-out ${accuracy} on ${job.holdOutImages} · ${job.fitImages} captures · ${job.elapsedSeconds.toFixed(1)} s` +
          (job.skipped ? ` · ${job.skipped} skipped` : ""));
      if (typeof refreshModels === "function") refreshModels();
      if (typeof refreshStatus === "function") refreshStatus();
    } else {
      status.textContent = job.state === "cancelled" ? "cancelled" : "failed: " + (job.error || "unknown error");
    }
    if (!running) stopPolling();
  }

  function startPolling(id) {
    stopPolling();
    teach.poll = setInterval(async () => {
      try { show(await call("/api/teach/" + encodeURIComponent(id))); } catch { /* next tick */ }
    }, 1000);
  }

  function stopPolling() {
    if (teach.poll) clearInterval(teach.poll);
    teach.poll = null;
  }

  async function train() {
    if (teach.job && teach.job.state === "running") return;
    const name = $("teach-name").value.trim();
    $("teach-button").disabled = true;
    try {
      const job = await call("/api/teach", "POST", name ? { name } : {});
      teach.job = null;
      show(job);
      startPolling(job.id);
    } catch (e) {
      $("teach-status").dataset.state = "failed";
      $("teach-status").textContent = e.message;
      refreshCounts();
    }
  }

  async function cancel() {
    if (!teach.job) return;
    try { show(await call("/api/teach/" + encodeURIComponent(teach.job.id), "DELETE")); } catch (e) { $("teach-status").textContent = e.message; }
  }

  async function init() {
    $("teach-button").addEventListener("click", train);
    $("teach-cancel").addEventListener("click", cancel);
    document.addEventListener("edgevision:teach", (e) => show(e.detail));
    document.addEventListener("keydown", (e) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
      if (!typing && (e.key === "t" || e.key === "T") && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); train(); }
    });
    refreshCounts();
    setInterval(refreshCounts, 3000);
    try {
      const info = await call("/api/teach");
      if (info.latest) { show(info.latest); if (info.latest.state === "running") startPolling(info.latest.id); }
    } catch { /* no job yet or no token yet */ }
  }

  init();
})();
