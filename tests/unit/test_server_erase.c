/* Erasure: forgetting a contact or a company leaves no byte of their email,
 * names or phone in the database, WAL or shm files; counts, audit, notices,
 * purge, call data, atomicity and crash safety. */
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/db.h"
#include "server/erase.h"
#include "server/search.h"
#include "server/seed.h"
#include "server/sha256.h"

#define FIXED_NOW 1790000000
#define DAY       86400

/* The victim: values found nowhere else, so that any hit is a leftover. */
#define V_FIRST  "Zyxwvutsrq"
#define V_LAST   "Qpxvictimblomqvist"
#define V_EMAIL  "zq.victim.77341@example.org"
#define V_EMAIL2 "Victim.Private.77341@Example.net"
#define V_MOBILE "+351 911 770 341"
#define V_WORK   "+44 20 7946 0341"
#define V_CALL   "Kwqzx call note about the Vrbl contract"

struct fixture {
    char dir[64];
    char path[128];
    sqlite3 *db;
};

static int64_t fixed_clock(void)
{
    return FIXED_NOW;
}

/* ---- helpers ---- */

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t query_int(sqlite3 *db, const char *sql, int64_t bind)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, bind);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void query_text(sqlite3 *db, const char *sql, int64_t bind, char *out, size_t outlen)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, bind);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static int64_t insert(sqlite3 *db, const char *sql, const char *const *text, int n_text,
                      const int64_t *ints, int n_ints)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    int i = 1;
    for (int k = 0; k < n_text; k++, i++)
        sqlite3_bind_text(st, i, text[k], -1, SQLITE_STATIC);
    for (int k = 0; k < n_ints; k++, i++)
        sqlite3_bind_int64(st, i, ints[k]);
    if (sqlite3_step(st) != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return sqlite3_last_insert_rowid(db);
}

/* Occurrences of value in the file at path (0 when the file does not exist). */
static int file_hits(const char *path, const char *value)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    rewind(fp);
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    assert_non_null(buf);
    size_t got = fread(buf, 1, (size_t)size, fp);
    fclose(fp);
    size_t n = strlen(value);
    int hits = 0;
    for (size_t i = 0; i + n <= got; i++)
        if (buf[i] == value[0] && memcmp(buf + i, value, n) == 0)
            hits++;
    free(buf);
    return hits;
}

/* Occurrences in the database, its WAL and its shm. */
static int db_hits(const struct fixture *f, const char *value)
{
    char p[160];
    int hits = file_hits(f->path, value);
    snprintf(p, sizeof p, "%s-wal", f->path);
    hits += file_hits(p, value);
    snprintf(p, sizeof p, "%s-shm", f->path);
    hits += file_hits(p, value);
    return hits;
}

static long wal_size(const struct fixture *f)
{
    char p[160];
    struct stat sb;
    snprintf(p, sizeof p, "%s-wal", f->path);
    return stat(p, &sb) == 0 ? (long)sb.st_size : 0;
}

