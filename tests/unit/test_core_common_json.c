/* Unit tests of core/common_json.c's shared lookups: a member of an object,
 * a body parsed with its root[key] found as an object or a list, and a list
 * mapped element by element. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/common_json.h"

/* Runs common_json_parse_member on body; err gets the sentence. */
static cJSON *parse_member(const char *body, const char *key, enum common_json_want want,
                           const cJSON **found, char *err, size_t errlen)
{
    static const cJSON stale;

    err[0] = '\0';
    *found = &stale; /* must be reset on failure */
    return common_json_parse_member(body, strlen(body), key, want, found, err, errlen);
}

/* Expects body to be refused with exactly the sentence want_err. */
static void refused(const char *body, const char *key, enum common_json_want want,
                    const char *want_err)
{
    char err[128];
    const cJSON *found;
    cJSON *root = parse_member(body, key, want, &found, err, sizeof err);

    if (root)
        fail_msg("%s [%s] was accepted", body, key ? key : "(root)");
    assert_null(found);
    assert_string_equal(err, want_err);
}

static void test_member(void **state)
{
    (void)state;
    const char *body = "{\"a\":1,\"A\":2,\"b\":{\"c\":\"x\"},\"a\":3}";
    cJSON *root = cJSON_Parse(body);
    const cJSON *it;

    assert_non_null(root);
    it = common_json_member(root, "a");
    assert_non_null(it);
    assert_int_equal(it->valueint, 1); /* the first of duplicates */
    it = common_json_member(root, "A");
    assert_non_null(it);
    assert_int_equal(it->valueint, 2); /* case-sensitive */
    it = common_json_member(common_json_member(root, "b"), "c");
    assert_non_null(it);
    assert_string_equal(it->valuestring, "x");
    assert_null(common_json_member(root, "c"));
    assert_null(common_json_member(root, "B"));
    assert_null(common_json_member(NULL, "a"));
    assert_null(common_json_member(common_json_member(root, "a"), "a"));
    cJSON_Delete(root);

    /* An array has no keys, whatever its elements. */
    root = cJSON_Parse("[{\"a\":1},\"a\",[\"a\"]]");
    assert_non_null(root);
    assert_null(common_json_member(root, "a"));
    cJSON_Delete(root);
}

/* Expects body to be accepted; returns the root, *found the member. */
static cJSON *accepted(const char *body, const char *key, enum common_json_want want,
                       const cJSON **found)
{
    char err[128];
    cJSON *root = parse_member(body, key, want, found, err, sizeof err);

    if (!root)
        fail_msg("%s [%s] was refused: %s", body, key ? key : "(root)", err);
    assert_non_null(*found);
    return root;
}

static void test_found(void **state)
{
    (void)state;
    const cJSON *found;
    cJSON *root;

    root = accepted("{\"x\":1,\"settings\":{\"on\":true}}", "settings", COMMON_JSON_WANT_OBJECT,
                    &found);
    assert_ptr_equal(found, cJSON_GetObjectItemCaseSensitive(root, "settings"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(found, "on")));
    cJSON_Delete(root);

    root =
        accepted(" {\"users\":[{\"id\":1},{\"id\":2}]}\n", "users", COMMON_JSON_WANT_ARRAY, &found);
    assert_true(cJSON_IsArray(found));
    assert_int_equal(cJSON_GetArraySize(found), 2);
    cJSON_Delete(root);

    /* An empty list or object is still found. */
    root = accepted("{\"calls\":[]}", "calls", COMMON_JSON_WANT_ARRAY_OR_ROOT, &found);
    assert_ptr_equal(found, cJSON_GetObjectItemCaseSensitive(root, "calls"));
    assert_int_equal(cJSON_GetArraySize(found), 0);
    cJSON_Delete(root);
    root = accepted("{\"note\":{}}", "note", COMMON_JSON_WANT_OBJECT, &found);
    assert_true(cJSON_IsObject(found));
    cJSON_Delete(root);
}

