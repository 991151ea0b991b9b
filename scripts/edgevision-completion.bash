# Tab completion for `edgevision` in bash (and zsh through bashcompinit). The tool answers itself: System.CommandLine's
# [suggest:POSITION] directive prints what may follow at the cursor (verbs, options, an option's choices), so the
# completion follows every rebuild with nothing to regenerate.
# Enable: scripts/install-wrappers.sh installs this where bash-completion loads it on demand; or add
#   source /path/to/EdgeVision/scripts/edgevision-completion.bash
# to ~/.bashrc (zsh: `autoload -U bashcompinit && bashcompinit` first).
_edgevision_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" IFS=$'\n'
  local suggestions
  # Drops the DOS-style help aliases (/?, /h) System.CommandLine also offers.
  suggestions="$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null | grep -v '^/')" || return 0
  # shellcheck disable=SC2207 # one suggestion per line, split on IFS (newline)
  COMPREPLY=($(compgen -W "$suggestions" -- "$cur"))
}
# -o default: when the tool suggests nothing (a path value), fall back to file names.
complete -o default -F _edgevision_complete edgevision
