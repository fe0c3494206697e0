/* Key bindings: one table per context, filled from the action list and then
 * overridden by the config's `bind CONTEXT KEY ACTION` lines. Key names, their
 * parsing and printing, and the markdown key reference live here too. */
#ifndef TUI_KEYMAP_H
#define TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/config.h"
#include "tui/actions.h"

/* A key as crmtui sees it: a Unicode code point (control characters included:
 * Enter is 10, Tab 9, Esc 27, C-x its control code) or KEYMAP_FN(curses KEY_*)
 * for a function key. */
#define KEYMAP_FN_BASE 0x200000
#define KEYMAP_FN(k)   (KEYMAP_FN_BASE + (k))
#define KEYMAP_ENTER   10
#define KEYMAP_TAB     9
#define KEYMAP_ESC     27

struct keymap; /* opaque */

/* A keymap holding the default keys of every action. Never NULL (aborts on OOM). */
struct keymap *keymap_new(void);
void keymap_free(struct keymap **pp);

/* The key for what wget_wch returned (rc OK or KEY_CODE_YES, wch the value):
 * Return and KEY_ENTER become KEYMAP_ENTER, DEL (127) becomes <Backspace>. */
int keymap_from_curses(int rc, unsigned wch);

/* Parses a key name: a single character ("j", "G", "?", "é"), <Name> or Name
 * for a named key (Enter, Tab, Esc, Space, Backspace, Delete, Insert, Up,
 * Down, Left, Right, PgUp, PgDn, Home, End, BackTab, F1..F12; case ignored),
 * <C-x>, C-x or ^X for a control key. Returns 0 and sets *key, or -1. */
int keymap_parse_key(const char *name, int *key);
/* Writes the canonical name of key ("j", "<Down>", "<C-l>") into buf. */
void keymap_key_name(int key, char *buf, size_t len);

/* Writes the UTF-8 bytes of a character key into out (no NUL); returns
 * their count, 0 for a function key or an invalid code point. */
size_t keymap_utf8(int key, char out[4]);

/* Binds key to action in ctx (action ACT_NONE unbinds: the key then does
 * nothing there and does not fall through to other contexts). */
void keymap_set(struct keymap *km, enum keyctx ctx, int key, enum action action);
/* Applies one "bind CONTEXT KEY ACTION" line given as text. On an unknown
 * context, key or action returns -1 with a sentence in err. */
int keymap_bind(struct keymap *km, const char *ctx, const char *key, const char *action, char *err,
                size_t errlen);
/* Applies the config's bindings in order; the first bad one fails with
 * "config line N: ..." in err and returns -1. */
int keymap_apply_config(struct keymap *km, const struct config_binding *b, size_t n, char *err,
                        size_t errlen);

/* Sets *out to what key does in ctx alone; false when ctx does not bind it. */
bool keymap_lookup(const struct keymap *km, enum keyctx ctx, int key, enum action *out);
/* What key does in the first of ctxs (in order) that binds it; ACT_NONE when
 * none does. */
enum action keymap_resolve(const struct keymap *km, const enum keyctx *ctxs, size_t n, int key);
/* The keys bound to action in ctx, as names separated by spaces ("j <Down>"),
 * into buf; "" when none. */
void keymap_keys_for(const struct keymap *km, enum keyctx ctx, enum action action, char *buf,
                     size_t len);

/* Writes the key reference (docs/keys.md) for km to out: every context's
 * actions with their keys and help, then the commands. */
void keymap_write_markdown(const struct keymap *km, FILE *out);

#endif
