/* The contact timeline between JSON and the model (GET /contacts/{id}/activities).
 * Field rules: core/common_json.h. */
#ifndef CRM_ACTIVITY_JSON_H
#define CRM_ACTIVITY_JSON_H

#include <stddef.h>

#include "core/model.h"
#include "core/status.h"

/* {"activities":[...],"meta":{...}} into *out, *n (owned by the caller: free
 * each with model_activity_clear, then the array) and meta into
 * *total, *total_pages (-1 when not sent). An activity's id is a string or a
 * number (kept as text); user_id null or absent leaves has_user false; the
 * known action_data keys (channel, purpose, source, form_id, form_name,
 * detail, email) are typed, the others kept as name/value text. A list or
 * element of the wrong type fails the whole answer (CRM_ERR_PROTOCOL, a
 * sentence in err). */
enum crm_status activity_json_list(const char *body, size_t len, struct activity **out, size_t *n,
                                   long *total, long *total_pages, char *err, size_t errlen);

#endif
