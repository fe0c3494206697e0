/* Quick action "Forget" (erasure, for those with the forget permission): the
 * preview of what goes and what stays, the contact's email (or name) typed to
 * confirm, the erasure, then a receipt with the audit reference. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/api_actions.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/menu.h"

static struct {
    int64_t id;
    char name[256];
    char confirm[256];       /* what the admin must type */
    char confirm_shown[256]; /* how it is shown: masked in masked mode */
    struct forget_preview preview;
    bool have_preview;
    bool already_gone;
    char done_at[40];
    struct crm_req *req;
    void *busy;
} fg;

bool act_forget_available(const struct app *app, const struct menu_target *t, const char **why)
{
    (void)t;
    if (!app_me_may(app, app->me.perm_forget_records)) {
        *why = MENU_WHY_PERMISSION;
        return false;
    }
    return true;
}

static void close_busy(struct app *app)
{
    dialog_close(app, fg.busy);
    fg.busy = NULL;
}

/* "12 timeline entries, 1 notes, ..." of the counts that are known. */
static void erase_text(const long *erase, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < FORGET_COUNT; i++) {
        if (erase[i] < 0)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s: %ld", used ? ", " : "",
                         actions_json_erase_words((enum forget_count)i), erase[i]);
        if (n < 0 || (size_t)n >= len - used)
            return;
        used += (size_t)n;
    }
}

static void show_receipt(struct app *app, const struct actions_reply *audit)
{
    char text[2048], counts[600] = "", ref[400];
    const char *actor = app->me.display_name ? app->me.display_name : "you";
    const char *at = fg.done_at;

    if (audit && audit->audit_found) {
        at = audit->audit.at[0] ? audit->audit.at : at;
        draw_copy(counts, sizeof counts, audit->audit.counts);
        snprintf(ref, sizeof ref, "%s (audit entry %lld)", audit->audit.subject_ref,
                 (long long)audit->audit.id);
    } else {
        if (fg.have_preview)
            erase_text(fg.preview.erase, counts, sizeof counts);
        snprintf(ref, sizeof ref, "not readable here (%s)",
                 audit ? audit->message : "the audit is not offered");
    }
    if (fg.already_gone)
        snprintf(text, sizeof text,
                 "The contact was already forgotten on the server: nothing is left of it.\n"
                 "Checked at %s by %s.",
                 at, actor);
    else
        snprintf(text, sizeof text, "Forgotten at %s by %s.\nErased: %s.\nAudit reference: %s%s",
                 at, actor, counts[0] ? counts : "the contact", ref,
                 /* only the entry read back is known to hold none */
                 audit && audit->audit_found ? "\nThe audit entry holds no personal data." : "");
    dialog_message(app, "Erasure receipt", text, false, NULL, NULL);
}

static void on_audit(struct actions_reply *r, void *ud)
{
    struct app *app = ud;
    fg.req = NULL;
    close_busy(app);
    show_receipt(app, r);
}

static void on_forgotten(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    time_t now = time(NULL);
    struct tm tm;
    fg.req = NULL;
    if (r->status != CRM_OK) {
        char text[1024];
        close_busy(app);
        snprintf(text, sizeof text,
                 "%s was not forgotten: %s\nNothing was erased; the erasure is all or nothing. "
                 "Try again when the server answers.",
                 fg.name, r->message);
        dialog_message(app, "Forget", text, true, NULL, NULL);
        crm_reply_free(&r);
        return;
    }
    fg.already_gone = r->already_gone;
    crm_reply_free(&r);
    localtime_r(&now, &tm);
    strftime(fg.done_at, sizeof fg.done_at, "%Y-%m-%d %H:%M:%S", &tm);
    store_remove(app->store, fg.id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD);
    if (fg.already_gone || !(app->capabilities & (1u << CAP_AUDIT))) {
        close_busy(app);
        show_receipt(app, NULL);
        return;
    }
    dialog_set_text(fg.busy, "Erased. Reading the audit reference...");
    fg.req = api_audit_newest_forget(app->client, on_audit, app);
    if (!fg.req) {
        close_busy(app);
        show_receipt(app, NULL);
    }
}

