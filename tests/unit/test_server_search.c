/* Unit tests of server/search.c: case folding, the terms one contact gets,
 * and prefix search over them (words, emails, phones, deleted contacts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/db.h"
#include "server/search.h"

static char db_path[64];

static void test_fold(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"ABC xyz", "abc xyz"},
        {"ÉLODIE Ødegård", "élodie ødegård"},
        {"ŁUKASZ ŻÓŁW", "łukasz żółw"},
        {"ΣΟΦΊΑ", "σοφία"},
        {"ОЛЬГА Ёлкина", "ольга ёлкина"},
        {"İstanbul", "istanbul"},
        {"山本 結衣", "山本 結衣"},
        {"×÷", "×÷"},
        {"bad\xff byte", "bad\xff byte"},
    };
    char out[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_fold(cases[i].in, strlen(cases[i].in), out, sizeof out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("fold(%s) = %s", cases[i].in, out);
    }
    /* Never splits a character at the bound. */
    assert_int_equal(search_fold("ééé", 6, out, 4), 2);
    assert_string_equal(out, "é");
    assert_int_equal(search_fold("abc", 3, out, 1), 0);
}

static int setup_db(void **state)
{
    sqlite3 *db = NULL;
    char err[256];

    snprintf(db_path, sizeof db_path, "/tmp/test_server_search.%d.db", (int)getpid());
    unlink(db_path);
    if (db_open(db_path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = db;
    return 0;
}

static int teardown_db(void **state)
{
    char p[80];

    sqlite3_close_v2(*state);
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    return 0;
}

static int64_t add_contact(sqlite3 *db, const char *first, const char *last, const char *email,
                           const char *mobile, int deleted)
{
    sqlite3_stmt *st = NULL;
    int64_t id;

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO contacts (first_name, last_name, email,"
                                        " mobile_number, is_deleted, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, 1, 1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, mobile, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, deleted);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    id = sqlite3_last_insert_rowid(db);
    if (email) {
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "INSERT INTO contact_emails (contact_id, value,"
                                            " is_primary) VALUES (?1, ?2, 1)",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, email, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    assert_int_equal(search_index_contact(db, id), 0);
    return id;
}

/* The terms of contact id, sorted, joined by '|'. */
static void terms_of(sqlite3 *db, int64_t id, char *out, size_t outlen)
{
    sqlite3_stmt *st = NULL;
    size_t len = 0;

    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT term FROM search_terms WHERE contact_id = ?1"
                                        " ORDER BY term",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW && len < outlen)
        len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? "|" : "",
                                (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void test_terms(void **state)
{
    sqlite3 *db = *state;
    char terms[1024];
    int64_t id;

    id = add_contact(db, "Jean-Luc", "O'Brien", "JL.OBrien@Example.COM", "+33 6 12 34 56 78", 0);
    terms_of(db, id, terms, sizeof terms);
    /* Name words and their parts, the address whole and in parts, the phone
     * digits with and without the country code; all case-folded. */
    assert_string_equal(terms, "12345678|33612345678|3612345678|612345678|brien|example.com|jean|"
                               "jean-luc|jl.obrien|jl.obrien@example.com|luc|o|o'brien");
    assert_null(strstr(terms, "Jean"));

    /* Reindexing replaces, never accumulates. */
    assert_int_equal(search_index_contact(db, id), 0);
    {
        char again[1024];
        terms_of(db, id, again, sizeof again);
        assert_string_equal(again, terms);
    }
    /* A contact that does not exist has nothing to index. */
    assert_int_equal(search_index_contact(db, 987654321), 0);
}

static int search(sqlite3 *db, const char *q, int64_t *ids)
{
    return search_contacts(db, q, ids, 25);
}

static void test_search(void **state)
{
    sqlite3 *db = *state;
    int64_t ids[25];
    int64_t ana, anabel, bruno, gone, many0;
    int i, n;

    ana = add_contact(db, "Ana", "Souza", "ana@acme.example", "+55 11 98765-4321", 0);
    anabel = add_contact(db, "Anabel", "Costa", "anabel@other.example", NULL, 0);
    bruno = add_contact(db, "Bruno", "Souza", NULL, "0700 111 222", 0);
    gone = add_contact(db, "Anatole", "Deleted", NULL, NULL, 1);
    (void)gone;

    n = search(db, "ana", ids);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], ana); /* the exact word sorts first */
    assert_int_equal(ids[1], anabel);
    assert_int_equal(search(db, "ANA souza", ids), 1);
    assert_int_equal(ids[0], ana);
    assert_int_equal(search(db, "souza", ids), 2);
    assert_int_equal(search(db, "souza bruno", ids), 1);
    assert_int_equal(ids[0], bruno);
    assert_int_equal(search(db, "acme.ex", ids), 1);
    assert_int_equal(search(db, "11 98765", ids), 1); /* without the country code */
    assert_int_equal(search(db, "98765", ids), 0);    /* numbers match from their start */
    assert_int_equal(search(db, "(11) 98765-43", ids), 1);
    assert_int_equal(ids[0], ana);
    assert_int_equal(search(db, "0700 111", ids), 1);
    assert_int_equal(search(db, "700111", ids), 1);
    assert_int_equal(search(db, "anatole", ids), 0); /* in the Recycle Bin */
    assert_int_equal(search(db, "a", ids), 0);
    assert_int_equal(search(db, "  ", ids), 0);
    assert_int_equal(search(db, "", ids), 0);
    assert_int_equal(search(db, NULL, ids), 0);
    assert_int_equal(search(db, "zz", ids), 0);
    assert_int_equal(search(db, "%", ids), 0);
    assert_int_equal(search(db, "\xff\xff", ids), 0);

    many0 = add_contact(db, "Many", "Person0", NULL, NULL, 0);
    for (i = 1; i < 40; i++)
        add_contact(db, "Many", "Person", NULL, NULL, 0);
    assert_int_equal(search(db, "many", ids), 25);
    assert_int_equal(ids[0], many0);
    assert_int_equal(search_contacts(db, "many", ids, 3), 3);
    for (i = 1; i < 3; i++)
        assert_true(ids[i] > ids[i - 1]);

    /* Terms go with the contact (ON DELETE CASCADE). */
    assert_int_equal(
        sqlite3_exec(db, "DELETE FROM contacts WHERE first_name = 'Anabel'", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(search(db, "anabel", ids), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test_setup_teardown(test_terms, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_search, setup_db, teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
