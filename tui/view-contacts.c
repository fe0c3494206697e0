/* The contacts screen: the virtual contact list, and the detail and timeline
 * of the selected contact; views, sort order and server-side search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/detail-calls.h"
#include "tui/draw.h"
#include "tui/mask.h"
#include "tui/menu.h"
#include "tui/reveal.h"
#include "tui/textrows.h"
#include "tui/xalloc.h"

/* The detail follows the selection once it rests this long, so a run of
 * moves costs the rows it changes and no fetch per row passed. */
#define DETAIL_DELAY_MS 120

/* The sort orders `s` cycles through: name, API sort, descending first. */
#define SORT_LIST(X)                                                                               \
    X(SORT_NAME, "name", API_SORT_FIRST_NAME, false)                                               \
    X(SORT_EMAIL, "email", API_SORT_EMAIL, false)                                                  \
    X(SORT_CREATED, "created", API_SORT_CREATED, true)                                             \
    X(SORT_UPDATED, "updated", API_SORT_UPDATED, true)

enum sort_kind {
#define SORT_ENUM(id, name, api, desc) id,
    SORT_LIST(SORT_ENUM)
#undef SORT_ENUM
        SORT_COUNT
};

static const struct {
    const char *name;
    enum api_sort api;
    bool desc;
} sorts[SORT_COUNT] = {
#define SORT_INFO(id, name, api, desc) [id] = {name, api, desc},
    SORT_LIST(SORT_INFO)
#undef SORT_INFO
};

/* Timeline entries: the wire name, the words shown, the colour, and whether
 * it records consent or subscription (then how and by whom always show). */
#define ACTIVITY_LIST(X)                                                                           \
    X("consent_granted", "consent granted", UIC_CONSENT_GRANTED, true)                             \
    X("consent_withdrawn", "consent withdrawn", UIC_CONSENT_WITHDRAWN, true)                       \
    X("subscribed", "subscribed", UIC_CONSENT_GRANTED, true)                                       \
    X("unsubscribed", "unsubscribed", UIC_CONSENT_WITHDRAWN, true)                                 \
    X("opt_in_requested", "opt-in requested", UIC_TIMELINE_ACTION, true)                           \
    X("email_blocked", "email blocked (do not disturb)", UIC_CONSENT_WITHDRAWN, false)             \
    X("created", "contact created", UIC_TIMELINE_ACTION, false)                                    \
    X("email_sent", "email sent", UIC_TIMELINE_ACTION, false)                                      \
    X("note_added", "note added", UIC_TIMELINE_ACTION, false)                                      \
    X("call_logged", "call logged", UIC_TIMELINE_ACTION, false)                                    \
    X("call_recording_deleted", "call recording deleted", UIC_TIMELINE_ACTION, false)              \
    X("call_note_deleted", "call note deleted", UIC_TIMELINE_ACTION, false)                        \
    X("chat_started", "chat started", UIC_TIMELINE_ACTION, false)                                  \
    X("rectified", "contact data rectified", UIC_TIMELINE_ACTION, false)                           \
    X("exported", "data exported", UIC_TIMELINE_ACTION, false)                                     \
    X("enriched", "profile enriched", UIC_TIMELINE_ACTION, false)                                  \
    X("owner_changed", "owner changed", UIC_TIMELINE_ACTION, false)                                \
    X("restored", "restored from the Recycle Bin", UIC_TIMELINE_ACTION, false)

static const struct activity_kind {
    const char *type, *words;
    enum uic color;
    bool consent;
} activity_kinds[] = {
#define ACTIVITY_INFO(type, words, color, consent) {type, words, color, consent},
    ACTIVITY_LIST(ACTIVITY_INFO)
#undef ACTIVITY_INFO
};

/* How an activity came about (action_data.source), in words. */
#define SOURCE_LIST(X)                                                                             \
    X("web_form", "web form")                                                                      \
    X("email_link", "email link")                                                                  \
    X("quick_action", "quick action")                                                              \
    X("api", "the API")                                                                            \
    X("import", "import")                                                                          \
    X("enrichment", "profile enrichment")                                                          \
    X("system", "the system")

static const struct {
    const char *source, *words;
} source_words[] = {
#define SOURCE_INFO(source, words) {source, words},
    SOURCE_LIST(SOURCE_INFO)
#undef SOURCE_INFO
};

static struct contacts {
    WINDOW *win[PANE_COUNT];
    WINDOW *vsep;

    /* the list */
    long sel, top;
    bool list_dirty;
    long row_dirty[8]; /* rows to repaint; more than fit: the whole list */
    int n_row_dirty;
    bool list_failed;
    bool have_view;
    int64_t view_id;
    char view_name[128];
    enum sort_kind sort;
    bool desc;
    bool searching;
    char query[CMDLINE_MAX];
    struct {
        int64_t view_id;
        char view_name[128];
        long sel, top;
    } saved;

    /* the open contact */
    int64_t detail_id;
    char detail_name[256];
    bool detail_loaded, timeline_loaded;
    bool contact_failed, timeline_failed; /* the store does not ask again until R */
    char failed_why[160];
    size_t n_activities;
    long long detail_due; /* 0: nothing scheduled */
    bool open_when_loaded;
    struct trows rows[PANE_COUNT]; /* detail and timeline */
    long scroll[PANE_COUNT];
    bool pane_dirty[PANE_COUNT];
} st;

static bool vsep_dirty;

/* ---- helpers ---- */

static long list_height(const struct app *app)
{
    int h = layout_pane_rows(&app->layout, PANE_LIST);
    if (h > 0)
        return h;
    /* the list is hidden (one pane): page by the body's size all the same */
    return app->layout.body.h > 1 ? app->layout.body.h - 1 : 1;
}

static int pane_width(const struct app *app, enum pane p)
{
    return app->layout.pane[p].w;
}

static bool pane_shown(const struct app *app, enum pane p)
{
    return st.win[p] != NULL && app->layout.pane[p].h > 0;
}

static void mark_all(struct app *app)
{
    st.list_dirty = true;
    st.pane_dirty[PANE_DETAIL] = st.pane_dirty[PANE_TIMELINE] = true;
    vsep_dirty = true;
    app->dirty_header = true;
}

