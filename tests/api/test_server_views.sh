#!/bin/bash
# crm-server views: the filters, paging and its meta, every sort order in
# both directions, My Contacts / Do Not Disturb / Recycle Bin membership,
# side-loaded owners, and counts that follow writes.
. "$(dirname "$0")/../lib.sh"
N=120
server_start $N

ALL=70000000001 MINE=70000000002 DND=70000000003 BIN=70000000004

api "$KEY_ana" GET /contacts/filters
is "filters answer 200" "$CODE" 200
is "four contact views, ids beyond 32 bits" "$(jqr '[.filters[]|[.id,.name,.is_default]]|tostring')" \
	"[[$ALL,\"All Contacts\",true],[$MINE,\"My Contacts\",false],[$DND,\"Do Not Disturb\",false],[$BIN,\"Recycle Bin\",false]]"
is "each view names its model class" "$(jqr '[.filters[].model_class_name]|unique|tostring')" '["Contact"]'

api "$KEY_ana" GET /contacts/view/$BIN
BIN0=$(jqr .meta.total)
api "$KEY_ana" GET /contacts/view/$ALL
LIVE=$(jqr .meta.total)
is "All Contacts and the Recycle Bin hold the seeded contacts" "$((LIVE + BIN0))" "$N"
is "per_page defaults to 25" "$(jqr '.contacts|length')" 25
is "meta.total_pages" "$(jqr .meta.total_pages)" "$(((LIVE + 24) / 25))"
is "every contact of All Contacts is live" "$(jqr '[.contacts[].is_deleted]|unique|tostring')" '[false]'

# Every page in turn covers every live contact exactly once.
: >"$TMPD/ids"
for p in 1 2 3 4 5 6 7; do
	api "$KEY_ana" GET "/contacts/view/$ALL?page=$p&per_page=20"
	jqr '.contacts[].id' >>"$TMPD/ids"
done
is "pages cover all live contacts" "$(wc -l <"$TMPD/ids")" "$LIVE"
is "... each once" "$(sort -u "$TMPD/ids" | wc -l)" "$LIVE"
api "$KEY_ana" GET "/contacts/view/$ALL?page=1&per_page=$LIVE&sort=updated_at"
is "a page of 100 at most" "$(jqr '.contacts|length')" 100
api "$KEY_ana" GET "/contacts/view/$ALL?page=999&per_page=20"
is "a page past the end is empty, with the meta" "$(jqr '[(.contacts|length),.meta.total]|tostring')" "[0,$LIVE]"
LAST=$(((LIVE + 19) / 20))
api "$KEY_ana" GET "/contacts/view/$ALL?page=$LAST&per_page=20"
is "the last page holds the rest" "$(jqr '.contacts|length')" "$((LIVE - (LAST - 1) * 20))"

# Sorting: the server's order equals the order jq computes from the same data
# (deep pages read from the far end must agree).
sorted_ok() { # FIELD DIR
	local f=$1 dir=$2 p out=$TMPD/sorted
	: >"$out"
	for p in 1 2 3 4 5 6 7; do
		api "$KEY_ana" GET "/contacts/view/$ALL?page=$p&per_page=20&sort=$f&sort_type=$dir"
		printf '%s' "$BODY_OUT" | jq -c ".contacts[]|[(.$f // \"\"|ascii_downcase), .id]" >>"$out"
	done
	local want
	if [ "$dir" = asc ]; then
		want=$(jq -s -c 'sort|.[]' "$out")
	else
		want=$(jq -s -c 'sort|reverse|.[]' "$out")
	fi
	[ "$(cat "$out")" = "$want" ] && [ "$(wc -l <"$out")" -eq "$LIVE" ]
}
for f in updated_at created_at last_name first_name email; do
	for d in asc desc; do
		check "sort=$f sort_type=$d orders every page" sorted_ok "$f" "$d"
	done
done
api "$KEY_ana" GET "/contacts/view/$ALL?sort=phone"
is "an unknown sort: 400" "$CODE" 400
is "... naming the allowed ones" "$(jqr '.errors.message[0]')" \
	"sort must be one of updated_at, created_at, last_name, first_name, email."
api "$KEY_ana" GET "/contacts/view/$ALL?sort=email&sort_type=up"
is "an unknown sort_type: 400" "$CODE" 400
for bad in 0 -1 x 1.5 99999999999; do
	api "$KEY_ana" GET "/contacts/view/$ALL?page=$bad"
	is "page=$bad: 400" "$CODE" 400
