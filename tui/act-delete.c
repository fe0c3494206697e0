/* Quick actions "Delete" (to the Recycle Bin, after a confirmation that also
 * asks whether call notes and recordings go for good now) and "Restore"
 * (Recycle Bin view only). */
#include <stdio.h>

#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/menu.h"

static struct {
    int64_t id;
    char name[256];
    bool purge;
    void *busy;
} del;

bool act_delete_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)app;
    if (t->deleted) {
        *why = "already in the Recycle Bin";
        return false;
    }
    return true;
}

bool act_restore_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)app;
    if (!t->deleted) {
        *why = MENU_WHY_NOT_BIN;
        return false;
    }
    return true;
}

static void leave_list(struct app *app)
{
    store_remove(app->store, del.id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
}

static void on_deleted(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    dialog_close(app, del.busy);
    del.busy = NULL;
    if (r->status != CRM_OK) {
        char text[1024];
        snprintf(text, sizeof text, "%s was not deleted: %s", del.name, r->message);
        dialog_message(app, "Delete", text, true, NULL, NULL);
    } else {
        leave_list(app);
        app_message(app, "%s moved to the Recycle Bin%s", del.name,
                    del.purge ? "; call notes and recordings erased" : "");
    }
    crm_reply_free(&r);
}

static void on_confirm(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'y' && key != 'p') {
        app_message(app, "delete cancelled: nothing changed");
        return;
    }
    del.purge = key == 'p';
    if (!api_contact_delete(app->client, del.id, del.purge, on_deleted, app)) {
        app_error(app, "the request could not be sent");
        return;
    }
    del.busy = dialog_busy(app, "Delete", "Moving to the Recycle Bin...", NULL, NULL);
}

void act_delete_run(struct app *app, const struct menu_target *t)
{
    static const struct dialog_choice choices[] = {
        {'y', "yes, to the Recycle Bin (call data restorable)"},
        {'p', "yes, and erase call notes and recordings for good now"},
        {'n', "no"},
    };
    char text[1400];
    del.id = t->id;
    draw_copy(del.name, sizeof del.name, t->shown_name);
    snprintf(text, sizeof text,
             "Move %s to the Recycle Bin?\nIt can be restored from there. Its call notes and "
             "recordings can also be erased for good now.",
             t->shown_name);
    dialog_choose(app, "Delete", text, choices, 3, on_confirm, NULL);
}

static void on_restored(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    dialog_close(app, del.busy);
    del.busy = NULL;
    if (r->status != CRM_OK) {
        char text[1024];
        snprintf(text, sizeof text, "%s was not restored: %s", del.name, r->message);
        dialog_message(app, "Restore", text, true, NULL, NULL);
    } else {
        leave_list(app);
        app_message(app, "%s restored from the Recycle Bin", del.name);
    }
    crm_reply_free(&r);
}

void act_restore_run(struct app *app, const struct menu_target *t)
{
    del.id = t->id;
    draw_copy(del.name, sizeof del.name, t->shown_name);
    if (!api_contact_restore(app->client, del.id, on_restored, app)) {
        app_error(app, "the request could not be sent");
        return;
    }
    del.busy = dialog_busy(app, "Restore", "Restoring...", NULL, NULL);
}
