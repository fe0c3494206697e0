/* Unit tests for the JSON mappers (the core JSON files): every Freshsales fixture,
 * then malformed, truncated, deeply nested, wrongly typed and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/activity_json.h"
#include "core/common_json.h"
#include "core/contact_json.h"
#include "core/misc_json.h"
#include "tests/common/testutil.h"

#define FIXDIR "tests/fixtures/freshsales/"

static char *fixture(const char *name, size_t *len)
{
    char path[256];
    char *body;

    snprintf(path, sizeof path, FIXDIR "%s", name);
    body = testutil_read_file(path, len);
    if (!body)
        fail_msg("cannot read fixture %s", path);
    return body;
}

static void free_rows(struct contact_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_contact_row_clear(&rows[i]);
    free(rows);
}

static void free_activities(struct activity *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_activity_clear(&a[i]);
    free(a);
}

static void free_users(struct user *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_user_clear(&u[i]);
    free(u);
}

static void free_hits(struct search_hit *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_search_hit_clear(&h[i]);
    free(h);
}

static void free_views(struct view *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_view_clear(&v[i]);
    free(v);
}

static void free_companies(struct company *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_company_clear(&c[i]);
    free(c);
}

static const char *kv_value(const struct model_kv *kv, size_t n, const char *name, bool *found)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(kv[i].name, name) == 0) {
            *found = true;
            return kv[i].value;
        }
    }
    *found = false;
    return NULL;
}

/* ---- every fixture ---- */

static void test_fixture_filters(void **state)
{
    size_t len, n;
    char *body = fixture("filters.json", &len), err[128];
    struct view *v;

    (void)state;
    assert_int_equal(misc_json_views(body, len, &v, &n, err, sizeof err), CRM_OK);
    assert_int_equal(n, 3);
    assert_true(v[0].id == INT64_C(70000012345));
    assert_string_equal(v[0].name, "All Contacts");
    assert_true(v[0].is_default);
    assert_false(v[1].is_default);
    assert_string_equal(v[2].name, "Recycle Bin");
    assert_true(v[2].id == INT64_C(70000012347));
    free_views(v, n);
    free(body);
}

