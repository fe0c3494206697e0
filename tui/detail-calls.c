/* The Calls and Chats sections of the detail pane, and their keys: pick a
 * call, delete its note or its recording (admin, confirmed), switch the
 * contact's chat events timeline. */
#include "tui/detail-calls.h"

#include <stdio.h>
#include <string.h>

#include "core/api_comms.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"

/* Messages shown per chat; the export has them all. */
#define CHAT_MESSAGES_SHOWN 5

static struct {
    int64_t contact_id;
    struct call_log *calls;
    size_t n_calls;
    bool calls_loaded, calls_failed;
    struct chat *chats;
    size_t n_chats;
    bool chats_loaded, chats_failed;
    char why[160];
    struct crm_req *calls_req, *chats_req, *change_req;
    /* What the requests in flight were asked for, and whether a newer answer
     * is wanted when they come back. A request in flight is never cancelled
     * for a newer one: cancelling a half-read transfer closes the session's
     * one connection. */
    int64_t calls_for, chats_for;
    bool calls_again, chats_again;
    long sel; /* the selected call */
    int64_t acting_call;
    bool acting_recording;
    void *busy;
} dc;

static void panes_changed(struct app *app)
{
    const struct view_ops *v = view_get(VIEW_CONTACTS);
    if (app->view == VIEW_CONTACTS && v->data_changed)
        v->data_changed(app);
}

static void clear_data(void)
{
    comms_json_calls_free(dc.calls, dc.n_calls);
    dc.calls = NULL;
    dc.n_calls = 0;
    comms_json_chats_free(dc.chats, dc.n_chats);
    dc.chats = NULL;
    dc.n_chats = 0;
    dc.calls_loaded = dc.calls_failed = dc.chats_loaded = dc.chats_failed = false;
}

static bool has_cap(const struct app *app, enum model_capability cap)
{
    return (app->capabilities & (1u << cap)) != 0;
}

static void on_calls(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    char err[160];
    dc.calls_req = NULL;
    if (dc.calls_for != dc.contact_id || dc.calls_again) {
        /* an answer for another contact, or outdated: ask again */
        bool cancelled = r->status == CRM_ERR_CANCELLED;
        crm_reply_free(&r);
        if (cancelled || !dc.contact_id || !has_cap(app, CAP_CALLS))
            return;
        dc.calls_again = false;
        dc.calls_for = dc.contact_id;
        dc.calls_req = api_comms_calls(app->client, dc.contact_id, on_calls, app);
        return;
    }
    comms_json_calls_free(dc.calls, dc.n_calls);
    dc.calls = NULL;
    dc.n_calls = 0;
    if (r->status == CRM_OK &&
        comms_json_calls(r->raw, r->raw_len, &dc.calls, &dc.n_calls, err, sizeof err) == CRM_OK) {
        dc.calls_loaded = true;
        if (dc.sel >= (long)dc.n_calls)
            dc.sel = dc.n_calls ? (long)dc.n_calls - 1 : 0;
    } else {
        dc.calls_failed = true;
        draw_copy(dc.why, sizeof dc.why, r->status == CRM_OK ? err : r->message);
    }
    crm_reply_free(&r);
    panes_changed(app);
}

static void on_chats(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    char err[160];
    dc.chats_req = NULL;
    if (dc.chats_for != dc.contact_id || dc.chats_again) {
        bool cancelled = r->status == CRM_ERR_CANCELLED;
        crm_reply_free(&r);
        if (cancelled || !dc.contact_id || !has_cap(app, CAP_CHATS))
            return;
        dc.chats_again = false;
        dc.chats_for = dc.contact_id;
        dc.chats_req = api_comms_chats(app->client, dc.contact_id, on_chats, app);
        return;
    }
    comms_json_chats_free(dc.chats, dc.n_chats);
    dc.chats = NULL;
    dc.n_chats = 0;
    if (r->status == CRM_OK &&
        comms_json_chats(r->raw, r->raw_len, &dc.chats, &dc.n_chats, err, sizeof err) == CRM_OK) {
        dc.chats_loaded = true;
    } else {
        dc.chats_failed = true;
        draw_copy(dc.why, sizeof dc.why, r->status == CRM_OK ? err : r->message);
    }
    crm_reply_free(&r);
    panes_changed(app);
}

static void fetch(struct app *app)
{
    /* One request of each kind in flight; a newer one waits for its answer. */
    if (dc.calls_req)
        dc.calls_again = dc.calls_for == dc.contact_id;
    else if (dc.contact_id && has_cap(app, CAP_CALLS)) {
        dc.calls_for = dc.contact_id;
        dc.calls_req = api_comms_calls(app->client, dc.contact_id, on_calls, app);
    }
    if (dc.chats_req)
        dc.chats_again = dc.chats_for == dc.contact_id;
    else if (dc.contact_id && has_cap(app, CAP_CHATS)) {
        dc.chats_for = dc.contact_id;
        dc.chats_req = api_comms_chats(app->client, dc.contact_id, on_chats, app);
    }
}

