/* The application: the main loop over the terminal and the network, the
 * header and status line, the prompt, the commands, and the session start. */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/sanitize.h"
#include "tui/colors.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/mask.h"
#include "tui/keytimes.h"
#include "tui/reveal.h"
#include "tui/term.h"
#include "tui/xalloc.h"

#define SPINNER_MS    100 /* a spinner frame */
#define SPINNER_DELAY 150 /* requests quicker than this show no spinner (no flicker) */
#define STORE_PAGES   12  /* pages the store keeps */

/* The screens that do not exist yet, for the commands that name them. */
static const struct {
    enum command cmd;
    const char *title;
} missing_screens[] = {
    {CMD_SETTINGS, "Settings"}, {CMD_USERS, "Users"},     {CMD_COMPANIES, "Companies"},
    {CMD_REPORTS, "Reports"},   {CMD_ACCOUNT, "Account"}, {CMD_REQUESTS, "Privacy requests"},
};

/* Key hints on the status line, per screen: the action and a short word. */
struct hint {
    enum action action;
    const char *word;
};
static const struct hint hints_contacts[] = {
    {ACT_QUICK_ACTIONS, "actions"}, {ACT_SEARCH, "search"}, {ACT_COMMAND, "command"},
    {ACT_NEXT_PANE, "pane"},        {ACT_HELP, "help"},     {ACT_QUIT, "quit"},
};
static const struct hint hints_help[] = {
    {ACT_BACK, "back"}, {ACT_MOVE_DOWN, "down"}, {ACT_MOVE_UP, "up"}, {ACT_QUIT, "quit"}};
static const struct hint hints_start[] = {{ACT_RETRY, "retry"}, {ACT_QUIT, "quit"}};

long long app_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_message(struct app *app, bool error, bool sticky, const char *fmt, va_list ap)
{
    char buf[sizeof(app->message)];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    /* A message may quote server text or be cut mid-character: pass it
     * through the sanitizer so only clean UTF-8 reaches the screen. */
    char *clean = sanitize_str(buf, strlen(buf), sizeof(app->message) - 1);
    snprintf(app->message, sizeof(app->message), "%s", clean);
    free(clean);
    app->message_error = error;
    app->message_sticky = sticky;
    app->dirty_status = true;
}

void app_message(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(app, false, false, fmt, ap);
    va_end(ap);
}

void app_error(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(app, true, true, fmt, ap);
    va_end(ap);
}

void app_warn(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(app, true, false, fmt, ap);
    va_end(ap);
}

void app_clear_error(struct app *app)
{
    if (app->message_sticky) {
        app->message[0] = '\0';
        app->message_error = app->message_sticky = false;
        app->dirty_status = true;
    }
}

bool app_me_may(const struct app *app, bool perm)
{
    return app->me.id <= 0 || perm;
}

const char *app_user_name(const struct app *app, int64_t id)
{
    for (size_t i = 0; i < app->n_owners; i++)
        if (app->owners[i].id == id)
            return app->owners[i].name;
    if (app->conn == CONN_READY && app->me.id == id)
        return app->me.display_name ? app->me.display_name : app->me.email;
    return NULL;
}

/* ---- windows and layout ---- */

static WINDOW *make_window(struct rect r)
{
    if (r.h <= 0 || r.w <= 0)
        return NULL;
    WINDOW *w = newwin(r.h, r.w, r.y, r.x);
    if (w) {
        wbkgdset(w, (chtype)(' ' | colors_attr(UIC_DEFAULT)));
        leaveok(w, FALSE);
    }
    return w;
}

static void free_window(WINDOW **w)
{
    if (*w) {
        delwin(*w);
        *w = NULL;
    }
}

static void app_relayout(struct app *app)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    layout_compute(cols, rows, app->focus, &app->layout);
    app->too_small = app->layout.too_small;
    free_window(&app->header);
    free_window(&app->status);
    if (!app->too_small) {
        app->header = make_window(app->layout.header);
        app->status = make_window(app->layout.status);
    }
    view_get(app->view)->relayout(app);
    app->full_redraw = true;
}

