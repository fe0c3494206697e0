/* The batch runner: a small state machine per record (lookup, confirmation,
 * action), up to max_inflight records at once, the journal written as each
 * record finishes, rate-limited records retried after Retry-After. */
#include "core/batch.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/api_actions.h"
#include "core/export_fetch.h"
#include "core/sanitize.h"

enum step { STEP_WAIT, STEP_LOOKUP, STEP_CONFIRM, STEP_ACT, STEP_FINISHED };

struct slot {
    struct run *run;
    size_t idx;
    int64_t id;
    enum step step;
    double not_before; /* monotonic seconds: a rate-limited record waits */
    bool busy;         /* a request of it is in flight */
};

struct run {
    const struct batch_opts *o;
    struct crm_client *c;
    struct slot *slots;
    size_t next; /* first item not yet started */
    int active;  /* slots started and not finished */
    size_t finished;
    struct batch_result *res;
    bool use_endpoint; /* export: the server announced contact_export (or did not say) */
};

const char *batch_action_name(enum batch_action a)
{
    switch (a) {
    case BATCH_EXPORT:
        return "export";
    case BATCH_FORGET:
        return "forget";
    case BATCH_UNSUBSCRIBE:
        return "unsubscribe";
    }
    return "?";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A JSON string of s (already sanitized: no controls) into f. */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned)(unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void report(struct run *r, struct slot *s, const char *status, const char *msg)
{
    const struct batch_opts *o = r->o;
    char *clean = sanitize_str(msg, strlen(msg), 200);
    const char *m = clean ? clean : "";
    if (o->progress)
        fputs("\r\033[K", o->progress);
    if (o->json) {
        fprintf(o->out,
                "{\"id\":%" PRId64 ",\"action\":\"%s\",\"status\":\"%s\",\"message\":", s->id,
                batch_action_name(o->action), status);
        json_str(o->out, m);
        fputs("}\n", o->out);
    } else {
        fprintf(o->out, "%" PRId64 " %s %s %s\n", s->id, batch_action_name(o->action), status, m);
    }
    fflush(o->out);
    free(clean);
}

static void finish(struct run *r, struct slot *s, bool ok, const char *msg)
{
    if (r->o->journal)
        journal_set(r->o->journal, (long)s->idx, s->id, ok ? JOURNAL_DONE : JOURNAL_FAILED);
    report(r, s, ok ? "done" : "failed", msg);
    if (ok)
        r->res->done++;
    else
        r->res->failed++;
    s->step = STEP_FINISHED;
    r->active--;
    r->finished++;
}

/* A failed request: a rate-limited one waits and goes again, else the record
 * fails with the reply's sentence. */
static void failed_req(struct run *r, struct slot *s, enum crm_status st, long retry_after,
                       const char *message)
{
    if (st == CRM_ERR_RATE_LIMIT) {
        s->not_before = now_s() + (double)(retry_after > 0 ? retry_after : 1);
        return;
    }
    finish(r, s, false, message && message[0] ? message : crm_strerror(st));
}

static void start_step(struct run *r, struct slot *s);

static void on_lookup(struct crm_reply *rep, void *ud)
{
    struct slot *s = ud;
    struct run *r = s->run;
    const struct batch_item *it = &r->o->items[s->idx];
    s->busy = false;
    if (rep->status != CRM_OK) {
        failed_req(r, s, rep->status, rep->retry_after_s, rep->message);
        goto out;
    }
    int64_t found = 0;
    size_t n = 0;
    for (size_t i = 0; i < rep->n_rows; i++) {
        if (rep->rows[i].email && strcasecmp(rep->rows[i].email, it->email) == 0 &&
            !rep->rows[i].is_deleted && rep->rows[i].id != found) {
            found = rep->rows[i].id;
            n++;
        }
    }
    if (n == 0) {
        finish(r, s, false, "no contact has this email");
    } else if (n > 1) {
        finish(r, s, false, "several contacts have this email; give the id");
    } else {
        s->id = found;
        s->step = it->confirm ? STEP_CONFIRM : STEP_ACT;
        /* known before the action is sent: a resumed run asks by id (a
         * forgotten contact's email no longer resolves) */
        if (r->o->journal)
            journal_set(r->o->journal, (long)s->idx, s->id, JOURNAL_STARTED);
    }
out:
    crm_reply_free(&rep);
}

static bool email_matches(const struct contact *ct, const char *confirm)
{
    if (ct->email && strcasecmp(ct->email, confirm) == 0)
        return true;
    for (size_t i = 0; i < ct->n_emails; i++)
        if (ct->emails[i].value && strcasecmp(ct->emails[i].value, confirm) == 0)
            return true;
    return false;
}

static void on_contact(struct crm_reply *rep, void *ud)
{
    struct slot *s = ud;
    struct run *r = s->run;
    s->busy = false;
    if (rep->status == CRM_ERR_NOT_FOUND && r->o->action == BATCH_FORGET) {
        finish(r, s, true, "already gone");
    } else if (rep->status != CRM_OK) {
        failed_req(r, s, rep->status, rep->retry_after_s, rep->message);
    } else if (!rep->contact || !email_matches(rep->contact, r->o->items[s->idx].confirm)) {
        finish(r, s, false, "refused: the confirmation is not the contact's email");
    } else {
        s->step = STEP_ACT;
    }
    crm_reply_free(&rep);
}

static void on_forget(struct crm_reply *rep, void *ud)
{
    struct slot *s = ud;
    s->busy = false;
    if (rep->status == CRM_OK)
        finish(s->run, s, true, rep->already_gone ? "already gone" : "forgotten");
    else
        failed_req(s->run, s, rep->status, rep->retry_after_s, rep->message);
    crm_reply_free(&rep);
}

static void on_unsubscribe(struct actions_reply *rep, void *ud)
{
    struct slot *s = ud;
    s->busy = false;
    if (rep->status == CRM_OK)
        finish(s->run, s, true, "unsubscribed");
    else
        failed_req(s->run, s, rep->status, 0, rep->message);
}

static void on_export(struct export_fetch_result *res, void *ud)
{
    struct slot *s = ud;
    struct run *r = s->run;
    const struct batch_opts *o = r->o;
    char err[256], path[4096];
    s->busy = false;
    if (res->status != CRM_OK) {
        failed_req(r, s, res->status, res->retry_after_s, res->message);
        return;
    }
    int n = 0;
    if (o->out_file)
        n = snprintf(path, sizeof path, "%s", o->out_file);
    else if (o->out_dir)
        n = snprintf(path, sizeof path, "%s/%" PRId64 ".%s", o->out_dir, s->id,
                     export_format_ext(o->format));
    else if (export_default_path(s->id, o->format, path, sizeof path) != CRM_OK)
        n = -1;
    if (n < 0 || (size_t)n >= sizeof path) {
        finish(r, s, false, "no usable file name for the export");
        return;
    }
    if (export_write(res->doc, o->format, path, NULL, NULL, err, sizeof err) != CRM_OK) {
        finish(r, s, false, err);
        return;
    }
    char msg[300];
    snprintf(msg, sizeof msg, "written to %.250s", path);
    finish(r, s, true, msg);
}

/* Sends the request of s's current step; a record that cannot be queued fails. */
static void start_step(struct run *r, struct slot *s)
{
    const struct batch_item *it = &r->o->items[s->idx];
    struct crm_req *q = NULL;
    s->busy = true;
    switch (s->step) {
    case STEP_LOOKUP:
        q = api_lookup_email(r->c, it->email, on_lookup, s);
        break;
    case STEP_CONFIRM:
        q = api_contact(r->c, s->id, on_contact, s);
        break;
    case STEP_ACT:
        if (r->o->action == BATCH_FORGET)
            q = api_contact_forget(r->c, s->id, on_forget, s);
        else if (r->o->action == BATCH_UNSUBSCRIBE)
            q = api_contact_unsubscribe(r->c, s->id, on_unsubscribe, s);
        else if (export_fetch_start(r->c, s->id, r->use_endpoint, on_export, NULL, s))
            return; /* on_export ends the step */
        break;
    case STEP_WAIT:
    case STEP_FINISHED:
        break;
    }
    if (!q) {
        s->busy = false;
        finish(r, s, false, "the request could not be sent");
    }
}

/* Takes the next items into slots: those the journal has done are skipped. */
static void start_more(struct run *r)
{
    const struct batch_opts *o = r->o;
    while (r->next < o->n_items && r->active < o->max_inflight) {
        struct slot *s = &r->slots[r->next];
        const struct batch_item *it = &o->items[r->next];
        s->run = r;
        s->idx = r->next++;
        s->id = it->id;
        int64_t jid = 0;
        enum journal_state js =
            o->journal ? journal_get(o->journal, (long)s->idx, &jid) : JOURNAL_NONE;
        if (js != JOURNAL_DONE && jid && !s->id)
            s->id = jid; /* resolved in an earlier run */
        if (js == JOURNAL_DONE) {
            if (jid)
                s->id = jid;
            s->step = STEP_FINISHED;
            report(r, s, "skipped", "done in an earlier run");
            r->res->skipped++;
            r->finished++;
            continue;
        }
        s->step = !s->id ? STEP_LOOKUP : it->confirm ? STEP_CONFIRM : STEP_ACT;
        r->active++;
    }
}

static void progress(struct run *r)
{
    if (!r->o->progress)
        return;
    fprintf(r->o->progress, "\r\033[K%s: %zu of %zu (%zu failed)", batch_action_name(r->o->action),
            r->finished, r->o->n_items, r->res->failed);
    fflush(r->o->progress);
}

/* Whether to ask the export endpoint: asks GET /capabilities once. A server
 * that answers without contact_export (Freshsales answers 404) gets exports
 * assembled on the client; when the question fails the endpoint is tried,
 * and export_fetch falls back on its 404. */
static bool export_endpoint_announced(struct crm_client *c)
{
    struct crm_reply *rep = NULL;
    bool announced = true;
    struct crm_req *q = api_capabilities(c, NULL, NULL);
    if (q && crm_client_run(c, q, &rep) == CRM_OK && rep)
        announced = (rep->capabilities & (1u << CAP_CONTACT_EXPORT)) != 0;
    crm_reply_free(&rep);
    return announced;
}

int batch_run(struct crm_client *c, const struct batch_opts *in, struct batch_result *res)
{
    struct batch_opts o = *in;
    struct run r = {.o = &o, .c = c, .res = res};
    memset(res, 0, sizeof *res);
    if (o.max_inflight <= 0)
        o.max_inflight = 8;
    r.slots = calloc(o.n_items ? o.n_items : 1, sizeof *r.slots);
    if (!r.slots) {
        res->failed = o.n_items;
        return 1;
    }
    if (o.action == BATCH_EXPORT)
        r.use_endpoint = export_endpoint_announced(c);
    for (;;) {
        start_more(&r);
        double now = now_s(), soonest = 0;
        int sent = 0;
        for (size_t i = 0; i < r.next; i++) {
            struct slot *s = &r.slots[i];
            if (s->step == STEP_FINISHED || s->step == STEP_WAIT || s->busy)
                continue;
            if (s->not_before > now) {
                if (!soonest || s->not_before < soonest)
                    soonest = s->not_before;
                continue;
            }
            s->not_before = 0;
            start_step(&r, s);
            sent++;
        }
        if (sent)
            continue; /* finishing may have freed slots for more */
        if (r.active == 0 && r.next >= o.n_items)
            break;
        progress(&r);
        int wait_ms = 200;
        if (soonest && crm_client_pending(c) == 0) {
            double d = (soonest - now) * 1000.0;
            wait_ms = d < 1 ? 1 : d > 1000 ? 1000 : (int)d;
        }
        if (crm_client_pending(c) == 0) {
            /* only rate-limited records wait: nothing for the client to poll */
            struct timespec ts = {wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        } else {
            crm_client_wait(c, -1, wait_ms);
        }
        crm_client_dispatch(c);
    }
    if (o.progress) {
        fputs("\r\033[K", o.progress);
        fflush(o.progress);
    }
    free(r.slots);
    return res->failed ? 1 : 0;
}
