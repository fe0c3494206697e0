/* One contact's export document fetched step by step: the export endpoint, or
 * the contact and its timeline pages joined by export_doc_assemble. */
#include "core/export_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_actions.h"

#define PAGE_ENTRIES 100 /* api_activities_raw asks for pages of this many */

struct export_fetch {
    struct crm_client *c;
    int64_t id;
    export_fetch_done_fn done;
    export_fetch_progress_fn progress;
    void *ud;
    struct crm_req *req; /* the request in flight */
    bool cancelled;
    bool assembled;
    char *contact_body;
    size_t contact_len;
    char **pages;
    size_t *page_lens;
    size_t n_pages;
    long total_pages; /* -1: not sent */
    size_t total_bytes;
};

static void fetch_free(struct export_fetch *f)
{
    free(f->contact_body);
    for (size_t i = 0; i < f->n_pages; i++)
        free(f->pages[i]);
    free(f->pages);
    free(f->page_lens);
    free(f);
}

/* Calls done once with res and ends the fetch. */
static void finish(struct export_fetch *f, struct export_fetch_result *res)
{
    res->assembled = f->assembled;
    f->done(res, f->ud);
    export_doc_free(&res->doc);
    fetch_free(f);
}

/* Ends the fetch with an error: "prefix: the reply's sentence" (prefix may be
 * NULL) and the reply's codes (rep may be NULL). */
static void fail(struct export_fetch *f, enum crm_status st, const struct crm_reply *rep,
                 const char *prefix, const char *sentence)
{
    struct export_fetch_result res = {.status = st};
    if (rep) {
        res.http_code = rep->http_code;
        res.retry_after_s = rep->retry_after_s;
    }
    if (!sentence || !sentence[0])
        sentence = crm_strerror(st);
    if (prefix)
        snprintf(res.message, sizeof res.message, "%s: %s", prefix, sentence);
    else
        snprintf(res.message, sizeof res.message, "%s", sentence);
    finish(f, &res);
}

static void succeed(struct export_fetch *f, struct export_doc *doc)
{
    struct export_fetch_result res = {.status = CRM_OK, .doc = doc};
    finish(f, &res);
}

static void say(struct export_fetch *f, const char *what)
{
    if (f->progress)
        f->progress(what, f->ud);
}

/* A reply for a fetch being cancelled: frees it. Returns true when so. */
static bool gone(struct export_fetch *f, struct crm_reply **rep)
{
    f->req = NULL;
    if (!f->cancelled)
        return false;
    crm_reply_free(rep);
    fetch_free(f);
    return true;
}

static void on_contact(struct crm_reply *rep, void *ud);
static void on_page(struct crm_reply *rep, void *ud);

/* Sends the next step's request; false when it could not be queued. */
static bool ask_contact(struct export_fetch *f)
{
    f->assembled = true;
    say(f, "Loading the contact");
    f->req = api_contact_raw(f->c, f->id, on_contact, f);
    return f->req != NULL;
}

static bool ask_page(struct export_fetch *f)
{
    char what[120];
    long page = (long)f->n_pages + 1;
    if (f->total_pages > 0)
        snprintf(what, sizeof what, "Loading the timeline: page %ld of %ld", page, f->total_pages);
    else
        snprintf(what, sizeof what, "Loading the timeline: page %ld", page);
    say(f, what);
    f->req = api_activities_raw(f->c, f->id, page, on_page, f);
    return f->req != NULL;
}

static void on_export(struct crm_reply *rep, void *ud)
{
    struct export_fetch *f = ud;
    struct export_doc *doc = NULL;
    char err[300];
    if (gone(f, &rep))
        return;
    if (rep->status == CRM_ERR_NOT_FOUND && rep->http_code == 404) {
        /* the endpoint is missing after all: build the document here */
        crm_reply_free(&rep);
        if (!ask_contact(f))
            fail(f, CRM_ERR_INVALID, NULL, NULL, "The request could not be sent.");
        return;
    }
    if (rep->status != CRM_OK) {
        fail(f, rep->status, rep, "The export could not be fetched", rep->message);
    } else {
        enum crm_status st = export_doc_parse(rep->raw ? rep->raw : "", rep->raw ? rep->raw_len : 0,
                                              &doc, err, sizeof err);
        if (st != CRM_OK)
            fail(f, st, NULL, NULL, err);
        else
            succeed(f, doc);
    }
    crm_reply_free(&rep);
}