void app_set_focus(struct app *app, enum pane p)
{
    if ((unsigned)p >= PANE_COUNT)
        p = PANE_LIST;
    bool relayout = app->layout.one_pane && p != app->focus;
    app->focus = p;
    if (relayout)
        app_relayout(app);
    app->dirty_status = true;
}

void app_set_view(struct app *app, enum view_id id)
{
    if (id == app->view)
        return;
    view_get(app->view)->leave(app);
    app->view = id;
    view_get(id)->enter(app);
    app->full_redraw = true;
}

int app_set_theme(struct app *app, const char *name, char *err, size_t errlen)
{
    struct theme t;
    if (theme_load(name, &t, err, errlen) != 0)
        return -1;
    app->theme = t;
    app->have_theme = true;
    colors_apply(&app->theme);
    /* windows carry the old background: make them again, repaint it all */
    app_relayout(app);
    clearok(curscr, TRUE);
    return 0;
}

/* ---- the session start ---- */

static void start_done(struct app *app)
{
    if (--app->start_pending > 0)
        return;
    app->dirty_status = true;
}

static void on_me(struct crm_reply *reply, void *ud)
{
    struct app *app = ud;
    if (app->quit) {
        /* cancelled on the way out */
    } else if (reply->status == CRM_OK && reply->user) {
        model_user_clear(&app->me);
        app->me = *reply->user;
        app->me.display_name = xstrdup(reply->user->display_name);
        app->me.email = xstrdup(reply->user->email);
        app->me.role = xstrdup(reply->user->role);
        app->conn = CONN_READY;
        app->dirty_header = true;
        app_set_view(app, VIEW_CONTACTS);
    } else if (reply->status == CRM_ERR_NOT_FOUND) {
        /* No /users/me (a crm-server extension): a Freshsales account. The
         * user stays unknown; the server still decides what they may do. */
        model_user_clear(&app->me);
        app->conn = CONN_READY;
        app->dirty_header = true;
        app_set_view(app, VIEW_CONTACTS);
    } else {
        app->conn = CONN_FAILED;
        const char *what = crm_strerror(reply->status);
        switch (reply->status) {
        case CRM_ERR_AUTH:
            snprintf(app->conn_error, sizeof(app->conn_error),
                     "The server at %s refused the API key; check CRMTUI_API_KEY or the "
                     "config's api_key_file.",
                     app->url);
            break;
        case CRM_ERR_CONNECT:
        case CRM_ERR_TIMEOUT:
        case CRM_ERR_TLS:
            snprintf(app->conn_error, sizeof(app->conn_error), "Cannot connect to %s: %s.",
                     app->url, reply->message[0] ? reply->message : what);
            break;
        default:
            snprintf(app->conn_error, sizeof(app->conn_error), "The server at %s answered: %s.",
                     app->url, reply->message[0] ? reply->message : what);
            break;
        }
        if (app->view != VIEW_START)
            app_set_view(app, VIEW_START);
        app->full_redraw = true;
    }
    crm_reply_free(&reply);
    start_done(app);
}

static void on_capabilities(struct crm_reply *reply, void *ud)
{
    struct app *app = ud;
    if (reply->status == CRM_OK)
        app->capabilities = reply->capabilities;
    crm_reply_free(&reply);
    start_done(app);
}

static void free_owners(struct app *app)
{
    for (size_t i = 0; i < app->n_owners; i++)
        free(app->owners[i].name);
    free(app->owners);
    app->owners = NULL;
    app->n_owners = 0;
}

