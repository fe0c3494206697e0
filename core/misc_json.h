/* The smaller records between JSON and the model: views, search hits, users,
 * capabilities, companies, notes, and DELETE answers. Field rules:
 * core/common_json.h. A missing main key, a list or element of the wrong type,
 * or a record without a valid id fails the whole answer (CRM_ERR_PROTOCOL, a
 * sentence in err) and nothing is returned. Arrays returned are owned by the
 * caller: clear each element with its model_*_clear, then free the array. */
#ifndef CRM_MISC_JSON_H
#define CRM_MISC_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/status.h"

/* GET /contacts/filters, /sales_accounts/filters: {"filters":[{id,name,is_default}]}. */
enum crm_status misc_json_views(const char *body, size_t len, struct view **out, size_t *n,
                                char *err, size_t errlen);

/* GET /search: a bare array of {id (string or number), type, name, email}. */
enum crm_status misc_json_search(const char *body, size_t len, struct search_hit **out, size_t *n,
                                 char *err, size_t errlen);

/* GET /selector/owners, /users: {"users":[...]}. role is NULL when not sent;
 * permissions default to false, is_active to true. */
enum crm_status misc_json_users(const char *body, size_t len, struct user **out, size_t *n,
                                char *err, size_t errlen);

/* GET /users/me: {"user":{...}}, or the user object itself. *out is owned by
 * the caller (model_user_clear, then free). */
enum crm_status misc_json_user(const char *body, size_t len, struct user **out, char *err,
                               size_t errlen);

/* GET /capabilities: {"capabilities":[names]} into bits (1u << enum
 * model_capability); unknown names are ignored. */
enum crm_status misc_json_capabilities(const char *body, size_t len, unsigned *caps, char *err,
                                       size_t errlen);

/* GET /sales_accounts/view/{id}: {"sales_accounts":[...],"meta":{...}}. */
enum crm_status misc_json_companies(const char *body, size_t len, struct company **out, size_t *n,
                                    long *total, long *total_pages, char *err, size_t errlen);

/* GET /sales_accounts/{id}: {"sales_account":{...}}. *out owned by the caller
 * (model_company_clear, then free). */
enum crm_status misc_json_company(const char *body, size_t len, struct company **out, char *err,
                                  size_t errlen);

/* POST /notes answer: {"note":{...}}. *out owned by the caller
 * (model_note_clear, then free). */
enum crm_status misc_json_note(const char *body, size_t len, struct note **out, char *err,
                               size_t errlen);

/* The POST /notes body for a note on a contact. malloc'd; aborts on OOM. */
char *misc_json_note_body(int64_t contact_id, const char *text, size_t *len);

/* A DELETE answer: empty, true, or an object are success; false is
 * CRM_ERR_SERVER; anything that is not JSON is CRM_ERR_PROTOCOL. */
enum crm_status misc_json_delete(const char *body, size_t len, char *err, size_t errlen);

#endif
