/* Mapping of the privacy requests queue: parsing the server's requests,
 * building the bodies that create and change them, and their dates. */
#include "core/requests_json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common_json.h"

#define REQUESTS_JSON_MAX_ITEMS 10000
#define DAY_S                   86400LL

static void fill(const cJSON *it, struct privacy_request *r)
{
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(it, "receipt");

    memset(r, 0, sizeof *r);
    r->id = common_json_get_id(it, "id");
    r->type = common_json_str(it, "type", 32);
    r->subject_email = common_json_str(it, "subject_email", 320);
    r->subject_ref = common_json_str(it, "subject_ref", 128);
    r->received_at = common_json_str(it, "received_at", 40);
    r->due_at = common_json_str(it, "due_at", 40);
    r->extended_to = common_json_str(it, "extended_to", 40);
    r->extension_reason = common_json_str(it, "extension_reason", 2048);
    r->subject_told_at = common_json_str(it, "subject_told_at", 40);
    r->status = common_json_str(it, "status", 32);
    r->outcome = common_json_str(it, "outcome", 2048);
    r->contact_id = common_json_get_id(it, "contact_id");
    if (cJSON_IsObject(rc)) {
        r->receipt_id = common_json_get_id(rc, "audit_id");
        r->receipt_at = common_json_str(rc, "at", 40);
    }
}

void requests_json_clear(struct privacy_request *r)
{
    if (!r)
        return;
    free(r->type);
    free(r->subject_email);
    free(r->subject_ref);
    free(r->received_at);
    free(r->due_at);
    free(r->extended_to);
    free(r->extension_reason);
    free(r->subject_told_at);
    free(r->status);
    free(r->outcome);
    free(r->receipt_at);
    memset(r, 0, sizeof *r);
}

enum crm_status requests_json_list(const char *body, size_t len, struct privacy_request **out,
                                   size_t *n, char *err, size_t errlen)
{
    const cJSON *list, *it;
    cJSON *root = common_json_parse_member(body, len, "privacy_requests", COMMON_JSON_WANT_ARRAY,
                                           &list, err, errlen);
    size_t count, i = 0;

    *out = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    count = (size_t)cJSON_GetArraySize(list);
    if (count > REQUESTS_JSON_MAX_ITEMS)
        count = REQUESTS_JSON_MAX_ITEMS;
    *out = common_json_calloc(count ? count : 1, sizeof **out);
    cJSON_ArrayForEach(it, list)
    {
        if (i == count)
            break;
        if (!cJSON_IsObject(it) || common_json_get_id(it, "id") == 0)
            continue;
        fill(it, &(*out)[i++]);
    }
    *n = i;
    cJSON_Delete(root);
    return CRM_OK;
}

enum crm_status requests_json_one(const char *body, size_t len, struct privacy_request *out,
                                  char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    const cJSON *it;

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    it = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "privacy_request") : NULL;
    if (!cJSON_IsObject(it) || common_json_get_id(it, "id") == 0) {
        snprintf(err, errlen, "the answer has no \"privacy_request\" object");
        cJSON_Delete(root);
        return CRM_ERR_PROTOCOL;
    }
    fill(it, out);
    cJSON_Delete(root);
    return CRM_OK;
}

char *requests_json_create_body(const char *type, const char *email, const char *received_at,
                                size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(root, "privacy_request");

    cJSON_AddStringToObject(o, "type", type ? type : "");
    cJSON_AddStringToObject(o, "subject_email", email ? email : "");
    if (received_at)
        cJSON_AddStringToObject(o, "received_at", received_at);
    return common_json_print_body(root, len);
}

char *requests_json_change_body(const struct privacy_request_change *ch, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(root, "privacy_request");

    if (ch->status)
        cJSON_AddStringToObject(o, "status", ch->status);
    if (ch->contact_id > 0)
        cJSON_AddNumberToObject(o, "contact_id", (double)ch->contact_id);
    if (ch->extended_to)
        cJSON_AddStringToObject(o, "extended_to", ch->extended_to);
    if (ch->extension_reason)
        cJSON_AddStringToObject(o, "extension_reason", ch->extension_reason);
    if (ch->subject_told_at)
        cJSON_AddStringToObject(o, "subject_told_at", ch->subject_told_at);
    if (ch->outcome)
        cJSON_AddStringToObject(o, "outcome", ch->outcome);
    return common_json_print_body(root, len);
}

static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int requests_json_time(const char *s, int64_t *out)
{
    struct tm tm;
    int y, mo, d, h = 0, mi = 0, se = 0;

    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    y = digits(s, 4);
    mo = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    if (s[10] == 'T') {
        if (strlen(s) < 19 || s[13] != ':' || s[16] != ':')
            return -1;
        h = digits(s + 11, 2);
        mi = digits(s + 14, 2);
        se = digits(s + 17, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
            return -1;
    } else if (s[10] != '\0') {
        return -1;
    }
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = (int64_t)timegm(&tm);
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t requests_json_days_left(int64_t due, int64_t now)
{
    return floor_div(due, DAY_S) - floor_div(now, DAY_S);
}

bool requests_json_closed(const char *status)
{
    return status && (strcmp(status, "done") == 0 || strcmp(status, "rejected") == 0);
}
