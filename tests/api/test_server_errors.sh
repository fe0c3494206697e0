#!/bin/bash
# crm-server errors: strict JSON (malformed, trailing text, wrong types, deep
# nesting, bad bytes), the 1 MiB body cap, unknown routes and methods, and
# SQL metacharacters that must reach the database as plain data.
. "$(dirname "$0")/../lib.sh"
server_start 20

post_file() { # FILE [EXTRA CURL ARGS]: POST /contacts with the file as body; sets CODE, BODY_OUT
	local f=$1
	shift
	CODE=$(curl -s -o "$TMPD/resp" -w '%{http_code}' -X POST -H "Authorization: Token token=$KEY_ana" \
		-H 'Content-Type: application/json' "$@" --data-binary "@$f" "$BASE/contacts")
	BODY_OUT=$(cat "$TMPD/resp")
}
envelope_ok() { # the body is exactly the error envelope with code $1 and one message
	printf '%s' "$BODY_OUT" | jq -e --argjson c "$1" \
		'(keys == ["errors"]) and (.errors|keys == ["code","message"]) and .errors.code == $c
		 and (.errors.message|type == "array" and length == 1 and (.[0]|type == "string"))' >/dev/null
}

bad_json() { # NAME BODY WANT_MESSAGE_PREFIX
	printf '%s' "$2" >"$TMPD/body.json"
	post_file "$TMPD/body.json"
	is "$1: 400" "$CODE" 400
	check "$1: the envelope" envelope_ok 400
	is "$1: the message" "$(jqr '.errors.message[0]' | cut -c1-${#3})" "$3"
}
bad_json "malformed JSON" '{"contact":{"first_name":"A",}}' "The body is not valid JSON"
bad_json "trailing garbage" '{"contact":{"first_name":"A"}} x' "The body has text after the JSON value"
bad_json "two JSON values" '{"contact":{"first_name":"A"}}{}' "The body has text after the JSON value"
bad_json "an empty body" '' "A JSON body is required."
bad_json "an array body" '[{"contact":{}}]' "The body must be a JSON object."
bad_json "a string body" '"contact"' "The body must be a JSON object."
bad_json "contact as an array" '{"contact":[]}' 'The body must hold a "contact" object.'
bad_json "a number for a string field" '{"contact":{"first_name":42}}' "first_name must be a string."
bad_json "a string for a boolean" '{"contact":{"first_name":"A","do_not_disturb":"yes"}}' "do_not_disturb must be true or false."
bad_json "a fraction for an integer" '{"contact":{"first_name":"A","lead_score":1.5}}' "lead_score must be an integer."
bad_json "an object for tags" '{"contact":{"first_name":"A","tags":{"a":1}}}' "tags must be an array of strings."
bad_json "a raw control character in a string" "$(printf '{"contact":{"first_name":"A\001"}}')" "Strings must not contain raw control characters."
bad_json "an escaped NUL" '{"contact":{"first_name":"A\u0000B"}}' 'Strings must not contain \u0000.'
bad_json "a lone surrogate" '{"contact":{"first_name":"\ud800"}}' "The body is not valid JSON"
bad_json "a huge exponent" '{"contact":{"first_name":"A","lead_score":1e999}}' "lead_score must be an integer."

printf '{"contact":{"first_name":"A"}}\0{}' >"$TMPD/nul.json"
post_file "$TMPD/nul.json"
is "a NUL byte in the body: 400" "$CODE $(jqr '.errors.message[0]')" "400 The body contains a NUL byte."
printf '{"contact":{"first_name":"\xc3\x28"}}' >"$TMPD/utf8.json"
post_file "$TMPD/utf8.json"
is "invalid UTF-8: 400" "$CODE $(jqr '.errors.message[0]')" "400 The body is not valid UTF-8."
printf '{"contact":{"first_name":"\xc0\xaf"}}' >"$TMPD/overlong.json"
post_file "$TMPD/overlong.json"
is "an overlong UTF-8 sequence: 400" "$CODE" 400

nest() { # DEPTH: {"contact":{...},"x":[[...]]} whose deepest array is at DEPTH
	local d=$1 open close
	open=$(printf '[%.0s' $(seq 1 $((d - 1))))
	close=$(printf ']%.0s' $(seq 1 $((d - 1))))
	printf '{"contact":{"first_name":"Deep"},"x":%s%s}' "$open" "$close"
}
nest 32 >"$TMPD/d32.json"
post_file "$TMPD/d32.json"
is "nesting of 32 levels is accepted" "$CODE" 200
nest 33 >"$TMPD/d33.json"
post_file "$TMPD/d33.json"
is "nesting of 33 levels: 400" "$CODE $(jqr '.errors.message[0]')" "400 The body is nested deeper than 32 levels."
nest 100000 >"$TMPD/deep.json"
post_file "$TMPD/deep.json"
is "nesting of 100000 levels: 400, and the server lives" "$CODE" 400

