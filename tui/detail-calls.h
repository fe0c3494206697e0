/* The Calls and Chats sections of the contacts screen's detail pane: the
 * open contact's calls (note, recording and its consent) and chats, fetched
 * when the contact opens; keys to pick a call, delete its note or recording
 * (admin; each confirmed) and to turn the contact's chat events timeline on
 * or off. tui/view-contacts.c calls these four functions. */
#ifndef TUI_DETAIL_CALLS_H
#define TUI_DETAIL_CALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/actions.h"
#include "tui/textrows.h"

struct app;

/* The detail pane now shows contact_id (0: none): fetches its calls and
 * chats when the server offers them (again when the id is the same: a
 * reload). When they arrive the contacts screen lays its panes out again. */
void detail_calls_open(struct app *app, int64_t contact_id);
/* Appends the Calls and Chats groups to the detail rows r; lw is the width
 * of the field labels. */
void detail_calls_append(struct app *app, struct trows *r, int lw);
/* Handles the calls and chats actions for the open contact; false for any
 * other action. */
bool detail_calls_handle(struct app *app, enum action a);

#endif
