#!/usr/bin/python3
"""Plots the soak CSV of scripts/reliability.sh (one panel per quantity) and prints the figures docs/RELIABILITY.md
quotes: RSS growth after warm-up, managed heap, fds, threads and fps, first vs. last window.
Debian's python3-matplotlib (apt-get install python3-matplotlib) rather than the tools' ScottPlot: the soak
runs on a device where the .NET workstation CLI (TorchSharp and all) is not built.
  scripts/plot-soak.py docs/reliability-soak.csv docs/reliability-soak.png [warm-up seconds=300]"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

src, out = sys.argv[1], sys.argv[2]
warmup = float(sys.argv[3]) if len(sys.argv) > 3 else 300
with open(src) as f:
    rows = [r for r in csv.DictReader(f)]
t = [float(r["seconds"]) / 60 for r in rows]


def col(name):
    return [float(r[name]) if r[name] else float("nan") for r in rows]


panels = [
    ("resident memory (MB)", ["rss_mb"]),
    ("managed heap after GC (MB)", ["managed_heap_mb"]),
    ("open fds / threads", ["fds", "threads"]),
    ("fps per source", ["fps_demo0", "fps_demo1", "fps_demo2", "fps_net"]),
    ("net reconnects / load average", ["net_reconnects", "load1"]),
]
fig, axes = plt.subplots(len(panels), 1, figsize=(10, 12), sharex=True)
for ax, (title, names) in zip(axes, panels):
    for n in names:
        ax.plot(t, col(n), label=n, linewidth=1)
    ax.axvline(warmup / 60, color="grey", linestyle=":", linewidth=1)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
axes[-1].set_xlabel("minutes (dotted: end of warm-up)")
fig.tight_layout()
fig.savefig(out, dpi=80)

after = [r for r in rows if float(r["seconds"]) >= warmup]
if not after:
    sys.exit("no samples after the warm-up")
first, last = after[: max(1, len(after) // 10)], after[-max(1, len(after) // 10):]


def mean(rs, name):
    v = [float(r[name]) for r in rs if r[name]]
    return sum(v) / len(v) if v else float("nan")


rss0, rss1 = mean(first, "rss_mb"), mean(last, "rss_mb")
print(f"samples {len(rows)} over {float(rows[-1]['seconds']) / 60:.1f} min; after {warmup:.0f} s warm-up, first vs last tenth:")
print(f"rss {rss0:.1f} -> {rss1:.1f} MB ({(rss1 / rss0 - 1) * 100:+.1f} %), max {max(float(r['rss_mb']) for r in after):.1f}")
for name in ["managed_heap_mb", "fds", "threads", "fps_demo0", "fps_demo1", "fps_demo2", "fps_net", "load1"]:
    print(f"{name} {mean(first, name):.2f} -> {mean(last, name):.2f} (min {min(float(r[name]) for r in after if r[name]):.2f}, max {max(float(r[name]) for r in after if r[name]):.2f})")
print(f"net reconnects {rows[-1]['net_reconnects']}, stream client restarts {rows[-1]['client_restarts']}")
