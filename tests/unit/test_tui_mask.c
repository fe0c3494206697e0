/* Unit tests for tui/mask.c: the masks of names, emails, phones, addresses,
 * masked mode on and off, and the timed reveal of one field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tui/mask.h"

static void fmt_is(enum mask_field f, const char *in, const char *want)
{
    char out[128];
    mask_format(f, in, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_formats(void **state)
{
    (void)state;
    fmt_is(MASK_NAME, "Ana Silva", "A** S****");
    fmt_is(MASK_NAME, "Zoë O'Neil", "Z** *'N***");
    fmt_is(MASK_EMAIL, "ana@example.com", "a***@e******.com");
    fmt_is(MASK_EMAIL, "brown.niamh.1@ipe-consulting.example.com",
           "b***@i*************.e******.com");
    fmt_is(MASK_EMAIL, "nodomain", "n*******");
    fmt_is(MASK_PHONE, "+55 11 9876-5412", "+55 ** ****-**12");
    fmt_is(MASK_PHONE, "020 7946 0018", "*** **** **18");
    fmt_is(MASK_ADDRESS, "12 Rua Augusta", "1* R** A******");
    fmt_is(MASK_ADDRESS, "5 Rue", "* R**");
    fmt_is(MASK_NAME, NULL, "");
    fmt_is(MASK_NAME, "敏 李", "* *");
    fmt_is(MASK_NAME, "J. Lee", "*. L**");
}

static void test_small_buffer(void **state)
{
    (void)state;
    char out[6];
    mask_format(MASK_NAME, "Ana Silva", out, sizeof out);
    assert_string_equal(out, "A** S");
    mask_format(MASK_NAME, "Ana", out, 0); /* no write at all */
}

static void test_show_and_reveal(void **state)
{
    (void)state;
    char buf[64];
    mask_set(false);
    assert_string_equal(mask_show(1, MASK_NAME, "Ana Silva", buf, sizeof buf), "Ana Silva");
    mask_set(true);
    assert_true(mask_enabled());
    assert_string_equal(mask_show(1, MASK_NAME, "Ana Silva", buf, sizeof buf), "A** S****");
    assert_null(mask_show(1, MASK_NAME, NULL, buf, sizeof buf));
    assert_int_equal(mask_reveal_left_ms(), -1);

    mask_reveal(1, MASK_EMAIL);
    assert_string_equal(mask_show(1, MASK_EMAIL, "ana@example.com", buf, sizeof buf),
                        "ana@example.com");
    /* only that field of that contact */
    assert_string_equal(mask_show(1, MASK_NAME, "Ana Silva", buf, sizeof buf), "A** S****");
    assert_string_equal(mask_show(2, MASK_EMAIL, "bo@example.com", buf, sizeof buf),
                        "b***@e******.com");
    long left = mask_reveal_left_ms();
    assert_true(left > 0 && left <= MASK_REVEAL_MS);
    assert_false(mask_reveal_ended());
    mask_set(false);
}

static void test_fields(void **state)
{
    (void)state;
    assert_string_equal(mask_field_name(MASK_NAME), "name");
    assert_string_equal(mask_field_name(MASK_ADDRESS), "address");
    assert_int_equal(mask_next_field(MASK_NAME), MASK_EMAIL);
    assert_int_equal(mask_next_field(MASK_ADDRESS), MASK_NAME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_show_and_reveal),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
