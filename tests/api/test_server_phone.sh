#!/bin/bash
# crm-server phone numbers: the list, the recording mode per number, who may
# change it, and that POST /calls obeys it when that route is served.
. "$(dirname "$0")/../lib.sh"
server_start 10

api "$KEY_carla" GET /phone_numbers
is "any user lists the numbers" "$CODE" 200
is "each number with its recording mode" "$(jqr '[.phone_numbers[]|"\(.id):\(.recording)"]|join(",")')" "1:automatic,2:manual"
check "each number has its number" test "$(jqr '[.phone_numbers[]|select(.number|length>0)]|length')" = 2

for mode in manual off automatic; do
	api "$KEY_ana" PUT /phone_numbers/1 "{\"phone_number\":{\"recording\":\"$mode\"}}"
	is "the admin sets number 1 to $mode" "$CODE $(jqr .phone_number.recording)" "200 $mode"
done
api "$KEY_ana" PUT /phone_numbers/1 '{"phone_number":{"recording":"automatic"}}'
is "setting the mode it has answers 200" "$CODE" 200
api "$KEY_ana" PUT /phone_numbers/1 '{"phone_number":{"recording":"sometimes"}}'
is "an unknown mode: 400" "$CODE" 400
api "$KEY_ana" PUT /phone_numbers/1 '{"phone_number":{}}'
is "no mode: 400" "$CODE" 400
api "$KEY_ana" PUT /phone_numbers/1 '{"recording":"off"}'
is "no phone_number object: 400" "$CODE" 400
api "$KEY_ana" PUT /phone_numbers/999 '{"phone_number":{"recording":"off"}}'
is "no such number: 404" "$CODE" 404
for who in bruno carla; do
	key=KEY_$who
	api "${!key}" PUT /phone_numbers/2 '{"phone_number":{"recording":"off"}}'
	is "agent $who may not change the mode: 403" "$CODE" 403
done
api "$KEY_bruno" GET /phone_numbers
is "a refused change changed nothing" "$(jqr '.phone_numbers[1].recording')" manual

api "$KEY_ana" GET "/audit?per_page=100"
is "each change of mode is audited (three changes)" \
	"$(jqr '[.audit[]|select(.action=="phone_number.update")|.subject_ref]|join(",")')" \
	"phone_number:1,phone_number:1,phone_number:1"

# Calls obey the mode (POST /calls, API.md 4.6).
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Caller"}}'
CID=$(jqr .contact.id)
api "$KEY_ana" PUT /phone_numbers/1 '{"phone_number":{"recording":"off"}}'
api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$CID,\"phone_number_id\":1,\"direction\":\"inbound\",\"duration_s\":30,\"record\":true}}"
if [ "$CODE" = 404 ]; then
	not_ok "POST /calls is served" "got 404: the calls route is missing"
else
	is "a call on a number set to off is logged" "$CODE" 200
	api "$KEY_ana" GET "/contacts/$CID/calls"
	is "... without a recording" "$(jqr '[.calls[].recording]|tostring')" "[null]"
	api "$KEY_ana" PUT /phone_numbers/1 '{"phone_number":{"recording":"manual"}}'
	api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$CID,\"phone_number_id\":1,\"direction\":\"inbound\",\"duration_s\":30,\"record\":true}}"
	is "manual without the caller's consent: 422" "$CODE" 422
fi

done_testing
