/* Unit tests of the layout arithmetic: pane rectangles and list scrolling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/layout.h"

static int rect_area(struct rect r)
{
    return r.h * r.w;
}

static int rect_contains(struct rect r, int y, int x)
{
    return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

/* Every cell of the terminal belongs to exactly one rect. */
static void assert_tiles(const struct layout *l)
{
    const struct rect all[] = {
        l->header, l->status, l->pane[PANE_LIST], l->pane[PANE_DETAIL], l->pane[PANE_TIMELINE],
        l->vsep};
    int total = 0;
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        total += rect_area(all[i]);
        if (rect_area(all[i])) {
            assert_true(all[i].y >= 0 && all[i].x >= 0);
            assert_true(all[i].y + all[i].h <= l->rows);
            assert_true(all[i].x + all[i].w <= l->cols);
        }
    }
    assert_int_equal(total, l->rows * l->cols);
    for (int y = 0; y < l->rows; y++) {
        for (int x = 0; x < l->cols; x++) {
            int owners = 0;
            for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
                owners += rect_contains(all[i], y, x);
            assert_int_equal(owners, 1);
        }
    }
}

static void test_degenerate_sizes(void **state)
{
    (void)state;
    static const int sizes[][2] = {{0, 0}, {-5, -5}, {39, 30}, {100, 9}, {30, 8}, {1, 1}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct layout l;
        layout_compute(sizes[i][0], sizes[i][1], PANE_LIST, &l);
        assert_true(l.too_small);
        for (int p = 0; p < PANE_COUNT; p++)
            assert_int_equal(rect_area(l.pane[p]), 0);
        assert_int_equal(rect_area(l.header), 0);
        assert_int_equal(layout_pane_rows(&l, PANE_LIST), 0);
    }
}

static void test_minimum_size_fits(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, PANE_LIST, &l);
    assert_false(l.too_small);
    assert_true(l.one_pane);
    assert_tiles(&l);
    assert_int_equal(layout_pane_rows(&l, PANE_LIST), LAYOUT_MIN_ROWS - 3);
}

static void test_one_pane_below_100(void **state)
{
    (void)state;
    static const int sizes[][2] = {{80, 24}, {99, 30}, {60, 20}, {40, 10}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        for (int f = 0; f < PANE_COUNT; f++) {
            struct layout l;
            layout_compute(sizes[i][0], sizes[i][1], (enum pane)f, &l);
            assert_false(l.too_small);
            assert_true(l.one_pane);
            for (int p = 0; p < PANE_COUNT; p++) {
                if (p == f) {
                    assert_int_equal(l.pane[p].w, sizes[i][0]);
                    assert_int_equal(l.pane[p].h, sizes[i][1] - 2);
                    assert_int_equal(l.pane[p].y, 1);
                } else {
                    assert_int_equal(rect_area(l.pane[p]), 0);
                }
            }
            assert_int_equal(rect_area(l.vsep), 0);
            assert_tiles(&l);
        }
    }
}

static void test_three_panes_from_100(void **state)
{
    (void)state;
    static const int sizes[][2] = {{100, 30}, {100, 10}, {132, 43}, {250, 80}, {1000, 12}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct layout l;
        layout_compute(sizes[i][0], sizes[i][1], PANE_TIMELINE, &l);
        assert_false(l.too_small);
        assert_false(l.one_pane);
        assert_tiles(&l);
        /* list left, full body height; detail above timeline on the right */
        assert_int_equal(l.pane[PANE_LIST].x, 0);
        assert_int_equal(l.pane[PANE_LIST].h, sizes[i][1] - 2);
        assert_int_equal(l.vsep.x, l.pane[PANE_LIST].w);
        assert_int_equal(l.pane[PANE_DETAIL].x, l.vsep.x + 1);
        assert_int_equal(l.pane[PANE_TIMELINE].x, l.pane[PANE_DETAIL].x);
        assert_int_equal(l.pane[PANE_TIMELINE].y, l.pane[PANE_DETAIL].y + l.pane[PANE_DETAIL].h);
        assert_true(l.pane[PANE_LIST].w >= 32);
        assert_true(l.pane[PANE_DETAIL].w >= 35);
        assert_true(layout_pane_rows(&l, PANE_DETAIL) >= 2);
        assert_true(layout_pane_rows(&l, PANE_TIMELINE) >= 2);
    }
}

