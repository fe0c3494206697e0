/* The account screen (`:account`, admins): the account's state, Export all
 * data (NDJSON to a file, with progress; Esc cancels and removes the partial
 * file), Cancel account (what happens and when, typed account name) and
 * Restore before the purge dates. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/api_admin.h"
#include "core/export.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"

static struct {
    WINDOW *body;
    struct admin_reply *acct;
    struct crm_req *req, *act;
    struct admin_export *exp;
    long long exp_started;
    char error[256];
    char last_export[CMDLINE_MAX + 100];
    char path[CMDLINE_MAX + 64]; /* the export's file */
} ac;

static void account_relayout(struct app *app)
{
    view_body_make(&ac.body, app);
}

static void account_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    ac.req = NULL;
    if (r->status == CRM_OK && r->has_account) {
        admin_reply_free(&ac.acct);
        ac.acct = r;
        ac.error[0] = '\0';
    } else {
        if (r->status != CRM_ERR_CANCELLED)
            snprintf(ac.error, sizeof ac.error, "%.250s", r->message);
        admin_reply_free(&r);
    }
    app->full_redraw = true;
}

static void account_enter(struct app *app)
{
    account_relayout(app);
    ac.error[0] = '\0';
    if (!view_offered(app, 1u << CAP_ACCOUNT_EXPORT | 1u << CAP_ACCOUNT_LIFECYCLE,
                      "The Account screen", ac.error, sizeof ac.error))
        return;
    if (!view_is_admin(app)) {
        snprintf(ac.error, sizeof ac.error, "The Account screen is for admins.");
        return;
    }
    if (!ac.req)
        ac.req = api_admin_account(app->client, account_loaded, app);
}

static void account_leave(struct app *app)
{
    if (ac.exp)
        api_admin_export_cancel(app->client, ac.exp);
    if (ac.req)
        crm_req_cancel(app->client, ac.req);
    if (ac.act)
        crm_req_cancel(app->client, ac.act);
    ac.req = ac.act = NULL;
    admin_reply_free(&ac.acct);
    view_body_free(&ac.body);
}

static bool pending_cancel(void)
{
    return ac.acct && ac.acct->account.status &&
           strcmp(ac.acct->account.status, "cancellation_pending") == 0;
}

static void draw_progress(int y, int w)
{
    struct admin_export_progress p;
    char line[256];
    double secs = (double)(app_now_ms() - ac.exp_started) / 1000.0;
    double rate;
    int bar = w - 4 > 10 ? w - 4 : 10;

    api_admin_export_progress(ac.exp, &p);
    rate = secs > 0.05 ? (double)p.done / secs : 0;
    if (p.total > 0) {
        long left = p.total > p.done ? p.total - p.done : 0;
        int filled = (int)((double)bar * (double)p.done / (double)p.total);
        snprintf(line, sizeof line, "%ld of %ld records   %.0f records/s   %s%.0f s left", p.done,
                 p.total, rate, rate > 0 ? "" : "~", rate > 0 ? (double)left / rate : 0.0);
        draw_text(ac.body, y, 1, w - 1, line, UIC_DETAIL_VALUE);
        draw_fill(ac.body, y + 1, 1, bar, UIC_LIST_ROW);
        if (filled > bar)
            filled = bar;
        draw_fill(ac.body, y + 1, 1, filled, UIC_LIST_SELECTED);
    } else {
        snprintf(line, sizeof line, "%ld records   %.0f records/s", p.done, rate);
        draw_text(ac.body, y, 1, w - 1, line, UIC_DETAIL_VALUE);
    }
    draw_text(ac.body, y + 2, 1, w - 1, "Esc cancels the export and removes the partial file.",
              UIC_DETAIL_LABEL);
}