static void on_owners(struct crm_reply *reply, void *ud)
{
    struct app *app = ud;
    /* A 403 here is normal on some plans: user ids then show as numbers. */
    if (reply->status == CRM_OK) {
        free_owners(app);
        app->owners = xcalloc(reply->n_users ? reply->n_users : 1, sizeof(*app->owners));
        for (size_t i = 0; i < reply->n_users; i++) {
            const struct user *u = &reply->users[i];
            app->owners[i].id = u->id;
            app->owners[i].name = xstrdup(u->display_name ? u->display_name : u->email);
        }
        app->n_owners = reply->n_users;
        view_get(VIEW_CONTACTS)->data_changed(app);
    }
    crm_reply_free(&reply);
    start_done(app);
}

void app_connect(struct app *app)
{
    app->conn = CONN_CONNECTING;
    app->conn_error[0] = '\0';
    app->start_pending = 3;
    app->full_redraw = true;
    if (!api_users_me(app->client, on_me, app)) {
        app->conn = CONN_FAILED;
        snprintf(app->conn_error, sizeof(app->conn_error),
                 "The request to %s could not be started.", app->url);
        app->start_pending = 0;
        return;
    }
    if (!api_capabilities(app->client, on_capabilities, app))
        app->start_pending--;
    if (!api_owners(app->client, on_owners, app))
        app->start_pending--;
    /* the views in the same round trip: the first page follows the answers */
    store_load_views(app->store);
}

static void on_store(void *ud, enum store_event ev, int64_t first, int64_t last)
{
    struct app *app = ud;
    if (ev == STORE_ERROR) {
        const char *e = store_error(app->store);
        app_error(app, "%s", e ? e : "a request failed");
    }
    /* The contacts screen follows the store even while help covers it. */
    const struct view_ops *v = view_get(VIEW_CONTACTS);
    if (v->store_event)
        v->store_event(app, ev, first, last);
    app->dirty_header = true;
    app->dirty_status = true;
}

/* ---- drawing ---- */

static void draw_header(struct app *app)
{
    WINDOW *w = app->header;
    int cols = app->layout.header.w;
    char left[256], right[256] = "";
    if (app->conn == CONN_READY && app->me.id <= 0)
        snprintf(left, sizeof(left), "crmtui - %s", app->account);
    else if (app->conn == CONN_READY)
        snprintf(left, sizeof(left), "crmtui - %s - %s (%s)", app->account,
                 app->me.display_name ? app->me.display_name
                 : app->me.email      ? app->me.email
                                      : "?",
                 app->me.role ? app->me.role : "user");
    else
        snprintf(left, sizeof(left), "crmtui - %s", app->account);
    view_get(app->view)->title(app, right, sizeof(right));
    draw_fill(w, 0, 0, cols, UIC_HEADER);
    int rw = sanitize_width(right);
    int start = draw_text_right(w, 0, 0, cols - 1, right, UIC_HEADER);
    draw_text(w, 0, 1, (rw ? start - 3 : cols - 2), left, UIC_HEADER);
    wnoutrefresh(w);
}

static const struct hint *view_hints(const struct app *app, size_t *n)
{
    switch (app->view) {
    case VIEW_CONTACTS:
        *n = sizeof(hints_contacts) / sizeof(hints_contacts[0]);
        return hints_contacts;
    case VIEW_HELP:
        *n = sizeof(hints_help) / sizeof(hints_help[0]);
        return hints_help;
    default:
        *n = sizeof(hints_start) / sizeof(hints_start[0]);
        return hints_start;
    }
}

/* The first key of action in the screen's contexts, brackets dropped. */
static void hint_key(const struct app *app, enum action a, char *buf, size_t len)
{
    const struct view_ops *v = view_get(app->view);
    buf[0] = '\0';
    for (size_t i = 0; i < v->n_contexts && !buf[0]; i++)
        keymap_keys_for(app->keymap, v->contexts[i], a, buf, len);
    buf[strcspn(buf, " ")] = '\0';
    size_t n = strlen(buf);
    if (n > 2 && buf[0] == '<' && buf[n - 1] == '>') {
        memmove(buf, buf + 1, n - 2);
        buf[n - 2] = '\0';
    }
}

