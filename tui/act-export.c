/* Quick action "Export": one contact's complete data as JSON, CSV or vCard,
 * from the server's export endpoint or assembled from the contact, every
 * timeline page and the notes; written atomically with mode 0600. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/export.h"
#include "core/export_fetch.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/menu.h"

#define EXPORT_PAGES_MAX 1000 /* 100,000 timeline entries */

enum { F_FORMAT, F_PATH };

static struct {
    int64_t id;
    char name[256];
    struct form *form;
    struct export_fetch *fetch;
    enum export_format fmt;
    char path[CMDLINE_MAX];
    char default_path[CMDLINE_MAX];
} ex;

bool act_export_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)app;
    (void)t;
    (void)why;
    return true; /* assembled on the client when the server has no export */
}

static const char *check_format(const char *text)
{
    enum export_format f;
    return export_format_parse(text, &f) == 0 ? NULL : "json, csv or vcf";
}

/* Ends a failed step: the form stays with what was typed and one sentence. */
static void fail(struct app *app, int field, const char *msg)
{
    if (!form_is_open(ex.form)) {
        app_error(app, "export of %s failed: %s", ex.name, msg);
        return;
    }
    form_set_busy(ex.form, NULL);
    form_set_error(ex.form, field, msg);
}

static void write_doc(struct app *app, const struct export_doc *doc)
{
    char err[300];
    enum crm_status st = export_write(doc, ex.fmt, ex.path, NULL, NULL, err, sizeof err);
    if (st != CRM_OK) {
        fail(app, F_PATH, err);
        return;
    }
    if (form_is_open(ex.form))
        form_close(app, ex.form);
    ex.form = NULL;
    app_message(app, "exported %s: %zu records to %s", ex.name, doc->n_records, ex.path);
}

static void on_progress(const char *what, void *ud)
{
    char busy[200];
    (void)ud;
    if (!form_is_open(ex.form))
        return;
    snprintf(busy, sizeof busy, "%s... (Esc cancels)", what);
    form_set_busy(ex.form, busy);
}

static void on_fetched(struct export_fetch_result *res, void *ud)
{
    struct app *app = ud;
    ex.fetch = NULL;
    if (res->status != CRM_OK)
        fail(app, -1, res->message);
    else
        write_doc(app, res->doc);
}

/* A sentence on why dir cannot take the file, or NULL. */
static const char *dir_problem(const char *path, char *buf, size_t len)
{
    char dir[CMDLINE_MAX];
    struct stat sb;
    draw_copy(dir, sizeof dir, path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (stat(dir, &sb) != 0) {
        snprintf(buf, len, "The folder %s does not exist.", dir);
        return buf;
    }
    if (!S_ISDIR(sb.st_mode)) {
        snprintf(buf, len, "%s is not a folder.", dir);
        return buf;
    }
    if (access(dir, W_OK) != 0) {
        snprintf(buf, len, "The folder %s cannot be written to (%s).", dir, strerror(errno));
        return buf;
    }
    return NULL;
}

static void on_submit(struct app *app, struct form *f, void *ud)
{
    char why[CMDLINE_MAX + 80];
    (void)ud;
    export_format_parse(form_text(f, F_FORMAT), &ex.fmt);
    draw_copy(ex.path, sizeof ex.path, form_text(f, F_PATH));
    if (!ex.path[0] || strcmp(ex.path, ex.default_path) == 0) {
        /* the offered default follows the format chosen */
        if (export_default_path(ex.id, ex.fmt, ex.path, sizeof ex.path) != CRM_OK) {
            form_set_error(f, F_PATH, "No default folder: type a path.");
            return;
        }
    }
    if (ex.path[0] == '~' && ex.path[1] == '/' && getenv("HOME")) {
        char full[CMDLINE_MAX * 4];
        int n = snprintf(full, sizeof full, "%s%s", getenv("HOME"), ex.path + 1);
        if (n < 0 || n >= (int)sizeof ex.path) {
            form_set_error(f, F_PATH, "The path is too long.");
            return;
        }
        draw_copy(ex.path, sizeof ex.path, full);
    }
    const char *problem = dir_problem(ex.path, why, sizeof why);
    if (problem) {
        form_set_error(f, F_PATH, problem);
        return;
    }
    export_fetch_cancel(&ex.fetch);
    bool endpoint = (app->capabilities & (1u << CAP_CONTACT_EXPORT)) != 0;
    ex.fetch = export_fetch_start(app->client, ex.id, endpoint, on_fetched, on_progress, app);
    if (!ex.fetch)
        fail(app, -1, "The request could not be sent.");
}

static void on_cancel(struct app *app, void *ud)
{
    (void)ud;
    ex.form = NULL;
    export_fetch_cancel(&ex.fetch);
    app_message(app, "export cancelled: no file written");
}

void act_export_run(struct app *app, const struct menu_target *t)
{
    export_fetch_cancel(&ex.fetch);
    memset(&ex, 0, sizeof ex);
    ex.id = t->id;
    draw_copy(ex.name, sizeof ex.name, t->shown_name);
    if (export_default_path(ex.id, EXPORT_JSON, ex.default_path, sizeof ex.default_path) != CRM_OK)
        ex.default_path[0] = '\0';
    struct form *f = form_new("Export contact data");
    form_add_text(f, "Format", "json", 8, check_format);
    form_add_text(f, "File", ex.default_path, CMDLINE_MAX - 1, NULL);
    form_set_hint(f, "Format json, csv or vcf. Enter exports, Esc cancels");
    ex.form = f;
    form_open(app, f, on_submit, on_cancel, NULL);
}
