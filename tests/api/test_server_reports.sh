#!/bin/bash
# crm-server reports: the list, each report as a table, its CSV export
# (RFC 4180, formula cells disarmed) and who may export it.
. "$(dirname "$0")/../lib.sh"
server_start 80
q() { sqlite3 "$DB" "$1"; }
csv() { # csv KEY PATH: sets CODE, CTYPE and the body in $TMPD/csv
	CODE=$(curl -s -o "$TMPD/csv" -D "$TMPD/hdr" -w '%{http_code}' -H "Authorization: Token token=$1" "$BASE$2")
	CTYPE=$(sed -n 's/^Content-Type: \([^;[:space:]]*\).*/\1/Ip' "$TMPD/hdr")
}

api "$KEY_carla" GET /reports
is "any user lists the reports" "$CODE $(jqr '.reports|join(",")')" \
	"200 contacts_by_owner,consent_by_purpose,erasures_by_month"

api "$KEY_carla" GET /reports/contacts_by_owner
is "contacts_by_owner: columns" "$CODE $(jqr '.report.columns|join(",")')" "200 owner_id,owner,contacts"
is "contacts_by_owner: the rows add up to the live contacts" "$(jqr '[.report.rows[][2]]|add')" \
	"$(q 'SELECT count(*) FROM contacts WHERE is_deleted = 0')"
is "contacts_by_owner: ana's count" "$(jqr '[.report.rows[]|select(.[1]=="Ana Souza")|.[2]][0]')" \
	"$(q "SELECT count(*) FROM contacts c JOIN users u ON u.id = c.owner_id WHERE u.display_name = 'Ana Souza' AND c.is_deleted = 0")"

api "$KEY_bruno" GET /reports/consent_by_purpose
is "consent_by_purpose: columns" "$CODE $(jqr '.report.columns|join(",")')" "200 purpose,subscribed,granted,withdrawn"
is "consent_by_purpose: newsletter subscribers" "$(jqr '[.report.rows[]|select(.[0]=="newsletter")|.[1]][0]')" \
	"$(q "SELECT count(*) FROM subscriptions s JOIN contacts c ON c.id = s.contact_id WHERE s.purpose = 'newsletter' AND c.is_deleted = 0")"

api "$KEY_ana" GET /reports/no_such_report
is "an unknown report: 404" "$CODE" 404

# Export permissions: ana (admin) and bruno (export_reports) may; carla may not.
csv "$KEY_ana" /reports/contacts_by_owner/export
is "the admin exports: 200 text/csv" "$CODE $CTYPE" "200 text/csv"
csv "$KEY_bruno" /reports/consent_by_purpose/export
is "an agent with export_reports exports" "$CODE $CTYPE" "200 text/csv"
is "the CSV header row, CRLF-terminated" "$(head -1 "$TMPD/csv" | tail -c 2 | od -An -tx1 | tr -d ' ')" 0d0a
is "one CSV line per report row plus the header" "$(wc -l <"$TMPD/csv")" \
	"$(($(api "$KEY_bruno" GET /reports/consent_by_purpose >/dev/null; jqr '.report.rows|length') + 1))"
for r in contacts_by_owner consent_by_purpose erasures_by_month; do
	csv "$KEY_carla" "/reports/$r/export"
	is "an agent without export_reports may not export $r: 403" "$CODE" 403
	api "$KEY_carla" GET "/reports/$r"
	is "... but reads $r" "$CODE" 200
done
api "$KEY_ana" PUT "/users/$(q "SELECT id FROM users WHERE display_name = 'Carla Mendes'")/permissions" '{"permissions":{"export_reports":true}}'
is "the admin grants carla export_reports" "$CODE" 200
csv "$KEY_carla" /reports/erasures_by_month/export
is "once granted the permission, carla exports" "$CODE" 200
api "$KEY_ana" PUT "/users/$(q "SELECT id FROM users WHERE display_name = 'Carla Mendes'")/permissions" '{"permissions":{"export_reports":false}}'
csv "$KEY_carla" /reports/erasures_by_month/export
is "once it is taken back, 403 again" "$CODE" 403

# Cells that a spreadsheet would run as formulas, and cells needing quotes.
q "UPDATE users SET display_name = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE display_name = 'Bruno Lima'"
q "UPDATE users SET display_name = 'Lima, \"Bruno\"' WHERE display_name = 'Ana Souza'"
q "UPDATE users SET display_name = '@SUM(1+1)' WHERE display_name = 'Carla Mendes'"
csv "$KEY_ana" /reports/contacts_by_owner/export
check "a formula cell gets a leading apostrophe (and quotes: it holds a comma)" \
	grep -q "^2,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",[0-9]*"$'\r'"$" "$TMPD/csv"
check "a comma and quotes are quoted, quotes doubled" grep -q "^1,\"Lima, \"\"Bruno\"\"\",[0-9]*"$'\r'"$" "$TMPD/csv"
check "an @ cell gets an apostrophe" grep -q "^3,'@SUM(1+1),[0-9]*"$'\r'"$" "$TMPD/csv"
check "no cell starts with a bare formula character" bash -c "! grep -Eq '(^|,)\"?[=+@-]' '$TMPD/csv'"

api "$KEY_ana" GET /reports/erasures_by_month
is "erasures_by_month: nothing erased yet" "$CODE $(jqr '.report.rows|length')" "200 0"
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=2"
for id in $(jqr '.contacts[].id'); do api "$KEY_ana" DELETE "/contacts/$id/forget"; done
is "two contacts forgotten" "$CODE" 200
api "$KEY_ana" GET /reports/erasures_by_month
MONTH=$(date -u +%Y-%m)
is "erasures_by_month counts them from the audit log" "$(jqr '.report.rows|tostring')" "[[\"$MONTH\",2,0,2]]"

api "$KEY_ana" GET "/audit?per_page=100"
is "each export is audited by report name" "$(jqr '[.audit[]|select(.action=="report.export")]|length')" 4
check "the audit entries hold no CSV content" bash -c "! printf '%s' '$BODY_OUT' | grep -q HYPERLINK"

done_testing