/* "2026-11-29T10:00:00Z" -> "2026-11-29 10:00" */
static void format_time(const char *iso, char *buf, size_t len)
{
    if (!iso) {
        snprintf(buf, len, "-");
        return;
    }
    if (strlen(iso) >= 16 && iso[10] == 'T')
        snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
    else
        snprintf(buf, len, "%s", iso);
}

static const struct activity_kind *activity_kind(const char *type)
{
    for (size_t i = 0; type && i < sizeof(activity_kinds) / sizeof(activity_kinds[0]); i++)
        if (strcmp(activity_kinds[i].type, type) == 0)
            return &activity_kinds[i];
    return NULL;
}

static const char *source_text(const char *source)
{
    for (size_t i = 0; source && i < sizeof(source_words) / sizeof(source_words[0]); i++)
        if (strcmp(source_words[i].source, source) == 0)
            return source_words[i].words;
    return source;
}

/* "via web form "Newsletter signup" (#3)", "via email link (ana@x.org)"... */
static void describe_how(const struct activity *a, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!a->source && !a->form_name && !a->form_id)
        return;
    const char *words = a->source ? source_text(a->source) : "web form";
    if (a->form_name && a->form_id)
        snprintf(buf, len, "via %s \"%s\" (#%lld)", words, a->form_name, (long long)a->form_id);
    else if (a->form_name)
        snprintf(buf, len, "via %s \"%s\"", words, a->form_name);
    else if (a->form_id)
        snprintf(buf, len, "via %s #%lld", words, (long long)a->form_id);
    else if (a->email && a->source && strcmp(a->source, "email_link") == 0)
        snprintf(buf, len, "via %s (%s)", words,
                 mask_show(st.detail_id, MASK_EMAIL, a->email, (char[256]){0}, 256));
    else
        snprintf(buf, len, "via %s", words);
}

static void describe_who(struct app *app, const struct activity *a, char *buf, size_t len)
{
    if (a->has_user && a->user_id) {
        const char *name = app_user_name(app, a->user_id);
        if (name)
            snprintf(buf, len, "by %s", name);
        else
            snprintf(buf, len, "by user #%lld", (long long)a->user_id);
    } else if (a->source &&
               (strcmp(a->source, "system") == 0 || strcmp(a->source, "enrichment") == 0)) {
        snprintf(buf, len, "by the system");
    } else {
        snprintf(buf, len, "by the contact");
    }
}

/* ---- the detail pane ---- */

static void field(struct trows *r, int lw, const char *label, const char *value)
{
    if (!value || !value[0])
        return;
    trows_field(r, 1, label, UIC_DETAIL_LABEL, 2 + lw, value, UIC_DETAIL_VALUE, NULL,
                UIC_DETAIL_VALUE);
}

static void field_always(struct trows *r, int lw, const char *label, const char *value, enum uic c)
{
    bool empty = !value || !value[0];
    trows_field(r, 1, label, UIC_DETAIL_LABEL, 2 + lw, empty ? "-" : value,
                empty ? UIC_DETAIL_EMPTY : c, NULL, c);
}

static void group(struct trows *r, const char *title)
{
    if (r->n)
        trows_add(r);
    trows_wrap(r, 1, title, UIC_DETAIL_GROUP);
}

/* Sorted newest first; ties keep the server's order. */
struct act_ref {
    const struct activity *a;
    size_t index;
};

