#!/bin/bash
# The Users screen (:users): agents are told it is for admins; an admin sees
# each user's role, state and permissions, and deletes a user from the `.`
# menu: deactivate first, choose who receives the contacts, type the email,
# then the result with each processor's notice. Esc at each step changes
# nothing on the server; the server's state is read back with curl.
. "$(dirname "$0")/lib-tmux.sh"

server_start 60
api "$KEY_ana" GET /users
carla=$(jqr '.users[] | select(.email == "carla@acme.example.com") | .id')
bruno=$(jqr '.users[] | select(.email == "bruno@acme.example.com") | .id')
# the rows follow the server's order; the transfer choices are the other active users in it
carla_row=$(jqr '[.users[].email] | index("carla@acme.example.com")')
bruno_choice=$(jqr '[.users[] | select(.is_active and .email != "carla@acme.example.com") | .email] | index("bruno@acme.example.com") + 1')
my=$(view_id "My Contacts")
api "$KEY_carla" GET "/contacts/view/$my?per_page=1"
carla_had=$(jqr .meta.total)
api "$KEY_bruno" GET "/contacts/view/$my?per_page=1"
bruno_had=$(jqr .meta.total)
check "carla owns contacts to transfer" [ "${carla_had:-0}" -gt 0 ]
# the transfer counts every record she owns: contacts (the Recycle Bin's too) and companies
carla_records=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM contacts WHERE owner_id = $carla) + (SELECT count(*) FROM companies WHERE owner_id = $carla)")

carla_active() {
	api "$KEY_ana" GET /users
	jqr ".users[] | select(.id == $carla) | .is_active"
}
bruno_total() {
	api "$KEY_bruno" GET "/contacts/view/$my?per_page=1"
	jqr .meta.total
}

# An agent.
TUI_KEY=$KEY_bruno tui_start
expect "bruno's contacts screen" "All Contacts  1-"
keys :
type_text users
keys Enter
expect "agents are told the screen is for admins" "This screen is for admins."
expect_gone "no user list for an agent" "carla@acme.example.com"
tui_quit_clean "bruno quits cleanly"
tm kill-server 2>/dev/null

# An admin.
tui_start -x 110 -y 32
expect "ana's contacts screen" "All Contacts  1-"
keys :
type_text users
keys Enter
expect "the users list" "carla@acme.example.com"
expect_match "carla: agent, active, no export, forget" "Carla Mendes +carla@acme\.example\.com +agent +active +no +yes"
expect_match "ana: admin with both permissions" "Ana Souza +ana@acme\.example\.com +admin +active +yes +yes"
expect "the header names the screen" "Users  1 of 3"
for ((i = 0; i < carla_row; i++)); do keys j; done
expect "carla selected" "Users  $((carla_row + 1)) of 3"

# The menu, then Esc.
keys .
expect "the user's menu" "Delete user..."
keys Escape
expect_gone "Esc closes the menu" "Delete user..."
is "menu cancelled: carla still active" "$(carla_active)" true

# Active: the deactivation is offered; Esc there changes nothing.
keys . D
expect "an active user is offered deactivation" "deactivate now and go on"
keys Escape
expect "cancel says nothing changed" "cancelled; nothing changed"
is "deactivation cancelled: carla still active" "$(carla_active)" true

# Deactivate, then Esc at the transfer choice: deactivated, nothing moved.
keys . D d
expect "after deactivating: who receives the contacts" "Who receives their contacts?"
expect "leaving them unassigned is offered" "nobody: leave them unassigned"
is "carla is inactive on the server" "$(carla_active)" false
keys Escape
expect "cancel at the transfer" "cancelled; nothing changed"
expect_match "the list shows carla inactive" "Carla Mendes .* inactive"
is "no contact moved" "$(bruno_total)" "$bruno_had"

# Inactive: straight to the transfer; a wrong email deletes nothing.
keys . D
expect "inactive: the transfer comes first" "Who receives their contacts?"
keys "$bruno_choice"
expect "the typed confirmation" "Type their email (carla@acme.example.com) to confirm"
type_text carla@acme.example.org
keys Enter
expect "a wrong email is refused at the line" "That does not match"
api "$KEY_ana" GET /users
is "wrong email: carla still exists" "$(jqr "[.users[] | select(.id == $carla)] | length")" 1
keys Escape
expect "cancel at the confirmation" "cancelled; nothing changed"
is "cancel at the confirmation: carla still exists" "$(carla_active)" false

# The real thing.
keys . D "$bruno_choice"
expect "the typed confirmation again" "to confirm"
type_text carla@acme.example.com
keys Enter
expect "the result" "Carla Mendes deleted."
expect "records transferred, and to whom" "Records transferred: $carla_records (to Bruno Lima)"
expect "the notices" "Erasure notices:"
expect_match "each processor with its notice status" "^.*: (pending|done|failed)"
api "$KEY_ana" GET /users
is "carla is gone from the server" "$(jqr "[.users[] | select(.id == $carla)] | length")" 0
is "her contacts are bruno's" "$(bruno_total)" "$((bruno_had + carla_had))"
api "$KEY_carla" GET /users/me
is "her key no longer works" "$CODE" 401
keys r
expect "r checks the notices again" "notices checked again"
expect "the result shows again" "Erasure notices:"
keys c
expect_gone "c closes the result" "Erasure notices:"
expect "the list has two users" "Users  "
expect_gone "carla left the list" "carla@acme.example.com"
tui_quit_clean "ana quits cleanly"
done_testing
