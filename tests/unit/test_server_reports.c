/* CSV cells of report exports: RFC 4180 quoting and the guard against cells
 * a spreadsheet would run as formulas, table-driven, degenerate cases first;
 * and cells cut by a small buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/handlers_reports.h"

static void test_cells(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"plain", "plain"},
        {"42", "42"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rhere", "\"cr\rhere\""},
        {"=1+1", "'=1+1"},
        {"+1", "'+1"},
        {"-1", "'-1"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tx", "'\tx"},
        {"\rx", "\"'\rx\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"a=b", "a=b"},
        {"Zoë", "Zoë"},
    };
    char out[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        out[0] = '\0';
        size_t need = handlers_reports_csv_cell(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(need, strlen(cases[i].out));
    }
}

static void test_appends(void **state)
{
    char out[32] = "a,";

    (void)state;
    assert_int_equal(handlers_reports_csv_cell("b,c", out, sizeof out), 5);
    assert_string_equal(out, "a,\"b,c\"");
}

static void test_small_buffer(void **state)
{
    char out[6] = "";
    size_t need;

    (void)state;
    need = handlers_reports_csv_cell("=abcdefgh", out, sizeof out);
    assert_int_equal(need, 10);
    assert_int_equal(strlen(out), 5); /* cut, still terminated */
    assert_memory_equal(out, "'=abc", 5);
    out[0] = '\0';
    need = handlers_reports_csv_cell("abcde", out, sizeof out);
    assert_int_equal(need, 5);
    assert_string_equal(out, "abcde"); /* exactly fits */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
