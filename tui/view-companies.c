/* The companies screen (`:companies`): the list of companies, the selected
 * one's detail and contacts; Delete (asking about its contacts) and Forget
 * (typed confirmation of its name, then a receipt). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_admin.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/mask.h"

static struct {
    WINDOW *body;
    int64_t view_id;
    struct crm_reply *page; /* companies */
    struct admin_reply *members;
    int64_t members_of;
    struct crm_req *req, *mreq, *act;
    char error[256];
    long sel, top;
    char pending_name[128]; /* the company an action is about */
    int64_t pending_id;
    long loaded; /* pages of 100 in co.page */
} co;

static const struct company *selected(void)
{
    if (!co.page || co.sel < 0 || co.sel >= (long)co.page->n_companies)
        return NULL;
    return &co.page->companies[co.sel];
}

static void companies_relayout(struct app *app)
{
    view_body_make(&co.body, app);
}

static void members_loaded(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    co.mreq = NULL;
    admin_reply_free(&co.members);
    if (r->status == CRM_OK)
        co.members = r;
    else
        admin_reply_free(&r);
    app->full_redraw = true;
}

static void load_members(struct app *app)
{
    const struct company *c = selected();
    if (!c || co.mreq || (co.members && co.members_of == c->id))
        return;
    admin_reply_free(&co.members);
    co.members_of = c->id;
    co.mreq = api_admin_company_contacts(app->client, c->id, members_loaded, app);
}

static void page_loaded(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    co.req = NULL;
    if (r->status != CRM_OK) {
        snprintf(co.error, sizeof co.error, "%s", r->message);
        if (r->status != CRM_ERR_CANCELLED)
            app_error(app, "companies: %s", r->message);
        crm_reply_free(&r);
    } else {
        crm_reply_free(&co.page);
        co.page = r;
        co.loaded = 1;
        co.error[0] = '\0';
        if (co.sel >= (long)r->n_companies)
            co.sel = r->n_companies ? (long)r->n_companies - 1 : 0;
        load_members(app);
    }
    app->full_redraw = true;
    app->dirty_header = true;
}

static void load_page(struct app *app)
{
    if (co.req || co.view_id <= 0)
        return;
    co.loaded = 0;
    co.req = api_companies_page(app->client, co.view_id, 1, 100, page_loaded, app);
}

/* A further page: its companies join the list (moved, not copied). */
static void more_loaded(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    co.req = NULL;
    if (r->status != CRM_OK || !co.page) {
        if (r->status != CRM_ERR_CANCELLED && r->status != CRM_OK)
            app_error(app, "companies: %s", r->message);
        crm_reply_free(&r);
        return;
    }
    if (r->n_companies > 0) {
        size_t n = co.page->n_companies + r->n_companies;
        struct company *grown = realloc(co.page->companies, n * sizeof *grown);
        if (!grown)
            abort();
        memcpy(grown + co.page->n_companies, r->companies, r->n_companies * sizeof *grown);
        co.page->companies = grown;
        co.page->n_companies = n;
        r->n_companies = 0; /* the strings moved with the structs */
    }
    co.loaded++;
    crm_reply_free(&r);
    app->full_redraw = true;
    app->dirty_header = true;
}

/* Fetches the next page when the cursor nears the end of what is loaded. */
static void maybe_load_more(struct app *app)
{
    if (!co.page || co.req || co.page->total_pages <= co.loaded ||
        co.sel + 20 < (long)co.page->n_companies)
        return;
    co.req = api_companies_page(app->client, co.view_id, co.loaded + 1, 100, more_loaded, app);
}

static void views_loaded(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    co.req = NULL;
    if (r->status != CRM_OK || r->n_views == 0) {
        snprintf(co.error, sizeof co.error, "%s",
                 r->status != CRM_OK ? r->message : "the server has no company views");
        crm_reply_free(&r);
        app->full_redraw = true;
        return;
    }
    co.view_id = r->views[0].id;
    for (size_t i = 0; i < r->n_views; i++)
        if (r->views[i].is_default)
            co.view_id = r->views[i].id;
    crm_reply_free(&r);
    load_page(app);
}

static void reload(struct app *app)
{
    admin_reply_free(&co.members);
    co.members_of = 0;
    if (co.view_id > 0)
        load_page(app);
    else if (!co.req)
        co.req = api_company_views(app->client, views_loaded, app);
}

static void companies_enter(struct app *app)
{
    companies_relayout(app);
    co.error[0] = '\0';
    reload(app);
}

static void companies_leave(struct app *app)
{
    struct crm_req *reqs[] = {co.req, co.mreq, co.act};
    for (size_t i = 0; i < 3; i++)
        if (reqs[i])
            crm_req_cancel(app->client, reqs[i]);
    co.req = co.mreq = co.act = NULL;
    crm_reply_free(&co.page);
    admin_reply_free(&co.members);
    co.members_of = 0;
    view_body_free(&co.body);
}

