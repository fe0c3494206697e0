/* The Users screen (admin): each user with role, active state and the two
 * permissions, and Delete user: deactivate, choose who receives the contacts,
 * type the email to confirm, then the result with each processor's notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_comms.h"
#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/mask.h"
#include "tui/textrows.h"
#include "tui/xalloc.h"

/* At most this many users are offered to receive the contacts (keys 1-9). */
#define TRANSFER_CHOICES 9

static struct users {
    WINDOW *win;
    struct trows rows;
    bool dirty;
    long sel, top;

    struct user *users;
    size_t n_users;
    bool loading;
    char failed[320];
    struct crm_req *req;

    /* the Delete user flow, about one user */
    int64_t target_id;
    char target_name[128], target_email[256], shown_email[256];
    int64_t choices[TRANSFER_CHOICES]; /* who may receive the contacts */
    size_t n_choices;
    int64_t transfer_to; /* 0: unassigned */
    char transfer_name[128];
    void *busy; /* the busy box while a request runs */
    struct user_deletion result;
} us;

/* A user's email as drawn: its mask in masked mode (staff are people too; no
 * reveal here, :mask shows them), else as it is. */
static void shown_email(const char *email, char *out, size_t len)
{
    if (mask_enabled())
        mask_format(MASK_EMAIL, email, out, len);
    else
        draw_copy(out, len, email ? email : "");
}

static bool offered(const struct app *app)
{
    /* the list needs only GET /users; deleting needs the users_admin extension */
    return (app->capabilities & (1u << CAP_USERS_ADMIN)) != 0;
}

static const struct user *find_user(int64_t id)
{
    for (size_t i = 0; i < us.n_users; i++)
        if (us.users[i].id == id)
            return &us.users[i];
    return NULL;
}

static const char *user_label(const struct user *u)
{
    if (u->display_name && u->display_name[0])
        return u->display_name;
    return u->email ? u->email : "?";
}

static void free_users(void)
{
    for (size_t i = 0; i < us.n_users; i++)
        model_user_clear(&us.users[i]);
    free(us.users);
    us.users = NULL;
    us.n_users = 0;
}

/* ---- the rows ---- */

static void add_line(const char *text, enum uic c)
{
    trows_wrap(&us.rows, 1, text, c);
}

static void build_list(void)
{
    char line[512];
    if (us.n_users == 0) {
        add_line(us.loading     ? "loading..."
                 : us.failed[0] ? us.failed
                                : "No users.",
                 UIC_DETAIL_EMPTY);
        return;
    }
    struct trow *h = trows_add(&us.rows);
    trows_seg(h, 1, "Name", 4, UIC_PANE_TITLE);
    trows_seg(h, 24, "Email", 5, UIC_PANE_TITLE);
    trows_seg(h, 56, "Role  State     Export  Forget", 30, UIC_PANE_TITLE);
    for (size_t i = 0; i < us.n_users; i++) {
        const struct user *u = &us.users[i];
        enum uic c = (long)i == us.sel ? UIC_LIST_SELECTED : UIC_LIST_ROW;
        struct trow *r = trows_add(&us.rows);
        char name[22], email[31];
        r->fill = c;
        draw_copy(name, sizeof name, user_label(u));
        shown_email(u->email, email, sizeof email);
        trows_seg(r, 1, name, strlen(name), c);
        trows_seg(r, 24, email, strlen(email), c);
        snprintf(line, sizeof line, "%-5s %-9s %-7s %s", u->role ? u->role : "?",
                 u->is_active ? "active" : "inactive", u->perm_export_reports ? "yes" : "no",
                 u->perm_forget_records ? "yes" : "no");
        trows_seg(r, 56, line, strlen(line), c);
    }
    trows_add(&us.rows);
    add_line(". actions on the selected user (Delete user)", UIC_DETAIL_EMPTY);
}

static void rebuild(struct app *app)
{
    char why[128];
    trows_clear(&us.rows);
    us.rows.width = app->layout.body.w;
    if (!view_offered(app, 1u << CAP_USERS_ADMIN, "The Users screen", why, sizeof why))
        add_line(why, UIC_NOTICE);
    else if (!view_is_admin(app))
        add_line("This screen is for admins.", UIC_NOTICE);
    else
        build_list();
    us.dirty = true;
}

