/* POST /audit/reveal: one audit entry per field a masked client revealed,
 * naming the contact by its subject reference and the field, not the value. */
#include "server/handlers_reveal.h"

#include <stdio.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/erase.h"
#include "server/json.h"
#include "server/status.h"

/* "all": a form that shows every field at once (the Edit quick action). */
static const char *const fields[] = {"name", "email", "phone", "address", "all"};

void handlers_reveal_create(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rq->body, "contact_id");
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(rq->body, "field");
    const char *name = NULL;
    char ref[65], counts[64];

    if (cJSON_IsString(field))
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (strcmp(field->valuestring, fields[i]) == 0)
                name = fields[i];
    if (!cJSON_IsNumber(id) || id->valuedouble < 1 || id->valuedouble > 9e15 ||
        id->valuedouble != (double)(int64_t)id->valuedouble || !name) {
        json_error(rs, SRV_BAD_REQUEST,
                   "The body must be {\"contact_id\":ID,\"field\":\"name\", \"email\", "
                   "\"phone\", \"address\" or \"all\"}.");
        return;
    }
    int64_t cid = (int64_t)id->valuedouble;
    if (db_begin(rq->db) < 0)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "SELECT 1 FROM contacts WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        goto fail_tx;
    sqlite3_bind_int64(st, 1, cid);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (r == SQLITE_DONE) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    }
    if (r != SQLITE_ROW || erase_subject_ref(rq->db, "contact", cid, ref) != 0)
        goto fail_tx;
    snprintf(counts, sizeof counts, "{\"field\":\"%s\"}", name);
    int64_t audit_id = 0;
    if (audit_write(rq->db, 0, rq->user.id, "contact.reveal", ref, counts, &audit_id) < 0)
        goto fail_tx;
    if (db_commit(rq->db) < 0)
        goto fail_tx;
    cJSON *root = cJSON_CreateObject(), *a = cJSON_CreateObject();
    json_add_int64(a, "id", audit_id);
    cJSON_AddStringToObject(a, "action", "contact.reveal");
    cJSON_AddStringToObject(a, "field", name);
    cJSON_AddItemToObject(root, "audit", a);
    json_reply(rs, SRV_CREATED, root);
    return;
fail_tx:
    sqlite3_finalize(st);
    db_rollback(rq->db);
fail:
    json_error(rs, SRV_INTERNAL, NULL);
}