# The body cap: 1 MiB exactly passes, one byte more is 413, declared or chunked.
pad_body() { # TOTAL_BYTES
	local total=$1 head='{"contact":{"first_name":"Pad"},"pad":"' tail='"}'
	{
		printf '%s' "$head"
		head -c $((total - ${#head} - ${#tail})) /dev/zero | tr '\0' 'p'
		printf '%s' "$tail"
	} >"$TMPD/pad.json"
}
pad_body 1048576
post_file "$TMPD/pad.json"
is "a body of exactly 1 MiB is accepted" "$CODE" 200
pad_body 1048577
post_file "$TMPD/pad.json"
is "1 MiB + 1 byte: 413" "$CODE" 413
check "413: the envelope" envelope_ok 413
post_file "$TMPD/pad.json" -H 'Transfer-Encoding: chunked'
is "1 MiB + 1 byte, chunked: 413" "$CODE" 413
head -c 5000000 /dev/zero | tr '\0' 'x' >"$TMPD/big.bin"
post_file "$TMPD/big.bin"
is "5 MB: 413" "$CODE" 413
api "$KEY_ana" GET /users/me
is "the server still answers after the big bodies" "$CODE" 200

# Routes and methods.
api "$KEY_ana" GET /no/such/route
is "an unknown route: 404" "$CODE" 404
check "404: the envelope" envelope_ok 404
for p in /contacts/abc /contacts/0 /contacts/-1 /contacts/1.5 /contacts/99999999999999999999 /contacts/ /contacts/1/ /contacts//1; do
	api "$KEY_ana" GET "$p"
	is "GET $p: 404" "$CODE" 404
done
curl -s -D "$TMPD/h" -o "$TMPD/resp" -X DELETE -H "Authorization: Token token=$KEY_ana" "$BASE/contacts/filters"
BODY_OUT=$(cat "$TMPD/resp")
is "a known route with a wrong method: 405" "$(head -1 "$TMPD/h" | cut -d' ' -f2)" 405
check "405: the envelope" envelope_ok 405
check "405 names the allowed methods" grep -qi '^Allow: GET' "$TMPD/h"
curl -s -D "$TMPD/h" -o /dev/null -X POST -H "Authorization: Token token=$KEY_ana" "$BASE/contacts/1"
is "POST /contacts/{id}: Allow lists GET, PUT, DELETE" "$(grep -i '^Allow:' "$TMPD/h" | tr -d '\r')" "Allow: GET, PUT, DELETE"
CODE=$(curl -s -o "$TMPD/resp" -w '%{http_code}' "$ROOT_URL/somewhere/else")
BODY_OUT=$(cat "$TMPD/resp")
is "outside the API prefix: 404" "$CODE" 404
check "... with the envelope" envelope_ok 404
api "$KEY_ana" GET /contacts/filters
check "every error is JSON" bash -c "curl -s -H 'Authorization: Token token=x' '$BASE/contacts' | jq -e .errors >/dev/null"

# SQL metacharacters are data.
api "$KEY_ana" GET /contacts/view/70000000001
LIVE=$(jqr .meta.total)
EVIL="Robert'); DROP TABLE contacts;-- \" % _ \\ *"
api "$KEY_ana" POST /contacts "$(jq -nc --arg f "$EVIL" \
	'{contact:{first_name:$f,last_name:"O'"'"'Brien",email:"o'"'"'brien%_@example.com"}}')"
is "a name full of SQL is stored" "$CODE" 200
EID=$(jqr .contact.id)
api "$KEY_ana" GET "/contacts/$EID"
is "... and read back verbatim" "$(jqr .contact.first_name)" "$EVIL"
is "an address with ' % _ is stored verbatim" "$(jqr .contact.email)" "o'brien%_@example.com"
api "$KEY_ana" GET "/search?q=$(jq -rn --arg q "x' OR '1'='1" '$q|@uri')"
is "a search with SQL in q finds nothing" "$CODE $BODY_OUT" "200 []"
api "$KEY_ana" GET "/search?q=%25"
is "a search for % alone finds nothing" "$BODY_OUT" "[]"
api "$KEY_ana" GET "/search?q=o%27brien"
is "a search for o'brien finds exactly that contact" "$(jqr '[.[].id]|tostring')" "[\"$EID\"]"
api "$KEY_ana" GET "/lookup?f=email&entities=contact&q=$(jq -rn --arg q "' OR 1=1 --" '$q|@uri')"
is "a lookup with SQL in q finds nothing" "$(jqr '.contacts.contacts|length')" 0
api "$KEY_ana" GET "/lookup?f=email&entities=contact&q=%25"
is "a lookup for % finds nothing (no LIKE)" "$(jqr '.contacts.contacts|length')" 0
api "$KEY_ana" GET "/contacts/view/70000000001?sort=$(jq -rn --arg q 'updated_at; DROP TABLE contacts' '$q|@uri')"
is "SQL in sort: 400" "$CODE" 400
api "$KEY_ana" GET "/contacts/view/70000000001?page=1%3BDROP"
is "SQL in page: 400" "$CODE" 400
api "$KEY_ana" GET /contacts/view/70000000001
is "every contact is still there" "$(jqr .meta.total)" "$((LIVE + 1))"

done_testing
