/* Unit tests of core/actions_json.c: the erasure preview, the newest audit
 * entry of an action, a timeline page's count, the unsubscribe body; strict
 * about malformed and wrongly typed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/actions_json.h"

static enum crm_status preview(const char *body, struct forget_preview *p)
{
    char err[160];
    return actions_json_forget_preview(body, strlen(body), p, err, sizeof err);
}

static void test_preview(void **state)
{
    (void)state;
    struct forget_preview p;
    const char *body = "{\"preview\":{\"erase\":{\"activities\":12,\"notes\":1,\"calls\":2,"
                       "\"recordings\":1,\"chats\":0,\"emails\":3,\"subscriptions\":2},"
                       "\"keep\":{\"company\":{\"id\":7,\"name\":\"Acme\\u001b[31m Ltd\"},"
                       "\"deals\":4}}}";
    assert_int_equal(preview(body, &p), CRM_OK);
    assert_int_equal(p.erase[FORGET_ACTIVITIES], 12);
    assert_int_equal(p.erase[FORGET_NOTES], 1);
    assert_int_equal(p.erase[FORGET_CALLS], 2);
    assert_int_equal(p.erase[FORGET_RECORDINGS], 1);
    assert_int_equal(p.erase[FORGET_CHATS], 0);
    assert_int_equal(p.erase[FORGET_EMAILS], 3);
    assert_int_equal(p.erase[FORGET_SUBSCRIPTIONS], 2);
    assert_true(p.keeps_company);
    assert_int_equal(p.company_id, 7);
    assert_null(strchr(p.company_name, 0x1b)); /* sanitized */
    assert_non_null(strstr(p.company_name, "Acme"));
    assert_int_equal(p.deals_kept, 4);

    /* no company, counts missing: -1, not 0 */
    assert_int_equal(preview("{\"preview\":{\"erase\":{\"activities\":0},"
                             "\"keep\":{\"company\":null,\"deals\":0}}}",
                             &p),
                     CRM_OK);
    assert_false(p.keeps_company);
    assert_int_equal(p.erase[FORGET_ACTIVITIES], 0);
    assert_int_equal(p.erase[FORGET_NOTES], -1);

    /* wrong shapes and values are refused */
    static const char *const bad[] = {
        "",
        "{",
        "[]",
        "{\"preview\":[]}",
        "{\"preview\":{}}",
        "{\"preview\":{\"erase\":[1,2]}}",
        "{\"preview\":{\"erase\":{\"activities\":-3}}}",
        "{\"preview\":{\"erase\":{\"activities\":\"many\"}}}",
        "{\"preview\":{\"erase\":{\"activities\":1.5}}}",
        "{\"preview\":{\"erase\":{}}} trailing",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(preview(bad[i], &p), CRM_ERR_PROTOCOL);
}

static void test_audit_newest(void **state)
{
    (void)state;
    char err[160];
    struct audit_entry e;
    bool found;
    const char *body =
        "{\"audit\":[{\"id\":3,\"at\":\"2026-11-02T10:00:00Z\",\"actor_user_id\":1,"
        "\"action\":\"contact.forget\",\"subject_ref\":\"abc\",\"counts\":{\"activities\":2}},"
        "{\"id\":9,\"at\":\"2026-11-03T10:00:00Z\",\"actor_user_id\":null,"
        "\"action\":\"user.delete\",\"subject_ref\":\"zzz\",\"counts\":{}},"
        "{\"id\":5,\"at\":\"2026-11-02T11:00:00Z\",\"actor_user_id\":1,"
        "\"action\":\"contact.forget\",\"subject_ref\":\"def\","
        "\"counts\":{\"activities\":6,\"notes\":1,\"Bad Key\":3,\"text\":\"x\"}}]}";
    assert_int_equal(actions_json_audit_newest(body, strlen(body), "contact.forget", &e, &found,
                                               err, sizeof err),
                     CRM_OK);
    assert_true(found);
    assert_int_equal(e.id, 5);
    assert_string_equal(e.subject_ref, "def");
    assert_string_equal(e.at, "2026-11-02T11:00:00Z");
    assert_int_equal(e.actor_user_id, 1);
    assert_string_equal(e.counts, "activities 6, notes 1");

    assert_int_equal(actions_json_audit_newest(body, strlen(body), "account.cancel", &e, &found,
                                               err, sizeof err),
                     CRM_OK);
    assert_false(found);
    const char *empty = "{\"audit\":[]}";
    assert_int_equal(actions_json_audit_newest(empty, strlen(empty), "contact.forget", &e, &found,
                                               err, sizeof err),
                     CRM_OK);
    assert_false(found);
    const char *notlist = "{\"audit\":{}}";
    assert_int_equal(actions_json_audit_newest(notlist, strlen(notlist), "contact.forget", &e,
                                               &found, err, sizeof err),
                     CRM_ERR_PROTOCOL);
    assert_true(strlen(err) > 0);
}

static void test_page_count(void **state)
{
    (void)state;
    char err[160];
    size_t n;
    long pages;
    const char *body = "{\"activities\":[{},{},{}],\"meta\":{\"total\":203,\"total_pages\":3}}";
    assert_int_equal(actions_json_page_count(body, strlen(body), &n, &pages, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(pages, 3);
    const char *nometa = "{\"activities\":[]}";
    assert_int_equal(actions_json_page_count(nometa, strlen(nometa), &n, &pages, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(pages, -1);
    const char *bad = "{\"activities\":\"none\"}";
    assert_int_equal(actions_json_page_count(bad, strlen(bad), &n, &pages, err, sizeof err),
                     CRM_ERR_PROTOCOL);
}

static void test_unsubscribe_body(void **state)
{
    (void)state;
    size_t len;
    char *b = actions_json_unsubscribe_body(&len);
    assert_int_equal(len, strlen(b));
    assert_string_equal(b, "{\"contact\":{\"do_not_disturb\":true,\"subscription_status\":0,"
                           "\"subscription_types\":[]}}");
    free(b);
}

static void test_words(void **state)
{
    (void)state;
    assert_string_equal(actions_json_erase_key(FORGET_RECORDINGS), "recordings");
    assert_string_equal(actions_json_erase_words(FORGET_ACTIVITIES), "timeline entries");
    assert_string_equal(actions_json_erase_key(FORGET_COUNT), "");
    assert_string_equal(actions_json_erase_words((enum forget_count) - 1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_preview),    cmocka_unit_test(test_audit_newest),
        cmocka_unit_test(test_page_count), cmocka_unit_test(test_unsubscribe_body),
        cmocka_unit_test(test_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
