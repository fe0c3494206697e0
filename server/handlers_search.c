/* Search and lookup over contacts. Search answers Freshsales' bare array of
 * hits (ids as strings, as Freshsales sends them); lookup the nested
 * {"contacts":{"contacts":[...]}} of full contacts. */
#include "server/handlers_search.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "server/handlers_contacts.h"
#include "server/search.h"
#include "server/status.h"

void handlers_search_search(const struct srv_req *rq, struct srv_resp *rs)
{
    const char *q = router_arg(rq, "q"), *include = router_arg(rq, "include");
    int64_t ids[SEARCH_HITS_MAX];
    sqlite3_stmt *st = NULL;
    cJSON *list = NULL;
    int n = 0, i;

    if (q && json_utf8_chars(q) > SEARCH_Q_MAX) {
        json_errorf(rs, SRV_BAD_REQUEST, "q is longer than %d characters.", SEARCH_Q_MAX);
        return;
    }
    /* Only contacts are searched; a search for other entities finds none. */
    if (q && (!include || router_includes(rq, "contact"))) {
        n = search_contacts(rq->db, q, ids, SEARCH_HITS_MAX);
        if (n < 0)
            goto fail;
    }
    list = cJSON_CreateArray();
    if (n > 0 && sqlite3_prepare_v2(rq->db,
                                    "SELECT first_name, last_name, email FROM contacts"
                                    " WHERE id = ?1",
                                    -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < n; i++) {
        const char *first, *last, *email;
        char name[1024], id[24];
        cJSON *hit;

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[i]);
        if (sqlite3_step(st) != SQLITE_ROW)
            continue;
        first = (const char *)sqlite3_column_text(st, 0);
        last = (const char *)sqlite3_column_text(st, 1);
        email = (const char *)sqlite3_column_text(st, 2);
        snprintf(name, sizeof name, "%s%s%s", first ? first : "", first && last ? " " : "",
                 last ? last : "");
        snprintf(id, sizeof id, "%" PRId64, ids[i]);
        hit = cJSON_CreateObject();
        cJSON_AddStringToObject(hit, "id", id);
        cJSON_AddStringToObject(hit, "type", "contact");
        cJSON_AddStringToObject(hit, "name", name[0] ? name : (email ? email : ""));
        json_add_str(hit, "email", email);
        cJSON_AddItemToArray(list, hit);
    }
    sqlite3_finalize(st);
    json_reply(rs, SRV_OK, list);
    return;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(list);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_search_lookup(const struct srv_req *rq, struct srv_resp *rs)
{
    const char *q = router_arg(rq, "q"), *f = router_arg(rq, "f");
    const char *entities = router_arg(rq, "entities");
    struct contacts_render *r = NULL;
    sqlite3_stmt *st = NULL;
    cJSON *root = NULL, *list;
    int rc, n = 0;

    if (!q || !*q) {
        json_error(rs, SRV_BAD_REQUEST, "q is required.");
        return;
    }
    if (json_utf8_chars(q) > SEARCH_Q_MAX) {
        json_errorf(rs, SRV_BAD_REQUEST, "q is longer than %d characters.", SEARCH_Q_MAX);
        return;
    }
    if (!f || strcmp(f, "email") != 0) {
        json_error(rs, SRV_BAD_REQUEST, "f must be email: lookups match email addresses.");
        return;
    }
    if (entities && strcmp(entities, "contact") != 0) {
        json_error(rs, SRV_BAD_REQUEST, "entities must be contact.");
        return;
    }
    if (!(r = handlers_contacts_render_new(rq->db)) ||
        sqlite3_prepare_v2(rq->db,
                           "SELECT DISTINCT e.contact_id FROM contact_emails e"
                           " JOIN contacts c ON c.id = e.contact_id"
                           " WHERE e.value = ?1 COLLATE NOCASE AND c.is_deleted = 0"
                           " ORDER BY e.contact_id LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, LOOKUP_HITS_MAX);
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(cJSON_AddObjectToObject(root, "contacts"), "contacts");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < LOOKUP_HITS_MAX) {
        cJSON *c = handlers_contacts_render(r, sqlite3_column_int64(st, 0), NULL, NULL);
        if (!c)
            goto fail;
        cJSON_AddItemToArray(list, c);
        n++;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        goto fail;
    sqlite3_finalize(st);
    handlers_contacts_render_free(&r);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    handlers_contacts_render_free(&r);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}
