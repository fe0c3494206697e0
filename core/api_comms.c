/* The API calls for email, consent requests, calls, chats, user
 * administration and processors, over core/api.c's request machinery. */
#include "core/api_comms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/api_internal.h"

/* Sends a body built by a comms_json builder and frees it. */
static struct crm_req *send_body(struct crm_client *c, enum http_method m, const char *path,
                                 char *body, size_t len, crm_done_fn cb, void *ud)
{
    struct crm_req *q = api_internal_call_raw(c, m, path, body, len, cb, ud);
    free(body);
    return q;
}

struct crm_req *api_comms_email_send(struct crm_client *c, int64_t contact_id, const char *subject,
                                     const char *body, bool include_unsubscribe_link,
                                     crm_done_fn cb, void *ud)
{
    char path[64];
    size_t len;

    if (!c || contact_id <= 0 || !subject || !body)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/emails", contact_id);
    char *body_json = comms_json_email_body(subject, body, include_unsubscribe_link, &len);
    return send_body(c, HTTP_POST, path, body_json, len, cb, ud);
}

struct crm_req *api_comms_consent_request(struct crm_client *c, int64_t contact_id,
                                          const char *purpose, crm_done_fn cb, void *ud)
{
    char path[80];
    size_t len;

    if (!c || contact_id <= 0 || !purpose || !purpose[0])
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/consent_requests", contact_id);
    char *body_json = comms_json_consent_body(purpose, &len);
    return send_body(c, HTTP_POST, path, body_json, len, cb, ud);
}

struct crm_req *api_comms_calls(struct crm_client *c, int64_t contact_id, crm_done_fn cb, void *ud)
{
    char path[64];

    if (!c || contact_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/calls", contact_id);
    return api_internal_call_raw(c, HTTP_GET, path, NULL, 0, cb, ud);
}

static struct crm_req *call_part_delete(struct crm_client *c, int64_t call_id, const char *part,
                                        crm_done_fn cb, void *ud)
{
    char path[64];

    if (!c || call_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/calls/%" PRId64 "/%s", call_id, part);
    return api_internal_call_raw(c, HTTP_DELETE, path, NULL, 0, cb, ud);
}

struct crm_req *api_comms_call_note_delete(struct crm_client *c, int64_t call_id, crm_done_fn cb,
                                           void *ud)
{
    return call_part_delete(c, call_id, "note", cb, ud);
}

struct crm_req *api_comms_call_recording_delete(struct crm_client *c, int64_t call_id,
                                                crm_done_fn cb, void *ud)
{
    return call_part_delete(c, call_id, "recording", cb, ud);
}

struct crm_req *api_comms_chats(struct crm_client *c, int64_t contact_id, crm_done_fn cb, void *ud)
{
    char path[64];

    if (!c || contact_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/chats", contact_id);
    return api_internal_call_raw(c, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_comms_chat_timeline(struct crm_client *c, int64_t contact_id, bool on,
                                        crm_done_fn cb, void *ud)
{
    char path[64];
    size_t len;

    if (!c || contact_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64, contact_id);
    char *body_json = comms_json_chat_timeline_body(on, &len);
    return send_body(c, HTTP_PUT, path, body_json, len, cb, ud);
}

struct crm_req *api_comms_user_permissions(struct crm_client *c, int64_t user_id,
                                           bool export_reports, bool forget_records, crm_done_fn cb,
                                           void *ud)
{
    char path[64];
    size_t len;

    if (!c || user_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/users/%" PRId64 "/permissions", user_id);
    char *body_json = comms_json_permissions_body(export_reports, forget_records, &len);
    return send_body(c, HTTP_PUT, path, body_json, len, cb, ud);
}

struct crm_req *api_comms_user_set_active(struct crm_client *c, int64_t user_id, bool active,
                                          crm_done_fn cb, void *ud)
{
    char path[64];
    size_t len;

    if (!c || user_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/users/%" PRId64, user_id);
    char *body_json = comms_json_user_active_body(active, &len);
    return send_body(c, HTTP_PUT, path, body_json, len, cb, ud);
}

struct crm_req *api_comms_user_delete(struct crm_client *c, int64_t user_id, int64_t transfer_to,
                                      crm_done_fn cb, void *ud)
{
    char path[96];

    if (!c || user_id <= 0 || transfer_to < 0 || transfer_to == user_id)
        return NULL;
    if (transfer_to > 0)
        snprintf(path, sizeof path, "/users/%" PRId64 "?transfer_to=%" PRId64, user_id,
                 transfer_to);
    else
        snprintf(path, sizeof path, "/users/%" PRId64, user_id);
    return api_internal_call_raw(c, HTTP_DELETE, path, NULL, 0, cb, ud);
}

struct crm_req *api_comms_processors(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return api_internal_call_raw(c, HTTP_GET, "/processors", NULL, 0, cb, ud);
}

struct crm_req *api_comms_gdpr_settings(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return api_internal_call_raw(c, HTTP_GET, "/settings/gdpr", NULL, 0, cb, ud);
}
