#!/usr/bin/env bash
# The reliability suite, long versions (the short ones run in CI as xunit tests, class names *Reliability*).
#   scripts/reliability.sh soak [minutes=30] [csv=docs/reliability-soak.csv]
#       the real daemon with 4 sources (3 demo, 1 ffmpeg HTTP stream whose server restarts every minute) and
#       20 MJPEG clients; every 15 s it samples RSS, managed heap (dotnet-counters), open fds, threads,
#       per-source fps and reconnects into the CSV. Plot it with: scripts/plot-soak.py CSV PNG
#       EDGEVISION_DAEMON_DLL=/path/edgevisiond.dll runs a copy of the build, so rebuilding meanwhile is safe.
#   MEMORY_LIMIT_MB=256 scripts/reliability.sh soak 5 /tmp/near-limit.csv
#       the same with the daemon in a memory cgroup capped at that size (what the unit's MemoryMax= sets; cgroup v1
#       memory controller, needs root): prints the cgroup's peak usage, limit hits and OOM kills at the end.
#   scripts/reliability.sh faults|models|http|exhaustion|signals
#       the xunit scenario at full size (EDGEVISION_RELIABILITY_FULL=1: 100 source faults, 200 bad models,
#       10 000 hostile requests …), printing the figures the tests log.
# Needs a Release build (dotnet build tests/EdgeVision.Daemon.Tests -c Release), ffmpeg and curl; the soak also
# wants dotnet-counters (dotnet tool install --tool-path ~/.dotnet/tools dotnet-counters) for the managed heap.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=${1:-}
shift || true

run_scenario() { # $1 = test class
  EDGEVISION_RELIABILITY_FULL=1 dotnet test tests/EdgeVision.Daemon.Tests -c Release --no-build \
    --filter "FullyQualifiedName~EdgeVision.Daemon.Tests.Reliability.$1" --logger "console;verbosity=detailed"
}

case $mode in
  faults) run_scenario SourceFaultTests; exit ;;
  models) run_scenario BadModelTests; exit ;;
  http) run_scenario HostileHttpTests; exit ;;
  exhaustion) run_scenario ResourceExhaustionTests; exit ;;
  signals) run_scenario SignalTests; exit ;;
  soak) ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac

MINUTES=${1:-30}
CSV=${2:-docs/reliability-soak.csv}
DLL=${EDGEVISION_DAEMON_DLL:-src/EdgeVision.Daemon/bin/Release/net10.0/edgevisiond.dll}
[[ -f $DLL ]] || { echo "build the daemon first: dotnet build src/EdgeVision.Daemon -c Release" >&2; exit 1; }
command -v ffmpeg >/dev/null && command -v curl >/dev/null || { echo "install ffmpeg and curl" >&2; exit 1; }
COUNTERS=$(command -v dotnet-counters || ls ~/.dotnet/tools/dotnet-counters /tmp/evtools/dotnet-counters 2>/dev/null | head -1 || true)