void detail_calls_open(struct app *app, int64_t contact_id)
{
    if (contact_id != dc.contact_id) {
        clear_data();
        dc.sel = 0;
    } else {
        dc.calls_failed = dc.chats_failed = false;
    }
    dc.contact_id = contact_id;
    fetch(app);
}

static void format_when(const char *iso, char *buf, size_t len)
{
    /* 2026-11-29T10:00:00Z -> 2026-11-29 10:00 */
    if (!iso || strlen(iso) < 16) {
        snprintf(buf, len, "%s", iso ? iso : "?");
        return;
    }
    snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
}

static void group(struct trows *r, const char *title)
{
    trows_add(r);
    trows_wrap(r, 1, title, UIC_DETAIL_GROUP);
}

static void append_calls(struct app *app, struct trows *r)
{
    char line[700], when[40], who[200];
    group(r, "Calls  (] next call, N delete note, X delete recording)");
    if (!has_cap(app, CAP_CALLS)) {
        trows_wrap(r, 3, "not available on this server", UIC_DETAIL_EMPTY);
        return;
    }
    if (dc.calls_failed) {
        snprintf(line, sizeof line, "Not loaded: %s. R reloads.", dc.why);
        trows_wrap(r, 3, line, UIC_DETAIL_EMPTY);
        return;
    }
    if (!dc.calls_loaded) {
        trows_wrap(r, 3, "loading...", UIC_DETAIL_EMPTY);
        return;
    }
    if (dc.n_calls == 0) {
        trows_wrap(r, 3, "No calls.", UIC_DETAIL_EMPTY);
        return;
    }
    for (size_t i = 0; i < dc.n_calls; i++) {
        const struct call_log *c = &dc.calls[i];
        bool sel = (long)i == dc.sel;
        format_when(c->started_at, when, sizeof when);
        snprintf(line, sizeof line, "%s %s %s", sel ? ">" : " ", when,
                 c->direction ? c->direction : "");
        if (c->duration_s >= 0) {
            size_t off = strlen(line);
            snprintf(line + off, sizeof line - off, ", %ldm%02lds", c->duration_s / 60,
                     c->duration_s % 60);
        }
        trows_wrap(r, 1, line, sel ? UIC_LIST_SELECTED : UIC_DETAIL_VALUE);
        snprintf(line, sizeof line, "Note: %s", c->note ? c->note : "none");
        trows_wrap(r, 5, line, c->note ? UIC_DETAIL_VALUE : UIC_DETAIL_EMPTY);
        if (c->has_recording) {
            const char *by =
                c->consent_by_user_id ? app_user_name(app, c->consent_by_user_id) : NULL;
            if (by)
                snprintf(who, sizeof who, "%s", by);
            else if (c->consent_by_user_id)
                snprintf(who, sizeof who, "user #%lld", (long long)c->consent_by_user_id);
            else
                snprintf(who, sizeof who, "automatic recording");
            format_when(c->consent_at, when, sizeof when);
            if (c->recording_bytes >= 0)
                snprintf(line, sizeof line, "Recording: %ld bytes; consent: %s%s%s",
                         c->recording_bytes, who, c->consent_at ? " at " : "",
                         c->consent_at ? when : "");
            else
                snprintf(line, sizeof line, "Recording: kept; consent: %s%s%s", who,
                         c->consent_at ? " at " : "", c->consent_at ? when : "");
            trows_wrap(r, 5, line, UIC_DETAIL_VALUE);
        } else {
            trows_wrap(r, 5, "Recording: none", UIC_DETAIL_EMPTY);
        }
    }
}

static void append_chats(struct app *app, struct trows *r)
{
    char line[700], when[40];
    group(r, "Chats  (T turns the chat events timeline on or off)");
    if (!has_cap(app, CAP_CHATS)) {
        trows_wrap(r, 3, "not available on this server", UIC_DETAIL_EMPTY);
        return;
    }
    if (dc.chats_failed) {
        snprintf(line, sizeof line, "Not loaded: %s. R reloads.", dc.why);
        trows_wrap(r, 3, line, UIC_DETAIL_EMPTY);
        return;
    }
    if (!dc.chats_loaded) {
        trows_wrap(r, 3, "loading...", UIC_DETAIL_EMPTY);
        return;
    }
    if (dc.n_chats == 0) {
        trows_wrap(r, 3, "No chats.", UIC_DETAIL_EMPTY);
        return;
    }
    for (size_t i = 0; i < dc.n_chats; i++) {
        const struct chat *c = &dc.chats[i];
        format_when(c->started_at, when, sizeof when);
        snprintf(line, sizeof line, "%s%s%s, %zu message%s", when, c->channel ? " " : "",
                 c->channel ? c->channel : "", c->n_messages, c->n_messages == 1 ? "" : "s");
        trows_wrap(r, 3, line, UIC_DETAIL_VALUE);
        for (size_t m = 0; m < c->n_messages && m < CHAT_MESSAGES_SHOWN; m++) {
            const struct chat_message *msg = &c->messages[m];
            snprintf(line, sizeof line, "%s: %s", msg->sender ? msg->sender : "?",
                     msg->text ? msg->text : "");
            trows_wrap(r, 5, line, UIC_DETAIL_LABEL);
        }
        if (c->n_messages > CHAT_MESSAGES_SHOWN) {
            snprintf(line, sizeof line, "(%zu more)", c->n_messages - CHAT_MESSAGES_SHOWN);
            trows_wrap(r, 5, line, UIC_DETAIL_EMPTY);
        }
    }
}

