/* Quick action "Edit" (rectification): the contact's fields in a form,
 * checked at each field; only changed fields are sent; a refusal keeps what
 * was typed and shows the server's message. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/api_actions.h"
#include "core/api_reveal.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/mask.h"
#include "tui/menu.h"

#define NAME_MAX_BYTES  100
#define EMAIL_MAX_BYTES 254
#define TEXT_MAX_BYTES  255

/* The text fields of the form, in order: label, member of struct contact and
 * of struct contact_patch, limit, check. */
#define EDIT_FIELDS(X)                                                                             \
    X(F_FIRST, "First name", first_name, NAME_MAX_BYTES, NULL)                                     \
    X(F_LAST, "Last name", last_name, NAME_MAX_BYTES, NULL)                                        \
    X(F_EMAIL, "Email", email, EMAIL_MAX_BYTES, form_check_email)                                  \
    X(F_MOBILE, "Mobile", mobile_number, 40, form_check_phone)                                     \
    X(F_WORK, "Work number", work_number, 40, form_check_phone)                                    \
    X(F_JOB, "Job title", job_title, TEXT_MAX_BYTES, NULL)                                         \
    X(F_DEPT, "Department", department, TEXT_MAX_BYTES, NULL)                                      \
    X(F_ADDRESS, "Address", address, TEXT_MAX_BYTES, NULL)                                         \
    X(F_CITY, "City", city, TEXT_MAX_BYTES, NULL)                                                  \
    X(F_STATE, "State", state, TEXT_MAX_BYTES, NULL)                                               \
    X(F_ZIP, "Zipcode", zipcode, 20, NULL)                                                         \
    X(F_COUNTRY, "Country", country, TEXT_MAX_BYTES, NULL)

enum edit_field {
#define EDIT_ENUM(id, label, member, max, check) id,
    EDIT_FIELDS(EDIT_ENUM)
#undef EDIT_ENUM
        F_OWNER,
    F_COMPANY,
    F_COUNT
};

static struct {
    int64_t id;
    char name[256];
    int64_t owner_id, company_id;
    struct form *form;
    struct crm_req *req;
    void *busy;
} ed;

bool act_edit_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)app;
    if (t->deleted) {
        *why = MENU_WHY_RECYCLED;
        return false;
    }
    return true;
}

/* The owner typed: a user's name (unique start, any case) or an id; 0 for
 * none; -1 with *why when it matches no one or several. */
static int64_t owner_from_text(const struct app *app, const char *text, const char **why)
{
    size_t n = strlen(text);
    int64_t found = -1;
    char *end;
    if (n == 0)
        return 0;
    long long v = strtoll(text, &end, 10);
    if (*end == '\0' && v > 0) {
        for (size_t i = 0; i < app->n_owners; i++)
            if (app->owners[i].id == v)
                return v;
        *why = "no user has this id";
        return -1;
    }
    for (size_t i = 0; i < app->n_owners; i++) {
        const char *name = app->owners[i].name;
        if (!name || strncasecmp(name, text, n) != 0)
            continue;
        if (name[n] == '\0')
            return app->owners[i].id; /* an exact name wins */
        if (found > 0) {
            *why = "several users match: type more of the name";
            return -1;
        }
        found = app->owners[i].id;
    }
    if (found < 0)
        *why = "no user of that name (owners come from /selector/owners)";
    return found;
}

static void on_saved(struct actions_reply *r, void *ud)
{
    struct app *app = ud;
    ed.req = NULL;
    if (!form_is_open(ed.form)) {
        ed.form = NULL;
        if (r->status == CRM_OK)
            app_message(app, "%s: the changes were saved", ed.name);
        else
            app_error(app, "%s: not saved: %s", ed.name, r->message);
        return;
    }
    form_set_busy(ed.form, NULL);
    if (r->status != CRM_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "Not saved: %s", r->message);
        form_set_error(ed.form, -1, msg);
        return;
    }
    form_close(app, ed.form);
    ed.form = NULL;
    store_invalidate(app->store, ed.id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
    app_message(app, "%s: the changes were saved", ed.name);
}