static void assemble(struct export_fetch *f)
{
    struct export_doc *doc = NULL;
    char err[300];
    enum crm_status st =
        export_doc_assemble(f->contact_body, f->contact_len, (const char *const *)f->pages,
                            f->page_lens, f->n_pages, NULL, 0, NULL, &doc, err, sizeof err);
    if (st != CRM_OK)
        fail(f, st, NULL, NULL, err);
    else
        succeed(f, doc);
}

static void on_page(struct crm_reply *rep, void *ud)
{
    struct export_fetch *f = ud;
    char err[200];
    size_t n = 0;
    long pages = -1;
    if (gone(f, &rep))
        return;
    if (rep->status != CRM_OK) {
        fail(f, rep->status, rep, "The timeline could not be fetched", rep->message);
        goto out;
    }
    enum crm_status st =
        actions_json_page_count(rep->raw, rep->raw_len, &n, &pages, err, sizeof err);
    if (st != CRM_OK) {
        fail(f, st, NULL, NULL, err);
        goto out;
    }
    if (rep->raw_len > EXPORT_MAX_BODY - f->total_bytes) {
        snprintf(err, sizeof err, "the responses are larger than %u bytes together",
                 EXPORT_MAX_BODY);
        fail(f, CRM_ERR_TOO_LARGE, NULL, NULL, err);
        goto out;
    }
    char **np = realloc(f->pages, (f->n_pages + 1) * sizeof *np);
    if (np)
        f->pages = np;
    size_t *nl = np ? realloc(f->page_lens, (f->n_pages + 1) * sizeof *nl) : NULL;
    if (nl)
        f->page_lens = nl;
    if (!np || !nl) {
        fail(f, CRM_ERR_NOMEM, NULL, NULL, crm_strerror(CRM_ERR_NOMEM));
        goto out;
    }
    f->pages[f->n_pages] = rep->raw;
    f->page_lens[f->n_pages] = rep->raw_len;
    f->n_pages++;
    f->total_bytes += rep->raw_len;
    rep->raw = NULL;
    f->total_pages = pages;
    bool more = pages > 0 ? (long)f->n_pages < pages : n == PAGE_ENTRIES;
    if (!more || f->n_pages >= EXPORT_FETCH_PAGES_MAX)
        assemble(f);
    else if (!ask_page(f))
        fail(f, CRM_ERR_INVALID, NULL, NULL, "The request could not be sent.");
out:
    crm_reply_free(&rep);
}

static void on_contact(struct crm_reply *rep, void *ud)
{
    struct export_fetch *f = ud;
    if (gone(f, &rep))
        return;
    if (rep->status != CRM_OK) {
        fail(f, rep->status, rep, "The contact could not be fetched", rep->message);
    } else if (rep->raw_len > EXPORT_MAX_BODY) {
        char err[120];
        snprintf(err, sizeof err, "the contact is larger than %u bytes", EXPORT_MAX_BODY);
        fail(f, CRM_ERR_TOO_LARGE, NULL, NULL, err);
    } else {
        f->contact_body = rep->raw;
        f->contact_len = rep->raw_len;
        f->total_bytes = rep->raw_len;
        rep->raw = NULL;
        if (!ask_page(f))
            fail(f, CRM_ERR_INVALID, NULL, NULL, "The request could not be sent.");
    }
    crm_reply_free(&rep);
}

struct export_fetch *export_fetch_start(struct crm_client *c, int64_t id, bool use_endpoint,
                                        export_fetch_done_fn done,
                                        export_fetch_progress_fn progress, void *ud)
{
    if (!c || id <= 0 || !done)
        return NULL;
    struct export_fetch *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->c = c;
    f->id = id;
    f->done = done;
    f->progress = progress;
    f->ud = ud;
    f->total_pages = -1;
    if (use_endpoint) {
        say(f, "Fetching the export");
        f->req = api_contact_export(c, id, on_export, f);
    } else {
        ask_contact(f);
    }
    if (!f->req) {
        fetch_free(f);
        return NULL;
    }
    return f;
}

void export_fetch_cancel(struct export_fetch **pp)
{
    struct export_fetch *f = pp ? *pp : NULL;
    if (!f)
        return;
    *pp = NULL;
    if (!f->req) {
        fetch_free(f);
        return;
    }
    /* the request's callback, called with CRM_ERR_CANCELLED, frees f */
    f->cancelled = true;
    crm_req_cancel(f->c, f->req);
}