static void account_draw(struct app *app, bool full)
{
    (void)full;
    int h = app->layout.body.h, w = app->layout.body.w, y = 0;
    char line[512];
    const struct admin_account *a = ac.acct ? &ac.acct->account : NULL;

    if (!ac.body)
        return;
    view_body_clear(ac.body, app);
    draw_cell(ac.body, y++, 0, w, "Account", UIC_PANE_TITLE_FOCUS);
    y++;
    if (ac.error[0])
        draw_text(ac.body, y++, 1, w - 1, ac.error, UIC_NOTICE);
    if (a) {
        snprintf(line, sizeof line, "Name     %s", a->name);
        draw_text(ac.body, y++, 1, w - 1, line, UIC_DETAIL_VALUE);
        snprintf(line, sizeof line, "Status   %s",
                 pending_cancel() ? "cancelled: waiting for the purge" : a->status);
        draw_text(ac.body, y++, 1, w - 1, line, pending_cancel() ? UIC_NOTICE : UIC_DETAIL_VALUE);
        if (pending_cancel()) {
            snprintf(line, sizeof line, "All data erased on       %s (third parties notified)",
                     a->purge_at ? a->purge_at : "-");
            draw_text(ac.body, y++, 1, w - 1, line, UIC_DETAIL_VALUE);
            snprintf(line, sizeof line, "Call recordings and notes erased on  %s",
                     a->call_purge_at ? a->call_purge_at : "-");
            draw_text(ac.body, y++, 1, w - 1, line, UIC_DETAIL_VALUE);
        }
        y++;
    } else if (!ac.error[0]) {
        draw_text(ac.body, y++, 1, w - 1, "loading the account ...", UIC_LIST_LOADING);
    }
    if (ac.exp) {
        snprintf(line, sizeof line, "Exporting all data to %s", ac.path);
        draw_text(ac.body, y++, 1, w - 1, line, UIC_DETAIL_GROUP);
        draw_progress(y, w);
        y += 3;
    } else if (ac.last_export[0]) {
        draw_text(ac.body, y++, 1, w - 1, ac.last_export, UIC_DETAIL_VALUE);
    }
    if (view_is_admin(app))
        draw_text(ac.body, h - 1, 1, w - 1,
                  pending_cancel() ? "x export all data   r restore the account   Esc back"
                                   : "x export all data   C cancel the account   Esc back",
                  UIC_DETAIL_LABEL);
    wnoutrefresh(ac.body);
}

static void export_finished(enum crm_status stc, const char *message,
                            const struct admin_export_progress *final, void *ud)
{
    struct app *app = ud;
    struct admin_export_progress p = *final;
    ac.exp = NULL;
    if (stc == CRM_OK) {
        snprintf(ac.last_export, sizeof ac.last_export, "Exported %ld records to %s", p.done,
                 ac.path);
        app_message(app, "exported %ld records to %s", p.done, ac.path);
    } else if (stc == CRM_ERR_CANCELLED) {
        snprintf(ac.last_export, sizeof ac.last_export,
                 "Export cancelled; the partial file was removed.");
        app_message(app, "export cancelled; the partial file was removed");
    } else {
        snprintf(ac.last_export, sizeof ac.last_export, "Export failed: %.200s", message);
        app_error(app, "export failed: %s", message);
    }
    app->full_redraw = true;
}

static void start_export(struct app *app)
{
    char err[256], dir[CMDLINE_MAX], day[16];
    time_t now = time(NULL);
    struct tm tm;
    char *slash;
    if (ac.exp)
        return;
    /* ~/crmtui-exports/account-<YYYY-MM-DD>.ndjson, beside the contacts' exports */
    if (export_default_path(1, EXPORT_JSON, dir, sizeof dir) != CRM_OK) {
        app_error(app, "export: the folder ~/crmtui-exports cannot be made");
        return;
    }
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (!localtime_r(&now, &tm) || strftime(day, sizeof day, "%Y-%m-%d", &tm) == 0)
        snprintf(day, sizeof day, "today");
    snprintf(ac.path, sizeof ac.path, "%s/account-%s.ndjson", dir, day);
    ac.exp = api_admin_export_start(app->client, ac.path, export_finished, app, err, sizeof err);
    if (!ac.exp) {
        app_error(app, "export: %s", err);
        return;
    }
    ac.last_export[0] = '\0';
    ac.exp_started = app_now_ms();
}