static void companies_draw(struct app *app, bool full)
{
    (void)full;
    int h = app->layout.body.h, w = app->layout.body.w;
    int list_h = h / 2 > 3 ? h / 2 : h;
    char line[512];
    const struct company *c;

    if (!co.body)
        return;
    view_body_clear(co.body, app);
    draw_cell(co.body, 0, 0, w, "Companies", UIC_PANE_TITLE_FOCUS);
    if (co.error[0]) {
        draw_text(co.body, 2, 1, w - 2, co.error, UIC_NOTICE);
        wnoutrefresh(co.body);
        return;
    }
    if (!co.page) {
        draw_text(co.body, 2, 1, w - 2, "loading companies ...", UIC_LIST_LOADING);
        wnoutrefresh(co.body);
        return;
    }
    if (co.page->n_companies == 0)
        draw_text(co.body, 2, 1, w - 2, "No companies.", UIC_DETAIL_EMPTY);
    int rows = list_h - 1;
    co.top = view_list_top(co.top, co.sel, rows);
    for (int y = 0; y < rows && co.top + y < (long)co.page->n_companies; y++) {
        const struct company *it = &co.page->companies[co.top + y];
        snprintf(line, sizeof line, " %-30.30s  %-20.20s  %s", it->name ? it->name : "-",
                 it->city ? it->city : "", it->country ? it->country : "");
        draw_cell(co.body, 1 + y, 0, w, line,
                  co.top + y == co.sel ? UIC_LIST_SELECTED : UIC_LIST_ROW);
    }
    c = selected();
    if (c && list_h < h) {
        int y = list_h;
        snprintf(line, sizeof line, "%s", c->name ? c->name : "-");
        draw_cell(co.body, y++, 0, w, line, UIC_PANE_TITLE);
        snprintf(line, sizeof line, " Website %s   Phone %s   %s %s", c->website ? c->website : "-",
                 c->phone ? c->phone : "-", c->address ? c->address : "", c->city ? c->city : "");
        draw_text(co.body, y++, 0, w, line, UIC_DETAIL_VALUE);
        if (!co.members || co.members_of != c->id) {
            draw_text(co.body, y++, 1, w - 1, "loading its contacts ...", UIC_LIST_LOADING);
        } else if (!co.members->members_present) {
            draw_text(co.body, y++, 1, w - 1, "Contacts: this server does not list them here.",
                      UIC_DETAIL_EMPTY);
        } else {
            snprintf(line, sizeof line, "Contacts (%zu)", co.members->n_members);
            draw_text(co.body, y++, 1, w - 1, line, UIC_DETAIL_GROUP);
            for (size_t i = 0; i < co.members->n_members && y < h; i++) {
                const struct admin_member *m = &co.members->members[i];
                snprintf(line, sizeof line, "  %s  %s",
                         m->name ? mask_show(m->id, MASK_NAME, m->name, (char[256]){0}, 256) : "-",
                         m->email ? mask_show(m->id, MASK_EMAIL, m->email, (char[256]){0}, 256)
                                  : "");
                draw_text(co.body, y++, 1, w - 1, line, UIC_DETAIL_VALUE);
            }
        }
        if (y < h)
            draw_text(co.body, h - 1, 1, w - 1,
                      "Enter contacts   d delete   f forget   R refresh   Esc back",
                      UIC_DETAIL_LABEL);
    }
    wnoutrefresh(co.body);
}

/* "N contacts" when the server listed them, else a sentence saying it did not. */
static void contacts_phrase(char *buf, size_t len)
{
    if (co.members && co.members_of == co.pending_id && co.members->members_present)
        snprintf(buf, len, "%zu contact%s", co.members->n_members,
                 co.members->n_members == 1 ? "" : "s");
    else
        snprintf(buf, len, "its contacts (the server did not say how many)");
}

static void delete_done(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    co.act = NULL;
    if (r->status == CRM_OK) {
        app_clear_error(app);
        app_message(app, "company %s deleted%s", co.pending_name,
                    r->already_gone ? " (it was already gone)" : "");
        crm_reply_free(&co.page);
        reload(app);
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "delete %s: %s", co.pending_name, r->message);
    }
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void delete_chosen(struct app *app, int key, void *ud)
{
    (void)ud;
    if (key != 'a' && key != 'k') {
        app_message(app, "nothing deleted");
        return;
    }
    co.act = api_admin_company_delete(app->client, co.pending_id, key == 'a', delete_done, app);
    if (!co.act)
        app_error(app, "the delete could not be sent");
}