static int cmp_newest(const void *x, const void *y)
{
    const struct act_ref *a = x, *b = y;
    const char *ta = a->a->created_at ? a->a->created_at : "";
    const char *tb = b->a->created_at ? b->a->created_at : "";
    int c = strcmp(tb, ta);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static struct act_ref *sorted_activities(const struct activity *acts, size_t n)
{
    struct act_ref *refs = xcalloc(n ? n : 1, sizeof(*refs));
    for (size_t i = 0; i < n; i++)
        refs[i] = (struct act_ref){&acts[i], i};
    qsort(refs, n, sizeof(*refs), cmp_newest);
    return refs;
}

/* The latest consent decision per purpose, from the timeline. */
static void consent_summary(struct app *app, struct trows *r, int lw)
{
    size_t n = 0;
    const struct activity *acts =
        st.timeline_failed ? NULL : store_activities(app->store, st.detail_id, &n);
    if (!acts) {
        field_always(r, lw, "Consent", st.timeline_loaded ? "-" : "loading...", UIC_DETAIL_EMPTY);
        return;
    }
    struct act_ref *refs = sorted_activities(acts, n);
    const char *seen[16];
    size_t n_seen = 0;
    bool any = false;
    for (size_t i = 0; i < n && n_seen < 16; i++) {
        const struct activity *a = refs[i].a;
        if (!a->action_type || (strcmp(a->action_type, "consent_granted") != 0 &&
                                strcmp(a->action_type, "consent_withdrawn") != 0))
            continue;
        const char *purpose = a->purpose ? a->purpose : "consent";
        bool dup = false;
        for (size_t k = 0; k < n_seen; k++)
            dup = dup || strcmp(seen[k], purpose) == 0;
        if (dup)
            continue;
        seen[n_seen++] = purpose;
        char when[32], how[300], line[512];
        format_time(a->created_at, when, sizeof(when));
        describe_how(a, how, sizeof(how));
        bool granted = strcmp(a->action_type, "consent_granted") == 0;
        snprintf(line, sizeof(line), "%s: %s %s%s%s", purpose, granted ? "granted" : "withdrawn",
                 when, how[0] ? " " : "", how);
        trows_field(r, 1, any ? "" : "Consent", UIC_DETAIL_LABEL, 2 + lw, line,
                    granted ? UIC_CONSENT_GRANTED : UIC_CONSENT_WITHDRAWN, NULL, UIC_DETAIL_VALUE);
        any = true;
    }
    if (!any)
        field_always(r, lw, "Consent", "none recorded", UIC_DETAIL_EMPTY);
    free(refs);
}

static void build_detail(struct app *app)
{
    struct trows *r = &st.rows[PANE_DETAIL];
    trows_clear(r);
    r->width = pane_width(app, PANE_DETAIL);
    if (r->width <= 0)
        r->width = app->layout.body.w;
    if (!st.detail_id) {
        trows_wrap(r, 1, "No contact selected.", UIC_DETAIL_EMPTY);
        return;
    }
    /* a failed or cancelled fetch is not asked again until R */
    const struct contact *c = st.contact_failed ? NULL : store_contact(app->store, st.detail_id);
    st.detail_loaded = c != NULL;
    if (!c) {
        char msg[400];
        if (st.contact_failed)
            snprintf(msg, sizeof(msg), "Not loaded: %s. R reloads.", st.failed_why);
        else
            snprintf(msg, sizeof(msg), "loading...");
        trows_wrap(r, 1, msg, UIC_DETAIL_EMPTY);
        return;
    }
    int lw = r->width >= 60 ? 18 : r->width / 3;
    char buf[1024], num[32];

    const char *name = c->display_name;
    char joined[512];
    if (!name || !name[0]) {
        snprintf(joined, sizeof(joined), "%s%s%s", c->first_name ? c->first_name : "",
                 c->first_name && c->last_name ? " " : "", c->last_name ? c->last_name : "");
        name = joined[0] ? joined : c->email;
    }
    name = mask_show(c->id, MASK_NAME, name, (char[512]){0}, 512);
    draw_copy(st.detail_name, sizeof(st.detail_name), name);

    group(r, "Identity");
    field_always(r, lw, "Name", name, UIC_DETAIL_VALUE);
    field(r, lw, "First name", mask_show(c->id, MASK_NAME, c->first_name, (char[256]){0}, 256));
    field(r, lw, "Last name", mask_show(c->id, MASK_NAME, c->last_name, (char[256]){0}, 256));
    field(r, lw, "Job title", c->job_title);
    field(r, lw, "Department", c->department);
    field(r, lw, "Time zone", c->time_zone);
    snprintf(num, sizeof(num), "%ld", c->lead_score);
    field(r, lw, "Lead score", num);
    snprintf(num, sizeof(num), "%lld", (long long)c->id);
    field(r, lw, "Id", num);
    format_time(c->created_at, buf, sizeof(buf));
    field(r, lw, "Created", buf);
    format_time(c->updated_at, buf, sizeof(buf));
    field(r, lw, "Updated", buf);
    if (c->is_deleted)
        field_always(r, lw, "State", "in the Recycle Bin", UIC_CONSENT_WITHDRAWN);

    group(r, "Contact points");
    field_always(r, lw, "Email", mask_show(c->id, MASK_EMAIL, c->email, (char[256]){0}, 256),
                 UIC_DETAIL_VALUE);
    for (size_t i = 0; i < c->n_emails; i++) {
        const struct contact_email *e = &c->emails[i];
        if (!e->value || (c->email && strcmp(e->value, c->email) == 0 && c->n_emails == 1))
            continue;
        snprintf(buf, sizeof(buf), "%s%s%s%s%s",
                 mask_show(c->id, MASK_EMAIL, e->value, (char[256]){0}, 256), e->label ? " (" : "",
                 e->label ? e->label : "", e->label ? ")" : "", e->is_primary ? " primary" : "");
        field(r, lw, i == 0 ? "Emails" : "", buf);
    }
    field(r, lw, "Mobile", mask_show(c->id, MASK_PHONE, c->mobile_number, (char[256]){0}, 256));
    field(r, lw, "Work phone", mask_show(c->id, MASK_PHONE, c->work_number, (char[256]){0}, 256));
    buf[0] = '\0';
    const char *parts[] = {c->address, c->city, c->state, c->zipcode, c->country};
    size_t off = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!parts[i] || !parts[i][0] || off >= sizeof(buf))
            continue;
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", off ? ", " : "", parts[i]);
    }
    field(r, lw, "Address", mask_show(c->id, MASK_ADDRESS, buf, (char[1024]){0}, 1024));

    group(r, "Ownership");
    const char *owner = c->owner_name;
    if (!owner && c->owner_id)
        owner = app_user_name(app, c->owner_id);
    if (!owner && c->owner_id) {
        snprintf(num, sizeof(num), "user #%lld", (long long)c->owner_id);
        owner = num;
    }
    field_always(r, lw, "Owner", owner, UIC_DETAIL_VALUE);
    char company[300];
    const char *co = c->company_name;
    if (!co && c->sales_account_id) {
        snprintf(company, sizeof(company), "company #%lld", (long long)c->sales_account_id);
        co = company;
    }
    field_always(r, lw, "Company", co, UIC_DETAIL_VALUE);

    group(r, "Subscription and consent");
    field_always(r, lw, "Do not disturb", c->do_not_disturb ? "yes (DND)" : "no",
                 c->do_not_disturb ? UIC_CONSENT_WITHDRAWN : UIC_DETAIL_VALUE);
    static const char *const sub_words[] = {"unsubscribed", "subscribed", "not set"};
    const char *sub = c->subscription_status >= 0 && c->subscription_status <= 2
                          ? sub_words[c->subscription_status]
                          : NULL;
    field_always(r, lw, "Subscription", sub,
                 c->subscription_status == 1   ? UIC_CONSENT_GRANTED
                 : c->subscription_status == 0 ? UIC_CONSENT_WITHDRAWN
                                               : UIC_DETAIL_VALUE);
    buf[0] = '\0';
    off = 0;
    for (size_t i = 0; i < c->n_subscription_types && off < sizeof(buf); i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "",
                                c->subscription_types[i]);
    field(r, lw, "Subscribed to", buf);
    field(r, lw, "Unsubscribe reason", c->unsubscription_reason);
    consent_summary(app, r, lw);

    group(r, "Enrichment (filled by profile enrichment)");
    const struct {
        const char *label, *value;
    } enriched[] = {{"Facebook", c->facebook},
                    {"Twitter", c->twitter},
                    {"LinkedIn", c->linkedin},
                    {"Avatar", c->avatar}};
    bool any = false;
    for (size_t i = 0; i < sizeof(enriched) / sizeof(enriched[0]); i++) {
        if (!enriched[i].value || !enriched[i].value[0])
            continue;
        trows_field(r, 1, enriched[i].label, UIC_DETAIL_LABEL, 2 + lw, enriched[i].value,
                    UIC_DETAIL_VALUE, "[enriched]", UIC_DETAIL_ENRICHED);
        any = true;
    }
    if (!any)
        field_always(r, lw, "Enriched fields", "none", UIC_DETAIL_EMPTY);

    group(r, "Chat");
    field_always(r, lw, "Events timeline", c->chat_events_timeline ? "on" : "off",
                 UIC_DETAIL_VALUE);
    field_always(r, lw, "Last seen IP", c->last_seen_ip, UIC_DETAIL_VALUE);

    if (c->n_custom_fields) {
        group(r, "Custom fields");
        for (size_t i = 0; i < c->n_custom_fields; i++)
            field_always(r, lw, c->custom_fields[i].name ? c->custom_fields[i].name : "?",
                         c->custom_fields[i].value, UIC_DETAIL_VALUE);
    }

    group(r, "Tags");
    buf[0] = '\0';
    off = 0;
    for (size_t i = 0; i < c->n_tags && off < sizeof(buf); i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "", c->tags[i]);
    field_always(r, lw, "Tags", buf, UIC_DETAIL_VALUE);

    if (c->n_notes) {
        group(r, "Notes");
        for (size_t i = 0; i < c->n_notes; i++) {
            const struct note *nt = &c->notes[i];
            char when[32], by[200];
            format_time(nt->created_at, when, sizeof(when));
            const char *who = nt->user_id ? app_user_name(app, nt->user_id) : NULL;
            if (who)
                snprintf(by, sizeof(by), "%s by %s", when, who);
            else if (nt->user_id)
                snprintf(by, sizeof(by), "%s by user #%lld", when, (long long)nt->user_id);
            else
                snprintf(by, sizeof(by), "%s", when);
            trows_wrap(r, 1, by, UIC_DETAIL_LABEL);
            trows_wrap(r, 3, nt->description, UIC_DETAIL_VALUE);
        }
    }
    detail_calls_append(app, r, lw);
}