static void open_db(struct fixture *f)
{
    char err[256];
    if (db_open(f->path, &f->db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
}

static void seed(struct fixture *f, long n)
{
    char err[256];
    if (seed_account(f->db, NULL, err, sizeof err) != 0 || seed_demo(f->db, n, err, sizeof err))
        fail_msg("seed: %s", err);
}

static int setup_n(void **state, long n)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/crmerase.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/crm.db", f->dir);
    db_set_clock(fixed_clock);
    open_db(f);
    seed(f, n);
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_n(state, 300);
}

static int setup_large(void **state)
{
    return setup_n(state, 3000);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[160];
    sqlite3_close(f->db);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    db_set_clock(NULL);
    free(f);
    return 0;
}

/* Ids of what belongs to the victim, for checking afterwards. */
struct victim {
    int64_t id, company, calls[2], chat, deals;
};

static const char *const victim_values[] = {V_FIRST,  V_LAST, V_EMAIL, V_EMAIL2,
                                            V_MOBILE, V_WORK, V_CALL};

/* A contact whose data reaches every table: two emails, notes (one long
 * enough for overflow pages), activities naming the email, calls with a
 * recording and a note, a chat naming them, an email, a token, subscriptions
 * and a privacy request. */
static void make_victim(sqlite3 *db, struct victim *v)
{
    char long_note[12000];
    size_t len = 0;
    while (len + 200 < sizeof long_note)
        len += (size_t)snprintf(long_note + len, sizeof long_note - len,
                                "%s %s said to write to %s or call %s. ", V_FIRST, V_LAST, V_EMAIL,
                                V_MOBILE);

    exec_ok(db, "BEGIN IMMEDIATE");
    v->company = query_int(db,
                           "SELECT sales_account_id FROM deals GROUP BY sales_account_id"
                           " HAVING count(*) >= 1 ORDER BY sales_account_id LIMIT 1",
                           0);
    assert_true(v->company > 0);
    v->deals = query_int(db, "SELECT count(*) FROM deals WHERE sales_account_id = ?1", v->company);
    {
        const char *t[] = {V_FIRST, V_LAST, V_EMAIL, V_MOBILE, V_WORK};
        const int64_t i[] = {v->company, FIXED_NOW - 100 * DAY, FIXED_NOW - DAY};
        v->id = insert(db,
                       "INSERT INTO contacts (first_name, last_name, email, mobile_number,"
                       " work_number, job_title, city, country, owner_id, sales_account_id,"
                       " subscription_status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4,"
                       " ?5, 'Buyer', 'Porto', 'Portugal', 2, ?6, 1, ?7, ?8)",
                       t, 5, i, 3);
    }
    {
        const char *t[] = {V_EMAIL};
        const int64_t i[] = {v->id};
        insert(db,
               "INSERT INTO contact_emails (value, contact_id, is_primary, label)"
               " VALUES (?1, ?2, 1, 'work')",
               t, 1, i, 1);
        const char *t2[] = {V_EMAIL2};
        insert(db,
               "INSERT INTO contact_emails (value, contact_id, is_primary, label)"
               " VALUES (?1, ?2, 0, 'personal')",
               t2, 1, i, 1);
    }
    {
        const int64_t i[] = {v->id};
        insert(db, "INSERT INTO subscriptions VALUES (?1, 'newsletter')", NULL, 0, i, 1);
        insert(db, "INSERT INTO subscriptions VALUES (?1, 'events')", NULL, 0, i, 1);
        const char *t[] = {"{\"channel\":\"email\",\"purpose\":\"newsletter\",\"source\":"
                           "\"email_link\",\"email\":\"" V_EMAIL "\"}",
                           "{\"source\":\"import\",\"detail\":\"" V_FIRST " " V_LAST "\"}",
                           "{\"fields\":[\"mobile_number\"],\"source\":\"quick_action\"}"};
        for (int k = 0; k < 3; k++) {
            const int64_t j[] = {v->id, FIXED_NOW - (50 - k) * DAY};
            insert(db,
                   "INSERT INTO activities (action_data, contact_id, action_type, created_at)"
                   " VALUES (?1, ?2, 'consent_granted', ?3)",
                   &t[k], 1, j, 2);
        }
        const char *n1[] = {long_note};
        const int64_t j[] = {v->id, FIXED_NOW - 10 * DAY};
        insert(db,
               "INSERT INTO notes (description, contact_id, user_id, created_at, updated_at)"
               " VALUES (?1, ?2, 1, ?3, ?3)",
               n1, 1, j, 2);
        const char *n2[] = {"Short note: " V_FIRST " prefers " V_EMAIL2};
        insert(db,
               "INSERT INTO notes (description, contact_id, user_id, created_at, updated_at)"
               " VALUES (?1, ?2, 1, ?3, ?3)",
               n2, 1, j, 2);
        const char *c1[] = {V_CALL};
        v->calls[0] = insert(db,
                             "INSERT INTO calls (note, contact_id, phone_number_id, user_id,"
                             " direction, started_at, duration_s) VALUES (?1, ?2, 2, 1,"
                             " 'inbound', ?3, 120)",
                             c1, 1, j, 2);
        v->calls[1] = insert(db,
                             "INSERT INTO calls (contact_id, phone_number_id, user_id,"
                             " direction, started_at, duration_s) VALUES (?1, 1, 1,"
                             " 'outbound', ?2, 60)",
                             NULL, 0, j, 2);
        const char *blob[] = {"RIFF....WAVE " V_MOBILE " recorded audio"};
        const int64_t r[] = {v->calls[0], FIXED_NOW - 10 * DAY};
        insert(db,
               "INSERT INTO recordings (data, call_id, consent_by_user_id, consent_at)"
               " VALUES (CAST(?1 AS BLOB), ?2, 1, ?3)",
               blob, 1, r, 2);
        v->chat = insert(db,
                         "INSERT INTO chats (contact_id, started_at, visitor_ip)"
                         " VALUES (?1, ?2, '203.0.113.77')",
                         NULL, 0, j, 2);
        const char *m[] = {"Hi, this is " V_FIRST " " V_LAST ", call me on " V_MOBILE,
                           "Thanks " V_FIRST ", noted."};
        for (int k = 0; k < 2; k++) {
            const int64_t mi[] = {v->chat, FIXED_NOW - 9 * DAY};
            insert(db,
                   "INSERT INTO chat_messages (body, chat_id, sender, at)"
                   " VALUES (?1, ?2, 'visitor', ?3)",
                   &m[k], 1, mi, 2);
        }
        const char *o[] = {V_EMAIL, "Dear " V_FIRST " " V_LAST ", your quote"};
        insert(db,
               "INSERT INTO outbox (to_addr, body, contact_id, kind, subject, created_at)"
               " VALUES (?1, ?2, ?3, 'email', 'Quote', ?4)",
               o, 2, j, 2);
        const char *tk[] = {V_EMAIL2};
        insert(db,
               "INSERT INTO tokens (email, token, contact_id, kind, created_at)"
               " VALUES (?1, 'tok-77341-abcdef', ?2, 'unsubscribe', ?3)",
               tk, 1, j, 2);
        const char *pr[] = {V_EMAIL};
        const int64_t p[] = {FIXED_NOW - 3 * DAY, FIXED_NOW + 27 * DAY, v->id};
        insert(db,
               "INSERT INTO privacy_requests (subject_email, type, received_at, due_at,"
               " contact_id) VALUES (?1, 'erasure', ?2, ?3, ?4)",
               pr, 1, p, 3);
    }
    assert_int_equal(search_index_contact(db, v->id), 0);
    exec_ok(db, "COMMIT");
}

/* Writes that move pages around after the victim exists: other contacts
 * indexed, the victim's row rewritten with different sizes. */
static void churn(sqlite3 *db, int64_t victim, int rounds)
{
    char sql[256], name[64];
    exec_ok(db, "BEGIN IMMEDIATE");
    for (int k = 0; k < rounds; k++) {
        snprintf(name, sizeof name, "Churn%05d", k * 7919 % 100000);
        const char *t[] = {name, name};
        const int64_t i[] = {FIXED_NOW, FIXED_NOW};
        int64_t id = insert(db,
                            "INSERT INTO contacts (first_name, last_name, created_at,"
                            " updated_at) VALUES (?1, ?2, ?3, ?4)",
                            t, 2, i, 2);
        assert_int_equal(search_index_contact(db, id), 0);
        if (k % 25 == 0) {
            snprintf(sql, sizeof sql,
                     "UPDATE contacts SET job_title = substr('Head of Procurement and"
                     " Strategic Sourcing', 1, %d), updated_at = updated_at + 1 WHERE id = %lld",
                     5 + k % 30, (long long)victim);
            exec_ok(db, sql);
        }
    }
    exec_ok(db, "COMMIT");
}

static void assert_nothing_left(sqlite3 *db, const struct victim *v)
{
    static const char *const tables[] = {
        "contacts WHERE id = ?1",
        "contact_emails WHERE contact_id = ?1",
        "search_terms WHERE contact_id = ?1",
        "subscriptions WHERE contact_id = ?1",
        "activities WHERE contact_id = ?1",
        "notes WHERE contact_id = ?1",
        "calls WHERE contact_id = ?1",
        "chats WHERE contact_id = ?1",
        "outbox WHERE contact_id = ?1",
        "tokens WHERE contact_id = ?1",
        "privacy_requests WHERE contact_id = ?1",
    };
    char sql[128];
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        if (query_int(db, sql, v->id) != 0)
            fail_msg("left in %s", tables[i]);
    }
    assert_int_equal(
        query_int(db, "SELECT count(*) FROM recordings WHERE call_id = ?1", v->calls[0]), 0);
    assert_int_equal(
        query_int(db, "SELECT count(*) FROM chat_messages WHERE chat_id = ?1", v->chat), 0);
}

