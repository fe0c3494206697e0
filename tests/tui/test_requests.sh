#!/bin/bash
# :requests end to end: the queue by due date with days left, an overdue
# request marked in text and in the error colour, a request opened, linked to
# its contact by email, verified, its export run, closed with an outcome (the
# receipt and reference shown, not the email), and a new request recorded.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
email=$(jqr '.contacts[0].email')
check "a contact with an email" test -n "$email" -a "$email" != null

api "$KEY_ana" POST /privacy_requests "{\"privacy_request\":{\"type\":\"access\",\"subject_email\":\"$email\"}}"
rid=$(jqr .privacy_request.id)
is "an access request created with curl" "$CODE $(jqr .privacy_request.status)" "200 new"
old=$(date -u -d "-2 months" +%Y-%m-%dT%H:%M:%SZ)
api "$KEY_ana" POST /privacy_requests "{\"privacy_request\":{\"type\":\"erasure\",\"subject_email\":\"late.subject@example.org\",\"received_at\":\"$old\"}}"
oid=$(jqr .privacy_request.id)
odue=$(jqr .privacy_request.due_at)
late=$(( ($(date -u +%s) / 86400) - ($(date -u -d "$odue" +%s) / 86400) ))
check "a request received two months ago is overdue" test "$late" -gt 20

api "$KEY_ana" GET "/privacy_requests?per_page=100"
n=$(jqr '.privacy_requests | length')
opos=$(jqr "[.privacy_requests[].id] | index($oid)")
rpos=$(jqr "[.privacy_requests[].id] | index($rid)")

home="$TMPD/home"
mkdir -p "$home"
tui_start -x 120 -y 40 -e "HOME=$home"
wait_for "All Contacts  1-" || true
keys :
type_text "requests"
keys Enter
expect "the queue opens with the server's count" "Privacy requests  $n"
expect "the columns are named" "Days"
expect_match "the overdue request is marked in text" "#$oid +erasure +new .*OVERDUE ${late}d +late.subject@example.org"
expect_match "the new request shows its days left" "#$rid +access +new .*[0-9]+d left +$email"
is "the overdue request is first (sorted by due date)" "$opos" 0
# The error colour: the overdue row, once not selected, is drawn with the
# attributes of the error colour, unlike an ordinary row.
keys G
for _ in $(seq 1 100); do
	oline=$(tm capture-pane -p -e -t t | grep "#$oid ")
	rline=$(tm capture-pane -p -e -t t | grep "#$rid ")
	[ "${oline%%#*}" != "${rline%%#*}" ] && break
	sleep 0.05
done
check "the overdue row carries the error colour's attributes" sh -c 'printf "%s" "$1" | grep -q "$(printf "\033")\[[0-9;]*[17]"' _ "$oline"
check "it differs from an ordinary row's" test "${oline%%#*}" != "${rline%%#*}"

# Open the access request: link, verify, run the export, close.
keys g
for _ in $(seq 1 "$rpos"); do keys j; done
keys Enter
expect "the request's box" "Privacy request #$rid"
expect "its subject" "Subject: $email"
expect "not linked yet" "Contact: not linked"
keys l
expect "linked by the email lookup" "Contact: #$cid"
api "$KEY_ana" GET "/privacy_requests/$rid"
is "the server has the link" "$(jqr .privacy_request.contact_id)" "$cid"
keys v
expect "verified" "Status: verified"
keys a
expect "the export form of the contact" "Export contact data"
keys Enter
expect_match "the export ran" "exported .*:"
out=$(ls "$home"/crmtui-exports/"$cid"-*.json 2>/dev/null | head -n 1)
check "the export file is written" test -n "$out" -a -f "$out"
is "the file holds the contact" "$(jq -r .export.contact.id "$out" 2>/dev/null)" "$cid"
api "$KEY_ana" GET "/privacy_requests/$rid"
is "running the action put the request in progress" "$(jqr .privacy_request.status)" in_progress
expect_match "the queue shows it in progress" "#$rid +access +in_progress"
keys Enter
expect "the box again" "Status: in_progress"
keys c
expect "the outcome form" "Close the request as done"
type_text "Export sent to the subject"
keys Enter
expect "closed: the receipt" "Receipt: audit entry #"
expect "and the reference" "Reference: "
check "the box shows no email" sh -c "! printf '%s' \"\$1\" | grep -qF \"\$2\"" _ "$(screen)" "$email"
api "$KEY_ana" GET "/privacy_requests/$rid"
is "the server closed it without the email" "$(jqr .privacy_request.status) $(jqr .privacy_request.subject_email)" "done null"
is "with the outcome" "$(jqr .privacy_request.outcome)" "Export sent to the subject"
keys Escape
expect_match "the queue lists it by its reference" "#$rid +access +done .*closed +ref [0-9a-f]{16}"
check "the queue shows no email of the closed request" sh -c "! printf '%s' \"\$1\" | grep -qF \"\$2\"" _ "$(screen)" "$email"

