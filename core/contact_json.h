/* Contacts between JSON and the model: list pages, lookups, one contact with
 * its side-loads, and the body of an update. Field rules: core/common_json.h.
 * A record without a valid id, or a main key of the wrong type, fails the
 * whole answer (CRM_ERR_PROTOCOL, a sentence in err); nothing is returned
 * then. */
#ifndef CRM_CONTACT_JSON_H
#define CRM_CONTACT_JSON_H

#include <stddef.h>

#include "core/model.h"
#include "core/status.h"

/* GET /contacts/view/{id}: {"contacts":[...],"meta":{...}} with side-loaded
 * "users" and "sales_accounts". Rows (owned by the caller, free each with
 * model_contact_row_clear, then the array) into *rows, *n; meta into
 * *total, *total_pages (-1 when not sent). A row's name is display_name, else
 * first and last name, else the email, else "(no name)"; its email is
 * "email", else the primary of "emails"; its company the name of its
 * side-loaded sales account. */
enum crm_status contact_json_page(const char *body, size_t len, struct contact_row **rows,
                                  size_t *n, long *total, long *total_pages, char *err,
                                  size_t errlen);

/* GET /lookup: {"contacts":{"contacts":[...]}} (also a flat "contacts"
 * array), as contact_json_page without meta. */
enum crm_status contact_json_lookup(const char *body, size_t len, struct contact_row **rows,
                                    size_t *n, char *err, size_t errlen);

/* GET /contacts/{id}, PUT, restore: {"contact":{...}} plus side-loaded
 * "users" (owner_name), "sales_accounts" (company_name) and "notes". *out is
 * owned by the caller (model_contact_free). */
enum crm_status contact_json_contact(const char *body, size_t len, struct contact **out, char *err,
                                     size_t errlen);

/* The PUT body {"contact":{...}} with only the fields the patch changes (an
 * empty string and id 0 become null). Returns a malloc'd NUL-terminated
 * string and its length in *len; aborts on OOM. */
char *contact_json_patch(const struct contact_patch *patch, size_t *len);

#endif
