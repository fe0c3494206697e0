/* Unit tests of the keymap: key names, default bindings from the action list,
 * config overrides and their errors, lookups across contexts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "tui/keymap.h"

struct key_case {
    const char *name;
    int rc; /* 0 parses, -1 refused */
    int key;
    const char *canonical; /* keymap_key_name of the key, NULL: same as name */
};

static void test_parse_key(void **state)
{
    (void)state;
    static const struct key_case cases[] = {
        {"", -1, 0, NULL},
        {"<>", -1, 0, NULL},
        {"<C->", -1, 0, NULL},
        {"nosuchkey", -1, 0, NULL},
        {"<F13>", -1, 0, NULL},
        {"<F0>", -1, 0, NULL},
        {"\x1b", -1, 0, NULL},     /* a raw control character is not a name */
        {"\xff", -1, 0, NULL},     /* invalid UTF-8 */
        {"\xc3", -1, 0, NULL},     /* truncated UTF-8 */
        {"\xc0\xaf", -1, 0, NULL}, /* overlong */
        {"<C-1>", -1, 0, NULL},
        {"j", 0, 'j', NULL},
        {"G", 0, 'G', NULL},
        {"?", 0, '?', NULL},
        {"<", 0, '<', NULL},
        {">", 0, '>', NULL},
        {"\xc3\xa9", 0, 0xe9, NULL}, /* é */
        {"<j>", 0, 'j', "j"},
        {"<Enter>", 0, KEYMAP_ENTER, NULL},
        {"Return", 0, KEYMAP_ENTER, "<Enter>"},
        {"<esc>", 0, KEYMAP_ESC, "<Esc>"},
        {"<Tab>", 0, KEYMAP_TAB, NULL},
        {"<Space>", 0, ' ', NULL},
        {"<Down>", 0, KEYMAP_FN(KEY_DOWN), NULL},
        {"PgDn", 0, KEYMAP_FN(KEY_NPAGE), "<PgDn>"},
        {"<PageUp>", 0, KEYMAP_FN(KEY_PPAGE), "<PgUp>"},
        {"<Home>", 0, KEYMAP_FN(KEY_HOME), NULL},
        {"<BackTab>", 0, KEYMAP_FN(KEY_BTAB), NULL},
        {"<Backspace>", 0, KEYMAP_FN(KEY_BACKSPACE), NULL},
        {"<F1>", 0, KEYMAP_FN(KEY_F(1)), NULL},
        {"<F12>", 0, KEYMAP_FN(KEY_F(12)), NULL},
        {"<C-l>", 0, 12, NULL},
        {"C-L", 0, 12, "<C-l>"},
        {"^D", 0, 4, "<C-d>"},
        {"<C-h>", 0, 8, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct key_case *c = &cases[i];
        int key = -12345;
        int rc = keymap_parse_key(c->name, &key);
        if (rc != c->rc)
            fail_msg("%s: rc %d, want %d", c->name, rc, c->rc);
        if (rc != 0)
            continue;
        assert_int_equal(key, c->key);
        char buf[32];
        keymap_key_name(key, buf, sizeof(buf));
        assert_string_equal(buf, c->canonical ? c->canonical : c->name);
        /* every printed name parses back to the same key */
        int again;
        assert_int_equal(keymap_parse_key(buf, &again), 0);
        assert_int_equal(again, key);
    }
}

static void test_from_curses(void **state)
{
    (void)state;
    assert_int_equal(keymap_from_curses(OK, 'j'), 'j');
    assert_int_equal(keymap_from_curses(OK, '\r'), KEYMAP_ENTER);
    assert_int_equal(keymap_from_curses(OK, '\n'), KEYMAP_ENTER);
    assert_int_equal(keymap_from_curses(OK, 127), KEYMAP_FN(KEY_BACKSPACE));
    assert_int_equal(keymap_from_curses(KEY_CODE_YES, KEY_ENTER), KEYMAP_ENTER);
    assert_int_equal(keymap_from_curses(KEY_CODE_YES, KEY_DOWN), KEYMAP_FN(KEY_DOWN));
    /* a wide character is not confused with a function key of the same value */
    assert_int_not_equal(keymap_from_curses(OK, KEY_DOWN), KEYMAP_FN(KEY_DOWN));
}

/* Every default key of the action list parses, and is bound to its action. */
static void test_defaults_from_action_list(void **state)
{
    (void)state;
    struct keymap *km = keymap_new();
    for (int a = 1; a < ACT_COUNT; a++) {
        const char *keys = actions_default_keys((enum action)a);
        char copy[128];
        snprintf(copy, sizeof(copy), "%s", keys);
        for (char *save = NULL, *k = strtok_r(copy, " ", &save); k;
             k = strtok_r(NULL, " ", &save)) {
            int key;
            if (keymap_parse_key(k, &key) != 0)
                fail_msg("action %s: default key \"%s\" does not parse",
                         actions_name((enum action)a), k);
            enum action got;
            assert_true(keymap_lookup(km, actions_context((enum action)a), key, &got));
            if (got != (enum action)a)
                fail_msg("key %s in %s: %s, want %s", k,
                         actions_ctx_name(actions_context((enum action)a)), actions_name(got),
                         actions_name((enum action)a));
        }
        char buf[128];
        keymap_keys_for(km, actions_context((enum action)a), (enum action)a, buf, sizeof(buf));
        assert_string_equal(buf, keys);
    }
    keymap_free(&km);
    assert_null(km);
    keymap_free(&km); /* NULL is fine */
}

static void test_names_unique(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_COUNT; a++) {
        int ok;
        assert_int_equal(actions_by_name(actions_name((enum action)a), &ok), a);
        assert_true(ok);
    }
    for (int c = 0; c < CTX_COUNT; c++)
        assert_int_equal(actions_ctx_by_name(actions_ctx_name((enum keyctx)c)), c);
}

