#!/bin/bash
# Masked mode: with --masked no demo contact's name or email is on the
# contacts screen (list, detail, timeline); * reveals the selected contact's
# name (then, pressed again, the email) for a few seconds, each reveal written
# to the server's audit log as contact.reveal with the field and no value; it
# hides again; :mask turns masking off and on; the Edit form, which shows
# the values, is audited as a reveal of every field.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
: >"$TMPD/pii"
for p in 1 2; do
	api "$KEY_ana" GET "/contacts/view/$all?page=$p&per_page=25"
	jqr '.contacts[] | .email // empty, .first_name // empty, .last_name // empty' >>"$TMPD/pii"
done
sort -u "$TMPD/pii" | awk 'length($0) >= 3' >"$TMPD/pii.u"
check "the demo data has names and emails to look for" test "$(wc -l <"$TMPD/pii.u")" -ge 40
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
first_email=$(jqr '.contacts[0].email')
first_last=$(jqr '.contacts[0].last_name')

# shows_pii: true when the screen holds any name or email of the demo data
shows_pii() { screen | grep -qiF -f "$TMPD/pii.u"; }
reveals() {
	sqlite3 -readonly "$DB" "SELECT count(*) FROM audit WHERE action='contact.reveal' AND counts LIKE '%\"$1\"%'"
}

tui_start -x 140 -y 35 -- --masked
expect_match "the list is drawn, masked" '^>[^ ]\*+ '
keys Enter
expect "the detail is open" "Contact points"
expect "the email is a mask" "${first_email:0:1}***@"
if shows_pii; then
	not_ok "no name or email of the demo data on the screen" "$(screen | grep -iF -f "$TMPD/pii.u" | head -3)"
else
	ok "no name or email of the demo data on the screen"
fi
keys j j j Enter
expect "another contact's detail" "Contact points"
if shows_pii; then
	not_ok "still none after moving" "$(screen | grep -iF -f "$TMPD/pii.u" | head -3)"
else
	ok "still none after moving"
fi
keys k k k Enter
expect "back on the first contact" "${first_email:0:1}***@"

keys '*'
expect "* reveals the name" "$first_last"
is "the reveal is audited with the field" "$(reveals name)" 1
api "$KEY_ana" GET "/audit?per_page=1"
is "the audit entry is contact.reveal" "$(jqr '.audit[0].action')" contact.reveal
check "the audit entry holds no value" sh -c "! printf '%s' '$BODY_OUT' | grep -qiF -e '$first_last' -e '$first_email'"
keys '*'
expect "* again reveals the email" "$first_email"
is "that reveal is audited too" "$(reveals email)" 1
expect_gone "the email hides again" "$first_email"
check "the name stays hidden" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qF '$first_last'"

keys :
type_text mask
keys Enter
expect "masking off shows the email" "$first_email"
keys :
type_text mask
keys Enter
expect_gone "masking on hides it" "$first_email"
keys '*'
expect "a reveal after masking on starts at the name" "$first_last"
is "three reveals audited in all" "$(sqlite3 -readonly "$DB" "SELECT count(*) FROM audit WHERE action='contact.reveal'")" 3

# The quick actions' boxes show the masks too (once the reveal is over).
expect_gone "the revealed name hides again" "$first_last"
keys .
expect "the quick actions open" "Actions: "
check "their title holds no name" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qF '$first_last'"
keys u
expect "the unsubscribe question" "Do Not Disturb goes on"
check "it holds neither name nor email" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qF -e '$first_last' -e '$first_email'"
keys n
expect "n cancels" "unsubscribe cancelled"
keys . f
expect "the forget preview" "Forget"
keys Enter
check "the forget confirmation shows the email masked" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qF '$first_email'"
keys Escape
keys Escape

# The Edit form shows the values themselves: opening it is a reveal of every
# field, audited before the form opens.
is "no reveal of every field yet" "$(reveals all)" 0
keys . e
expect "the edit form opens" "Edit contact"
expect "with the email as it is" "$first_email"
is "its opening is audited as a reveal of every field" "$(reveals all)" 1
keys Escape
expect "Esc closes the form" "edit cancelled"
expect_gone "the email is gone from the screen" "$first_email"

# The Users screen shows the staff's emails masked.
keys :
type_text users
keys Enter
expect "the Users screen" "Users  1 of 3"
expect "bruno's email is a mask" "b***@a***.e******.com"
check "no staff email as it is" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qE '(ana|bruno|carla)@acme'"
keys Escape

# The privacy requests queue shows its subjects' emails masked too.
api "$KEY_ana" POST /privacy_requests '{"privacy_request":{"type":"access","subject_email":"masked.subject@example.org"}}'
is "a request for a subject" "$CODE" 200
keys :
type_text requests
keys Enter
expect "the queue shows the request, its email masked" "m***@e******.org"
check "and not the email" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qF 'masked.subject@example.org'"
keys Escape

tui_quit_clean "q quits cleanly"

done_testing
