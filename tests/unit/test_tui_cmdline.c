/* Unit tests of the prompt line editor: editing over UTF-8, limits, history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/cmdline.h"

static void type(struct cmdline *cl, const char *s)
{
    while (*s) {
        size_t n = 1;
        while ((s[n] & 0xC0) == 0x80)
            n++;
        assert_int_equal(cmdline_insert(cl, s, n), 0);
        s += n;
    }
}

static void test_empty_line(void **state)
{
    (void)state;
    struct cmdline cl;
    cmdline_init(&cl);
    cmdline_start(&cl);
    assert_string_equal(cmdline_text(&cl), "");
    /* editing an empty line does nothing and breaks nothing */
    const enum action acts[] = {ACT_DELETE_BACK,  ACT_DELETE_CHAR, ACT_CURSOR_LEFT,
                                ACT_CURSOR_RIGHT, ACT_DELETE_WORD, ACT_KILL_LINE,
                                ACT_HISTORY_PREV, ACT_HISTORY_NEXT};
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
        assert_int_equal(cmdline_action(&cl, acts[i]), CMDLINE_EDITING);
    assert_string_equal(cmdline_text(&cl), "");
    assert_int_equal(cl.cur, 0);
    assert_int_equal(cmdline_action(&cl, ACT_ACCEPT), CMDLINE_ACCEPT);
    assert_int_equal(cmdline_action(&cl, ACT_CANCEL), CMDLINE_CANCEL);
    assert_int_equal(cmdline_action(&cl, ACT_MOVE_DOWN), CMDLINE_UNHANDLED);
    assert_int_equal(cmdline_insert(&cl, "x", 0), -1);
    cmdline_free(&cl);
}

static void test_editing_utf8(void **state)
{
    (void)state;
    struct cmdline cl;
    cmdline_init(&cl);
    cmdline_start(&cl);
    type(&cl, "Zoë 山田");
    assert_string_equal(cmdline_text(&cl), "Zoë 山田");
    cmdline_action(&cl, ACT_DELETE_BACK); /* 田, three bytes */
    assert_string_equal(cmdline_text(&cl), "Zoë 山");
    cmdline_action(&cl, ACT_CURSOR_HOME);
    cmdline_action(&cl, ACT_CURSOR_RIGHT);
    cmdline_action(&cl, ACT_CURSOR_RIGHT);
    cmdline_action(&cl, ACT_DELETE_CHAR); /* ë, two bytes */
    assert_string_equal(cmdline_text(&cl), "Zo 山");
    type(&cl, "é");
    assert_string_equal(cmdline_text(&cl), "Zoé 山");
    cmdline_action(&cl, ACT_CURSOR_END);
    cmdline_action(&cl, ACT_CURSOR_LEFT);
    assert_int_equal(cl.cur, strlen("Zoé "));
    cmdline_action(&cl, ACT_CURSOR_END);
    cmdline_action(&cl, ACT_DELETE_WORD);
    assert_string_equal(cmdline_text(&cl), "Zoé ");
    cmdline_action(&cl, ACT_DELETE_WORD);
    assert_string_equal(cmdline_text(&cl), "");
    type(&cl, "abc");
    cmdline_action(&cl, ACT_KILL_LINE);
    assert_string_equal(cmdline_text(&cl), "");
    cmdline_free(&cl);
}

static void test_full_line(void **state)
{
    (void)state;
    struct cmdline cl;
    cmdline_init(&cl);
    cmdline_start(&cl);
    size_t n = 0;
    while (cmdline_insert(&cl, "a", 1) == 0)
        n++;
    assert_int_equal(n, CMDLINE_MAX - 1);
    assert_int_equal(strlen(cmdline_text(&cl)), CMDLINE_MAX - 1);
    /* a multi-byte character that does not fit is refused whole */
    cmdline_action(&cl, ACT_DELETE_BACK);
    assert_int_equal(cmdline_insert(&cl, "山", 3), -1);
    assert_int_equal(strlen(cmdline_text(&cl)), CMDLINE_MAX - 2);
    cmdline_free(&cl);
}

static void test_history(void **state)
{
    (void)state;
    struct cmdline cl;
    cmdline_init(&cl);
    cmdline_remember(&cl, "");
    assert_int_equal(cl.n_history, 0);
    cmdline_remember(&cl, "theme mono");
    cmdline_remember(&cl, "theme mono"); /* repeats are kept once */
    cmdline_remember(&cl, "settings");
    assert_int_equal(cl.n_history, 2);

    cmdline_start(&cl);
    type(&cl, "hel");
    cmdline_action(&cl, ACT_HISTORY_PREV);
    assert_string_equal(cmdline_text(&cl), "settings");
    cmdline_action(&cl, ACT_HISTORY_PREV);
    assert_string_equal(cmdline_text(&cl), "theme mono");
    cmdline_action(&cl, ACT_HISTORY_PREV); /* stays at the oldest */
    assert_string_equal(cmdline_text(&cl), "theme mono");
    cmdline_action(&cl, ACT_HISTORY_NEXT);
    cmdline_action(&cl, ACT_HISTORY_NEXT); /* back to the line being typed */
    assert_string_equal(cmdline_text(&cl), "hel");
    cmdline_action(&cl, ACT_HISTORY_NEXT);
    assert_string_equal(cmdline_text(&cl), "hel");

    for (int i = 0; i < CMDLINE_HISTORY + 10; i++) {
        char line[16];
        snprintf(line, sizeof(line), "cmd %d", i);
        cmdline_remember(&cl, line);
    }
    assert_int_equal(cl.n_history, CMDLINE_HISTORY);
    assert_string_equal(cl.history[CMDLINE_HISTORY - 1], "cmd 59");
    assert_string_equal(cl.history[0], "cmd 10");
    cmdline_free(&cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_line),
        cmocka_unit_test(test_editing_utf8),
        cmocka_unit_test(test_full_line),
        cmocka_unit_test(test_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
