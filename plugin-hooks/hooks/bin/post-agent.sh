# PostToolUse on Agent calls, sourced by Claude Code's `/bin/sh -c` (so it costs no process of its
# own). An agent's return is captured at its SubagentStop, so node starts here only when there is work
# left: something to tell a caller (notices/), or a guided workflow run to record (workflow-guided.json);
# see src/hooks/caller-notice.ts. It never starts where this session's hooks module runs, and always
# where the session folder may lie elsewhere than this script assumes.
if test -n "$SWITCHBOARD_RUNTIME_SESSION" && test "$SWITCHBOARD_RUNTIME_SESSION" = "$CLAUDE_CODE_SESSION_ID"; then
  exit 0
fi
case "$CLAUDE_CODE_SESSION_ID" in
  '' | *[!A-Za-z0-9_-]*) ;; # a name the session folder would spell differently
  *)
    if test -z "$SWITCHBOARD_DATA_DIR" && test -n "$CLAUDE_PLUGIN_DATA"; then
      # Switchboard's data folder beside this plugin's (registry/snapshot-locator.ts, switchboardDataOf).
      sb_data=${CLAUDE_PLUGIN_DATA%/}
      case "$sb_data" in
        */switchboard-hooks-*)
          sb_rest=${sb_data##*/switchboard-hooks-}
          case "$sb_rest" in
            '' | *[!A-Za-z0-9_-]*) ;;
            *) sb_data="${sb_data%/*}/switchboard-$sb_rest" ;;
          esac
          ;;
      esac
      sb_session="$sb_data/sessions/$CLAUDE_CODE_SESSION_ID"
      set -- "$sb_session/notices/"*
      test -e "$1" || test -e "$sb_session/workflow-guided.json" || exit 0
    fi
    ;;
esac
exec node "$CLAUDE_PLUGIN_ROOT/hooks/bin/post-tool-use.cjs"