/* ---- requests ---- */

static void on_users(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    us.req = NULL;
    us.loading = false;
    if (r->status == CRM_OK) {
        free_users();
        us.users = r->users;
        us.n_users = r->n_users;
        r->users = NULL;
        r->n_users = 0;
        us.failed[0] = '\0';
        if (us.sel >= (long)us.n_users)
            us.sel = us.n_users ? (long)us.n_users - 1 : 0;
    } else {
        snprintf(us.failed, sizeof us.failed, "Not loaded: %s. R reloads.", r->message);
        app_error(app, "users: %s", r->message);
    }
    crm_reply_free(&r);
    rebuild(app);
    app->dirty_header = true;
}

static void load(struct app *app)
{
    if (!offered(app) || !view_is_admin(app) || us.req)
        return;
    us.loading = true;
    us.req = api_users(app->client, on_users, app);
    if (!us.req)
        us.loading = false;
    rebuild(app);
}

/* ---- Delete user ---- */

static void show_result(struct app *app);

static void nothing_changed(struct app *app)
{
    app_message(app, "cancelled; nothing changed");
}

static void cancel_request(struct app *app, void *ud)
{
    (void)ud;
    if (us.req)
        crm_req_cancel(app->client, us.req); /* its callback says what became of it */
}

/* req, just sent, is the request in flight: the busy box (text) shows while
 * it runs. False, the error said, when it could not be sent. */
static bool await_reply(struct app *app, struct crm_req *req, const char *text)
{
    us.req = req;
    if (!req) {
        app_error(app, "the request could not be sent");
        return false;
    }
    us.busy = dialog_busy(app, "Delete user", text, cancel_request, NULL);
    return true;
}

static void close_busy(struct app *app)
{
    if (us.busy && dialog_is_open(us.busy))
        dialog_close(app, us.busy);
    us.busy = NULL;
}

/* A step of Delete user that did not happen: cancelled (the users may have
 * changed meanwhile) or refused, as "<name> was not <what>: <why>". */
static void say_not_done(struct app *app, const struct crm_reply *r, const char *what)
{
    char text[700];
    if (r->status == CRM_ERR_CANCELLED) {
        app_message(app, "cancelled before the server answered; R shows the users as they are");
        return;
    }
    snprintf(text, sizeof text, "%s was not %s: %s", us.target_name, what, r->message);
    dialog_message(app, "Delete user", text, true, NULL, NULL);
}

static void on_deleted(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    char err[160];
    us.req = NULL;
    close_busy(app);
    if (r->status == CRM_OK) {
        comms_json_deletion_clear(&us.result);
        if (comms_json_deletion(r->raw, r->raw_len, &us.result, err, sizeof err) != CRM_OK) {
            us.result.records_transferred = -1;
            app_error(app, "deleted, but the answer could not be read: %s", err);
        }
        show_result(app);
        load(app);
    } else {
        say_not_done(app, r, "deleted");
    }
    crm_reply_free(&r);
}

static void on_typed(struct app *app, bool confirmed, void *ud)
{
    (void)ud;
    if (!confirmed) {
        nothing_changed(app);
        return;
    }
    await_reply(app,
                api_comms_user_delete(app->client, us.target_id, us.transfer_to, on_deleted, app),
                "deleting...");
}

static void on_transfer(struct app *app, int key, void *ud)
{
    char text[700];
    (void)ud;
    if (key == 0) {
        nothing_changed(app);
        return;
    }
    us.transfer_to = 0;
    snprintf(us.transfer_name, sizeof us.transfer_name, "nobody (unassigned)");
    if (key >= '1' && key < '1' + (int)us.n_choices) {
        const struct user *u = find_user(us.choices[key - '1']);
        us.transfer_to = us.choices[key - '1'];
        draw_copy(us.transfer_name, sizeof us.transfer_name, u ? user_label(u) : "?");
    }
    snprintf(text, sizeof text,
             "Delete %s for good. Their contacts go to %s. Their name, email and key are "
             "erased, and every processor gets an erasure notice.\nType their email (%s) to "
             "confirm:",
             us.target_name, us.transfer_name, us.shown_email);
    dialog_typed(app, "Delete user", text, us.target_email, on_typed, NULL);
}

