/* Unit tests of the theme parser, colour downgrading, and the shipped themes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/theme.h"

struct parse_case {
    const char *text;
    int rc;
    const char *err_has;
};

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"", 0, NULL},
        {"\n\n   \n# only a comment\n", 0, NULL},
        {"colour default red blue\n", -1, "t:1: expected"},
        {"color\n", -1, "t:1: expected"},
        {"color default red\n", -1, "t:1: expected"},
        {"\ncolor nosuch red blue\n", -1, "t:2: unknown element \"nosuch\""},
        {"color default purple blue\n", -1, "t:1: unknown colour \"purple\""},
        {"color default red mauve\n", -1, "t:1: unknown colour \"mauve\""},
        {"color default 256 blue\n", -1, "unknown colour \"256\""},
        {"color default -2 blue\n", -1, "unknown colour"},
        {"color default color300 blue\n", -1, "unknown colour"},
        {"color default red blue sparkly\n", -1, "t:1: unknown attribute \"sparkly\""},
        {"color default red blue bold bold bold bold bold bold bold bold\n", -1, "expected"},
        {"color default red blue # a comment\r\n", 0, NULL},
        {"  color   list-selected  bright-white 25 bold underline  \n", 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct theme t;
        char err[200] = "";
        int rc = theme_parse(cases[i].text, strlen(cases[i].text), "t", &t, err, sizeof(err));
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d (%s)", i, rc, err);
        if (cases[i].err_has && !strstr(err, cases[i].err_has))
            fail_msg("case %zu: error \"%s\" lacks \"%s\"", i, err, cases[i].err_has);
    }
}

static void test_parse_nul_and_long_lines(void **state)
{
    (void)state;
    struct theme t;
    char err[200];
    static const char with_nul[] = "color default red blue\0junk\n";
    assert_int_equal(theme_parse(with_nul, sizeof(with_nul) - 1, "t", &t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "NUL"));
    char *long_line = malloc(2000);
    memset(long_line, 'x', 1999);
    long_line[1999] = '\0';
    assert_int_equal(theme_parse(long_line, 1999, "t", &t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "too long"));
    free(long_line);
}

static void test_parse_values(void **state)
{
    (void)state;
    static const char text[] = "color default default black\n"
                               "color list-selected bright-white color25 bold reverse\n"
                               "color header 214 brightblue\n"
                               "color header grey 7 underline # later line wins\n";
    struct theme t;
    char err[200];
    assert_int_equal(theme_parse(text, sizeof(text) - 1, "x", &t, err, sizeof(err)), 0);
    assert_string_equal(t.name, "x");
    assert_true(t.c[UIC_DEFAULT].set);
    assert_int_equal(t.c[UIC_DEFAULT].fg, -1);
    assert_int_equal(t.c[UIC_DEFAULT].bg, 0);
    assert_int_equal(t.c[UIC_LIST_SELECTED].fg, 15);
    assert_int_equal(t.c[UIC_LIST_SELECTED].bg, 25);
    assert_int_equal(t.c[UIC_LIST_SELECTED].attrs, A_BOLD | A_REVERSE);
    assert_int_equal(t.c[UIC_HEADER].fg, 8);
    assert_int_equal(t.c[UIC_HEADER].bg, 7);
    assert_int_equal(t.c[UIC_HEADER].attrs, A_UNDERLINE);
    /* an element not named keeps its monochrome look */
    assert_false(t.c[UIC_STATUS].set);
    assert_int_equal(t.c[UIC_STATUS].attrs, colors_mono(UIC_STATUS));
}

static void test_parse_color(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc, v;
    } cases[] = {
        {"", -1, 0},
        {"default", 0, -1},
        {"DEFAULT", 0, -1},
        {"black", 0, 0},
        {"white", 0, 7},
        {"bright-black", 0, 8},
        {"brightwhite", 0, 15},
        {"grey", 0, 8},
        {"0", 0, 0},
        {"255", 0, 255},
        {"color17", 0, 17},
        {"256", -1, 0},
        {"12a", -1, 0},
        {"color", -1, 0},
        {"+5", -1, 0},
        {"99999999999999999999", -1, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        short v = -99;
        int rc = theme_parse_color(cases[i].s, &v);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": rc %d", cases[i].s, rc);
        if (rc == 0)
            assert_int_equal(v, cases[i].v);
    }
}

