/* Unit tests for core/config.c: precedence, profiles, bindings, malformed
 * lines, the config file lookup, and the API key from each of its sources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

static char tmpdir[256];

static void path_in_tmp(char *out, size_t outlen, const char *name)
{
    snprintf(out, outlen, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    unlink(path); /* it may be read-only from an earlier case */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/crmtui-config-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    setenv("HOME", tmpdir, 1);
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    unsetenv("CRMTUI_URL");
    unsetenv("CRMTUI_PROFILE");
    unsetenv("CRMTUI_API_KEY");
    return 0;
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    /* our own temporary directory only */
    if (strstr(dir, "crmtui-config-") == NULL)
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    return 0;
}

static enum crm_status parse(const char *text, const char *profile, struct config *cfg, char *err,
                             size_t errlen)
{
    return config_parse(text, strlen(text), "test.conf", profile, cfg, err, errlen);
}

static void test_defaults(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(parse("", NULL, &cfg, err, sizeof(err)), CRM_OK);
    assert_null(cfg.url);
    assert_null(cfg.profile);
    assert_null(cfg.api_key_file);
    assert_null(cfg.api_key);
    assert_int_equal(cfg.per_page, 40);
    assert_int_equal(cfg.escdelay, -1);
    assert_int_equal(cfg.n_bindings, 0);
    config_free(&cfg);
    assert_int_equal(config_parse(NULL, 0, NULL, NULL, &cfg, NULL, 0), CRM_OK);
    config_free(&cfg);
}

static const char precedence_text[] = "# accounts\n"
                                      "url = https://top.example/crm/sales/api\n"
                                      "per_page = 25\n"
                                      "theme = mono\n"
                                      "\n"
                                      "[profile default]\n"
                                      "url = https://default.example/crm/sales/api\n"
                                      "\n"
                                      "[profile work]\n"
                                      "url = https://work.example/crm/sales/api\n"
                                      "escdelay = 50\n"
                                      "theme =\n"
                                      "\n"
                                      "[ profile  home ]\n"
                                      "per_page = 100\n";