/* ---- the timeline pane ---- */

static void build_timeline(struct app *app)
{
    struct trows *r = &st.rows[PANE_TIMELINE];
    trows_clear(r);
    r->width = pane_width(app, PANE_TIMELINE);
    if (r->width <= 0)
        r->width = app->layout.body.w;
    if (!st.detail_id)
        return;
    size_t n = 0;
    const struct activity *acts =
        st.timeline_failed ? NULL : store_activities(app->store, st.detail_id, &n);
    st.timeline_loaded = acts != NULL;
    st.n_activities = n;
    if (!acts) {
        trows_wrap(r, 1, st.timeline_failed ? "Not loaded. R reloads." : "loading...",
                   UIC_DETAIL_EMPTY);
        return;
    }
    if (n == 0) {
        trows_wrap(r, 1, "No activity recorded.", UIC_DETAIL_EMPTY);
        return;
    }
    int x_what = r->width >= 50 ? 19 : 1;
    struct act_ref *refs = sorted_activities(acts, n);
    for (size_t i = 0; i < n; i++) {
        const struct activity *a = refs[i].a;
        const struct activity_kind *k = activity_kind(a->action_type);
        char when[32], what[300], how[400], who[200], line[1200];
        format_time(a->created_at, when, sizeof(when));
        /* the first row: when and what (with the purpose and channel) */
        snprintf(what, sizeof(what), "%s", k ? k->words : (a->action_type ? a->action_type : "?"));
        struct trow *row = trows_add(r);
        trows_seg(row, 1, when, strlen(when), UIC_TIMELINE_TIME);
        if (x_what == 1) {
            row = trows_add(r);
            trows_seg(row, 3, what, strlen(what), k ? k->color : UIC_TIMELINE_ACTION);
        } else {
            trows_seg(row, x_what, what, strlen(what), k ? k->color : UIC_TIMELINE_ACTION);
        }
        int x_more = (x_what == 1 ? 3 : x_what) + sanitize_width(what) + 1;
        if (a->purpose || a->channel) {
            char pc[200];
            snprintf(pc, sizeof(pc), "%s%s%s%s%s", a->purpose ? a->purpose : "",
                     a->purpose && a->channel ? " " : "", a->channel ? "(" : "",
                     a->channel ? a->channel : "", a->channel ? ")" : "");
            trows_seg(row, x_more, pc, strlen(pc), UIC_TIMELINE_DETAIL);
        }
        /* the second row: how, who, and what else it carries */
        describe_how(a, how, sizeof(how));
        describe_who(app, a, who, sizeof(who));
        size_t off = 0;
        line[0] = '\0';
        if (how[0] || (k && k->consent) || a->has_user)
            off += (size_t)snprintf(line, sizeof(line), "%s%s%s", how, how[0] ? ", " : "", who);
        if (a->detail && off < sizeof(line))
            off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", off ? "; " : "",
                                    a->detail);
        if (a->email && !(a->source && strcmp(a->source, "email_link") == 0) && off < sizeof(line))
            off += (size_t)snprintf(
                line + off, sizeof(line) - off, "%semail %s", off ? "; " : "",
                mask_show(st.detail_id, MASK_EMAIL, a->email, (char[256]){0}, 256));
        for (size_t d = 0; d < a->n_data && off < sizeof(line); d++)
            off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s: %s", off ? "; " : "",
                                    a->data[d].name ? a->data[d].name : "?",
                                    a->data[d].value ? a->data[d].value : "null");
        if (line[0])
            trows_wrap(r, x_what == 1 ? 3 : x_what, line, UIC_TIMELINE_DETAIL);
    }
    free(refs);
}

static void rebuild_panes(struct app *app)
{
    build_detail(app);
    build_timeline(app);
    for (int p = PANE_DETAIL; p <= PANE_TIMELINE; p++) {
        long h = layout_pane_rows(&app->layout, (enum pane)p);
        long max = (long)st.rows[p].n - h;
        if (st.scroll[p] > max)
            st.scroll[p] = max > 0 ? max : 0;
        st.pane_dirty[p] = true;
    }
}