/* A connection that holds a read transaction until a thread ends it. */
struct reader {
    sqlite3 *db;
    sqlite3_stmt *st;
    pthread_t thread;
};

static void *reader_release(void *arg)
{
    struct reader *r = arg;
    struct timespec pause = {0, 300 * 1000 * 1000L};
    nanosleep(&pause, NULL);
    sqlite3_finalize(r->st);
    r->st = NULL;
    return NULL;
}

/* ---- tests ---- */

static void test_subject_ref(void **state)
{
    struct fixture *f = *state;
    char a[65], b[65], c[65], want[65];
    assert_int_equal(erase_subject_ref(f->db, "contact", 42, a), 0);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strspn(a, "0123456789abcdef"), 64);
    assert_int_equal(erase_subject_ref(f->db, "contact", 42, b), 0);
    assert_string_equal(a, b);
    assert_int_equal(erase_subject_ref(f->db, "contact", 43, c), 0);
    assert_string_not_equal(a, c);
    assert_int_equal(erase_subject_ref(f->db, "company", 42, c), 0);
    assert_string_not_equal(a, c);

    /* HMAC-SHA-256 of "contact:42" under the account secret. */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT secret FROM account", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    uint8_t mac[SHA256_LEN];
    hmac_sha256(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), "contact:42", 10,
                mac);
    sqlite3_finalize(st);
    sha256_hex(mac, sizeof mac, want);
    assert_string_equal(a, want);
}

static void test_preview(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    make_victim(f->db, &v);
    int64_t before = query_int(f->db, "SELECT total_changes()", 0);
    int64_t rows = query_int(f->db,
                             "SELECT (SELECT count(*) FROM activities) + (SELECT count(*)"
                             " FROM notes) + (SELECT count(*) FROM contacts)",
                             0);
    assert_int_equal(erase_contact_preview(f->db, v.id, &c), ERASE_OK);
    assert_int_equal(c.contacts, 1);
    assert_int_equal(c.activities, 3);
    assert_int_equal(c.notes, 2);
    assert_int_equal(c.calls, 2);
    assert_int_equal(c.recordings, 1);
    assert_int_equal(c.chats, 1);
    assert_int_equal(c.emails, 1);
    assert_int_equal(c.subscriptions, 2);
    assert_int_equal(c.companies_kept, 1);
    assert_int_equal(c.deals_kept, v.deals);
    assert_int_equal(query_int(f->db, "SELECT total_changes()", 0), before);
    assert_int_equal(query_int(f->db,
                               "SELECT (SELECT count(*) FROM activities) + (SELECT"
                               " count(*) FROM notes) + (SELECT count(*) FROM contacts)",
                               0),
                     rows);
    assert_int_equal(erase_contact_preview(f->db, 999999, &c), ERASE_NOT_FOUND);
}