/* Draws the prompt; returns the cursor's column. */
static int draw_prompt(struct app *app)
{
    WINDOW *w = app->status;
    int cols = app->layout.status.w;
    const struct cmdline *cl = app->prompt == PROMPT_COMMAND ? &app->cmd : &app->search;
    const char *label = app->prompt == PROMPT_COMMAND ? ":" : "search: ";
    draw_fill(w, 0, 0, cols, UIC_PROMPT);
    int lw = draw_text(w, 0, 0, cols, label, UIC_PROMPT);
    int avail = cols - lw - 1;
    const char *text = cmdline_text(cl);
    char before[CMDLINE_MAX];
    memcpy(before, text, cl->cur);
    before[cl->cur] = '\0';
    /* Long lines scroll: drop characters from the left until the cursor fits. */
    size_t skip = 0;
    while (sanitize_width(before + skip) >= avail && before[skip]) {
        skip++;
        while (((unsigned char)before[skip] & 0xC0) == 0x80)
            skip++;
    }
    draw_text(w, 0, lw, avail, text + skip, UIC_PROMPT);
    return lw + sanitize_width(before + skip);
}

static void draw_status(struct app *app)
{
    WINDOW *w = app->status;
    int cols = app->layout.status.w;
    draw_fill(w, 0, 0, cols, UIC_STATUS);

    char right[400] = "";
    if (app->spinner_shown) {
        static const char frames[] = "-\\|/";
        char busy[128] = "";
        view_get(app->view)->busy(app, busy, sizeof(busy));
        snprintf(right, sizeof(right), "%c %s", frames[app->spinner % 4],
                 busy[0] ? busy : "working");
    }
    int rw = sanitize_width(right);
    int mw = sanitize_width(app->message);
    int x_msg = cols - 1 - mw - (rw ? rw + 2 : 0);
    if (x_msg < 1)
        x_msg = 1;

    size_t nh;
    const struct hint *h = view_hints(app, &nh);
    int x = 1;
    for (size_t i = 0; i < nh; i++) {
        char key[32], item[64];
        hint_key(app, h[i].action, key, sizeof(key));
        if (!key[0])
            continue;
        snprintf(item, sizeof(item), "%s %s", key, h[i].word);
        int iw = sanitize_width(item);
        if (x + iw > (app->message[0] ? x_msg - 2 : cols - rw - 3))
            break;
        draw_text(w, 0, x, iw, item, UIC_STATUS);
        x += iw + 2;
    }
    if (app->message[0])
        draw_text(w, 0, x_msg, cols - x_msg - (rw ? rw + 2 : 0) - 1, app->message,
                  app->message_error ? UIC_STATUS_ERROR : UIC_STATUS);
    if (rw)
        draw_text_right(w, 0, 0, cols - 1, right, UIC_STATUS_BUSY);
}

static void draw_too_small(struct app *app)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    werase(stdscr);
    const char *msg = "terminal too small";
    char need[64];
    snprintf(need, sizeof(need), "need %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
    int y = rows / 2 - 1 > 0 ? rows / 2 - 1 : 0;
    draw_text(stdscr, y, 0, cols, msg, UIC_NOTICE);
    if (y + 1 < rows)
        draw_text(stdscr, y + 1, 0, cols, need, UIC_DEFAULT);
    if (y + 2 < rows)
        draw_text(stdscr, y + 2, 0, cols, "q quits", UIC_DEFAULT);
    wmove(stdscr, y, 0);
    wnoutrefresh(stdscr);
    (void)app;
}

