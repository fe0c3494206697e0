/* The settings screen (`:settings`), in tabs: Permissions (who may export
 * reports, who may permanently delete), CRM and Chat privacy switches, and
 * the Phone numbers' recording modes. Every change is saved at once. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/api_admin.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"

enum tab { TAB_PERMISSIONS, TAB_CRM, TAB_CHAT, TAB_PHONE, TAB_COUNT };
static const char *const tab_names[TAB_COUNT] = {"Permissions", "CRM", "Chat", "Phone"};

/* A switch of the CRM and Chat tabs. */
struct toggle {
    enum tab tab;
    const char *label;
    size_t offset; /* of its bool in struct admin_settings */
};
static const struct toggle toggles[] = {
    {TAB_CRM, "Block email to Do Not Disturb contacts (off: warn instead)",
     offsetof(struct admin_settings, restrict_email_to_dnd)},
    {TAB_CRM, "Automatic profile enrichment",
     offsetof(struct admin_settings, auto_profile_enrichment)},
    {TAB_CRM, "Unsubscribe link in individual emails by default",
     offsetof(struct admin_settings, default_unsubscribe_link)},
    {TAB_CHAT, "Store visitor IP addresses", offsetof(struct admin_settings, chat_store_ip)},
    {TAB_CHAT, "Social profile enrichment",
     offsetof(struct admin_settings, chat_social_enrichment)},
    {TAB_CHAT, "Send data to analytics tools", offsetof(struct admin_settings, chat_analytics)},
};
#define N_TOGGLES (sizeof toggles / sizeof toggles[0])

static struct {
    WINDOW *body;
    enum tab tab;
    long sel;
    int column; /* permissions: 0 export reports, 1 forget */
    struct crm_reply *users;
    struct admin_settings settings;
    bool have_settings;
    struct admin_reply *phones;
    struct crm_req *req_users, *req_settings, *req_phones, *save;
    char error[256];
    struct admin_settings wanted; /* a change waiting for its confirmation */
    char saved_what[160];
} st;

/* Clearing enriched fields on every contact: page by page, one PUT a contact. */
static struct {
    bool running;
    int64_t view_id;
    long page, total_pages;
    struct admin_reply *batch; /* the page being worked through */
    size_t next;
    long cleared;
    struct crm_req *req;
} clr;

static void settings_relayout(struct app *app)
{
    view_body_make(&st.body, app);
}

static void users_loaded(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    st.req_users = NULL;
    if (r->status == CRM_OK) {
        crm_reply_free(&st.users);
        st.users = r;
    } else {
        if (r->status != CRM_ERR_CANCELLED)
            snprintf(st.error, sizeof st.error, "users: %.200s", r->message);
        crm_reply_free(&r);
    }
    app->full_redraw = true;
}

static void settings_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    st.req_settings = NULL;
    if (r->status == CRM_OK && r->has_settings) {
        st.settings = r->settings;
        st.have_settings = true;
    } else if (r->status != CRM_ERR_CANCELLED) {
        snprintf(st.error, sizeof st.error, "settings: %.200s", r->message);
    }
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void phones_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    st.req_phones = NULL;
    if (r->status == CRM_OK) {
        admin_reply_free(&st.phones);
        st.phones = r;
        app->full_redraw = true;
        return;
    }
    if (r->status != CRM_ERR_CANCELLED)
        snprintf(st.error, sizeof st.error, "phone numbers: %.200s", r->message);
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void load_all(struct app *app)
{
    st.error[0] = '\0';
    if (!st.req_users)
        st.req_users = api_users(app->client, users_loaded, app);
    if (!st.req_settings)
        st.req_settings = api_admin_settings_get(app->client, settings_loaded, app);
    if (!st.req_phones)
        st.req_phones = api_admin_phones(app->client, phones_loaded, app);
}

static void settings_enter(struct app *app)
{
    settings_relayout(app);
    st.sel = 0;
    st.column = 0;
    if (!view_offered(app, 1u << CAP_GDPR_SETTINGS, "The privacy settings screen", st.error,
                      sizeof st.error))
        return;
    if (!view_is_admin(app)) {
        snprintf(st.error, sizeof st.error,
                 "Settings are for admins. Ask an admin to change them.");
        return;
    }
    load_all(app);
}

