#!/bin/bash
# Erasure over HTTP: forget is permission-gated, answers 404 the second time,
# leaves an audit entry without personal data, takes a company's contacts
# with it, and leaves no byte of the contact's email, names or phone in the
# database, WAL or shm files (nor in the server's output).
. "$(dirname "$0")/../lib.sh"
server_start 200

FIRST="Xyzzyplover"
LAST="Quuxvictimsson"
EMAIL="zq.apivictim.5521@example.org"
PHONE="+351 919 004 417"

# hits VALUE: occurrences (lines, as grep counts them) in the three files.
hits() {
	local total=0 f n
	for f in "$DB" "$DB-wal" "$DB-shm"; do
		[ -f "$f" ] || continue
		n=$(grep -c -a -F -- "$1" "$f")
		total=$((total + n))
	done
	echo "$total"
}

# no_trace LABEL VALUES...: each value is in none of the files.
no_trace() {
	local label=$1 v n
	shift
	for v in "$@"; do
		n=$(hits "$v")
		is "$label: no byte of '$v' in crm.db, -wal, -shm" "$n" 0
	done
}

# make_contact KEY FIRST LAST EMAIL PHONE: creates it, sets CID.
make_contact() {
	api "$1" POST /contacts "{\"contact\":{\"first_name\":\"$2\",\"last_name\":\"$3\",\"email\":\"$4\",\"mobile_number\":\"$5\",\"job_title\":\"Buyer\"}}"
	CID=$(jqr '.contact.id')
}

# --- a contact with a note that names them ---------------------------------
make_contact "$KEY_ana" "$FIRST" "$LAST" "$EMAIL" "$PHONE"
is "create the contact" "$CODE" 200
check "the contact has an id" test -n "$CID" -a "$CID" != null
api "$KEY_ana" POST /notes "{\"note\":{\"description\":\"$FIRST $LAST asked to be called on $PHONE or written to at $EMAIL.\",\"targetable_type\":\"Contact\",\"targetable_id\":$CID}}"
is "add a note naming them" "$CODE" 200
api "$KEY_ana" PUT "/contacts/$CID" '{"contact":{"job_title":"Head of Purchasing"}}'
is "rectify the contact (an activity)" "$CODE" 200
check "the email is on disk before the forget" test "$(hits "$EMAIL")" -gt 0

# --- who may forget --------------------------------------------------------
api "$KEY_bruno" DELETE "/contacts/$CID/forget"
is "bruno (no forget permission) gets 403" "$CODE" 403
api "$KEY_ana" GET "/contacts/$CID"
is "the contact is intact after the refused forget" "$CODE" 200
is "its email is intact" "$(jqr '.contact.email')" "$EMAIL"
api "" DELETE "/contacts/$CID/forget"
is "no key gets 401" "$CODE" 401

api "$KEY_ana" DELETE "/contacts/$CID/forget"
is "ana forgets the contact: 200" "$CODE" 200
is "the body is true" "$BODY_OUT" "true"
api "$KEY_ana" GET "/contacts/$CID"
is "the contact is gone: 404" "$CODE" 404
api "$KEY_ana" DELETE "/contacts/$CID/forget"
is "a second forget: 404" "$CODE" 404
api "$KEY_ana" GET "/search?q=$FIRST"
is "search no longer finds it" "$(jqr 'length')" 0

# --- nothing on disk, the server still running ---------------------------
no_trace "while serving" "$EMAIL" "$FIRST" "$LAST" "$PHONE"

# --- the audit entry --------------------------------------------------------
api "$KEY_ana" GET /users/me
ANA_ID=$(jqr '.user.id')
api "$KEY_ana" GET /audit
is "GET /audit as ana" "$CODE" 200
entry=$(printf '%s' "$BODY_OUT" | jq -c '[.audit[] | select(.action == "contact.forget")] | .[0]')
check "the audit lists contact.forget" test "$entry" != null
is "by ana" "$(printf '%s' "$entry" | jq -r '.actor_user_id')" "$ANA_ID"
is "with a 64-hex subject reference" \
	"$(printf '%s' "$entry" | jq -r '.subject_ref | test("^[0-9a-f]{64}$")')" true
is "with counts: one note" "$(printf '%s' "$entry" | jq -r '.counts.notes')" 1
check "with counts: activities" test "$(printf '%s' "$entry" | jq -r '.counts.activities')" -ge 1
for v in "$EMAIL" "$FIRST" "$LAST" "$PHONE" "$CID"; do
	case "$BODY_OUT" in
	*"$v"*) not_ok "the audit holds no '$v'" ;;
	*) ok "the audit holds no '$v'" ;;
	esac
done
api "$KEY_bruno" GET /audit
is "bruno may not read the audit" "$CODE" 403