void detail_calls_append(struct app *app, struct trows *r, int lw)
{
    (void)lw;
    if (!dc.contact_id)
        return;
    append_calls(app, r);
    append_chats(app, r);
}

/* ---- the changes ---- */

static void close_busy(struct app *app)
{
    if (dc.busy && dialog_is_open(dc.busy))
        dialog_close(app, dc.busy);
    dc.busy = NULL;
}

static void refresh_contact(struct app *app)
{
    store_invalidate(app->store, dc.contact_id);
    if (app->view == VIEW_CONTACTS)
        view_get(VIEW_CONTACTS)->handle(app, ACT_RELOAD); /* fetches the calls again too */
    else
        fetch(app);
}

static void on_part_deleted(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    dc.change_req = NULL;
    close_busy(app);
    if (r->status == CRM_OK) {
        app_message(app, "call %s deleted", dc.acting_recording ? "recording" : "note");
        refresh_contact(app);
    } else if (r->status != CRM_ERR_CANCELLED) {
        char text[400];
        snprintf(text, sizeof text, "The call %s was not deleted: %s",
                 dc.acting_recording ? "recording" : "note", r->message);
        dialog_message(app, "Calls", text, true, NULL, NULL);
    }
    crm_reply_free(&r);
}

static void on_confirm_part(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'y') {
        app_message(app, "nothing deleted");
        return;
    }
    dc.change_req =
        dc.acting_recording
            ? api_comms_call_recording_delete(app->client, dc.acting_call, on_part_deleted, app)
            : api_comms_call_note_delete(app->client, dc.acting_call, on_part_deleted, app);
    if (!dc.change_req) {
        app_error(app, "the request could not be sent");
        return;
    }
    dc.busy = dialog_busy(app, "Calls", "deleting...", NULL, NULL);
}

static const struct call_log *selected_call(void)
{
    if (!dc.calls_loaded || dc.sel < 0 || (size_t)dc.sel >= dc.n_calls)
        return NULL;
    return &dc.calls[dc.sel];
}

static void delete_part(struct app *app, bool recording)
{
    static const struct dialog_choice ch[] = {{'y', "yes, delete it for good"}, {'n', "no"}};
    const struct call_log *c = selected_call();
    char text[400], when[40];
    if (!c) {
        app_warn(app, "no call selected");
        return;
    }
    if (recording && (!app->me.role || strcmp(app->me.role, "admin") != 0)) {
        app_warn(app, "only an admin can delete call recordings");
        return;
    }
    if (recording ? !c->has_recording : !c->note) {
        app_warn(app, "this call has no %s", recording ? "recording" : "note");
        return;
    }
    dc.acting_call = c->id;
    dc.acting_recording = recording;
    format_when(c->started_at, when, sizeof when);
    snprintf(text, sizeof text,
             "Delete the %s of the call of %s for good? The timeline records the deletion.",
             recording ? "recording" : "note", when);
    dialog_choose(app, recording ? "Delete call recording" : "Delete call note", text, ch, 2,
                  on_confirm_part, NULL);
}

static void on_timeline_set(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    dc.change_req = NULL;
    if (r->status == CRM_OK) {
        app_message(app, "chat events timeline switched");
        refresh_contact(app);
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "chat events timeline not switched: %s", r->message);
    }
    crm_reply_free(&r);
}

static void toggle_chat_timeline(struct app *app)
{
    const struct contact *c = store_contact(app->store, dc.contact_id);
    if (!c) {
        app_warn(app, "the contact is not loaded yet");
        return;
    }
    dc.change_req = api_comms_chat_timeline(app->client, dc.contact_id, !c->chat_events_timeline,
                                            on_timeline_set, app);
    if (!dc.change_req)
        app_error(app, "the request could not be sent");
}

bool detail_calls_handle(struct app *app, enum action a)
{
    switch (a) {
    case ACT_CALL_NEXT:
        if (!dc.contact_id || dc.n_calls == 0) {
            app_warn(app, "no calls to choose from");
            return true;
        }
        dc.sel = (dc.sel + 1) % (long)dc.n_calls;
        panes_changed(app);
        return true;
    case ACT_CALL_DELETE_NOTE:
        delete_part(app, false);
        return true;
    case ACT_CALL_DELETE_RECORDING:
        delete_part(app, true);
        return true;
    case ACT_CHAT_TIMELINE:
        if (!dc.contact_id) {
            app_warn(app, "no contact open");
            return true;
        }
        toggle_chat_timeline(app);
        return true;
    default:
        return false;
    }
}