static void settings_leave(struct app *app)
{
    struct crm_req *reqs[] = {st.req_users, st.req_settings, st.req_phones, st.save};
    for (size_t i = 0; i < 4; i++)
        if (reqs[i])
            crm_req_cancel(app->client, reqs[i]);
    st.req_users = st.req_settings = st.req_phones = st.save = NULL;
    if (clr.running && clr.req)
        crm_req_cancel(app->client, clr.req); /* ends the job */
    clr.running = false;
    admin_reply_free(&clr.batch);
    crm_reply_free(&st.users);
    admin_reply_free(&st.phones);
    st.have_settings = false;
    view_body_free(&st.body);
}

static bool *setting_of(struct admin_settings *s, const struct toggle *t)
{
    return (bool *)((char *)s + t->offset);
}

/* The toggles of the current tab, in order; returns how many. */
static size_t tab_toggles(const struct toggle **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < N_TOGGLES && n < max; i++)
        if (toggles[i].tab == st.tab)
            out[n++] = &toggles[i];
    return n;
}

static long row_count(void)
{
    const struct toggle *t[N_TOGGLES];
    switch (st.tab) {
    case TAB_PERMISSIONS:
        return st.users ? (long)st.users->n_users : 0;
    case TAB_PHONE:
        return st.phones ? (long)st.phones->n_phones : 0;
    default:
        return (long)tab_toggles(t, N_TOGGLES);
    }
}

static void draw_tabs(int w)
{
    int x = 1;
    draw_fill(st.body, 0, 0, w, UIC_PANE_TITLE);
    for (int i = 0; i < TAB_COUNT; i++) {
        char label[32];
        snprintf(label, sizeof label, i == (int)st.tab ? "[%s]" : " %s ", tab_names[i]);
        x += draw_text(st.body, 0, x, w - x, label,
                       i == (int)st.tab ? UIC_PANE_TITLE_FOCUS : UIC_PANE_TITLE) +
             1;
    }
}

static void settings_draw(struct app *app, bool full)
{
    (void)full;
    int h = app->layout.body.h, w = app->layout.body.w, y = 2;
    char line[512];

    if (!st.body)
        return;
    view_body_clear(st.body, app);
    draw_tabs(w);
    if (st.error[0])
        draw_text(st.body, h - 1, 1, w - 1, st.error, UIC_NOTICE);
    if (!view_is_admin(app)) {
        wnoutrefresh(st.body);
        return;
    }
    switch (st.tab) {
    case TAB_PERMISSIONS:
        snprintf(line, sizeof line, " %-22s %-6s %-20s %s", "User", "Role", "may export reports",
                 "may permanently delete");
        draw_cell(st.body, y++, 0, w, line, UIC_DETAIL_LABEL);
        for (size_t i = 0; st.users && i < st.users->n_users && y < h - 2; i++) {
            const struct user *u = &st.users->users[i];
            char a[24], b[24];
            snprintf(a, sizeof a, "%s[%c]", (long)i == st.sel && st.column == 0 ? ">" : " ",
                     u->perm_export_reports ? 'x' : ' ');
            snprintf(b, sizeof b, "%s[%c]", (long)i == st.sel && st.column == 1 ? ">" : " ",
                     u->perm_forget_records ? 'x' : ' ');
            snprintf(line, sizeof line, " %-22.22s %-6.6s %-20s %s",
                     u->display_name ? u->display_name : "-", u->role ? u->role : "", a, b);
            draw_cell(st.body, y++, 0, w, line,
                      (long)i == st.sel ? UIC_LIST_SELECTED : UIC_LIST_ROW);
        }
        if (!st.users)
            draw_text(st.body, y, 1, w - 1, "loading users ...", UIC_LIST_LOADING);
        draw_text(st.body, h - 2, 1, w - 1,
                  "Space switch   Enter other column   Tab next tab   Esc back", UIC_DETAIL_LABEL);
        break;
    case TAB_CRM:
    case TAB_CHAT: {
        const struct toggle *t[N_TOGGLES];
        size_t n = tab_toggles(t, N_TOGGLES);
        if (!st.have_settings) {
            draw_text(st.body, y, 1, w - 1, "loading settings ...", UIC_LIST_LOADING);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            snprintf(line, sizeof line, " [%c] %s", *setting_of(&st.settings, t[i]) ? 'x' : ' ',
                     t[i]->label);
            draw_cell(st.body, y++, 0, w, line,
                      (long)i == st.sel ? UIC_LIST_SELECTED : UIC_LIST_ROW);
        }
        y++;
        if (st.tab == TAB_CRM) {
            draw_text(st.body, y++, 1, w - 1,
                      "Enrichment off stops new enrichment; what it filled before stays.",
                      UIC_DETAIL_VALUE);
            draw_text(st.body, y++, 1, w - 1,
                      "c clears those fields (facebook, twitter, linkedin, avatar) everywhere.",
                      UIC_DETAIL_VALUE);
            if (clr.running) {
                snprintf(line, sizeof line,
                         "Clearing enriched fields: page %ld of %ld, %ld contacts cleared "
                         "(Esc stops)",
                         clr.page, clr.total_pages > 0 ? clr.total_pages : clr.page, clr.cleared);
                draw_text(st.body, y++, 1, w - 1, line, UIC_NOTICE);
            }
        } else {
            draw_text(st.body, y++, 1, w - 1,
                      "Turning IP storage off erases the IP addresses already stored.",
                      UIC_DETAIL_VALUE);
        }
        draw_text(st.body, h - 2, 1, w - 1, "Space switch   Tab next tab   Esc back",
                  UIC_DETAIL_LABEL);
        break;
    }
    case TAB_PHONE:
        snprintf(line, sizeof line, " %-24s %s", "Number", "Recording");
        draw_cell(st.body, y++, 0, w, line, UIC_DETAIL_LABEL);
        for (size_t i = 0; st.phones && i < st.phones->n_phones && y < h - 3; i++) {
            const struct admin_phone *p = &st.phones->phones[i];
            snprintf(line, sizeof line, " %-24.24s %s", p->number ? p->number : "-",
                     admin_json_recording_name(p->recording));
            draw_cell(st.body, y++, 0, w, line,
                      (long)i == st.sel ? UIC_LIST_SELECTED : UIC_LIST_ROW);
        }
        if (!st.phones)
            draw_text(st.body, y, 1, w - 1, "loading phone numbers ...", UIC_LIST_LOADING);
        draw_text(st.body, h - 3, 1, w - 1,
                  "manual: agents record only after recording the caller's consent.",
                  UIC_DETAIL_VALUE);
        draw_text(st.body, h - 2, 1, w - 1,
                  "Space/Enter next mode (automatic, manual, off)   Tab next tab   Esc back",
                  UIC_DETAIL_LABEL);
        break;
    case TAB_COUNT:
        break;
    }
    wnoutrefresh(st.body);
}

