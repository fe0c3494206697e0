/* Companies (sales accounts): views and pages as for contacts, one company,
 * soft delete (its contacts deleted too or unlinked) and forget. */
#include "server/handlers_companies.h"
#include "server/handlers_contacts.h"

#include <string.h>

#include "server/db.h"
#include "server/erase.h"
#include "server/handlers_users.h"
#include "server/handlers_views.h"
#include "server/status.h"

static const struct view_def company_views[] = {
#define VIEW_ITEM(id, name, def, kind) {id, name, def, kind},
    COMPANY_VIEW_LIST(VIEW_ITEM)
#undef VIEW_ITEM
};

/* The sorts of company lists; the first is the default (by name). */
static const struct view_sort company_sorts[] = {
    {"name", "name COLLATE NOCASE"},
    {"updated_at", "updated_at"},
    {"created_at", "created_at"},
};

#define COMPANY_COLUMNS                                                                            \
    "id, name, website, phone, address, city, country, owner_id, is_deleted, created_at,"          \
    " updated_at"

static cJSON *company_json(sqlite3_stmt *st)
{
    cJSON *c = cJSON_CreateObject();

    json_add_int64(c, "id", sqlite3_column_int64(st, 0));
    json_add_str(c, "name", (const char *)sqlite3_column_text(st, 1));
    json_add_str(c, "website", (const char *)sqlite3_column_text(st, 2));
    json_add_str(c, "phone", (const char *)sqlite3_column_text(st, 3));
    json_add_str(c, "address", (const char *)sqlite3_column_text(st, 4));
    json_add_str(c, "city", (const char *)sqlite3_column_text(st, 5));
    json_add_str(c, "country", (const char *)sqlite3_column_text(st, 6));
    if (sqlite3_column_type(st, 7) == SQLITE_NULL)
        cJSON_AddNullToObject(c, "owner_id");
    else
        json_add_int64(c, "owner_id", sqlite3_column_int64(st, 7));
    cJSON_AddBoolToObject(c, "is_deleted", sqlite3_column_int(st, 8) != 0);
    json_add_time(c, "created_at", sqlite3_column_int64(st, 9));
    json_add_time(c, "updated_at", sqlite3_column_int64(st, 10));
    return c;
}

