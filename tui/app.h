/* The application: the session (client, store, who is logged in), the
 * terminal (layout, header and status windows, prompt, theme) and the main
 * loop that waits on the terminal and the network together. The views reach
 * the shared state through struct app. */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/api.h"
#include "core/config.h"
#include "core/store.h"
#include "tui/cmdline.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "tui/theme.h"
#include "tui/view.h"

enum app_conn {
    CONN_CONNECTING, /* /users/me in flight */
    CONN_READY,      /* logged in: the contacts screen */
    CONN_FAILED,     /* conn_error says why; r retries */
};

enum app_prompt { PROMPT_NONE, PROMPT_COMMAND, PROMPT_SEARCH };

struct app_owner {
    int64_t id;
    char *name;
};

struct app {
    /* session */
    struct config *cfg;
    struct crm_client *client;
    struct store *store;
    const char *url;
    char account[64];
    struct user me; /* valid when conn is CONN_READY; id 0 when the server has
                       no GET /users/me (a Freshsales account): see app_me_may */
    unsigned capabilities;
    struct app_owner *owners;
    size_t n_owners;
    enum app_conn conn;
    char conn_error[320];
    int start_pending; /* start requests not answered yet */

    /* terminal */
    struct keymap *keymap;
    struct theme theme;
    bool have_theme;
    struct layout layout;
    enum pane focus;
    WINDOW *header, *status;
    bool too_small;

    /* screens */
    enum view_id view, view_before_help;
    bool dirty_header, dirty_status, full_redraw;
    bool quit;

    /* status line */
    char message[256];
    bool message_error;  /* drawn as an error */
    bool message_sticky; /* kept until cleared (Esc, a success), not by the next key */
    int spinner;
    long long spinner_at, busy_since; /* busy_since 0: nothing in flight */
    bool spinner_shown;

    /* prompt */
    enum app_prompt prompt;
    struct cmdline cmd, search;
};

/* Runs the interface until the user quits; the terminal is set up and
 * restored inside. The caller zeroes app and sets cfg (key loaded), url,
 * client, keymap, and theme/have_theme (have_theme false: monochrome); it
 * frees those afterwards. Returns the exit status. */
int app_run(struct app *app);

/* Shows a message on the status line until the next key. */
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows an error on the status line until cleared (Esc or a success). */
void app_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows an error the user made (error colours) until the next key. */
void app_warn(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clears an error shown by app_error. */
void app_clear_error(struct app *app);
/* Makes id the current screen. */
void app_set_view(struct app *app, enum view_id id);
/* Sets the focused pane and lays the screen out again. */
void app_set_focus(struct app *app, enum pane p);
/* Opens the prompt of kind. */
void app_prompt_open(struct app *app, enum app_prompt kind);
/* The display name of a user (owners, then the logged-in user), or NULL. */
const char *app_user_name(const struct app *app, int64_t id);
/* Whether to offer what a permission of the logged-in user allows: perm when
 * the server said who the user is, else true (a server without /users/me
 * still refuses what the user may not do, and the client shows its answer). */
bool app_me_may(const struct app *app, bool perm);
/* Milliseconds of a monotonic clock. */
long long app_now_ms(void);
/* (Re)sends the start requests: /users/me, /capabilities, /selector/owners. */
void app_connect(struct app *app);
/* Switches the theme; on failure returns -1 with a sentence in err. */
int app_set_theme(struct app *app, const char *name, char *err, size_t errlen);

#endif
