/* GET /contacts/{id}/forget_preview: the counts erase_contact_preview gives,
 * under the same permission rule as the erasure itself. */
#include "server/handlers_privacy.h"

#include <string.h>

#include "server/erase.h"
#include "server/status.h"

/* {"id","name"} of the company contact_id is linked to, or JSON null. */
static cJSON *kept_company(sqlite3 *db, int64_t contact_id)
{
    sqlite3_stmt *st = NULL;
    cJSON *c = NULL;

    if (sqlite3_prepare_v2(db,
                           "SELECT co.id, co.name FROM contacts c JOIN companies co"
                           " ON co.id = c.sales_account_id WHERE c.id = ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, contact_id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            c = cJSON_CreateObject();
            json_add_int64(c, "id", sqlite3_column_int64(st, 0));
            json_add_str(c, "name", (const char *)sqlite3_column_text(st, 1));
        }
    }
    sqlite3_finalize(st);
    return c ? c : cJSON_CreateNull();
}

void handlers_privacy_forget_preview(const struct srv_req *rq, struct srv_resp *rs)
{
    struct erase_counts n;
    cJSON *root, *preview, *erase, *keep;

    if (!rq->user.may_forget) {
        json_error(rs, SRV_FORBIDDEN,
                   "You are not permitted to forget records: an admin can grant the permission.");
        return;
    }
    memset(&n, 0, sizeof n);
    switch (erase_contact_preview(rq->db, rq->ids[0], &n)) {
    case ERASE_OK:
        break;
    case ERASE_NOT_FOUND:
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    default:
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    root = cJSON_CreateObject();
    preview = cJSON_AddObjectToObject(root, "preview");
    erase = cJSON_AddObjectToObject(preview, "erase");
    json_add_int64(erase, "activities", n.activities);
    json_add_int64(erase, "notes", n.notes);
    json_add_int64(erase, "calls", n.calls);
    json_add_int64(erase, "recordings", n.recordings);
    json_add_int64(erase, "chats", n.chats);
    json_add_int64(erase, "emails", n.emails);
    json_add_int64(erase, "subscriptions", n.subscriptions);
    keep = cJSON_AddObjectToObject(preview, "keep");
    cJSON_AddItemToObject(keep, "company", kept_company(rq->db, rq->ids[0]));
    json_add_int64(keep, "deals", n.deals_kept);
    json_reply(rs, SRV_OK, root);
}