static void test_precedence(void **state)
{
    (void)state;
    static const struct {
        const char *profile;     /* argument */
        const char *env_profile; /* CRMTUI_PROFILE */
        const char *env_url;     /* CRMTUI_URL */
        const char *want_profile;
        const char *want_url;
        int per_page, escdelay;
        const char *theme;
    } rows[] = {
        {NULL, NULL, NULL, "default", "https://default.example/crm/sales/api", 25, -1, "mono"},
        {"work", NULL, NULL, "work", "https://work.example/crm/sales/api", 25, 50, NULL},
        {"home", NULL, NULL, "home", "https://top.example/crm/sales/api", 100, -1, "mono"},
        {NULL, "work", NULL, "work", "https://work.example/crm/sales/api", 25, 50, NULL},
        {"home", "work", NULL, "home", "https://top.example/crm/sales/api", 100, -1, "mono"},
        {"work", NULL, "http://127.0.0.1:9/crm/sales/api", "work",
         "http://127.0.0.1:9/crm/sales/api", 25, 50, NULL},
        {NULL, NULL, "http://127.0.0.1:9/api", "default", "http://127.0.0.1:9/api", 25, -1, "mono"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct config cfg;
        char err[256] = "";
        if (rows[i].env_profile)
            setenv("CRMTUI_PROFILE", rows[i].env_profile, 1);
        else
            unsetenv("CRMTUI_PROFILE");
        if (rows[i].env_url)
            setenv("CRMTUI_URL", rows[i].env_url, 1);
        else
            unsetenv("CRMTUI_URL");
        enum crm_status st = parse(precedence_text, rows[i].profile, &cfg, err, sizeof(err));
        if (st != CRM_OK)
            fprintf(stderr, "row %zu: %s\n", i, err);
        assert_int_equal(st, CRM_OK);
        assert_string_equal(cfg.profile, rows[i].want_profile);
        assert_string_equal(cfg.url, rows[i].want_url);
        assert_int_equal(cfg.per_page, rows[i].per_page);
        assert_int_equal(cfg.escdelay, rows[i].escdelay);
        if (rows[i].theme)
            assert_string_equal(cfg.theme, rows[i].theme);
        else
            assert_null(cfg.theme);
        config_free(&cfg);
    }
    unsetenv("CRMTUI_PROFILE");
    unsetenv("CRMTUI_URL");
}

static void test_top_level_without_default(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(
        parse("url = https://a.example/api\n[profile x]\nurl = https://x.example/api\n", NULL, &cfg,
              err, sizeof(err)),
        CRM_OK);
    assert_null(cfg.profile);
    assert_string_equal(cfg.url, "https://a.example/api");
    config_free(&cfg);
}

static void test_missing_profile(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(parse(precedence_text, "nope", &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "test.conf: no profile \"nope\""));
    assert_non_null(strstr(err, "default, work, home"));
    assert_null(cfg.url);
    setenv("CRMTUI_PROFILE", "gone", 1);
    assert_int_equal(parse(precedence_text, NULL, &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "\"gone\""));
    unsetenv("CRMTUI_PROFILE");
    assert_int_equal(parse("", "default", &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "profiles: none"));
}

static void test_bindings(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    const char *text = "bind global q quit\n"
                       "bind\tlist  <C-d>   page_down  \n"
                       "[profile a]\n"
                       "bind list x export\n"
                       "[profile b]\n"
                       "bind list y forget\n";
    assert_int_equal(parse(text, "a", &cfg, err, sizeof(err)), CRM_OK);
    assert_int_equal(cfg.n_bindings, 3);
    assert_string_equal(cfg.bindings[0].context, "global");
    assert_string_equal(cfg.bindings[0].key, "q");
    assert_string_equal(cfg.bindings[0].action, "quit");
    assert_int_equal(cfg.bindings[0].line, 1);
    assert_string_equal(cfg.bindings[1].context, "list");
    assert_string_equal(cfg.bindings[1].key, "<C-d>");
    assert_string_equal(cfg.bindings[1].action, "page_down");
    assert_int_equal(cfg.bindings[1].line, 2);
    assert_string_equal(cfg.bindings[2].key, "x");
    assert_string_equal(cfg.bindings[2].action, "export");
    assert_int_equal(cfg.bindings[2].line, 4);
    config_free(&cfg);
    assert_null(cfg.bindings);
    assert_int_equal(cfg.n_bindings, 0);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want; /* the start of the message */
    } rows[] = {
        {"url\n", "test.conf:1: expected \"name = value\""},
        {"# ok\n\ncolour = red\n", "test.conf:3: unknown key \"colour\""},
        {"per_page = 0\n", "test.conf:1: per_page must be a whole number from 1 to 100"},
        {"per_page = 101\n", "test.conf:1: per_page must be"},
        {"per_page = 4x\n", "test.conf:1: per_page must be"},
        {"per_page = 99999999999999999999999\n", "test.conf:1: per_page must be"},
        {"escdelay = -1\n", "test.conf:1: escdelay must be"},
        {"[profile]\n", "test.conf:1: a section header reads [profile NAME]"},
        {"[account x]\n", "test.conf:1: a section header reads"},
        {"[profile x\n", "test.conf:1: a section header reads"},
        {"[profile a b]\n", "test.conf:1: a profile name is"},
        {"[profile a]\n[profile a]\n", "test.conf:2: profile \"a\" is already defined at line 1"},
        {"bind list x\n", "test.conf:1: a binding reads: bind CONTEXT KEY ACTION"},
        {"bind list x y z\n", "test.conf:1: a binding reads"},
        {"url = a\nurl = b\n", "test.conf:2: url is already set at line 1"},
        {"[profile other]\ntheme = a\ntheme = b\n", "test.conf:3: theme is already set"},
        {"[profile other]\nper_page = 0\n", "test.conf:2: per_page must be"},
        {"url = a\x1b[2J\n", "test.conf:1: the line holds a control character"},
        {"theme = a\r\nbogus\r\n", "test.conf:2: expected"},
        {"api_key = sekrit123\n", "test.conf:1: the key itself does not belong"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct config cfg;
        char err[300] = "";
        enum crm_status st = parse(rows[i].text, NULL, &cfg, err, sizeof(err));
        if (st != CRM_ERR_CONFIG || strncmp(err, rows[i].want, strlen(rows[i].want)) != 0)
            fprintf(stderr, "row %zu: status %d, \"%s\"\n", i, st, err);
        assert_int_equal(st, CRM_ERR_CONFIG);
        assert_memory_equal(err, rows[i].want, strlen(rows[i].want));
        assert_null(cfg.url);
        assert_null(strstr(err, "sekrit123"));
    }

    /* a NUL byte inside the text, and an overlong line */
    struct config cfg;
    char err[256];
    static const char nul_text[] = "url = a\ntheme = b\0c\n";
    assert_int_equal(
        config_parse(nul_text, sizeof(nul_text) - 1, "n.conf", NULL, &cfg, err, sizeof(err)),
        CRM_ERR_CONFIG);
    assert_string_equal(err, "n.conf:2: the line holds a NUL byte");
    char *longline = malloc(10000);
    assert_non_null(longline);
    memset(longline, 'a', 9999);
    longline[9999] = '\0';
    assert_int_equal(parse(longline, NULL, &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "test.conf:1: the line is longer than"));
    free(longline);
}

static void test_home_paths(void **state)
{
    (void)state;
    struct config cfg;
    char err[256], want[600];
    assert_int_equal(parse("api_key_file = ~/keys/crm\nca_file = /etc/ca.pem\n"
                           "debug_log = ~/log\ntheme = ~/not-a-path\n",
                           NULL, &cfg, err, sizeof(err)),
                     CRM_OK);
    snprintf(want, sizeof(want), "%s/keys/crm", tmpdir);
    assert_string_equal(cfg.api_key_file, want);
    snprintf(want, sizeof(want), "%s/log", tmpdir);
    assert_string_equal(cfg.debug_log, want);
    assert_string_equal(cfg.ca_file, "/etc/ca.pem");
    assert_string_equal(cfg.theme, "~/not-a-path");
    config_free(&cfg);
}

static void test_load_files(void **state)
{
    (void)state;
    struct config cfg;
    char err[600], dir[400], path[400];

    /* no default file: the built-in defaults */
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    assert_int_equal(config_load(NULL, NULL, &cfg, err, sizeof(err)), CRM_OK);
    assert_null(cfg.url);
    assert_int_equal(cfg.per_page, 40);
    config_free(&cfg);

    /* a named file that is missing is an error */
    path_in_tmp(path, sizeof(path), "missing.conf");
    assert_int_equal(config_load(path, NULL, &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "missing.conf: cannot read the config file"));

    /* the default file under XDG_CONFIG_HOME */
    path_in_tmp(dir, sizeof(dir), "crmtui");
    assert_int_equal(mkdir(dir, 0700), 0);
    path_in_tmp(path, sizeof(path), "crmtui/config");
    write_file(path, "url = https://xdg.example/api\nper_page = 7\n", 0600);
    assert_int_equal(config_load(NULL, NULL, &cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.url, "https://xdg.example/api");
    assert_int_equal(cfg.per_page, 7);
    config_free(&cfg);

    /* XDG_CONFIG_HOME unset: ~/.config */
    unsetenv("XDG_CONFIG_HOME");
    path_in_tmp(dir, sizeof(dir), ".config");
    assert_int_equal(mkdir(dir, 0700), 0);
    path_in_tmp(dir, sizeof(dir), ".config/crmtui");
    assert_int_equal(mkdir(dir, 0700), 0);
    path_in_tmp(path, sizeof(path), ".config/crmtui/config");
    write_file(path, "url = https://home.example/api\n", 0644);
    assert_int_equal(config_load(NULL, NULL, &cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.url, "https://home.example/api");
    config_free(&cfg);

    /* errors carry the file name and line */
    write_file(path, "url = x\nwat\n", 0600);
    assert_int_equal(config_load(NULL, NULL, &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    char want[500];
    snprintf(want, sizeof(want), "%s:2: expected", path);
    assert_memory_equal(err, want, strlen(want));

    /* a file others may change is refused: it can name a command to run */
    write_file(path, "url = x\n", 0666);
    assert_int_equal(config_load(NULL, NULL, &cfg, err, sizeof(err)), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "can be changed by others (mode 0666); run: chmod go-w"));
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
}

static void test_secret_memory(void **state)
{
    (void)state;
    char *s = config_secret_dup("abc", 3);
    assert_string_equal(s, "abc");
    config_secret_free(&s);
    assert_null(s);
    config_secret_free(&s);
    config_secret_free(NULL);

    char big[9000];
    memset(big, 'k', sizeof(big));
    s = config_secret_dup(big, sizeof(big));
    assert_int_equal(strlen(s), sizeof(big));
    assert_memory_equal(s, big, sizeof(big));
    config_secret_free(&s);

    s = config_secret_dup("a\0b", 3);
    assert_memory_equal(s, "a\0b", 4);
    config_secret_free(&s);
}

/* A config naming only a key file (or command), for config_load_key. */
static void cfg_with(struct config *cfg, const char *file, const char *cmd)
{
    *cfg = (struct config){0};
    cfg->escdelay = -1;
    cfg->per_page = 40;
    if (file)
        cfg->api_key_file = strdup(file);
    if (cmd)
        cfg->api_key_cmd = strdup(cmd);
}

static void test_key_file(void **state)
{
    (void)state;
    struct config cfg;
    char err[1200], path[400], want[1200], link[400];

    unsetenv("CRMTUI_API_KEY");
    path_in_tmp(path, sizeof(path), "key");

    /* 0600: first line, trimmed */
    write_file(path, "  s3cret-key \r\nsecond line\n", 0600);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.api_key, "s3cret-key");
    config_free(&cfg);
    assert_null(cfg.api_key);

    /* 0400 and no final newline: fine */
    write_file(path, "k2", 0400);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.api_key, "k2");
    config_free(&cfg);

    /* readable by others: the exact sentence */
    write_file(path, "s3cret-key\n", 0644);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    snprintf(want, sizeof(want),
             "api key file %s is readable by others (mode 0644); run: chmod 600 %s", path, path);
    assert_string_equal(err, want);
    assert_null(cfg.api_key);
    assert_null(strstr(err, "s3cret"));
    config_free(&cfg);

    /* group-readable and group-writable */
    assert_int_equal(chmod(path, 0640), 0);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "readable by others (mode 0640)"));
    config_free(&cfg);
    assert_int_equal(chmod(path, 0620), 0);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "writable by others (mode 0620); run: chmod 600"));
    config_free(&cfg);

    /* a symbolic link, even to a good file */
    assert_int_equal(chmod(path, 0600), 0);
    path_in_tmp(link, sizeof(link), "key-link");
    assert_int_equal(symlink(path, link), 0);
    cfg_with(&cfg, link, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    snprintf(want, sizeof(want), "api key file %s is a symbolic link", link);
    assert_memory_equal(err, want, strlen(want));
    assert_null(cfg.api_key);
    config_free(&cfg);

    /* not owned by the user */
    const char *foreign = "/etc/passwd";
    char fpath[400];
    if (geteuid() == 0) {
        path_in_tmp(fpath, sizeof(fpath), "foreign-key");
        write_file(fpath, "k\n", 0600);
        assert_int_equal(chown(fpath, 65534, 65534), 0);
        foreign = fpath;
    }
    cfg_with(&cfg, foreign, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    snprintf(want, sizeof(want), "api key file %s belongs to uid", foreign);
    assert_memory_equal(err, want, strlen(want));
    config_free(&cfg);

    /* missing, a directory, empty, a control character */
    path_in_tmp(fpath, sizeof(fpath), "no-such-key");
    cfg_with(&cfg, fpath, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "cannot be opened"));
    config_free(&cfg);
    cfg_with(&cfg, tmpdir, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "is not a regular file"));
    config_free(&cfg);
    write_file(path, "\n\nkey-on-line-3\n", 0600);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "gave an empty key"));
    config_free(&cfg);
    write_file(path, "abc\x1b[2Jdef\n", 0600);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "control character"));
    assert_null(strstr(err, "abc"));
    config_free(&cfg);

    /* nothing configured */
    cfg_with(&cfg, NULL, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "no API key"));
    config_free(&cfg);
}

