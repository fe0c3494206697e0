/* Unit tests for core/journal.c: mode 0600, states kept across reopen, the
 * input guard, the default path, the hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/journal.h"

static char tmpdir[256];

static void path_in_tmp(char *out, size_t outlen, const char *name)
{
    snprintf(out, outlen, "%s/%s", tmpdir, name);
}

static void test_create_private(void **state)
{
    (void)state;
    char path[512], err[256];
    struct journal *j = NULL;
    path_in_tmp(path, sizeof path, "sub/dir/j1.db");
    mode_t old = umask(0);
    assert_int_equal(journal_open(path, 42, &j, err, sizeof err), CRM_OK);
    umask(old);
    assert_non_null(j);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char dir[512];
    path_in_tmp(dir, sizeof dir, "sub/dir");
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    journal_close(&j);
    assert_null(j);
    journal_close(&j); /* NULL is fine */
}

static void test_states_persist(void **state)
{
    (void)state;
    char path[512], err[256];
    struct journal *j = NULL;
    int64_t id = -1;
    path_in_tmp(path, sizeof path, "j2.db");
    assert_int_equal(journal_open(path, 7, &j, err, sizeof err), CRM_OK);
    assert_int_equal(journal_get(j, 0, &id), JOURNAL_NONE);
    assert_int_equal(id, 0);
    assert_int_equal(journal_set(j, 0, 101, JOURNAL_STARTED), CRM_OK);
    assert_int_equal(journal_set(j, 1, 102, JOURNAL_FAILED), CRM_OK);
    assert_int_equal(journal_set(j, 2, 103, JOURNAL_DONE), CRM_OK);
    assert_int_equal(journal_set(j, 0, 101, JOURNAL_DONE), CRM_OK); /* moves on */
    journal_close(&j);

    assert_int_equal(journal_open(path, 7, &j, err, sizeof err), CRM_OK);
    assert_int_equal(journal_get(j, 0, &id), JOURNAL_DONE);
    assert_int_equal(id, 101);
    assert_int_equal(journal_get(j, 1, &id), JOURNAL_FAILED);
    assert_int_equal(id, 102);
    assert_int_equal(journal_get(j, 2, NULL), JOURNAL_DONE);
    assert_int_equal(journal_get(j, 3, &id), JOURNAL_NONE);
    journal_close(&j);
}

static void test_other_input_refused(void **state)
{
    (void)state;
    char path[512], err[256] = "";
    struct journal *j = NULL;
    path_in_tmp(path, sizeof path, "j3.db");
    assert_int_equal(journal_open(path, 1, &j, err, sizeof err), CRM_OK);
    journal_close(&j);
    assert_int_equal(journal_open(path, 2, &j, err, sizeof err), CRM_ERR_CONFLICT);
    assert_null(j);
    assert_non_null(strstr(err, "another input"));
}

static void test_loosened_mode_tightened(void **state)
{
    (void)state;
    char path[512], err[256];
    struct journal *j = NULL;
    path_in_tmp(path, sizeof path, "j4.db");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(journal_open(path, 9, &j, err, sizeof err), CRM_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    journal_close(&j);
}

static void test_not_a_file(void **state)
{
    (void)state;
    char err[256] = "";
    struct journal *j = NULL;
    assert_int_not_equal(journal_open(tmpdir, 9, &j, err, sizeof err), CRM_OK);
    assert_null(j);
    assert_true(err[0] != '\0');
}

static void test_default_path(void **state)
{
    (void)state;
    char out[512];
    setenv("XDG_STATE_HOME", "/st", 1);
    assert_int_equal(journal_default_path(0xabcull, out, sizeof out), CRM_OK);
    assert_string_equal(out, "/st/crmtui/journal-0000000000000abc.db");
    setenv("XDG_STATE_HOME", "relative", 1); /* ignored, as the spec says */
    setenv("HOME", "/h", 1);
    assert_int_equal(journal_default_path(1, out, sizeof out), CRM_OK);
    assert_string_equal(out, "/h/.local/state/crmtui/journal-0000000000000001.db");
    assert_int_equal(journal_default_path(1, out, 10), CRM_ERR_INVALID);
    assert_string_equal(out, "");
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    assert_int_equal(journal_default_path(1, out, sizeof out), CRM_ERR_IO);
}

static void test_hash(void **state)
{
    (void)state;
    /* FNV-1a 64 of "a" */
    assert_true(journal_hash(JOURNAL_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
    uint64_t h1 = journal_hash(JOURNAL_HASH_INIT, "forget 1", 8);
    uint64_t h2 = journal_hash(journal_hash(JOURNAL_HASH_INIT, "forget", 6), " 1", 2);
    assert_true(h1 == h2);
    assert_true(h1 != journal_hash(JOURNAL_HASH_INIT, "forget 2", 8));
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/journal-test.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_private),
        cmocka_unit_test(test_states_persist),
        cmocka_unit_test(test_other_input_refused),
        cmocka_unit_test(test_loosened_mode_tightened),
        cmocka_unit_test(test_not_a_file),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_hash),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