static void test_root(void **state)
{
    (void)state;
    const cJSON *found;
    cJSON *root;

    /* A NULL key: the root itself, of the wanted kind. */
    root = accepted("[1,2,3]", NULL, COMMON_JSON_WANT_ARRAY, &found);
    assert_ptr_equal(found, root);
    cJSON_Delete(root);
    root = accepted("{\"a\":1}", NULL, COMMON_JSON_WANT_OBJECT, &found);
    assert_ptr_equal(found, root);
    cJSON_Delete(root);
    refused("{\"a\":[]}", NULL, COMMON_JSON_WANT_ARRAY, "the answer has no \"top-level\" list");
    refused("[{}]", NULL, COMMON_JSON_WANT_OBJECT, "the answer has no \"top-level\" object");

    /* A bare list stands for root[key] only when that is asked for. */
    root = accepted("[{\"id\":1}]", "calls", COMMON_JSON_WANT_ARRAY_OR_ROOT, &found);
    assert_ptr_equal(found, root);
    cJSON_Delete(root);
    refused("[{\"id\":1}]", "calls", COMMON_JSON_WANT_ARRAY, "the answer has no \"calls\" list");
    refused("[{\"id\":1}]", "call", COMMON_JSON_WANT_OBJECT, "the answer has no \"call\" object");
    /* root[key] wins over the root when both could serve. */
    root = accepted("{\"chats\":[1]}", "chats", COMMON_JSON_WANT_ARRAY_OR_ROOT, &found);
    assert_ptr_equal(found, cJSON_GetObjectItemCaseSensitive(root, "chats"));
    cJSON_Delete(root);
}

static void test_absent_and_wrong_kind(void **state)
{
    (void)state;
    refused("{}", "settings", COMMON_JSON_WANT_OBJECT, "the answer has no \"settings\" object");
    refused("{\"Users\":[]}", "users", COMMON_JSON_WANT_ARRAY, "the answer has no \"users\" list");
    refused("{\"a\":{\"users\":[]}}", "users", COMMON_JSON_WANT_ARRAY,
            "the answer has no \"users\" list");
    refused("{\"users\":{}}", "users", COMMON_JSON_WANT_ARRAY, "the answer has no \"users\" list");
    refused("{\"users\":null}", "users", COMMON_JSON_WANT_ARRAY,
            "the answer has no \"users\" list");
    refused("{\"account\":[]}", "account", COMMON_JSON_WANT_OBJECT,
            "the answer has no \"account\" object");
    refused("{\"account\":\"x\"}", "account", COMMON_JSON_WANT_OBJECT,
            "the answer has no \"account\" object");
    refused("{\"calls\":{\"calls\":[]}}", "calls", COMMON_JSON_WANT_ARRAY_OR_ROOT,
            "the answer has no \"calls\" list");
    refused("{}", "calls", COMMON_JSON_WANT_ARRAY_OR_ROOT, "the answer has no \"calls\" list");
    refused("\"calls\"", "calls", COMMON_JSON_WANT_ARRAY_OR_ROOT,
            "the answer has no \"calls\" list");
    refused("42", "note", COMMON_JSON_WANT_OBJECT, "the answer has no \"note\" object");
    refused("null", NULL, COMMON_JSON_WANT_OBJECT, "the answer has no \"top-level\" object");
}

