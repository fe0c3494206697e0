#!/bin/bash
# crm-server rate limit: a server started with --rate-limit 5 answers five
# requests a minute, then 429 with Retry-After; every API response carries
# X-RateLimit-Limit and X-RateLimit-Remaining.
. "$(dirname "$0")/../lib.sh"
server_start 5 --rate-limit 5

hget() { # KEY PATH: status into CODE, headers into $TMPD/h, body into BODY_OUT
	CODE=$(curl -s -D "$TMPD/h" -o "$TMPD/b" -w '%{http_code}' ${1:+-H "Authorization: Token token=$1"} "$BASE$2")
	BODY_OUT=$(cat "$TMPD/b")
}
header() { grep -i "^$1:" "$TMPD/h" | head -1 | cut -d: -f2- | tr -d ' \r'; }

for i in 1 2 3 4; do
	hget "$KEY_ana" /users/me
	is "request $i answers 200" "$CODE" 200
	is "request $i: X-RateLimit-Limit" "$(header X-RateLimit-Limit)" 5
	is "request $i: X-RateLimit-Remaining" "$(header X-RateLimit-Remaining)" $((5 - i))
done
hget "" /users/me
is "an unauthenticated request counts too (401)" "$CODE $(header X-RateLimit-Remaining)" "401 0"
hget "$KEY_ana" /users/me
is "the sixth request: 429" "$CODE" 429
is "429: the envelope" "$(jqr '[.errors.code,(.errors.message|length)]|tostring')" "[429,1]"
RA=$(header Retry-After)
check "429: Retry-After is whole seconds to the window's end (1..60)" test "${RA:-0}" -ge 1 -a "${RA:-0}" -le 60
is "429: X-RateLimit-Remaining is 0" "$(header X-RateLimit-Remaining)" 0
is "429: X-RateLimit-Limit" "$(header X-RateLimit-Limit)" 5
hget "$KEY_bruno" /contacts/filters
is "the limit is per account: another user is limited too" "$CODE" 429
CODE=$(curl -s -D "$TMPD/h" -o /dev/null -w '%{http_code}' "$ROOT_URL/elsewhere")
is "outside the API there is no rate-limit header" "$CODE $(header X-RateLimit-Limit)" "404 "
grep -c ' 429 ' "$TMPD/serve.err" >"$TMPD/n429"
is "the log records each 429" "$(cat "$TMPD/n429")" 2

# The default, on a second server.
server_stop
server_serve
hget "$KEY_ana" /users/me
is "the default limit is 6000 a minute" "$CODE $(header X-RateLimit-Limit) $(header X-RateLimit-Remaining)" "200 6000 5999"

done_testing
