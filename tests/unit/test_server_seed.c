/* The account seed (users, keys, settings) and the demo data: what it holds,
 * that it is deterministic, consistent, indexed and quick to make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/db.h"
#include "server/search.h"
#include "server/seed.h"
#include "server/sha256.h"

#define FIXED_NOW 1790000000 /* 2026-09-21 */

struct fixture {
    char dir[64];
    char path[128];
    sqlite3 *db;
};

static int64_t fixed_clock(void)
{
    return FIXED_NOW;
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void open_fresh(struct fixture *f, const char *name)
{
    char err[256];
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    if (db_open(f->path, &f->db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/crmseed.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    db_set_clock(fixed_clock);
    *state = f;
    return 0;
}

static void remove_db_files(const char *path)
{
    char p[160];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sqlite3_close(f->db);
    remove_db_files(f->path);
    char other[160];
    snprintf(other, sizeof other, "%s/b.db", f->dir);
    remove_db_files(other);
    snprintf(other, sizeof other, "%s/keys", f->dir);
    unlink(other);
    rmdir(f->dir);
    db_set_clock(NULL);
    free(f);
    return 0;
}

static void test_demo_without_account_fails(void **state)
{
    struct fixture *f = *state;
    char err[256] = "";
    open_fresh(f, "a.db");
    assert_int_equal(seed_demo(f->db, 10, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts"), 0);
}

static void test_account(void **state)
{
    struct fixture *f = *state;
    char err[256] = "", keyfile[160], line[256];
    open_fresh(f, "a.db");
    snprintf(keyfile, sizeof keyfile, "%s/keys", f->dir);
    FILE *keys = fopen(keyfile, "w+");
    assert_non_null(keys);
    assert_int_equal(seed_account(f->db, keys, err, sizeof err), 0);

    assert_int_equal(query_int(f->db, "SELECT count(*) FROM account WHERE name = 'acme'"), 1);
    assert_int_equal(query_int(f->db, "SELECT length(secret) FROM account"), 32);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM settings WHERE value = 1 AND name IN"
                                      " ('restrict_email_to_dnd','auto_profile_enrichment',"
                                      "'chat_store_ip','chat_social_enrichment','chat_analytics',"
                                      "'default_unsubscribe_link')"),
                     6);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM settings"), 6);
    assert_int_equal(query_int(f->db, "SELECT count(DISTINCT kind) FROM processors"), 3);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM processors"), 3);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM phone_numbers WHERE recording ="
                                      " 'automatic'"),
                     1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM phone_numbers WHERE recording ="
                                      " 'manual'"),
                     1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM forms WHERE purpose IN"
                                      " ('newsletter','product_updates')"),
                     2);
    /* Roles and rights as DESIGN.md gives them. */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM users WHERE role = 'admin'"
                                      " AND perm_export_reports = 1 AND perm_forget_records = 1"
                                      " AND display_name LIKE 'Ana%'"),
                     1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM users WHERE role = 'agent'"
                                      " AND perm_export_reports = 1 AND perm_forget_records = 0"
                                      " AND display_name LIKE 'Bruno%'"),
                     1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM users WHERE role = 'agent'"
                                      " AND perm_export_reports = 0 AND perm_forget_records = 1"
                                      " AND display_name LIKE 'Carla%'"),
                     1);

    /* Each key line: name role 64-hex key; only its SHA-256 is stored. */
    static const char *const names[] = {"ana", "bruno", "carla"};
    static const char *const roles[] = {"admin", "agent", "agent"};
    char seen[3][65];
    rewind(keys);
    for (int i = 0; i < 3; i++) {
        char name[16], role[16], key[80];
        assert_non_null(fgets(line, sizeof line, keys));
        assert_int_equal(sscanf(line, "%15s %15s %79s", name, role, key), 3);
        assert_string_equal(name, names[i]);
        assert_string_equal(role, roles[i]);
        assert_int_equal(strlen(key), 64);
        assert_int_equal(strspn(key, "0123456789abcdef"), 64);
        memcpy(seen[i], key, 65);

        uint8_t hash[SHA256_LEN];
        sha256(key, strlen(key), hash);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT count(*) FROM users WHERE key_hash = ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
        /* The key itself is nowhere in the database. */
        assert_int_equal(sqlite3_prepare_v2(f->db,
                                            "SELECT count(*) FROM users WHERE instr(key_hash, ?1)"
                                            " OR instr(display_name, ?1) OR instr(email, ?1)",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_finalize(st);
    }
    assert_null(fgets(line, sizeof line, keys));
    assert_string_not_equal(seen[0], seen[1]);
    assert_string_not_equal(seen[1], seen[2]);
    fclose(keys);

    /* A second seed refuses rather than adding a second account. */
    assert_int_equal(seed_account(f->db, NULL, err, sizeof err), -1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM users"), 3);
}

static void seed_n(struct fixture *f, sqlite3 *db, long n)
{
    char err[256] = "";
    (void)f;
    if (seed_account(db, NULL, err, sizeof err) != 0 || seed_demo(db, n, err, sizeof err) != 0)
        fail_msg("seed: %s", err);
}

/* A digest of everything but the secrets and keys, in a fixed order. */
static void content_digest(sqlite3 *db, char out[65])
{
    static const char *const sql[] = {
        "SELECT * FROM contacts ORDER BY id",
        "SELECT * FROM companies ORDER BY id",
        "SELECT * FROM deals ORDER BY id",
        "SELECT * FROM activities ORDER BY id",
        "SELECT * FROM notes ORDER BY id",
        "SELECT * FROM calls ORDER BY id",
        "SELECT call_id, hex(data), consent_by_user_id FROM recordings ORDER BY id",
        "SELECT * FROM chat_messages ORDER BY id",
        "SELECT * FROM search_terms ORDER BY contact_id, term",
    };
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    uint8_t acc[SHA256_LEN] = {0};
    for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql[q], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                size_t n = t ? strlen((const char *)t) : 4;
                if (len + n + 2 > cap) {
                    uint8_t part[SHA256_LEN + SHA256_LEN];
                    memcpy(part, acc, SHA256_LEN);
                    sha256(buf, len, part + SHA256_LEN);
                    sha256(part, sizeof part, acc);
                    len = 0;
                }
                memcpy(buf + len, t ? (const char *)t : "NULL", n);
                len += n;
                buf[len++] = '|';
            }
        }
        sqlite3_finalize(st);
    }
    uint8_t part[SHA256_LEN + SHA256_LEN];
    memcpy(part, acc, SHA256_LEN);
    sha256(buf, len, part + SHA256_LEN);
    sha256(part, sizeof part, acc);
    sha256_hex(acc, SHA256_LEN, out);
    free(buf);
}

