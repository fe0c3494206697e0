/* Releasing the plain records of core/model.h, and the capability names. */
#include "core/model.h"

#include <stdlib.h>

static const char *const capability_names[] = {
#define MODEL_CAP_NAME(id, name) [id] = name,
    MODEL_CAPABILITY_LIST(MODEL_CAP_NAME)
#undef MODEL_CAP_NAME
};

const char *model_capability_name(enum model_capability cap)
{
    if ((unsigned)cap >= CAP_COUNT)
        return "unknown";
    return capability_names[cap];
}

static void free_strv(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void model_kv_free_array(struct model_kv *kv, size_t n)
{
    if (kv == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(kv[i].name);
        free(kv[i].value);
    }
    free(kv);
}

void model_contact_row_clear(struct contact_row *row)
{
    if (row == NULL)
        return;
    free(row->name);
    free(row->email);
    free(row->company);
    *row = (struct contact_row){0};
}

void model_note_clear(struct note *n)
{
    if (n == NULL)
        return;
    free(n->description);
    free(n->created_at);
    *n = (struct note){0};
}

void model_contact_free(struct contact **pp)
{
    struct contact *c;

    if (pp == NULL || *pp == NULL)
        return;
    c = *pp;
    free(c->first_name);
    free(c->last_name);
    free(c->display_name);
    free(c->email);
    for (size_t i = 0; c->emails != NULL && i < c->n_emails; i++) {
        free(c->emails[i].value);
        free(c->emails[i].label);
    }
    free(c->emails);
    free(c->mobile_number);
    free(c->work_number);
    free(c->job_title);
    free(c->department);
    free(c->address);
    free(c->city);
    free(c->state);
    free(c->zipcode);
    free(c->country);
    free(c->time_zone);
    free(c->owner_name);
    free(c->company_name);
    free_strv(c->subscription_types, c->n_subscription_types);
    free(c->unsubscription_reason);
    free(c->facebook);
    free(c->twitter);
    free(c->linkedin);
    free(c->avatar);
    model_kv_free_array(c->custom_fields, c->n_custom_fields);
    free_strv(c->tags, c->n_tags);
    free(c->last_seen_ip);
    free(c->created_at);
    free(c->updated_at);
    for (size_t i = 0; c->notes != NULL && i < c->n_notes; i++)
        model_note_clear(&c->notes[i]);
    free(c->notes);
    free(c);
    *pp = NULL;
}

void model_activity_clear(struct activity *a)
{
    if (a == NULL)
        return;
    free(a->id);
    free(a->action_type);
    free(a->created_at);
    free(a->channel);
    free(a->purpose);
    free(a->source);
    free(a->form_name);
    free(a->detail);
    free(a->email);
    model_kv_free_array(a->data, a->n_data);
    *a = (struct activity){0};
}

void model_view_clear(struct view *v)
{
    if (v == NULL)
        return;
    free(v->name);
    *v = (struct view){0};
}

void model_search_hit_clear(struct search_hit *h)
{
    if (h == NULL)
        return;
    free(h->type);
    free(h->name);
    free(h->email);
    *h = (struct search_hit){0};
}

void model_user_clear(struct user *u)
{
    if (u == NULL)
        return;
    free(u->display_name);
    free(u->email);
    free(u->role);
    *u = (struct user){0};
}

void model_company_clear(struct company *c)
{
    if (c == NULL)
        return;
    free(c->name);
    free(c->website);
    free(c->phone);
    free(c->address);
    free(c->city);
    free(c->country);
    free(c->created_at);
    free(c->updated_at);
    *c = (struct company){0};
}
