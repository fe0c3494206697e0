/* A small form in a box: labelled fields, each a line editor (tui/cmdline)
 * or a checkbox, a validation message under each field, Tab / Shift-Tab (and
 * the arrows) between fields, Enter submits, Esc cancels. */
#ifndef TUI_FORM_H
#define TUI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/cmdline.h"
#include "tui/keymap.h"

struct app;
struct form; /* opaque */

/* A field's check: returns a sentence on what is wrong with text, or NULL. */
typedef const char *(*form_check_fn)(const char *text);

/* Called on Enter once every field passes its check. The form stays open:
 * the callee closes it (form_close) or sets errors and leaves it open. */
typedef void (*form_submit_fn)(struct app *app, struct form *f, void *ud);
/* Called when the user cancels (Esc); the form is closed and freed first. */
typedef void (*form_cancel_fn)(struct app *app, void *ud);

/* Checks for form_add_text. An email address as people type it (one @, a
 * name before it, a dotted domain after it, no spaces, at most 254 bytes);
 * empty passes (whether a field may be empty is the form's rule). */
const char *form_check_email(const char *text);
/* A phone number: digits, spaces and + - ( ) . / x. */
const char *form_check_phone(const char *text);

/* An empty form; never NULL. */
struct form *form_new(const char *title);
/* Frees a form not handed to form_open; takes NULL and nulls *pp. */
void form_free(struct form **pp);

/* Adds a text field with its first value (NULL: empty), at most max_bytes
 * (0 or more than CMDLINE_MAX - 1: CMDLINE_MAX - 1), and a check (may be
 * NULL). Returns the field's index. */
int form_add_text(struct form *f, const char *label, const char *value, size_t max_bytes,
                  form_check_fn check);
/* Adds a checkbox; returns its index. */
int form_add_check(struct form *f, const char *label, bool on);
/* A line of help under the fields (NULL: none). */
void form_set_hint(struct form *f, const char *hint);

/* The text of a field (borrowed until the next change); "" for a checkbox. */
const char *form_text(const struct form *f, int field);
/* True when the field's text differs from its first value. */
bool form_changed(const struct form *f, int field);
bool form_checked(const struct form *f, int field);
/* The field that has the cursor. */
int form_focus(const struct form *f);
/* Shows msg (NULL clears it) at field, or on the form's own line for -1. */
void form_set_error(struct form *f, int field, const char *msg);
/* The message at a field (-1: the form's line), "" when none. */
const char *form_error(const struct form *f, int field);
/* While busy is not NULL the form shows it and takes only Esc. */
void form_set_busy(struct form *f, const char *busy);

/* Runs every check; the first failing field gets the focus. Returns the
 * number of fields in error. */
int form_validate(struct form *f);

enum form_result { FORM_EDITING, FORM_SUBMIT, FORM_CANCEL };
/* Applies one key (tui/keymap.h codes): editing, moving, toggling. Enter
 * returns FORM_SUBMIT only when form_validate finds nothing; Esc returns
 * FORM_CANCEL. For tests and for form_open's box. */
enum form_result form_feed(struct form *f, const struct keymap *km, int key);

/* Shows the form in a box; the box owns it from now on (until form_close or
 * a cancel). */
void form_open(struct app *app, struct form *f, form_submit_fn submit, form_cancel_fn cancel,
               void *ud);
/* Closes the box of f and frees f. */
void form_close(struct app *app, struct form *f);
/* True while f is open in a box. */
bool form_is_open(const struct form *f);

#endif
