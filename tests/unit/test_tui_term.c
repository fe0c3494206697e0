/* Unit tests of the terminal set-up rules that need no terminal: ESCDELAY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/term.h"

static void test_escdelay(void **state)
{
    (void)state;
    /* not set anywhere: 25 ms */
    assert_int_equal(term_escdelay(NULL, -1), 25);
    assert_int_equal(term_escdelay("", -1), 25);
    /* the config's escdelay */
    assert_int_equal(term_escdelay(NULL, 0), 0);
    assert_int_equal(term_escdelay(NULL, 300), 300);
    /* the user's ESCDELAY wins: left to curses, which reads it */
    assert_int_equal(term_escdelay("100", -1), -1);
    assert_int_equal(term_escdelay("100", 300), -1);
}

static void test_not_active_without_start(void **state)
{
    (void)state;
    assert_false(term_active());
    term_stop(); /* harmless when never started */
    assert_false(term_active());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escdelay),
        cmocka_unit_test(test_not_active_without_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
