/* Fuzz target: single records read by the JSON mappers (GET /contacts/{id},
 * /sales_accounts/{id}, /users/me, a POST /notes answer), and the PUT and
 * POST bodies built back from what was read, which must say the same. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact_json.h"
#include "core/misc_json.h"
#include "tests/fuzz/fuzz_model.h"

/* 2^53: ids up to it survive a double. */
#define FUZZ_EXACT_ID 9007199254740992LL

/* The patch field key of body.contact is value, or null when value is "". */
static void fuzz_patch_field(const cJSON *c, const char *key, const char *value)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(c, key);

    if (value == NULL) {
        FUZZ_ASSERT(it == NULL);
    } else if (value[0] == '\0') {
        FUZZ_ASSERT(cJSON_IsNull(it));
    } else {
        FUZZ_ASSERT(cJSON_IsString(it) && strcmp(it->valuestring, value) == 0);
    }
}

static void fuzz_patch_id(const cJSON *c, const char *key, int64_t id)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(c, key);
    int64_t back = -1;

    if (id == 0) {
        FUZZ_ASSERT(cJSON_IsNull(it));
    } else if (id <= FUZZ_EXACT_ID) {
        FUZZ_ASSERT(common_json_id(it, &back) && back == id);
    }
}

/* A PUT body from the contact's own fields parses and carries each of them. */
static void fuzz_patch_roundtrip(const struct contact *ct)
{
    struct contact_patch p = {
        .first_name = ct->first_name,
        .last_name = ct->last_name,
        .email = ct->email,
        .mobile_number = ct->mobile_number,
        .work_number = ct->work_number,
        .job_title = ct->job_title,
        .department = ct->department,
        .address = ct->address,
        .city = ct->city,
        .state = ct->state,
        .zipcode = ct->zipcode,
        .country = ct->country,
        .owner_id = ct->owner_id,
        .sales_account_id = ct->sales_account_id,
        .clear_enrichment = ct->do_not_disturb,
    };
    char err[256] = "";
    size_t len = 0;
    char *body = contact_json_patch(&p, &len);
    cJSON *root, *c;

    FUZZ_ASSERT(body != NULL && strlen(body) == len);
    root = common_json_parse(body, len, err, sizeof err);
    FUZZ_ASSERT(root != NULL);
    c = cJSON_GetObjectItemCaseSensitive(root, "contact");
    FUZZ_ASSERT(cJSON_IsObject(c));
    fuzz_patch_field(c, "first_name", p.first_name);
    fuzz_patch_field(c, "last_name", p.last_name);
    fuzz_patch_field(c, "email", p.email);
    fuzz_patch_field(c, "mobile_number", p.mobile_number);
    fuzz_patch_field(c, "work_number", p.work_number);
    fuzz_patch_field(c, "job_title", p.job_title);
    fuzz_patch_field(c, "department", p.department);
    fuzz_patch_field(c, "address", p.address);
    fuzz_patch_field(c, "city", p.city);
    fuzz_patch_field(c, "state", p.state);
    fuzz_patch_field(c, "zipcode", p.zipcode);
    fuzz_patch_field(c, "country", p.country);
    fuzz_patch_id(c, "owner_id", p.owner_id);
    fuzz_patch_id(c, "sales_account_id", p.sales_account_id);
    if (p.clear_enrichment)
        FUZZ_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "avatar")));
    cJSON_Delete(root);
    free(body);
}

/* A POST /notes body carries the text and the contact id unchanged. */
static void fuzz_note_roundtrip(int64_t contact_id, const char *text)
{
    char err[256] = "";
    size_t len = 0;
    char *body = misc_json_note_body(contact_id, text, &len);
    cJSON *root, *note, *d;
    int64_t back = -1;

    FUZZ_ASSERT(body != NULL && strlen(body) == len);
    root = common_json_parse(body, len, err, sizeof err);
    FUZZ_ASSERT(root != NULL);
    note = cJSON_GetObjectItemCaseSensitive(root, "note");
    FUZZ_ASSERT(cJSON_IsObject(note));
    d = cJSON_GetObjectItemCaseSensitive(note, "description");
    FUZZ_ASSERT(cJSON_IsString(d) && strcmp(d->valuestring, text ? text : "") == 0);
    if (contact_id <= FUZZ_EXACT_ID)
        FUZZ_ASSERT(
            common_json_id(cJSON_GetObjectItemCaseSensitive(note, "targetable_id"), &back) &&
            back == contact_id);
    cJSON_Delete(root);
    free(body);
}

/* A failed call returns nothing and says why. */
static void fuzz_failed(enum crm_status st, const void *out, const char *err, size_t errlen)
{
    FUZZ_ASSERT(st == CRM_ERR_PROTOCOL);
    FUZZ_ASSERT(out == NULL);
    fuzz_check_err(err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    struct contact *ct = NULL;
    struct company *co = NULL;
    struct note *nt = NULL;
    struct user *u = NULL;
    char err[256] = "";
    enum crm_status st;

    st = contact_json_contact(body, size, &ct, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(ct != NULL);
        fuzz_model_contact(ct);
        fuzz_patch_roundtrip(ct);
        fuzz_note_roundtrip(ct->id, ct->n_notes ? ct->notes[0].description : ct->display_name);
        model_contact_free(&ct);
        FUZZ_ASSERT(ct == NULL);
    } else {
        fuzz_failed(st, ct, err, sizeof err);
    }

    err[0] = '\0';
    st = misc_json_company(body, size, &co, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(co != NULL);
        fuzz_model_company(co);
        model_company_clear(co);
        free(co);
    } else {
        fuzz_failed(st, co, err, sizeof err);
    }

    err[0] = '\0';
    st = misc_json_note(body, size, &nt, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(nt != NULL);
        fuzz_model_note(nt);
        fuzz_note_roundtrip(nt->user_id, nt->description);
        model_note_clear(nt);
        free(nt);
    } else {
        fuzz_failed(st, nt, err, sizeof err);
    }

    err[0] = '\0';
    st = misc_json_user(body, size, &u, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(u != NULL);
        fuzz_model_user(u);
        model_user_clear(u);
        free(u);
    } else {
        fuzz_failed(st, u, err, sizeof err);
    }
    return 0;
}
