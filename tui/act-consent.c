/* Quick action "Request consent": a double opt-in email for one purpose;
 * the timeline shows opt_in_requested, and consent_granted once the contact
 * follows the link. */
#include <stdio.h>

#include "core/api_comms.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/menu.h"

/* The purposes offered, with their keys. */
static const struct {
    int key;
    const char *purpose, *label;
} purposes[] = {
    {'n', "newsletter", "newsletter"},
    {'p', "product_updates", "product updates"},
};

#define N_PURPOSES (sizeof purposes / sizeof purposes[0])

static struct {
    int64_t id;
    char name[256];
    const char *purpose;
    void *busy;
} cr;

bool act_consent_available(const struct app *app, const struct menu_target *t, const char **why)
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

static void on_requested(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    if (cr.busy && dialog_is_open(cr.busy))
        dialog_close(app, cr.busy);
    cr.busy = NULL;
    if (r->status == CRM_OK) {
        store_invalidate(app->store, cr.id);
        if (app->view == VIEW_CONTACTS)
            view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
        app_message(app, "opt-in email for %s sent to %s", cr.purpose, cr.name);
    } else if (r->status != CRM_ERR_CANCELLED) {
        char text[700];
        snprintf(text, sizeof text, "The opt-in email to %s was not sent: %s", cr.name, r->message);
        dialog_message(app, "Request consent", text, true, NULL, NULL);
    }
    crm_reply_free(&r);
}

static void on_purpose(struct app *app, int key, void *ud)
{
    (void)ud;
    cr.purpose = NULL;
    for (size_t i = 0; i < N_PURPOSES; i++)
        if (purposes[i].key == key)
            cr.purpose = purposes[i].purpose;
    if (!cr.purpose) {
        app_message(app, "consent request cancelled: nothing sent");
        return;
    }
    if (!api_comms_consent_request(app->client, cr.id, cr.purpose, on_requested, app)) {
        app_error(app, "the request could not be sent");
        return;
    }
    cr.busy = dialog_busy(app, "Request consent", "sending the opt-in email...", NULL, NULL);
}

void act_consent_run(struct app *app, const struct menu_target *t)
{
    struct dialog_choice ch[N_PURPOSES];
    char text[700];
    cr.id = t->id;
    draw_copy(cr.name, sizeof cr.name, t->shown_name);
    for (size_t i = 0; i < N_PURPOSES; i++) {
        ch[i].key = purposes[i].key;
        ch[i].label = purposes[i].label;
    }
    snprintf(text, sizeof text,
             "Send %s <%s> a double opt-in email: consent is recorded only when they follow "
             "its link. For which purpose?",
             t->shown_name, t->shown_email);
    dialog_choose(app, "Request consent", text, ch, N_PURPOSES, on_purpose, NULL);
}