static void test_key_env_wins(void **state)
{
    (void)state;
    struct config cfg;
    char err[600], path[400];

    path_in_tmp(path, sizeof(path), "key-env");
    write_file(path, "from-file\n", 0644); /* would be refused: the variable comes first */
    setenv("CRMTUI_API_KEY", "from-env\n", 1);
    cfg_with(&cfg, path, "false");
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.api_key, "from-env");
    /* not inherited by children */
    assert_null(getenv("CRMTUI_API_KEY"));
    config_free(&cfg);

    /* with the variable gone, the file is used (and here refused) */
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    assert_non_null(strstr(err, "readable by others"));
    config_free(&cfg);

    /* an empty variable counts as unset */
    setenv("CRMTUI_API_KEY", "", 1);
    assert_int_equal(chmod(path, 0600), 0);
    cfg_with(&cfg, path, NULL);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.api_key, "from-file");
    config_free(&cfg);
    unsetenv("CRMTUI_API_KEY");

    /* the file comes before the command */
    cfg_with(&cfg, path, "printf from-cmd");
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_OK);
    assert_string_equal(cfg.api_key, "from-file");
    config_free(&cfg);
}

static void test_key_cmd(void **state)
{
    (void)state;
    static const struct {
        const char *cmd;
        enum crm_status st;
        const char *want; /* the key, or a part of the error */
    } rows[] = {
        {"printf 'first-key\\nsecond\\n'", CRM_OK, "first-key"},
        {"printf %s\\\\n \"quoted key\"", CRM_OK, "quoted key"},
        {"  echo   spaced  ", CRM_OK, "spaced"},
        {"sh -c 'echo \"$CRMTUI_API_KEY\"x'", CRM_OK, "x"},
        {"false", CRM_ERR_KEY, "api_key_cmd \"false\" failed with exit status 1"},
        {"sh -c 'echo key; exit 3'", CRM_ERR_KEY, "failed with exit status 3"},
        {"sh -c 'kill -9 $$'", CRM_ERR_KEY, "was killed by signal 9"},
        {"/nonexistent/crmtui-key-helper", CRM_ERR_KEY, "cannot run"},
        {"true", CRM_ERR_KEY, "gave an empty key"},
        {"printf 'a\\033b'", CRM_ERR_KEY, "control character"},
        {"echo 'unterminated", CRM_ERR_KEY, "unterminated ' quote"},
        {"echo \"unterminated", CRM_ERR_KEY, "unterminated \" quote"},
        {"   ", CRM_ERR_KEY, "api_key_cmd is empty"},
        {"head -c 100000 /dev/zero", CRM_ERR_KEY, "printed more than"},
    };
    unsetenv("CRMTUI_API_KEY");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct config cfg;
        char err[600] = "";
        cfg_with(&cfg, NULL, rows[i].cmd);
        enum crm_status st = config_load_key(&cfg, err, sizeof(err));
        if (st != rows[i].st)
            fprintf(stderr, "row %zu (%s): status %d, \"%s\"\n", i, rows[i].cmd, st, err);
        assert_int_equal(st, rows[i].st);
        if (st == CRM_OK) {
            assert_string_equal(cfg.api_key, rows[i].want);
        } else {
            if (strstr(err, rows[i].want) == NULL)
                fprintf(stderr, "row %zu: \"%s\"\n", i, err);
            assert_non_null(strstr(err, rows[i].want));
            assert_null(cfg.api_key);
        }
        config_free(&cfg);
    }
}

static void test_key_cmd_timeout(void **state)
{
    (void)state;
    struct config cfg;
    char err[600];
    struct timespec t0, t1;

    unsetenv("CRMTUI_API_KEY");
    cfg_with(&cfg, NULL, "sleep 60");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(config_load_key(&cfg, err, sizeof(err)), CRM_ERR_KEY);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_non_null(strstr(err, "did not finish within 10 seconds"));
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(s >= 9.5 && s < 20.0);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_top_level_without_default),
        cmocka_unit_test(test_missing_profile),
        cmocka_unit_test(test_bindings),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_home_paths),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_secret_memory),
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_key_env_wins),
        cmocka_unit_test(test_key_cmd),
        cmocka_unit_test(test_key_cmd_timeout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
