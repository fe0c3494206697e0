/* Unit tests for core/model.c: capability names and the release functions
 * (every allocated field freed; run under ASan to see leaks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void test_capability_names(void **state)
{
    (void)state;
    assert_string_equal(model_capability_name(CAP_GDPR_SETTINGS), "gdpr_settings");
    assert_string_equal(model_capability_name(CAP_CONTACT_EXPORT), "contact_export");
    assert_string_equal(model_capability_name(CAP_PRIVACY_REQUESTS), "privacy_requests");
    assert_string_equal(model_capability_name(CAP_COUNT), "unknown");
    assert_string_equal(model_capability_name((enum model_capability) - 1), "unknown");
    for (int i = 0; i < CAP_COUNT; i++)
        for (int j = i + 1; j < CAP_COUNT; j++)
            assert_string_not_equal(model_capability_name((enum model_capability)i),
                                    model_capability_name((enum model_capability)j));
}

static struct model_kv *kv_array(size_t n)
{
    struct model_kv *kv = calloc(n, sizeof(*kv));
    assert_non_null(kv);
    for (size_t i = 0; i < n; i++) {
        kv[i].name = dup("name");
        kv[i].value = i % 2 ? dup("value") : NULL;
    }
    return kv;
}

static void test_contact_free(void **state)
{
    (void)state;
    struct contact *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    char **fields[] = {&c->first_name,
                       &c->last_name,
                       &c->display_name,
                       &c->email,
                       &c->mobile_number,
                       &c->work_number,
                       &c->job_title,
                       &c->department,
                       &c->address,
                       &c->city,
                       &c->state,
                       &c->zipcode,
                       &c->country,
                       &c->time_zone,
                       &c->owner_name,
                       &c->company_name,
                       &c->unsubscription_reason,
                       &c->facebook,
                       &c->twitter,
                       &c->linkedin,
                       &c->avatar,
                       &c->last_seen_ip,
                       &c->created_at,
                       &c->updated_at};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        *fields[i] = dup("x");
    c->n_emails = 2;
    c->emails = calloc(2, sizeof(*c->emails));
    assert_non_null(c->emails);
    c->emails[0].value = dup("a@example.com");
    c->emails[0].label = dup("work");
    c->emails[1].value = dup("b@example.com");
    c->n_subscription_types = 2;
    c->subscription_types = calloc(2, sizeof(char *));
    assert_non_null(c->subscription_types);
    c->subscription_types[0] = dup("newsletter");
    c->subscription_types[1] = dup("product_updates");
    c->n_tags = 1;
    c->tags = calloc(1, sizeof(char *));
    assert_non_null(c->tags);
    c->tags[0] = dup("vip");
    c->n_custom_fields = 3;
    c->custom_fields = kv_array(3);
    c->n_notes = 2;
    c->notes = calloc(2, sizeof(*c->notes));
    assert_non_null(c->notes);
    c->notes[0].description = dup("note");
    c->notes[0].created_at = dup("2026-01-01T00:00:00Z");

    model_contact_free(&c);
    assert_null(c);
    model_contact_free(&c); /* NULL is fine */
    model_contact_free(NULL);
}

static void test_clear_functions(void **state)
{
    (void)state;
    struct contact_row row = {.id = 5, .name = dup("n"), .email = dup("e"), .company = NULL};
    model_contact_row_clear(&row);
    assert_null(row.name);
    assert_int_equal(row.id, 0);

    struct activity a = {.id = dup("a-1"),
                         .action_type = dup("created"),
                         .created_at = dup("t"),
                         .channel = dup("email"),
                         .purpose = dup("newsletter"),
                         .source = dup("web_form"),
                         .form_name = dup("f"),
                         .detail = dup("d"),
                         .email = dup("e"),
                         .data = kv_array(2),
                         .n_data = 2};
    model_activity_clear(&a);
    assert_null(a.data);
    assert_int_equal(a.n_data, 0);

    struct view v = {.id = 1, .name = dup("All")};
    model_view_clear(&v);
    assert_null(v.name);

    struct search_hit h = {.type = dup("contact"), .name = dup("n"), .email = dup("e")};
    model_search_hit_clear(&h);
    assert_null(h.type);

    struct user u = {.display_name = dup("Ana"), .email = dup("e"), .role = dup("admin")};
    model_user_clear(&u);
    assert_null(u.role);

    struct company co = {.name = dup("Acme"),
                         .website = dup("w"),
                         .phone = dup("p"),
                         .address = dup("a"),
                         .city = dup("c"),
                         .country = dup("c"),
                         .created_at = dup("t"),
                         .updated_at = dup("t")};
    model_company_clear(&co);
    assert_null(co.name);

    struct note n = {.id = 3, .description = dup("d"), .created_at = dup("t")};
    model_note_clear(&n);
    assert_null(n.description);

    model_kv_free_array(kv_array(4), 4);
    model_kv_free_array(NULL, 3);
    model_contact_row_clear(NULL);
    model_activity_clear(NULL);
    model_view_clear(NULL);
    model_search_hit_clear(NULL);
    model_user_clear(NULL);
    model_company_clear(NULL);
    model_note_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capability_names),
        cmocka_unit_test(test_contact_free),
        cmocka_unit_test(test_clear_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