/* The hard property, with other connections open as in the server. */
static void test_forget_leaves_no_byte(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c, preview;
    int64_t audit_id = 0;
    char err[256], text[1024], ref[65];

    make_victim(f->db, &v);
    churn(f->db, v.id, 400);
    for (size_t i = 0; i < sizeof victim_values / sizeof victim_values[0]; i++)
        if (db_hits(f, victim_values[i]) == 0)
            fail_msg("the victim's %s is not on disk to begin with", victim_values[i]);

    sqlite3 *idle = NULL;
    struct reader r = {NULL, NULL, 0};
    assert_int_equal(db_open(f->path, &idle, err, sizeof err), 0);
    assert_int_equal(db_open(f->path, &r.db, err, sizeof err), 0);
    assert_int_equal(query_int(idle, "SELECT count(*) FROM contacts WHERE id = ?1", v.id), 1);
    assert_int_equal(sqlite3_prepare_v2(r.db, "SELECT first_name FROM contacts", -1, &r.st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(r.st), SQLITE_ROW); /* a read transaction is open now */
    assert_int_equal(pthread_create(&r.thread, NULL, reader_release, &r), 0);

    assert_int_equal(erase_contact_preview(f->db, v.id, &preview), ERASE_OK);
    assert_int_equal(erase_contact(f->db, v.id, 1, &c, &audit_id), ERASE_OK);
    pthread_join(r.thread, NULL);
    assert_true(audit_id > 0);
    assert_memory_equal(&c, &preview, sizeof c);

    assert_nothing_left(f->db, &v);
    /* The company and its deals stay. */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM companies WHERE id = ?1", v.company),
                     1);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM deals WHERE sales_account_id = ?1", v.company),
        v.deals);
    /* The privacy request keeps its reference, not the address. */
    assert_int_equal(erase_subject_ref(f->db, "contact", v.id, ref), 0);
    query_text(f->db, "SELECT subject_ref FROM privacy_requests WHERE received_at = ?1",
               FIXED_NOW - 3 * DAY, text, sizeof text);
    assert_string_equal(text, ref);
    assert_int_equal(query_int(f->db,
                               "SELECT count(*) FROM privacy_requests WHERE"
                               " subject_email IS NOT NULL AND received_at = ?1",
                               FIXED_NOW - 3 * DAY),
                     0);

    /* One audit entry, no personal data in it, one notice per processor. */
    query_text(f->db,
               "SELECT action || '|' || actor_user_id || '|' || subject_ref || '|' ||"
               " counts FROM audit WHERE id = ?1",
               audit_id, text, sizeof text);
    char want[1024];
    snprintf(want, sizeof want,
             "contact.forget|1|%s|{\"contacts\":1,\"activities\":3,\"notes\":2,\"calls\":2,"
             "\"recordings\":1,\"chats\":1,\"emails\":1,\"subscriptions\":2,\"deals_kept\":%lld,"
             "\"companies_kept\":1}",
             ref, (long long)v.deals);
    assert_string_equal(text, want);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM audit", 0), 1);
    for (size_t i = 0; i < sizeof victim_values / sizeof victim_values[0]; i++)
        assert_null(strstr(text, victim_values[i]));
    assert_int_equal(query_int(f->db,
                               "SELECT count(*) FROM processor_notices WHERE audit_id = ?1"
                               " AND status = 'pending'",
                               audit_id),
                     3);
    assert_int_equal(query_int(f->db,
                               "SELECT count(DISTINCT processor_id) FROM"
                               " processor_notices WHERE audit_id = ?1",
                               audit_id),
                     3);

    /* And on disk: nothing, with the other connections still open. */
    assert_int_equal(wal_size(f), 0);
    for (size_t i = 0; i < sizeof victim_values / sizeof victim_values[0]; i++)
        if (db_hits(f, victim_values[i]) != 0)
            fail_msg("%s is still in the database files", victim_values[i]);
    /* Their folded search terms too. */
    assert_int_equal(db_hits(f, "zyxwvutsrq"), 0);
    assert_int_equal(db_hits(f, "victim.private.77341@example.net"), 0);
    assert_int_equal(db_hits(f, "351911770341"), 0);

    sqlite3_close(idle);
    sqlite3_close(r.db);
}

/* A reader that keeps an old snapshot past the busy timeout: the erasure
 * commits, the WAL cannot be emptied yet; the periodic purge empties it once
 * the reader is gone. */
