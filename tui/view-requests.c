/* The privacy requests screen (`:requests`): the queue of data subject
 * requests by due date with the days left (overdue in the error colour and
 * marked "OVERDUE"), a request's box to link it to a contact by its email,
 * verify it, run the matching action (export, forget, edit) and close it with
 * an outcome, and a form for a new request. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/api_requests.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/mask.h"
#include "tui/menu.h"

static struct {
    WINDOW *body;
    struct requests_reply *data;
    struct crm_req *req;    /* the list */
    struct crm_req *change; /* a change, a creation or a lookup */
    char error[256];
    long sel, top;
    int64_t cur_id; /* the request whose box is open, and what it is */
    char cur_type[32], cur_status[32], cur_email[320];
    int64_t cur_contact;
    bool closing_done; /* the outcome form closes as done (else rejected) */
    struct form *form;
} rq;

static void requests_load(struct app *app);

static void requests_relayout(struct app *app)
{
    view_body_make(&rq.body, app);
}

/* The effective due date of r (the extension when there is one); 0 unknown. */
static int64_t due_of(const struct privacy_request *r)
{
    int64_t t = 0;
    const char *s = r->extended_to ? r->extended_to : r->due_at;
    if (requests_json_time(s, &t) < 0)
        return 0;
    return t;
}

/* "12d left", "due today", "OVERDUE 3d", or "closed". */
static void days_text(const struct privacy_request *r, char *buf, size_t len, bool *overdue)
{
    int64_t due = due_of(r);
    *overdue = false;
    if (requests_json_closed(r->status)) {
        snprintf(buf, len, "closed");
        return;
    }
    if (!due) {
        snprintf(buf, len, "-");
        return;
    }
    long long d = (long long)requests_json_days_left(due, (int64_t)time(NULL));
    if (d < 0) {
        *overdue = true;
        snprintf(buf, len, "OVERDUE %lldd", -d);
    } else if (d == 0) {
        snprintf(buf, len, "due today");
    } else {
        snprintf(buf, len, "%lldd left", d);
    }
}

static void list_loaded(struct requests_reply *r, void *ud)
{
    struct app *app = ud;
    rq.req = NULL;
    if (r->status != CRM_OK) {
        snprintf(rq.error, sizeof rq.error, "%s", r->message);
        if (r->status != CRM_ERR_CANCELLED)
            app_error(app, "privacy requests: %s", r->message);
        requests_reply_free(&r);
    } else {
        requests_reply_free(&rq.data);
        rq.data = r;
        rq.error[0] = '\0';
        if (rq.sel >= (long)r->n_requests)
            rq.sel = r->n_requests ? (long)r->n_requests - 1 : 0;
    }
    app->full_redraw = true;
    app->dirty_header = true;
}

static void requests_load(struct app *app)
{
    if (rq.req)
        return;
    rq.req = api_requests_list(app->client, list_loaded, app);
    if (!rq.req)
        snprintf(rq.error, sizeof rq.error, "the privacy requests could not be requested");
}

static void open_box(struct app *app, const struct privacy_request *r);

/* Finds the request id in the list, or NULL. */
static const struct privacy_request *find(int64_t id)
{
    for (size_t i = 0; rq.data && i < rq.data->n_requests; i++)
        if (rq.data->requests[i].id == id)
            return &rq.data->requests[i];
    return NULL;
}

/* A change answered: the list again, and the request's box again. */
static void changed(struct requests_reply *r, void *ud)
{
    struct app *app = ud;
    rq.change = NULL;
    if (r->status != CRM_OK) {
        if (rq.form) {
            form_set_busy(rq.form, NULL);
            form_set_error(rq.form, -1, r->message);
        } else if (r->status != CRM_ERR_CANCELLED) {
            app_error(app, "privacy request: %s", r->message);
        }
        requests_reply_free(&r);
        return;
    }
    if (rq.form) {
        form_close(app, rq.form);
        rq.form = NULL;
    }
    if (r->n_requests == 1) {
        const struct privacy_request *p = &r->requests[0];
        app_message(app, "request #%lld: %s", (long long)p->id, p->status ? p->status : "-");
        open_box(app, p);
    }
    requests_reply_free(&r);
    requests_load(app);
}

