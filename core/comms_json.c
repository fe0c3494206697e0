/* JSON for email, consent requests, calls, chats, user administration and
 * processors: mappers of the answers and builders of the request bodies. */
#include "core/comms_json.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"

/* The first of keys that obj has as a string (sanitized, owned), or NULL. */
static char *str_any(const cJSON *obj, const char *const *keys, size_t n_keys)
{
    for (size_t i = 0; i < n_keys; i++) {
        char *s = common_json_str(obj, keys[i], 0);
        if (s)
            return s;
    }
    return NULL;
}

static cJSON *new_object(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    return o;
}

static cJSON *add_object(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    if (!o)
        abort();
    return o;
}

static void add_string(cJSON *o, const char *key, const char *value)
{
    if (!cJSON_AddStringToObject(o, key, value ? value : ""))
        abort();
}

static void add_bool(cJSON *o, const char *key, bool value)
{
    if (!cJSON_AddBoolToObject(o, key, value))
        abort();
}

/* ---- clearing ---- */

void comms_json_call_clear(struct call_log *c)
{
    if (!c)
        return;
    free(c->direction);
    free(c->started_at);
    free(c->note);
    free(c->consent_at);
    memset(c, 0, sizeof *c);
}

void comms_json_chat_clear(struct chat *c)
{
    if (!c)
        return;
    free(c->started_at);
    free(c->channel);
    for (size_t i = 0; i < c->n_messages; i++) {
        free(c->messages[i].sender);
        free(c->messages[i].text);
        free(c->messages[i].at);
    }
    free(c->messages);
    memset(c, 0, sizeof *c);
}

void comms_json_processor_clear(struct processor *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->kind);
    free(p->status);
    memset(p, 0, sizeof *p);
}

void comms_json_deletion_clear(struct user_deletion *d)
{
    if (!d)
        return;
    comms_json_processors_free(d->processors, d->n_processors);
    memset(d, 0, sizeof *d);
}

void comms_json_email_result_clear(struct email_result *e)
{
    if (!e)
        return;
    free(e->status);
    free(e->warning);
    memset(e, 0, sizeof *e);
}

void comms_json_calls_free(struct call_log *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        comms_json_call_clear(&v[i]);
    free(v);
}

void comms_json_chats_free(struct chat *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        comms_json_chat_clear(&v[i]);
    free(v);
}

void comms_json_processors_free(struct processor *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        comms_json_processor_clear(&v[i]);
    free(v);
}

/* ---- calls ---- */

static bool map_call(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct call_log *c = slot;
    const cJSON *rec;

    (void)ctx;
    if (!cJSON_IsObject(it) || !common_json_id(common_json_member(it, "id"), &c->id)) {
        snprintf(err, errlen, "a call in the answer has no valid id");
        return false;
    }
    c->direction = common_json_str(it, "direction", 0);
    c->started_at = common_json_str(it, "started_at", 0);
    c->duration_s = common_json_long(it, "duration_s", -1);
    c->note = common_json_text(it, "note");
    c->recording_bytes = -1;
    rec = common_json_member(it, "recording");
    if (cJSON_IsObject(rec)) {
        const cJSON *consent = common_json_member(rec, "consent");
        c->has_recording = true;
        c->recording_id = common_json_get_id(rec, "id");
        c->recording_bytes = common_json_long(rec, "bytes", -1);
        if (cJSON_IsObject(consent)) {
            c->consent_by_user_id = common_json_get_id(consent, "by_user_id");
            c->consent_at = common_json_str(consent, "at", 0);
        }
    }
    return true;
}

static void clear_call(void *slot)
{
    comms_json_call_clear(slot);
}

enum crm_status comms_json_calls(const char *body, size_t len, struct call_log **out, size_t *n,
                                 char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st =
        common_json_map_member(body, len, "calls", COMMON_JSON_WANT_ARRAY_OR_ROOT, sizeof **out,
                               map_call, clear_call, &arr, n, NULL, NULL, err, errlen);

    *out = arr;
    return st;
}

/* ---- chats ---- */

static void map_message(const cJSON *it, struct chat_message *m)
{
    static const char *const sender_keys[] = {"sender", "from", "author", "sender_type"};
    static const char *const text_keys[] = {"body", "text", "message", "content"};
    static const char *const at_keys[] = {"created_at", "at", "sent_at"};

    m->sender = str_any(it, sender_keys, sizeof sender_keys / sizeof sender_keys[0]);
    for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0] && !m->text; i++)
        m->text = common_json_text(it, text_keys[i]);
    m->at = str_any(it, at_keys, sizeof at_keys / sizeof at_keys[0]);
}

static bool map_chat(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    static const char *const start_keys[] = {"started_at", "created_at"};
    struct chat *c = slot;
    const cJSON *msgs, *m;

    (void)ctx;
    if (!cJSON_IsObject(it) || !common_json_id(common_json_member(it, "id"), &c->id)) {
        snprintf(err, errlen, "a chat in the answer has no valid id");
        return false;
    }
    c->started_at = str_any(it, start_keys, 2);
    c->channel = common_json_str(it, "channel", 0);
    msgs = common_json_member(it, "messages");
    if (cJSON_IsArray(msgs) && cJSON_GetArraySize(msgs) > 0) {
        c->messages = common_json_calloc((size_t)cJSON_GetArraySize(msgs), sizeof *c->messages);
        cJSON_ArrayForEach(m, msgs)
        {
            if (!cJSON_IsObject(m))
                continue;
            map_message(m, &c->messages[c->n_messages++]);
        }
    }
    return true;
}

static void clear_chat(void *slot)
{
    comms_json_chat_clear(slot);
}