static void ask_transfer(struct app *app)
{
    struct dialog_choice ch[TRANSFER_CHOICES + 1];
    char labels[TRANSFER_CHOICES][140];
    size_t n = 0;

    us.n_choices = 0;
    for (size_t i = 0; i < us.n_users && us.n_choices < TRANSFER_CHOICES; i++) {
        const struct user *u = &us.users[i];
        if (u->id == us.target_id || !u->is_active)
            continue;
        draw_copy(labels[us.n_choices], sizeof labels[0], user_label(u));
        ch[n].key = '1' + (int)us.n_choices;
        ch[n].label = labels[us.n_choices];
        us.choices[us.n_choices++] = u->id;
        n++;
    }
    ch[n].key = 'n';
    ch[n].label = "nobody: leave them unassigned";
    n++;
    dialog_choose(app, "Delete user", "Who receives their contacts?", ch, n, on_transfer, NULL);
}

static void on_deactivated(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    us.req = NULL;
    close_busy(app);
    if (r->status == CRM_OK) {
        for (size_t i = 0; i < us.n_users; i++)
            if (us.users[i].id == us.target_id)
                us.users[i].is_active = false;
        rebuild(app);
        app_message(app, "%s deactivated", us.target_name);
        ask_transfer(app);
    } else {
        say_not_done(app, r, "deactivated");
    }
    crm_reply_free(&r);
}

static void on_deactivate_choice(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'd') {
        nothing_changed(app);
        return;
    }
    await_reply(app,
                api_comms_user_set_active(app->client, us.target_id, false, on_deactivated, app),
                "deactivating...");
}

static void start_delete(struct app *app)
{
    const struct user *u = find_user(us.target_id);
    if (!u)
        return;
    if (u->id == app->me.id) {
        app_warn(app, "you cannot delete yourself");
        return;
    }
    if (u->is_active) {
        static const struct dialog_choice ch[] = {{'d', "deactivate now and go on"}};
        char text[700];
        snprintf(text, sizeof text,
                 "%s is active. Only an inactive user can be deleted: they can no longer sign "
                 "in once deactivated.",
                 us.target_name);
        dialog_choose(app, "Delete user", text, ch, 1, on_deactivate_choice, NULL);
        return;
    }
    ask_transfer(app);
}

static void on_menu(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key == 'D')
        start_delete(app);
}

static void open_menu(struct app *app)
{
    static const struct dialog_choice ch[] = {{'D', "Delete user..."}};
    char text[700];
    if (us.sel < 0 || (size_t)us.sel >= us.n_users)
        return;
    const struct user *u = &us.users[us.sel];
    us.target_id = u->id;
    draw_copy(us.target_name, sizeof us.target_name, user_label(u));
    draw_copy(us.target_email, sizeof us.target_email, u->email ? u->email : "");
    shown_email(u->email, us.shown_email, sizeof us.shown_email);
    snprintf(text, sizeof text, "%s <%s>", us.target_name, us.shown_email);
    dialog_choose(app, "User actions", text, ch, 1, on_menu, NULL);
}

/* ---- the result, and the notices checked again ---- */

static void on_processors(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    struct processor *p = NULL;
    size_t n = 0;
    char err[160] = "";
    us.req = NULL;
    close_busy(app);
    if (r->status == CRM_OK &&
        comms_json_processors(r->raw, r->raw_len, &p, &n, err, sizeof err) == CRM_OK) {
        for (size_t i = 0; i < us.result.n_processors; i++) {
            struct processor *mine = &us.result.processors[i];
            for (size_t j = 0; j < n; j++) {
                if (!mine->name || !p[j].name || strcmp(mine->name, p[j].name) != 0 || !p[j].status)
                    continue;
                free(mine->status);
                mine->status = xstrdup(p[j].status);
            }
        }
        app_message(app, "notices checked again");
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "notices not checked: %s", r->status == CRM_OK ? err : r->message);
    }
    comms_json_processors_free(p, n);
    crm_reply_free(&r);
    show_result(app);
}

static void on_result_key(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'r')
        return;
    if (!await_reply(app, api_comms_processors(app->client, on_processors, app),
                     "checking the notices..."))
        show_result(app);
}

