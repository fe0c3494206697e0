#!/bin/bash
# crm-server under concurrent clients: many parallel reads and writes, each
# answered correctly, the writes all applied, the database consistent.
. "$(dirname "$0")/../lib.sh"
server_start 200

api "$KEY_ana" GET /contacts/view/70000000001
LIVE=$(jqr .meta.total)
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=40&sort=created_at&sort_type=asc"
jqr '.contacts[].id' >"$TMPD/targets"
is "forty contacts to edit" "$(wc -l <"$TMPD/targets")" 40

mkdir -p "$TMPD/par"
pids=()
# 40 creates, 40 edits of distinct contacts, 80 list pages and 40 searches, all at once.
for i in $(seq 1 40); do
	curl -s -o "$TMPD/par/post$i" -w '%{http_code}' -X POST -H "Authorization: Token token=$KEY_bruno" \
		-H 'Content-Type: application/json' \
		--data-binary "{\"contact\":{\"first_name\":\"Parallel$i\",\"email\":\"parallel$i@example.com\"}}" \
		"$BASE/contacts" >"$TMPD/par/post$i.code" &
	pids+=($!)
done
i=0
while read -r id; do
	i=$((i + 1))
	curl -s -o "$TMPD/par/put$i" -w '%{http_code}' -X PUT -H "Authorization: Token token=$KEY_carla" \
		-H 'Content-Type: application/json' --data-binary "{\"contact\":{\"city\":\"City$i\"}}" \
		"$BASE/contacts/$id" >"$TMPD/par/put$i.code" &
	pids+=($!)
done <"$TMPD/targets"
for i in $(seq 1 80); do
	curl -s -o "$TMPD/par/get$i" -w '%{http_code}' -H "Authorization: Token token=$KEY_ana" \
		"$BASE/contacts/view/70000000001?page=$((i % 8 + 1))" >"$TMPD/par/get$i.code" &
	pids+=($!)
done
for i in $(seq 1 40); do
	curl -s -o "$TMPD/par/search$i" -w '%{http_code}' -H "Authorization: Token token=$KEY_ana" \
		"$BASE/search?q=parallel" >"$TMPD/par/search$i.code" &
	pids+=($!)
done
wait "${pids[@]}"

codes() { for f in "$TMPD"/par/$1*.code; do cat "$f"; echo; done | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' '; }
is "every create answered 200" "$(codes post)" "200x40 "
is "every edit answered 200" "$(codes put)" "200x40 "
is "every page answered 200" "$(codes get)" "200x80 "
is "every search answered 200" "$(codes search)" "200x40 "
check "every page is a full page of 25 with the meta" bash -c \
	"for f in '$TMPD'/par/get[0-9]*; do case \$f in *.code) continue;; esac; jq -e '(.contacts|length) == 25 and .meta.total > 0' \$f >/dev/null || exit 1; done"
check "every search answer is a JSON array" bash -c \
	"for f in '$TMPD'/par/search[0-9]*; do case \$f in *.code) continue;; esac; jq -e 'type == \"array\"' \$f >/dev/null || exit 1; done"
is "every create got its own id" "$(cat "$TMPD"/par/post[0-9] "$TMPD"/par/post[0-9][0-9] | jq -r .contact.id | sort -u | wc -l)" 40

api "$KEY_ana" GET /contacts/view/70000000001
is "All Contacts counts the 40 new contacts" "$(jqr .meta.total)" $((LIVE + 40))
api "$KEY_ana" GET "/search?q=parallel"
is "the search index holds them (25 at most per answer)" "$(jqr 'length')" 25
api "$KEY_ana" GET "/lookup?q=parallel17@example.com&f=email&entities=contact"
is "each is found by its address" "$(jqr '.contacts.contacts[0].first_name')" "Parallel17"
i=0
ok_all=1
while read -r id; do
	i=$((i + 1))
	api "$KEY_ana" GET "/contacts/$id"
	[ "$(jqr .contact.city)" = "City$i" ] || ok_all=0
done <"$TMPD/targets"
is "every edit landed on its own contact" "$ok_all" 1
api "$KEY_ana" GET "/contacts/$(head -1 "$TMPD/targets")/activities"
is "each edit recorded one rectified activity" "$(jqr '[.activities[]|select(.action_type=="rectified")]|length')" 1
check "no request failed with 5xx in the log" bash -c "! grep -qE ' 5[0-9][0-9] ' '$TMPD/serve.err'"

done_testing