static void test_wal_retry_after_stuck_reader(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    char err[256];
    sqlite3 *reader = NULL;
    sqlite3_stmt *st = NULL;

    make_victim(f->db, &v);
    assert_int_equal(db_open(f->path, &reader, err, sizeof err), 0);
    assert_int_equal(sqlite3_prepare_v2(reader, "SELECT email FROM contacts", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_busy_timeout(f->db, 20);

    assert_int_equal(erase_contact(f->db, v.id, 1, &c, NULL), ERASE_OK);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", v.id), 0);
    assert_true(wal_size(f) > 0);

    sqlite3_finalize(st);
    sqlite3_close(reader);
    assert_int_equal(erase_purge_expired(f->db, FIXED_NOW), 0);
    assert_int_equal(wal_size(f), 0);
    for (size_t i = 0; i < sizeof victim_values / sizeof victim_values[0]; i++)
        if (db_hits(f, victim_values[i]) != 0)
            fail_msg("%s is still in the database files", victim_values[i]);
}

struct writer {
    const char *path;
    atomic_int stop;
    int commits;
    pthread_t thread;
};

static void *writer_run(void *arg)
{
    struct writer *w = arg;
    sqlite3 *db = NULL;
    char err[256];
    if (db_open(w->path, &db, err, sizeof err) != 0)
        return NULL;
    while (!atomic_load(&w->stop)) {
        if (db_begin(db) < 0)
            continue;
        if (sqlite3_exec(db,
                         "INSERT INTO contacts (first_name, last_name, created_at, updated_at)"
                         " VALUES ('Writer', 'Busy', 1, 1)",
                         NULL, NULL, NULL) == SQLITE_OK &&
            search_index_contact(db, sqlite3_last_insert_rowid(db)) == 0 && db_commit(db) == 0)
            w->commits++;
        else
            db_rollback(db);
        struct timespec pause = {0, 500 * 1000L};
        nanosleep(&pause, NULL);
    }
    sqlite3_close(db);
    return NULL;
}

/* Another connection commits all the while: the erasure still truncates the
 * WAL and checks the file, and nothing of the contact is left. */
static void test_forget_while_others_write(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    struct writer w = {f->path, 0, 0, 0};

    make_victim(f->db, &v);
    churn(f->db, v.id, 100);
    assert_int_equal(pthread_create(&w.thread, NULL, writer_run, &w), 0);
    struct timespec pause = {0, 50 * 1000 * 1000L};
    nanosleep(&pause, NULL);
    assert_int_equal(erase_contact(f->db, v.id, 1, &c, NULL), ERASE_OK);
    nanosleep(&pause, NULL);
    atomic_store(&w.stop, 1);
    pthread_join(w.thread, NULL);
    assert_true(w.commits > 10);
    assert_nothing_left(f->db, &v);
    for (size_t i = 0; i < sizeof victim_values / sizeof victim_values[0]; i++)
        if (db_hits(f, victim_values[i]) != 0)
            fail_msg("%s is still in the database files", victim_values[i]);
}

static void test_forget_twice(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    make_victim(f->db, &v);
    assert_int_equal(erase_contact(f->db, v.id, 3, &c, NULL), ERASE_OK);
    int64_t audits = query_int(f->db, "SELECT count(*) FROM audit", 0);
    assert_int_equal(erase_contact(f->db, v.id, 3, &c, NULL), ERASE_NOT_FOUND);
    assert_int_equal(erase_contact(f->db, 987654, 3, &c, NULL), ERASE_NOT_FOUND);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM audit", 0), audits);
    assert_int_equal(erase_contact_preview(f->db, v.id, &c), ERASE_NOT_FOUND);
}

static void test_forget_recycle_bin_contact(void **state)
{
    struct fixture *f = *state;
    struct erase_counts c;
    char email[160];
    int64_t id = query_int(f->db, "SELECT min(id) FROM contacts WHERE is_deleted = 1", 0);
    assert_true(id > 0);
    query_text(f->db, "SELECT email FROM contacts WHERE id = ?1", id, email, sizeof email);
    assert_true(db_hits(f, email) > 0);
    assert_int_equal(erase_contact(f->db, id, 1, &c, NULL), ERASE_OK);
    assert_int_equal(c.contacts, 1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", id), 0);
    assert_int_equal(db_hits(f, email), 0);
}

static void test_company_forget(void **state)
{
    struct fixture *f = *state;
    struct erase_counts c;
    int64_t audit_id = 0;
    char text[512], ref[65], emails[64][160];

    int64_t company = query_int(f->db,
                                "SELECT sales_account_id FROM contacts WHERE sales_account_id IS"
                                " NOT NULL GROUP BY sales_account_id HAVING count(*) >= 2 AND"
                                " count(*) <= 64 ORDER BY count(*) DESC LIMIT 1",
                                0);
    assert_true(company > 0);
    int64_t n =
        query_int(f->db, "SELECT count(*) FROM contacts WHERE sales_account_id = ?1", company);
    int64_t deals =
        query_int(f->db, "SELECT count(*) FROM deals WHERE sales_account_id = ?1", company);
    int64_t total = query_int(f->db, "SELECT count(*) FROM contacts", 0);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db,
                                        "SELECT email FROM contacts WHERE sales_account_id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, company);
    int k = 0;
    while (sqlite3_step(st) == SQLITE_ROW && k < 64)
        snprintf(emails[k++], sizeof emails[0], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(k, n);

    assert_int_equal(erase_company(f->db, company, 1, &c, &audit_id), ERASE_OK);
    assert_int_equal(c.contacts, n);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM companies WHERE id = ?1", company), 0);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM deals WHERE sales_account_id = ?1", company), 0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts", 0), total - n);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM contacts WHERE sales_account_id = ?1", company), 0);
    assert_int_equal(erase_subject_ref(f->db, "company", company, ref), 0);
    query_text(f->db, "SELECT action || '|' || subject_ref FROM audit WHERE id = ?1", audit_id,
               text, sizeof text);
    char want[128];
    snprintf(want, sizeof want, "company.forget|%s", ref);
    assert_string_equal(text, want);
    assert_int_equal(
        query_int(f->db, "SELECT counts->>'contacts' FROM audit WHERE id = ?1", audit_id), n);
    assert_int_equal(query_int(f->db, "SELECT counts->>'deals' FROM audit WHERE id = ?1", audit_id),
                     deals);
    /* Processors hear about the company and about each contact. */
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM processor_notices WHERE audit_id = ?1", audit_id),
        3 * (n + 1));
    assert_int_equal(wal_size(f), 0);
    for (int i = 0; i < k; i++)
        if (db_hits(f, emails[i]) != 0)
            fail_msg("%s is still in the database files", emails[i]);
    assert_int_equal(erase_company(f->db, company, 1, &c, NULL), ERASE_NOT_FOUND);
    assert_int_equal(erase_company(f->db, 999999, 1, &c, NULL), ERASE_NOT_FOUND);
}