static void send_change(struct app *app, const struct privacy_request_change *ch)
{
    if (rq.change)
        return;
    rq.change = api_requests_change(app->client, rq.cur_id, ch, changed, app);
    if (!rq.change)
        app_error(app, "the change could not be sent");
}

static void looked_up(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    rq.change = NULL;
    if (r->status == CRM_ERR_CANCELLED) {
        /* the screen was left */
    } else if (r->status != CRM_OK) {
        app_error(app, "lookup: %s", r->message);
    } else if (r->n_rows == 0) {
        app_error(app, "no contact has the email %s",
                  mask_show(rq.cur_contact, MASK_EMAIL, rq.cur_email, (char[320]){0}, 320));
        const struct privacy_request *p = find(rq.cur_id);
        if (p)
            open_box(app, p);
    } else {
        struct privacy_request_change ch = {.contact_id = r->rows[0].id};
        crm_reply_free(&r);
        send_change(app, &ch);
        return;
    }
    crm_reply_free(&r);
}

static void outcome_submit(struct app *app, struct form *f, void *ud)
{
    (void)ud;
    const char *outcome = form_text(f, 0);
    if (!outcome[0]) {
        form_set_error(f, 0, "an outcome is needed to close the request");
        return;
    }
    struct privacy_request_change ch = {.status = rq.closing_done ? "done" : "rejected",
                                        .outcome = outcome};
    form_set_busy(f, "closing the request ...");
    send_change(app, &ch);
}

static void form_cancelled(struct app *app, void *ud)
{
    (void)ud;
    rq.form = NULL;
    if (rq.change) {
        struct crm_req *q = rq.change;
        rq.change = NULL;
        crm_req_cancel(app->client, q);
    }
}

static void ask_outcome(struct app *app, bool done)
{
    rq.closing_done = done;
    rq.form = form_new(done ? "Close the request as done" : "Reject the request");
    form_add_text(rq.form, "Outcome", NULL, 500, NULL);
    form_set_hint(rq.form, "What was done or why it was refused. Enter closes, Esc cancels");
    form_open(app, rq.form, outcome_submit, form_cancelled, NULL);
}

static void extend_submit(struct app *app, struct form *f, void *ud)
{
    (void)ud;
    struct privacy_request_change ch = {.extended_to = form_text(f, 0),
                                        .extension_reason = form_text(f, 1),
                                        .subject_told_at = form_text(f, 2)};
    if (!ch.extension_reason[0]) {
        form_set_error(f, 1, "an extension needs its reason");
        return;
    }
    if (!ch.subject_told_at[0])
        ch.subject_told_at = NULL;
    form_set_busy(f, "extending the deadline ...");
    send_change(app, &ch);
}

static const char *check_date(const char *text)
{
    int64_t t;
    if (!text[0])
        return NULL;
    return requests_json_time(text, &t) == 0 ? NULL : "a date YYYY-MM-DD (or an ISO time)";
}

static const char *check_needed_date(const char *text)
{
    return text[0] ? check_date(text) : "the new due date is needed";
}

/* The extension form: the new due date (at most three months after receipt,
 * the server checks), its reason, and when the subject was told. */
static void ask_extension(struct app *app)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        now[0] = '\0';
    rq.form = form_new("Extend the deadline");
    form_add_text(rq.form, "Extend to", NULL, 24, check_needed_date);
    form_add_text(rq.form, "Reason", NULL, 500, NULL);
    form_add_text(rq.form, "Subject told", now, 24, check_date);
    form_set_hint(rq.form,
                  "Up to two more months (three after receipt). Enter extends, Esc cancels");
    form_open(app, rq.form, extend_submit, form_cancelled, NULL);
}