/* ---- saving ---- */

static void permissions_saved(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    st.save = NULL;
    if (r->status == CRM_OK) {
        app_clear_error(app);
        app_message(app, "saved: %s", st.saved_what);
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "not saved: %s", r->message);
    }
    admin_reply_free(&r);
    if (!st.req_users)
        st.req_users = api_users(app->client, users_loaded, app); /* the server's truth */
    app->full_redraw = true;
}

static void toggle_permission(struct app *app)
{
    const struct user *u;
    bool ex, fo;
    if (!st.users || st.sel >= (long)st.users->n_users || st.save)
        return;
    u = &st.users->users[st.sel];
    ex = u->perm_export_reports;
    fo = u->perm_forget_records;
    if (st.column == 0)
        ex = !ex;
    else
        fo = !fo;
    snprintf(st.saved_what, sizeof st.saved_what, "%.60s %s %s",
             u->display_name ? u->display_name : "user",
             (st.column == 0 ? ex : fo) ? "may now" : "may no longer",
             st.column == 0 ? "export reports" : "permanently delete");
    st.save = api_admin_permissions_put(app->client, u->id, ex, fo, permissions_saved, app);
}

static void settings_saved(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    st.save = NULL;
    if (r->status == CRM_OK && r->has_settings) {
        st.settings = r->settings;
        app_clear_error(app);
        app_message(app, "saved: %s", st.saved_what);
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "not saved: %s", r->message);
    }
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void send_settings(struct app *app)
{
    st.save = api_admin_settings_put(app->client, &st.wanted, settings_saved, app);
    if (!st.save)
        app_error(app, "the change could not be sent");
}

static void ip_off_chosen(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key == 'y')
        send_settings(app);
    else
        app_message(app, "nothing changed");
}

