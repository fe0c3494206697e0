#!/bin/bash
# crm-server companies (sales accounts): views, paging, sorting, one company,
# soft delete with and without its contacts, and forget (which takes its
# contacts along).
. "$(dirname "$0")/../lib.sh"
server_start 120

ALLC=70000000101 BINC=70000000102
api "$KEY_ana" GET /sales_accounts/filters
is "two company views" "$(jqr '[.filters[]|[.id,.name,.is_default,.model_class_name]]|tostring')" \
	"[[$ALLC,\"All Companies\",true,\"SalesAccount\"],[$BINC,\"Recycle Bin\",false,\"SalesAccount\"]]"
api "$KEY_ana" GET "/sales_accounts/view/$ALLC?per_page=100&include=owner"
is "All Companies answers 200" "$CODE" 200
NCO=$(jqr .meta.total)
check "the seed made companies" test "$NCO" -ge 2
is "a company carries its fields" "$(jqr '.sales_accounts[0]|keys|join(",")')" \
	"address,city,country,created_at,id,is_deleted,name,owner_id,phone,updated_at,website"
is "companies sort by name by default" \
	"$(jqr '[.sales_accounts[].name|ascii_downcase] == ([.sales_accounts[].name|ascii_downcase]|sort)')" true
is "include=owner side-loads the owners" \
	"$(jqr '(.users|map(.id)|sort) == ([.sales_accounts[].owner_id|select(. != null)]|unique)')" true
api "$KEY_ana" GET "/sales_accounts/view/$ALLC?per_page=1&page=2&sort=name&sort_type=desc"
is "paging and sort_type apply" "$(jqr '[(.sales_accounts|length),.meta.total_pages]|tostring')" "[1,$NCO]"
api "$KEY_ana" GET "/sales_accounts/view/$ALLC?sort=last_name"
is "a contact-only sort: 400" "$CODE" 400
api "$KEY_ana" GET /sales_accounts/view/70000000001
is "a contact view id is not a company view: 404" "$CODE" 404

# Two companies with contacts, found from the contacts' links.
: >"$TMPD/links"
for p in 1 2; do
	api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100&page=$p"
	jqr '.contacts[]|select(.sales_account_id != null)|"\(.sales_account_id) \(.id)"' >>"$TMPD/links"
done
read -r CO1 CO2 <<<"$(cut -d' ' -f1 "$TMPD/links" | sort | uniq -c | sort -rn | awk 'NR<=2{printf "%s ", $2}')"
check "two companies with contacts" test -n "$CO1" -a -n "$CO2"
N1=$(grep -c "^$CO1 " "$TMPD/links")
N2=$(grep -c "^$CO2 " "$TMPD/links")

api "$KEY_ana" GET "/sales_accounts/$CO1?include=contacts"
is "include=contacts side-loads the company's contacts" \
	"$(jqr '[(.contacts|length),.contacts_total,([.contacts[].sales_account_id]|unique|tostring)]|tostring')" \
	"[$N1,$N1,\"[$CO1]\"]"
is "each with its contact fields" "$(jqr '.contacts[0]|has("email") and has("display_name")')" true
api "$KEY_ana" GET "/sales_accounts/$CO1"
is "without include there are none" "$(jqr 'has("contacts")')" false
api "$KEY_bruno" GET "/sales_accounts/$CO1?include=owner"
is "one company" "$CODE $(jqr .sales_account.id)" "200 $CO1"
is "... with its owner side-loaded" "$(jqr '(.users|map(.id)) == ([.sales_account.owner_id]|map(select(. != null)))')" true
api "$KEY_bruno" GET /sales_accounts/999999999
is "no such company: 404" "$CODE" 404

# Delete without the flag: the company goes, its contacts stay and lose the link.
api "$KEY_bruno" DELETE "/sales_accounts/$CO1"
is "DELETE answers true" "$CODE $BODY_OUT" "200 true"
api "$KEY_bruno" GET "/sales_accounts/$CO1"
is "the company is in the Recycle Bin" "$(jqr .sales_account.is_deleted)" true
api "$KEY_bruno" GET "/sales_accounts/view/$BINC"
is "the company Recycle Bin lists it" "$(jqr "[.sales_accounts[].id]|index($CO1) != null")" true
api "$KEY_bruno" GET "/sales_accounts/view/$ALLC"
is "All Companies no longer counts it" "$(jqr .meta.total)" $((NCO - 1))
C1=$(grep "^$CO1 " "$TMPD/links" | head -1 | cut -d' ' -f2)
api "$KEY_bruno" GET "/contacts/$C1"
is "its contacts stay, unlinked" "$(jqr '[.contact.is_deleted,.contact.sales_account_id]|tostring')" "[false,null]"
api "$KEY_bruno" DELETE "/sales_accounts/$CO1"
is "deleting it again: 404" "$CODE" 404
api "$KEY_bruno" PUT "/contacts/$C1" "{\"contact\":{\"sales_account_id\":$CO1}}"
is "a contact cannot be linked to a deleted company" "$CODE" 400

# Delete with delete_associated_contacts_deals=true: its contacts go too.
api "$KEY_ana" GET /contacts/view/70000000004
BIN0=$(jqr .meta.total)
api "$KEY_bruno" DELETE "/sales_accounts/$CO2?delete_associated_contacts_deals=yes"
is "the flag must be true or false" "$CODE" 400
api "$KEY_bruno" DELETE "/sales_accounts/$CO2?delete_associated_contacts_deals=true"
is "DELETE with its contacts answers true" "$CODE $BODY_OUT" "200 true"
C2=$(grep "^$CO2 " "$TMPD/links" | head -1 | cut -d' ' -f2)
api "$KEY_bruno" GET "/contacts/$C2"
is "its contacts went to the Recycle Bin, link kept" "$(jqr '[.contact.is_deleted,.contact.sales_account_id]|tostring')" "[true,$CO2]"
api "$KEY_ana" GET /contacts/view/70000000004
is "the Recycle Bin holds all of them" "$(jqr .meta.total)" $((BIN0 + N2))

# Forget: the company and its contacts are gone.
api "$KEY_bruno" DELETE "/sales_accounts/$CO2/forget"
is "bruno may not forget a company" "$CODE" 403
api "$KEY_carla" DELETE "/sales_accounts/$CO2/forget"
is "carla forgets the company" "$CODE $BODY_OUT" "200 true"
api "$KEY_ana" GET "/sales_accounts/$CO2"
is "the company is gone" "$CODE" 404
api "$KEY_ana" GET "/contacts/$C2"
is "its contacts are gone" "$CODE" 404
api "$KEY_ana" DELETE "/sales_accounts/$CO2/forget"
is "forgetting it again: 404" "$CODE" 404
api "$KEY_ana" GET /audit
is "one audit entry for the company" "$(jqr '[.audit[]|select(.action=="company.forget")]|length')" 1

done_testing
