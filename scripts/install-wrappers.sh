#!/usr/bin/env bash
# Puts `edgevision` (the CLI) and `edgevisiond` (the daemon) on PATH as two small wrappers in
# ${EDGEVISION_BIN_DIR:-~/.local/bin} that run this checkout's build output, then checks that both start. Also installs
# the CLI's tab completion (scripts/edgevision-completion.bash) where bash-completion loads it on demand.
# Wrappers rather than a `dotnet tool` package: the CLI carries native runtimes (libtorch, OpenCV, ONNX Runtime)
# for one RID, which tool packages handle poorly, and a wrapper follows every rebuild (git pull + scripts/setup.sh)
# with nothing to reinstall. Sourced or run by scripts/setup.sh after the build; safe to re-run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${CONFIGURATION:-Release}"
bin_dir="${EDGEVISION_BIN_DIR:-$HOME/.local/bin}"
tool="$repo/tools/EdgeVision.Tools/bin/$configuration/net10.0/linux-x64/edgevision"
daemon="$repo/src/EdgeVision.Daemon/bin/$configuration/net10.0/edgevisiond.dll"

for built in "$tool" "$daemon"; do
  [[ -e "$built" ]] || { echo "install-wrappers: $built is missing; build first (scripts/setup.sh)" >&2; exit 1; }
done
mkdir -p "$bin_dir"

# write NAME BODY: temp file + rename, so a running wrapper is never seen half-written.
write() {
  local target="$bin_dir/$1" tmp
  tmp="$(mktemp "$bin_dir/.$1.XXXXXX")"
  printf '#!/bin/sh\n# Written by %s/scripts/install-wrappers.sh; runs this checkout'"'"'s %s build.\n%s\n' "$repo" "$configuration" "$2" > "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$target"
}
write edgevision "exec \"$tool\" \"\$@\""
# The daemon's content root is its project folder: appsettings.json and models/demo/ (the demo source), as scripts/run.sh.
write edgevisiond "exec dotnet \"$daemon\" --contentRoot \"$repo/src/EdgeVision.Daemon\" \"\$@\""

# Tab completion: bash-completion looks in the user's completions folder when `edgevision` is first completed.
completion_dir="${BASH_COMPLETION_USER_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion}/completions"
mkdir -p "$completion_dir"
tmp="$(mktemp "$completion_dir/.edgevision.XXXXXX")"
cp "$repo/scripts/edgevision-completion.bash" "$tmp"
mv -f "$tmp" "$completion_dir/edgevision"

# The check: both wrappers start what they point at. The CLI lists its verbs; the daemon is given an invalid port,
# which its start-up validation refuses at once (exit 2, the key named) before it opens a camera or a model.
if ! "$bin_dir/edgevision" --help >/dev/null 2>&1; then
  echo "install-wrappers: $bin_dir/edgevision --help failed" >&2; exit 1
fi
set +e
answer="$("$bin_dir/edgevisiond" --Http:Port=-1 2>&1)"; code=$?
set -e
if [[ $code -ne 2 || "$answer" != *"Http:Port"* ]]; then
  echo "install-wrappers: $bin_dir/edgevisiond did not start the daemon (exit $code): $answer" >&2; exit 1
fi
case ":$PATH:" in
  *":$bin_dir:"*) echo "install-wrappers: edgevision and edgevisiond are in $bin_dir (tab completion: $completion_dir/edgevision)" ;;
  *) echo "install-wrappers: edgevision and edgevisiond are in $bin_dir, which is not on PATH; add it: export PATH=\"$bin_dir:\$PATH\"" ;;
esac
