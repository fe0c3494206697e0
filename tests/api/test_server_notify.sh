#!/bin/bash
# Erasure notices to processors: an endpoint set by an admin, a receiver on
# loopback that sees each notice arrive (subject reference, no personal data),
# bounded attempts ending in "failed" when the receiver refuses, retry, and a
# processor without endpoint left pending.
. "$(dirname "$0")/../lib.sh"
server_start 30

# A receiver: appends each POST body as a line to $TMPD/received; answers 500
# when the path holds "fail", else 200. Prints its port to $TMPD/recv.port.
cat >"$TMPD/recv.py" <<'PY'
import http.server, sys
out, portfile = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = min(int(self.headers.get("Content-Length", "0")), 65536)
        body = self.rfile.read(n).decode("utf-8", "replace")
        with open(out, "a") as f:
            f.write(self.path + " " + body + "\n")
        code = 500 if "fail" in self.path else 200
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
PY
: >"$TMPD/received"
python3 "$TMPD/recv.py" "$TMPD/received" "$TMPD/recv.port" &
RECV_PID=$!
trap 'kill $RECV_PID 2>/dev/null; wait $RECV_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 200); do
	[ -s "$TMPD/recv.port" ] && break
	sleep 0.05
done
RPORT=$(cat "$TMPD/recv.port")
check "the receiver listens" test -n "$RPORT"
GOOD="http://127.0.0.1:$RPORT/notices"
BAD="http://127.0.0.1:$RPORT/fail"
received() { wc -l <"$TMPD/received" | tr -d ' '; }

api "$KEY_ana" GET /processors
is "three processors" "$(jqr '.processors|length')" 3
is "their fields" "$(jqr '.processors[0]|keys|join(",")')" "endpoint,id,kind,name,notices,status"
is "no endpoint, no notice yet" "$(jqr '[.processors[]|[.endpoint,.status]]|unique|tostring')" '[[null,null]]'
P1=$(jqr '.processors[0].id') P2=$(jqr '.processors[1].id') P3=$(jqr '.processors[2].id')

# --- setting an endpoint ------------------------------------------------------------
api "$KEY_bruno" PUT "/processors/$P1" "{\"processor\":{\"endpoint\":\"$GOOD\"}}"
is "an agent may not set an endpoint: 403" "$CODE" 403
api "" PUT "/processors/$P1" "{\"processor\":{\"endpoint\":\"$GOOD\"}}"
is "no key: 401" "$CODE" 401
for ep in '"ftp://127.0.0.1/x"' '"http://"' '"http://a b"' '"127.0.0.1:80"' '5' '"http://\u00e9.example"'; do
	api "$KEY_ana" PUT "/processors/$P1" "{\"processor\":{\"endpoint\":$ep}}"
	is "endpoint $ep: 400" "$CODE" 400
done
api "$KEY_ana" PUT "/processors/$P1" '{"processor":{}}'
is "no endpoint member: 400" "$CODE" 400
api "$KEY_ana" PUT "/processors/$P1" '{"processor":{"name":"x","endpoint":null}}'
is "another member: 400" "$CODE" 400
api "$KEY_ana" PUT "/processors/999" "{\"processor\":{\"endpoint\":\"$GOOD\"}}"
is "an absent processor: 404" "$CODE" 404
api "$KEY_ana" PUT "/processors/$P1" "{\"processor\":{\"endpoint\":\"$GOOD\"}}"
is "ana sets processor 1's endpoint" "$CODE $(jqr .processor.endpoint)" "200 $GOOD"
api "$KEY_ana" PUT "/processors/$P2" "{\"processor\":{\"endpoint\":\"$BAD\"}}"
is "processor 2 points at a refusing path" "$CODE" 200
is "nothing sent yet" "$(received)" 0

# --- a forget sends the notices -------------------------------------------------------
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Noticed","last_name":"Subjectovna","email":"noticed.subject@example.org"}}'
CID=$(jqr .contact.id)
api "$KEY_ana" DELETE "/contacts/$CID/forget"
is "forget a contact" "$CODE" 200
api "$KEY_ana" GET /audit
REF=$(jqr '[.audit[]|select(.action=="contact.forget")][0].subject_ref')
api "$KEY_ana" GET /processors
is "processor 1: done" "$(jqr ".processors[]|select(.id==$P1)|[.status,.notices.done]|tostring")" '["done",1]'
is "processor 2: pending after one refused attempt" "$(jqr ".processors[]|select(.id==$P2)|.status")" pending
is "processor 3 (no endpoint): pending" "$(jqr ".processors[]|select(.id==$P3)|.status")" pending
is "the receiver got two posts (one accepted, one refused)" "$(received)" 2
NOTICE=$(grep '^/notices ' "$TMPD/received" | head -1 | cut -d' ' -f2-)
is "the notice names the action" "$(printf '%s' "$NOTICE" | jq -r '[.type,.action]|tostring')" \
	'["erasure_notice","contact.forget"]'
