/* Properties of the records the JSON mappers hand out, checked by the mapper
 * fuzz targets: every string sanitized and within its cap, every id valid. */
#ifndef CRM_FUZZ_MODEL_H
#define CRM_FUZZ_MODEL_H

#include "core/common_json.h"
#include "core/model.h"
#include "core/sanitize.h"
#include "tests/fuzz/fuzz_check.h"

/* A string a mapper put into the model: NULL, or clean, at most cap bytes,
 * and left as it is by the sanitizer (it already passed it once). */
static inline void fuzz_model_str(const char *s, bool multiline, size_t cap)
{
    size_t len;
    char *again;

    if (s == NULL)
        return;
    len = strlen(s);
    FUZZ_ASSERT(len <= cap);
    fuzz_check_clean(s, len, multiline);
    again = multiline ? sanitize_text(s, len, cap) : sanitize_str(s, len, cap);
    FUZZ_ASSERT(strcmp(again, s) == 0);
    free(again);
}

/* A single-line field: the sanitizer's default cap. */
static inline void fuzz_model_line(const char *s)
{
    fuzz_model_str(s, false, SANITIZE_MAX_BYTES);
}

/* A multi-line text (a note, a detail): newlines kept, the text cap. */
static inline void fuzz_model_text(const char *s)
{
    fuzz_model_str(s, true, COMMON_JSON_TEXT_MAX);
}

/* What the mappers promise about meta: a count, or -1 when not sent. */
static inline void fuzz_model_meta(long total, long total_pages)
{
    FUZZ_ASSERT(total >= -1);
    FUZZ_ASSERT(total_pages >= -1);
}

static inline void fuzz_model_kv(const struct model_kv *kv, size_t n)
{
    FUZZ_ASSERT(n == 0 || kv != NULL);
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(kv[i].name != NULL);
        fuzz_model_line(kv[i].name);
        fuzz_model_line(kv[i].value);
    }
}

static inline void fuzz_model_row(const struct contact_row *r)
{
    FUZZ_ASSERT(r->id >= 0);
    FUZZ_ASSERT(r->name != NULL);
    fuzz_model_line(r->name);
    fuzz_model_line(r->email);
    fuzz_model_line(r->company);
    FUZZ_ASSERT(r->subscription_status >= -1 && r->subscription_status <= 2);
}

static inline void fuzz_model_note(const struct note *nt)
{
    FUZZ_ASSERT(nt->id >= 0 && nt->user_id >= 0);
    fuzz_model_text(nt->description);
    fuzz_model_line(nt->created_at);
}

static inline void fuzz_model_contact(const struct contact *c)
{
    const char *const lines[] = {
        c->first_name,
        c->last_name,
        c->display_name,
        c->email,
        c->mobile_number,
        c->work_number,
        c->job_title,
        c->department,
        c->address,
        c->city,
        c->state,
        c->zipcode,
        c->country,
        c->time_zone,
        c->owner_name,
        c->company_name,
        c->unsubscription_reason,
        c->facebook,
        c->twitter,
        c->linkedin,
        c->avatar,
        c->last_seen_ip,
        c->created_at,
        c->updated_at,
    };

    FUZZ_ASSERT(c->id >= 0 && c->owner_id >= 0 && c->sales_account_id >= 0);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        fuzz_model_line(lines[i]);
    FUZZ_ASSERT(c->subscription_status >= -1 && c->subscription_status <= 2);
    FUZZ_ASSERT(c->n_emails == 0 || c->emails != NULL);
    for (size_t i = 0; i < c->n_emails; i++) {
        FUZZ_ASSERT(c->emails[i].id >= 0);
        fuzz_model_line(c->emails[i].value);
        fuzz_model_line(c->emails[i].label);
    }
    FUZZ_ASSERT(c->n_subscription_types == 0 || c->subscription_types != NULL);
    for (size_t i = 0; i < c->n_subscription_types; i++)
        fuzz_model_line(c->subscription_types[i]);
    FUZZ_ASSERT(c->n_tags == 0 || c->tags != NULL);
    for (size_t i = 0; i < c->n_tags; i++)
        fuzz_model_line(c->tags[i]);
    fuzz_model_kv(c->custom_fields, c->n_custom_fields);
    FUZZ_ASSERT(c->n_notes == 0 || c->notes != NULL);
    for (size_t i = 0; i < c->n_notes; i++)
        fuzz_model_note(&c->notes[i]);
}

static inline void fuzz_model_activity(const struct activity *a)
{
    const char *const lines[] = {a->id,      a->action_type, a->created_at, a->channel,
                                 a->purpose, a->source,      a->form_name,  a->email};

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        fuzz_model_line(lines[i]);
    fuzz_model_text(a->detail);
    FUZZ_ASSERT(a->user_id >= 0 && a->targetable_id >= 0 && a->form_id >= 0);
    FUZZ_ASSERT(a->has_user || a->user_id == 0);
    fuzz_model_kv(a->data, a->n_data);
}

static inline void fuzz_model_view(const struct view *v)
{
    FUZZ_ASSERT(v->id >= 0);
    fuzz_model_line(v->name);
}

static inline void fuzz_model_hit(const struct search_hit *h)
{
    FUZZ_ASSERT(h->id >= 0);
    fuzz_model_line(h->type);
    fuzz_model_line(h->name);
    fuzz_model_line(h->email);
}

static inline void fuzz_model_user(const struct user *u)
{
    FUZZ_ASSERT(u->id >= 0);
    fuzz_model_line(u->display_name);
    fuzz_model_line(u->email);
    fuzz_model_line(u->role);
}

static inline void fuzz_model_company(const struct company *c)
{
    const char *const lines[] = {c->name, c->website, c->phone,      c->address,
                                 c->city, c->country, c->created_at, c->updated_at};

    FUZZ_ASSERT(c->id >= 0 && c->owner_id >= 0);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        fuzz_model_line(lines[i]);
}

#endif