static void on_submit(struct app *app, struct form *f, void *ud)
{
    struct contact_patch p;
    const char *why = NULL;
    bool any = false;
    (void)ud;
    memset(&p, 0, sizeof p);
    p.owner_id = -1;
    p.sales_account_id = -1;
#define EDIT_PATCH(id, label, member, max, check)                                                  \
    if (form_changed(f, id)) {                                                                     \
        p.member = form_text(f, id);                                                               \
        any = true;                                                                                \
    }
    EDIT_FIELDS(EDIT_PATCH)
#undef EDIT_PATCH
    if (!form_text(f, F_FIRST)[0] && !form_text(f, F_LAST)[0] && !form_text(f, F_EMAIL)[0]) {
        form_set_error(f, F_FIRST, "a name or an email is required");
        return;
    }
    if (form_changed(f, F_OWNER)) {
        int64_t owner = owner_from_text(app, form_text(f, F_OWNER), &why);
        if (owner < 0) {
            form_set_error(f, F_OWNER, why);
            return;
        }
        if (owner != ed.owner_id) {
            p.owner_id = owner;
            any = true;
        }
    }
    if (form_changed(f, F_COMPANY)) {
        const char *t = form_text(f, F_COMPANY);
        char *end;
        long long v = t[0] ? strtoll(t, &end, 10) : 0;
        if (t[0] && (*end != '\0' || v <= 0)) {
            form_set_error(f, F_COMPANY, "a company id (digits), or empty for none");
            return;
        }
        if (v != ed.company_id) {
            p.sales_account_id = v;
            any = true;
        }
    }
    if (!any) {
        form_set_error(f, -1, "Nothing changed: edit a field, or Esc");
        return;
    }
    ed.req = api_contact_rectify(app->client, ed.id, &p, on_saved, app);
    if (!ed.req) {
        form_set_error(f, -1, "The request could not be sent.");
        return;
    }
    form_set_busy(f, "Saving...");
}

static void on_cancel(struct app *app, void *ud)
{
    (void)ud;
    ed.form = NULL;
    if (!ed.req)
        app_message(app, "edit cancelled: nothing changed");
}

static void open_form(struct app *app, const struct contact *c)
{
    struct form *f = form_new("Edit contact");
    char buf[64];
    ed.owner_id = c->owner_id;
    ed.company_id = c->sales_account_id;
#define EDIT_ADD(id, label, member, max, check) form_add_text(f, label, c->member, max, check);
    EDIT_FIELDS(EDIT_ADD)
#undef EDIT_ADD
    const char *owner = c->owner_name ? c->owner_name : app_user_name(app, c->owner_id);
    if (!owner && c->owner_id > 0) {
        snprintf(buf, sizeof buf, "%" PRId64, c->owner_id);
        owner = buf;
    }
    form_add_text(f, "Owner", owner, TEXT_MAX_BYTES, NULL);
    if (c->sales_account_id > 0)
        snprintf(buf, sizeof buf, "%" PRId64, c->sales_account_id);
    else
        buf[0] = '\0';
    form_add_text(f, "Company id", buf, 20, NULL);
    if (c->company_name) {
        char hint[160];
        snprintf(hint, sizeof hint, "Company now: %s. Tab next, Enter saves, Esc cancels",
                 c->company_name);
        form_set_hint(f, hint);
    }
    ed.form = f;
    form_open(app, f, on_submit, on_cancel, NULL);
}

static void on_loaded(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    ed.req = NULL;
    dialog_close(app, ed.busy);
    ed.busy = NULL;
    if (r->status == CRM_ERR_CANCELLED) {
        app_message(app, "edit cancelled: nothing changed");
    } else if (r->status != CRM_OK || !r->contact) {
        char text[600];
        snprintf(text, sizeof text, "%s could not be loaded for editing: %s", ed.name, r->message);
        dialog_message(app, "Edit", text, true, NULL, NULL);
    } else {
        open_form(app, r->contact);
    }
    crm_reply_free(&r);
}

static void cancel_load(struct app *app, void *ud)
{
    (void)ud;
    ed.busy = NULL;
    if (ed.req) {
        struct crm_req *q = ed.req;
        ed.req = NULL;
        crm_req_cancel(app->client, q);
    }
}

/* Fetched afresh: the form starts from what the server holds now. */
static void load(struct app *app)
{
    ed.req = api_contact(app->client, ed.id, on_loaded, app);
    if (!ed.req) {
        app_error(app, "the request could not be sent");
        return;
    }
    ed.busy = dialog_busy(app, "Edit", "Loading the contact...", cancel_load, NULL);
}

/* In masked mode the form shows every field unmasked: that is a reveal, and
 * it is audited ("all") before anything is fetched or shown. */
static void on_revealed(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    ed.req = NULL;
    dialog_close(app, ed.busy);
    ed.busy = NULL;
    if (r->status == CRM_ERR_CANCELLED) {
        app_message(app, "edit cancelled: nothing changed");
    } else if (r->status != CRM_OK) {
        char text[600];
        snprintf(text, sizeof text,
                 "The form was not opened: in masked mode it is a reveal of every field, and "
                 "the server did not record it: %s",
                 r->message);
        dialog_message(app, "Edit", text, true, NULL, NULL);
    } else {
        load(app);
    }
    crm_reply_free(&r);
}

void act_edit_run(struct app *app, const struct menu_target *t)
{
    memset(&ed, 0, sizeof ed);
    ed.id = t->id;
    draw_copy(ed.name, sizeof ed.name, t->shown_name);
    if (!mask_enabled()) {
        load(app);
        return;
    }
    ed.req = api_audit_reveal(app->client, ed.id, "all", on_revealed, app);
    if (!ed.req) {
        app_error(app, "the request could not be sent");
        return;
    }
    ed.busy = dialog_busy(app, "Edit", "Masked mode: recording the reveal of every field...",
                          cancel_load, NULL);
}
