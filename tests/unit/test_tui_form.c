/* Unit tests of the form widget: typing, moving between fields, limits,
 * checkboxes, validation at the field, submit and cancel; the email and
 * phone checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "tui/form.h"

static struct keymap *km;

static int setup(void **state)
{
    (void)state;
    km = keymap_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    keymap_free(&km);
    return 0;
}

static void type(struct form *f, const char *s)
{
    while (*s) {
        /* one code point a key, as the terminal gives them */
        unsigned char c = (unsigned char)*s;
        int cp, n;
        if (c < 0x80) {
            cp = c;
            n = 1;
        } else if ((c & 0xE0) == 0xC0) {
            cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
            n = 2;
        } else {
            cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            n = 3;
        }
        assert_int_equal(form_feed(f, km, cp), FORM_EDITING);
        s += n;
    }
}

static void test_email_check(void **state)
{
    (void)state;
    static const char *const good[] = {"", "a@b.co", "ana.souza+news@example.com",
                                       "x@sub.example.org"};
    static const char *const bad[] = {"plain",          "@example.com",    "a@b",      "a@.com",
                                      "a@b.",           "a b@example.com", "a@@b.com", "a@b@c.com",
                                      "a@example..com", "<a@b.com>",       "a,b@c.com"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_null(form_check_email(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(form_check_email(bad[i]));
    char longer[300];
    memset(longer, 'a', sizeof longer);
    memcpy(longer + sizeof longer - 13, "@example.com", 13);
    assert_non_null(form_check_email(longer));
}

static void test_phone_check(void **state)
{
    (void)state;
    assert_null(form_check_phone("+55 11 4932-4681"));
    assert_null(form_check_phone("(030) 123.45 x12"));
    assert_non_null(form_check_phone("call me"));
    assert_non_null(form_check_phone("555;rm"));
}

static void test_typing_and_fields(void **state)
{
    (void)state;
    struct form *f = form_new("Edit");
    int first = form_add_text(f, "First name", "Ana", 0, NULL);
    int email = form_add_text(f, "Email", "ana@example.com", 0, form_check_email);
    int city = form_add_text(f, "City", NULL, 0, NULL);
    assert_int_equal(first, 0);
    assert_int_equal(email, 1);
    assert_int_equal(city, 2);
    assert_string_equal(form_text(f, email), "ana@example.com");
    assert_false(form_changed(f, first));
    assert_int_equal(form_focus(f), 0);

    type(f, "-Lú");
    assert_string_equal(form_text(f, first), "Ana-Lú");
    assert_true(form_changed(f, first));

    assert_int_equal(form_feed(f, km, KEYMAP_TAB), FORM_EDITING);
    assert_int_equal(form_focus(f), email);
    assert_int_equal(form_feed(f, km, KEYMAP_FN(KEY_BTAB)), FORM_EDITING);
    assert_int_equal(form_focus(f), first);
    /* Shift-Tab from the first wraps to the last; Tab from the last to the first */
    form_feed(f, km, KEYMAP_FN(KEY_BTAB));
    assert_int_equal(form_focus(f), city);
    form_feed(f, km, KEYMAP_TAB);
    assert_int_equal(form_focus(f), first);

    /* editing keys of the prompt context: C-u kills the line */
    int cu;
    assert_int_equal(keymap_parse_key("<C-u>", &cu), 0);
    form_feed(f, km, cu);
    assert_string_equal(form_text(f, first), "");
    assert_true(form_changed(f, first));
    /* text out of range */
    assert_string_equal(form_text(f, 99), "");
    assert_string_equal(form_text(f, -1), "");
    form_free(&f);
    assert_null(f);
}

static void test_validation_at_the_field(void **state)
{
    (void)state;
    struct form *f = form_new("Edit");
    int name = form_add_text(f, "Name", "Ana", 0, NULL);
    int email = form_add_text(f, "Email", "", 0, form_check_email);
    form_feed(f, km, KEYMAP_TAB);
    type(f, "not an email");
    form_feed(f, km, KEYMAP_TAB); /* away from it: Enter still finds it */
    assert_int_equal(form_focus(f), name);
    assert_int_equal(form_feed(f, km, KEYMAP_ENTER), FORM_EDITING);
    assert_int_equal(form_focus(f), email); /* the focus goes to the field in error */
    assert_true(strlen(form_error(f, email)) > 0);
    assert_string_equal(form_error(f, name), "");
    /* typing clears the message; a valid address submits */
    int cu;
    keymap_parse_key("<C-u>", &cu);
    form_feed(f, km, cu);
    assert_string_equal(form_error(f, email), "");
    type(f, "ana@example.com");
    assert_int_equal(form_feed(f, km, KEYMAP_ENTER), FORM_SUBMIT);
    assert_string_equal(form_text(f, email), "ana@example.com");
    assert_int_equal(form_validate(f), 0);

    /* messages set by the caller, at a field or on the form's line */
    form_set_error(f, name, "a name or an email is required");
    assert_string_equal(form_error(f, name), "a name or an email is required");
    form_set_error(f, -1, "Not saved: conflict");
    assert_string_equal(form_error(f, -1), "Not saved: conflict");
    form_set_error(f, -1, NULL);
    assert_string_equal(form_error(f, -1), "");
    form_free(&f);
}

static void test_limits(void **state)
{
    (void)state;
    struct form *f = form_new("Limits");
    int zip = form_add_text(f, "Zip", "12345678901234567890123", 5, NULL);
    /* the first value is cut to the limit */
    assert_string_equal(form_text(f, zip), "12345");
    type(f, "6");
    assert_string_equal(form_text(f, zip), "12345");
    int bs;
    keymap_parse_key("<Backspace>", &bs);
    form_feed(f, km, bs);
    type(f, "é"); /* two bytes: no room after one was freed */
    assert_string_equal(form_text(f, zip), "1234");
    type(f, "x");
    assert_string_equal(form_text(f, zip), "1234x");
    assert_int_equal(form_feed(f, km, KEYMAP_ENTER), FORM_SUBMIT);
    form_free(&f);
}

static void test_checkbox(void **state)
{
    (void)state;
    struct form *f = form_new("Delete");
    int text = form_add_text(f, "Note", NULL, 0, NULL);
    int purge = form_add_check(f, "Erase call data now", false);
    assert_false(form_checked(f, purge));
    assert_false(form_checked(f, text));
    form_feed(f, km, KEYMAP_TAB);
    form_feed(f, km, ' ');
    assert_true(form_checked(f, purge));
    assert_true(form_changed(f, purge) == false); /* text of a checkbox is "" */
    form_feed(f, km, 'q');                        /* letters do not type into a checkbox */
    assert_string_equal(form_text(f, purge), "");
    form_feed(f, km, ' ');
    assert_false(form_checked(f, purge));
    form_free(&f);
}

static void test_cancel_and_busy(void **state)
{
    (void)state;
    struct form *f = form_new("Busy");
    int a = form_add_text(f, "A", "x", 0, NULL);
    form_set_busy(f, "Saving...");
    type(f, "yz"); /* ignored while busy */
    assert_string_equal(form_text(f, a), "x");
    assert_int_equal(form_feed(f, km, KEYMAP_ENTER), FORM_EDITING);
    assert_int_equal(form_feed(f, km, KEYMAP_ESC), FORM_CANCEL);
    form_set_busy(f, NULL);
    type(f, "y");
    assert_string_equal(form_text(f, a), "xy");
    assert_int_equal(form_feed(f, km, KEYMAP_ESC), FORM_CANCEL);
    /* control and bidi characters never enter the text; other scripts do */
    form_feed(f, km, 0x07);
    form_feed(f, km, 0x202E);
    assert_string_equal(form_text(f, a), "xy");
    form_feed(f, km, 0x4E2D);
    assert_string_equal(form_text(f, a), "xy\xe4\xb8\xad");
    form_free(&f);
    form_free(&f); /* NULL is fine */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_check),
        cmocka_unit_test(test_phone_check),
        cmocka_unit_test(test_typing_and_fields),
        cmocka_unit_test(test_validation_at_the_field),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_checkbox),
        cmocka_unit_test(test_cancel_and_busy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
