/* The screens of crmtui, one file each (tui/view-*.c), registered in one
 * table. A screen draws its own windows inside the body, handles the actions
 * it knows and returns false for the rest, which the app then handles. */
#ifndef TUI_VIEW_H
#define TUI_VIEW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/store.h"
#include "tui/actions.h"

struct app;

struct view_ops {
    const char *name;
    const enum keyctx *contexts; /* where its keys are looked up, in order */
    size_t n_contexts;
    /* Becomes the current screen / stops being it (windows made and freed). */
    void (*enter)(struct app *app);
    void (*leave)(struct app *app);
    /* The layout changed (resize, pane switch): make the windows again. */
    void (*relayout)(struct app *app);
    /* Draws what is dirty (everything when full) and wnoutrefresh-es it. */
    void (*draw)(struct app *app, bool full);
    /* Handles an action; false when it does not know it. */
    bool (*handle)(struct app *app, enum action a);
    /* Runs a command of the command line (the search prompt runs CMD_SEARCH);
     * false when it does not know it. */
    bool (*command)(struct app *app, enum command cmd, const char *arg);
    /* Something in the store changed (NULL: not interested). */
    void (*store_event)(struct app *app, enum store_event ev, int64_t first, int64_t last);
    /* Shared data it shows changed (the user names arrived): lay out again. */
    void (*data_changed)(struct app *app);
    /* Timers: called every loop; returns ms until it wants to run again, or -1. */
    int (*tick)(struct app *app, long long now_ms);
    /* The right part of the header: what is shown and where ("All Contacts
     * 1-27 of 100000"). */
    void (*title)(struct app *app, char *buf, size_t len);
    /* What is loading, for the status line ("" when nothing it knows of). */
    void (*busy)(struct app *app, char *buf, size_t len);
    /* Puts the hardware cursor (wmove + wnoutrefresh of its window). */
    void (*cursor)(struct app *app);
    /* The command that opens this screen (CMD_NONE: none). */
    enum command opened_by;
};

extern const struct view_ops view_start_ops;
extern const struct view_ops view_contacts_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_settings_ops;
extern const struct view_ops view_companies_ops;
extern const struct view_ops view_reports_ops;
extern const struct view_ops view_account_ops;
extern const struct view_ops view_audit_ops;
extern const struct view_ops view_users_ops;
extern const struct view_ops view_requests_ops;

#define VIEW_LIST(X)                                                                               \
    X(VIEW_START, view_start_ops)                                                                  \
    X(VIEW_CONTACTS, view_contacts_ops)                                                            \
    X(VIEW_HELP, view_help_ops)                                                                    \
    X(VIEW_SETTINGS, view_settings_ops)                                                            \
    X(VIEW_COMPANIES, view_companies_ops)                                                          \
    X(VIEW_REPORTS, view_reports_ops)                                                              \
    X(VIEW_ACCOUNT, view_account_ops)                                                              \
    X(VIEW_AUDIT, view_audit_ops)                                                                  \
    X(VIEW_USERS, view_users_ops)                                                                  \
    X(VIEW_REQUESTS, view_requests_ops)

enum view_id {
#define VIEW_ENUM(id, ops) id,
    VIEW_LIST(VIEW_ENUM)
#undef VIEW_ENUM
        VIEW_COUNT
};

/* The ops of a view; never NULL for a valid id. */
const struct view_ops *view_get(enum view_id id);

/* What the screens that draw in one window over the whole body share. Each
 * screen keeps its window in its own state and passes it in. */

/* Frees *win (when there is one) and makes it again over the layout's body.
 * Returns false, *win NULL, when the terminal is too small or the body has no
 * rows; true when a window was asked of curses (*win NULL if it failed). The
 * window is the caller's: view_body_free frees it. */
bool view_body_make(WINDOW **win, const struct app *app);
/* Frees *win (NULL is fine) and nulls it. */
void view_body_free(WINDOW **win);
/* Paints every row of win, a body window, in the default colour before a
 * full repaint. */
void view_body_clear(WINDOW *win, const struct app *app);
/* Puts the hardware cursor at the top left of win and wnoutrefresh-es it;
 * nothing when win is NULL. */
void view_home_cursor(WINDOW *win);
/* Where the keys of the admin screens (and the privacy requests) are looked
 * up, in order: the admin keys, then browsing, then everywhere. */
#define VIEW_ADMIN_N_CONTEXTS 3
extern const enum keyctx view_admin_contexts[VIEW_ADMIN_N_CONTEXTS];
/* Asks for a full redraw; usable as the data_changed of a screen that only
 * needs to be drawn again. */
void view_full_redraw(struct app *app);
/* True when the logged-in user is an admin. */
bool view_is_admin(const struct app *app);
/* True when the server announced any of the capabilities in any_of (bits
 * 1u << CAP_...); else false with "WHAT is not available on this server." in
 * err (a Freshsales account has none of crm-server's extensions). Screens
 * ask this before view_is_admin: there is nothing to be admin of. */
bool view_offered(const struct app *app, unsigned any_of, const char *what, char *err, size_t len);
/* Esc on a screen reached from the contacts: back to the contacts screen and
 * true; false while requests are in flight, so the app's own Esc cancels
 * them first. */
bool view_back_to_contacts(struct app *app);
/* Moves a list selection *sel among n rows for a, which is one of down, up,
 * page down, page up (by page rows), first or last, never past either end.
 * Returns false, *sel untouched, for any other action. */
bool view_list_move(long *sel, long n, long page, enum action a);
/* The first row to show of a list so that sel is in sight in rows rows,
 * moving top as little as possible (the list may end above the last row). */
long view_list_top(long top, long sel, int rows);

#endif
