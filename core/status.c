/* Status code sentences and the mapping from HTTP codes. */
#include "core/status.h"

static const char *const status_messages[] = {
#define CRM_STATUS_MSG(id, msg) [id] = msg,
    CRM_STATUS_LIST(CRM_STATUS_MSG)
#undef CRM_STATUS_MSG
};

const char *crm_strerror(enum crm_status st)
{
    if ((unsigned)st >= CRM_STATUS_COUNT)
        return "unknown error";
    return status_messages[st];
}

enum crm_status crm_status_from_http(long code)
{
    if (code >= 200 && code < 300)
        return CRM_OK;
    switch (code) {
    case 400:
    case 413:
        return CRM_ERR_BAD_REQUEST;
    case 401:
        return CRM_ERR_AUTH;
    case 403:
        return CRM_ERR_FORBIDDEN;
    case 404:
        return CRM_ERR_NOT_FOUND;
    case 408:
        return CRM_ERR_TIMEOUT;
    case 409:
        return CRM_ERR_CONFLICT;
    case 422:
        return CRM_ERR_REFUSED;
    case 429:
        return CRM_ERR_RATE_LIMIT;
    default:
        return code >= 500 ? CRM_ERR_SERVER : CRM_ERR_PROTOCOL;
    }
}