/* Opens the selected contact in the detail and timeline panes. */
static void open_selected(struct app *app)
{
    st.detail_due = 0;
    long total = store_total(app->store);
    if (total <= 0)
        return;
    const struct contact_row *row = store_row(app->store, st.sel);
    if (!row) {
        st.open_when_loaded = true;
        return;
    }
    st.open_when_loaded = false;
    if (row->id == st.detail_id && !st.contact_failed && !st.timeline_failed)
        return;
    st.detail_id = row->id;
    draw_copy(st.detail_name, sizeof(st.detail_name),
              mask_show(row->id, MASK_NAME, row->name, (char[256]){0}, 256));
    st.detail_loaded = st.timeline_loaded = false;
    st.contact_failed = st.timeline_failed = false;
    st.scroll[PANE_DETAIL] = st.scroll[PANE_TIMELINE] = 0;
    detail_calls_open(app, st.detail_id);
    rebuild_panes(app);
}

static void schedule_open(struct app *app)
{
    /* with one pane the detail is not on screen: it opens on Enter or Tab */
    if (app->layout.one_pane && app->focus == PANE_LIST)
        return;
    st.detail_due = app_now_ms() + DETAIL_DELAY_MS;
}

/* ---- the list pane ---- */

static void draw_row(struct app *app, long i)
{
    WINDOW *w = st.win[PANE_LIST];
    long h = layout_pane_rows(&app->layout, PANE_LIST);
    long y = 1 + i - st.top;
    if (!w || y < 1 || y > h)
        return;
    int cols = pane_width(app, PANE_LIST);
    long total = store_total(app->store);
    if (total < 0) {
        draw_cell(w, (int)y, 0, cols,
                  i != st.top      ? ""
                  : st.list_failed ? " not loaded; R reloads"
                                   : " loading...",
                  UIC_LIST_LOADING);
        return;
    }
    if (total == 0) {
        char msg[CMDLINE_MAX + 64] = "";
        if (i == st.top && st.searching)
            snprintf(msg, sizeof(msg), " no contacts match \"%s\"", st.query);
        else if (i == st.top)
            snprintf(msg, sizeof(msg), " no contacts in this view");
        draw_cell(w, (int)y, 0, cols, msg, UIC_DETAIL_EMPTY);
        return;
    }
    if (i >= total) {
        draw_fill(w, (int)y, 0, cols, UIC_LIST_ROW);
        return;
    }
    bool selected = i == st.sel;
    const struct contact_row *r = store_row(app->store, i);
    enum uic base = selected             ? UIC_LIST_SELECTED
                    : r && r->is_deleted ? UIC_LIST_DELETED
                                         : UIC_LIST_ROW;
    draw_cell(w, (int)y, 0, 1, selected ? ">" : " ", base);
    if (!r) {
        /* a page that failed is not asked for again until R */
        bool failed = !store_row_loading(app->store, i) && store_error(app->store);
        draw_cell(w, (int)y, 1, cols - 1, failed ? "not loaded; R reloads" : "loading...",
                  selected ? base : UIC_LIST_LOADING);
        return;
    }
    struct list_columns c;
    layout_list_columns(cols, &c);
    /* The selection covers the marker and the name's text: a move repaints
     * two names, not two whole rows (bytes matter over a slow link). */
    enum uic rest = r->is_deleted ? UIC_LIST_DELETED : UIC_LIST_ROW;
    int used =
        draw_text(w, (int)y, c.x_name, c.name,
                  r->name && r->name[0] ? mask_show(r->id, MASK_NAME, r->name, (char[256]){0}, 256)
                                        : "(no name)",
                  base);
    draw_fill(w, (int)y, c.x_name + used, cols - c.x_name - used, rest);
    if (c.email && r->email)
        draw_text(w, (int)y, c.x_email, c.email,
                  mask_show(r->id, MASK_EMAIL, r->email, (char[256]){0}, 256), rest);
    if (c.company && r->company)
        draw_text(w, (int)y, c.x_company, c.company, r->company, rest);
    if (c.marks) {
        if (r->do_not_disturb)
            draw_text(w, (int)y, c.x_marks, 3, "DND", UIC_LIST_DND);
        static const char *const sub[] = {"uns", "sub", "  -"};
        /* search hits carry no subscription: no mark */
        const char *mark = r->subscription_status >= 0 && r->subscription_status <= 2
                               ? sub[r->subscription_status]
                               : "";
        enum uic mc = r->subscription_status == 1   ? UIC_LIST_SUBSCRIBED
                      : r->subscription_status == 0 ? UIC_LIST_UNSUBSCRIBED
                                                    : rest;
        draw_text(w, (int)y, c.x_marks + 4, 3, mark, mc);
    }
}

static void pane_title(struct app *app, enum pane p, const char *text)
{
    WINDOW *w = st.win[p];
    if (!w)
        return;
    enum uic c = app->focus == p ? UIC_PANE_TITLE_FOCUS : UIC_PANE_TITLE;
    draw_cell(w, 0, 0, pane_width(app, p), text, c);
}

static void draw_list(struct app *app, bool full)
{
    WINDOW *w = st.win[PANE_LIST];
    if (!w)
        return;
    if (full || st.list_dirty) {
        char title[CMDLINE_MAX + 200];
        if (st.searching)
            snprintf(title, sizeof(title), " Search \"%s\" (Esc returns)", st.query);
        else
            snprintf(title, sizeof(title), " %s by %s%s",
                     st.view_name[0] ? st.view_name : "Contacts", sorts[st.sort].name,
                     st.desc != sorts[st.sort].desc ? ", reversed" : "");
        pane_title(app, PANE_LIST, title);
        long h = layout_pane_rows(&app->layout, PANE_LIST);
        for (long i = st.top; i < st.top + h; i++)
            draw_row(app, i);
    } else {
        for (int k = 0; k < st.n_row_dirty; k++)
            draw_row(app, st.row_dirty[k]);
    }
    if (full || st.list_dirty || st.n_row_dirty)
        wnoutrefresh(w);
    st.list_dirty = false;
    st.n_row_dirty = 0;
}