/* The request went in progress as its action started: the list again. */
static void started(struct requests_reply *r, void *ud)
{
    struct app *app = ud;
    if (r->status != CRM_OK && r->status != CRM_ERR_CANCELLED)
        app_error(app, "privacy request: %s", r->message);
    requests_reply_free(&r);
    requests_load(app);
}

/* Starts the quick action that serves the request's type on its contact. */
static void run_action(struct app *app)
{
    struct menu_target t;
    const char *why = "";
    bool ok;

    memset(&t, 0, sizeof t);
    t.id = rq.cur_contact;
    draw_copy(t.name, sizeof t.name, rq.cur_email);
    draw_copy(t.email, sizeof t.email, rq.cur_email);
    t.subscription_status = 2;
    if (strcmp(rq.cur_type, "erasure") == 0)
        ok = act_forget_available(app, &t, &why);
    else if (strcmp(rq.cur_type, "rectification") == 0)
        ok = act_edit_available(app, &t, &why);
    else
        ok = act_export_available(app, &t, &why);
    if (!ok) {
        app_error(app, "the action for this request is not available: %s", why);
        return;
    }
    if (strcmp(rq.cur_status, "verified") == 0) {
        struct privacy_request_change ch = {.status = "in_progress"};
        if (!api_requests_change(app->client, rq.cur_id, &ch, started, app))
            app_error(app, "the request could not be marked in progress");
    }
    if (strcmp(rq.cur_type, "erasure") == 0)
        act_forget_run(app, &t);
    else if (strcmp(rq.cur_type, "rectification") == 0)
        act_edit_run(app, &t);
    else
        act_export_run(app, &t);
}

static void box_chosen(struct app *app, int key, void *ud)
{
    (void)ud;
    struct privacy_request_change ch;

    memset(&ch, 0, sizeof ch);
    switch (key) {
    case 'l':
        rq.change = api_lookup_email(app->client, rq.cur_email, looked_up, app);
        if (!rq.change)
            app_error(app, "the lookup could not be sent");
        break;
    case 'v':
        ch.status = "verified";
        send_change(app, &ch);
        break;
    case 'p':
        ch.status = "in_progress";
        send_change(app, &ch);
        break;
    case 'a':
        run_action(app);
        break;
    case 'c':
        ask_outcome(app, true);
        break;
    case 'j':
        ask_outcome(app, false);
        break;
    case 't':
        ask_extension(app);
        break;
    default:
        break;
    }
}

static const char *action_word(const char *type)
{
    if (strcmp(type, "erasure") == 0)
        return "run Forget on the contact";
    if (strcmp(type, "rectification") == 0)
        return "run Edit on the contact";
    return "run Export of the contact";
}