static void test_malformed(void **state)
{
    (void)state;
    char deep[2 * COMMON_JSON_MAX_DEPTH + 16];
    size_t n = 0;
    char err[128];
    const cJSON *found = NULL;

    /* The parser's own sentence comes through, for any wanted kind. */
    refused("{\"users\":[", "users", COMMON_JSON_WANT_ARRAY, "the answer is not valid JSON");
    refused("{\"users\":[]}x", "users", COMMON_JSON_WANT_ARRAY,
            "the answer has data after its JSON value");
    refused("", "note", COMMON_JSON_WANT_OBJECT, "the answer was empty");
    refused("[1,]", NULL, COMMON_JSON_WANT_ARRAY_OR_ROOT, "the answer is not valid JSON");
    assert_null(common_json_parse_member(NULL, 0, "note", COMMON_JSON_WANT_OBJECT, &found, err,
                                         sizeof err));
    assert_null(found);
    assert_string_equal(err, "the answer was empty");

    deep[n++] = '{';
    memcpy(deep + n, "\"a\":", 4);
    n += 4;
    for (int i = 0; i < COMMON_JSON_MAX_DEPTH; i++)
        deep[n++] = '[';
    for (int i = 0; i < COMMON_JSON_MAX_DEPTH; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    refused(deep, "a", COMMON_JSON_WANT_ARRAY, "the answer is nested deeper than 32 levels");

    /* A short err buffer still gets a terminated sentence. */
    found = NULL;
    assert_null(
        common_json_parse_member("{}", 2, "settings", COMMON_JSON_WANT_OBJECT, &found, err, 11));
    assert_null(found);
    assert_string_equal(err, "the answer");
}

static void test_print_body(void **state)
{
    (void)state;
    cJSON *root = cJSON_CreateObject();
    size_t len = 0;
    char *out;

    assert_non_null(root);
    assert_non_null(cJSON_AddStringToObject(root, "a", "b c"));
    assert_non_null(cJSON_AddNullToObject(root, "n"));
    out = common_json_print_body(root, &len);
    assert_string_equal(out, "{\"a\":\"b c\",\"n\":null}");
    assert_int_equal(len, strlen(out));
    free(out);
}

/* ---- common_json_map_list ---- */

struct pair {
    int64_t id;
    char *name;
};

static int n_mapped, n_cleared;

/* Takes the name first, then refuses an element without an id: a refused
 * slot holds an allocation that the clear must release. ctx is a prefix
 * every element's name must start with. */
static bool map_pair(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct pair *p = slot;
    const char *prefix = ctx;

    n_mapped++;
    assert_int_equal(p->id, 0); /* slots come zeroed */
    assert_null(p->name);
    p->name = common_json_str(it, "name", 0);
    if (!common_json_id(common_json_member(it, "id"), &p->id)) {
        snprintf(err, errlen, "a pair in the answer has no valid id");
        return false;
    }
    if (!p->name || strncmp(p->name, prefix, strlen(prefix)) != 0) {
        snprintf(err, errlen, "pair %lld has no name", (long long)p->id);
        return false;
    }
    return true;
}

/* map_pair with ctx NULL taken as the prefix "". */
static bool map_pair_any(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    return map_pair(it, slot, ctx ? ctx : "", err, errlen);
}

static void clear_pair(void *slot)
{
    struct pair *p = slot;

    n_cleared++;
    free(p->name);
    memset(p, 0, sizeof *p);
}

/* Maps the root array of body with prefix as ctx. */
static enum crm_status map_pairs(const char *body, const char *prefix, struct pair **out, size_t *n,
                                 char *err, size_t errlen)
{
    cJSON *root = cJSON_Parse(body);
    void *arr = (void *)&n_mapped; /* must be reset */
    enum crm_status st;

    assert_non_null(root);
    n_mapped = n_cleared = 0;
    *n = 99;
    err[0] = '\0';
    st = common_json_map_list(root, sizeof **out, map_pair, clear_pair, prefix, &arr, n, err,
                              errlen);
    *out = arr;
    cJSON_Delete(root);
    return st;
}

static void test_map_list(void **state)
{
    (void)state;
    struct pair *v;
    size_t n;
    char err[128];

    assert_int_equal(map_pairs("[{\"id\":1,\"name\":\"p-one\"},{\"id\":\"2\",\"name\":\"p-two\"},"
                               "{\"name\":\"p-three\",\"id\":3,\"x\":[1]}]",
                               "p-", &v, &n, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 3);
    assert_non_null(v);
    assert_int_equal(n_mapped, 3);
    assert_int_equal(n_cleared, 0);
    assert_string_equal(err, "");
    assert_int_equal(v[0].id, 1);
    assert_string_equal(v[0].name, "p-one");
    assert_int_equal(v[1].id, 2);
    assert_string_equal(v[1].name, "p-two");
    assert_int_equal(v[2].id, 3);
    assert_string_equal(v[2].name, "p-three");
    for (size_t i = 0; i < n; i++)
        clear_pair(&v[i]);
    free(v);
}

static void test_map_list_refused(void **state)
{
    (void)state;
    struct pair *v;
    size_t n;
    char err[128];

    /* The third element has a name (allocated) but no id: the two mapped
     * and the refused one are cleared, nothing after it is mapped. */
    assert_int_equal(map_pairs("[{\"id\":1,\"name\":\"p-a\"},{\"id\":2,\"name\":\"p-b\"},"
                               "{\"name\":\"p-c\"},{\"id\":4,\"name\":\"p-d\"}]",
                               "p-", &v, &n, err, sizeof err),
                     CRM_ERR_PROTOCOL);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_int_equal(n_mapped, 3);
    assert_int_equal(n_cleared, 3);
    assert_string_equal(err, "a pair in the answer has no valid id");

    /* The first element refused, by ctx: its sentence is kept. */
    assert_int_equal(map_pairs("[{\"id\":7,\"name\":\"q-a\"},{\"id\":8,\"name\":\"p-b\"}]", "p-",
                               &v, &n, err, sizeof err),
                     CRM_ERR_PROTOCOL);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_int_equal(n_mapped, 1);
    assert_int_equal(n_cleared, 1);
    assert_string_equal(err, "pair 7 has no name");
}

static void test_map_list_empty(void **state)
{
    (void)state;
    struct pair *v;
    size_t n;
    char err[128];

    assert_int_equal(map_pairs("[]", "p-", &v, &n, err, sizeof err), CRM_OK);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_int_equal(n_mapped, 0);
    assert_int_equal(n_cleared, 0);
    assert_string_equal(err, "");
}

/* common_json_map_member on body with map_pair_any; totals may be NULL. */
static enum crm_status map_member(const char *body, const char *key, struct pair **out, size_t *n,
                                  long *total, long *pages, char *err, size_t errlen)
{
    void *arr = (void *)&n_mapped; /* must be reset */
    enum crm_status st;

    n_mapped = n_cleared = 0;
    *n = 99;
    err[0] = '\0';
    st = common_json_map_member(body, strlen(body), key, COMMON_JSON_WANT_ARRAY, sizeof **out,
                                map_pair_any, clear_pair, &arr, n, total, pages, err, errlen);
    *out = arr;
    return st;
}

/* Expects map_member to refuse body[key]: nothing out, totals untouched,
 * want_err said (any sentence when NULL). */
static void member_refused(const char *body, const char *key, const char *want_err)
{
    struct pair *v;
    size_t n;
    long total = 7, pages = 7;
    char err[128];

    assert_int_equal(map_member(body, key, &v, &n, &total, &pages, err, sizeof err),
                     CRM_ERR_PROTOCOL);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_int_equal(n_cleared, n_mapped);
    assert_int_equal(total, 7);
    assert_int_equal(pages, 7);
    if (want_err)
        assert_string_equal(err, want_err);
    else
        assert_true(err[0] != '\0');
}

/* A whole answer: list found, mapped, meta read; each failure leaves
 * nothing and says why. map_pair sees ctx NULL, so the prefix is "". */
static void test_map_member(void **state)
{
    (void)state;
    static const char ok[] = "{\"pairs\":[{\"id\":5,\"name\":\"e\"}],"
                             "\"meta\":{\"total\":41,\"total_pages\":3}}";
    struct pair *v;
    size_t n;
    long total = 7, pages = 7;
    char err[128];

    assert_int_equal(map_member(ok, "pairs", &v, &n, &total, &pages, err, sizeof err), CRM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, 5);
    assert_string_equal(v[0].name, "e");
    assert_int_equal(total, 41);
    assert_int_equal(pages, 3);
    clear_pair(&v[0]);
    free(v);

    /* No meta wanted: NULL totals are fine. */
    assert_int_equal(map_member(ok, "pairs", &v, &n, NULL, NULL, err, sizeof err), CRM_OK);
    assert_int_equal(n, 1);
    clear_pair(&v[0]);
    free(v);

    member_refused(
        "{\"pairs\":[{\"id\":5,\"name\":\"e\"},{\"name\":\"f\"}],\"meta\":{\"total\":41}}", "pairs",
        "a pair in the answer has no valid id");
    assert_int_equal(n_cleared, 2);
    member_refused(ok, "other", "the answer has no \"other\" list");
    member_refused("[1,", "pairs", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_member),         cmocka_unit_test(test_found),
        cmocka_unit_test(test_root),           cmocka_unit_test(test_absent_and_wrong_kind),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_print_body),
        cmocka_unit_test(test_map_list),       cmocka_unit_test(test_map_list_refused),
        cmocka_unit_test(test_map_list_empty), cmocka_unit_test(test_map_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
