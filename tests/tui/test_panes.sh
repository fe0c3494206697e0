#!/bin/bash
# Each pane's content for the seeded contact 1, which has consent events of
# every source: the list row, the detail with every group (enrichment fields
# marked), and the timeline newest first, each consent entry saying when, how
# (web form with its name, email link, quick action, API, import...) and who.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
api "$KEY_ana" GET "/contacts/1?include=owner,sales_accounts,notes"
name=$(jqr '.contact.display_name')
email=$(jqr '.contact.email')
company=$(jqr '.sales_accounts[0].name')
owner=$(jqr '.users[0].display_name')
note=$(jqr '.notes[0].description' | cut -c1-20)
api "$KEY_ana" GET "/contacts/1/activities?per_page=100"
n_acts=$(jqr '.activities | length')
form=$(jqr '[.activities[] | select(.action_type == "consent_granted" and .action_data.source == "web_form")][0].action_data.form_name')
form_id=$(jqr '[.activities[] | select(.action_type == "consent_granted" and .action_data.source == "web_form")][0].action_data.form_id')
newest=$(jqr '[.activities[].created_at] | sort | reverse | .[0]' | sed 's/T/ /; s/:[0-9]*Z$//')

# pane_text Y0 Y1: rows Y0..Y1 (1-based) of the right-hand panes: what
# follows the separator (columns would cut wide characters apart).
pane_text() {
	local l
	screen | sed -n "$1,$2p" | while IFS= read -r l; do printf '%s\n' "${l#*│}"; done
}
# collect Y0 Y1: the pane's whole content, paging with PgDn until the end.
collect() {
	local y0=$1 y1=$2 all prev now i k
	now=$(pane_text "$y0" "$y1")
	all=$now
	for ((k = 0; k < 40; k++)); do
		prev=$now
		keys NPage
		for ((i = 0; i < 20; i++)); do
			now=$(pane_text "$y0" "$y1")
			[ "$now" != "$prev" ] && break
			sleep 0.05
		done
		[ "$now" = "$prev" ] && break
		all+=$'\n'$now
	done
	printf '%s\n' "$all"
}
has() { # has NAME TEXT HAYSTACK
	if [[ "$3" == *"$2"* ]]; then ok "$1"; else not_ok "$1" "missing: $2"; fi
}

tui_start -x 120 -y 60
expect "list shown" "All Contacts  1-"
keys /
type_text "$email"
keys Enter
expect "the contact is found" "Search \"$email\"  1-1 of 1"
expect_match "its row" "^>$name "
keys Enter
expect "Enter opens it" "Detail - $name"
# at 120x60: the detail on rows 3..32, the timeline's title on row 33
wait_for "Timeline - $n_acts entries" >/dev/null
detail=$(collect 3 32)
has "identity group" "Identity" "$detail"
has "name" "$name" "$detail"
has "contact points group" "Contact points" "$detail"
has "email" "$email" "$detail"
has "ownership group with the owner's name" "Owner              $owner" "$detail"
has "company by name" "$company" "$detail"
has "subscription and consent group" "Subscription and consent" "$detail"
has "latest consent per purpose, with how" "events: granted" "$detail"
has "enrichment group" "Enrichment (filled by profile enrichment)" "$detail"
has "enriched fields marked as such" "[enriched]" "$detail"
has "chat group" "Last seen IP" "$detail"
has "custom fields" "cf_segment" "$detail"
has "tags" "Tags" "$detail"
has "notes" "$note" "$detail"

keys Tab
has "newest entry first" "$newest" "$(pane_text 34 34)"
timeline=$(collect 34 59)
has "consent granted shown" "consent granted" "$timeline"
has "consent withdrawn shown" "consent withdrawn" "$timeline"
has "web form with its name and id" "via web form \"$form\" (#$form_id)" "$timeline"
has "email link" "via email link" "$timeline"
has "quick action" "via quick action" "$timeline"
has "the API" "via the API" "$timeline"
has "import" "via import" "$timeline"
has "profile enrichment" "via profile enrichment" "$timeline"
has "who: the contact themself" "by the contact" "$timeline"
has "who: a user, by name" "by $owner" "$timeline"
has "opt-in request" "opt-in requested" "$timeline"
has "other activities readable" "note added" "$timeline"
has "rectification readable" "contact data rectified" "$timeline"
# newest first: the dates at the start of entries never increase (pages
# overlap: each date is taken where it first shows)
dates=$(printf '%s\n' "$timeline" | grep -oE '^ [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' | awk '!seen[$0]++')
is "timeline entries in newest-first order" "$(printf '%s\n' "$dates" | sort -r)" "$dates"
check "the whole timeline was read" test "$(printf '%s\n' "$timeline" | grep -cE '^ [0-9]{4}-')" -ge "$n_acts"
tui_quit_clean "exits clean"
done_testing
