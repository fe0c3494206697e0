/* Boxes over the screen that take every key until they close: a choice
 * (confirmation), a typed confirmation, a message or receipt, a busy notice;
 * and the box layer itself, which tui/menu.c and tui/form.c build on. */
#ifndef TUI_DIALOG_H
#define TUI_DIALOG_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "tui/cmdline.h"
#include "tui/colors.h"
#include "tui/keymap.h"

struct app;

/* ---- the box layer ---- */

/* What a box does. st is its state, owned by the layer from dialog_push on. */
struct dialog_ops {
    /* Rows and columns the box wants inside its border, for a screen of
     * max_rows x max_cols inner cells; the layer clamps them. */
    void (*size)(void *st, int max_rows, int max_cols, int *rows, int *cols);
    /* Draws the inside (rows x cols cells, origin 0,0 inside the border);
     * returns the cursor column on *cy, or -1 for no cursor (cy untouched). */
    int (*draw)(struct app *app, void *st, WINDOW *w, int rows, int cols, int *cy);
    /* Handles one key (tui/keymap.h codes). */
    void (*key)(struct app *app, void *st, int key);
    /* Frees st (NULL: free()). */
    void (*free)(void *st);
};

/* Opens a box with title over the screen; anchor_y >= 0 places it just
 * below that screen row (above when it does not fit), -1 centres it. */
void dialog_push(struct app *app, const struct dialog_ops *ops, void *st, const char *title,
                 int anchor_y);
/* Closes the box whose state is st and frees it (st is then invalid); the
 * screen beneath is drawn again. Unknown st: nothing. */
void dialog_close(struct app *app, void *st);
/* True while st is an open box. */
bool dialog_is_open(const void *st);
/* True while any box is open. */
bool dialog_active(void);
/* For the app: gives key to the top box; false when no box is open. */
bool dialog_key(struct app *app, int key);
/* For the app: draws the open boxes over what the screen drew; places the
 * hardware cursor when the top box has one and returns true. */
bool dialog_draw(struct app *app);
/* Closes every box (the app is leaving). */
void dialog_close_all(struct app *app);

/* ---- line editing in a box (the typed confirmation, tui/form.c) ---- */

/* Applies key to the line: an editing action of the prompt context or a
 * printable character. Returns CMDLINE_EDITING when it used the key,
 * CMDLINE_UNHANDLED otherwise (Enter, Esc, Tab, Up and Down never edit). */
enum cmdline_result dialog_line_key(const struct keymap *km, struct cmdline *cl, int key);
/* Draws the line in cols cells at (y, x), scrolled so the cursor shows;
 * returns the cursor's column. */
int dialog_line_draw(WINDOW *w, int y, int x, int cols, const struct cmdline *cl, enum uic c);

/* ---- ready-made boxes ---- */

/* One answer of a choice: the key and what it does ("y", "yes, unsubscribe"). */
struct dialog_choice {
    int key;
    const char *label;
};

/* Called once when a choice box closes: key is the chosen answer's key, or 0
 * when the user cancelled (Esc). The box is already closed. */
typedef void (*dialog_choice_fn)(struct app *app, int key, void *ud);
/* Shows text (wrapped; '\n' ends a line) and the answers; only their keys
 * (and Esc) do anything. choices is copied. */
void dialog_choose(struct app *app, const char *title, const char *text,
                   const struct dialog_choice *choices, size_t n, dialog_choice_fn fn, void *ud);

/* Called once when a typed confirmation closes: confirmed is true only when
 * the text typed equals expected exactly. */
typedef void (*dialog_typed_fn)(struct app *app, bool confirmed, void *ud);
/* Shows text and a line to type expected into. Enter with other text says
 * so at the line and keeps the box open; Esc cancels. */
void dialog_typed(struct app *app, const char *title, const char *text, const char *expected,
                  dialog_typed_fn fn, void *ud);

/* Called when a message box closes (may be NULL). */
typedef void (*dialog_done_fn)(struct app *app, void *ud);
/* Shows text until Enter, Esc or q. error draws it in the error colours.
 * Returns the box's handle (for dialog_set_text, dialog_close). */
void *dialog_message(struct app *app, const char *title, const char *text, bool error,
                     dialog_done_fn fn, void *ud);
/* A notice while something runs: Esc calls cancel (may be NULL: then Esc
 * does nothing) and closes it. Returns its handle. */
void *dialog_busy(struct app *app, const char *title, const char *text, dialog_done_fn cancel,
                  void *ud);
/* Replaces the text of a message or busy box (handle from them). */
void dialog_set_text(void *handle, const char *text);

#endif