done
api "$KEY_ana" GET "/contacts/view/$ALL?per_page=0"
is "per_page=0: 400" "$CODE" 400
api "$KEY_ana" GET "/contacts/view/$ALL?per_page=1000"
is "per_page over 100 is capped at 100" "$(jqr '.contacts|length')" 100
api "$KEY_ana" GET /contacts/view/12345
is "an unknown view: 404" "$CODE" 404

# My Contacts: the caller's own; Do Not Disturb: DND only; Recycle Bin: deleted only.
for who in ana bruno carla; do
	key_var="KEY_$who"
	api "${!key_var}" GET /users/me
	uid=$(jqr .user.id)
	api "${!key_var}" GET "/contacts/view/$MINE?per_page=100"
	is "My Contacts of $who holds only $who's contacts" "$(jqr "[.contacts[].owner_id]|map(. == $uid)|all")" true
	mine=$(jqr .meta.total)
	api "$KEY_ana" GET "/contacts/view/$ALL?per_page=100"
	p1=$(jqr "[.contacts[]|select(.owner_id == $uid)]|length")
	api "$KEY_ana" GET "/contacts/view/$ALL?per_page=100&page=2"
	p2=$(jqr "[.contacts[]|select(.owner_id == $uid)]|length")
	is "My Contacts of $who counts all of them" "$mine" "$((p1 + p2))"
done
api "$KEY_ana" GET "/contacts/view/$DND?per_page=100"
is "Do Not Disturb holds DND contacts only" "$(jqr '[.contacts[]|.do_not_disturb and (.is_deleted|not)]|all')" true
DNDN=$(jqr .meta.total)

# include=owner side-loads each owner once.
api "$KEY_ana" GET "/contacts/view/$ALL?per_page=100&include=owner"
is "include=owner side-loads users" "$(jqr '(.users|map(.id)|sort) == ([.contacts[].owner_id|select(. != null)]|unique)')" true
is "side-loaded users have the short shape" "$(jqr '.users[0]|keys|join(",")')" "display_name,email,id,is_active"
api "$KEY_ana" GET "/contacts/view/$ALL?per_page=100&include=owner,sales_accounts"
is "include=owner,sales_accounts side-loads both" \
	"$(jqr '[(.users|length) > 0, (.sales_accounts|map(.id)|sort) == ([.contacts[].sales_account_id|select(. != null)]|unique)]|tostring')" \
	'[true,true]'
is "side-loaded companies carry their names" "$(jqr '[.sales_accounts[].name|type]|unique|tostring')" '["string"]'
api "$KEY_ana" GET "/contacts/view/$ALL"
is "no include, no side-loads" "$(jqr 'has("users") or has("sales_accounts")')" false

# Counts follow writes, whichever thread served the previous count.
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Newest","do_not_disturb":true}}'
NEW=$(jqr .contact.id)
for i in 1 2 3 4 5 6; do
	api "$KEY_ana" GET "/contacts/view/$ALL"
	got_all=$(jqr .meta.total)
	[ "$got_all" = "$((LIVE + 1))" ] || break
done
is "All Contacts counts a new contact on every thread" "$got_all" "$((LIVE + 1))"
api "$KEY_ana" GET "/contacts/view/$ALL?sort=created_at&sort_type=desc&per_page=1"
is "newest created first" "$(jqr '.contacts[0].id')" "$NEW"
api "$KEY_ana" GET "/contacts/view/$DND"
is "Do Not Disturb counts it" "$(jqr .meta.total)" "$((DNDN + 1))"
api "$KEY_ana" DELETE "/contacts/$NEW"
for i in 1 2 3 4 5 6; do
	api "$KEY_ana" GET "/contacts/view/$BIN"
	got_bin=$(jqr .meta.total)
	[ "$got_bin" = "$((BIN0 + 1))" ] || break
done
is "the Recycle Bin counts the deleted contact on every thread" "$got_bin" "$((BIN0 + 1))"
api "$KEY_ana" GET "/contacts/view/$BIN?per_page=100"
is "the Recycle Bin holds deleted contacts only" "$(jqr '[.contacts[].is_deleted]|all')" true

done_testing