static void draw_pane(struct app *app, enum pane p, bool full)
{
    WINDOW *w = st.win[p];
    if (!w || !(full || st.pane_dirty[p]))
        return;
    char title[400];
    if (p == PANE_DETAIL)
        snprintf(title, sizeof(title), " Detail%s%s", st.detail_id ? " - " : "",
                 st.detail_id ? st.detail_name : "");
    else if (st.timeline_loaded)
        snprintf(title, sizeof(title), " Timeline - %zu entr%s, newest first", st.n_activities,
                 st.n_activities == 1 ? "y" : "ies");
    else
        snprintf(title, sizeof(title), " Timeline");
    pane_title(app, p, title);
    trows_draw(&st.rows[p], w, 1, layout_pane_rows(&app->layout, p), st.scroll[p],
               pane_width(app, p));
    wnoutrefresh(w);
    st.pane_dirty[p] = false;
}

/* ---- moving ---- */

static void mark_row(long i)
{
    for (int k = 0; k < st.n_row_dirty; k++)
        if (st.row_dirty[k] == i)
            return;
    if (st.n_row_dirty == (int)(sizeof(st.row_dirty) / sizeof(st.row_dirty[0])))
        st.list_dirty = true;
    else
        st.row_dirty[st.n_row_dirty++] = i;
}

static void select_row(struct app *app, long sel, long top)
{
    long total = store_total(app->store);
    if (total <= 0)
        return;
    long h = list_height(app);
    long old_sel = st.sel, old_top = st.top;
    if (sel < 0)
        sel = 0;
    if (sel > total - 1)
        sel = total - 1;
    st.sel = sel;
    st.top = layout_scroll_top(top, sel, (int)h, total);
    if (st.top != old_top) {
        st.list_dirty = true;
        app->dirty_header = true;
    } else if (st.sel != old_sel) {
        mark_row(old_sel);
        mark_row(st.sel);
    }
    if (st.sel != old_sel)
        schedule_open(app);
}

static void move_list(struct app *app, enum action a)
{
    long total = store_total(app->store);
    long h = list_height(app);
    if (total <= 0)
        return;
    long sel = st.sel, top = st.top;
    switch (a) {
    case ACT_MOVE_DOWN:
        select_row(app, st.sel + 1, st.top);
        /* read ahead one screen in the direction of travel */
        store_prefetch(app->store, st.top + h, st.top + 2 * h);
        break;
    case ACT_MOVE_UP:
        select_row(app, st.sel - 1, st.top);
        if (st.top > 0)
            store_prefetch(app->store, st.top - h > 0 ? st.top - h : 0, st.top - 1);
        break;
    case ACT_PAGE_DOWN:
        layout_page(&sel, &top, h, (int)h, total);
        select_row(app, sel, top);
        store_prefetch(app->store, st.top + h, st.top + 2 * h);
        break;
    case ACT_PAGE_UP:
        layout_page(&sel, &top, -h, (int)h, total);
        select_row(app, sel, top);
        break;
    case ACT_FIRST:
        select_row(app, 0, 0);
        break;
    case ACT_LAST:
        select_row(app, total - 1, total - h);
        break;
    default:
        break;
    }
}

static void scroll_pane(struct app *app, enum pane p, enum action a)
{
    long h = layout_pane_rows(&app->layout, p);
    long max = (long)st.rows[p].n - h;
    long s = st.scroll[p];
    switch (a) {
    case ACT_MOVE_DOWN:
        s++;
        break;
    case ACT_MOVE_UP:
        s--;
        break;
    case ACT_PAGE_DOWN:
        s += h > 1 ? h - 1 : 1;
        break;
    case ACT_PAGE_UP:
        s -= h > 1 ? h - 1 : 1;
        break;
    case ACT_FIRST:
        s = 0;
        break;
    case ACT_LAST:
        s = max;
        break;
    default:
        break;
    }
    if (s > max)
        s = max;
    if (s < 0)
        s = 0;
    if (s != st.scroll[p]) {
        st.scroll[p] = s;
        st.pane_dirty[p] = true;
    }
}

/* ---- views, sort, search ---- */

static void show_view(struct app *app, const struct view *v)
{
    st.have_view = true;
    st.view_id = v->id;
    draw_copy(st.view_name, sizeof(st.view_name), v->name ? v->name : "?");
    st.searching = false;
    st.sel = st.top = 0;
    st.list_failed = false;
    store_set_view(app->store, st.view_id, sorts[st.sort].api, st.desc);
    st.open_when_loaded = !(app->layout.one_pane && app->focus == PANE_LIST);
    mark_all(app);
}

static void pick_default_view(struct app *app)
{
    size_t n = 0;
    const struct view *views = store_views(app->store, &n);
    if (!views || n == 0)
        return;
    size_t pick = 0;
    for (size_t i = 0; i < n; i++)
        if (views[i].is_default)
            pick = i;
    show_view(app, &views[pick]);
}