static void test_resolve_order(void **state)
{
    (void)state;
    struct keymap *km = keymap_new();
    const enum keyctx contacts[] = {CTX_CONTACTS, CTX_BROWSE, CTX_GLOBAL};
    const enum keyctx start[] = {CTX_START, CTX_GLOBAL};
    assert_int_equal(keymap_resolve(km, contacts, 3, 'j'), ACT_MOVE_DOWN);
    assert_int_equal(keymap_resolve(km, contacts, 3, 'q'), ACT_QUIT);
    assert_int_equal(keymap_resolve(km, contacts, 3, KEYMAP_TAB), ACT_NEXT_PANE);
    assert_int_equal(keymap_resolve(km, contacts, 3, 'r'), ACT_NONE);
    assert_int_equal(keymap_resolve(km, start, 2, 'r'), ACT_RETRY);
    assert_int_equal(keymap_resolve(km, start, 2, 'j'), ACT_NONE);
    assert_int_equal(keymap_resolve(km, contacts, 0, 'j'), ACT_NONE);
    keymap_free(&km);
}

struct bind_case {
    const char *ctx, *key, *action;
    int rc;
    const char *err_has;
};

static void test_bind(void **state)
{
    (void)state;
    static const struct bind_case cases[] = {
        {"nowhere", "j", "quit", -1, "unknown key context \"nowhere\""},
        {"", "j", "quit", -1, "unknown key context"},
        {"browse", "<Nope>", "quit", -1, "unknown key \"<Nope>\""},
        {"browse", "j", "fly", -1, "unknown action \"fly\""},
        {"browse", "J", "page-down", 0, NULL},
        {"browse", "K", "page_up", 0, NULL}, /* '_' for '-' */
        {"browse", "L", "page_", -1, "unknown action"},
        {"global", "<C-q>", "quit", 0, NULL},
        {"browse", "j", "none", 0, NULL},
        {"contacts", "x", "move-up", 0, NULL},
    };
    struct keymap *km = keymap_new();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[200] = "";
        int rc = keymap_bind(km, cases[i].ctx, cases[i].key, cases[i].action, err, sizeof(err));
        assert_int_equal(rc, cases[i].rc);
        if (cases[i].err_has && !strstr(err, cases[i].err_has))
            fail_msg("error \"%s\" lacks \"%s\"", err, cases[i].err_has);
    }
    const enum keyctx contacts[] = {CTX_CONTACTS, CTX_BROWSE, CTX_GLOBAL};
    assert_int_equal(keymap_resolve(km, contacts, 3, 'J'), ACT_PAGE_DOWN);
    assert_int_equal(keymap_resolve(km, contacts, 3, 'K'), ACT_PAGE_UP);
    assert_int_equal(keymap_resolve(km, contacts, 3, 17), ACT_QUIT);
    /* unbound with "none": stops there, and the other keys stay */
    assert_int_equal(keymap_resolve(km, contacts, 3, 'j'), ACT_NONE);
    assert_int_equal(keymap_resolve(km, contacts, 3, KEYMAP_FN(KEY_DOWN)), ACT_MOVE_DOWN);
    assert_int_equal(keymap_resolve(km, contacts, 3, 'x'), ACT_MOVE_UP);
    char buf[64];
    keymap_keys_for(km, CTX_BROWSE, ACT_PAGE_DOWN, buf, sizeof(buf));
    assert_string_equal(buf, "<PgDn> <C-f> <Space> J");
    /* rebinding a key replaces its action rather than adding a second */
    assert_int_equal(keymap_bind(km, "browse", "J", "page-up", buf, sizeof(buf)), 0);
    assert_int_equal(keymap_resolve(km, contacts, 3, 'J'), ACT_PAGE_UP);
    keymap_free(&km);
}