is "and the audit entry's subject reference" "$(printf '%s' "$NOTICE" | jq -r .subject_ref)" "$REF"
check "no personal data in what was sent" \
	bash -c "! grep -qiE 'noticed|subjectovna|example\.org|$CID' '$TMPD/received'"

# --- bounded attempts ---------------------------------------------------------------------
api "$KEY_ana" GET /processors
is "second attempt: still pending" "$(jqr ".processors[]|select(.id==$P2)|.status")" pending
api "$KEY_ana" GET /processors
is "third refused attempt: failed" "$(jqr ".processors[]|select(.id==$P2)|[.status,.notices.failed]|tostring")" '["failed",1]'
N=$(received)
api "$KEY_ana" GET /processors
is "a failed notice is not attempted again by itself" "$(received)" "$N"
is "processor 1 was not sent its notice twice" "$(grep -c '^/notices ' "$TMPD/received")" 1

# --- retry --------------------------------------------------------------------------------
api "$KEY_ana" PUT "/processors/$P2" "{\"processor\":{\"endpoint\":\"$GOOD\"}}"
api "$KEY_bruno" POST "/processors/$P2/retry"
is "an agent may not retry: 403" "$CODE" 403
api "$KEY_ana" POST "/processors/999/retry"
is "retry an absent processor: 404" "$CODE" 404
api "$KEY_ana" POST "/processors/$P2/retry"
is "retry: the notice is delivered" "$CODE $(jqr '.processor|[.status,.notices.done,.notices.failed]|tostring')" \
	'200 ["done",1,0]'
is "the receiver got it" "$(grep -c '^/notices ' "$TMPD/received")" 2
api "$KEY_ana" GET /audit
is "the retry is audited with the number of notices, by ana" \
	"$(jqr '[.audit[]|select(.action=="processor.retry")]|map([.actor_user_id,.counts.notices])|tostring')" '[[1,1]]'

# --- a user deletion reports each processor's notice -----------------------------------------
api "$KEY_ana" PUT /users/3 '{"user":{"is_active":false}}'
api "$KEY_ana" DELETE "/users/3?transfer_to=2"
is "delete carla" "$CODE" 200
is "notices: done, done, pending (no endpoint)" "$(jqr '[.deletion.processors[].status]|tostring')" \
	'["done","done","pending"]'
LAST=$(grep '^/notices ' "$TMPD/received" | tail -1 | cut -d' ' -f2-)
is "the notice is a user.delete" "$(printf '%s' "$LAST" | jq -r .action)" user.delete
check "without the user's email" bash -c "! grep -q 'carla' '$TMPD/received'"

# --- an endpoint nobody listens on --------------------------------------------------------------
api "$KEY_ana" PUT "/processors/$P3" '{"processor":{"endpoint":"http://127.0.0.1:1/closed"}}'
api "$KEY_ana" GET /processors
is "a closed port: one attempt a run, the endpoint's other notice waits" \
	"$(jqr ".processors[]|select(.id==$P3)|[.status,.notices.failed,.notices.pending]|tostring")" '["pending",0,2]'
for i in 2 3; do api "$KEY_ana" GET /processors; done
is "the first notice failed after three attempts" \
	"$(jqr ".processors[]|select(.id==$P3)|[.notices.failed,.notices.pending]|tostring")" '[1,1]'
for i in 1 2 3; do api "$KEY_ana" GET /processors; done
is "then the second" "$(jqr ".processors[]|select(.id==$P3)|[.status,.notices.failed,.notices.pending]|tostring")" '["failed",2,0]'
api "$KEY_ana" GET /processors
is "failed notices are left alone" "$(jqr ".processors[]|select(.id==$P3)|.notices.failed")" 2

api "$KEY_ana" PUT "/processors/$P1" '{"processor":{"endpoint":null}}'
is "clear an endpoint" "$CODE $(jqr .processor.endpoint)" "200 null"
api "$KEY_ana" GET /audit
is "each endpoint change audited, without the URL" \
	"$(jqr '[.audit[]|select(.action=="processor.update")]|length') $(printf '%s' "$BODY_OUT" | grep -c 127.0.0.1)" "5 0"

# --- the server delivers on its own ---------------------------------------------------------------
# The periodic task sends pending notices without anyone asking; the test clock
# runs that task every 200 ms instead of every minute.
server_stop
echo 0 >"$TMPD/clock"
server_serve --unsafe-test-clock "$TMPD/clock"
api "$KEY_ana" PUT "/processors/$P1" "{\"processor\":{\"endpoint\":\"$GOOD\"}}"
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Unprompted","email":"unprompted@example.org"}}'
api "$KEY_ana" DELETE "/contacts/$(jqr .contact.id)/forget"
is "forget another contact" "$CODE" 200
api "$KEY_ana" GET /audit
REF2=$(jqr '[.audit[]|select(.action=="contact.forget")]|max_by(.id)|.subject_ref')
for _ in $(seq 1 100); do
	grep -q "$REF2" "$TMPD/received" && break
	sleep 0.1
done
check "its notice arrives with no request to /processors" grep -q "$REF2" "$TMPD/received"

done_testing
