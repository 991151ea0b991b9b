#!/usr/bin/env bash
# Installs what EdgeVision needs and is missing on Debian 12 / Ubuntu x64 with the .NET 10 SDK, then
# restores and builds the whole solution. Sourced by scripts/run.sh and scripts/test.sh; safe to re-run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# libgtk-3-0 (+ libdrm2, libatomic1): OpenCV's native library links GTK HighGUI.
# ffmpeg: the process-pipe source for RTSP/HTTP, and the ffprobe client in tests.
# dataset-fashion-mnist: training data (/usr/share/datasets/fashion-mnist).
# xvfb, chromium, fonts: the local-window and real-browser tests.
# gstreamer1.0-tools + plugins-base: the gst-launch-1.0 pipe source (a Jetson's CSI path) against videotestsrc.
# mosquitto + mosquitto-clients (mosquitto_passwd, mosquitto_sub): the real broker of the MQTT tests and fleet benchmark.
# openssl: the MQTT TLS test makes its own CA. prometheus: promtool checks /metrics in a test.
APT_PACKAGES=(libgtk-3-0 libdrm2 libatomic1 ffmpeg dataset-fashion-mnist xvfb xauth xdotool chromium fonts-dejavu-core gstreamer1.0-tools gstreamer1.0-plugins-base mosquitto mosquitto-clients openssl prometheus)
if [[ "${EDGEVISION_SETUP_MINIMAL:-0}" == "1" ]]; then
  APT_PACKAGES=(libgtk-3-0 libdrm2 libatomic1 ffmpeg)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(); fi
  if [[ $(id -u) -eq 0 || ${#SUDO[@]} -gt 0 ]]; then
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: cannot install packages without root or passwordless sudo; please run:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIGURATION="${CONFIGURATION:-Release}"
dotnet restore EdgeVision.sln --verbosity quiet
dotnet build EdgeVision.sln -c "$CONFIGURATION" --no-restore --verbosity quiet -nologo -clp:ErrorsOnly
# `edgevision` and `edgevisiond` by name (wrappers in ~/.local/bin; EDGEVISION_BIN_DIR to put them elsewhere).
bash scripts/install-wrappers.sh