work=$(mktemp -d)
pids=()
report_cgroup() { # the memory group's figures, also when the daemon was OOM-killed and the run stopped early
  [[ -n ${cg:-} && -d $cg ]] || return 0
  alive=$(kill -0 "$daemon" 2>/dev/null && echo yes || echo no)
  echo "memory cgroup: limit ${MEMORY_LIMIT_MB} MB, peak $(( $(cat "$cg/memory.max_usage_in_bytes") / 1048576 )) MB, limit hits $(cat "$cg/memory.failcnt"), $(grep -E 'oom_kill ' "$cg/memory.oom_control" || echo 'oom_kill n/a'), daemon alive at the end: $alive"
  kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; sleep 1; rmdir "$cg" 2>/dev/null || true
}
cleanup() { report_cgroup; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [[ -n ${server:-} ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; [[ -n ${KEEP_WORK:-} ]] || rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

ffmpeg -nostdin -loglevel error -f lavfi -i testsrc=size=320x240:rate=10 -t 10 -c:v mpeg2video -q:v 5 "$work/clip.ts"
net_port=$(free_port)
start_server() { # a one-client HTTP server looping the clip in real time; it exits when its client goes
  ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$work/clip.ts" -c copy -f mpegts -listen 1 \
    "http://127.0.0.1:$net_port/live.ts" >> "$work/server.log" 2>&1 & server=$!
}
start_server

port=$(free_port)
launch=()
if [[ -n ${MEMORY_LIMIT_MB:-} ]]; then
  cg=/sys/fs/cgroup/memory/edgevision-reliability-$$
  mkdir "$cg" || { echo "cannot create a memory cgroup under /sys/fs/cgroup/memory (cgroup v1, root)" >&2; exit 1; }
  echo $((MEMORY_LIMIT_MB * 1024 * 1024)) > "$cg/memory.limit_in_bytes"
  launch=(sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg")
fi
DOTNET_NOLOGO=1 "${launch[@]}" dotnet "$DLL" --contentRoot "$work" --Model:Path="$PWD/models/default.onnx" --Model:Watch=false \
  --Http:Port="$port" --Http:DatasetRoot="$work/captures" --Window:Enabled=false --Inference:Providers:0=CPU \
  --Logging:LogLevel:Default=Warning \
  --Capture:Sources:0:Name=demo0 --Capture:Sources:0:Kind=Demo --Capture:Sources:0:Fps=10 --Capture:Sources:0:DemoSeed=1 \
  --Capture:Sources:1:Name=demo1 --Capture:Sources:1:Kind=Demo --Capture:Sources:1:Fps=10 --Capture:Sources:1:DemoSeed=2 \
  --Capture:Sources:2:Name=demo2 --Capture:Sources:2:Kind=Demo --Capture:Sources:2:Fps=10 --Capture:Sources:2:DemoSeed=3 \
  --Capture:Sources:3:Name=net --Capture:Sources:3:Kind=Pipe --Capture:Sources:3:Uri="http://127.0.0.1:$net_port/live.ts" \
  --Capture:Sources:3:Width=320 --Capture:Sources:3:Height=240 --Capture:Sources:3:StallTimeout=00:00:20 \
  --Capture:Sources:3:BackoffInitial=00:00:00.5 --Capture:Sources:3:BackoffMax=00:00:04 \
  > "$work/daemon.log" 2>&1 & daemon=$!; pids+=("$daemon")
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/daemon.log" >&2; exit 1; }

# 20 MJPEG clients, 5 per source, each restarted if its connection ends (counted).
: > "$work/client-restarts"
sources=(demo0 demo1 demo2 net)
for i in $(seq 0 19); do
  s=${sources[$((i % 4))]}
  ( while kill -0 "$daemon" 2>/dev/null; do
      curl -sN "http://127.0.0.1:$port/stream/$s" -o /dev/null || true
      echo x >> "$work/client-restarts"
      sleep 1
    done ) & pids+=($!)
done

if [[ -n $COUNTERS ]]; then
  "$COUNTERS" collect -p "$daemon" --format csv -o "$work/counters.csv" --refresh-interval "${SAMPLE_SECONDS:-15}" \
    --counters System.Runtime > "$work/counters.log" 2>&1 & pids+=($!)
fi

metric() { awk -v name="$1" -v src="$2" '$1 == name "{source=\"" src "\"}" {print $2}' "$work/metrics"; }
managed_heap() { # newest dotnet.gc.last_collection.heap.size summed over generations (dotnet-counters CSV), MB
  [[ -f $work/counters.csv ]] || return 0
  awk -F, '/last_collection.heap.size/ { if ($1 != t) { t = $1; sum = 0 } sum += $NF } END { if (t != "") printf "%.1f", sum / 1048576 }' "$work/counters.csv"
}

mkdir -p "$(dirname "$CSV")"
echo "seconds,rss_mb,managed_heap_mb,fds,threads,fps_demo0,fps_demo1,fps_demo2,fps_net,net_reconnects,client_restarts,load1" > "$CSV"
start=$(date +%s)
declare -A last_inferred
last_t=$start
next_restart=$((start + 60))
end=$((start + MINUTES * 60))
while (( $(date +%s) < end )); do
  sleep "${SAMPLE_SECONDS:-15}"
  now=$(date +%s)
  curl -sf "http://127.0.0.1:$port/metrics" > "$work/metrics" || { echo "daemon not answering at $((now - start)) s" >&2; tail -50 "$work/daemon.log" >&2; exit 1; }
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$daemon/status")
  threads=$(awk '/^Threads/ {print $2}' "/proc/$daemon/status")
  fds=$(ls "/proc/$daemon/fd" | wc -l)
  fps=()
  for s in "${sources[@]}"; do
    n=$(metric edgevision_frames_inferred_total "$s"); n=${n:-0}
    prev=${last_inferred[$s]:-$n}
    fps+=("$(awk -v a="$n" -v b="$prev" -v dt=$((now - last_t)) 'BEGIN {printf "%.2f", (dt > 0 ? (a-b)/dt : 0)}')")
    last_inferred[$s]=$n
  done
  last_t=$now
  reconnects=$(metric edgevision_source_reconnects_total net)
  restarts=$(wc -l < "$work/client-restarts" 2>/dev/null || echo 0)
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "$((now - start)),$rss,$(managed_heap),$fds,$threads,$(IFS=,; echo "${fps[*]}"),${reconnects:-0},$restarts,$load" | tee -a "$CSV"
  # After the sample, so the restart's seconds are not counted into one interval's frame rate.
  if (( now >= next_restart )); then # the network source's server goes away and comes back
    kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
    sleep 2; start_server; next_restart=$((now + 60))
  fi
done
echo "soak done: $CSV (daemon log tail below)"
tail -20 "$work/daemon.log"
