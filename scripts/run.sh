#!/usr/bin/env bash
# Set-up (packages, restore, build), then the daemon with the shipped model (models/default.onnx) on the
# first camera, or the built-in demo source when there is none. It logs where to look: the viewer URL
# (http://127.0.0.1:8080/), the local window when a display is present, the recording when one is set.
# Extra arguments go to the daemon, e.g.
#   scripts/run.sh --Capture:Sources:0:Name=cam --Capture:Sources:0:Kind=Pipe --Capture:Sources:0:Uri=rtsp://camera/stream \
#                  --Capture:Sources:0:Width=1280 --Capture:Sources:0:Height=720
#   scripts/run.sh --Output:Path=recording.avi --Window:Enabled=false
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EDGEVISION_SETUP_MINIMAL=1 source scripts/setup.sh
exec dotnet src/EdgeVision.Daemon/bin/"$CONFIGURATION"/net10.0/edgevisiond.dll --contentRoot "$PWD/src/EdgeVision.Daemon" "$@"
