#!/bin/bash
# crm-server search and lookup: prefix matches on name words, emails (whole,
# local part, domain) and phone digits, case-folded beyond ASCII; several
# words narrow; at most 25 hits; deleted and forgotten contacts drop out.
. "$(dirname "$0")/../lib.sh"
server_start 40

mk() { # JSON-CONTACT: prints the new id
	api "$KEY_ana" POST /contacts "{\"contact\":$1}"
	jqr .contact.id
}
A=$(mk '{"first_name":"Ørjan","last_name":"Ødegård-Lie","email":"orjan.odegard@fjord.example","mobile_number":"+47 912 34 567"}')
B=$(mk '{"first_name":"Ольга","last_name":"Смирнова","email":"olga.s@example.ru","work_number":"0700 111 222"}')
C=$(mk '{"first_name":"Zoltán","last_name":"Kovács","emails":[{"value":"zk@corp.example","is_primary":true},{"value":"zoltan.private@mail.example"}]}')
q() { api "$KEY_bruno" GET "/search?q=$(jq -rn --arg q "$1" '$q|@uri')"; jqr '[.[].id|tonumber]|sort|map(tostring)|join(",")'; }

is "a hit has id (string), type, name, email" "$(api "$KEY_bruno" GET "/search?q=orjan" >/dev/null; jqr '.[0]|[.id,.type,.name,.email]|tostring')" \
	"[\"$A\",\"contact\",\"Ørjan Ødegård-Lie\",\"orjan.odegard@fjord.example\"]"
is "first-name prefix, case-folded (ø/Ø)" "$(q 'ØRJ')" "$A"
is "last-name word of a hyphenated name" "$(q 'lie')" "$A"
is "the whole hyphenated name" "$(q 'ødegård-l')" "$A"
is "Cyrillic, folded" "$(q 'СМИР')" "$B"
is "Latin accents folded" "$(q 'KOVÁCS')" "$C"
is "two words narrow to one contact" "$(q 'zoltán kov')" "$C"
is "two words that do not meet find nothing" "$(q 'zoltán smir')" ""
is "an email, whole" "$(q 'olga.s@example.ru')" "$B"
is "an email's domain" "$(q 'fjord.example')" "$A"
is "a secondary email's local part" "$(q 'zoltan.priv')" "$C"
is "phone digits with punctuation" "$(q '+47 912 3')" "$A"
is "phone without the country code" "$(q '912 34')" "$A"
is "a national number with its trunk zero" "$(q '0700 111')" "$B"
is "... and without it" "$(q '700111')" "$B"
is "a one-character query finds nothing" "$(api "$KEY_bruno" GET "/search?q=z" >/dev/null; echo "$BODY_OUT")" "[]"
is "an empty query finds nothing" "$(api "$KEY_bruno" GET "/search?q=" >/dev/null; echo "$BODY_OUT")" "[]"
is "no query finds nothing" "$(api "$KEY_bruno" GET "/search" >/dev/null; echo "$CODE $BODY_OUT")" "200 []"
is "a middle-of-word fragment is not a prefix" "$(q 'rjan')" ""
api "$KEY_bruno" GET "/search?q=orjan&include=sales_account"
is "include without contact searches no contacts" "$BODY_OUT" "[]"
api "$KEY_bruno" GET "/search?q=orjan&include=contact,sales_account"
is "include with contact searches contacts" "$(jqr 'length')" 1
api "$KEY_bruno" GET "/search?q=$(printf 'a%.0s' {1..201})"
is "q over 200 characters: 400" "$CODE" 400

for i in $(seq 1 30); do mk "{\"first_name\":\"Manyname$i\"}" >/dev/null; done
api "$KEY_bruno" GET "/search?q=manyname"
is "at most 25 hits" "$(jqr 'length')" 25

# Writes keep the index current.
api "$KEY_ana" PUT "/contacts/$C" '{"contact":{"last_name":"Nagy","email":"zoltan.nagy@corp.example"}}'
is "a renamed contact is found by the new name" "$(q 'nagy')" "$C"
is "... and not by the old one" "$(q 'kovács')" ""
is "a changed address is found" "$(q 'zoltan.nagy@')" "$C"
api "$KEY_ana" DELETE "/contacts/$A"
is "a Recycle Bin contact is not found" "$(q 'orjan')" ""
api "$KEY_ana" POST "/contacts/$A/restore"
is "a restored contact is found again" "$(q 'orjan')" "$A"
api "$KEY_carla" DELETE "/contacts/$A/forget"
is "a forgotten contact is not found" "$(q 'orjan')" ""

# Lookup: exact email, case-insensitive, nested shape.
api "$KEY_bruno" GET "/lookup?q=OLGA.S@EXAMPLE.RU&f=email&entities=contact"
is "lookup matches the whole address, any case" "$(jqr '.contacts.contacts|map(.id)|tostring')" "[$B]"
is "lookup answers full contacts" "$(jqr '.contacts.contacts[0].first_name')" "Ольга"
api "$KEY_bruno" GET "/lookup?q=olga.s@example&f=email&entities=contact"
is "lookup does not match a prefix" "$(jqr '.contacts.contacts|length')" 0
api "$KEY_bruno" GET "/lookup?q=zoltan.private@mail.example&f=email"
is "lookup matches a secondary address" "$(jqr '.contacts.contacts|map(.id)|tostring')" "[$C]"
api "$KEY_bruno" GET "/lookup?q=orjan.odegard@fjord.example&f=email&entities=contact"
is "lookup does not find a forgotten contact" "$(jqr '.contacts.contacts|length')" 0
api "$KEY_bruno" GET "/lookup?q=Olga&f=name&entities=contact"
is "lookup by another field: 400" "$CODE" 400
api "$KEY_bruno" GET "/lookup?f=email"
is "lookup without q: 400" "$CODE" 400
api "$KEY_bruno" GET "/lookup?q=x@y.z&f=email&entities=deal"
is "lookup of other entities: 400" "$CODE" 400

check "the log holds no search query" bash -c "! grep -qiE 'orjan|olga|manyname|zoltan|q=' '$TMPD/serve.err'"
check "the log names the route" grep -q 'GET /search 200' "$TMPD/serve.err"

done_testing