static void test_purge_expired(void **state)
{
    struct fixture *f = *state;
    const char *names[] = {"Purgeold", "Purgeyoung", "Purgelive"};
    const int64_t deleted_at[] = {FIXED_NOW - 91 * DAY, FIXED_NOW - 89 * DAY, 0};
    int64_t ids[3];

    for (int i = 0; i < 3; i++) {
        const char *t[] = {names[i]};
        const int64_t n[] = {deleted_at[i] ? 1 : 0, deleted_at[i], FIXED_NOW - 200 * DAY};
        ids[i] = insert(f->db,
                        "INSERT INTO contacts (first_name, is_deleted, deleted_at, created_at,"
                        " updated_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?4)",
                        t, 1, n, 3);
        const int64_t a[] = {ids[i], FIXED_NOW - 150 * DAY};
        insert(f->db,
               "INSERT INTO activities (contact_id, action_type, created_at)"
               " VALUES (?1, 'created', ?2)",
               NULL, 0, a, 2);
    }
    const int64_t co[] = {FIXED_NOW - 100 * DAY, FIXED_NOW - 400 * DAY};
    int64_t company = insert(f->db,
                             "INSERT INTO companies (name, is_deleted, deleted_at, created_at,"
                             " updated_at) VALUES ('Purged Firm Ltd', 1, ?1, ?2, ?2)",
                             NULL, 0, co, 2);
    const int64_t d[] = {company, FIXED_NOW - 300 * DAY};
    insert(f->db,
           "INSERT INTO deals (name, sales_account_id, created_at) VALUES ('Old deal', ?1, ?2)",
           NULL, 0, d, 2);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE contacts SET sales_account_id = %lld WHERE id = %lld",
             (long long)company, (long long)ids[2]);
    exec_ok(f->db, sql);

    assert_int_equal(erase_purge_expired(f->db, FIXED_NOW), 2);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", ids[0]), 0);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM activities WHERE contact_id = ?1", ids[0]), 0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", ids[1]), 1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", ids[2]), 1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM companies WHERE id = ?1", company), 0);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM deals WHERE sales_account_id = ?1", company), 0);
    assert_int_equal(query_int(f->db,
                               "SELECT count(*) FROM contacts WHERE id = ?1 AND"
                               " sales_account_id IS NULL",
                               ids[2]),
                     1);
    assert_int_equal(query_int(f->db,
                               "SELECT count(*) FROM audit WHERE action = 'contact.purge'"
                               " AND actor_user_id IS NULL",
                               0),
                     1);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM audit WHERE action = 'company.purge'", 0), 1);
    assert_int_equal(db_hits(f, "Purgeold"), 0);
    assert_int_equal(db_hits(f, "Purged Firm Ltd"), 0);
    /* Nothing more until the young one turns 90 days. */
    assert_int_equal(erase_purge_expired(f->db, FIXED_NOW), 0);
    assert_int_equal(erase_purge_expired(f->db, FIXED_NOW + 2 * DAY), 1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", ids[1]), 0);
}

static void test_call_data(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    make_victim(f->db, &v);
    assert_true(db_hits(f, V_CALL) > 0);
    assert_int_equal(db_begin(f->db), 0);
    assert_int_equal(erase_call_data(f->db, v.id), 1);
    assert_int_equal(db_commit(f->db), 0);
    assert_int_equal(erase_checkpoint(f->db), 0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM calls WHERE contact_id = ?1", v.id), 2);
    assert_int_equal(query_int(f->db,
                               "SELECT count(*) FROM calls WHERE contact_id = ?1 AND note"
                               " IS NOT NULL",
                               v.id),
                     0);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM recordings WHERE call_id = ?1", v.calls[0]), 0);
    assert_int_equal(db_hits(f, V_CALL), 0);
    assert_int_equal(db_hits(f, "recorded audio"), 0);
    assert_int_equal(erase_call_data(f->db, v.id), 0);
}

static int64_t row_total(sqlite3 *db, const struct victim *v)
{
    char sql[1024];
    long long id = (long long)v->id;
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM contacts WHERE id = %lld)"
             " + (SELECT count(*) FROM activities WHERE contact_id = %lld)"
             " + (SELECT count(*) FROM notes WHERE contact_id = %lld)"
             " + (SELECT count(*) FROM chats WHERE contact_id = %lld)"
             " + (SELECT count(*) FROM search_terms WHERE contact_id = %lld)"
             " + (SELECT count(*) FROM contact_emails WHERE contact_id = %lld)"
             " + (SELECT count(*) FROM privacy_requests WHERE contact_id = %lld)"
             " + (SELECT count(*) FROM chat_messages WHERE chat_id = %lld)"
             " + (SELECT count(*) FROM recordings WHERE call_id = %lld)",
             id, id, id, id, id, id, id, (long long)v->chat, (long long)v->calls[0]);
    return query_int(db, sql, 0);
}

