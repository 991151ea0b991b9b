#!/usr/bin/env bash
# The first run on a machine with an NVIDIA GPU (x64, driver, CUDA 13 + cuDNN 9 + TensorRT 10 libraries on the
# loader path): builds the GPU variant and runs the provider chain against it (scripts/build-gpu.sh: TensorRT or
# CUDA must serve), the `edgevision precision` table of the shipped model and of ResNet-18@224 (random weights)
# under CUDA and under TensorRT (fp32, fp16, int8 from the QDQ models), and `edgevisiond --bench` under each, and
# writes them as the "GPU" section of docs/BENCHMARKS.md (replaced on a re-run, the rest of the file untouched).
# Without a GPU it stops at once: exit 3 and "gpu-check: no GPU: …". Usage: scripts/gpu-check.sh [--quick]
#   --quick   1 s per measurement and 1 round (a smoke run; its numbers are not meant for the docs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=2 rounds=3 bench_seconds=5 bench_rounds=3
if [[ "${1:-}" == "--quick" ]]; then seconds=1 rounds=1 bench_seconds=1 bench_rounds=1; fi

# An NVIDIA device: the driver's tool answers, or a device node exists (a container without nvidia-smi).
gpu_name=""
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  gpu_name=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
elif [[ -e /dev/nvidia0 ]]; then
  gpu_name="NVIDIA GPU (/dev/nvidia0; nvidia-smi unavailable)"
fi
if [[ -z "$gpu_name" ]]; then
  if [[ -e /dev/nvhost-ctrl-gpu ]]; then
    echo "gpu-check: Jetson GPU found, but this script builds NuGet's x64 GPU ONNX Runtime; on a Jetson follow docs/JETSON.md § 2 and run edgevisiond --bench --bench-provider TensorRT" >&2
    exit 4
  fi
  echo "gpu-check: no GPU: nvidia-smi found no device and there is no /dev/nvidia0; run this on a machine with an NVIDIA GPU and its driver (nothing was built or written)" >&2
  exit 3
fi
if [[ "$(uname -m)" != "x86_64" ]]; then
  echo "gpu-check: $(uname -m): the GPU variant is NuGet's linux-x64 ONNX Runtime; on a Jetson follow docs/JETSON.md § 2" >&2
  exit 4
fi

start=$SECONDS
step() { echo "gpu-check: $* ($((SECONDS - start)) s)"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
OUT="${EDGEVISION_GPU_ARTIFACTS:-artifacts/gpu}"
export EDGEVISION_GPU_ARTIFACTS="$OUT"

step "GPU: $gpu_name"
bash scripts/build-gpu.sh | tee "$scratch/chain.log"

step "building the tools' GPU variant"
dotnet build tools/EdgeVision.Tools -c Release -p:EdgeVisionGpu=true --artifacts-path "$OUT" -nologo -clp:ErrorsOnly --verbosity quiet
tools_dll=$(find "$OUT/bin/EdgeVision.Tools" -name edgevision.dll | head -1)
daemon_dll="$OUT/bin/EdgeVision.Daemon/release/edgevisiond.dll"
edgevision() { dotnet "$tools_dll" "$@"; }

resnet18="$scratch/resnet18-224.onnx"
edgevision zoo --arch resnet18 --input 224 --channels 3 --classes 1000 --export "$resnet18"

for provider in CUDA TensorRT; do
  for model in models/default.onnx "$resnet18"; do
    step "precision: $(basename "$model") on $provider"
    # Top-1 is measured on CPU (the same for every provider); 2000 test images keep it to a minute.
    edgevision precision --model "$model" --data fashion-mnist --test-size 2000 --provider "$provider" \
      --seconds "$seconds" --rounds "$rounds" --docs "$scratch/precision-$provider"
  done
  step "daemon bench on $provider"
  dotnet "$daemon_dll" --bench --bench-provider "$provider" --bench-seconds "$bench_seconds" --bench-rounds "$bench_rounds" \
    --bench-out "$scratch/daemon-$provider.md" >/dev/null
done

section="$scratch/gpu-section.md"
{
  echo "<!-- gpu-check:begin -->"
  echo "## GPU ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $gpu_name; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) logical cores." \
       "Command: \`bash scripts/gpu-check.sh${1:+ $1}\` ($((SECONDS - start)) s in all). ONNX Runtime GPU $(dotnet msbuild src/EdgeVision.Inference/EdgeVision.Inference.csproj -p:EdgeVisionGpu=true -getProperty:OnnxRuntimeVersion)."
  echo
  echo "### Provider chain (scripts/build-gpu.sh)"
  echo
  echo '```'
  grep -E '^ *(TensorRT|CUDA|CPU): |Passed|Failed' "$scratch/chain.log" | sed 's/^ *//'
  echo '```'
  for provider in CUDA TensorRT; do
    echo
    # The precision tables as `edgevision precision --docs` wrote them, without its section heading and markers.
    grep -v -e '^## Quantization and precision' -e '^<!-- precision:' "$scratch/precision-$provider/BENCHMARKS.md" | sed 's/^### /### Precision on '"$provider"': /'
    echo
    sed 's/^## /### /' "$scratch/daemon-$provider.md"
  done
  echo "<!-- gpu-check:end -->"
} >"$section"

# Replace the previous GPU section (or append one), through a temp file and a rename.
docs=docs/BENCHMARKS.md
# The file without its old section and trailing blank lines, one blank line, the new section.
awk '/^<!-- gpu-check:begin -->$/ {skip = 1} !skip {lines[++n] = $0} /^<!-- gpu-check:end -->$/ {skip = 0}
     END {while (n > 0 && lines[n] == "") n--; for (i = 1; i <= n; i++) print lines[i]}' "$docs" >"$scratch/benchmarks.md"
{ cat "$scratch/benchmarks.md"; echo; cat "$section"; } >"$docs.tmp"
mv "$docs.tmp" "$docs"
step "wrote the GPU section of $docs"
