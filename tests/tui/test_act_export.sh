#!/bin/bash
# Quick action Export: the format and the path (default
# ~/crmtui-exports/<id>-<date>.<ext>), the file complete (jq parses it, the
# activities are in it) with mode 0600; CSV; a missing or unwritable folder
# is one clear sentence with the form kept; Esc writes nothing.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name=$(jqr '.contacts[0].display_name')
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
n_act=$(jqr '.activities | length')
home="$TMPD/home"
mkdir -p "$home"
day=$(date +%Y-%m-%d)
out="$home/crmtui-exports/$cid-$day"

tui_start -e "HOME=$home"
expect_match "the first row is $name" "^>$name "

# Esc writes nothing
keys . x
expect "the form" "Export contact data"
expect "the default path" "crmtui-exports/$cid-$day.json"
keys Escape
expect "Esc cancels" "export cancelled: no file written"
check "no file after Esc" test ! -e "$out.json"

# JSON, the default
keys . x
expect "the form" "Export contact data"
keys Enter
expect "the result" "exported $name:"
check "the file is there" test -f "$out.json"
is "mode 0600" "$(stat -c %a "$out.json")" 600
is "jq reads it: the contact" "$(jq -r '.export.contact.id' "$out.json")" "$cid"
is "the activities are all in it" "$(jq -r '.export.activities | length' "$out.json")" "$n_act"
check "there are activities" test "$n_act" -gt 0

# CSV: the default path follows the format
keys . x
expect "the form" "Export contact data"
keys C-u
type_text "csv"
keys Enter
expect "the CSV result" "$cid-$day.csv"
check "the CSV file is there" test -f "$out.csv"
is "CSV mode 0600" "$(stat -c %a "$out.csv")" 600
check "it has a contact section" grep -q "^record," "$out.csv"

# a bad format is refused at its field
keys . x
expect "the form" "Export contact data"
keys C-u
type_text "pdf"
keys Enter
expect "the format is refused" "json, csv or vcf"
keys Escape

# a missing folder
keys . x
expect "the form" "Export contact data"
keys Tab C-u
type_text "$TMPD/no/such/dir/x.json"
keys Enter
expect "one clear sentence" "does not exist."
expect "naming the folder" "The folder $TMPD/no/such"
expect "the form is kept" "Export contact data"
keys Escape
check "nothing written there" test ! -e "$TMPD/no"

# a folder that cannot be written (root may write anywhere: /proc then)
ro="$TMPD/ro"
mkdir -p "$ro"
chmod 500 "$ro"
target="$ro/x.json"
[ "$(id -u)" = 0 ] && target=/proc/crmtui-test-export.json
keys . x
expect "the form" "Export contact data"
keys Tab C-u
type_text "$target"
keys Enter
expect_match "the write error is one sentence" "cannot|could not|not be written"
expect "the form is kept after it" "Export contact data"
check "no file was made" test ! -e "$target"
keys Escape
chmod 700 "$ro"

# the server records the export in the timeline
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
check "the export is in the timeline" test "$(jqr '[.activities[] | select(.action_type == "exported")] | length')" -gt 0
tui_quit_clean "exits clean"
done_testing
