#!/usr/bin/env bash
# The GPU variant (-p:EdgeVisionGpu=true: ONNX Runtime with CUDA and TensorRT, Microsoft.ML.OnnxRuntime.Gpu.Linux) of
# the daemon and of the Inference tests, restored and built in artifacts/gpu so the CPU build's bin/ and obj/ stay as
# they are; then the provider-chain tests against it. On a GPU machine TensorRT or CUDA must serve; without a GPU both
# must be tried and fail naming the library that could not load, and CPU serves; then the GPU daemon itself starts
# on the shipped model and logs the provider it chose.
# The first restore downloads about 540 MB (native libraries). Not part of scripts/test.sh (docs/BENCHMARKS.md:
# "GPU build" gives its time). Usage: scripts/build-gpu.sh [--no-test]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

run_tests=1
[[ "${1:-}" == "--no-test" ]] && run_tests=0
OUT="${EDGEVISION_GPU_ARTIFACTS:-artifacts/gpu}"
CONFIGURATION="${CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
GPU=(-p:EdgeVisionGpu=true --artifacts-path "$OUT")
start=$SECONDS
step() { echo "build-gpu: $* ($((SECONDS - start)) s)"; }

expected=$(dotnet msbuild src/EdgeVision.Inference/EdgeVision.Inference.csproj -p:EdgeVisionGpu=true -getProperty:OnnxRuntimeVersion)
step "restoring the GPU variant (ONNX Runtime $expected)"
# NoWarn cleared for the restore only: Directory.Build.props hides NU1603, which here would mean a pin that floated.
for project in src/EdgeVision.Daemon tests/EdgeVision.Inference.Tests; do
  restore_log=$(dotnet restore "$project" "${GPU[@]}" -p:NoWarn=NONE 2>&1) || { echo "$restore_log" >&2; exit 1; }
  if grep -q NU1603 <<<"$restore_log"; then
    echo "$restore_log" >&2
    echo "build-gpu: NU1603 in $project: a pinned version is not served and NuGet took another" >&2
    exit 1
  fi
done

# One ONNX Runtime version for the managed API and the native libraries, the one Directory.Packages.props pins.
assets="$OUT/obj/EdgeVision.Inference/project.assets.json"
resolved=$(grep -o '"Microsoft\.ML\.OnnxRuntime[A-Za-z.]*/[0-9][0-9.]*"' "$assets" | tr -d '"' | sort -u)
echo "$resolved" | sed 's/^/build-gpu:   /'
for package in Microsoft.ML.OnnxRuntime.Gpu.Linux Microsoft.ML.OnnxRuntime.Managed; do
  if ! grep -qx "$package/$expected" <<<"$resolved"; then
    echo "build-gpu: $package resolved to something other than $expected" >&2
    exit 1
  fi
done
if grep -q '^Microsoft\.ML\.OnnxRuntime/' <<<"$resolved"; then
  echo "build-gpu: the CPU package Microsoft.ML.OnnxRuntime is in the GPU variant's graph" >&2
  exit 1
fi

step "building the daemon and the Inference tests"
dotnet build src/EdgeVision.Daemon -c "$CONFIGURATION" --no-restore "${GPU[@]}" -nologo -clp:ErrorsOnly --verbosity quiet
dotnet build tests/EdgeVision.Inference.Tests -c "$CONFIGURATION" --no-restore "${GPU[@]}" -nologo -clp:ErrorsOnly --verbosity quiet
config=$(tr '[:upper:]' '[:lower:]' <<<"$CONFIGURATION")
daemon_dir="$OUT/bin/EdgeVision.Daemon/$config"
for lib in libonnxruntime.so libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so libonnxruntime_providers_tensorrt.so; do
  [[ -f "$daemon_dir/runtimes/linux-x64/native/$lib" ]] || { echo "build-gpu: $daemon_dir lacks runtimes/linux-x64/native/$lib" >&2; exit 1; }
done
step "daemon GPU variant: $daemon_dir/edgevisiond.dll"

if ((run_tests)); then
  step "provider-chain tests against the GPU build"
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  set +e
  dotnet test "$OUT/bin/EdgeVision.Inference.Tests/$config/EdgeVision.Inference.Tests.dll" \
    --filter "FullyQualifiedName~ProviderChain" --logger "console;verbosity=detailed" >"$log" 2>&1
  status=$?
  set -e
  # The verdicts and each provider's reason (the GPU test writes one line per provider tried).
  grep -E '^\s*(Passed|Failed|Skipped) |^ *(TensorRT|CUDA|CPU): |Error Message|Assert\.|Total tests|^\s*(Passed|Failed|Skipped):' "$log" || true
  if ((status != 0)); then
    echo "build-gpu: provider-chain tests failed (full log above is trimmed; rerun: dotnet test $OUT/bin/EdgeVision.Inference.Tests/$config/EdgeVision.Inference.Tests.dll)" >&2
    exit "$status"
  fi
  if grep -qE '^\s*Skipped .*GpuProviderChainTests' "$log"; then
    echo "build-gpu: the GPU provider-chain tests were skipped: the test build did not get the GPU libraries" >&2
    exit 1
  fi
fi
if ((run_tests)); then
  # The daemon's own GPU binary: start-up native-library check, then the chain on the shipped model; stop it at the
  # line that names the provider it chose (the demo source needs no camera).
  step "the GPU daemon's provider chain"
  daemon_log=$(mktemp)
  dotnet "$daemon_dir/edgevisiond.dll" --Http:Port=0 --Window:Enabled=false --Model:Watch=false \
    --Capture:Sources:0:Kind=Demo >"$daemon_log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 240); do
    grep -q "Execution provider .* selected" "$daemon_log" && break
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill "$daemon_pid" 2>/dev/null || true
  wait "$daemon_pid" 2>/dev/null || true
  grep -E "Execution provider" "$daemon_log" | sed "s/^ */build-gpu:   /"
  if ! grep -q "Execution provider .* selected" "$daemon_log"; then
    echo "build-gpu: the GPU daemon chose no execution provider:" >&2
    cat "$daemon_log" >&2
    rm -f "$daemon_log"
    exit 1
  fi
  rm -f "$daemon_log"
fi
step "done"