static void ask_delete(struct app *app)
{
    const struct company *c = selected();
    char count[96], text[512];
    static const struct dialog_choice choices[] = {
        {'a', "a  delete the company and its contacts (to the Recycle Bin)"},
        {'k', "k  delete the company, keep its contacts (unlinked)"},
    };
    if (!c)
        return;
    co.pending_id = c->id;
    draw_copy(co.pending_name, sizeof co.pending_name, c->name ? c->name : "");
    contacts_phrase(count, sizeof count);
    snprintf(text, sizeof text,
             "Delete %s? It has %s.\nDelete its contacts too, or keep them without the link?",
             co.pending_name, count);
    dialog_choose(app, "Delete company", text, choices, 2, delete_chosen, NULL);
}

static void receipt_closed(struct app *app, void *ud)
{
    (void)ud;
    app->full_redraw = true;
}

static void forget_done(struct admin_reply *r, void *ud)
{
    struct app *app = ud;
    char text[512];
    co.act = NULL;
    if (r->status == CRM_OK) {
        snprintf(text, sizeof text,
                 "%s (id %" PRId64 ") and its contacts are erased for good%s.\n"
                 "The audit log keeps one entry without personal data; :audit shows it.",
                 co.pending_name, co.pending_id,
                 r->already_gone ? " (the server no longer had it)" : "");
        dialog_message(app, "Forgotten", text, false, receipt_closed, NULL);
        crm_reply_free(&co.page);
        reload(app);
    } else if (r->status != CRM_ERR_CANCELLED) {
        app_error(app, "forget %s: %s", co.pending_name, r->message);
    }
    admin_reply_free(&r);
    app->full_redraw = true;
}

static void forget_typed(struct app *app, bool confirmed, void *ud)
{
    (void)ud;
    if (!confirmed) {
        app_message(app, "nothing forgotten");
        return;
    }
    co.act = api_admin_company_forget(app->client, co.pending_id, forget_done, app);
    if (!co.act)
        app_error(app, "the forget could not be sent");
}

static void ask_forget(struct app *app)
{
    const struct company *c = selected();
    char count[96], text[640];
    if (!c)
        return;
    if (!app_me_may(app, app->me.perm_forget_records)) {
        app_warn(app, "you are not permitted to forget records; an admin can grant it");
        return;
    }
    co.pending_id = c->id;
    draw_copy(co.pending_name, sizeof co.pending_name, c->name ? c->name : "");
    contacts_phrase(count, sizeof count);
    snprintf(text, sizeof text,
             "Forget %s: the company and %s are erased for good, with their activities, "
             "notes, calls and chats. Deals stay without the link. This cannot be undone.\n"
             "Type the company name to confirm:",
             co.pending_name, count);
    dialog_typed(app, "Forget company", text, co.pending_name, forget_typed, NULL);
}

static bool companies_handle(struct app *app, enum action a)
{
    long n = co.page ? (long)co.page->n_companies : 0;
    long before = co.sel;

    switch (a) {
    case ACT_ADM_SELECT:
        load_members(app);
        break;
    case ACT_ADM_DELETE:
        ask_delete(app);
        break;
    case ACT_ADM_FORGET:
        ask_forget(app);
        break;
    case ACT_ADM_RELOAD:
        reload(app);
        break;
    case ACT_BACK:
        return view_back_to_contacts(app);
    default:
        if (!view_list_move(&co.sel, n, 10, a))
            return false;
        break;
    }
    maybe_load_more(app);
    if (before != co.sel) {
        admin_reply_free(&co.members);
        co.members_of = 0;
        if (co.mreq)
            crm_req_cancel(app->client, co.mreq);
        load_members(app);
    }
    app->full_redraw = true;
    return true;
}

static void companies_title(struct app *app, char *buf, size_t len)
{
    (void)app;
    if (co.page && co.page->total > (long)co.page->n_companies)
        snprintf(buf, len, "Companies  %zu of %ld", co.page->n_companies, co.page->total);
    else if (co.page)
        snprintf(buf, len, "Companies  %zu", co.page->n_companies);
    else
        snprintf(buf, len, "Companies");
}

static void companies_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "%s", co.act ? "working" : co.req || co.mreq ? "loading companies" : "");
}

static void companies_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(co.body);
}

const struct view_ops view_companies_ops = {
    .name = "companies",
    .contexts = view_admin_contexts,
    .n_contexts = VIEW_ADMIN_N_CONTEXTS,
    .enter = companies_enter,
    .leave = companies_leave,
    .relayout = companies_relayout,
    .draw = companies_draw,
    .handle = companies_handle,
    .data_changed = view_full_redraw,
    .title = companies_title,
    .busy = companies_busy,
    .cursor = companies_cursor,
    .opened_by = CMD_COMPANIES,
};
