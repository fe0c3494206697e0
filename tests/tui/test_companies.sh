#!/bin/bash
# :companies lists the server's companies; d asks about the company's
# contacts and deletes; f asks for the company name typed and forgets, with a
# receipt; each change is checked on the server afterwards.
. "$(dirname "$0")/lib-tmux.sh"

server_start 2500
api "$KEY_ana" GET "/sales_accounts/filters"
view=$(jqr '[.filters[] | select(.is_default)][0].id // .filters[0].id')
api "$KEY_ana" GET "/sales_accounts/view/$view?page=1&per_page=100"
first=$(jqr '.sales_accounts[0].name')
first_id=$(jqr '.sales_accounts[0].id')
second=$(jqr '.sales_accounts[1].name')
second_id=$(jqr '.sales_accounts[1].id')
total=$(jqr '.meta.total')
api "$KEY_ana" GET "/sales_accounts/view/$view?page=2&per_page=100"
last=$(jqr '.sales_accounts[-1].name')
check "more than one page of companies" [ "$total" -gt 100 ]
check "the server has two companies to work on" [ -n "$first" ] && [ -n "$second" ]

tui_start
wait_for "All Contacts  1-" || true
keys :
type_text "companies"
keys Enter
expect "the Companies screen opens with the first page" "Companies  100 of $total"
expect "its first company is listed" "$first"
keys G
expect "going to the end fetches the next page" "Companies  $total"
keys G
expect "the last company is reached" "$last"
keys g

keys d
expect "d asks about the company's contacts" "Delete its contacts too"
keys Escape
expect "Esc leaves the company alone" "nothing deleted"
api "$KEY_ana" GET "/sales_accounts/$first_id"
is "the company is still there" "$CODE" 200

keys d
wait_for "Delete its contacts too" || true
keys k
expect "k deletes it and keeps the contacts" "company $first deleted"
api "$KEY_ana" GET "/sales_accounts/$first_id"
is "the server marks the company deleted" "$(jqr '.sales_account.is_deleted')" true

wait_for "Companies  100 of $((total - 1))" || true
keys g
expect_match "the list starts at the next company" "$second"
api "$KEY_ana" GET "/sales_accounts/$second_id?include=contacts"
n_second=$(jqr .contacts_total)
keys f
expect "f shows what forget erases" "This cannot be undone"
expect "with the number of its contacts" "the company and $n_second contacts"
type_text "not the name"
keys Enter
expect_match "a wrong name is refused" "$second"
api "$KEY_ana" GET "/sales_accounts/$second_id"
is "the company survives a wrong name" "$CODE" 200
keys C-u
type_text "$second"
keys Enter
expect "the receipt names the company" "and its contacts are erased for good"
api "$KEY_ana" GET "/sales_accounts/$second_id"
is "the server forgot the company" "$CODE" 404
api "$KEY_ana" GET "/audit"
check "the audit log holds the company forget" [ "$(jqr '[.audit[] | select(.action | test("forget"))] | length')" -ge 1 ]
keys Enter
keys Escape
expect "Esc returns to the contacts" "All Contacts"
tui_quit_clean "crmtui exits cleanly"
tm kill-session -t t 2>/dev/null

# bruno, an agent who may not forget, sees the list; forget is refused.
TUI_KEY=$KEY_bruno tui_start
wait_for "All Contacts  1-" || true
keys :
type_text "companies"
keys Enter
expect "an agent sees the companies" "Companies"
keys f
expect "without the permission forget is refused on screen" "not permitted to forget"
api "$KEY_ana" GET "/sales_accounts/view/$view?page=1&per_page=100"
third_id=$(jqr '.sales_accounts[0].id')
api "$KEY_bruno" DELETE "/sales_accounts/$third_id/forget"
is "and the server refuses it too" "$CODE" 403
tui_quit_clean "crmtui exits cleanly as bruno"

done_testing