static void show_result(struct app *app)
{
    static const struct dialog_choice ch[] = {{'r', "check the notices again"}, {'c', "close"}};
    char text[2048];
    size_t off = 0;

    off +=
        (size_t)snprintf(text, sizeof text, "%s deleted.\nRecords transferred: ", us.target_name);
    if (us.result.records_transferred >= 0)
        off +=
            (size_t)snprintf(text + off, sizeof text - off, "%ld", us.result.records_transferred);
    else
        off += (size_t)snprintf(text + off, sizeof text - off, "not reported");
    off += (size_t)snprintf(text + off, sizeof text - off,
                            " (to %s)\nErasure notices:", us.transfer_name);
    if (us.result.n_processors == 0 && off < sizeof text)
        off += (size_t)snprintf(text + off, sizeof text - off, " no processor configured");
    for (size_t i = 0; i < us.result.n_processors && off < sizeof text; i++) {
        const struct processor *p = &us.result.processors[i];
        off += (size_t)snprintf(text + off, sizeof text - off, "\n  %s: %s",
                                p->name ? p->name : "?", p->status ? p->status : "unknown");
    }
    dialog_choose(app, "User deleted", text, ch, sizeof ch / sizeof ch[0], on_result_key, NULL);
}

/* ---- the view ---- */

static void users_relayout(struct app *app)
{
    if (!view_body_make(&us.win, app))
        return;
    if (us.win)
        wbkgdset(us.win, (chtype)(' ' | colors_attr(UIC_DEFAULT)));
    rebuild(app);
}

static void users_enter(struct app *app)
{
    us.top = 0;
    users_relayout(app);
    load(app);
}

static void users_leave(struct app *app)
{
    if (us.req) {
        crm_req_cancel(app->client, us.req);
        us.req = NULL;
    }
    comms_json_deletion_clear(&us.result);
    view_body_free(&us.win);
    trows_clear(&us.rows);
}

static void users_draw(struct app *app, bool full)
{
    if (!us.win || !(full || us.dirty))
        return;
    int h = app->layout.body.h;
    /* keep the selected row (row sel+1: the heading comes first) in sight */
    us.top = layout_scroll_top(us.top, us.sel + 1, h, (long)us.rows.n);
    trows_draw(&us.rows, us.win, 0, h, us.top, app->layout.body.w);
    wnoutrefresh(us.win);
    us.dirty = false;
}

static void move_sel(struct app *app, long to)
{
    if (us.n_users == 0)
        return;
    if (to < 0)
        to = 0;
    if (to >= (long)us.n_users)
        to = (long)us.n_users - 1;
    if (to != us.sel) {
        us.sel = to;
        rebuild(app);
        app->dirty_header = true;
    }
}

static bool users_handle(struct app *app, enum action a)
{
    switch (a) {
    case ACT_MOVE_DOWN:
        move_sel(app, us.sel + 1);
        return true;
    case ACT_MOVE_UP:
        move_sel(app, us.sel - 1);
        return true;
    case ACT_FIRST:
        move_sel(app, 0);
        return true;
    case ACT_LAST:
        move_sel(app, (long)us.n_users - 1);
        return true;
    case ACT_USER_ACTIONS:
        if (!view_is_admin(app)) {
            app_warn(app, "this screen is for admins");
            return true;
        }
        if (!offered(app)) {
            app_warn(app, "Delete user: not offered by this server");
            return true;
        }
        open_menu(app);
        return true;
    case ACT_ADM_RELOAD:
        load(app);
        return true;
    case ACT_BACK:
        return view_back_to_contacts(app);
    default:
        return false;
    }
}

static void users_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    if (us.n_users)
        snprintf(buf, len, "Users  %ld of %zu", us.sel + 1, us.n_users);
    else
        snprintf(buf, len, "Users");
}

static void users_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "%s", us.loading ? "users" : us.req ? "working" : "");
}

static void users_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(us.win);
}

static void users_data_changed(struct app *app)
{
    rebuild(app);
}

const struct view_ops view_users_ops = {
    .name = "users",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = users_enter,
    .leave = users_leave,
    .relayout = users_relayout,
    .draw = users_draw,
    .handle = users_handle,
    .command = NULL,
    .store_event = NULL,
    .data_changed = users_data_changed,
    .tick = NULL,
    .title = users_title,
    .busy = users_busy,
    .cursor = users_cursor,
    .opened_by = CMD_USERS,
};