static void open_box(struct app *app, const struct privacy_request *r)
{
    char text[3072], days[32], title[64];
    struct dialog_choice ch[8];
    size_t n = 0;
    bool overdue, closed = requests_json_closed(r->status);
    int k;

    rq.cur_id = r->id;
    draw_copy(rq.cur_type, sizeof rq.cur_type, r->type ? r->type : "");
    draw_copy(rq.cur_status, sizeof rq.cur_status, r->status ? r->status : "");
    draw_copy(rq.cur_email, sizeof rq.cur_email, r->subject_email ? r->subject_email : "");
    rq.cur_contact = r->contact_id;
    days_text(r, days, sizeof days, &overdue);
    k = snprintf(text, sizeof text, "Type: %s\nStatus: %s\n", rq.cur_type, rq.cur_status);
    if (closed)
        k += snprintf(text + k, sizeof text - (size_t)k, "Reference: %s\n",
                      r->subject_ref ? r->subject_ref : "-");
    else
        k += snprintf(text + k, sizeof text - (size_t)k, "Subject: %s\n",
                      mask_show(rq.cur_contact, MASK_EMAIL, rq.cur_email, (char[320]){0}, 320));
    k += snprintf(text + k, sizeof text - (size_t)k, "Received: %s\nDue: %s (%s)\n",
                  r->received_at ? r->received_at : "-", r->due_at ? r->due_at : "-", days);
    if (r->extended_to && k > 0 && (size_t)k < sizeof text)
        k += snprintf(text + k, sizeof text - (size_t)k, "Extended to: %s (%s)\n", r->extended_to,
                      r->extension_reason ? r->extension_reason : "");
    if (k > 0 && (size_t)k < sizeof text) {
        if (r->contact_id)
            k += snprintf(text + k, sizeof text - (size_t)k, "Contact: #%lld\n",
                          (long long)r->contact_id);
        else
            k += snprintf(text + k, sizeof text - (size_t)k, "Contact: not linked\n");
    }
    if (closed && k > 0 && (size_t)k < sizeof text) {
        k += snprintf(text + k, sizeof text - (size_t)k, "Outcome: %s\n",
                      r->outcome ? r->outcome : "-");
        if (r->receipt_id && k > 0 && (size_t)k < sizeof text)
            snprintf(text + k, sizeof text - (size_t)k, "Receipt: audit entry #%lld at %s\n",
                     (long long)r->receipt_id, r->receipt_at ? r->receipt_at : "-");
    }
    if (!closed) {
        if (rq.cur_email[0])
            ch[n++] = (struct dialog_choice){'l', "link to the contact with this email"};
        if (strcmp(rq.cur_status, "new") == 0)
            ch[n++] = (struct dialog_choice){'v', "mark verified"};
        if (strcmp(rq.cur_status, "verified") == 0)
            ch[n++] = (struct dialog_choice){'p', "mark in progress"};
        if (r->contact_id && strcmp(rq.cur_status, "new") != 0)
            ch[n++] = (struct dialog_choice){'a', action_word(rq.cur_type)};
        if (strcmp(rq.cur_status, "in_progress") == 0)
            ch[n++] = (struct dialog_choice){'c', "close as done (with an outcome)"};
        ch[n++] = (struct dialog_choice){'t', "extend the deadline"};
        ch[n++] = (struct dialog_choice){'j', "reject (with an outcome)"};
    } else {
        ch[n++] = (struct dialog_choice){'o', "ok"};
    }
    snprintf(title, sizeof title, "Privacy request #%lld", (long long)r->id);
    dialog_choose(app, title, text, ch, n, box_chosen, NULL);
}

static const char *check_type(const char *text)
{
    static const char *const types[] = {"access", "erasure", "rectification", "portability"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(text, types[i]) == 0)
            return NULL;
    return "access, erasure, rectification or portability";
}

static const char *check_email(const char *text)
{
    if (!text[0])
        return "the subject's email is needed";
    return form_check_email(text);
}

static void new_submit(struct app *app, struct form *f, void *ud)
{
    (void)ud;
    if (rq.change)
        return;
    rq.cur_id = 0;
    rq.change =
        api_requests_create(app->client, form_text(f, 0), form_text(f, 1), NULL, changed, app);
    if (!rq.change)
        form_set_error(f, -1, "the request could not be sent");
    else
        form_set_busy(f, "recording the request ...");
}

static void new_request(struct app *app)
{
    rq.form = form_new("New privacy request");
    form_add_text(rq.form, "Type", "access", 16, check_type);
    form_add_text(rq.form, "Email", NULL, 254, check_email);
    form_set_hint(rq.form,
                  "Type access, erasure, rectification or portability. Enter records, Esc cancels");
    form_open(app, rq.form, new_submit, form_cancelled, NULL);
}

static void requests_enter(struct app *app)
{
    requests_relayout(app);
    rq.error[0] = '\0';
    if (!(app->capabilities & (1u << CAP_PRIVACY_REQUESTS))) {
        snprintf(rq.error, sizeof rq.error, "Privacy requests are not available on this server.");
        return;
    }
    requests_load(app);
}

static void requests_leave(struct app *app)
{
    if (rq.req)
        crm_req_cancel(app->client, rq.req);
    rq.req = NULL;
    if (rq.change) {
        struct crm_req *q = rq.change;
        rq.change = NULL;
        crm_req_cancel(app->client, q);
    }
    requests_reply_free(&rq.data);
    view_body_free(&rq.body);
}