enum crm_status comms_json_chats(const char *body, size_t len, struct chat **out, size_t *n,
                                 char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st =
        common_json_map_member(body, len, "chats", COMMON_JSON_WANT_ARRAY_OR_ROOT, sizeof **out,
                               map_chat, clear_chat, &arr, n, NULL, NULL, err, errlen);

    *out = arr;
    return st;
}

/* ---- processors ---- */

static void map_processor(const cJSON *it, struct processor *p)
{
    static const char *const kind_keys[] = {"kind", "type", "category"};
    static const char *const status_keys[] = {"status", "notice_status", "last_notice_status"};
    const cJSON *notice = common_json_member(it, "notice");

    p->id = common_json_get_id(it, "id");
    p->name = common_json_str(it, "name", 0);
    p->kind = str_any(it, kind_keys, sizeof kind_keys / sizeof kind_keys[0]);
    p->status = str_any(it, status_keys, sizeof status_keys / sizeof status_keys[0]);
    if (!p->status && cJSON_IsObject(notice))
        p->status = common_json_str(notice, "status", 0);
}

static enum crm_status map_processors(const cJSON *list, struct processor **out, size_t *n)
{
    const cJSON *it;
    struct processor *v = NULL;
    size_t count = 0;

    if (cJSON_GetArraySize(list) > 0)
        v = common_json_calloc((size_t)cJSON_GetArraySize(list), sizeof *v);
    cJSON_ArrayForEach(it, list)
    {
        if (cJSON_IsObject(it))
            map_processor(it, &v[count++]);
    }
    *out = v;
    *n = count;
    return CRM_OK;
}

enum crm_status comms_json_processors(const char *body, size_t len, struct processor **out,
                                      size_t *n, char *err, size_t errlen)
{
    const cJSON *list;
    cJSON *root = common_json_parse_member(body, len, "processors", COMMON_JSON_WANT_ARRAY_OR_ROOT,
                                           &list, err, errlen);
    enum crm_status st;

    *out = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    st = map_processors(list, out, n);
    cJSON_Delete(root);
    return st;
}

enum crm_status comms_json_deletion(const char *body, size_t len, struct user_deletion *out,
                                    char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    const cJSON *d, *procs;
    enum crm_status st = CRM_OK;

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    d = common_json_member(root, "deletion");
    if (!cJSON_IsObject(d)) {
        snprintf(err, errlen, "the answer has no \"deletion\" object");
        st = CRM_ERR_PROTOCOL;
        goto out;
    }
    out->user_id = common_json_get_id(d, "user_id");
    out->records_transferred = common_json_long(d, "records_transferred", -1);
    procs = common_json_member(d, "processors");
    if (cJSON_IsArray(procs))
        st = map_processors(procs, &out->processors, &out->n_processors);
out:
    cJSON_Delete(root);
    return st;
}

enum crm_status comms_json_email_result(const char *body, size_t len, struct email_result *out,
                                        char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    const cJSON *e;
    enum crm_status st = CRM_OK;

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    e = common_json_member(root, "email");
    if (!cJSON_IsObject(e)) {
        snprintf(err, errlen, "the answer has no \"email\" object");
        st = CRM_ERR_PROTOCOL;
        goto out;
    }
    out->id = common_json_get_id(e, "id");
    out->status = common_json_str(e, "status", 0);
    /* the warning may sit next to the email or inside it */
    out->warning = common_json_str(root, "warning", 0);
    if (!out->warning)
        out->warning = common_json_str(e, "warning", 0);
out:
    cJSON_Delete(root);
    return st;
}

enum crm_status comms_json_default_unsubscribe_link(const char *body, size_t len, bool *out,
                                                    char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    const cJSON *s, *v;
    enum crm_status st = CRM_OK;

    if (!root)
        return CRM_ERR_PROTOCOL;
    s = common_json_member(root, "settings");
    v = cJSON_IsObject(s) ? common_json_member(s, "default_unsubscribe_link") : NULL;
    if (!cJSON_IsBool(v)) {
        snprintf(err, errlen, "the answer has no settings.default_unsubscribe_link");
        st = CRM_ERR_PROTOCOL;
        goto out;
    }
    *out = cJSON_IsTrue(v);
out:
    cJSON_Delete(root);
    return st;
}

/* ---- request bodies ---- */

char *comms_json_email_body(const char *subject, const char *body, bool include_unsubscribe_link,
                            size_t *len)
{
    cJSON *root = new_object();
    cJSON *e = add_object(root, "email");

    add_string(e, "subject", subject);
    add_string(e, "body", body);
    add_bool(e, "include_unsubscribe_link", include_unsubscribe_link);
    return common_json_print_body(root, len);
}

char *comms_json_consent_body(const char *purpose, size_t *len)
{
    cJSON *root = new_object();

    add_string(root, "purpose", purpose);
    return common_json_print_body(root, len);
}

char *comms_json_permissions_body(bool export_reports, bool forget_records, size_t *len)
{
    cJSON *root = new_object();
    cJSON *p = add_object(root, "permissions");

    add_bool(p, "export_reports", export_reports);
    add_bool(p, "forget_records", forget_records);
    return common_json_print_body(root, len);
}

char *comms_json_user_active_body(bool active, size_t *len)
{
    cJSON *root = new_object();
    cJSON *u = add_object(root, "user");

    add_bool(u, "is_active", active);
    return common_json_print_body(root, len);
}

char *comms_json_chat_timeline_body(bool on, size_t *len)
{
    cJSON *root = new_object();
    cJSON *c = add_object(root, "contact");

    add_bool(c, "chat_events_timeline", on);
    return common_json_print_body(root, len);
}
