/* Unit tests of server/json.c: the strict parser, typed member access, exact
 * integers and the error envelope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "server/json.h"
#include "server/status.h"

struct parse_case {
    const char *name;
    const char *text;
    size_t len; /* 0: strlen(text) */
    int ok;
    const char *msg_prefix; /* for failures */
};

static const struct parse_case parse_cases[] = {
    {"empty", "", 0, 0, "A JSON body is required."},
    {"whitespace only", "  \n", 0, 0, "The body is not valid JSON"},
    {"object", "{}", 0, 1, NULL},
    {"object with trailing whitespace", "{\"a\":1} \r\n\t", 0, 1, NULL},
    {"scalar", "42", 0, 1, NULL},
    {"trailing garbage", "{} x", 0, 0, "The body has text after the JSON value"},
    {"two values", "{}{}", 0, 0, "The body has text after the JSON value"},
    {"trailing comma", "{\"a\":1,}", 0, 0, "The body is not valid JSON"},
    {"single quotes", "{'a':1}", 0, 0, "The body is not valid JSON"},
    {"unterminated", "{\"a\":\"x", 0, 0, "The body is not valid JSON"},
    {"raw control in string", "{\"a\":\"x\x01y\"}", 0, 0, "Strings must not contain raw control"},
    {"raw tab in string", "{\"a\":\"x\ty\"}", 0, 0, "Strings must not contain raw control"},
    {"escaped NUL", "{\"a\":\"x\\u0000y\"}", 0, 0, "Strings must not contain \\u0000."},
    {"escaped backslash then u0000 text", "{\"a\":\"x\\\\u0000\"}", 0, 1, NULL},
    {"escaped control is fine", "{\"a\":\"\\u001b[2J\"}", 0, 1, NULL},
    {"\\u with non-hex digits", "{\"a\":\"x\\uzzzzy\"}", 0, 0, "A string holds an invalid escape"},
    {"\\u cut short", "{\"a\":\"x\\u12\"}", 0, 0, "A string holds an invalid escape"},
    {"unknown escape", "{\"a\":\"x\\qy\"}", 0, 0, "A string holds an invalid escape"},
    {"every defined escape", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"}", 0, 1, NULL},
    {"invalid UTF-8", "{\"a\":\"\xc3\x28\"}", 0, 0, "The body is not valid UTF-8."},
    {"overlong UTF-8", "{\"a\":\"\xc0\xaf\"}", 0, 0, "The body is not valid UTF-8."},
    {"UTF-8 surrogate", "{\"a\":\"\xed\xa0\x80\"}", 0, 0, "The body is not valid UTF-8."},
    {"valid 4-byte UTF-8", "{\"a\":\"\xf0\x9f\x98\x80\"}", 0, 1, NULL},
    {"lone escaped surrogate", "{\"a\":\"\\ud800\"}", 0, 0, "The body is not valid JSON"},
    {"NUL byte after the value", "{}\0{}", 4, 0, "The body contains a NUL byte."},
    {"brackets inside strings do not nest", "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}", 0,
     1, NULL},
};

static void test_parse_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *c = &parse_cases[i];
        cJSON *root = (cJSON *)1;
        char err[256] = "";
        int rc =
            json_parse_strict(c->text, c->len ? c->len : strlen(c->text), &root, err, sizeof err);
        if (c->ok) {
            if (rc != 0)
                fail_msg("%s: refused: %s", c->name, err);
            assert_non_null(root);
            cJSON_Delete(root);
        } else {
            if (rc != -1)
                fail_msg("%s: accepted", c->name);
            assert_null(root);
            if (strncmp(err, c->msg_prefix, strlen(c->msg_prefix)) != 0)
                fail_msg("%s: message \"%s\"", c->name, err);
        }
    }
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 1);
    int i;

    for (i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth * 2 - 1 - i] = ']';
    }
    s[depth * 2] = '\0';
    return s;
}