static void requests_draw(struct app *app, bool full)
{
    (void)full;
    int h = app->layout.body.h, w = app->layout.body.w;
    char line[768];

    if (!rq.body)
        return;
    view_body_clear(rq.body, app);
    snprintf(line, sizeof line, "%-6s  %-13s  %-11s  %-10s  %-12s  %s", "Id", "Type", "Status",
             "Due", "Days", "Subject");
    draw_cell(rq.body, 0, 0, w, line, UIC_PANE_TITLE_FOCUS);
    if (rq.error[0]) {
        draw_text(rq.body, 2, 1, w - 2, rq.error, UIC_NOTICE);
    } else if (!rq.data) {
        draw_text(rq.body, 2, 1, w - 2, "loading the privacy requests ...", UIC_LIST_LOADING);
    } else if (rq.data->n_requests == 0) {
        draw_text(rq.body, 2, 1, w - 2, "No privacy requests. n records a new one.",
                  UIC_DETAIL_EMPTY);
    } else {
        int rows = h - 1;
        rq.top = view_list_top(rq.top, rq.sel, rows);
        for (int y = 0; y < rows && rq.top + y < (long)rq.data->n_requests; y++) {
            const struct privacy_request *r = &rq.data->requests[rq.top + y];
            char days[32], subject[400];
            bool overdue;
            days_text(r, days, sizeof days, &overdue);
            if (r->subject_email)
                snprintf(
                    subject, sizeof subject, "%s",
                    mask_show(r->contact_id, MASK_EMAIL, r->subject_email, (char[320]){0}, 320));
            else
                snprintf(subject, sizeof subject, "ref %.16s",
                         r->subject_ref ? r->subject_ref : "-");
            snprintf(line, sizeof line, "#%-5lld  %-13.13s  %-11.11s  %-10.10s  %-12.12s  %s",
                     (long long)r->id, r->type ? r->type : "-", r->status ? r->status : "-",
                     r->extended_to ? r->extended_to : (r->due_at ? r->due_at : "-"), days,
                     subject);
            enum uic c = rq.top + y == rq.sel ? UIC_LIST_SELECTED
                         : overdue            ? UIC_STATUS_ERROR
                                              : UIC_LIST_ROW;
            draw_cell(rq.body, 1 + y, 0, w, line, c);
        }
    }
    wnoutrefresh(rq.body);
}

static bool requests_handle(struct app *app, enum action a)
{
    long n = rq.data ? (long)rq.data->n_requests : 0;
    long page = app->layout.body.h > 2 ? app->layout.body.h - 2 : 1;

    switch (a) {
    case ACT_ADM_SELECT:
        if (n > 0)
            open_box(app, &rq.data->requests[rq.sel]);
        break;
    case ACT_REQ_NEW:
        if (!rq.error[0])
            new_request(app);
        break;
    case ACT_ADM_RELOAD:
        requests_load(app);
        break;
    case ACT_BACK:
        return view_back_to_contacts(app);
    default:
        if (!view_list_move(&rq.sel, n, page, a))
            return false;
        break;
    }
    app->full_redraw = true;
    return true;
}

static void requests_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    if (rq.data)
        snprintf(buf, len, "Privacy requests  %zu", rq.data->n_requests);
    else
        snprintf(buf, len, "Privacy requests");
}

static void requests_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "%s", rq.req ? "loading the privacy requests" : "");
}

static void requests_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(rq.body);
}

const struct view_ops view_requests_ops = {
    .name = "requests",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = requests_enter,
    .leave = requests_leave,
    .relayout = requests_relayout,
    .draw = requests_draw,
    .handle = requests_handle,
    .data_changed = view_full_redraw,
    .title = requests_title,
    .busy = requests_busy,
    .cursor = requests_cursor,
    .opened_by = CMD_REQUESTS,
};
