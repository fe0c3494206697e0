/* Unit tests of text layout for the panes: wrapping by display width, cuts at
 * character boundaries, fields with marks; no terminal needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sanitize.h"
#include "tui/draw.h"
#include "tui/textrows.h"

struct wrap_case {
    const char *in;
    int cols;
    const char *first; /* the first line */
    size_t next;       /* where the rest starts */
};

static void test_wrap(void **state)
{
    (void)state;
    static const struct wrap_case cases[] = {
        {"", 10, "", 0},
        {"short", 10, "short", 5},
        {"exactly10!", 10, "exactly10!", 10},
        {"two words here", 9, "two words", 10},    /* break at the space that fits */
        {"two words here", 3, "two", 4},           /* spaces at the break skipped */
        {"abcdefghijkl", 5, "abcde", 5},           /* no space: cut at the width */
        {"line one\nline two", 40, "line one", 9}, /* a newline ends a line */
        {"\nafter", 40, "", 1},
        {"山田太郎さん", 5, "山田", 6},                    /* double width: 2 columns each */
        {"山田太郎", 1, "山", 3},                          /* nothing fits: one character anyway */
        {"Zoe\xcc\x88 Cafe\xcc\x81", 4, "Zoe\xcc\x88", 6}, /* combining marks take 0 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t next = 999;
        size_t len = draw_wrap(cases[i].in, cases[i].cols, &next);
        if (len != strlen(cases[i].first) || memcmp(cases[i].in, cases[i].first, len) != 0 ||
            next != cases[i].next)
            fail_msg("case %zu: got \"%.*s\" next %zu", i, (int)len, cases[i].in, next);
    }
}

static void test_copy(void **state)
{
    (void)state;
    char buf[6];
    draw_copy(buf, sizeof(buf), NULL);
    assert_string_equal(buf, "");
    draw_copy(buf, sizeof(buf), "abc");
    assert_string_equal(buf, "abc");
    draw_copy(buf, sizeof(buf), "abcdefgh");
    assert_string_equal(buf, "abcde");
    /* 山 is three bytes: never cut in the middle */
    draw_copy(buf, sizeof(buf), "ab山田");
    assert_string_equal(buf, "ab山");
    draw_copy(buf, sizeof(buf), "abc山");
    assert_string_equal(buf, "abc");
    draw_copy(buf, 1, "abc");
    assert_string_equal(buf, "");
}

static void test_rows_wrap_and_fields(void **state)
{
    (void)state;
    struct trows r = {.width = 20};
    trows_wrap(&r, 1, NULL, UIC_DEFAULT);
    assert_int_equal(r.n, 1); /* an empty paragraph is one empty row */
    assert_int_equal(r.v[0].nseg, 0);
    trows_wrap(&r, 1, "first\nsecond row that wraps", UIC_DETAIL_VALUE);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.v[1].seg[0].text, "first");
    assert_string_equal(r.v[2].seg[0].text, "second row that");
    assert_string_equal(r.v[3].seg[0].text, "wraps");
    for (size_t i = 1; i < r.n; i++)
        assert_true(1 + sanitize_width(r.v[i].seg[0].text) <= r.width);
    trows_clear(&r);
    assert_int_equal(r.n, 0);
    assert_null(r.v);

    r.width = 40;
    trows_field(&r, 1, "Facebook", UIC_DETAIL_LABEL, 12, "fb.example/some.person", UIC_DETAIL_VALUE,
                "[enriched]", UIC_DETAIL_ENRICHED);
    assert_int_equal(r.n, 2); /* the value wraps short of the mark */
    assert_int_equal(r.v[0].nseg, 3);
    assert_string_equal(r.v[0].seg[0].text, "Facebook");
    assert_int_equal(r.v[0].seg[1].x, 12);
    assert_string_equal(r.v[0].seg[2].text, "[enriched]");
    /* segments are in column order and inside the width */
    int end = 0;
    for (int s = 0; s < r.v[0].nseg; s++) {
        assert_true(r.v[0].seg[s].x >= end);
        end = r.v[0].seg[s].x + sanitize_width(r.v[0].seg[s].text);
    }
    assert_true(end <= r.width);
    trows_clear(&r);
}

static void test_rows_are_clean(void **state)
{
    (void)state;
    /* whatever reaches a row leaves it as clean UTF-8, even cut mid-character */
    struct trows r = {.width = 80};
    struct trow *row = trows_add(&r);
    trows_seg(row, 0, "ab\xe5\xb1", 4, UIC_DEFAULT); /* 山 cut after two bytes */
    trows_seg(row, 10, "x\x1b]0;t\x07y", 8, UIC_DEFAULT);
    for (int s = 0; s < row->nseg; s++) {
        const char *t = row->seg[s].text;
        char *again = sanitize_str(t, strlen(t), 0);
        assert_string_equal(again, t); /* already sanitized */
        free(again);
        assert_null(strchr(t, '\x1b'));
        assert_null(strchr(t, '\x07'));
    }
    for (int k = 0; k < TROW_SEGS + 2; k++)
        trows_seg(row, 20 + k, "z", 1, UIC_DEFAULT);
    assert_int_equal(row->nseg, TROW_SEGS); /* extra segments are dropped */
    trows_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_rows_wrap_and_fields),
        cmocka_unit_test(test_rows_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