# --- carla may forget ------------------------------------------------------
make_contact "$KEY_ana" "Wvutsrqcarla" "Plughvictim" "zq.carlavictim.8830@example.net" "+48 512 904 118"
is "create a second contact" "$CODE" 200
api "$KEY_carla" DELETE "/contacts/$CID/forget"
is "carla (forget permission) forgets it: 200" "$CODE" 200
api "$KEY_carla" GET "/contacts/$CID"
is "it is gone for carla too" "$CODE" 404
no_trace "after carla's forget" "zq.carlavictim.8830@example.net" "Wvutsrqcarla" "Plughvictim" \
	"+48 512 904 118"

# --- a contact in the recycle bin can be forgotten ----------------------------
make_contact "$KEY_ana" "Binnedvictimo" "Trashcanova" "zq.binned.4410@example.com" "+34 611 440 410"
api "$KEY_ana" DELETE "/contacts/$CID"
is "soft-delete a contact" "$CODE" 200
api "$KEY_ana" DELETE "/contacts/$CID/forget"
is "forget it from the recycle bin: 200" "$CODE" 200
no_trace "after forgetting from the bin" "zq.binned.4410@example.com" "Binnedvictimo" \
	"Trashcanova" "+34 611 440 410"

# --- a company takes its contacts with it ------------------------------------
all=$TMPD/all.json
: >"$all"
# Live contacts (All Contacts) and those in the Recycle Bin: both belong to it.
for view in 70000000001 70000000004; do
	for page in 1 2 3; do
		api "$KEY_ana" GET "/contacts/view/$view?page=$page&per_page=100"
		printf '%s' "$BODY_OUT" | jq -c '.contacts[]' >>"$all"
	done
done
COMPANY=$(jq -s -r '[.[] | select(.sales_account_id != null)] | group_by(.sales_account_id)
	| map(select(length >= 2)) | .[0][0].sales_account_id' "$all")
check "a company with several contacts" test -n "$COMPANY" -a "$COMPANY" != null
mapfile -t C_IDS < <(jq -s -r --argjson c "$COMPANY" '.[] | select(.sales_account_id == $c) | .id' "$all")
mapfile -t C_EMAILS < <(jq -s -r --argjson c "$COMPANY" '.[] | select(.sales_account_id == $c) | .email' "$all")
check "its contacts' emails are on disk" test "$(hits "${C_EMAILS[0]}")" -gt 0

api "$KEY_bruno" DELETE "/sales_accounts/$COMPANY/forget"
is "bruno may not forget a company" "$CODE" 403
api "$KEY_ana" GET "/sales_accounts/$COMPANY"
is "the company is intact" "$CODE" 200
api "$KEY_ana" DELETE "/sales_accounts/$COMPANY/forget"
is "ana forgets the company: 200" "$CODE" 200
is "the body is true" "$BODY_OUT" "true"
api "$KEY_ana" GET "/sales_accounts/$COMPANY"
is "the company is gone" "$CODE" 404
for id in "${C_IDS[@]}"; do
	api "$KEY_ana" GET "/contacts/$id"
	is "its contact $id is gone" "$CODE" 404
done
api "$KEY_ana" DELETE "/sales_accounts/$COMPANY/forget"
is "a second company forget: 404" "$CODE" 404
no_trace "after the company forget" "${C_EMAILS[@]}"
api "$KEY_ana" GET /audit
is "the audit lists company.forget with its contacts counted" \
	"$(jqr '[.audit[] | select(.action == "company.forget")] | .[0].counts.contacts')" \
	"${#C_IDS[@]}"

# --- the server keeps its database locks after an erasure -------------------
# The unused-space check reads the database file; closing a descriptor of it
# would drop the process's locks, and another process opening the database
# would then take the WAL away from the running server.
sqlite3 "$DB" "SELECT count(*) FROM contacts" >/dev/null 2>&1
check "another process's open and close leaves the server's WAL in place" test -e "$DB-wal"
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Lockcheck","email":"lockcheck@example.org"}}'
is "the server still writes after that" "$CODE" 200
n=$(sqlite3 "$DB" "SELECT count(*) FROM contacts WHERE email = 'lockcheck@example.org'" 2>&1)
is "another process sees the server's write" "$n" 1

# --- the server's own output holds none of it either ------------------------
for v in "$EMAIL" "$FIRST" "$LAST" "$PHONE"; do
	n=$(cat "$TMPD/serve.out" "$TMPD/serve.err" | grep -c -a -F -- "$v")
	is "the server's output holds no '$v'" "$n" 0
done

# --- and after the server stops ---------------------------------------------
server_stop
no_trace "after stopping" "$EMAIL" "$FIRST" "$LAST" "$PHONE" "${C_EMAILS[@]}"

done_testing