static void test_fixture_contacts_view(void **state)
{
    size_t len, n;
    long total = 0, pages = 0;
    char *body = fixture("contacts_view.json", &len), err[128];
    struct contact_row *rows;

    (void)state;
    assert_int_equal(contact_json_page(body, len, &rows, &n, &total, &pages, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    assert_int_equal(pages, 1);
    assert_true(rows[0].id == INT64_C(5005390567));
    assert_string_equal(rows[0].name, "test contact 2 contact2");
    assert_null(rows[0].email); /* email null, emails empty */
    assert_null(rows[0].company);
    assert_int_equal(rows[0].subscription_status, -1);
    assert_false(rows[0].do_not_disturb);
    assert_false(rows[0].is_deleted);
    assert_true(rows[1].id == INT64_C(5005386510));
    assert_string_equal(rows[1].name, "Amani Njoroge");
    assert_string_equal(rows[1].email, "amani.njoroge@example.com");
    free_rows(rows, n);
    free(body);
}

static void test_fixture_contact_with_owner(void **state)
{
    size_t len;
    char *body = fixture("contact_with_owner.json", &len), err[128];
    struct contact *c;
    bool found;
    const char *v;

    (void)state;
    assert_int_equal(contact_json_contact(body, len, &c, err, sizeof err), CRM_OK);
    assert_true(c->id == INT64_C(5005386510));
    assert_string_equal(c->first_name, "Amani");
    assert_string_equal(c->last_name, "Njoroge");
    assert_string_equal(c->display_name, "Amani Njoroge");
    assert_string_equal(c->email, "amani.njoroge@example.com");
    assert_int_equal(c->n_emails, 1);
    assert_true(c->emails[0].id == INT64_C(50053865101));
    assert_true(c->emails[0].is_primary);
    assert_null(c->emails[0].label);
    assert_string_equal(c->mobile_number, "0700000000");
    assert_string_equal(c->work_number, "0700111111");
    assert_null(c->job_title);
    assert_true(c->owner_id == INT64_C(5000031046));
    assert_string_equal(c->owner_name, "Wanjiru Otieno");
    assert_int_equal(c->sales_account_id, 0);
    assert_null(c->company_name);
    assert_int_equal(c->lead_score, 0);
    assert_int_equal(c->subscription_status, -1);
    assert_int_equal(c->n_tags, 0);
    assert_true(c->chat_events_timeline);
    assert_false(c->is_deleted);
    assert_null(c->facebook);
    assert_string_equal(c->created_at, "2019-09-17T14:24:31Z");
    assert_int_equal(c->n_custom_fields, 10);
    v = kv_value(c->custom_fields, c->n_custom_fields, "cf_contact_type", &found);
    assert_true(found);
    assert_string_equal(v, "Daily POC");
    v = kv_value(c->custom_fields, c->n_custom_fields, "cf_managing_director", &found);
    assert_true(found);
    assert_string_equal(v, "false");
    v = kv_value(c->custom_fields, c->n_custom_fields, "cf_email", &found);
    assert_true(found);
    assert_null(v);
    model_contact_free(&c);
    assert_null(c);
    free(body);
}

static void test_fixture_owners(void **state)
{
    size_t len, n;
    char *body = fixture("owners.json", &len), err[128];
    struct user *u;

    (void)state;
    assert_int_equal(misc_json_users(body, len, &u, &n, err, sizeof err), CRM_OK);
    assert_int_equal(n, 1);
    assert_true(u[0].id == INT64_C(5000031046));
    assert_string_equal(u[0].display_name, "Jo Oge");
    assert_string_equal(u[0].email, "wanjiru.otieno@example.com");
    assert_null(u[0].role);
    assert_true(u[0].is_active);
    assert_false(u[0].perm_forget_records);
    free_users(u, n);
    free(body);
}

static void test_fixture_sales_accounts(void **state)
{
    size_t len, n;
    long total, pages;
    char *body = fixture("sales_accounts_view.json", &len), err[128];
    struct company *c;

    (void)state;
    assert_int_equal(misc_json_companies(body, len, &c, &n, &total, &pages, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(total, 1);
    assert_int_equal(pages, 1);
    assert_true(c[0].id == INT64_C(12000992318));
    assert_string_equal(c[0].name, "Howard-Lawrence");
    assert_int_equal(c[0].owner_id, 0); /* null */
    assert_null(c[0].website);
    assert_string_equal(c[0].created_at, "2019-02-25T03:58:21Z");
    free_companies(c, n);
    free(body);
}

static void test_fixture_activities(void **state)
{
    size_t len, n;
    long total, pages;
    char *body = fixture("activities.json", &len), err[128];
    struct activity *a;
    bool found;
    const char *v;

    (void)state;
    assert_int_equal(activity_json_list(body, len, &a, &n, &total, &pages, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, -1); /* no meta */
    assert_int_equal(pages, -1);
    assert_string_equal(a[0].id, "5f1c2a9e8b");
    assert_string_equal(a[0].action_type, "subscription_updated");
    assert_string_equal(a[0].created_at, "2021-10-01T10:00:00Z");
    assert_true(a[0].targetable_id == INT64_C(5005386510));
    assert_false(a[0].has_user);
    assert_int_equal(a[0].n_data, 1);
    v = kv_value(a[0].data, a[0].n_data, "subscription_types_added", &found);
    assert_true(found);
    assert_string_equal(v, "[\"Newsletters\"]");
    assert_string_equal(a[1].id, "5f1c2a9e8c");
    assert_int_equal(a[1].n_data, 0);
    assert_null(a[1].channel);
    free_activities(a, n);
    free(body);
}

static void test_fixture_search(void **state)
{
    size_t len, n;
    char *body = fixture("search.json", &len), err[128];
    struct search_hit *h;

    (void)state;
    assert_int_equal(misc_json_search(body, len, &h, &n, err, sizeof err), CRM_OK);
    assert_int_equal(n, 2);
    assert_true(h[0].id == INT64_C(5005386510)); /* a string id */
    assert_string_equal(h[0].type, "contact");
    assert_string_equal(h[0].name, "Amani Njoroge");
    assert_string_equal(h[0].email, "amani.njoroge@example.com");
    assert_true(h[1].id == INT64_C(12000992318));
    assert_string_equal(h[1].type, "sales_account");
    assert_null(h[1].email);
    free_hits(h, n);
    free(body);
}

static void test_fixture_lookup(void **state)
{
    size_t len, n;
    char *body = fixture("lookup.json", &len), err[128];
    struct contact_row *rows;

    (void)state;
    assert_int_equal(contact_json_lookup(body, len, &rows, &n, err, sizeof err), CRM_OK);
    assert_int_equal(n, 1);
    assert_true(rows[0].id == INT64_C(5005386510));
    assert_string_equal(rows[0].name, "Amani Njoroge");
    assert_string_equal(rows[0].email, "amani.njoroge@example.com");
    free_rows(rows, n);
    free(body);
}

static void test_fixture_errors(void **state)
{
    static const struct {
        const char *file, *message;
    } cases[] = {
        {"error_400.json", "Name has already been taken"},
        {"error_403_localized.json", "U bent niet bevoegd om deze bewerking uit te voeren."},
        {"error_message_string.json", "Record not found"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *body = fixture(cases[i].file, &len), msg[256];
        assert_true(common_json_error_message(body, len, msg, sizeof msg));
        assert_string_equal(msg, cases[i].message);
        free(body);
    }
}

static void test_fixture_delete_true(void **state)
{
    size_t len;
    char *body = fixture("delete_true.json", &len), err[128];

    (void)state;
    assert_int_equal(misc_json_delete(body, len, err, sizeof err), CRM_OK);
    free(body);
}

/* A fixture added to the directory without a test above fails here. */
static void test_fixture_all_covered(void **state)
{
    static const char *const covered[] = {
        "filters.json",
        "contacts_view.json",
        "contact_with_owner.json",
        "owners.json",
        "sales_accounts_view.json",
        "activities.json",
        "search.json",
        "lookup.json",
        "error_400.json",
        "error_403_localized.json",
        "error_message_string.json",
        "delete_true.json",
    };
    const char *dir = getenv("CRM_SRCDIR");
    char path[512];
    DIR *d;
    struct dirent *e;
    int seen = 0;

    (void)state;
    snprintf(path, sizeof path, "%s%s" FIXDIR, dir ? dir : "", dir ? "/" : "");
    d = opendir(path);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        bool known = false;
        if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
        for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++)
            known = known || strcmp(covered[i], e->d_name) == 0;
        if (!known)
            fail_msg("fixture %s has no mapping test", e->d_name);
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, (int)(sizeof covered / sizeof covered[0]));
}

/* ---- malformed and truncated ---- */

static void test_malformed(void **state)
{
    static const char *const bad[] = {
        "",
        "   ",
        "{",
        "{\"filters\":[}",
        "{\"filters\":[]",
        "{\"filters\":[]} x",
        "{\"filters\":[]}{}",
        "{\"filters\":[]},",
        "[1,]",
        "{\"filters\":[{\"id\":1,}]}",
        "{'filters':[]}",
        "{\"filters\":[\"\\x41\"]}",
        "{\"filters\":[\"unterminated]}",
        "nul",
        "\xEF\xBB\xBF",
    };
    char err[128];
    size_t n = 99;
    struct view *v = (void *)1;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(misc_json_views(bad[i], strlen(bad[i]), &v, &n, err, sizeof err),
                         CRM_ERR_PROTOCOL);
        assert_null(v);
        assert_int_equal(n, 0);
        assert_true(strlen(err) > 0);
    }
    /* Whitespace around the value is fine, and a leading byte order mark (RFC
     * 8259 lets a parser ignore it); a NUL after the value is not. */
    assert_int_equal(misc_json_views("\xEF\xBB\xBF{\"filters\":[]}", 17, &v, &n, err, sizeof err),
                     CRM_OK);
    assert_int_equal(misc_json_views(" {\"filters\":[]}\r\n\t ", 19, &v, &n, err, sizeof err),
                     CRM_OK);
    assert_int_equal(misc_json_views("{\"filters\":[]}\0", 15, &v, &n, err, sizeof err),
                     CRM_ERR_PROTOCOL);
}

/* Every proper prefix of a fixture that stops before its last '}' is refused. */
static void test_truncated(void **state)
{
    static const char *const files[] = {"contacts_view.json", "contact_with_owner.json",
                                        "activities.json", "search.json"};
    (void)state;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len, end;
        char *body = fixture(files[f], &len), err[128];
        end = len;
        while (end > 0 && body[end - 1] != '}' && body[end - 1] != ']')
            end--;
        assert_true(end > 0);
        for (size_t cut = 0; cut < end - 1; cut++) {
            struct contact_row *rows;
            struct contact *c;
            struct activity *a;
            struct search_hit *h;
            size_t n;
            long t, p;
            char *copy = malloc(cut + 1);
            memcpy(copy, body, cut);
            copy[cut] = '\0';
            assert_int_equal(contact_json_page(copy, cut, &rows, &n, &t, &p, err, sizeof err),
                             CRM_ERR_PROTOCOL);
            assert_int_equal(contact_json_contact(copy, cut, &c, err, sizeof err),
                             CRM_ERR_PROTOCOL);
            assert_null(c);
            assert_int_equal(activity_json_list(copy, cut, &a, &n, &t, &p, err, sizeof err),
                             CRM_ERR_PROTOCOL);
            assert_int_equal(misc_json_search(copy, cut, &h, &n, err, sizeof err),
                             CRM_ERR_PROTOCOL);
            free(copy);
        }
        free(body);
    }
}

/* ---- nesting ---- */

static char *nested(const char *prefix, int depth, const char *suffix, size_t *len)
{
    size_t pl = strlen(prefix), sl = strlen(suffix);
    char *s = malloc(pl + (size_t)depth * 2 + sl + 1);
    memcpy(s, prefix, pl);
    memset(s + pl, '[', (size_t)depth);
    memset(s + pl + depth, ']', (size_t)depth);
    memcpy(s + pl + 2 * (size_t)depth, suffix, sl + 1);
    *len = pl + (size_t)depth * 2 + sl;
    return s;
}

static void test_depth(void **state)
{
    char err[128];
    size_t len, n;
    struct view *v;
    char *s;

    (void)state;
    /* The root object is level 1: 31 more arrays make 32, which is allowed. */
    s = nested("{\"filters\":[],\"x\":", 31, "}", &len);
    assert_int_equal(misc_json_views(s, len, &v, &n, err, sizeof err), CRM_OK);
    free(s);
    s = nested("{\"filters\":[],\"x\":", 32, "}", &len);
    assert_int_equal(misc_json_views(s, len, &v, &n, err, sizeof err), CRM_ERR_PROTOCOL);
    assert_non_null(strstr(err, "nested"));
    free(s);
    s = nested("", 200000, "", &len);
    assert_int_equal(misc_json_views(s, len, &v, &n, err, sizeof err), CRM_ERR_PROTOCOL);
    free(s);
    /* Brackets inside strings do not count. */
    s = nested("{\"filters\":[],\"x\":\"", 100, "\"}", &len);
    assert_int_equal(misc_json_views(s, len, &v, &n, err, sizeof err), CRM_OK);
    free(s);
}

/* ---- ids ---- */

static void test_ids(void **state)
{
    static const struct {
        const char *json;
        bool ok;
        int64_t want;
    } cases[] = {
        {"0", true, 0},
        {"5005386510", true, INT64_C(5005386510)},
        {"\"5005386510\"", true, INT64_C(5005386510)},
        {"9007199254740992", true, INT64_C(9007199254740992)},
        {"9007199254740994", false, 0}, /* past 2^53 as a number: not exact */
        {"\"9007199254740993\"", true, INT64_C(9007199254740993)},
        {"\"9223372036854775807\"", true, INT64_MAX},
        {"\"9223372036854775808\"", false, 0},
        {"1.5", false, 0},
        {"-3", false, 0},
        {"\"-3\"", false, 0},
        {"\" 12\"", false, 0},
        {"\"12a\"", false, 0},
        {"\"\"", false, 0},
        {"1e300", false, 0},
        {"true", false, 0},
        {"null", false, 0},
        {"[1]", false, 0},
        {"{\"id\":1}", false, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *it = cJSON_Parse(cases[i].json);
        int64_t got = -1;
        assert_non_null(it);
        if (common_json_id(it, &got) != cases[i].ok)
            fail_msg("id %s: expected %s", cases[i].json, cases[i].ok ? "ok" : "refused");
        if (cases[i].ok)
            assert_true(got == cases[i].want);
        cJSON_Delete(it);
    }
}

/* ---- wrong types ---- */

static void test_wrong_types_page(void **state)
{
    static const char *const refused[] = {
        "{\"contacts\":{}}",
        "{\"contacts\":\"x\"}",
        "{\"contacts\":[1]}",
        "{\"contacts\":[{}]}",
        "{\"contacts\":[{\"id\":\"abc\"}]}",
        "{\"contacts\":[{\"id\":1.5}]}",
        "{\"contacts\":[{\"id\":null}]}",
        "{\"contacts\":[{\"id\":1},{\"id\":true}]}",
        "{\"users\":[]}",
        "[]",
        "true",
    };
    char err[128];
    size_t n;
    long t, p;
    struct contact_row *rows;

    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (contact_json_page(refused[i], strlen(refused[i]), &rows, &n, &t, &p, err, sizeof err) !=
            CRM_ERR_PROTOCOL)
            fail_msg("accepted: %s", refused[i]);
        assert_null(rows);
    }
}

static void test_wrong_types_fields(void **state)
{
    /* Fields of the wrong type are skipped (or numbers written as text). */
    const char *body = "{\"contact\":{\"id\":\"42\",\"first_name\":7,\"last_name\":[\"x\"],"
                       "\"display_name\":{\"a\":1},\"email\":false,\"emails\":\"x\","
                       "\"do_not_disturb\":\"yes\",\"lead_score\":\"12\","
                       "\"subscription_status\":7,\"owner_id\":\"abc\",\"custom_field\":[1],"
                       "\"tags\":[\"vip\",3,{\"name\":\"gold\"}],\"subscription_types\":"
                       "\"newsletter\",\"is_deleted\":1,\"chat_events_timeline\":false,"
                       "\"unknown\":{\"deep\":[1,2,3]}},\"users\":7,\"notes\":{}}";
    char err[128];
    struct contact *c;

    (void)state;
    assert_int_equal(contact_json_contact(body, strlen(body), &c, err, sizeof err), CRM_OK);
    assert_int_equal(c->id, 42);
    assert_string_equal(c->first_name, "7");
    assert_null(c->last_name);
    assert_null(c->display_name);
    assert_null(c->email);
    assert_int_equal(c->n_emails, 0);
    assert_false(c->do_not_disturb);
    assert_int_equal(c->lead_score, 12);
    assert_int_equal(c->subscription_status, -1);
    assert_int_equal(c->owner_id, 0);
    assert_null(c->owner_name);
    assert_int_equal(c->n_custom_fields, 0);
    assert_int_equal(c->n_tags, 2);
    assert_string_equal(c->tags[0], "vip");
    assert_string_equal(c->tags[1], "gold");
    assert_int_equal(c->n_subscription_types, 1);
    assert_string_equal(c->subscription_types[0], "newsletter");
    assert_false(c->is_deleted);
    assert_false(c->chat_events_timeline);
    assert_int_equal(c->n_notes, 0);
    model_contact_free(&c);
}

static void test_key_order_and_unknown(void **state)
{
    /* Side-loads before or after the main key, unknown keys anywhere. */
    const char *a = "{\"meta\":{\"total\":\"7\",\"total_pages\":1,\"x\":null},\"zzz\":[{}],"
                    "\"sales_accounts\":[{\"name\":\"Acme\",\"id\":9}],"
                    "\"contacts\":[{\"sales_account_id\":9,\"last_name\":\"Lima\",\"id\":3,"
                    "\"subscription_status\":1,\"do_not_disturb\":true}]}";
    const char *b = "{\"contacts\":[{\"id\":3,\"emails\":[{\"value\":\"b@x\"},{\"value\":"
                    "\"p@x\",\"is_primary\":true}]}]}";
    const char *c = "{\"contacts\":[{\"id\":3}]}";
    char err[128];
    size_t n;
    long t, p;
    struct contact_row *rows;

    (void)state;
    assert_int_equal(contact_json_page(a, strlen(a), &rows, &n, &t, &p, err, sizeof err), CRM_OK);
    assert_int_equal(t, 7);
    assert_int_equal(p, 1);
    assert_string_equal(rows[0].name, "Lima");
    assert_string_equal(rows[0].company, "Acme");
    assert_int_equal(rows[0].subscription_status, 1);
    assert_true(rows[0].do_not_disturb);
    free_rows(rows, n);

    assert_int_equal(contact_json_page(b, strlen(b), &rows, &n, &t, &p, err, sizeof err), CRM_OK);
    assert_int_equal(t, -1);
    assert_string_equal(rows[0].email, "p@x"); /* the primary, not the first */
    assert_string_equal(rows[0].name, "p@x");  /* no name: the email */
    free_rows(rows, n);

    assert_int_equal(contact_json_page(c, strlen(c), &rows, &n, &t, &p, err, sizeof err), CRM_OK);
    assert_string_equal(rows[0].name, "(no name)");
    assert_null(rows[0].email);
    free_rows(rows, n);
}

static void test_side_loads(void **state)
{
    const char *body = "{\"users\":[{\"id\":\"8\",\"display_name\":\"Bruno\"}],"
                       "\"sales_accounts\":[{\"id\":5,\"name\":\"Acme\"}],"
                       "\"notes\":[{\"id\":1,\"description\":\"line one\\nline two\","
                       "\"targetable_id\":3,\"user_id\":8,\"created_at\":\"2026-01-01T00:00:00Z\"},"
                       "{\"id\":2,\"description\":\"other\",\"targetable_id\":4}],"
                       "\"contact\":{\"id\":3,\"owner_id\":8,\"sales_account_id\":5}}";
    char err[128];
    struct contact *c;

    (void)state;
    assert_int_equal(contact_json_contact(body, strlen(body), &c, err, sizeof err), CRM_OK);
    assert_string_equal(c->owner_name, "Bruno");
    assert_string_equal(c->company_name, "Acme");
    assert_int_equal(c->n_notes, 1);
    assert_string_equal(c->notes[0].description, "line one\nline two");
    assert_int_equal(c->notes[0].user_id, 8);
    model_contact_free(&c);
}

static void test_activity_typed_data(void **state)
{
    const char *body =
        "{\"activities\":[{\"id\":17,\"action_type\":\"consent_granted\",\"user_id\":7,"
        "\"targetable_id\":\"42\",\"action_data\":{\"channel\":\"email\",\"purpose\":"
        "\"newsletter\",\"source\":\"web_form\",\"form_id\":3,\"form_name\":\"News\","
        "\"detail\":\"a\\nb\",\"email\":\"x@y\",\"extra\":1.5,\"flag\":true,\"none\":null}},"
        "{\"id\":\"b\",\"user_id\":null,\"action_data\":[]}],\"meta\":{\"total\":2}}";
    char err[128];
    size_t n;
    long t, p;
    struct activity *a;
    bool found;

    (void)state;
    assert_int_equal(activity_json_list(body, strlen(body), &a, &n, &t, &p, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t, 2);
    assert_string_equal(a[0].id, "17");
    assert_true(a[0].has_user);
    assert_int_equal(a[0].user_id, 7);
    assert_int_equal(a[0].targetable_id, 42);
    assert_string_equal(a[0].channel, "email");
    assert_string_equal(a[0].purpose, "newsletter");
    assert_string_equal(a[0].source, "web_form");
    assert_int_equal(a[0].form_id, 3);
    assert_string_equal(a[0].form_name, "News");
    assert_string_equal(a[0].detail, "a\nb");
    assert_string_equal(a[0].email, "x@y");
    assert_int_equal(a[0].n_data, 3);
    assert_string_equal(kv_value(a[0].data, a[0].n_data, "extra", &found), "1.5");
    assert_string_equal(kv_value(a[0].data, a[0].n_data, "flag", &found), "true");
    assert_null(kv_value(a[0].data, a[0].n_data, "none", &found));
    assert_true(found);
    assert_false(a[1].has_user);
    assert_null(a[1].action_type);
    free_activities(a, n);

    assert_int_equal(
        activity_json_list("{\"activities\":[7]}", 18, &a, &n, &t, &p, err, sizeof err),
        CRM_ERR_PROTOCOL);
    assert_int_equal(activity_json_list("{\"activities\":[]}", 17, &a, &n, &t, &p, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 0);
    assert_null(a);
}

static void test_users_me_and_capabilities(void **state)
{
    const char *wrapped = "{\"user\":{\"id\":1,\"display_name\":\"Ana\",\"role\":\"admin\","
                          "\"is_active\":true,\"permissions\":{\"export_reports\":true,"
                          "\"forget_records\":true}}}";
    const char *bare = "{\"id\":2,\"display_name\":\"Bruno\",\"role\":\"agent\","
                       "\"permissions\":{\"export_reports\":true,\"forget_records\":false}}";
    const char *caps = "{\"capabilities\":[\"gdpr_settings\",\"reports\",\"time_travel\",7,"
                       "\"privacy_requests\"]}";
    char err[128];
    struct user *u;
    unsigned bits = 99;

    (void)state;
    assert_int_equal(misc_json_user(wrapped, strlen(wrapped), &u, err, sizeof err), CRM_OK);
    assert_int_equal(u->id, 1);
    assert_string_equal(u->role, "admin");
    assert_true(u->perm_export_reports);
    assert_true(u->perm_forget_records);
    model_user_clear(u);
    free(u);
    assert_int_equal(misc_json_user(bare, strlen(bare), &u, err, sizeof err), CRM_OK);
    assert_string_equal(u->display_name, "Bruno");
    assert_true(u->perm_export_reports);
    assert_false(u->perm_forget_records);
    model_user_clear(u);
    free(u);
    assert_int_equal(misc_json_user("[]", 2, &u, err, sizeof err), CRM_ERR_PROTOCOL);
    assert_null(u);

    assert_int_equal(misc_json_capabilities(caps, strlen(caps), &bits, err, sizeof err), CRM_OK);
    assert_int_equal(bits, (1u << CAP_GDPR_SETTINGS) | (1u << CAP_REPORTS) |
                               (1u << CAP_PRIVACY_REQUESTS));
    assert_int_equal(misc_json_capabilities("{}", 2, &bits, err, sizeof err), CRM_ERR_PROTOCOL);
    assert_int_equal(bits, 0);
}

static void test_company_note_delete(void **state)
{
    const char *company = "{\"sales_account\":{\"id\":12000992318,\"name\":\"Acme\","
                          "\"owner_id\":5,\"website\":\"https://acme.example\"}}";
    const char *note = "{\"note\":{\"id\":\"77\",\"description\":\"hi\\nthere\","
                       "\"creater_id\":5}}";
    char err[128];
    struct company *c;
    struct note *nt;

    (void)state;
    assert_int_equal(misc_json_company(company, strlen(company), &c, err, sizeof err), CRM_OK);
    assert_true(c->id == INT64_C(12000992318));
    assert_int_equal(c->owner_id, 5);
    assert_string_equal(c->website, "https://acme.example");
    model_company_clear(c);
    free(c);
    assert_int_equal(misc_json_note(note, strlen(note), &nt, err, sizeof err), CRM_OK);
    assert_int_equal(nt->id, 77);
    assert_string_equal(nt->description, "hi\nthere");
    assert_int_equal(nt->user_id, 5);
    model_note_clear(nt);
    free(nt);

    assert_int_equal(misc_json_delete("", 0, err, sizeof err), CRM_OK);
    assert_int_equal(misc_json_delete(" \n", 2, err, sizeof err), CRM_OK);
    assert_int_equal(misc_json_delete("{}", 2, err, sizeof err), CRM_OK);
    assert_int_equal(misc_json_delete("true", 4, err, sizeof err), CRM_OK);
    assert_int_equal(misc_json_delete("false", 5, err, sizeof err), CRM_ERR_SERVER);
    assert_int_equal(misc_json_delete("<html>", 6, err, sizeof err), CRM_ERR_PROTOCOL);
}

static void test_error_messages(void **state)
{
    static const struct {
        const char *body, *want; /* want NULL: no message */
    } cases[] = {
        {"{\"errors\":{\"code\":400,\"message\":[\"a\",\"b\"]}}", "a; b"},
        {"{\"errors\":{\"message\":[1,\"only\"]}}", "only"},
        {"{\"errors\":{\"code\":500}}", NULL},
        {"{\"message\":\"top\"}", "top"},
        {"{\"error\":\"plain\"}", "plain"},
        {"{}", NULL},
        {"true", NULL},
        {"<html>502</html>", NULL},
        {"", NULL},
        {"{\"errors\":{\"message\":\"\\u001b[2Jbad\\u202e\"}}", "\xE2\x90\x9B[2Jbad\xEF\xBF\xBD"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[64];
        bool got = common_json_error_message(cases[i].body, strlen(cases[i].body), msg, sizeof msg);
        assert_int_equal(got, cases[i].want != NULL);
        if (cases[i].want)
            assert_string_equal(msg, cases[i].want);
    }
    /* A long message is cut to the buffer. */
    {
        char body[2048], msg[32];
        memcpy(body, "{\"errors\":{\"message\":\"", 22);
        memset(body + 22, 'x', 1000);
        memcpy(body + 1022, "\"}}", 4);
        assert_true(common_json_error_message(body, strlen(body), msg, sizeof msg));
        assert_true(strlen(msg) < sizeof msg);
    }
}

/* ---- request bodies ---- */

static void test_patch_body(void **state)
{
    struct contact_patch p = {.owner_id = -1, .sales_account_id = -1};
    char *body;
    size_t len;

    (void)state;
    body = contact_json_patch(&p, &len);
    assert_string_equal(body, "{\"contact\":{}}");
    assert_int_equal(len, strlen(body));
    free(body);

    p.first_name = "Ana \"Q\"";
    p.city = "";
    p.owner_id = INT64_C(9007199254740993);
    p.sales_account_id = 0;
    p.clear_enrichment = true;
    body = contact_json_patch(&p, &len);
    assert_string_equal(body, "{\"contact\":{\"first_name\":\"Ana \\\"Q\\\"\",\"city\":null,"
                              "\"owner_id\":9007199254740993,\"sales_account_id\":null,"
                              "\"facebook\":null,\"twitter\":null,\"linkedin\":null,"
                              "\"avatar\":null}}");
    free(body);

    body = misc_json_note_body(INT64_C(5005386510), "line\n\"two\"", &len);
    assert_string_equal(body, "{\"note\":{\"description\":\"line\\n\\\"two\\\"\","
                              "\"targetable_type\":\"Contact\",\"targetable_id\":5005386510}}");
    free(body);
}

/* ---- hostile strings: every server string is sanitized where it enters ---- */

static void assert_clean(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++) {
        if (u[i] < 0x20 || u[i] == 0x7f)
            fail_msg("control byte 0x%02x at %zu in \"%s\"", u[i], i, s);
        if (u[i] == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F)
            fail_msg("C1 control at %zu", i);
        if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE)
            fail_msg("bidi override at %zu", i);
        if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9)
            fail_msg("bidi isolate at %zu", i);
        if (u[i] == 0xFF || u[i] == 0xFE || u[i] == 0xC0 || u[i] == 0xC1)
            fail_msg("invalid UTF-8 byte at %zu", i);
    }
    assert_true(n <= 4096 + 3);
}

/* A page whose every string field holds the hostile string s (JSON-escaped). */
static char *hostile_page(const char *json_str)
{
    static const char *const fmt =
        "{\"users\":[{\"id\":1,\"display_name\":%s}],\"sales_accounts\":[{\"id\":2,\"name\":%s}],"
        "\"contacts\":[{\"id\":3,\"display_name\":%s,\"email\":%s,\"owner_id\":1,"
        "\"sales_account_id\":2,\"city\":%s,\"custom_field\":{\"cf_x\":%s},\"tags\":[%s]}]}";
    size_t cap = strlen(fmt) + 7 * strlen(json_str) + 1;
    char *out = malloc(cap);
    snprintf(out, cap, fmt, json_str, json_str, json_str, json_str, json_str, json_str, json_str);
    return out;
}

static void check_hostile(const char *json_str)
{
    char *page = hostile_page(json_str), err[128];
    size_t n, len = strlen(page);
    long t, p;
    struct contact_row *rows;
    struct contact *c;
    char *one;
    size_t one_cap = len + 64;

    assert_int_equal(contact_json_page(page, len, &rows, &n, &t, &p, err, sizeof err), CRM_OK);
    assert_clean(rows[0].name);
    assert_clean(rows[0].email);
    assert_clean(rows[0].company);
    free_rows(rows, n);

    one = malloc(one_cap);
    /* The same body with "contacts":[ ... ] turned into "contact": ... */
    {
        const char *at = strstr(page, "\"contacts\":[");
        size_t head = (size_t)(at - page);
        snprintf(one, one_cap, "%.*s\"contact\":%.*s}", (int)head, page,
                 (int)(len - head - strlen("\"contacts\":[") - 2), at + strlen("\"contacts\":["));
    }
    assert_int_equal(contact_json_contact(one, strlen(one), &c, err, sizeof err), CRM_OK);
    assert_clean(c->display_name);
    assert_clean(c->email);
    assert_clean(c->city);
    assert_clean(c->owner_name);
    assert_clean(c->company_name);
    assert_int_equal(c->n_custom_fields, 1);
    assert_clean(c->custom_fields[0].value);
    assert_int_equal(c->n_tags, 1);
    assert_clean(c->tags[0]);
    model_contact_free(&c);
    free(one);
    free(page);
}

static void test_hostile_strings(void **state)
{
    size_t len;
    char *body = testutil_read_file("tests/fixtures/hostile/strings.json", &len);
    cJSON *root, *list, *it;
    int count = 0;

    (void)state;
    assert_non_null(body);
    root = cJSON_ParseWithLength(body, len);
    assert_non_null(root);
    list = cJSON_GetObjectItemCaseSensitive(root, "text");
    cJSON_ArrayForEach(it, list)
    {
        cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");
        char *escaped = cJSON_PrintUnformatted(text);
        check_hostile(escaped);
        cJSON_free(escaped);
        count++;
    }
    assert_true(count >= 10);
    /* Raw bytes that JSON text cannot carry, put into the body as they are. */
    list = cJSON_GetObjectItemCaseSensitive(root, "raw_hex");
    cJSON_ArrayForEach(it, list)
    {
        const char *hex = cJSON_GetObjectItemCaseSensitive(it, "hex")->valuestring;
        char raw[64];
        size_t n = 0;
        raw[n++] = '"';
        for (const char *h = hex; *h && n < sizeof raw - 2;) {
            unsigned v;
            if (*h == ' ') {
                h++;
                continue;
            }
            assert_int_equal(sscanf(h, "%2x", &v), 1);
            raw[n++] = (char)v;
            h += 2;
        }
        raw[n++] = '"';
        raw[n] = '\0';
        check_hostile(raw);
        count++;
    }
    cJSON_Delete(root);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_filters),
        cmocka_unit_test(test_fixture_contacts_view),
        cmocka_unit_test(test_fixture_contact_with_owner),
        cmocka_unit_test(test_fixture_owners),
        cmocka_unit_test(test_fixture_sales_accounts),
        cmocka_unit_test(test_fixture_activities),
        cmocka_unit_test(test_fixture_search),
        cmocka_unit_test(test_fixture_lookup),
        cmocka_unit_test(test_fixture_errors),
        cmocka_unit_test(test_fixture_delete_true),
        cmocka_unit_test(test_fixture_all_covered),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_wrong_types_page),
        cmocka_unit_test(test_wrong_types_fields),
        cmocka_unit_test(test_key_order_and_unknown),
        cmocka_unit_test(test_side_loads),
        cmocka_unit_test(test_activity_typed_data),
        cmocka_unit_test(test_users_me_and_capabilities),
        cmocka_unit_test(test_company_note_delete),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_patch_body),
        cmocka_unit_test(test_hostile_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
