/* Quick action "Unsubscribe": after a confirmation, Do Not Disturb on and
 * every subscription off, recorded by the server as a quick action; the
 * timeline shows the entry at once. */
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
} unsub;

bool act_unsubscribe_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)app;
    if (t->deleted) {
        *why = MENU_WHY_RECYCLED;
        return false;
    }
    return true;
}

static void on_unsubscribed(struct actions_reply *r, void *ud)
{
    struct app *app = ud;
    dialog_close(app, unsub.busy);
    unsub.busy = NULL;
    if (r->status != CRM_OK) {
        char text[1024];
        snprintf(text, sizeof text, "%s could not be unsubscribed: %s", unsub.name, r->message);
        dialog_message(app, "Unsubscribe", text, true, NULL, NULL);
        return;
    }
    store_invalidate(app->store, unsub.id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
    app_message(app, "%s is unsubscribed (Do Not Disturb on)", unsub.name);
}

static void on_confirm(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'y') {
        app_message(app, "unsubscribe cancelled: nothing changed");
        return;
    }
    if (!api_contact_unsubscribe(app->client, unsub.id, on_unsubscribed, app)) {
        app_error(app, "the request could not be sent");
        return;
    }
    unsub.busy = dialog_busy(app, "Unsubscribe", "Unsubscribing...", NULL, NULL);
}

void act_unsubscribe_run(struct app *app, const struct menu_target *t)
{
    static const struct dialog_choice choices[] = {
        {'y', "yes, unsubscribe"},
        {'n', "no"},
    };
    char text[1400];
    unsub.id = t->id;
    draw_copy(unsub.name, sizeof unsub.name, t->shown_name);
    snprintf(text, sizeof text,
             "Unsubscribe %s%s%s%s?\nDo Not Disturb goes on and every subscription off; the "
             "timeline records it as a quick action by you.",
             t->shown_name, t->email[0] ? " <" : "", t->shown_email, t->email[0] ? ">" : "");
    dialog_choose(app, "Unsubscribe", text, choices, 2, on_confirm, NULL);
}
