/* The reports screen (`:reports`): each report the server offers as a table;
 * Export to CSV for users with the permission (dimmed, with the reason, for
 * the others; the server refuses them anyway). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/api_admin.h"
#include "core/export.h"
#include "tui/app.h"
#include "tui/draw.h"

static struct {
    WINDOW *body;
    struct admin_reply *names, *table;
    long current; /* index in names */
    struct crm_req *req, *treq, *xreq;
    char error[256];
    long top;
} rp;

static void reports_relayout(struct app *app)
{
    view_body_make(&rp.body, app);
}

static const char *current_name(void)
{
    if (!rp.names || rp.current < 0 || rp.current >= (long)rp.names->n_report_names)
        return NULL;
    return rp.names->report_names[rp.current];
}

static void table_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    rp.treq = NULL;
    admin_reply_free(&rp.table);
    if (r->status == CRM_OK) {
        rp.table = r;
        rp.error[0] = '\0';
    } else {
        if (r->status != CRM_ERR_CANCELLED)
            snprintf(rp.error, sizeof rp.error, "%.250s", r->message);
        admin_reply_free(&r);
    }
    app->full_redraw = true;
    app->dirty_header = true;
}

static void load_table(struct app *app)
{
    const char *name = current_name();
    if (!name)
        return;
    if (rp.treq)
        crm_req_cancel(app->client, rp.treq);
    rp.top = 0;
    rp.treq = api_admin_report(app->client, name, table_loaded, app);
}

static void names_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    rp.req = NULL;
    if (r->status == CRM_OK) {
        admin_reply_free(&rp.names);
        rp.names = r;
        rp.current = 0;
        load_table(app);
    } else {
        if (r->status != CRM_ERR_CANCELLED)
            snprintf(rp.error, sizeof rp.error, "%.250s", r->message);
        admin_reply_free(&r);
    }
    app->full_redraw = true;
}

static void reports_enter(struct app *app)
{
    reports_relayout(app);
    rp.error[0] = '\0';
    if (!view_offered(app, 1u << CAP_REPORTS, "The reports screen", rp.error, sizeof rp.error))
        return;
    if (!rp.req)
        rp.req = api_admin_reports(app->client, names_loaded, app);
}

static void reports_leave(struct app *app)
{
    struct crm_req *reqs[] = {rp.req, rp.treq, rp.xreq};
    for (size_t i = 0; i < 3; i++)
        if (reqs[i])
            crm_req_cancel(app->client, reqs[i]);
    rp.req = rp.treq = rp.xreq = NULL;
    admin_reply_free(&rp.names);
    admin_reply_free(&rp.table);
    view_body_free(&rp.body);
}

static void reports_draw(struct app *app, bool full)
{
    (void)full;
    int h = app->layout.body.h, w = app->layout.body.w, x = 1;
    const struct admin_report *t = rp.table ? &rp.table->report : NULL;

    if (!rp.body)
        return;
    view_body_clear(rp.body, app);
    draw_fill(rp.body, 0, 0, w, UIC_PANE_TITLE);
    for (size_t i = 0; rp.names && i < rp.names->n_report_names; i++) {
        char label[80];
        snprintf(label, sizeof label, (long)i == rp.current ? "[%s]" : " %s ",
                 rp.names->report_names[i]);
        x += draw_text(rp.body, 0, x, w - x, label,
                       (long)i == rp.current ? UIC_PANE_TITLE_FOCUS : UIC_PANE_TITLE) +
             1;
    }
    if (rp.error[0])
        draw_text(rp.body, 2, 1, w - 1, rp.error, UIC_NOTICE);
    else if (!t)
        draw_text(rp.body, 2, 1, w - 1, "loading the report ...", UIC_LIST_LOADING);
    if (t && t->n_columns > 0) {
        int cw = (w - 1) / (int)t->n_columns;
        if (cw < 8)
            cw = 8;
        for (size_t c = 0; c < t->n_columns; c++)
            draw_cell(rp.body, 2, 1 + (int)c * cw, cw - 1, t->columns[c], UIC_DETAIL_LABEL);
        for (int y = 0; y < h - 5 && rp.top + y < (long)t->n_rows; y++)
            for (size_t c = 0; c < t->n_columns; c++) {
                const char *cell = t->cells[(size_t)(rp.top + y) * t->n_columns + c];
                draw_cell(rp.body, 3 + y, 1 + (int)c * cw, cw - 1, cell ? cell : "", UIC_LIST_ROW);
            }
        if (t->n_rows == 0)
            draw_text(rp.body, 3, 1, w - 1, "No rows.", UIC_DETAIL_EMPTY);
    }
    if (app->me.perm_export_reports)
        draw_text(rp.body, h - 1, 1, w - 1, "x export to CSV   Tab next report   Esc back",
                  UIC_DETAIL_LABEL);
    else
        draw_text(rp.body, h - 1, 1, w - 1,
                  "x export to CSV: not permitted (an admin can grant \"may export reports\")   "
                  "Tab next report",
                  UIC_DETAIL_EMPTY);
    wnoutrefresh(rp.body);
}

