/* Contacts: one contact as JSON (shared by every resource that returns
 * contacts), and the routes that read, create, change, delete, forget and
 * restore them. */
#ifndef CRM_SERVER_HANDLERS_CONTACTS_H
#define CRM_SERVER_HANDLERS_CONTACTS_H

#include <cjson/cJSON.h>

#include "server/router.h"

#define CONTACT_ID_BASE  5000000000LL /* new contact ids start above this */
#define CONTACT_BULK_MAX 1000         /* ids one bulk_destroy may name */

/* Renders contacts with prepared statements reused across a page. */
struct contacts_render; /* opaque: server/handlers_contacts.c */

/* A renderer on db; NULL on a database error. Owned: free it with
 * handlers_contacts_render_free before the connection closes. */
struct contacts_render *handlers_contacts_render_new(sqlite3 *db);
void handlers_contacts_render_free(struct contacts_render **pp);

/* Contact id (live or in the Recycle Bin) with every field of API.md section
 * 2, or NULL when absent or on error. owner_id and company_id (each may be
 * NULL) receive its links, 0 for none. The caller owns the result. */
cJSON *handlers_contacts_render(struct contacts_render *r, int64_t id, int64_t *owner_id,
                                int64_t *company_id);

void handlers_contacts_show(const struct srv_req *rq, struct srv_resp *rs);
void handlers_contacts_create(const struct srv_req *rq, struct srv_resp *rs);
void handlers_contacts_update(const struct srv_req *rq, struct srv_resp *rs);
void handlers_contacts_delete(const struct srv_req *rq, struct srv_resp *rs);
void handlers_contacts_forget(const struct srv_req *rq, struct srv_resp *rs);
void handlers_contacts_restore(const struct srv_req *rq, struct srv_resp *rs);
void handlers_contacts_bulk_destroy(const struct srv_req *rq, struct srv_resp *rs);

#endif
