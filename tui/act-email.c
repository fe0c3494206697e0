/* Quick action "Send email": subject, body and the "include unsubscribe
 * link" box (its default from the account's settings when they can be read,
 * else on); a Do Not Disturb contact is refused or warned about, as the
 * account says. */
#include <stdio.h>
#include <string.h>

#include "core/api_comms.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/menu.h"

#define SUBJECT_MAX 200

static struct {
    int64_t id;
    char name[256];
    struct form *form;
    int f_subject, f_body, f_link;
    struct crm_req *req;
    void *busy;
} em;

bool act_email_available(const struct app *app, const struct menu_target *t, const char **why)
{
    if (t->deleted) {
        *why = MENU_WHY_RECYCLED;
        return false;
    }
    if (!t->email[0]) {
        *why = "no email address";
        return false;
    }
    return menu_need_capability(app, CAP_EMAIL, why);
}

static const char *check_required(const char *text)
{
    return text[strspn(text, " \t")] ? NULL : "required";
}

static void refresh_timeline(struct app *app)
{
    store_invalidate(app->store, em.id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
}

static void on_sent(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    struct email_result res;
    char err[160];
    em.req = NULL;
    if (!em.form || !form_is_open(em.form)) { /* cancelled meanwhile */
        crm_reply_free(&r);
        return;
    }
    form_set_busy(em.form, NULL);
    if (r->status == CRM_OK) {
        bool warned = false;
        if (comms_json_email_result(r->raw, r->raw_len, &res, err, sizeof err) == CRM_OK) {
            warned = res.warning != NULL;
            if (warned) {
                char text[600];
                snprintf(text, sizeof text,
                         "The email to %s is queued, with a warning: %s.\nThis contact is on Do "
                         "Not Disturb; the account only warns about email to them.",
                         em.name,
                         strcmp(res.warning, "do_not_disturb") == 0 ? "do not disturb"
                                                                    : res.warning);
                dialog_message(app, "Send email", text, false, NULL, NULL);
            }
            comms_json_email_result_clear(&res);
        }
        form_close(app, em.form);
        em.form = NULL;
        if (!warned)
            app_message(app, "email to %s queued", em.name);
        refresh_timeline(app);
    } else if (r->status == CRM_ERR_REFUSED) {
        form_set_error(em.form, -1,
                       "refused: this contact is on Do Not Disturb and the account blocks email "
                       "to them");
    } else {
        char msg[300];
        snprintf(msg, sizeof msg, "not sent: %s", r->message);
        form_set_error(em.form, -1, msg);
    }
    crm_reply_free(&r);
}

static void on_submit(struct app *app, struct form *f, void *ud)
{
    (void)ud;
    form_set_error(f, -1, NULL);
    em.req =
        api_comms_email_send(app->client, em.id, form_text(f, em.f_subject),
                             form_text(f, em.f_body), form_checked(f, em.f_link), on_sent, app);
    if (!em.req) {
        form_set_error(f, -1, "the request could not be sent");
        return;
    }
    form_set_busy(f, "sending...");
}

static void on_cancel(struct app *app, void *ud)
{
    (void)ud;
    em.form = NULL;
    if (em.req) {
        crm_req_cancel(app->client, em.req);
        em.req = NULL;
        app_message(app, "cancelled: the email may or may not have been queued; R shows the "
                         "timeline");
        return;
    }
    app_message(app, "email not sent: nothing changed");
}

static void open_form(struct app *app, bool link_on)
{
    char title[320];
    snprintf(title, sizeof title, "Send email to %s", em.name);
    em.form = form_new(title);
    em.f_subject = form_add_text(em.form, "Subject", NULL, SUBJECT_MAX, check_required);
    em.f_body = form_add_text(em.form, "Body", NULL, 0, check_required);
    em.f_link = form_add_check(em.form, "include unsubscribe link", link_on);
    form_set_hint(em.form, "Tab moves, Space ticks the box, Enter sends, Esc cancels");
    form_open(app, em.form, on_submit, on_cancel, NULL);
}

static void on_settings(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    bool link_on = true; /* the default when the settings cannot be read */
    char err[160];
    em.req = NULL;
    if (em.busy && dialog_is_open(em.busy))
        dialog_close(app, em.busy);
    em.busy = NULL;
    if (r->status == CRM_ERR_CANCELLED) {
        crm_reply_free(&r);
        app_message(app, "email not sent: nothing changed");
        return;
    }
    if (r->status == CRM_OK && comms_json_default_unsubscribe_link(r->raw, r->raw_len, &link_on,
                                                                   err, sizeof err) != CRM_OK)
        link_on = true;
    crm_reply_free(&r);
    open_form(app, link_on);
}

static void cancel_settings(struct app *app, void *ud)
{
    (void)ud;
    em.busy = NULL;
    if (em.req)
        crm_req_cancel(app->client, em.req);
}

void act_email_run(struct app *app, const struct menu_target *t)
{
    em.id = t->id;
    draw_copy(em.name, sizeof em.name, t->shown_name);
    if (!(app->capabilities & (1u << CAP_GDPR_SETTINGS))) {
        open_form(app, true);
        return;
    }
    em.req = api_comms_gdpr_settings(app->client, on_settings, app);
    if (!em.req) {
        open_form(app, true);
        return;
    }
    em.busy =
        dialog_busy(app, "Send email", "reading the account's settings...", cancel_settings, NULL);
}