static void on_typed(struct app *app, bool confirmed, void *ud)
{
    (void)ud;
    if (!confirmed) {
        app_message(app, "forget cancelled: nothing was erased");
        return;
    }
    fg.req = api_contact_forget(app->client, fg.id, on_forgotten, app);
    if (!fg.req) {
        app_error(app, "the request could not be sent: nothing was erased");
        return;
    }
    fg.busy = dialog_busy(app, "Forget", "Erasing...", NULL, NULL);
}

static void ask_typed(struct app *app)
{
    char text[1024];
    snprintf(text, sizeof text, "To erase %s for good, type the contact's %s:\n%s", fg.name,
             strchr(fg.confirm, '@') ? "email" : "name", fg.confirm_shown);
    dialog_typed(app, "Forget: confirm", text, fg.confirm, on_typed, NULL);
}

static void on_step1(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'y') {
        app_message(app, "forget cancelled: nothing was erased");
        return;
    }
    ask_typed(app);
}

static void show_preview(struct app *app, const char *note)
{
    static const struct dialog_choice choices[] = {
        {'y', "continue: type the confirmation"},
        {'n', "no, keep the contact"},
    };
    char text[2048], erase[600] = "", keep[400];

    if (fg.have_preview) {
        erase_text(fg.preview.erase, erase, sizeof erase);
        if (fg.preview.keeps_company)
            snprintf(keep, sizeof keep, "the company %s (the link is removed), deals: %ld",
                     fg.preview.company_name, fg.preview.deals_kept);
        else
            snprintf(keep, sizeof keep, "no company, deals: %ld", fg.preview.deals_kept);
        snprintf(
            text, sizeof text,
            "Forget %s?\nErased for good: the contact and its %s.\nKept: %s, and one audit entry "
            "without personal data.",
            fg.name, erase, keep);
    } else {
        snprintf(text, sizeof text,
                 "Forget %s?\n%s\nErased for good: the contact with its timeline, notes, calls, "
                 "chats and emails.",
                 fg.name, note);
    }
    dialog_choose(app, "Forget: what goes, what stays", text, choices, 2, on_step1, NULL);
}

static void on_preview(struct actions_reply *r, void *ud)
{
    struct app *app = ud;
    fg.req = NULL;
    close_busy(app);
    if (r->status == CRM_ERR_CANCELLED) {
        app_message(app, "forget cancelled: nothing was erased");
        return;
    }
    if (r->status == CRM_OK) {
        fg.preview = r->preview;
        fg.have_preview = true;
        show_preview(app, NULL);
        return;
    }
    if (r->http_code == 404 && app->capabilities == 0) {
        /* a server without the preview: the step still shows, without counts */
        show_preview(app, "This server gives no counts in advance.");
        return;
    }
    char text[1024];
    snprintf(text, sizeof text,
             "The erasure preview of %s could not be read: %s\nNothing was "
             "erased.",
             fg.name, r->message);
    dialog_message(app, "Forget", text, true, NULL, NULL);
}

static void cancel_preview(struct app *app, void *ud)
{
    (void)ud;
    fg.busy = NULL;
    if (fg.req) {
        struct crm_req *q = fg.req;
        fg.req = NULL;
        crm_req_cancel(app->client, q);
    }
}

void act_forget_run(struct app *app, const struct menu_target *t)
{
    memset(&fg, 0, sizeof fg);
    fg.id = t->id;
    draw_copy(fg.name, sizeof fg.name, t->shown_name);
    draw_copy(fg.confirm, sizeof fg.confirm, t->email[0] ? t->email : t->name);
    draw_copy(fg.confirm_shown, sizeof fg.confirm_shown,
              t->email[0] ? t->shown_email : t->shown_name);
    fg.req = api_forget_preview(app->client, fg.id, on_preview, app);
    if (!fg.req) {
        app_error(app, "the request could not be sent");
        return;
    }
    fg.busy =
        dialog_busy(app, "Forget", "Reading what the erasure would cover...", cancel_preview, NULL);
}