cJSON *handlers_companies_json(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    cJSON *c = NULL;

    if (sqlite3_prepare_v2(db, "SELECT " COMPANY_COLUMNS " FROM companies WHERE id = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            c = company_json(st);
    }
    sqlite3_finalize(st);
    return c;
}

int handlers_companies_live(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, "SELECT 1 FROM companies WHERE id = ?1 AND is_deleted = 0", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        switch (sqlite3_step(st)) {
        case SQLITE_ROW:
            rc = 1;
            break;
        case SQLITE_DONE:
            rc = 0;
            break;
        default:
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

void handlers_companies_filters(const struct srv_req *rq, struct srv_resp *rs)
{
    (void)rq;
    handlers_views_filters(rs, company_views, sizeof company_views / sizeof company_views[0],
                           "SalesAccount");
}

void handlers_companies_view(const struct srv_req *rq, struct srv_resp *rs)
{
    const struct view_def *view = NULL;
    const struct view_sort *sort;
    int64_t ids[100], owners[100], total;
    long page, per_page;
    bool desc;
    cJSON *root = NULL, *list;
    sqlite3_stmt *st = NULL;
    int n = 0, n_owners = 0, i, j;
    size_t k;

    for (k = 0; k < sizeof company_views / sizeof company_views[0]; k++)
        if (company_views[k].id == rq->ids[0])
            view = &company_views[k];
    if (!view) {
        json_error(rs, SRV_NOT_FOUND, "No company view with this id.");
        return;
    }
    if (router_paging(rq, rs, &page, &per_page) < 0 ||
        handlers_views_sort(rq, rs, company_sorts, sizeof company_sorts / sizeof company_sorts[0],
                            false, &sort, &desc) < 0)
        return;
    if (sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (handlers_views_page(rq->db, "companies",
                            view->kind == VIEW_BIN ? "is_deleted = 1" : "is_deleted = 0", 0, sort,
                            desc, page, per_page, ids, &n, &total) < 0)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "SELECT " COMPANY_COLUMNS " FROM companies WHERE id = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        goto fail;
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "sales_accounts");
    for (i = 0; i < n; i++) {
        int64_t owner;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[i]);
        if (sqlite3_step(st) != SQLITE_ROW)
            goto fail;
        cJSON_AddItemToArray(list, company_json(st));
        owner = sqlite3_column_int64(st, 7);
        for (j = 0; j < n_owners && owners[j] != owner; j++)
            ;
        if (owner && j == n_owners)
            owners[n_owners++] = owner;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (router_includes(rq, "owner")) {
        cJSON *users = cJSON_AddArrayToObject(root, "users");
        for (j = 0; j < n_owners; j++) {
            cJSON *u = handlers_users_brief(rq->db, owners[j]);
            if (u)
                cJSON_AddItemToArray(users, u);
        }
    }
    sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
    json_add_meta(root, total, per_page);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    if (!sqlite3_get_autocommit(rq->db))
        sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}

/* Side-loads the company's live contacts (include=contacts), at most
 * COMPANY_CONTACTS_MAX of them, with "contacts_total" for the full count. */
#define COMPANY_CONTACTS_MAX 1000

static int company_contacts(sqlite3 *db, int64_t company_id, cJSON *root)
{
    sqlite3_stmt *st = NULL;
    struct contacts_render *r = handlers_contacts_render_new(db);
    cJSON *list = cJSON_AddArrayToObject(root, "contacts");
    int64_t total = 0;
    int rc = -1, step;

    if (!r || sqlite3_prepare_v2(db,
                                 "SELECT id FROM contacts WHERE sales_account_id = ?1"
                                 " AND is_deleted = 0 ORDER BY last_name COLLATE NOCASE, id",
                                 -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, company_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (total++ < COMPANY_CONTACTS_MAX) {
            cJSON *c = handlers_contacts_render(r, sqlite3_column_int64(st, 0), NULL, NULL);
            if (!c)
                goto out;
            cJSON_AddItemToArray(list, c);
        }
    }
    if (step != SQLITE_DONE)
        goto out;
    cJSON_AddNumberToObject(root, "contacts_total", (double)total);
    rc = 0;
out:
    sqlite3_finalize(st);
    handlers_contacts_render_free(&r);
    return rc;
}

void handlers_companies_show(const struct srv_req *rq, struct srv_resp *rs)
{
    cJSON *c = handlers_companies_json(rq->db, rq->ids[0]), *root;
    sqlite3_stmt *st = NULL;

    if (!c) {
        json_error(rs, SRV_NOT_FOUND, "No company with this id.");
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "sales_account", c);
    if (router_includes(rq, "owner")) {
        cJSON *users = cJSON_AddArrayToObject(root, "users");
        if (sqlite3_prepare_v2(rq->db, "SELECT owner_id FROM companies WHERE id = ?1", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, rq->ids[0]);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                cJSON *u = handlers_users_brief(rq->db, sqlite3_column_int64(st, 0));
                if (u)
                    cJSON_AddItemToArray(users, u);
            }
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (router_includes(rq, "contacts") && company_contacts(rq->db, rq->ids[0], root) < 0) {
        cJSON_Delete(root);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    json_reply(rs, SRV_OK, root);
}

/* Runs one statement on the id (bound to ?2) and the time now (?1). */
static int run_with_id(sqlite3 *db, const char *sql, int64_t now, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, id);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

void handlers_companies_delete(const struct srv_req *rq, struct srv_resp *rs)
{
    bool with_contacts = false;
    int64_t now = db_now(), id = rq->ids[0];
    int r;

    if (router_flag(rq, rs, "delete_associated_contacts_deals", &with_contacts) < 0)
        return;
    if (db_begin(rq->db) < 0)
        goto fail;
    r = run_with_id(rq->db,
                    "UPDATE companies SET is_deleted = 1, deleted_at = ?1, updated_at = ?1"
                    " WHERE id = ?2 AND is_deleted = 0",
                    now, id);
    if (r < 0)
        goto fail;
    if (r == 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No live company with this id.");
        return;
    }
    /* Its contacts go to the Recycle Bin with it (keeping the link, so that
     * forgetting the company later finds them), or stay and lose the link. */
    r = run_with_id(rq->db,
                    with_contacts
                        ? "UPDATE contacts SET is_deleted = 1, deleted_at = ?1, updated_at = ?1"
                          " WHERE sales_account_id = ?2 AND is_deleted = 0"
                        : "UPDATE contacts SET sales_account_id = NULL, updated_at = ?1"
                          " WHERE sales_account_id = ?2",
                    now, id);
    if (r < 0 || db_commit(rq->db) < 0)
        goto fail;
    json_reply_text(rs, SRV_OK, "true");
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_companies_forget(const struct srv_req *rq, struct srv_resp *rs)
{
    struct erase_counts counts;

    if (!rq->user.may_forget) {
        json_error(rs, SRV_FORBIDDEN,
                   "You are not permitted to forget records: an admin can grant the permission.");
        return;
    }
    memset(&counts, 0, sizeof counts);
    switch (erase_company(rq->db, rq->ids[0], rq->user.id, &counts, NULL)) {
    case ERASE_OK:
        json_reply_text(rs, SRV_OK, "true");
        break;
    case ERASE_NOT_FOUND:
        json_error(rs, SRV_NOT_FOUND, "No company with this id.");
        break;
    default:
        json_error(rs, SRV_INTERNAL, NULL);
        break;
    }
}