static void test_downgrade(void **state)
{
    (void)state;
    static const struct {
        int color, ncolors, want;
        bool bright;
    } cases[] = {
        {-1, 8, -1, false},   {-1, 256, -1, false}, {200, 256, 200, false}, {3, 8, 3, false},
        {11, 16, 11, false},  {11, 8, 3, true},     {196, 16, 9, false}, /* pure red of the cube:
                                                                            bright red */
        {196, 8, 1, true},    {16, 16, 0, false},                        /* cube black */
        {231, 16, 15, false},                                            /* cube white */
        {21, 16, 4, false},                                              /* cube blue */
        {244, 16, 8, false},                                             /* mid grey */
        {255, 8, 7, false}, /* light grey on 8: white */
        {231, 8, 7, true},  /* cube white on 8: white, bright */
        {25, 8, 4, false},  /* a dark blue stays blue */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool bright = !cases[i].bright;
        int got = theme_downgrade(cases[i].color, cases[i].ncolors, &bright);
        if (got != cases[i].want || bright != cases[i].bright)
            fail_msg("%d on %d colours: %d%s, want %d%s", cases[i].color, cases[i].ncolors, got,
                     bright ? " bright" : "", cases[i].want, cases[i].bright ? " bright" : "");
        assert_true(got < cases[i].ncolors);
    }
}

static void test_name_valid(void **state)
{
    (void)state;
    assert_false(theme_name_valid(""));
    assert_false(theme_name_valid("../etc/passwd"));
    assert_false(theme_name_valid("a/b"));
    assert_false(theme_name_valid(".hidden"));
    assert_false(theme_name_valid("sp ace"));
    assert_true(theme_name_valid("solarized-dark"));
    assert_true(theme_name_valid("colour_blind_safe2"));
}

/* The shipped themes parse, name every element, and the colour-blind-safe one
 * never tells the consent states apart by red against green. */
static void test_shipped_themes(void **state)
{
    (void)state;
    static const char *const names[] = {"default", "mono", "high-contrast", "solarized-dark",
                                        "colour-blind-safe"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct theme t;
        char err[300];
        if (theme_load(names[i], &t, err, sizeof(err)) != 0)
            fail_msg("%s", err);
        for (int e = 0; e < UIC_COUNT; e++)
            if (!t.c[e].set)
                fail_msg("theme %s leaves out element %s", names[i], colors_name((enum uic)e));
    }
    struct theme t;
    char err[300];
    assert_int_equal(theme_load("mono", &t, err, sizeof(err)), 0);
    for (int e = 0; e < UIC_COUNT; e++) {
        assert_int_equal(t.c[e].fg, -1);
        assert_int_equal(t.c[e].bg, -1);
    }
    assert_int_equal(theme_load("colour-blind-safe", &t, err, sizeof(err)), 0);
    for (int ncolors = 8; ncolors <= 256; ncolors *= 2) {
        int g = theme_downgrade(t.c[UIC_CONSENT_GRANTED].fg, ncolors, NULL) % 8;
        int w = theme_downgrade(t.c[UIC_CONSENT_WITHDRAWN].fg, ncolors, NULL) % 8;
        if (ncolors < 256) {
            assert_false(g == 2 && w == 1); /* green against red */
            assert_false(g == 1 && w == 2);
        }
        assert_int_not_equal(t.c[UIC_CONSENT_GRANTED].attrs, t.c[UIC_CONSENT_WITHDRAWN].attrs);
    }
    assert_int_equal(theme_load("no-such-theme", &t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no theme \"no-such-theme\""));
    assert_int_equal(theme_load("../themes/default", &t, err, sizeof(err)), -1);

    char list[512];
    assert_true(theme_list(list, sizeof(list)) >= 5);
    assert_non_null(strstr(list, "colour-blind-safe"));
    assert_non_null(strstr(list, "solarized-dark"));
}

static void test_color_names(void **state)
{
    (void)state;
    for (int e = 0; e < UIC_COUNT; e++)
        assert_int_equal(colors_by_name(colors_name((enum uic)e)), e);
    assert_int_equal(colors_by_name("nope"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),   cmocka_unit_test(test_parse_nul_and_long_lines),
        cmocka_unit_test(test_parse_values),   cmocka_unit_test(test_parse_color),
        cmocka_unit_test(test_downgrade),      cmocka_unit_test(test_name_valid),
        cmocka_unit_test(test_shipped_themes), cmocka_unit_test(test_color_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
