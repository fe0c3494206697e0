#!/bin/bash
# Quick action Edit: a form over the contact's fields; an invalid email is
# refused at its field and nothing is sent; only changed fields are sent; the
# timeline records the rectification.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name=$(jqr '.contacts[0].display_name')
api "$KEY_ana" GET "/contacts/$cid"
email=$(jqr '.contact.email')
city=$(jqr '.contact.city')
updated=$(jqr '.contact.updated_at')

tui_start
expect_match "the first row is $name" "^>$name "
keys .
expect "the menu" "Actions: $name"
keys e
expect "the form" "Edit contact"
expect "it holds the email" "$email"
expect "and the owner" "Owner"

# Tab to the email field, replace it with an invalid address
keys Tab Tab C-u
type_text "not an email"
keys Enter
expect "the email is refused at its field" "an email address has no spaces"
api "$KEY_ana" GET "/contacts/$cid"
is "nothing was sent" "$(jqr '.contact.updated_at')" "$updated"
keys C-u
type_text "ana@nodot"
keys Enter
expect "a domain is asked for" "after the @ comes a domain"

keys C-u
type_text "renamed@example.org"
keys Tab Tab Tab Tab Tab Tab
keys C-u
type_text "Porto"
keys Enter
expect "saved" "$name: the changes were saved"
api "$KEY_ana" GET "/contacts/$cid"
is "the email changed at the server" "$(jqr '.contact.email')" renamed@example.org
is "the city too" "$(jqr '.contact.city')" Porto
check "the city was $city before" test "$city" != Porto
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
rect=$(jqr '[.activities[] | select(.action_type == "rectified")][0].action_data.source')
is "the rectification is recorded as a quick action" "$rect" quick_action
expect "the timeline shows it" "contact data rectified"

# Esc keeps the server as it is
keys . e
expect "the form again" "Edit contact"
keys C-u
type_text "Changed"
keys Escape
expect "Esc cancels" "edit cancelled: nothing changed"
api "$KEY_ana" GET "/contacts/$cid"
check "the first name did not change" test "$(jqr '.contact.first_name')" != Changed

# emptying name and email is refused
keys . e
expect "the form" "Edit contact"
keys C-u Tab C-u Tab C-u Enter
expect "a name or an email is required" "a name or an email is required"
keys Escape

# a failure keeps what was typed, with the reason
keys . e
expect "the form once more" "Edit contact"
keys Tab Tab C-u
type_text "kept@example.com"
server_stop
keys Enter
expect "the failure is shown in the form" "Not saved:"
expect "what was typed stays" "kept@example.com"
expect "the form stays open" "Edit contact"
keys Escape
expect "Esc leaves the form" "edit cancelled: nothing changed"
server_serve
api "$KEY_ana" GET "/contacts/$cid"
is "the server kept the last saved email" "$(jqr '.contact.email')" renamed@example.org
tui_quit_clean "exits clean"
done_testing