/* A failure half-way rolls everything back: the contact is whole, no audit. */
static void test_failure_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    make_victim(f->db, &v);
    int64_t rows = row_total(f->db, &v);
    assert_true(rows > 10);
    exec_ok(f->db, "CREATE TEMP TRIGGER fail_forget BEFORE DELETE ON main.contacts"
                   " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    assert_int_equal(erase_contact(f->db, v.id, 1, &c, NULL), ERASE_FAILED);
    assert_int_equal(row_total(f->db, &v), rows);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM audit", 0), 0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM processor_notices", 0), 0);
    assert_int_equal(sqlite3_get_autocommit(f->db), 1);
    exec_ok(f->db, "DROP TRIGGER temp.fail_forget");
    assert_int_equal(erase_contact(f->db, v.id, 1, &c, NULL), ERASE_OK);
    assert_int_equal(row_total(f->db, &v), 0);
}

static void crash_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    _exit(7);
}

/* The process dies in the middle of the transaction: on reopening, the
 * contact is whole; the erasure can then be done. */
static void test_crash_mid_erase(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    make_victim(f->db, &v);
    churn(f->db, v.id, 50);
    int64_t rows = row_total(f->db, &v);
    sqlite3_close(f->db);
    f->db = NULL;

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db = NULL;
        char err[256];
        if (db_open(f->path, &db, err, sizeof err) != 0)
            _exit(1);
        /* A small cache makes SQLite spill dirty pages into the WAL before
         * the commit that never comes. */
        sqlite3_exec(db, "PRAGMA cache_size=10", NULL, NULL, NULL);
        sqlite3_create_function(db, "crash_now", 0, SQLITE_UTF8, NULL, crash_now, NULL, NULL);
        sqlite3_exec(db,
                     "CREATE TEMP TRIGGER crash BEFORE DELETE ON main.contacts"
                     " BEGIN SELECT crash_now(); END",
                     NULL, NULL, NULL);
        erase_contact(db, v.id, 1, NULL, NULL);
        _exit(2); /* not reached when the trigger fires */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);

    open_db(f);
    assert_int_equal(row_total(f->db, &v), rows);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM audit", 0), 0);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    assert_int_equal(erase_contact(f->db, v.id, 1, &c, NULL), ERASE_OK);
    assert_int_equal(row_total(f->db, &v), 0);
    assert_int_equal(db_hits(f, V_EMAIL), 0);
}

/* SQLite leaves old copies of moved cells in a page's unused space when it
 * rebuilds the page during a rebalance; secure_delete does not reach them.
 * Plant such a copy and check that the erasure finds and removes it. */