static void test_depth_bound(void **state)
{
    char err[128];
    cJSON *root = NULL;
    char *ok = nested(JSON_MAX_DEPTH), *deep = nested(JSON_MAX_DEPTH + 1), *huge = nested(200000);

    (void)state;
    assert_int_equal(json_parse_strict(ok, strlen(ok), &root, err, sizeof err), 0);
    cJSON_Delete(root);
    assert_int_equal(json_parse_strict(deep, strlen(deep), &root, err, sizeof err), -1);
    assert_string_equal(err, "The body is nested deeper than 32 levels.");
    assert_int_equal(json_parse_strict(huge, strlen(huge), &root, err, sizeof err), -1);
    free(ok);
    free(deep);
    free(huge);
}

static void test_not_nul_terminated(void **state)
{
    /* The buffer holds more than len: only len bytes count. */
    const char buf[] = "{\"a\":1}garbage";
    cJSON *root = NULL;
    char err[128];

    (void)state;
    assert_int_equal(json_parse_strict(buf, 7, &root, err, sizeof err), 0);
    assert_int_equal(cJSON_GetObjectItem(root, "a")->valueint, 1);
    cJSON_Delete(root);
}

static void test_get_members(void **state)
{
    cJSON *o = cJSON_Parse("{\"s\":\"h\xc3\xa9llo\",\"n\":null,\"i\":42,\"f\":1.5,\"big\":1e300,"
                           "\"neg\":-3,\"b\":true,\"str_num\":\"7\"}");
    const char *s = NULL;
    int64_t v = 0;
    bool b = false;
    char err[128];

    (void)state;
    assert_int_equal(json_get_str(o, "s", 5, &s, err, sizeof err), JSON_GET_OK);
    assert_string_equal(s, "h\xc3\xa9llo");
    assert_int_equal(json_get_str(o, "s", 4, &s, err, sizeof err), JSON_GET_BAD);
    assert_string_equal(err, "s is longer than 4 characters.");
    assert_int_equal(json_get_str(o, "missing", 5, &s, err, sizeof err), JSON_GET_ABSENT);
    assert_int_equal(json_get_str(o, "n", 5, &s, err, sizeof err), JSON_GET_NULL);
    assert_int_equal(json_get_str(o, "i", 5, &s, err, sizeof err), JSON_GET_BAD);
    assert_string_equal(err, "i must be a string.");
    assert_int_equal(json_get_str(o, "S", 5, &s, err, sizeof err), JSON_GET_ABSENT);

    assert_int_equal(json_get_int(o, "i", 0, 100, &v, err, sizeof err), JSON_GET_OK);
    assert_int_equal(v, 42);
    assert_int_equal(json_get_int(o, "i", 0, 10, &v, err, sizeof err), JSON_GET_BAD);
    assert_string_equal(err, "i must be between 0 and 10.");
    assert_int_equal(json_get_int(o, "f", 0, 10, &v, err, sizeof err), JSON_GET_BAD);
    assert_int_equal(json_get_int(o, "big", 0, INT64_MAX, &v, err, sizeof err), JSON_GET_BAD);
    assert_int_equal(json_get_int(o, "neg", -5, 5, &v, err, sizeof err), JSON_GET_OK);
    assert_int_equal(v, -3);
    assert_int_equal(json_get_int(o, "str_num", 0, 10, &v, err, sizeof err), JSON_GET_BAD);

    assert_int_equal(json_get_bool(o, "b", &b, err, sizeof err), JSON_GET_OK);
    assert_true(b);
    assert_int_equal(json_get_bool(o, "i", &b, err, sizeof err), JSON_GET_BAD);
    assert_string_equal(err, "i must be true or false.");
    cJSON_Delete(o);
}

