#!/usr/bin/env bash
# Fleet over MQTT, measured: N daemons (demo sources) on loopback publish to one mosquitto, one subscriber
# (mosquitto_sub, QoS 1) timestamps every message. Reports messages lost at QoS 1, publish→receive latency
# (the payload's "time", stamped when the daemon queued the message, to the subscriber's arrival clock) and
# the broker's CPU. Needs mosquitto, mosquitto_sub and a Release build of the daemon.
#   scripts/bench-mqtt-fleet.sh [daemons=8] [seconds=60]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-8}
DURATION=${2:-60}
DLL=src/EdgeVision.Daemon/bin/Release/net10.0/edgevisiond.dll
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[[ -f $DLL ]] || { echo "build the daemon first: dotnet build src/EdgeVision.Daemon -c Release" >&2; exit 1; }
[[ -x $MOSQUITTO ]] && command -v mosquitto_sub >/dev/null || { echo "install mosquitto and mosquitto-clients" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

port=$(free_port)
{ [[ $(id -u) -eq 0 ]] && echo "user root"; printf 'persistence false\nlistener %s 127.0.0.1\nallow_anonymous true\n' "$port"; } > "$work/mosquitto.conf"
"$MOSQUITTO" -c "$work/mosquitto.conf" 2> "$work/broker.log" & broker=$!; pids+=("$broker")
sleep 1
mosquitto_sub -h 127.0.0.1 -p "$port" -q 1 -t 'edgevision/#' -F '%U %t %p' > "$work/received.log" & pids+=($!)

http_ports=()
for i in $(seq 1 "$N"); do
  hp=$(free_port); http_ports+=("$hp")
  DOTNET_NOLOGO=1 dotnet "$DLL" --contentRoot "$work" --Model:Path="$PWD/models/default.onnx" --Http:Port="$hp" \
    --Window:Enabled=false --Inference:Providers:0=CPU --Logging:LogLevel:Default=Warning \
    --Capture:Sources:0:Name=demo --Capture:Sources:0:Kind=Demo --Capture:Sources:0:Fps=10 \
    --Capture:Sources:0:Width=160 --Capture:Sources:0:Height=120 --Capture:Sources:0:DemoImageDuration=00:00:00.3 \
    --FrameLoop:SmoothingHalfLifeSeconds=0 --FrameLoop:HysteresisMargin=0 \
    --Mqtt:Host=127.0.0.1 --Mqtt:Port="$port" --Mqtt:Device="fleet$i" --Mqtt:Qos=1 \
    --Mqtt:MinInterval=00:00:00 --Mqtt:StatusInterval=00:00:01 > "$work/daemon$i.log" 2>&1 & pids+=($!)
done

scrape() { # per daemon: the state+status messages the broker acknowledged, and the times before and after asking
  for i in $(seq 1 "$N"); do
    t=$(date +%s.%N)
    n=$(curl -sf "http://127.0.0.1:${http_ports[$((i-1))]}/metrics" \
      | awk '/^edgevision_mqtt_messages_published_total\{kind="(state|status)"\}/ {s+=$2} END {print s+0}')
    echo "fleet$i $n $t $(date +%s.%N)"
  done
}
# Wait until every daemon is up and publishing.
for _ in $(seq 1 120); do
  up=$(scrape 2>/dev/null | awk '$2>0' | wc -l); [[ $up -eq $N ]] && break; sleep 1
done
[[ $up -eq $N ]] || { echo "only $up of $N daemons came up" >&2; tail -5 "$work"/daemon*.log >&2; exit 1; }

cpu() { awk '{print $14+$15}' "/proc/$broker/stat"; }
# The subscriber and a fresh broker were there before the first daemon: every message counts from zero, and the
# only boundary is each daemon's final scrape. A message made before the request was sent and acknowledged
# after the counter was read, or made while the request was answered, is on one side only: loss is reported
# as the bounds these two cuts give (messages made before the request / before the answer).
t1=$(date +%s.%N); c1=$(cpu)
sleep "$DURATION"
t2=$(date +%s.%N); c2=$(cpu); scrape > "$work/published"
sleep 2 # let the last acknowledged messages reach the subscriber

python3 - "$work" "$t1" "$t2" "$c1" "$c2" "$N" <<'PY'
import json, sys, datetime, os
work, t1, t2, c1, c2, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
published, before, after = {}, {}, {}
for line in open(os.path.join(work, "published")):
    d, v, tb, ta = line.split(); published[d] = int(float(v)); before[d] = float(tb); after[d] = float(ta)
early, late, latencies = {}, {}, []
for line in open(os.path.join(work, "received.log")):
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 3 or not (parts[1].endswith("/state") or parts[1].endswith("/status")): continue
    try: msg = json.loads(parts[2])
    except ValueError: continue
    device = parts[1].split("/")[1]
    if device not in published: continue
    sent = datetime.datetime.fromisoformat(msg["time"]).timestamp()
    if sent < before[device]: early[device] = early.get(device, 0) + 1
    if sent < after[device]:
        late[device] = late.get(device, 0) + 1
        latencies.append((float(parts[0]) - sent) * 1000)
total_pub = sum(published.values())
lost_min = sum(max(0, published[d] - late.get(d, 0)) for d in published)
lost_max = sum(max(0, published[d] - early.get(d, 0)) for d in published)
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"daemons {n}, measured {t2 - t1:.1f} s (plus start-up), QoS 1: published (acknowledged) {total_pub}, "
      f"received {sum(late.values())} made before the final scrapes' answers ({sum(early.values())} before their requests)")
print(f"lost: at least {lost_min} ({100 * lost_min / max(1, total_pub):.2f} %), at most {lost_max} (the scrape boundary)")
print(f"publish→receive latency ms over {len(latencies)} messages: p50 {p(0.5):.2f}, p99 {p(0.99):.2f}, max {latencies[-1]:.2f}")
print(f"broker CPU {(c2 - c1) / 100:.2f} s over {t2 - t1:.1f} s = {(c2 - c1) / (t2 - t1):.2f} % of one core")
for d in sorted(published): print(f"  {d}: published {published[d]}, received {early.get(d, 0)}..{late.get(d, 0)}")
PY