static void test_old_copy_in_unused_space(void **state)
{
    struct fixture *f = *state;
    struct victim v;
    struct erase_counts c;
    make_victim(f->db, &v);
    sqlite3_close(f->db); /* the last connection folds the WAL into the file */
    f->db = NULL;
    assert_int_equal(wal_size(f), 0);

    FILE *fp = fopen(f->path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    rewind(fp);
    uint8_t *file = malloc((size_t)size);
    assert_non_null(file);
    assert_int_equal(fread(file, 1, (size_t)size, fp), (size_t)size);
    long planted = -1;
    for (long pg = 1; planted < 0 && (pg + 1) * 4096L <= size; pg++) {
        const uint8_t *page = file + pg * 4096L; /* page pg + 1; page 1 has the file header */
        if (page[0] != 13)                       /* a table leaf */
            continue;
        size_t ncell = (size_t)page[3] << 8 | page[4];
        size_t content = (size_t)page[5] << 8 | page[6];
        size_t gap = 8 + 2 * ncell;
        if (content > gap + 64)
            planted = pg * 4096L + (long)gap + 16;
    }
    free(file);
    assert_true(planted > 0);
    assert_int_equal(fseek(fp, planted, SEEK_SET), 0);
    assert_int_equal(fwrite(V_EMAIL, 1, strlen(V_EMAIL), fp), strlen(V_EMAIL));
    fclose(fp);
    assert_true(planted > 0);

    open_db(f);
    assert_int_equal(query_int(f->db,
                               "SELECT count(*) FROM pragma_integrity_check WHERE"
                               " integrity_check <> 'ok'",
                               0),
                     0);
    int64_t rebuilds = erase_rebuilds();
    assert_int_equal(erase_contact(f->db, v.id, 1, &c, NULL), ERASE_OK);
    assert_int_equal(erase_rebuilds(), rebuilds + 1);
    for (size_t i = 0; i < sizeof victim_values / sizeof victim_values[0]; i++)
        if (db_hits(f, victim_values[i]) != 0)
            fail_msg("%s is still in the database files", victim_values[i]);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM contacts", 0), 300);
}

/* Many demo contacts forgotten one after another, in a database whose pages
 * were filled and split by the bulk seed: none of their emails or phones
 * stays anywhere in the files. */
static void test_many_forgets_leave_nothing(void **state)
{
    struct fixture *f = *state;
    enum { N_VICTIMS = 120 };
    static char emails[N_VICTIMS][160], phones[N_VICTIMS][64];
    struct erase_counts c;
    int64_t ids[N_VICTIMS];

    for (int i = 0; i < N_VICTIMS; i++) {
        ids[i] = 2 + (int64_t)i * 24;
        query_text(f->db, "SELECT email FROM contacts WHERE id = ?1", ids[i], emails[i],
                   sizeof emails[i]);
        query_text(f->db, "SELECT coalesce(mobile_number, '') FROM contacts WHERE id = ?1", ids[i],
                   phones[i], sizeof phones[i]);
        assert_true(strlen(emails[i]) > 5);
    }
    int64_t rebuilds = erase_rebuilds();
    for (int i = 0; i < N_VICTIMS; i++)
        assert_int_equal(erase_contact(f->db, ids[i], 1, &c, NULL), ERASE_OK);
    assert_int_equal(wal_size(f), 0);
    for (int i = 0; i < N_VICTIMS; i++) {
        if (db_hits(f, emails[i]) != 0)
            fail_msg("%s is still in the database files", emails[i]);
        if (phones[i][0] && db_hits(f, phones[i]) != 0)
            fail_msg("%s is still in the database files", phones[i]);
    }
    printf("# %d forgets, %lld database rebuilds\n", N_VICTIMS,
           (long long)(erase_rebuilds() - rebuilds));
}

/* Several connections forget at once, as a batch over several connections
 * does: the erasures take turns, share scrubs, and each one returns only once
 * nothing of its contact is left in the files. */
enum { CONC_THREADS = 4, CONC_EACH = 25 };

struct conc_worker {
    const char *path;
    int64_t ids[CONC_EACH];
    int ok;
    pthread_t thread;
    char emails[CONC_EACH][160];
    int leftovers; /* emails still in the files when their erasure returned */
};

static void *conc_run(void *arg)
{
    struct conc_worker *w = arg;
    struct fixture view;
    sqlite3 *db = NULL;
    char err[256];
    struct erase_counts c;

    if (db_open(w->path, &db, err, sizeof err) != 0)
        return NULL;
    snprintf(view.path, sizeof view.path, "%s", w->path);
    for (int i = 0; i < CONC_EACH; i++) {
        if (erase_contact(db, w->ids[i], 1, &c, NULL) == ERASE_OK)
            w->ok++;
        if (db_hits(&view, w->emails[i]) != 0)
            w->leftovers++;
    }
    sqlite3_close(db);
    return NULL;
}

static void test_concurrent_forgets_leave_nothing(void **state)
{
    struct fixture *f = *state;
    static struct conc_worker w[CONC_THREADS];
    int64_t audits =
        query_int(f->db, "SELECT count(*) FROM audit WHERE action = 'contact.forget'", 0);

    for (int t = 0; t < CONC_THREADS; t++) {
        memset(&w[t], 0, sizeof w[t]);
        w[t].path = f->path;
        for (int i = 0; i < CONC_EACH; i++) {
            w[t].ids[i] = 3 + (int64_t)(t * CONC_EACH + i) * 2;
            query_text(f->db, "SELECT email FROM contacts WHERE id = ?1", w[t].ids[i],
                       w[t].emails[i], sizeof w[t].emails[i]);
            assert_true(strlen(w[t].emails[i]) > 5);
        }
    }
    for (int t = 0; t < CONC_THREADS; t++)
        assert_int_equal(pthread_create(&w[t].thread, NULL, conc_run, &w[t]), 0);
    for (int t = 0; t < CONC_THREADS; t++)
        pthread_join(w[t].thread, NULL);
    for (int t = 0; t < CONC_THREADS; t++) {
        assert_int_equal(w[t].ok, CONC_EACH);
        assert_int_equal(w[t].leftovers, 0);
        for (int i = 0; i < CONC_EACH; i++)
            assert_int_equal(
                query_int(f->db, "SELECT count(*) FROM contacts WHERE id = ?1", w[t].ids[i]), 0);
    }
    assert_int_equal(wal_size(f), 0);
    assert_int_equal(
        query_int(f->db, "SELECT count(*) FROM audit WHERE action = 'contact.forget'", 0) - audits,
        CONC_THREADS * CONC_EACH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_subject_ref, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preview, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forget_leaves_no_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wal_retry_after_stuck_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forget_while_others_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forget_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forget_recycle_bin_contact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_company_forget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purge_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_mid_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_copy_in_unused_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_forgets_leave_nothing, setup_large, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_forgets_leave_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