# The overdue request: an extension beyond three months after receipt is
# refused with the server's sentence; one within them lifts the overdue mark.
keys g
keys Enter
expect "the overdue request's box" "Privacy request #$oid"
keys t
expect "the extension form" "Extend the deadline"
type_text "$(date -u -d "+2 months" +%Y-%m-%d)"
keys Tab
type_text "Many requests this month"
keys Enter
expect "beyond three months: the server's refusal" "no later than"
keys BTab
keys C-u
ext=$(date -u -d "+20 days" +%Y-%m-%d)
type_text "$ext"
keys Enter
expect "the extension is shown" "Extended to: ${ext}T00:00:00Z (Many requests this month)"
api "$KEY_ana" GET "/privacy_requests/$oid"
is "the server has the extension and its reason" "$(jqr .privacy_request.extended_to) $(jqr .privacy_request.extension_reason)" "${ext}T00:00:00Z Many requests this month"
check "and when the subject was told" test "$(jqr .privacy_request.subject_told_at)" != null
keys Escape
expect_match "no longer overdue: its days left" "#$oid +erasure +new .*(19|20)d left"

# An erasure request: linked, verified, Forget run from it; the contact is
# gone and the request keeps no link to it; closed with an outcome.
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=2&per_page=1"
cid2=$(jqr '.contacts[0].id')
email2=$(jqr '.contacts[0].email')
api "$KEY_ana" POST /privacy_requests "{\"privacy_request\":{\"type\":\"erasure\",\"subject_email\":\"$email2\"}}"
eid=$(jqr .privacy_request.id)
keys R
api "$KEY_ana" GET "/privacy_requests?per_page=100"
epos=$(jqr "[.privacy_requests[].id] | index($eid)")
expect_match "the erasure request is listed" "#$eid +erasure +new"
keys g
for _ in $(seq 1 "$epos"); do keys j; done
keys Enter
expect "the erasure request's box" "Privacy request #$eid"
keys l
expect "linked" "Contact: #$cid2"
keys v
expect "verified" "Status: verified"
keys a
expect "Forget's preview of the linked contact" "Forget: what goes, what stays"
keys y
expect "the typed confirmation" "type the contact's email"
type_text "$email2"
keys Enter
expect "the erasure receipt" "Erasure receipt"
api "$KEY_ana" GET "/contacts/$cid2"
is "the contact is forgotten" "$CODE" 404
api "$KEY_ana" GET "/privacy_requests/$eid"
is "the request is in progress and no longer linked" "$(jqr .privacy_request.status) $(jqr .privacy_request.contact_id)" "in_progress null"
keys Escape
wait_gone "Erasure receipt" || true
keys R
expect_match "the queue shows it in progress" "#$eid +erasure +in_progress"
keys Enter
expect "its box" "Privacy request #$eid"
keys c
expect "the outcome form" "Close the request as done"
type_text "Erased, processors notified"
keys Enter
expect "closed with a receipt" "Receipt: audit entry #"
api "$KEY_ana" GET "/privacy_requests/$eid"
is "the server closed it without the email" "$(jqr .privacy_request.status) $(jqr .privacy_request.subject_email)" "done null"
keys Escape

# A rectification request runs Edit on the linked contact.
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=3&per_page=1"
cid3=$(jqr '.contacts[0].id')
email3=$(jqr '.contacts[0].email')
api "$KEY_ana" POST /privacy_requests "{\"privacy_request\":{\"type\":\"rectification\",\"subject_email\":\"$email3\"}}"
fid=$(jqr .privacy_request.id)
keys R
api "$KEY_ana" GET "/privacy_requests?per_page=100"
fpos=$(jqr "[.privacy_requests[].id] | index($fid)")
expect_match "the rectification request is listed" "#$fid +rectification +new"
keys g
for _ in $(seq 1 "$fpos"); do keys j; done
keys Enter
expect "the rectification request's box" "Privacy request #$fid"
keys l
expect "linked" "Contact: #$cid3"
keys v
expect "verified" "Status: verified"
keys a
expect "the edit form of the linked contact" "Edit contact"
expect "with the contact's email in it" "$email3"
keys Escape
expect "Esc leaves it unchanged" "edit cancelled: nothing changed"
api "$KEY_ana" GET "/privacy_requests/$fid"
is "the request is in progress, linked" "$(jqr .privacy_request.status) $(jqr .privacy_request.contact_id)" "in_progress $cid3"

# A new request from the form.
keys n
expect "the new request form" "New privacy request"
keys C-u
type_text "erasure"
keys Tab
type_text "new.subject@example.org"
keys Enter
expect_match "recorded" "Privacy request #[0-9]+"
api "$KEY_ana" GET "/privacy_requests?per_page=100"
is "the server has it" "$(jqr '[.privacy_requests[] | select(.subject_email == "new.subject@example.org")][0] | .type + " " + .status')" "erasure new"
keys Escape
tui_quit_clean "crmtui exits cleanly"

done_testing
