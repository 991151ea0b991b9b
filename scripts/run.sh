#!/usr/bin/env bash
# Set-up (packages, restore, build), then the daemon with the shipped model on the first camera,
# or the built-in demo source when there is none. Extra arguments go to the daemon, e.g.
#   scripts/run.sh --Sources:0:Uri=rtsp://camera/stream
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EDGEVISION_SETUP_MINIMAL=1 source scripts/setup.sh
exec dotnet src/EdgeVision.Daemon/bin/"$CONFIGURATION"/net10.0/edgevisiond.dll --contentRoot "$PWD/src/EdgeVision.Daemon" "$@"