static void test_id_values(void **state)
{
    static const struct {
        const char *json;
        bool ok;
        int64_t want;
    } cases[] = {
        {"5005390567", true, 5005390567LL},
        {"\"5005390567\"", true, 5005390567LL},
        {"9007199254740991", true, 9007199254740991LL},
        {"9007199254740993", false, 0},
        {"0", false, 0},
        {"-1", false, 0},
        {"1.5", false, 0},
        {"\"\"", false, 0},
        {"\"12a\"", false, 0},
        {"\"+1\"", false, 0},
        {"\"99999999999999999\"", false, 0},
        {"true", false, 0},
        {"null", false, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *it = cJSON_Parse(cases[i].json);
        int64_t v = 0;
        bool ok = json_id_value(it, &v);
        if (ok != cases[i].ok)
            fail_msg("%s: %s", cases[i].json, ok ? "accepted" : "refused");
        if (ok)
            assert_int_equal(v, cases[i].want);
        cJSON_Delete(it);
    }
}

static void test_int64_exact(void **state)
{
    cJSON *o = cJSON_CreateObject();
    char *text;

    (void)state;
    json_add_int64(o, "id", INT64_MAX);
    json_add_int64(o, "neg", -70000000001LL);
    json_add_str(o, "none", NULL);
    json_add_time(o, "at", 1796032800);
    json_add_time(o, "never", 0);
    text = cJSON_PrintUnformatted(o);
    assert_string_equal(text, "{\"id\":9223372036854775807,\"neg\":-70000000001,\"none\":null,"
                              "\"at\":\"2026-11-30T10:00:00Z\",\"never\":null}");
    free(text);
    cJSON_Delete(o);
}

static void test_error_envelope(void **state)
{
    struct srv_resp rs = {0};

    (void)state;
    json_error(&rs, SRV_FORBIDDEN, NULL);
    assert_int_equal(rs.status, 403);
    assert_string_equal(rs.body, "{\"errors\":{\"code\":403,\"message\":[\"You are not authorised "
                                 "to perform this operation.\"]}}");
    assert_int_equal(rs.len, strlen(rs.body));
    json_errorf(&rs, SRV_BAD_REQUEST, "%s \"quoted\"", "page");
    assert_string_equal(rs.body,
                        "{\"errors\":{\"code\":400,\"message\":[\"page \\\"quoted\\\"\"]}}");
    json_reply_text(&rs, SRV_OK, "true");
    assert_string_equal(rs.body, "true");
    assert_int_equal(rs.status, 200);
    json_resp_clear(&rs);
    assert_null(rs.body);
    assert_string_equal(srv_status_message(999), "The server answered with an unexpected status.");
}

static void test_stored(void **state)
{
    cJSON *v;

    (void)state;
    v = json_stored("{\"cf_a\":1}", cJSON_Object);
    assert_true(cJSON_IsObject(v) && cJSON_GetArraySize(v) == 1);
    cJSON_Delete(v);
    v = json_stored("[1,2]", cJSON_Object);
    assert_true(cJSON_IsObject(v) && cJSON_GetArraySize(v) == 0);
    cJSON_Delete(v);
    v = json_stored("not json", cJSON_Array);
    assert_true(cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0);
    cJSON_Delete(v);
    v = json_stored(NULL, cJSON_Array);
    assert_true(cJSON_IsArray(v));
    cJSON_Delete(v);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(json_utf8_valid("", 0));
    assert_true(json_utf8_valid("\xe2\x82\xac", 3));
    assert_false(json_utf8_valid("\xe2\x82", 2));
    assert_false(json_utf8_valid("\xf5\x80\x80\x80", 4));
    assert_false(json_utf8_valid("\xff", 1));
    assert_int_equal(json_utf8_chars("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_depth_bound),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_get_members),
        cmocka_unit_test(test_id_values),
        cmocka_unit_test(test_int64_exact),
        cmocka_unit_test(test_error_envelope),
        cmocka_unit_test(test_stored),
        cmocka_unit_test(test_utf8),
    };
    json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
