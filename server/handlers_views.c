/* Contact views: the saved filters and their pages. A page is read as ids
 * from the sort's index (OFFSET from whichever end is nearer), then each
 * contact is rendered by id. */
#include "server/handlers_views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/handlers_companies.h"
#include "server/handlers_contacts.h"
#include "server/handlers_users.h"
#include "server/status.h"

static const struct view_def contact_views[] = {
#define VIEW_ITEM(id, name, def, kind) {id, name, def, kind},
    CONTACT_VIEW_LIST(VIEW_ITEM)
#undef VIEW_ITEM
};

/* The sorts of contact lists; the first is the default (newest change first). */
static const struct view_sort contact_sorts[] = {
    {"updated_at", "updated_at"},
    {"created_at", "created_at"},
    {"last_name", "last_name COLLATE NOCASE"},
    {"first_name", "first_name COLLATE NOCASE"},
    {"email", "email COLLATE NOCASE"},
};

void handlers_views_filters(struct srv_resp *rs, const struct view_def *views, size_t n,
                            const char *model_class)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "filters");
    size_t i;

    for (i = 0; i < n; i++) {
        cJSON *f = cJSON_CreateObject();
        json_add_int64(f, "id", views[i].id);
        cJSON_AddStringToObject(f, "name", views[i].name);
        cJSON_AddStringToObject(f, "model_class_name", model_class);
        cJSON_AddBoolToObject(f, "is_default", views[i].is_default);
        cJSON_AddItemToArray(list, f);
    }
    json_reply(rs, SRV_OK, root);
}

int handlers_views_sort(const struct srv_req *rq, struct srv_resp *rs,
                        const struct view_sort *sorts, size_t n, bool default_desc,
                        const struct view_sort **sort, bool *desc)
{
    const char *name = router_arg(rq, "sort"), *type = router_arg(rq, "sort_type");
    size_t i;

    *sort = &sorts[0];
    *desc = default_desc;
    if (name) {
        *sort = NULL;
        for (i = 0; i < n && !*sort; i++)
            if (strcmp(name, sorts[i].name) == 0)
                *sort = &sorts[i];
        if (!*sort) {
            char allowed[160];
            size_t len = 0;
            for (i = 0; i < n && len < sizeof allowed; i++)
                len += (size_t)snprintf(allowed + len, sizeof allowed - len, "%s%s", i ? ", " : "",
                                        sorts[i].name);
            json_errorf(rs, SRV_BAD_REQUEST, "sort must be one of %s.", allowed);
            return -1;
        }
        /* A field sorts ascending unless asked otherwise; dates newest first. */
        *desc = strstr((*sort)->name, "_at") != NULL;
    }
    if (type) {
        if (strcmp(type, "asc") == 0) {
            *desc = false;
        } else if (strcmp(type, "desc") == 0) {
            *desc = true;
        } else {
            json_error(rs, SRV_BAD_REQUEST, "sort_type must be asc or desc.");
            return -1;
        }
    }
    return 0;
}

/* Counting 100,000 index entries costs milliseconds, so each thread keeps
 * its last counts while its connection sees no change: PRAGMA data_version
 * moves when another connection commits, total_changes when this one writes. */
#define COUNT_CACHE_SLOTS 8

struct count_slot {
    const char *table, *where; /* constant strings: compared by address */
    int64_t bind1, total;
};

struct count_cache {
    sqlite3 *db;
    int64_t data_version, changes;
    struct count_slot slots[COUNT_CACHE_SLOTS];
    int n, next;
};

static _Thread_local struct count_cache count_cache;

static int64_t data_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static struct count_slot *count_cached(sqlite3 *db, const char *table, const char *where,
                                       int64_t bind1, int64_t version)
{
    struct count_cache *cc = &count_cache;
    int i;

    if (cc->db != db || cc->data_version != version || cc->changes != sqlite3_total_changes64(db)) {
        cc->db = db;
        cc->data_version = version;
        cc->changes = sqlite3_total_changes64(db);
        cc->n = cc->next = 0;
        return NULL;
    }
    for (i = 0; i < cc->n; i++)
        if (cc->slots[i].table == table && cc->slots[i].where == where &&
            cc->slots[i].bind1 == bind1)
            return &cc->slots[i];
    return NULL;
}

static void count_remember(const char *table, const char *where, int64_t bind1, int64_t total)
{
    struct count_cache *cc = &count_cache;
    struct count_slot *slot = &cc->slots[cc->next];

    slot->table = table;
    slot->where = where;
    slot->bind1 = bind1;
    slot->total = total;
    cc->next = (cc->next + 1) % COUNT_CACHE_SLOTS;
    if (cc->n < COUNT_CACHE_SLOTS)
        cc->n++;
}

/* Runs inside the caller's read transaction, so the count and the page
 * come from one snapshot. */
static int64_t count_rows(sqlite3 *db, const char *table, const char *where, int64_t bind1)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    int64_t total = -1, version = data_version(db);
    struct count_slot *hit = version >= 0 ? count_cached(db, table, where, bind1, version) : NULL;

    if (hit)
        return hit->total;

    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, where);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (bind1)
            sqlite3_bind_int64(st, 1, bind1);
        if (sqlite3_step(st) == SQLITE_ROW)
            total = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (total >= 0 && version >= 0)
        count_remember(table, where, bind1, total);
    return total;
}