static void toggle_setting(struct app *app)
{
    const struct toggle *t[N_TOGGLES];
    size_t n = tab_toggles(t, N_TOGGLES);
    bool *b;
    static const struct dialog_choice yes_no[] = {{'y', "y  turn it off and erase stored IPs"},
                                                  {'n', "n  keep it on"}};
    if (!st.have_settings || st.sel >= (long)n || st.save)
        return;
    st.wanted = st.settings;
    b = setting_of(&st.wanted, t[st.sel]);
    *b = !*b;
    snprintf(st.saved_what, sizeof st.saved_what, "%s: %s", t[st.sel]->label, *b ? "on" : "off");
    if (t[st.sel]->offset == offsetof(struct admin_settings, chat_store_ip) && !*b) {
        dialog_choose(app, "Stop storing IP addresses",
                      "Turning this off also erases every visitor IP address stored so far. "
                      "This cannot be undone.",
                      yes_no, 2, ip_off_chosen, NULL);
        return;
    }
    send_settings(app);
}

static void warning_closed(struct app *app, void *ud)
{
    (void)ud;
    app->full_redraw = true;
}

static void phone_saved(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    st.save = NULL;
    if (r->status == CRM_OK && r->n_phones == 1 && st.phones) {
        for (size_t i = 0; i < st.phones->n_phones; i++)
            if (st.phones->phones[i].id == r->phones[0].id)
                st.phones->phones[i].recording = r->phones[0].recording;
        app_clear_error(app);
        app_message(app, "saved: recording %s", admin_json_recording_name(r->phones[0].recording));
        if (r->phones[0].recording == ADMIN_REC_MANUAL)
            dialog_message(app, "Manual recording",
                           "Callers must be told that calls are recorded: make sure this "
                           "number's greetings say so. Agents start recording only after they "
                           "record the caller's consent.",
                           false, warning_closed, NULL);
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "not saved: %s", r->message);
    }
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void cycle_recording(struct app *app)
{
    const struct admin_phone *p;
    enum admin_recording next;
    if (!st.phones || st.sel >= (long)st.phones->n_phones || st.save)
        return;
    p = &st.phones->phones[st.sel];
    next = p->recording == ADMIN_REC_AUTOMATIC ? ADMIN_REC_MANUAL
           : p->recording == ADMIN_REC_MANUAL  ? ADMIN_REC_OFF
                                               : ADMIN_REC_AUTOMATIC;
    st.save = api_admin_phone_set(app->client, p->id, next, phone_saved, app);
}

static void clear_next(struct app *app);

static void clear_finish(struct app *app, const char *why)
{
    clr.running = false;
    clr.req = NULL;
    admin_reply_free(&clr.batch);
    if (why)
        app_error(app, "clearing enriched fields stopped after %ld contacts: %s", clr.cleared, why);
    else
        app_message(app, "enriched fields cleared on %ld contacts", clr.cleared);
    app->full_redraw = true;
}

static void clear_put_done(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    clr.req = NULL;
    /* A contact deleted meanwhile (404) holds nothing to clear: go on. */
    if (r->status != CRM_OK && r->status != CRM_ERR_NOT_FOUND) {
        char why[300];
        snprintf(why, sizeof why, "%s", r->message);
        crm_reply_free(&r);
        clear_finish(app, why);
        return;
    }
    if (r->status == CRM_OK)
        clr.cleared++;
    crm_reply_free(&r);
    app->full_redraw = true;
    clear_next(app);
}

static void clear_page_done(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    clr.req = NULL;
    if (r->status != CRM_OK) {
        char why[300];
        snprintf(why, sizeof why, "%s", r->message);
        admin_reply_free(&r);
        clear_finish(app, why);
        return;
    }
    admin_reply_free(&clr.batch);
    clr.batch = r;
    clr.next = 0;
    clr.total_pages = r->total_pages >= 0 ? r->total_pages : clr.page;
    clear_next(app);
}

/* Clears the next contact of the batch, or fetches the next page, or ends. */
static void clear_next(struct app *app)
{
    if (clr.batch && clr.next < clr.batch->n_enriched) {
        struct contact_patch patch = {
            .owner_id = -1, .sales_account_id = -1, .clear_enrichment = true};
        clr.req = api_contact_update(app->client, clr.batch->enriched_ids[clr.next++], &patch,
                                     clear_put_done, app);
        if (!clr.req)
            clear_finish(app, "a request could not be queued");
        return;
    }
    if (clr.batch && clr.page >= clr.total_pages) {
        clear_finish(app, NULL);
        return;
    }
    clr.page++;
    clr.req = api_admin_enriched_page(app->client, clr.view_id, clr.page, clear_page_done, app);
    if (!clr.req)
        clear_finish(app, "a request could not be queued");
}