static void app_draw(struct app *app)
{
    if (app->too_small) {
        if (app->full_redraw)
            draw_too_small(app);
        app->full_redraw = false;
        doupdate();
        keytimes_frame(false);
        return;
    }
    bool full = app->full_redraw;
    const struct view_ops *v = view_get(app->view);
    if (full || app->dirty_header)
        draw_header(app);
    v->draw(app, full);
    bool box_cursor = dialog_draw(app);
    int cursor_x = -1;
    if (full || app->dirty_status) {
        if (app->prompt != PROMPT_NONE)
            cursor_x = draw_prompt(app);
        else
            draw_status(app);
        wnoutrefresh(app->status);
    } else if (app->prompt != PROMPT_NONE) {
        cursor_x = draw_prompt(app);
    }
    /* the hardware cursor: on the prompt, else where the screen says */
    if (app->prompt != PROMPT_NONE) {
        curs_set(1);
        wmove(app->status, 0, cursor_x);
        wnoutrefresh(app->status);
    } else if (!box_cursor) {
        v->cursor(app);
    }
    doupdate();
    keytimes_frame(app->view == VIEW_CONTACTS && store_total(app->store) > 0);
    app->full_redraw = app->dirty_header = app->dirty_status = false;
}

/* ---- commands and keys ---- */

static void open_help(struct app *app)
{
    if (app->view == VIEW_HELP)
        return;
    app->view_before_help = app->view;
    app_set_view(app, VIEW_HELP);
}

static void close_help(struct app *app)
{
    if (app->view == VIEW_HELP)
        app_set_view(app, app->view_before_help);
}

static void command_theme(struct app *app, const char *arg)
{
    char name[THEME_NAME_MAX];
    snprintf(name, sizeof(name), "%s", arg);
    name[strcspn(name, " \t")] = '\0';
    if (!name[0]) {
        char list[512];
        theme_list(list, sizeof(list));
        app_message(app, "themes: %s (now: %s)", list[0] ? list : "none found",
                    app->have_theme ? app->theme.name : "built-in mono");
        return;
    }
    char err[300];
    if (app_set_theme(app, name, err, sizeof(err)) != 0)
        app_warn(app, "%s", err);
    else
        app_message(app, "theme %s", name);
}

/* The screen a command opens, or VIEW_COUNT. */
static enum view_id view_opened_by(enum command c)
{
    for (int i = 0; c != CMD_NONE && i < VIEW_COUNT; i++)
        if (view_get((enum view_id)i)->opened_by == c)
            return (enum view_id)i;
    return VIEW_COUNT;
}

static void run_command(struct app *app, const char *line)
{
    const char *arg;
    enum command c = actions_parse_command(line, &arg);
    for (size_t i = 0; i < sizeof(missing_screens) / sizeof(missing_screens[0]); i++) {
        if (missing_screens[i].cmd == c && view_opened_by(c) == VIEW_COUNT) {
            app_message(app, "the %s screen is not available yet", missing_screens[i].title);
            return;
        }
    }
    switch (c) {
    case CMD_NONE: {
        char word[64];
        snprintf(word, sizeof(word), "%s", line + strspn(line, " \t"));
        word[strcspn(word, " \t")] = '\0';
        if (word[0])
            app_warn(app, "unknown command \"%s\"; ? lists the commands", word);
        return;
    }
    case CMD_QUIT:
        app->quit = true;
        return;
    case CMD_HELP:
        open_help(app);
        return;
    case CMD_THEME:
        command_theme(app, arg);
        return;
    case CMD_MASK:
        reveal_toggle_mask(app);
        return;
    default:
        break;
    }
    if (app->conn != CONN_READY) {
        app_warn(app, "not connected yet");
        return;
    }
    close_help(app);
    if (view_opened_by(c) != VIEW_COUNT) {
        app_set_view(app, view_opened_by(c));
        return;
    }
    if (app->view != VIEW_CONTACTS) {
        const struct view_ops *cur = view_get(app->view);
        if (cur->command && cur->command(app, c, arg))
            return;
        app_set_view(app, VIEW_CONTACTS);
    }
    const struct view_ops *v = view_get(VIEW_CONTACTS);
    if (c == CMD_CONTACTS)
        return;
    if (!v->command || !v->command(app, c, arg))
        app_warn(app, ":%s does nothing here", actions_command_name(c));
}

void app_prompt_open(struct app *app, enum app_prompt kind)
{
    app->prompt = kind;
    cmdline_start(kind == PROMPT_COMMAND ? &app->cmd : &app->search);
    app->dirty_status = true;
}

