#!/bin/bash
# :reports shows the server's reports as tables; x exports the one shown to
# ~/crmtui-exports/NAME-DATE.csv, the same bytes the server serves, mode
# 0600; a user without "may export reports" sees the export dimmed with the
# reason, and the server refuses that user too.
. "$(dirname "$0")/lib-tmux.sh"

server_start 40
api "$KEY_ana" GET "/reports"
first=$(jqr '.reports[0]')
second=$(jqr '.reports[1]')
api "$KEY_ana" GET "/reports/$first"
cell=$(jqr '.report.rows[0][1]')
count=$(jqr '.report.rows[0][2]')
api "$KEY_ana" GET "/reports/$first/export"
printf '%s\n' "$BODY_OUT" >"$TMPD/server.csv"
check "the server offers reports" [ -n "$first" ] && [ -n "$second" ] && [ -n "$cell" ]
mkdir -p "$TMPD/home"

tui_start -e HOME="$TMPD/home"
wait_for "All Contacts  1-" || true
keys :
type_text "reports"
keys Enter
expect "the Reports screen opens on the first report" "Reports  $first"
expect_match "its first row shows the server's values" "$cell +$count"
keys Tab
expect "Tab shows the next report" "Reports  $second"
keys BTab
expect "BackTab goes back" "Reports  $first"
expect "the export is offered" "x export to CSV   Tab"
keys x
expect "x exports" "exported to $TMPD/home/crmtui-exports/$first-"
file=$(ls "$TMPD/home/crmtui-exports/$first-"*.csv 2>/dev/null | head -n 1)
check "the CSV file exists" [ -f "$file" ]
is "it holds the server's CSV" "$(cat "$file")" "$(cat "$TMPD/server.csv")"
is "its mode is 0600" "$(stat -c %a "$file")" 600
keys Escape
expect "Esc goes back" "All Contacts"
tui_quit_clean "crmtui exits cleanly"
tm kill-session -t t 2>/dev/null

rm -rf "$TMPD/home/crmtui-exports"
TUI_KEY=$KEY_carla tui_start -e HOME="$TMPD/home"
wait_for "All Contacts  1-" || true
keys :
type_text "reports"
keys Enter
expect "carla sees the report" "Reports  $first"
expect "the export is dimmed with the reason" "not permitted (an admin can grant"
keys x
expect "x says why it does nothing" "not permitted to export reports"
check "no file was written" [ ! -e "$TMPD/home/crmtui-exports" ] || [ -z "$(ls "$TMPD/home/crmtui-exports")" ]
api "$KEY_carla" GET "/reports/$first/export"
is "the server refuses carla's export" "$CODE" 403
tui_quit_clean "crmtui exits cleanly as carla"

done_testing