static void test_demo_is_deterministic(void **state)
{
    struct fixture *f = *state;
    char path_b[160], err[256], a[65], b[65];
    sqlite3 *other = NULL;
    open_fresh(f, "a.db");
    seed_n(f, f->db, 300);
    snprintf(path_b, sizeof path_b, "%s/b.db", f->dir);
    assert_int_equal(db_open(path_b, &other, err, sizeof err), 0);
    seed_n(f, other, 300);
    content_digest(f->db, a);
    content_digest(other, b);
    assert_string_equal(a, b);
    sqlite3_close(other);
}

static void test_demo_shape(void **state)
{
    struct fixture *f = *state;
    const long n = 2000;
    open_fresh(f, "a.db");
    seed_n(f, f->db, n);
    sqlite3 *db = f->db;

    assert_int_equal(query_int(db, "SELECT count(*) FROM contacts"), n);
    assert_int_equal(query_int(db, "SELECT count(*) FROM companies"), n / 20);
    assert_true(query_int(db, "SELECT count(*) FROM deals") > n / 40);
    /* Consistent: foreign keys and the file itself. */
    assert_int_equal(query_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);

    /* Owners spread over the three users; some unassigned. */
    for (int u = 1; u <= 3; u++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM contacts WHERE owner_id = %d", u);
        int64_t owned = query_int(db, sql);
        assert_true(owned > n / 5 && owned < n / 2);
    }
    /* DND about 5%; every subscription status present. */
    int64_t dnd = query_int(db, "SELECT count(*) FROM contacts WHERE do_not_disturb = 1");
    assert_true(dnd > n / 40 && dnd < n / 10);
    for (int s = 0; s <= 2; s++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM contacts WHERE subscription_status = %d",
                 s);
        assert_true(query_int(db, sql) > n / 20);
    }
    assert_int_equal(query_int(db, "SELECT count(DISTINCT purpose) FROM subscriptions"), 3);
    assert_int_equal(query_int(db, "SELECT count(*) FROM subscriptions s JOIN contacts c"
                                   " ON c.id = s.contact_id WHERE c.subscription_status <> 1"),
                     0);
    /* Recycle bin: recent, so that the 90-day purge does not take them at once. */
    assert_true(query_int(db, "SELECT count(*) FROM contacts WHERE is_deleted = 1") > 0);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM contacts WHERE is_deleted = 1 AND (deleted_at IS NULL OR"
             " deleted_at < %d OR deleted_at > %d)",
             FIXED_NOW - 89 * 86400, FIXED_NOW);
    assert_int_equal(query_int(db, sql), 0);

    /* Names in many scripts, some double-width; emails ASCII, example domains. */
    static const char *const scripts[] = {
        "first_name GLOB '*[ãçéíóúâêôõ]*'",
        "last_name GLOB '*[łśżźćńąę]*'",
        "last_name GLOB '*[şğıöüç]*'",
        "unicode(last_name) BETWEEN 880 AND 1023",     /* Greek */
        "unicode(last_name) BETWEEN 1024 AND 1279",    /* Cyrillic */
        "unicode(last_name) BETWEEN 2304 AND 2431",    /* Devanagari */
        "unicode(last_name) BETWEEN 19968 AND 40959",  /* CJK, double width */
        "unicode(last_name) BETWEEN 44032 AND 55203",  /* Hangul */
        "unicode(first_name) BETWEEN 12352 AND 12447", /* kana */
        "last_name GLOB '*[ễầạđũảộ]*'",                /* Vietnamese */
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
        char q[256];
        snprintf(q, sizeof q, "SELECT count(*) FROM contacts WHERE %s", scripts[i]);
        if (query_int(db, q) <= 0)
            fail_msg("no names for: %s", scripts[i]);
    }
    assert_int_equal(query_int(db, "SELECT count(*) FROM contacts WHERE email GLOB '*[^ -~]*'"
                                   " OR email NOT LIKE '%example.%'"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(DISTINCT email) FROM contacts"), n);
    assert_int_equal(query_int(db, "SELECT count(*) FROM contact_emails WHERE is_primary = 1"), n);
    assert_true(query_int(db, "SELECT count(*) FROM contacts WHERE mobile_number LIKE '+% %'") >
                n / 2);
    assert_true(query_int(db, "SELECT count(DISTINCT country) FROM contacts") >= 12);
    assert_true(query_int(db, "SELECT count(DISTINCT job_title) FROM contacts") >= 10);
    assert_true(query_int(db, "SELECT count(*) FROM contacts WHERE linkedin IS NOT NULL"
                              " AND avatar IS NOT NULL AND facebook IS NOT NULL"
                              " AND twitter IS NOT NULL") > n / 10);

    /* Calls: recordings on the manual number carry the agent's consent. */
    assert_true(query_int(db, "SELECT count(*) FROM recordings") > 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM recordings r JOIN calls c"
                                   " ON c.id = r.call_id JOIN phone_numbers p"
                                   " ON p.id = c.phone_number_id WHERE p.recording = 'manual'"
                                   " AND (r.consent_by_user_id IS NULL OR r.consent_at IS NULL)"),
                     0);
    assert_true(query_int(db, "SELECT count(*) FROM recordings r JOIN calls c"
                              " ON c.id = r.call_id WHERE c.phone_number_id = 2") > 0);
    /* Chats with messages from both sides, visitor IPs in documentation ranges. */
    assert_true(query_int(db, "SELECT count(*) FROM chats") > n / 20);
    assert_int_equal(query_int(db, "SELECT count(*) FROM chats WHERE NOT (visitor_ip LIKE"
                                   " '192.0.2.%' OR visitor_ip LIKE '198.51.100.%' OR visitor_ip"
                                   " LIKE '203.0.113.%' OR visitor_ip LIKE '2001:db8::%')"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM chats c WHERE (SELECT count(DISTINCT"
                                   " sender) FROM chat_messages m WHERE m.chat_id = c.id) <> 2"),
                     0);
    assert_true(query_int(db, "SELECT count(*) FROM notes") > n / 4);

    /* Consent events of every source across the data set. */
    assert_int_equal(query_int(db, "SELECT count(DISTINCT json_extract(action_data, '$.source'))"
                                   " FROM activities WHERE action_type = 'consent_granted'"),
                     7);
    /* Every web-form consent names its form; every email-link one its address. */
    assert_int_equal(query_int(db, "SELECT count(*) FROM activities WHERE action_type ="
                                   " 'consent_granted' AND action_data->>'source' = 'web_form'"
                                   " AND (action_data->>'form_id' IS NULL OR action_data->>"
                                   "'form_name' IS NULL)"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM activities a JOIN contacts c ON c.id ="
                                   " a.contact_id WHERE action_type = 'consent_granted' AND"
                                   " action_data->>'source' = 'email_link' AND"
                                   " action_data->>'email' IS NOT c.email"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM activities WHERE action_type ="
                                   " 'consent_granted' AND action_data->>'source' ="
                                   " 'quick_action' AND user_id IS NULL"),
                     0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM activities WHERE json_valid(action_data)"
                                   " = 0"),
                     0);
}

/* Contact 1 carries every source and every section: the UI tests rely on it. */
static void test_contact_one_is_complete(void **state)
{
    struct fixture *f = *state;
    open_fresh(f, "a.db");
    seed_n(f, f->db, 50);
    sqlite3 *db = f->db;

    assert_int_equal(SEED_SHOWCASE_CONTACT, 1); /* the queries below name it */
    assert_int_equal(query_int(db, "SELECT count(DISTINCT action_data->>'source') FROM activities"
                                   " WHERE contact_id = 1 AND action_type = 'consent_granted'"),
                     7);
    static const char *const types[] = {"created",    "consent_granted", "consent_withdrawn",
                                        "subscribed", "unsubscribed",    "email_sent",
                                        "note_added", "call_logged",     "chat_started",
                                        "enriched",   "opt_in_requested"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM activities WHERE contact_id = 1 AND action_type = '%s'",
                 types[i]);
        if (query_int(db, sql) < 1)
            fail_msg("contact 1 has no %s activity", types[i]);
    }
    assert_int_equal(query_int(db, "SELECT is_deleted + do_not_disturb FROM contacts WHERE id = 1"),
                     0);
    assert_true(query_int(db, "SELECT count(*) FROM notes WHERE contact_id = 1") >= 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM recordings r JOIN calls c ON c.id ="
                                   " r.call_id WHERE c.contact_id = 1"),
                     2);
    assert_int_equal(query_int(db, "SELECT count(*) FROM recordings r JOIN calls c ON c.id ="
                                   " r.call_id WHERE c.contact_id = 1 AND c.phone_number_id = 2"
                                   " AND r.consent_by_user_id IS NOT NULL"),
                     1);
    assert_true(query_int(db, "SELECT count(*) FROM chats WHERE contact_id = 1") == 1);
    assert_true(query_int(db, "SELECT count(*) FROM contacts WHERE id = 1 AND linkedin IS NOT NULL"
                              " AND sales_account_id IS NOT NULL") == 1);
    /* The user recorded for a quick-action consent. */
    assert_true(query_int(db, "SELECT user_id FROM activities WHERE contact_id = 1 AND"
                              " action_type = 'consent_granted' AND action_data->>'source' ="
                              " 'quick_action'") > 0);
}

/* Every contact is in the search index, and the index finds them. */
static void test_demo_is_searchable(void **state)
{
    struct fixture *f = *state;
    open_fresh(f, "a.db");
    seed_n(f, f->db, 500);
    sqlite3 *db = f->db;
    assert_int_equal(query_int(db, "SELECT count(*) FROM contacts c WHERE NOT EXISTS"
                                   " (SELECT 1 FROM search_terms t WHERE t.contact_id = c.id)"),
                     0);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT email FROM contacts WHERE id = 1", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char email[160];
    snprintf(email, sizeof email, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    int64_t ids[8];
    assert_true(search_contacts(db, email, ids, 8) >= 1);
    assert_int_equal(ids[0], 1);
}

/* A bound far above the measured time (10,000 take about 1.5 s here, 5 s
 * under ASan): it catches an accidental quadratic step, not noise. */
static void test_demo_is_quick(void **state)
{
    struct fixture *f = *state;
    struct timespec t0, t1;
    open_fresh(f, "a.db");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    seed_n(f, f->db, 10000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("# seeded 10000 contacts in %.2f s\n", s);
    assert_true(s < 15.0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts"), 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_without_account_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact_one_is_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_is_searchable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_is_quick, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