static void prompt_key(struct app *app, int key)
{
    struct cmdline *cl = app->prompt == PROMPT_COMMAND ? &app->cmd : &app->search;
    enum action a;
    app->dirty_status = true;
    if (keymap_lookup(app->keymap, CTX_PROMPT, key, &a)) {
        enum cmdline_result r = cmdline_action(cl, a);
        if (r == CMDLINE_CANCEL) {
            app->prompt = PROMPT_NONE;
        } else if (r == CMDLINE_ACCEPT) {
            char line[CMDLINE_MAX];
            enum app_prompt kind = app->prompt;
            snprintf(line, sizeof(line), "%s", cmdline_text(cl));
            cmdline_remember(cl, line);
            app->prompt = PROMPT_NONE;
            if (kind == PROMPT_COMMAND)
                run_command(app, line);
            else if (line[strspn(line, " ")] && app->conn == CONN_READY)
                view_get(VIEW_CONTACTS)->command(app, CMD_SEARCH, line);
        }
        return;
    }
    char utf8[4];
    size_t n = keymap_utf8(key, utf8);
    if (n == 0 || key < 0x20)
        return;
    /* Only characters the sanitizer leaves alone: no controls, no bidi. */
    char *clean = sanitize_str(utf8, n, 0);
    if (strlen(clean) == n && memcmp(clean, utf8, n) == 0)
        cmdline_insert(cl, utf8, n);
    free(clean);
}

static void app_action(struct app *app, enum action a)
{
    switch (a) {
    case ACT_QUIT:
        app->quit = true;
        break;
    case ACT_HELP:
        if (app->view == VIEW_HELP)
            close_help(app);
        else
            open_help(app);
        break;
    case ACT_COMMAND:
        app_prompt_open(app, PROMPT_COMMAND);
        break;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        app->full_redraw = true;
        break;
    case ACT_BACK:
        if (crm_client_pending(app->client) > 0 && app->conn == CONN_READY) {
            crm_client_cancel_all(app->client);
            app_message(app, "cancelled");
        } else {
            app_clear_error(app);
        }
        break;
    default: {
        app_message(app, "%s is not available here", actions_name(a));
        break;
    }
    }
}

static void handle_key(struct app *app, int key)
{
    if (app->too_small) {
        const enum keyctx g = CTX_GLOBAL;
        if (keymap_resolve(app->keymap, &g, 1, key) == ACT_QUIT)
            app->quit = true;
        return;
    }
    if (app->prompt != PROMPT_NONE) {
        prompt_key(app, key);
        return;
    }
    if (app->message[0] && !app->message_sticky) {
        app->message[0] = '\0';
        app->dirty_status = true;
    }
    if (dialog_key(app, key))
        return;
    const struct view_ops *v = view_get(app->view);
    enum action a = keymap_resolve(app->keymap, v->contexts, v->n_contexts, key);
    if (a == ACT_NONE) {
        char name[32];
        keymap_key_name(key, name, sizeof(name));
        app_message(app, "%s does nothing here; ? shows the keys", name);
        return;
    }
    if (!v->handle(app, a))
        app_action(app, a);
}

static void read_keys(struct app *app)
{
    wint_t wch;
    int rc;
    while (!app->quit && (rc = wget_wch(stdscr, &wch)) != ERR) {
        if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
            app_relayout(app);
            continue;
        }
        if (rc == KEY_CODE_YES && wch == KEY_MOUSE)
            continue;
        int key = keymap_from_curses(rc, (unsigned)wch);
        keytimes_key(key);
        handle_key(app, key);
    }
}

/* ---- the loop ---- */