static void test_100x30_exact(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(100, 30, PANE_LIST, &l);
    assert_int_equal(l.pane[PANE_LIST].w, 40);
    assert_int_equal(l.pane[PANE_DETAIL].w, 59);
    assert_int_equal(l.pane[PANE_DETAIL].h, 15);
    assert_int_equal(l.pane[PANE_TIMELINE].h, 13);
    assert_int_equal(layout_pane_rows(&l, PANE_LIST), 27);
    assert_int_equal(l.status.y, 29);
}

static void test_bad_focus_falls_back(void **state)
{
    (void)state;
    struct layout l;
    layout_compute(80, 24, (enum pane)42, &l);
    assert_int_equal(l.pane[PANE_LIST].w, 80);
}

struct scroll_case {
    long top, sel;
    int h;
    long total;
    long want;
};

static void test_scroll_top(void **state)
{
    (void)state;
    static const struct scroll_case cases[] = {
        {0, 0, 0, 10, 0},              /* no rows shown */
        {0, 0, 10, 0, 0},              /* empty list */
        {5, 0, 10, 3, 0},              /* short list: always from 0 */
        {0, 9, 10, 100, 0},            /* last visible row: no move */
        {0, 10, 10, 100, 1},           /* one below: scroll by one */
        {50, 49, 10, 100, 49},         /* one above: scroll by one */
        {0, 99999, 27, 100000, 99973}, /* the end of 100,000 */
        {99973, 0, 27, 100000, 0},     /* back to the start */
        {95, 96, 10, 100, 90},         /* never past the end */
        {0, 500, 10, 100, 90},         /* sel past the end is clamped */
        {3, -4, 10, 100, 0},           /* sel before the start is clamped */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct scroll_case *c = &cases[i];
        assert_int_equal(layout_scroll_top(c->top, c->sel, c->h, c->total), c->want);
    }
}

struct page_case {
    long sel, top, delta;
    int h;
    long total;
    long want_sel, want_top;
};

static void test_page(void **state)
{
    (void)state;
    static const struct page_case cases[] = {
        {0, 0, 10, 10, 0, 0, 0},       /* empty list */
        {0, 0, 10, 10, 5, 4, 0},       /* short list: to the last row */
        {3, 0, 10, 10, 100, 13, 10},   /* keeps the row's place in the window */
        {95, 90, 10, 10, 100, 99, 90}, /* clamped at the end */
        {5, 2, -10, 10, 100, 0, 0},    /* clamped at the start */
        {50, 45, -10, 10, 100, 40, 35}, {0, 0, 99999, 27, 100000, 99999, 99973},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct page_case *c = &cases[i];
        long sel = c->sel, top = c->top;
        layout_page(&sel, &top, c->delta, c->h, c->total);
        assert_int_equal(sel, c->want_sel);
        assert_int_equal(top, c->want_top);
    }
}

static void test_list_columns(void **state)
{
    (void)state;
    for (int w = 0; w <= 300; w++) {
        struct list_columns c;
        layout_list_columns(w, &c);
        if (w < 2) {
            assert_int_equal(c.name, 0);
            continue;
        }
        assert_int_equal(c.x_name, 1); /* column 0 is the selection marker */
        assert_true(c.name > 0);
        /* the columns are in order, apart, and inside the row */
        int end = c.x_name + c.name;
        if (c.email) {
            assert_true(c.x_email > end);
            end = c.x_email + c.email;
        }
        if (c.company) {
            assert_true(c.email > 0);
            assert_true(c.x_company > end);
            end = c.x_company + c.company;
        }
        if (c.marks) {
            assert_int_equal(c.marks, LAYOUT_MARKS_W);
            assert_true(c.x_marks > end);
            end = c.x_marks + c.marks;
            assert_true(end < w); /* the last column stays blank */
        }
        assert_true(end <= w);
    }
    struct list_columns c;
    layout_list_columns(40, &c); /* the three-pane list at 100 columns */
    assert_int_equal(c.email, 0);
    assert_int_equal(c.name, 30);
    layout_list_columns(80, &c); /* one pane at 80 columns: all of it */
    assert_true(c.email >= 20 && c.company >= 15 && c.name >= 20);
    assert_int_equal(c.x_marks + c.marks, 79); /* all of it but the edge */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_degenerate_sizes),   cmocka_unit_test(test_minimum_size_fits),
        cmocka_unit_test(test_one_pane_below_100), cmocka_unit_test(test_three_panes_from_100),
        cmocka_unit_test(test_100x30_exact),       cmocka_unit_test(test_bad_focus_falls_back),
        cmocka_unit_test(test_scroll_top),         cmocka_unit_test(test_page),
        cmocka_unit_test(test_list_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
