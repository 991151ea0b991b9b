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

scrape() { # total state+status messages acknowledged by the broker, per daemon
  for i in $(seq 1 "$N"); do
    curl -sf "http://127.0.0.1:${http_ports[$((i-1))]}/metrics" \
      | awk -v d="fleet$i" '/^edgevision_mqtt_messages_published_total\{kind="(state|status)"\}/ {s+=$2} END {print d, s+0}'
  done
}
# Wait until every daemon is up and publishing.
for _ in $(seq 1 120); do
  up=$(scrape 2>/dev/null | awk '$2>0' | wc -l); [[ $up -eq $N ]] && break; sleep 1
done
[[ $up -eq $N ]] || { echo "only $up of $N daemons came up" >&2; tail -5 "$work"/daemon*.log >&2; exit 1; }

cpu() { awk '{print $14+$15}' "/proc/$broker/stat"; }
sleep 2
t1=$(date +%s.%N); scrape > "$work/p1"; c1=$(cpu)
sleep "$DURATION"
t2=$(date +%s.%N); scrape > "$work/p2"; c2=$(cpu)
sleep 2 # let the last acknowledged messages reach the subscriber

python3 - "$work" "$t1" "$t2" "$c1" "$c2" "$N" "$DURATION" <<'PY'
import json, sys, statistics, datetime, os
work, t1, t2, c1, c2, n, duration = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
published = {}
for f, sign in (("p1", -1), ("p2", 1)):
    for line in open(os.path.join(work, f)):
        d, v = line.split(); published[d] = published.get(d, 0) + sign * int(float(v))
received, latencies = {}, []
for line in open(os.path.join(work, "received.log")):
    parts = line.rstrip("\n").split(" ", 2)
    if len(parts) < 3 or not (parts[1].endswith("/state") or parts[1].endswith("/status")): continue
    try: msg = json.loads(parts[2])
    except ValueError: continue
    sent = datetime.datetime.fromisoformat(msg["time"].replace("Z", "+00:00")).timestamp()
    if not (t1 <= sent < t2): continue  # the window between the two scrapes
    device = parts[1].split("/")[1]
    received[device] = received.get(device, 0) + 1
    latencies.append((float(parts[0]) - sent) * 1000)
total_pub, total_recv = sum(published.values()), sum(received.values())
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"daemons {n}, window {t2 - t1:.1f} s, published (acknowledged) {total_pub}, received {total_recv}, "
      f"lost {max(0, total_pub - total_recv)} ({100 * max(0, total_pub - total_recv) / max(1, total_pub):.2f} %), "
      f"rate {total_recv / (t2 - t1):.1f} msg/s")
print(f"publish→receive latency ms: p50 {p(0.5):.2f}, p99 {p(0.99):.2f}, max {latencies[-1]:.2f}")
print(f"broker CPU {(c2 - c1) / 100:.2f} s over {t2 - t1:.1f} s = {100 * (c2 - c1) / 100 / (t2 - t1):.2f} % of one core")
for d in sorted(published): print(f"  {d}: published {published[d]}, received {received.get(d, 0)}")
PY