static void test_apply_config(void **state)
{
    (void)state;
    char browse[] = "browse", global[] = "global", n[] = "n", m[] = "m", f10[] = "<F10>";
    char move_down[] = "move-down", quit[] = "quit", teleport[] = "teleport";
    struct config_binding good[] = {{browse, n, move_down, 3}, {global, f10, quit, 4}};
    struct config_binding bad[] = {{browse, n, move_down, 3}, {browse, m, teleport, 7}};
    struct config_binding missing[] = {{browse, NULL, quit, 9}};
    struct keymap *km = keymap_new();
    char err[200] = "";
    assert_int_equal(keymap_apply_config(km, good, 2, err, sizeof(err)), 0);
    const enum keyctx ctxs[] = {CTX_BROWSE, CTX_GLOBAL};
    assert_int_equal(keymap_resolve(km, ctxs, 2, 'n'), ACT_MOVE_DOWN);
    assert_int_equal(keymap_resolve(km, ctxs, 2, KEYMAP_FN(KEY_F(10))), ACT_QUIT);
    assert_int_equal(keymap_apply_config(km, bad, 2, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "config line 7: unknown action \"teleport\""));
    assert_int_equal(keymap_apply_config(km, missing, 1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "config line 9"));
    assert_int_equal(keymap_apply_config(km, NULL, 0, err, sizeof(err)), 0);
    keymap_free(&km);
}

static void test_commands(void **state)
{
    (void)state;
    const char *arg;
    assert_int_equal(actions_parse_command("", &arg), CMD_NONE);
    assert_int_equal(actions_parse_command("   ", &arg), CMD_NONE);
    assert_int_equal(actions_parse_command("q", &arg), CMD_QUIT);
    assert_int_equal(actions_parse_command("quit", &arg), CMD_QUIT);
    assert_int_equal(actions_parse_command("theme  solarized-dark ", &arg), CMD_THEME);
    assert_string_equal(arg, "solarized-dark ");
    assert_int_equal(actions_parse_command("set", &arg), CMD_SETTINGS);
    assert_string_equal(arg, "");
    assert_int_equal(actions_parse_command("s", &arg), CMD_NONE); /* settings or search */
    assert_int_equal(actions_parse_command("c", &arg), CMD_NONE); /* contacts or companies */
    assert_int_equal(actions_parse_command("settingsx", &arg), CMD_NONE);
    assert_int_equal(actions_parse_command("requests", &arg), CMD_REQUESTS);
}

static void test_markdown(void **state)
{
    (void)state;
    struct keymap *km = keymap_new();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    keymap_write_markdown(km, f);
    fclose(f);
    assert_non_null(strstr(buf, "# crmtui keys"));
    assert_non_null(strstr(buf, "| `j` `<Down>` | move-down | move down one row |"));
    assert_non_null(strstr(buf, "| `:theme NAME` |"));
    for (int a = 1; a < ACT_COUNT; a++) {
        char needle[64];
        snprintf(needle, sizeof(needle), " | %s | ", actions_name((enum action)a));
        if (!strstr(buf, needle))
            fail_msg("action %s missing from the key reference", actions_name((enum action)a));
    }
    free(buf);
    keymap_free(&km);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_key),
        cmocka_unit_test(test_from_curses),
        cmocka_unit_test(test_defaults_from_action_list),
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_resolve_order),
        cmocka_unit_test(test_bind),
        cmocka_unit_test(test_apply_config),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_markdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