static void cycle_view(struct app *app, int dir)
{
    size_t n = 0;
    const struct view *views = store_views(app->store, &n);
    if (!views || n == 0) {
        store_load_views(app->store);
        app_message(app, "the views are loading");
        return;
    }
    size_t cur = 0;
    for (size_t i = 0; i < n; i++)
        if (views[i].id == st.view_id)
            cur = i;
    size_t next = st.searching ? cur : (cur + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
    show_view(app, &views[next]);
}

static void apply_sort(struct app *app)
{
    if (st.searching) {
        app_message(app, "search hits come in the server's order");
        return;
    }
    st.sel = st.top = 0;
    store_set_view(app->store, st.view_id, sorts[st.sort].api, st.desc);
    st.open_when_loaded = !(app->layout.one_pane && app->focus == PANE_LIST);
    mark_all(app);
}

static void start_search(struct app *app, const char *q)
{
    if (!st.searching) {
        st.saved.view_id = st.view_id;
        snprintf(st.saved.view_name, sizeof(st.saved.view_name), "%s", st.view_name);
        st.saved.sel = st.sel;
        st.saved.top = st.top;
    }
    st.searching = true;
    snprintf(st.query, sizeof(st.query), "%s", q);
    st.sel = st.top = 0;
    st.list_failed = false;
    store_set_search(app->store, st.query);
    st.open_when_loaded = !(app->layout.one_pane && app->focus == PANE_LIST);
    mark_all(app);
}

static void leave_search(struct app *app)
{
    st.searching = false;
    st.view_id = st.saved.view_id;
    snprintf(st.view_name, sizeof(st.view_name), "%s", st.saved.view_name);
    store_set_view(app->store, st.view_id, sorts[st.sort].api, st.desc);
    st.sel = st.saved.sel;
    st.top = st.saved.top;
    st.list_failed = false;
    st.open_when_loaded = !(app->layout.one_pane && app->focus == PANE_LIST);
    mark_all(app);
}

static void reload(struct app *app)
{
    long sel = st.sel, top = st.top;
    st.list_failed = false;
    store_clear_error(app->store);
    if (st.searching)
        store_set_search(app->store, st.query);
    else if (st.have_view)
        store_set_view(app->store, st.view_id, sorts[st.sort].api, st.desc);
    else
        store_load_views(app->store);
    st.sel = sel;
    st.top = top;
    /* the row selected may be another contact now (one was forgotten or deleted) */
    st.open_when_loaded = !(app->layout.one_pane && app->focus == PANE_LIST);
    if (st.detail_id) {
        store_invalidate(app->store, st.detail_id);
        detail_calls_open(app, st.detail_id);
        st.contact_failed = st.timeline_failed = false;
        rebuild_panes(app);
    }
    app_clear_error(app);
    mark_all(app);
}

/* ---- view ops ---- */

static void free_windows(void)
{
    for (int p = 0; p < PANE_COUNT; p++) {
        if (st.win[p]) {
            delwin(st.win[p]);
            st.win[p] = NULL;
        }
    }
    if (st.vsep) {
        delwin(st.vsep);
        st.vsep = NULL;
    }
}

static WINDOW *pane_window(struct rect r)
{
    if (r.h <= 0 || r.w <= 0)
        return NULL;
    WINDOW *w = newwin(r.h, r.w, r.y, r.x);
    if (w)
        wbkgdset(w, (chtype)(' ' | colors_attr(UIC_DEFAULT)));
    return w;
}

static void contacts_relayout(struct app *app)
{
    free_windows();
    if (app->too_small)
        return;
    for (int p = 0; p < PANE_COUNT; p++)
        st.win[p] = pane_window(app->layout.pane[p]);
    st.vsep = pane_window(app->layout.vsep);
    long total = store_total(app->store);
    if (total >= 0)
        st.top = layout_scroll_top(st.top, st.sel, (int)list_height(app), total);
    if (st.detail_id)
        rebuild_panes(app);
    else if (!app->layout.one_pane || app->focus != PANE_LIST)
        schedule_open(app);
    mark_all(app);
}

static void contacts_enter(struct app *app)
{
    contacts_relayout(app);
    if (!st.have_view) {
        store_load_views(app->store);
        pick_default_view(app);
    }
}

static void contacts_leave(struct app *app)
{
    (void)app;
    free_windows();
}

static void contacts_draw(struct app *app, bool full)
{
    if (full)
        rebuild_panes(app), mark_all(app); /* a mask or a reveal may have changed */
    draw_list(app, full);
    draw_pane(app, PANE_DETAIL, full);
    draw_pane(app, PANE_TIMELINE, full);
    if (st.vsep && (full || vsep_dirty)) {
        wattrset(st.vsep, colors_attr(UIC_SEPARATOR));
        mvwvline(st.vsep, 0, 0, ACS_VLINE | colors_attr(UIC_SEPARATOR), app->layout.vsep.h);
        wnoutrefresh(st.vsep);
    }
    vsep_dirty = false;
}

static void set_focus(struct app *app, enum pane p)
{
    enum pane old = app->focus;
    app_set_focus(app, p);
    if (p != PANE_LIST && (st.detail_due || st.detail_id == 0 || !pane_shown(app, old)))
        open_selected(app);
    /* titles show the focus */
    mark_all(app);
}

static bool contacts_handle(struct app *app, enum action a)
{
    if (detail_calls_handle(app, a))
        return true;
    switch (a) {
    case ACT_MOVE_DOWN:
    case ACT_MOVE_UP:
    case ACT_PAGE_DOWN:
    case ACT_PAGE_UP:
    case ACT_FIRST:
    case ACT_LAST:
        if (app->focus == PANE_LIST)
            move_list(app, a);
        else
            scroll_pane(app, app->focus, a);
        return true;
    case ACT_NEXT_PANE:
        set_focus(app, (enum pane)((app->focus + 1) % PANE_COUNT));
        return true;
    case ACT_PREV_PANE:
        set_focus(app, (enum pane)((app->focus + PANE_COUNT - 1) % PANE_COUNT));
        return true;
    case ACT_OPEN:
        if (app->focus == PANE_LIST) {
            open_selected(app);
            set_focus(app, PANE_DETAIL);
        }
        return true;
    case ACT_SEARCH:
        app_prompt_open(app, PROMPT_SEARCH);
        return true;
    case ACT_VIEW_NEXT:
        cycle_view(app, 1);
        return true;
    case ACT_VIEW_PREV:
        cycle_view(app, -1);
        return true;
    case ACT_SORT_NEXT:
        st.sort = (enum sort_kind)((st.sort + 1) % SORT_COUNT);
        st.desc = sorts[st.sort].desc;
        apply_sort(app);
        return true;
    case ACT_SORT_REVERSE:
        st.desc = !st.desc;
        apply_sort(app);
        return true;
    case ACT_RELOAD:
        reload(app);
        return true;
    case ACT_REVEAL:
        reveal_key(app, st.detail_id ? st.detail_id
                        : store_total(app->store) > 0 && store_row(app->store, st.sel)
                            ? store_row(app->store, st.sel)->id
                            : 0);
        return true;
    case ACT_QUICK_ACTIONS: {
        const struct contact_row *row =
            store_total(app->store) > 0 ? store_row(app->store, st.sel) : NULL;
        if (!row) {
            app_message(app, "no contact selected");
            return true;
        }
        menu_open(app, row, app->layout.pane[PANE_LIST].y + 1 + (int)(st.sel - st.top));
        return true;
    }
    case ACT_BACK:
        if (app->focus != PANE_LIST) {
            set_focus(app, PANE_LIST);
            return true;
        }
        if (st.searching) {
            leave_search(app);
            return true;
        }
        if (crm_client_pending(app->client) > 0) {
            crm_client_cancel_all(app->client);
            if (st.detail_id && (!st.detail_loaded || !st.timeline_loaded)) {
                /* cancelled answers never come: say so rather than "loading" */
                draw_copy(st.failed_why, sizeof(st.failed_why), "cancelled");
                st.contact_failed = !st.detail_loaded;
                st.timeline_failed = !st.timeline_loaded;
                rebuild_panes(app);
            }
            st.list_dirty = true;
            app_message(app, "cancelled");
            return true;
        }
        return false;
    default:
        return false;
    }
}

static bool contacts_command(struct app *app, enum command cmd, const char *arg)
{
    if (cmd == CMD_SEARCH) {
        if (!arg[0]) {
            app_prompt_open(app, PROMPT_SEARCH);
            return true;
        }
        start_search(app, arg);
        if (app->focus != PANE_LIST)
            set_focus(app, PANE_LIST);
        return true;
    }
    if (cmd == CMD_VIEW) {
        size_t n = 0;
        const struct view *views = store_views(app->store, &n);
        size_t len = strlen(arg);
        while (len && arg[len - 1] == ' ')
            len--;
        for (size_t i = 0; views && len && i < n; i++) {
            if (views[i].name && strncasecmp(views[i].name, arg, len) == 0) {
                show_view(app, &views[i]);
                return true;
            }
        }
        char names[400] = "";
        size_t off = 0;
        for (size_t i = 0; views && i < n && off < sizeof(names); i++)
            off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s", i ? ", " : "",
                                    views[i].name ? views[i].name : "?");
        app_warn(app, "no view \"%.*s\" (views: %s)", (int)len, arg, names[0] ? names : "none");
        return true;
    }
    return false;
}

