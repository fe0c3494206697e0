/* Quick action "Clear enriched fields": after a confirmation, the fields that
 * profile enrichment filled (Facebook, Twitter, LinkedIn, avatar) are set to
 * null on one contact, recorded by the server as a quick action. The
 * all-contacts version is on the Settings screen's CRM tab. */
#include <stdio.h>

#include "core/api_actions.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/menu.h"

static struct {
    int64_t id;
    char name[256];
    void *busy;
} enr;

bool act_enrichment_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)app;
    if (t->deleted) {
        *why = MENU_WHY_RECYCLED;
        return false;
    }
    return true;
}

static void on_cleared(struct actions_reply *r, void *ud)
{
    struct app *app = ud;
    dialog_close(app, enr.busy);
    enr.busy = NULL;
    if (r->status != CRM_OK) {
        char text[1024];
        snprintf(text, sizeof text, "The enriched fields of %s were not cleared: %s", enr.name,
                 r->message);
        dialog_message(app, "Clear enriched fields", text, true, NULL, NULL);
        return;
    }
    store_invalidate(app->store, enr.id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
    app_message(app, "%s: the enriched fields are cleared", enr.name);
}

static void on_confirm(struct app *app, int key, void *ud)
{
    struct contact_patch patch = {.owner_id = -1, .sales_account_id = -1, .clear_enrichment = true};
    (void)ud;
    if (key != 'y') {
        app_message(app, "clearing cancelled: nothing changed");
        return;
    }
    if (!api_contact_rectify(app->client, enr.id, &patch, on_cleared, app)) {
        app_error(app, "the request could not be sent");
        return;
    }
    enr.busy = dialog_busy(app, "Clear enriched fields", "Clearing...", NULL, NULL);
}

void act_enrichment_run(struct app *app, const struct menu_target *t)
{
    static const struct dialog_choice choices[] = {
        {'y', "yes, clear them"},
        {'n', "no"},
    };
    char text[1400];
    enr.id = t->id;
    draw_copy(enr.name, sizeof enr.name, t->shown_name);
    snprintf(text, sizeof text,
             "Clear what profile enrichment filled for %s?\nFacebook, Twitter, LinkedIn and the "
             "avatar become empty; the rest of the record stays. The timeline records it.",
             t->shown_name);
    dialog_choose(app, "Clear enriched fields", text, choices, 2, on_confirm, NULL);
}