/* ~/crmtui-exports/<report>-<YYYY-MM-DD>.csv, the folder made when missing
 * (as a contact's export); false with a sentence in err. */
static bool csv_path(const char *name, char *out, size_t len, char *err, size_t errlen)
{
    char any[CMDLINE_MAX], day[16];
    time_t now = time(NULL);
    struct tm tm;
    char *slash;

    if (export_default_path(1, EXPORT_CSV, any, sizeof any) != CRM_OK) {
        snprintf(err, errlen, "the folder ~/crmtui-exports cannot be made");
        return false;
    }
    slash = strrchr(any, '/');
    if (slash)
        *slash = '\0';
    if (!localtime_r(&now, &tm) || strftime(day, sizeof day, "%Y-%m-%d", &tm) == 0)
        snprintf(day, sizeof day, "today");
    snprintf(out, len, "%s/%s-%s.csv", any, name, day);
    return true;
}

static void csv_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    char path[CMDLINE_MAX + 80], err[256];
    rp.xreq = NULL;
    if (r->status != CRM_OK) {
        if (r->status != CRM_ERR_CANCELLED)
            app_error(app, "export: %s", r->message);
        admin_reply_free(&r);
        return;
    }
    if (!csv_path(current_name() ? current_name() : "report", path, sizeof path, err, sizeof err) ||
        export_write_file(path, r->csv, r->csv_len, err, sizeof err) != CRM_OK) {
        app_error(app, "export: %s", err);
    } else {
        app_clear_error(app);
        app_message(app, "exported to %s (%zu bytes)", path, r->csv_len);
    }
    admin_reply_free(&r);
}

static bool reports_handle(struct app *app, enum action a)
{
    long n = rp.names ? (long)rp.names->n_report_names : 0;

    switch (a) {
    case ACT_ADM_NEXT_TAB:
        if (n) {
            rp.current = (rp.current + 1) % n;
            load_table(app);
        }
        break;
    case ACT_ADM_PREV_TAB:
        if (n) {
            rp.current = (rp.current + n - 1) % n;
            load_table(app);
        }
        break;
    case ACT_MOVE_DOWN:
        if (rp.table && rp.top + 1 < (long)rp.table->report.n_rows)
            rp.top++;
        break;
    case ACT_MOVE_UP:
        rp.top = rp.top > 0 ? rp.top - 1 : 0;
        break;
    case ACT_ADM_EXPORT:
        if (!app->me.perm_export_reports) {
            app_warn(app, "you are not permitted to export reports; an admin can grant it");
        } else if (current_name() && !rp.xreq) {
            rp.xreq = api_admin_report_csv(app->client, current_name(), csv_loaded, app);
        }
        break;
    case ACT_ADM_RELOAD:
        load_table(app);
        break;
    case ACT_BACK:
        return view_back_to_contacts(app);
    default:
        return false;
    }
    app->full_redraw = true;
    return true;
}

static void reports_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "Reports  %s", current_name() ? current_name() : "");
}

static void reports_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "%s", rp.xreq ? "exporting" : rp.req || rp.treq ? "loading reports" : "");
}

static void reports_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(rp.body);
}

const struct view_ops view_reports_ops = {
    .name = "reports",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = reports_enter,
    .leave = reports_leave,
    .relayout = reports_relayout,
    .draw = reports_draw,
    .handle = reports_handle,
    .data_changed = view_full_redraw,
    .title = reports_title,
    .busy = reports_busy,
    .cursor = reports_cursor,
    .opened_by = CMD_REPORTS,
};
