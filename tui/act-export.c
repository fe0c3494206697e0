/* Quick action "Export": one contact's complete data as JSON, CSV or vCard,
 * from the server's export endpoint or assembled from the contact, every
 * timeline page and the notes; written atomically with mode 0600. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/api_actions.h"
#include "core/export.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/menu.h"
#include "tui/xalloc.h"

#define EXPORT_PAGES_MAX 1000 /* 100,000 timeline entries */

enum { F_FORMAT, F_PATH };

static struct {
    int64_t id;
    char name[256];
    struct form *form;
    struct crm_req *req;
    enum export_format fmt;
    char path[CMDLINE_MAX];
    char default_path[CMDLINE_MAX];
    char *contact_body;
    size_t contact_len;
    char **pages;
    size_t *page_lens;
    size_t n_pages;
    long total_pages;
    bool tried_assembly;
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

static void drop_bodies(void)
{
    free(ex.contact_body);
    ex.contact_body = NULL;
    for (size_t i = 0; i < ex.n_pages; i++)
        free(ex.pages[i]);
    free(ex.pages);
    free(ex.page_lens);
    ex.pages = NULL;
    ex.page_lens = NULL;
    ex.n_pages = 0;
}

/* Ends a failed step: the form stays with what was typed and one sentence. */
static void fail(struct app *app, int field, const char *msg)
{
    drop_bodies();
    if (!form_is_open(ex.form)) {
        app_error(app, "export of %s failed: %s", ex.name, msg);
        return;
    }
    form_set_busy(ex.form, NULL);
    form_set_error(ex.form, field, msg);
}

static void write_doc(struct app *app, struct export_doc *doc)
{
    char err[300];
    enum crm_status st = export_write(doc, ex.fmt, ex.path, NULL, NULL, err, sizeof err);
    size_t n = doc->n_records;
    export_doc_free(&doc);
    drop_bodies();
    if (st != CRM_OK) {
        fail(app, F_PATH, err);
        return;
    }
    if (form_is_open(ex.form))
        form_close(app, ex.form);
    ex.form = NULL;
    app_message(app, "exported %s: %zu records to %s", ex.name, n, ex.path);
}

static void on_contact_body(struct crm_reply *r, void *ud);

static void on_export_body(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    struct export_doc *doc = NULL;
    char err[300];
    ex.req = NULL;
    if (r->status == CRM_ERR_NOT_FOUND && r->http_code == 404 && !ex.tried_assembly) {
        /* the endpoint is missing after all: build the document here */
        ex.tried_assembly = true;
        crm_reply_free(&r);
        ex.req = api_contact_raw(app->client, ex.id, on_contact_body, app);
        if (ex.req && form_is_open(ex.form))
            form_set_busy(ex.form, "Loading the contact... (Esc cancels)");
        else if (!ex.req)
            fail(app, -1, "The request could not be sent.");
        return;
    }
    if (r->status != CRM_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "The export could not be fetched: %s", r->message);
        fail(app, -1, msg);
    } else if (export_doc_parse(r->raw ? r->raw : "", r->raw ? r->raw_len : 0, &doc, err,
                                sizeof err) != CRM_OK) {
        fail(app, -1, err);
    } else {
        write_doc(app, doc);
    }
    crm_reply_free(&r);
}

static void assemble(struct app *app)
{
    struct export_doc *doc = NULL;
    char err[300];
    if (export_doc_assemble(ex.contact_body, ex.contact_len, (const char *const *)ex.pages,
                            ex.page_lens, ex.n_pages, NULL, 0, NULL, &doc, err,
                            sizeof err) != CRM_OK) {
        fail(app, -1, err);
        return;
    }
    write_doc(app, doc);
}

static void on_page(struct crm_reply *r, void *ud);

static void ask_page(struct app *app)
{
    char busy[160];
    long page = (long)ex.n_pages + 1;
    if (ex.total_pages > 0)
        snprintf(busy, sizeof busy, "Loading the timeline: page %ld of %ld... (Esc cancels)", page,
                 ex.total_pages);
    else
        snprintf(busy, sizeof busy, "Loading the timeline: page %ld... (Esc cancels)", page);
    if (form_is_open(ex.form))
        form_set_busy(ex.form, busy);
    ex.req = api_activities_raw(app->client, ex.id, page, on_page, app);
    if (!ex.req)
        fail(app, -1, "The request could not be sent.");
}

static void on_page(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    char err[200];
    size_t n = 0;
    long pages = -1;
    ex.req = NULL;
    if (r->status != CRM_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "The timeline could not be fetched: %s", r->message);
        fail(app, -1, msg);
        crm_reply_free(&r);
        return;
    }
    if (actions_json_page_count(r->raw, r->raw_len, &n, &pages, err, sizeof err) != CRM_OK) {
        fail(app, -1, err);
        crm_reply_free(&r);
        return;
    }
    ex.pages = xreallocarray(ex.pages, ex.n_pages + 1, sizeof *ex.pages);
    ex.page_lens = xreallocarray(ex.page_lens, ex.n_pages + 1, sizeof *ex.page_lens);
    ex.pages[ex.n_pages] = r->raw;
    ex.page_lens[ex.n_pages] = r->raw_len;
    ex.n_pages++;
    r->raw = NULL;
    crm_reply_free(&r);
    ex.total_pages = pages;
    bool more = pages > 0 ? (long)ex.n_pages < pages : n == 100;
    if (more && ex.n_pages < EXPORT_PAGES_MAX)
        ask_page(app);
    else
        assemble(app);
}

static void on_contact_body(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    ex.req = NULL;
    if (r->status != CRM_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "The contact could not be fetched: %s", r->message);
        fail(app, -1, msg);
        crm_reply_free(&r);
        return;
    }
    ex.contact_body = r->raw;
    ex.contact_len = r->raw_len;
    r->raw = NULL;
    crm_reply_free(&r);
    ask_page(app);
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
    drop_bodies();
    ex.total_pages = -1;
    ex.tried_assembly = false;
    if (app->capabilities & (1u << CAP_CONTACT_EXPORT)) {
        ex.req = api_contact_export(app->client, ex.id, on_export_body, app);
        form_set_busy(f, "Fetching the export... (Esc cancels)");
    } else {
        ex.req = api_contact_raw(app->client, ex.id, on_contact_body, app);
        form_set_busy(f, "Loading the contact... (Esc cancels)");
    }
    if (!ex.req)
        fail(app, -1, "The request could not be sent.");
}

static void on_cancel(struct app *app, void *ud)
{
    (void)ud;
    ex.form = NULL;
    if (ex.req) {
        struct crm_req *q = ex.req;
        ex.req = NULL;
        crm_req_cancel(app->client, q);
    }
    drop_bodies();
    app_message(app, "export cancelled: no file written");
}

void act_export_run(struct app *app, const struct menu_target *t)
{
    drop_bodies();
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