static void account_from_url(struct app *app)
{
    if (app->cfg->profile && app->cfg->profile[0]) {
        snprintf(app->account, sizeof(app->account), "%s", app->cfg->profile);
        return;
    }
    const char *p = strstr(app->url, "://");
    p = p ? p + 3 : app->url;
    size_t n = strcspn(p, "/");
    char host[128];
    snprintf(host, sizeof(host), "%.*s", (int)(n < sizeof(host) ? n : sizeof(host) - 1), p);
    /* acme.myfreshworks.com and acme.freshsales.io name the account "acme" */
    char *dot = strchr(host, '.');
    if (dot && (strstr(host, ".myfreshworks.com") || strstr(host, ".freshsales.io")))
        *dot = '\0';
    char *clean = sanitize_str(host, strlen(host), sizeof(app->account) - 1);
    snprintf(app->account, sizeof(app->account), "%s", clean);
    free(clean);
}

/* The spinner shows while requests are in flight, from SPINNER_DELAY on. */
static void update_spinner(struct app *app, long long now)
{
    bool busy = crm_client_pending(app->client) > 0 || app->start_pending > 0;
    if (!busy) {
        app->busy_since = 0;
        if (app->spinner_shown) {
            app->spinner_shown = false;
            app->dirty_status = true;
        }
        return;
    }
    if (!app->busy_since)
        app->busy_since = now;
    if (now - app->busy_since >= SPINNER_DELAY && now - app->spinner_at >= SPINNER_MS) {
        app->spinner++;
        app->spinner_at = now;
        app->spinner_shown = true;
        app->dirty_status = true;
    }
}

int app_run(struct app *app)
{
    char err[256];
    if (term_start(app->cfg->escdelay, err, sizeof(err)) != 0) {
        fprintf(stderr, "crmtui: %s\n", err);
        return 1;
    }
    keytimes_open();
    colors_init();
    colors_apply(app->have_theme ? &app->theme : NULL);
    /* stdscr is read from but never drawn on (but for "too small"): refresh
     * it now so reading keys never repaints it over the windows */
    wnoutrefresh(stdscr);
    account_from_url(app);
    cmdline_init(&app->cmd);
    cmdline_init(&app->search);
    app->store =
        store_new(app->client, app->cfg->per_page > 0 ? app->cfg->per_page : 40, STORE_PAGES);
    store_observe(app->store, on_store, app);
    app->view = VIEW_START;
    app->view_before_help = VIEW_CONTACTS;
    app->focus = PANE_LIST;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    layout_compute(cols, rows, app->focus, &app->layout);
    app->too_small = app->layout.too_small;
    if (!app->too_small) {
        app->header = make_window(app->layout.header);
        app->status = make_window(app->layout.status);
    }
    view_get(VIEW_START)->enter(app);
    app->full_redraw = true;
    app_connect(app);
    update_spinner(app, app_now_ms());

    while (!app->quit) {
        app_draw(app);
        long long now = app_now_ms();
        int timeout = -1;
        if (app->busy_since) {
            long long next =
                app->spinner_shown ? app->spinner_at + SPINNER_MS : app->busy_since + SPINNER_DELAY;
            timeout = next > now ? (int)(next - now) : 0;
        }
        const struct view_ops *v = view_get(app->view);
        int t = v->tick ? v->tick(app, now) : -1;
        if (t >= 0 && (timeout < 0 || t < timeout))
            timeout = t;
        int mt = (int)mask_reveal_left_ms(); /* a reveal hides on time */
        if (mt >= 0 && (timeout < 0 || mt < timeout))
            timeout = mt;
        crm_client_wait(app->client, STDIN_FILENO, timeout);
        read_keys(app);
        if (app->quit)
            break;
        crm_client_dispatch(app->client);
        update_spinner(app, app_now_ms());
        if (mask_reveal_ended())
            app->full_redraw = true;
    }

    dialog_close_all(app);
    view_get(app->view)->leave(app);
    free_window(&app->header);
    free_window(&app->status);
    store_free(&app->store);
    term_stop();
    keytimes_close(crm_client_connections(app->client));
    cmdline_free(&app->cmd);
    cmdline_free(&app->search);
    free_owners(app);
    model_user_clear(&app->me);
    return 0;
}
