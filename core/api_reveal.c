/* POST /audit/reveal through the request machinery of core/api.c. */
#include "core/api_reveal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/api_internal.h"

struct crm_req *api_audit_reveal(struct crm_client *c, int64_t contact_id, const char *field,
                                 crm_done_fn cb, void *ud)
{
    static const char *const fields[] = {"name", "email", "phone", "address", "all"};
    const char *name = NULL;
    char body[128];
    for (size_t i = 0; field && i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(field, fields[i]) == 0)
            name = fields[i];
    if (!c || !name || contact_id <= 0)
        return NULL;
    int n = snprintf(body, sizeof body, "{\"contact_id\":%" PRId64 ",\"field\":\"%s\"}", contact_id,
                     name);
    if (n < 0 || (size_t)n >= sizeof body)
        return NULL;
    return api_internal_call_raw(c, HTTP_POST, "/audit/reveal", body, (size_t)n, cb, ud);
}
