/* The audit log screen (`:audit`, admins): time, actor, action, reference
 * and counts of each entry, newest first as the server sends them. */
#include <stdio.h>

#include "core/api_admin.h"
#include "tui/app.h"
#include "tui/draw.h"

static struct {
    WINDOW *body;
    struct admin_reply *data;
    struct crm_req *req;
    char error[256];
    long sel, top;
} au;

static void audit_relayout(struct app *app)
{
    view_body_make(&au.body, app);
}

static void audit_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    au.req = NULL;
    if (r->status != CRM_OK) {
        snprintf(au.error, sizeof au.error, "%s", r->message);
        if (r->status != CRM_ERR_CANCELLED)
            app_error(app, "audit log: %s", r->message);
        admin_reply_free(&r);
    } else {
        admin_reply_free(&au.data);
        au.data = r;
        au.error[0] = '\0';
        au.sel = au.top = 0;
    }
    app->full_redraw = true;
    app->dirty_header = true;
}

static void audit_load(struct app *app)
{
    if (au.req)
        return;
    au.req = api_admin_audit(app->client, audit_loaded, app);
    if (!au.req)
        snprintf(au.error, sizeof au.error, "the audit log could not be requested");
}

static void audit_enter(struct app *app)
{
    audit_relayout(app);
    au.error[0] = '\0';
    if (!view_offered(app, 1u << CAP_AUDIT, "The audit log", au.error, sizeof au.error))
        return;
    if (!view_is_admin(app)) {
        snprintf(au.error, sizeof au.error, "The audit log is for admins only.");
        return;
    }
    audit_load(app);
}

static void audit_leave(struct app *app)
{
    if (au.req)
        crm_req_cancel(app->client, au.req);
    au.req = NULL;
    admin_reply_free(&au.data);
    view_body_free(&au.body);
}

static void audit_draw(struct app *app, bool full)
{
    (void)full;
    int h = app->layout.body.h, w = app->layout.body.w;
    char line[512];

    if (!au.body)
        return;
    view_body_clear(au.body, app);
    snprintf(line, sizeof line, "%-20s  %-12s  %-16s  %-14s  %s", "Time", "Actor", "Action",
             "Reference", "Counts");
    draw_cell(au.body, 0, 0, w, line, UIC_PANE_TITLE_FOCUS);
    if (au.error[0]) {
        draw_text(au.body, 2, 1, w - 2, au.error, UIC_NOTICE);
    } else if (!au.data) {
        draw_text(au.body, 2, 1, w - 2, "loading the audit log ...", UIC_LIST_LOADING);
    } else if (au.data->n_audit == 0) {
        draw_text(au.body, 2, 1, w - 2, "The audit log is empty.", UIC_DETAIL_EMPTY);
    } else {
        int rows = h - 1;
        au.top = view_list_top(au.top, au.sel, rows);
        for (int y = 0; y < rows && au.top + y < (long)au.data->n_audit; y++) {
            const struct admin_audit *a = &au.data->audit[au.top + y];
            const char *actor = a->actor_user_id ? app_user_name(app, a->actor_user_id) : "system";
            char who[32];
            if (!actor) {
                snprintf(who, sizeof who, "user %lld", (long long)a->actor_user_id);
                actor = who;
            }
            snprintf(line, sizeof line, "%-20.20s  %-12.12s  %-16.16s  %-14.14s  %s",
                     a->at ? a->at : "-", actor, a->action ? a->action : "-",
                     a->subject_ref ? a->subject_ref : "-", a->counts ? a->counts : "");
            draw_cell(au.body, 1 + y, 0, w, line,
                      au.top + y == au.sel ? UIC_LIST_SELECTED : UIC_LIST_ROW);
        }
    }
    wnoutrefresh(au.body);
}

static bool audit_handle(struct app *app, enum action a)
{
    long n = au.data ? (long)au.data->n_audit : 0;
    long page = app->layout.body.h > 2 ? app->layout.body.h - 2 : 1;

    switch (a) {
    case ACT_ADM_RELOAD:
        audit_load(app);
        break;
    case ACT_BACK:
        return view_back_to_contacts(app);
    default:
        if (!view_list_move(&au.sel, n, page, a))
            return false;
        break;
    }
    app->full_redraw = true;
    return true;
}

static void audit_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    if (au.data)
        snprintf(buf, len, "Audit log  %zu %s", au.data->n_audit,
                 au.data->n_audit == 1 ? "entry" : "entries");
    else
        snprintf(buf, len, "Audit log");
}

static void audit_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "%s", au.req ? "loading the audit log" : "");
}

static void audit_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(au.body);
}

const struct view_ops view_audit_ops = {
    .name = "audit",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = audit_enter,
    .leave = audit_leave,
    .relayout = audit_relayout,
    .draw = audit_draw,
    .handle = audit_handle,
    .data_changed = view_full_redraw,
    .title = audit_title,
    .busy = audit_busy,
    .cursor = audit_cursor,
    .opened_by = CMD_AUDIT,
};