static void acted(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    ac.act = NULL;
    if (r->status == CRM_OK && r->has_account) {
        admin_reply_free(&ac.acct);
        ac.acct = r;
        app_clear_error(app);
        app_message(app, "account %s", pending_cancel() ? "cancelled" : "restored");
        app->full_redraw = true;
        return;
    }
    if (r->status != CRM_ERR_CANCELLED)
        app_error(app, "%s", r->message);
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void cancel_typed(struct app *app, bool confirmed, void *ud)
{
    (void)ud;
    if (!confirmed || !ac.acct) {
        app_message(app, "the account stays active");
        return;
    }
    ac.act = api_admin_account_cancel(app->client, ac.acct->account.name, acted, app);
}

static void cancel_chosen(struct app *app, int key, void *ud)
{
    char text[640];
    (void)ud;
    if (key == 'x') {
        start_export(app);
        return;
    }
    if (key != 'c' || !ac.acct)
        return;
    snprintf(text, sizeof text,
             "Type the account name (%s) to cancel the account:", ac.acct->account.name);
    dialog_typed(app, "Cancel account", text, ac.acct->account.name, cancel_typed, NULL);
}

static void ask_cancel(struct app *app)
{
    static const struct dialog_choice choices[] = {
        {'x', "x  export all data first"},
        {'c', "c  go on and cancel the account"},
    };
    if (!ac.acct || pending_cancel())
        return;
    dialog_choose(app, "Cancel account",
                  "Cancelling the account erases all its data 30 days from now, for good, and "
                  "notifies the third parties that process it. Call recordings and notes are "
                  "kept 14 days, for a restore, then erased. Until those dates you can restore "
                  "the account.\nExport all data first?",
                  choices, 2, cancel_chosen, NULL);
}

static bool account_handle(struct app *app, enum action a)
{
    switch (a) {
    case ACT_ADM_EXPORT:
        if (view_is_admin(app))
            start_export(app);
        break;
    case ACT_ADM_CANCEL_ACCOUNT:
        if (view_is_admin(app) && !ac.act)
            ask_cancel(app);
        break;
    case ACT_ADM_RESTORE:
        if (view_is_admin(app) && pending_cancel() && !ac.act)
            ac.act = api_admin_account_restore(app->client, acted, app);
        break;
    case ACT_ADM_RELOAD:
        if (view_is_admin(app) && !ac.req)
            ac.req = api_admin_account(app->client, account_loaded, app);
        break;
    case ACT_BACK:
        if (ac.exp) {
            api_admin_export_cancel(app->client, ac.exp);
            return true;
        }
        return view_back_to_contacts(app);
    default:
        return false;
    }
    app->full_redraw = true;
    return true;
}

static int account_tick(struct app *app, long long now_ms)
{
    (void)now_ms;
    if (!ac.exp)
        return -1;
    app->full_redraw = true;
    return 200;
}

static void account_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "Account");
}

static void account_busy(struct app *app, char *buf, size_t len)
{
    if (ac.exp)
        app->full_redraw = true; /* the progress moves with the status line's spinner */
    snprintf(buf, len, "%s", ac.exp ? "exporting" : ac.req || ac.act ? "working" : "");
}

static void account_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(ac.body);
}

const struct view_ops view_account_ops = {
    .name = "account",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = account_enter,
    .leave = account_leave,
    .relayout = account_relayout,
    .draw = account_draw,
    .handle = account_handle,
    .data_changed = view_full_redraw,
    .tick = account_tick,
    .title = account_title,
    .busy = account_busy,
    .cursor = account_cursor,
    .opened_by = CMD_ACCOUNT,
};