int handlers_views_page(sqlite3 *db, const char *table, const char *where, int64_t bind1,
                        const struct view_sort *sort, bool desc, long page, long per_page,
                        int64_t *ids, int *n, int64_t *total)
{
    char sql[512];
    sqlite3_stmt *st = NULL;
    int64_t offset = (int64_t)(page - 1) * per_page, limit = per_page;
    bool reverse = false;
    const char *dir;
    int rc = -1, r;

    *n = 0;
    *total = count_rows(db, table, where, bind1);
    if (*total < 0)
        return -1;
    if (offset >= *total)
        return 0;
    /* Past the middle, count from the far end: OFFSET walks fewer entries. */
    if (offset + per_page / 2 > *total / 2) {
        int64_t from_end = *total - offset - per_page;
        reverse = true;
        if (from_end < 0) {
            limit += from_end;
            from_end = 0;
        }
        offset = from_end;
    }
    dir = desc != reverse ? "DESC" : "ASC";
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s ORDER BY %s %s, id %s LIMIT %s OFFSET %s",
             table, where, sort->expr, dir, dir, bind1 ? "?2" : "?1", bind1 ? "?3" : "?2");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (bind1)
        sqlite3_bind_int64(st, 1, bind1);
    sqlite3_bind_int64(st, bind1 ? 2 : 1, limit);
    sqlite3_bind_int64(st, bind1 ? 3 : 2, offset);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < per_page)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        goto out;
    if (reverse) {
        int i;
        for (i = 0; i < *n / 2; i++) {
            int64_t t = ids[i];
            ids[i] = ids[*n - 1 - i];
            ids[*n - 1 - i] = t;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

void handlers_views_contact_filters(const struct srv_req *rq, struct srv_resp *rs)
{
    (void)rq;
    handlers_views_filters(rs, contact_views, sizeof contact_views / sizeof contact_views[0],
                           "Contact");
}

static const char *contact_view_where(enum view_kind kind)
{
    switch (kind) {
    case VIEW_MINE:
        return "is_deleted = 0 AND owner_id = ?1";
    case VIEW_DND:
        return "is_deleted = 0 AND do_not_disturb = 1";
    case VIEW_BIN:
        return "is_deleted = 1";
    case VIEW_LIVE:
    default:
        return "is_deleted = 0";
    }
}

void handlers_views_contacts(const struct srv_req *rq, struct srv_resp *rs)
{
    const struct view_def *view = NULL;
    const struct view_sort *sort;
    struct contacts_render *r = NULL;
    int64_t ids[100], owners[100], companies[100], total;
    long page, per_page;
    bool desc, with_owner = router_includes(rq, "owner");
    bool with_companies = router_includes(rq, "sales_accounts");
    cJSON *root = NULL, *list;
    int n = 0, n_owners = 0, n_companies = 0, i, j;
    size_t k;

    for (k = 0; k < sizeof contact_views / sizeof contact_views[0]; k++)
        if (contact_views[k].id == rq->ids[0])
            view = &contact_views[k];
    if (!view) {
        json_error(rs, SRV_NOT_FOUND, "No contact view with this id.");
        return;
    }
    if (router_paging(rq, rs, &page, &per_page) < 0 ||
        handlers_views_sort(rq, rs, contact_sorts, sizeof contact_sorts / sizeof contact_sorts[0],
                            true, &sort, &desc) < 0)
        return;

    /* One read transaction: the count and the page see the same data. */
    if (sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (handlers_views_page(rq->db, "contacts", contact_view_where(view->kind),
                            view->kind == VIEW_MINE ? rq->user.id : 0, sort, desc, page, per_page,
                            ids, &n, &total) < 0)
        goto fail;
    if (!(r = handlers_contacts_render_new(rq->db)))
        goto fail;
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "contacts");
    for (i = 0; i < n; i++) {
        int64_t owner = 0, company = 0;
        cJSON *c = handlers_contacts_render(r, ids[i], &owner, &company);
        if (!c)
            goto fail;
        cJSON_AddItemToArray(list, c);
        for (j = 0; j < n_owners && owners[j] != owner; j++)
            ;
        if (owner && j == n_owners)
            owners[n_owners++] = owner;
        for (j = 0; j < n_companies && companies[j] != company; j++)
            ;
        if (company && j == n_companies)
            companies[n_companies++] = company;
    }
    if (with_owner) {
        cJSON *users = cJSON_AddArrayToObject(root, "users");
        for (j = 0; j < n_owners; j++) {
            cJSON *u = handlers_users_brief(rq->db, owners[j]);
            if (u)
                cJSON_AddItemToArray(users, u);
        }
    }
    if (with_companies) {
        cJSON *side = cJSON_AddArrayToObject(root, "sales_accounts");
        for (j = 0; j < n_companies; j++) {
            cJSON *co = handlers_companies_json(rq->db, companies[j]);
            if (co)
                cJSON_AddItemToArray(side, co);
        }
    }
    handlers_contacts_render_free(&r);
    sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
    json_add_meta(root, total, per_page);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    handlers_contacts_render_free(&r);
    if (!sqlite3_get_autocommit(rq->db))
        sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}