static void contacts_store_event(struct app *app, enum store_event ev, int64_t first, int64_t last)
{
    long h = list_height(app);
    switch (ev) {
    case STORE_VIEWS:
        if (!st.have_view)
            pick_default_view(app);
        break;
    case STORE_ROWS: {
        long total = store_total(app->store);
        st.list_failed = false;
        if (total >= 0) {
            if (st.sel >= total)
                st.sel = total > 0 ? total - 1 : 0;
            st.top = layout_scroll_top(st.top, st.sel, (int)h, total);
        }
        if (last >= st.top && first < st.top + h)
            st.list_dirty = true;
        /* the total may have arrived: the title and an empty list change */
        st.list_dirty = st.list_dirty || first == 0;
        if (st.open_when_loaded && store_total(app->store) > 0 && st.sel >= first && st.sel <= last)
            open_selected(app);
        app_clear_error(app);
        break;
    }
    case STORE_CONTACT:
        if (first == st.detail_id && st.detail_id) {
            st.contact_failed = false;
            build_detail(app);
            st.pane_dirty[PANE_DETAIL] = true;
        }
        break;
    case STORE_ACTIVITIES:
        if (first == st.detail_id && st.detail_id) {
            st.timeline_failed = false;
            rebuild_panes(app);
        }
        break;
    case STORE_ERROR:
        /* rows of a failed page now say so instead of "loading..." */
        st.list_dirty = true;
        if (store_total(app->store) < 0)
            st.list_failed = true;
        if (st.detail_id && (!st.detail_loaded || !st.timeline_loaded)) {
            const char *e = store_error(app->store);
            draw_copy(st.failed_why, sizeof(st.failed_why), e ? e : "the request failed");
            st.contact_failed = !st.detail_loaded;
            st.timeline_failed = !st.timeline_loaded;
            rebuild_panes(app);
        }
        break;
    }
}

static void contacts_refresh(struct app *app)
{
    if (st.detail_id)
        rebuild_panes(app);
}

static int contacts_tick(struct app *app, long long now)
{
    if (!st.detail_due)
        return -1;
    if (now >= st.detail_due) {
        open_selected(app);
        return -1;
    }
    return (int)(st.detail_due - now);
}

static void contacts_title(struct app *app, char *buf, size_t len)
{
    char name[CMDLINE_MAX + 16];
    if (st.searching)
        snprintf(name, sizeof(name), "Search \"%s\"", st.query);
    else
        snprintf(name, sizeof(name), "%s", st.view_name[0] ? st.view_name : "Contacts");
    long total = store_total(app->store);
    if (total < 0) {
        snprintf(buf, len, "%s  loading", name);
        return;
    }
    long last = st.top + list_height(app);
    if (last > total)
        last = total;
    snprintf(buf, len, "%s  %ld-%ld of %ld", name, total ? st.top + 1 : 0, last, total);
}

static void contacts_busy(struct app *app, char *buf, size_t len)
{
    long h = list_height(app);
    long total = store_total(app->store);
    if (total < 0) {
        snprintf(buf, len, st.searching ? "searching" : "loading the list");
        return;
    }
    for (long i = st.top; i < st.top + h && i < total; i++) {
        if (store_row_loading(app->store, i)) {
            int per_page = app->cfg->per_page > 0 ? app->cfg->per_page : 40;
            snprintf(buf, len, "loading page %ld", i / per_page + 1);
            return;
        }
    }
    if (st.detail_id &&
        ((!st.detail_loaded && !st.contact_failed) || (!st.timeline_loaded && !st.timeline_failed)))
        snprintf(buf, len, "loading the contact");
    else
        snprintf(buf, len, "loading");
}

static void contacts_cursor(struct app *app)
{
    WINDOW *w = st.win[app->focus];
    if (!w)
        return;
    if (app->focus == PANE_LIST)
        wmove(w, (int)(1 + st.sel - st.top), 0);
    else
        wmove(w, 1, 0);
    wnoutrefresh(w);
}

static const enum keyctx contacts_contexts[] = {CTX_CONTACTS, CTX_BROWSE, CTX_GLOBAL};

const struct view_ops view_contacts_ops = {
    .name = "contacts",
    .contexts = contacts_contexts,
    .n_contexts = sizeof(contacts_contexts) / sizeof(contacts_contexts[0]),
    .enter = contacts_enter,
    .leave = contacts_leave,
    .relayout = contacts_relayout,
    .draw = contacts_draw,
    .handle = contacts_handle,
    .command = contacts_command,
    .store_event = contacts_store_event,
    .data_changed = contacts_refresh,
    .tick = contacts_tick,
    .title = contacts_title,
    .busy = contacts_busy,
    .cursor = contacts_cursor,
};