static void clear_views_done(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    clr.req = NULL;
    clr.view_id = 0;
    for (size_t i = 0; r->status == CRM_OK && i < r->n_views; i++)
        if (r->views[i].is_default || !clr.view_id)
            clr.view_id = r->views[i].id;
    if (clr.view_id <= 0) {
        char why[300];
        snprintf(why, sizeof why, "%s", r->status == CRM_OK ? "no contact view" : r->message);
        crm_reply_free(&r);
        clear_finish(app, why);
        return;
    }
    crm_reply_free(&r);
    clear_next(app);
}

static void clear_chosen(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'y') {
        app_message(app, "nothing cleared");
        return;
    }
    memset(&clr, 0, sizeof clr);
    clr.running = true;
    clr.req = api_views(app->client, clear_views_done, app);
    if (!clr.req)
        clear_finish(app, "a request could not be queued");
    app->full_redraw = true;
}

static void ask_clear(struct app *app)
{
    static const struct dialog_choice yes_no[] = {
        {'y', "y  clear them on every contact"},
        {'n', "n  keep them"},
    };
    if (clr.running)
        return;
    dialog_choose(app, "Clear enriched fields",
                  "Clear facebook, twitter, linkedin and avatar on every contact that has "
                  "them? What enrichment wrote is removed; each contact's timeline records "
                  "the change. This cannot be undone.",
                  yes_no, 2, clear_chosen, NULL);
}

static bool settings_handle(struct app *app, enum action a)
{
    long n = row_count();

    switch (a) {
    case ACT_ADM_NEXT_TAB:
        st.tab = (enum tab)((st.tab + 1) % TAB_COUNT);
        st.sel = 0;
        break;
    case ACT_ADM_PREV_TAB:
        st.tab = (enum tab)((st.tab + TAB_COUNT - 1) % TAB_COUNT);
        st.sel = 0;
        break;
    case ACT_MOVE_DOWN:
        st.sel = st.sel + 1 < n ? st.sel + 1 : st.sel;
        break;
    case ACT_MOVE_UP:
        st.sel = st.sel > 0 ? st.sel - 1 : 0;
        break;
    case ACT_ADM_SELECT:
        if (st.tab == TAB_PERMISSIONS)
            st.column = !st.column;
        else if (st.tab == TAB_PHONE && view_is_admin(app))
            cycle_recording(app);
        else if (view_is_admin(app))
            toggle_setting(app);
        break;
    case ACT_ADM_TOGGLE:
        if (!view_is_admin(app))
            app_warn(app, "settings are for admins");
        else if (st.tab == TAB_PERMISSIONS)
            toggle_permission(app);
        else if (st.tab == TAB_PHONE)
            cycle_recording(app);
        else
            toggle_setting(app);
        break;
    case ACT_ADM_RELOAD:
        if (view_is_admin(app))
            load_all(app);
        break;
    case ACT_ADM_CLEAR_ENRICHED:
        if (st.tab != TAB_CRM || !view_is_admin(app))
            return false;
        ask_clear(app);
        break;
    case ACT_BACK:
        if (clr.running) {
            if (clr.req)
                crm_req_cancel(app->client, clr.req); /* its callback ends the job */
            return true;
        }
        return view_back_to_contacts(app);
    default:
        return false;
    }
    app->full_redraw = true;
    app->dirty_header = true;
    return true;
}

static void settings_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "Settings  %s", tab_names[st.tab]);
}

static void settings_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "%s",
             clr.running                                        ? "clearing enriched fields"
             : st.save                                          ? "saving"
             : st.req_users || st.req_settings || st.req_phones ? "loading settings"
                                                                : "");
}

static void settings_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(st.body);
}

const struct view_ops view_settings_ops = {
    .name = "settings",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = settings_enter,
    .leave = settings_leave,
    .relayout = settings_relayout,
    .draw = settings_draw,
    .handle = settings_handle,
    .data_changed = view_full_redraw,
    .title = settings_title,
    .busy = settings_busy,
    .cursor = settings_cursor,
    .opened_by = CMD_SETTINGS,
};
