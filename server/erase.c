/* Erasure: forgetting contacts and companies so that nothing about them stays
 * in the database files, the recycle-bin purge, and audit subject references. */
#include "server/erase.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/search.h"
#include "server/sha256.h"

#define ERASE_RETENTION_S  (90 * 86400) /* the recycle bin keeps records 90 days */
#define ERASE_CKPT_TRIES   3            /* each try waits up to the busy timeout */
#define ERASE_NEEDLE_MIN   4            /* shorter values cannot be told apart from other text */
#define ERASE_NEEDLE_MAX   512
#define ERASE_PHONE_MIN    6 /* digits of a phone number worth looking for */
#define ERASE_MAP_HEADROOM (64 * 1024 * 1024)
#define ERASE_PURGE_BATCH  500
#define ERASE_SCAN_TRIES   5
#define ERASE_COUNTS_JSON  512

static atomic_llong erase_rebuild_count;
/* Set when an erasure committed but could not truncate the WAL (a reader held
 * an old snapshot); the periodic purge retries until it can. */
static atomic_int erase_wal_pending;

/* ---- the values a forgotten record leaves behind, to be looked for ---- */

/* Personal values of the records being erased. They live in memory only
 * while the erasure runs and are wiped when it ends. */
struct needles {
    char **v;
    size_t n, cap;
};

/* Wipes and frees one value (volatile: a plain memset before free may be
 * dropped by the compiler). */
static void needle_free(char *v)
{
    volatile char *p = v;
    while (*p)
        *p++ = 0;
    free(v);
}

static void needles_free(struct needles *nd)
{
    for (size_t i = 0; i < nd->n; i++)
        needle_free(nd->v[i]);
    free(nd->v);
    nd->v = NULL;
    nd->n = nd->cap = 0;
}

/* Room for one more value. */
static void needles_reserve(struct needles *nd)
{
    if (nd->n < nd->cap)
        return;
    size_t cap = nd->cap ? 2 * nd->cap : 16;
    char **v = realloc(nd->v, cap * sizeof *v);
    if (!v)
        abort();
    nd->v = v;
    nd->cap = cap;
}

static void needles_add_len(struct needles *nd, const char *s, size_t len)
{
    if (!s || len < ERASE_NEEDLE_MIN || len > ERASE_NEEDLE_MAX)
        return;
    for (size_t i = 0; i < nd->n; i++)
        if (strlen(nd->v[i]) == len && memcmp(nd->v[i], s, len) == 0)
            return;
    needles_reserve(nd);
    char *copy = malloc(len + 1);
    if (!copy)
        abort();
    memcpy(copy, s, len);
    copy[len] = '\0';
    nd->v[nd->n++] = copy;
}

/* A value as stored, and as the search index stores it (case-folded). */
static void needles_add(struct needles *nd, const char *s)
{
    char folded[ERASE_NEEDLE_MAX + 1];
    if (!s)
        return;
    size_t len = strlen(s);
    needles_add_len(nd, s, len);
    needles_add_len(nd, folded, search_fold(s, len, folded, sizeof folded));
}

static void needles_add_phone(struct needles *nd, const char *phone)
{
    char digits[ERASE_NEEDLE_MAX + 1];
    size_t n = 0;
    if (!phone)
        return;
    needles_add(nd, phone);
    for (const char *p = phone; *p && n < sizeof digits - 1; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = '\0';
    if (n >= ERASE_PHONE_MIN)
        needles_add_len(nd, digits, n);
}

/* ---- statements ---- */

enum erase_sql_id {
    Q_EXISTS,
    Q_COUNT_ACTIVITIES,
    Q_COUNT_NOTES,
    Q_COUNT_CALLS,
    Q_COUNT_RECORDINGS,
    Q_COUNT_CHATS,
    Q_COUNT_OUTBOX,
    Q_COUNT_SUBS,
    Q_COUNT_DEALS_OF_COMPANY,
    Q_PERSONAL,
    Q_EMAILS,
    Q_TOKEN_EMAILS,
    Q_DEL_CHAT_MESSAGES,
    Q_DEL_CHATS,
    Q_DEL_RECORDINGS,
    Q_DEL_CALLS,
    Q_DEL_ACTIVITIES,
    Q_DEL_NOTES,
    Q_DEL_OUTBOX,
    Q_DEL_TOKENS,
    Q_DEL_SUBS,
    Q_DEL_TERMS,
    Q_PRIVACY,
    Q_DEL_EMAILS,
    Q_DEL_CONTACT,
    Q_COUNT
};

static const char *const erase_sql[Q_COUNT] = {
    [Q_EXISTS] = "SELECT sales_account_id FROM contacts WHERE id = ?1",
    [Q_COUNT_ACTIVITIES] = "SELECT count(*) FROM activities WHERE contact_id = ?1",
    [Q_COUNT_NOTES] = "SELECT count(*) FROM notes WHERE contact_id = ?1",
    [Q_COUNT_CALLS] = "SELECT count(*) FROM calls WHERE contact_id = ?1",
    [Q_COUNT_RECORDINGS] = "SELECT count(*) FROM recordings"
                           " WHERE call_id IN (SELECT id FROM calls WHERE contact_id = ?1)",
    [Q_COUNT_CHATS] = "SELECT count(*) FROM chats WHERE contact_id = ?1",
    [Q_COUNT_OUTBOX] = "SELECT count(*) FROM outbox WHERE contact_id = ?1",
    [Q_COUNT_SUBS] = "SELECT count(*) FROM subscriptions WHERE contact_id = ?1",
    [Q_COUNT_DEALS_OF_COMPANY] = "SELECT count(*) FROM deals WHERE sales_account_id = ?1",
    [Q_PERSONAL] = "SELECT first_name, last_name, email, mobile_number, work_number"
                   " FROM contacts WHERE id = ?1",
    [Q_EMAILS] = "SELECT value FROM contact_emails WHERE contact_id = ?1",
    [Q_TOKEN_EMAILS] = "SELECT email FROM tokens WHERE contact_id = ?1 AND email IS NOT NULL",
    [Q_DEL_CHAT_MESSAGES] = "DELETE FROM chat_messages"
                            " WHERE chat_id IN (SELECT id FROM chats WHERE contact_id = ?1)",
    [Q_DEL_CHATS] = "DELETE FROM chats WHERE contact_id = ?1",
    [Q_DEL_RECORDINGS] = "DELETE FROM recordings"
                         " WHERE call_id IN (SELECT id FROM calls WHERE contact_id = ?1)",
    [Q_DEL_CALLS] = "DELETE FROM calls WHERE contact_id = ?1",
    [Q_DEL_ACTIVITIES] = "DELETE FROM activities WHERE contact_id = ?1",
    [Q_DEL_NOTES] = "DELETE FROM notes WHERE contact_id = ?1",
    [Q_DEL_OUTBOX] = "DELETE FROM outbox WHERE contact_id = ?1",
    [Q_DEL_TOKENS] = "DELETE FROM tokens WHERE contact_id = ?1",
    [Q_DEL_SUBS] = "DELETE FROM subscriptions WHERE contact_id = ?1",
    [Q_DEL_TERMS] = "DELETE FROM search_terms WHERE contact_id = ?1",
    /* A request about the contact keeps its reference, never the address. */
    [Q_PRIVACY] = "UPDATE privacy_requests SET subject_ref = coalesce(subject_ref, ?2),"
                  " subject_email = NULL, contact_id = NULL"
                  " WHERE contact_id = ?1"
                  " OR lower(subject_email) IN (SELECT lower(value) FROM contact_emails"
                  "  WHERE contact_id = ?1)"
                  " OR lower(subject_email) = (SELECT lower(email) FROM contacts WHERE id = ?1)",
    [Q_DEL_EMAILS] = "DELETE FROM contact_emails WHERE contact_id = ?1",
    [Q_DEL_CONTACT] = "DELETE FROM contacts WHERE id = ?1",
};

struct eraser {
    sqlite3 *db;
    sqlite3_stmt *st[Q_COUNT];
    struct needles nd;
};

static int eraser_open(struct eraser *e, sqlite3 *db)
{
    memset(e, 0, sizeof *e);
    e->db = db;
    for (int i = 0; i < Q_COUNT; i++)
        if (sqlite3_prepare_v2(db, erase_sql[i], -1, &e->st[i], NULL) != SQLITE_OK)
            return -1;
    return 0;
}

static void eraser_close(struct eraser *e)
{
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(e->st[i]);
    needles_free(&e->nd);
}

/* Runs a one-integer query with ?1 = id; -1 on error. */
static int64_t query_count(sqlite3_stmt *st, int64_t id)
{
    int64_t v = -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        v = 0;
    sqlite3_reset(st);
    return v;
}

static int exec_id(sqlite3_stmt *st, int64_t id)
{
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Secure delete is set by db_open; a connection opened otherwise gets it here.
 * Returns 0 when it is on. */
static int secure_delete_on(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int on = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA secure_delete=ON", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        on = sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    return on ? 0 : -1;
}

/* ---- counting ---- */

/* Fills *out for one contact; ERASE_NOT_FOUND when there is no such row. */
static enum erase_result contact_counts(struct eraser *e, int64_t id, struct erase_counts *out)
{
    sqlite3_stmt *st = e->st[Q_EXISTS];
    int64_t company = 0;

    memset(out, 0, sizeof *out);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        company = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ERASE_NOT_FOUND;
    if (rc != SQLITE_ROW)
        return ERASE_FAILED;

    out->contacts = 1;
    out->activities = query_count(e->st[Q_COUNT_ACTIVITIES], id);
    out->notes = query_count(e->st[Q_COUNT_NOTES], id);
    out->calls = query_count(e->st[Q_COUNT_CALLS], id);
    out->recordings = query_count(e->st[Q_COUNT_RECORDINGS], id);
    out->chats = query_count(e->st[Q_COUNT_CHATS], id);
    out->emails = query_count(e->st[Q_COUNT_OUTBOX], id);
    out->subscriptions = query_count(e->st[Q_COUNT_SUBS], id);
    if (company > 0) {
        out->companies_kept = 1;
        out->deals_kept = query_count(e->st[Q_COUNT_DEALS_OF_COMPANY], company);
    }
    if (out->activities < 0 || out->notes < 0 || out->calls < 0 || out->recordings < 0 ||
        out->chats < 0 || out->emails < 0 || out->subscriptions < 0 || out->deals_kept < 0)
        return ERASE_FAILED;
    return ERASE_OK;
}

static void counts_add(struct erase_counts *sum, const struct erase_counts *c)
{
    sum->contacts += c->contacts;
    sum->activities += c->activities;
    sum->notes += c->notes;
    sum->calls += c->calls;
    sum->recordings += c->recordings;
    sum->chats += c->chats;
    sum->emails += c->emails;
    sum->subscriptions += c->subscriptions;
}

/* ---- removing ---- */

static void collect_personal(struct eraser *e, int64_t id)
{
    sqlite3_stmt *st = e->st[Q_PERSONAL];
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        needles_add(&e->nd, (const char *)sqlite3_column_text(st, 0));
        needles_add(&e->nd, (const char *)sqlite3_column_text(st, 1));
        needles_add(&e->nd, (const char *)sqlite3_column_text(st, 2));
        needles_add_phone(&e->nd, (const char *)sqlite3_column_text(st, 3));
        needles_add_phone(&e->nd, (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_reset(st);
    st = e->st[Q_EMAILS];
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        needles_add(&e->nd, (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    st = e->st[Q_TOKEN_EMAILS];
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW)
        needles_add(&e->nd, (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
}

/* Deletes every row about contact id, children first (the schema's cascades
 * would do most of it; explicit deletes do not depend on foreign_keys=ON). */
static enum erase_result remove_contact(struct eraser *e, int64_t id, const char *ref,
                                        struct erase_counts *counts)
{
    static const enum erase_sql_id before_privacy[] = {
        Q_DEL_CHAT_MESSAGES, Q_DEL_CHATS,  Q_DEL_RECORDINGS, Q_DEL_CALLS, Q_DEL_ACTIVITIES,
        Q_DEL_NOTES,         Q_DEL_OUTBOX, Q_DEL_TOKENS,     Q_DEL_SUBS,  Q_DEL_TERMS,
    };
    enum erase_result r = contact_counts(e, id, counts);
    if (r != ERASE_OK)
        return r;
    collect_personal(e, id);
    for (size_t i = 0; i < sizeof before_privacy / sizeof before_privacy[0]; i++)
        if (exec_id(e->st[before_privacy[i]], id) < 0)
            return ERASE_FAILED;

    sqlite3_stmt *st = e->st[Q_PRIVACY];
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return ERASE_FAILED;

    if (exec_id(e->st[Q_DEL_EMAILS], id) < 0 || exec_id(e->st[Q_DEL_CONTACT], id) < 0)
        return ERASE_FAILED;
    return sqlite3_changes(e->db) == 1 ? ERASE_OK : ERASE_FAILED;
}

static void counts_json(const struct erase_counts *c, int64_t deals, char *out, size_t outlen)
{
    int n = snprintf(out, outlen,
                     "{\"contacts\":%lld,\"activities\":%lld,\"notes\":%lld,\"calls\":%lld,"
                     "\"recordings\":%lld,\"chats\":%lld,\"emails\":%lld,\"subscriptions\":%lld,"
                     "\"deals_kept\":%lld,\"companies_kept\":%lld",
                     (long long)c->contacts, (long long)c->activities, (long long)c->notes,
                     (long long)c->calls, (long long)c->recordings, (long long)c->chats,
                     (long long)c->emails, (long long)c->subscriptions, (long long)c->deals_kept,
                     (long long)c->companies_kept);
    if (n < 0 || (size_t)n >= outlen)
        return;
    if (deals >= 0)
        snprintf(out + n, outlen - (size_t)n, ",\"deals\":%lld}", (long long)deals);
    else
        snprintf(out + n, outlen - (size_t)n, "}");
}

/* One pending notice per processor for the given ref. */
static int notify_processors(sqlite3 *db, int64_t audit_id, const char *ref)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO processor_notices (processor_id, audit_id, subject_ref,"
                           " status, created_at) SELECT id, ?1, ?2, 'pending', ?3 FROM processors",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, audit_id);
    sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, db_now());
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
    sqlite3_finalize(st);
    return rc;
}

/* ---- making sure nothing is left on disk ---- */

/* The questions asked of each value: does a remaining record still hold it,
 * as a search term (names, emails, phone digits, all folded), a name, or an
 * email? The first also takes a phone number's digits. */
static const char *const in_use_sql[] = {
    "SELECT 1 FROM search_terms WHERE term = ?1 LIMIT 1",
    "SELECT 1 FROM contacts WHERE is_deleted IN (0, 1) AND first_name = ?1 COLLATE NOCASE"
    " LIMIT 1",
    "SELECT 1 FROM contacts WHERE is_deleted IN (0, 1) AND last_name = ?1 COLLATE NOCASE"
    " LIMIT 1",
    "SELECT 1 FROM contacts WHERE is_deleted IN (0, 1) AND email = ?1 COLLATE NOCASE LIMIT 1",
    "SELECT 1 FROM contact_emails WHERE value = ?1 COLLATE NOCASE LIMIT 1",
};
#define IN_USE_N (sizeof in_use_sql / sizeof in_use_sql[0])

static int row_exists(sqlite3_stmt *st, const char *value)
{
    int found = 1; /* when in doubt, do not search for it */
    if (!st)
        return found;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    found = rc == SQLITE_ROW || rc != SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

/* True when a remaining record still holds the value. */
static int needle_in_use(sqlite3_stmt *const st[IN_USE_N], const char *needle)
{
    char digits[ERASE_NEEDLE_MAX + 1];
    size_t n = 0;
    int phone_like = 1;

    for (size_t i = 0; i < IN_USE_N; i++)
        if (row_exists(st[i], needle))
            return 1;
    for (const char *p = needle; *p && n < sizeof digits - 1; p++) {
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
        else if (!strchr("+-(). /", *p))
            phone_like = 0;
    }
    digits[n] = '\0';
    return phone_like && n >= ERASE_PHONE_MIN && row_exists(st[0], digits);
}

/* Keeps only the values no remaining record holds: another contact called
 * "Maria" is still there, and so is her name in the file. */
static void needles_keep_distinct(sqlite3 *db, struct needles *nd)
{
    sqlite3_stmt *st[IN_USE_N] = {NULL};
    size_t k = 0;

    for (size_t i = 0; i < IN_USE_N; i++)
        if (sqlite3_prepare_v2(db, in_use_sql[i], -1, &st[i], NULL) != SQLITE_OK)
            st[i] = NULL;
    for (size_t i = 0; i < nd->n; i++) {
        if (needle_in_use(st, nd->v[i]))
            needle_free(nd->v[i]);
        else
            nd->v[k++] = nd->v[i];
    }
    nd->n = k;
    for (size_t i = 0; i < IN_USE_N; i++)
        sqlite3_finalize(st[i]);
}

static int bytes_contain(const uint8_t *hay, size_t len, const char *needle, size_t nl)
{
    const uint8_t *p = hay, *end = hay + len;
    while ((size_t)(end - p) >= nl) {
        p = memchr(p, (unsigned char)needle[0], (size_t)(end - p) - nl + 1);
        if (!p)
            return 0;
        if (memcmp(p, needle, nl) == 0)
            return 1;
        p++;
    }
    return 0;
}

static int region_has(const uint8_t *p, size_t len, const struct needles *nd)
{
    /* Unused space is mostly zeros (fresh or securely deleted); skip them a
     * word at a time and search only what lies between. */
    uint64_t w;
    while (len >= sizeof w && (memcpy(&w, p, sizeof w), w == 0)) {
        p += sizeof w;
        len -= sizeof w;
    }
    while (len >= sizeof w && (memcpy(&w, p + len - sizeof w, sizeof w), w == 0))
        len -= sizeof w;
    for (size_t i = 0; i < nd->n; i++) {
        size_t nl = strlen(nd->v[i]);
        if (nl <= len && bytes_contain(p, len, nd->v[i], nl))
            return 1;
    }
    return 0;
}

/* Searches the parts of one page that hold no live record: on a b-tree page
 * the gap between the cell pointers and the cells, and the freeblocks; any
 * other page (overflow, free list) whole. Old copies of moved cells survive
 * in the gap when SQLite rebuilds a page during a rebalance. */
static int page_has(const uint8_t *page, size_t size, int first, const struct needles *nd)
{
    size_t hdr = first ? 100 : 0;
    uint8_t type = page[hdr];
    if (type != 2 && type != 5 && type != 10 && type != 13)
        return region_has(page, size, nd);

    size_t head = hdr + (type == 2 || type == 5 ? 12 : 8);
    size_t ncell = (size_t)page[hdr + 3] << 8 | page[hdr + 4];
    size_t content = (size_t)page[hdr + 5] << 8 | page[hdr + 6];
    if (content == 0)
        content = 65536;
    size_t gap_start = head + 2 * ncell;
    if (gap_start > size || content > size || gap_start > content)
        return region_has(page, size, nd); /* not a page we understand: all of it */
    if (region_has(page + gap_start, content - gap_start, nd))
        return 1;

    size_t fb = (size_t)page[hdr + 1] << 8 | page[hdr + 2];
    for (int hops = 0; fb != 0 && hops < 1024; hops++) {
        if (fb + 4 > size)
            return region_has(page, size, nd);
        size_t fsize = (size_t)page[fb + 2] << 8 | page[fb + 3];
        if (fsize < 4 || fb + fsize > size)
            return region_has(page, size, nd);
        if (region_has(page + fb + 4, fsize - 4, nd))
            return 1;
        fb = (size_t)page[fb] << 8 | page[fb + 1];
    }
    return 0;
}

/* The database file stays mapped between erasures: mapping it afresh costs a
 * page fault per page, a warm mapping is read at memory speed. Only bytes
 * below the file's current size are ever touched.
 *
 * A descriptor opened on a database file is never closed: on POSIX, closing
 * any descriptor of a file drops every lock the process holds on it, SQLite's
 * included, and another process could then check the WAL out from under the
 * server. So each database file is opened once and its descriptor kept. */
#define ERASE_HELD_MAX 64

static struct {
    pthread_mutex_t lock;
    struct {
        dev_t dev;
        ino_t ino;
        int fd;
    } held[ERASE_HELD_MAX];
    size_t n_held;
    dev_t dev; /* the file mapped now */
    ino_t ino;
    const uint8_t *map;
    size_t len;
} erase_map = {PTHREAD_MUTEX_INITIALIZER, {{0, 0, -1}}, 0, 0, 0, NULL, 0};

/* The kept descriptor of path's file, opening it the first time; fills *sb
 * from it. -1 when the file cannot be opened or too many were. */
static int held_fd(const char *path, struct stat *sb)
{
    struct stat ps;
    size_t i;

    if (stat(path, &ps) < 0)
        return -1;
    for (i = 0; i < erase_map.n_held; i++)
        if (erase_map.held[i].dev == ps.st_dev && erase_map.held[i].ino == ps.st_ino)
            return fstat(erase_map.held[i].fd, sb) == 0 ? erase_map.held[i].fd : -1;
    if (erase_map.n_held == ERASE_HELD_MAX)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, sb) < 0 || sb->st_dev != ps.st_dev || sb->st_ino != ps.st_ino) {
        /* Replaced between stat and open: keep the descriptor (see above) but
         * do not use it. */
        erase_map.held[erase_map.n_held].dev = sb->st_dev;
        erase_map.held[erase_map.n_held].ino = sb->st_ino;
        erase_map.held[erase_map.n_held++].fd = fd;
        return -1;
    }
    erase_map.held[erase_map.n_held].dev = sb->st_dev;
    erase_map.held[erase_map.n_held].ino = sb->st_ino;
    erase_map.held[erase_map.n_held++].fd = fd;
    return fd;
}

/* Maps path (again when it changed or grew); returns the mapping and the file
 * size in *size, or NULL. Called with erase_map.lock held. */
static const uint8_t *map_file(const char *path, size_t *size)
{
    struct stat sb;
    int fd = held_fd(path, &sb);

    if (fd < 0)
        return NULL;
    *size = (size_t)sb.st_size;
    if (erase_map.map && erase_map.dev == sb.st_dev && erase_map.ino == sb.st_ino &&
        *size <= erase_map.len)
        return erase_map.map;
    if (erase_map.map)
        munmap((void *)(uintptr_t)erase_map.map, erase_map.len);
    erase_map.map = NULL;
    erase_map.len = 0;
    /* Headroom so that a growing file is not remapped after every insert. */
    size_t len = *size + *size / 4 + ERASE_MAP_HEADROOM;
    void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED)
        return NULL;
    erase_map.map = m;
    erase_map.len = len;
    erase_map.dev = sb.st_dev;
    erase_map.ino = sb.st_ino;
    return erase_map.map;
}

/* 1 when any needle is found in the unused space of the main database file,
 * 0 when none is, -1 when the file cannot be read. The caller holds the write
 * lock with an empty WAL, so the file does not change while it is read. */
static int file_has_residue(const char *path, const struct needles *nd)
{
    int found = -1;
    size_t size = 0;

    if (nd->n == 0)
        return 0;
    pthread_mutex_lock(&erase_map.lock);
    const uint8_t *map = map_file(path, &size);
    if (!map)
        goto out;
    if (size < 100) {
        found = 0;
        goto out;
    }
    size_t page = (size_t)map[16] << 8 | map[17];
    if (page == 1)
        page = 65536;
    if (page < 512 || (page & (page - 1)) != 0)
        goto out;
    found = 0;
    for (size_t p = 0; p + page <= size && !found; p += page)
        found = page_has(map + p, page, p == 0, nd);
out:
    pthread_mutex_unlock(&erase_map.lock);
    return found;
}

static int wal_is_empty(const char *path)
{
    char wal[4096];
    struct stat sb;
    if (snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal)
        return 0;
    if (stat(wal, &sb) < 0)
        return errno == ENOENT;
    return sb.st_size == 0;
}

/* The scan runs under the write lock so that no checkpoint moves pages
 * while it reads. Returns 1 (residue), 0 (clean) or -1 (not checked). */
static int scan_locked(sqlite3 *db, const char *path, const struct needles *nd)
{
    int found = -1;
    if (db_begin(db) < 0)
        return -1;
    if (wal_is_empty(path))
        found = file_has_residue(path, nd);
    db_rollback(db);
    return found;
}

/* After erasures have committed: truncate the WAL, then make sure no copy
 * of the erased values is left in the file's unused space. When one is, the
 * database is rebuilt (VACUUM), which writes every page afresh. */
static void scrub(sqlite3 *db, struct needles *nd)
{
    const char *path = sqlite3_db_filename(db, "main");
    int found = -1;

    if (erase_checkpoint(db) < 0) {
        atomic_store(&erase_wal_pending, 1);
        fprintf(stderr, "crm-server: erasure committed; the WAL could not be truncated yet"
                        " (a reader holds it); the periodic purge retries\n");
        return;
    }
    if (!path || !*path || nd->n == 0)
        return;
    needles_keep_distinct(db, nd);
    /* Another connection may commit between the checkpoint and the lock; the
     * file is only complete with the WAL empty, so checkpoint again. */
    for (int attempt = 0; attempt < ERASE_SCAN_TRIES && found < 0; attempt++)
        if (attempt == 0 || erase_checkpoint(db) == 0)
            found = scan_locked(db, path, nd);
    if (found < 0)
        fprintf(stderr, "crm-server: erasure committed; the unused-space check could not run\n");
    if (found != 1)
        return;
    atomic_fetch_add(&erase_rebuild_count, 1);
    if (db_vacuum(db) < 0 || erase_checkpoint(db) < 0) {
        fprintf(stderr, "crm-server: erasure committed; rebuilding the database failed: %s\n",
                sqlite3_errmsg(db));
        return;
    }
    if (scan_locked(db, path, nd) == 1)
        fprintf(stderr, "crm-server: erasure committed; an erased value is still held by"
                        " another record\n");
}

/* Erasures take turns: one transaction at a time, queued here rather than in
 * SQLite's busy handler (which sleeps for milliseconds). Those that committed
 * while others were still waiting for their turn share one scrub: with several
 * erasures at once (a batch over several connections) the WAL is truncated and
 * the file read once for the group, not once each. Every erasure returns only
 * after a scrub that began after its commit has finished, so an answer still
 * means "nothing left on disk". The group is bounded by the server's threads,
 * as each eraser waits for its scrub. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct needles pending; /* values of committed erasures not yet scrubbed */
    uint64_t queued, done;  /* tickets handed out; every ticket <= done is scrubbed */
    int waiting;            /* erasers waiting for their turn */
    int writing;            /* an eraser is in its transaction */
    int running;            /* a scrub is running */
} erase_turn = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {NULL, 0, 0}, 0, 0, 0, 0, 0};

/* Moves every value of from into to (no copy); from is left empty. */
static void needles_move(struct needles *to, struct needles *from)
{
    for (size_t i = 0; i < from->n; i++) {
        needles_reserve(to);
        to->v[to->n++] = from->v[i];
    }
    from->n = 0;
}

/* Waits for this eraser's turn and begins its transaction. On -1 the turn is
 * already given back. */
static int erase_tx_begin(sqlite3 *db)
{
    pthread_mutex_lock(&erase_turn.lock);
    erase_turn.waiting++;
    while (erase_turn.writing || erase_turn.running)
        pthread_cond_wait(&erase_turn.cond, &erase_turn.lock);
    erase_turn.waiting--;
    erase_turn.writing = 1;
    pthread_mutex_unlock(&erase_turn.lock);
    if (db_begin(db) == 0)
        return 0;
    pthread_mutex_lock(&erase_turn.lock);
    erase_turn.writing = 0;
    pthread_cond_broadcast(&erase_turn.cond);
    pthread_mutex_unlock(&erase_turn.lock);
    return -1;
}

/* Ends the turn begun by erase_tx_begin. When the transaction committed, nd's
 * values join the next scrub, and this waits until that scrub has run (run by
 * whichever eraser of the group finds no other waiting). */
static void erase_tx_end(sqlite3 *db, struct needles *nd, int committed)
{
    pthread_mutex_lock(&erase_turn.lock);
    erase_turn.writing = 0;
    pthread_cond_broadcast(&erase_turn.cond);
    if (!committed) {
        pthread_mutex_unlock(&erase_turn.lock);
        return;
    }
    uint64_t ticket = ++erase_turn.queued;
    needles_move(&erase_turn.pending, nd);
    while (erase_turn.done < ticket) {
        if (erase_turn.running || erase_turn.writing || erase_turn.waiting > 0) {
            pthread_cond_wait(&erase_turn.cond, &erase_turn.lock);
            continue;
        }
        erase_turn.running = 1;
        uint64_t upto = erase_turn.queued;
        struct needles group = erase_turn.pending;
        memset(&erase_turn.pending, 0, sizeof erase_turn.pending);
        pthread_mutex_unlock(&erase_turn.lock);
        scrub(db, &group);
        needles_free(&group);
        pthread_mutex_lock(&erase_turn.lock);
        erase_turn.done = upto;
        erase_turn.running = 0;
        pthread_cond_broadcast(&erase_turn.cond);
    }
    pthread_mutex_unlock(&erase_turn.lock);
}

/* ---- the exported operations ---- */

int erase_subject_ref(sqlite3 *db, const char *kind, int64_t id, char out[65])
{
    sqlite3_stmt *st = NULL;
    uint8_t mac[SHA256_LEN];
    char msg[96];
    int rc = -1;

    out[0] = '\0';
    int n = snprintf(msg, sizeof msg, "%s:%lld", kind, (long long)id);
    if (n < 0 || (size_t)n >= sizeof msg)
        return -1;
    if (sqlite3_prepare_v2(db, "SELECT secret FROM account WHERE id = 1", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto out;
    const void *secret = sqlite3_column_blob(st, 0);
    int secret_len = sqlite3_column_bytes(st, 0);
    if (!secret || secret_len <= 0)
        goto out;
    hmac_sha256(secret, (size_t)secret_len, msg, (size_t)n, mac);
    sha256_hex(mac, sizeof mac, out);
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

enum erase_result erase_contact_preview(sqlite3 *db, int64_t contact_id, struct erase_counts *out)
{
    struct eraser e;
    struct erase_counts counts;
    enum erase_result r = ERASE_FAILED;

    if (eraser_open(&e, db) == 0)
        r = contact_counts(&e, contact_id, &counts);
    eraser_close(&e);
    if (r == ERASE_OK && out)
        *out = counts;
    return r;
}

/* Forgets contact ids[0..n) in one transaction with one audit entry per
 * contact (action) and notices for each. */
static enum erase_result forget_contacts(sqlite3 *db, const int64_t *ids, size_t n, int64_t actor,
                                         const char *action, struct erase_counts *out,
                                         int64_t *audit_id_out)
{
    struct eraser e;
    struct erase_counts counts, sum;
    enum erase_result r = ERASE_FAILED;
    char ref[65], json[ERASE_COUNTS_JSON];
    int64_t audit_id = 0;
    size_t done = 0;
    int turn = 0;

    memset(&sum, 0, sizeof sum);
    memset(&e, 0, sizeof e);
    if (secure_delete_on(db) < 0 || eraser_open(&e, db) < 0) {
        eraser_close(&e);
        return ERASE_FAILED;
    }
    if (erase_tx_begin(db) < 0)
        goto out;
    turn = 1;
    for (size_t i = 0; i < n; i++) {
        enum erase_result one = ERASE_FAILED;
        if (erase_subject_ref(db, "contact", ids[i], ref) == 0)
            one = remove_contact(&e, ids[i], ref, &counts);
        if (one == ERASE_NOT_FOUND && n > 1)
            continue; /* a purge candidate another connection already took */
        if (one != ERASE_OK) {
            r = one;
            goto out;
        }
        counts_json(&counts, -1, json, sizeof json);
        if (audit_write(db, 0, actor, action, ref, json, &audit_id) < 0 ||
            notify_processors(db, audit_id, ref) < 0)
            goto out;
        counts_add(&sum, &counts);
        if (n == 1) {
            sum.deals_kept = counts.deals_kept;
            sum.companies_kept = counts.companies_kept;
        }
        done++;
    }
    if (db_commit(db) < 0)
        goto out;
    r = done > 0 || n == 0 ? ERASE_OK : ERASE_NOT_FOUND;
    turn = 0;
    erase_tx_end(db, &e.nd, 1);
    if (out)
        *out = sum;
    if (audit_id_out)
        *audit_id_out = audit_id;
out:
    if (!sqlite3_get_autocommit(db))
        db_rollback(db);
    if (turn)
        erase_tx_end(db, NULL, 0);
    eraser_close(&e);
    return r;
}

enum erase_result erase_contact(sqlite3 *db, int64_t contact_id, int64_t actor_user_id,
                                struct erase_counts *out, int64_t *audit_id_out)
{
    return forget_contacts(db, &contact_id, 1, actor_user_id, "contact.forget", out, audit_id_out);
}

/* Adds the company's own values when no other company shares them. */
static void collect_company(struct eraser *e, int64_t company)
{
    sqlite3_stmt *st = NULL, *other = NULL;
    if (sqlite3_prepare_v2(e->db, "SELECT name, phone, address FROM companies WHERE id = ?1", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(e->db,
                           "SELECT 1 FROM companies WHERE id <> ?1 AND (instr(name, ?2) > 0"
                           " OR instr(phone, ?2) > 0 OR instr(address, ?2) > 0) LIMIT 1",
                           -1, &other, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, company);
    if (sqlite3_step(st) == SQLITE_ROW) {
        for (int col = 0; col < 3; col++) {
            const char *v = (const char *)sqlite3_column_text(st, col);
            if (!v)
                continue;
            sqlite3_bind_int64(other, 1, company);
            sqlite3_bind_text(other, 2, v, -1, SQLITE_STATIC);
            if (sqlite3_step(other) == SQLITE_DONE)
                needles_add_len(&e->nd, v, strlen(v));
            sqlite3_reset(other);
        }
    }
out:
    sqlite3_finalize(st);
    sqlite3_finalize(other);
}

enum erase_result erase_company(sqlite3 *db, int64_t company_id, int64_t actor_user_id,
                                struct erase_counts *out, int64_t *audit_id_out)
{
    struct eraser e;
    struct erase_counts counts, sum;
    enum erase_result r = ERASE_FAILED;
    sqlite3_stmt *list = NULL, *del = NULL;
    char ref[65], cref[65], json[ERASE_COUNTS_JSON];
    int64_t audit_id = 0, deals = 0;
    int64_t *ids = NULL;
    size_t n_ids = 0, cap = 0;
    int turn = 0;

    memset(&sum, 0, sizeof sum);
    memset(&e, 0, sizeof e);
    if (secure_delete_on(db) < 0 || eraser_open(&e, db) < 0) {
        eraser_close(&e);
        return ERASE_FAILED;
    }
    if (erase_tx_begin(db) < 0)
        goto out;
    turn = 1;
    if (sqlite3_prepare_v2(db, "SELECT id FROM companies WHERE id = ?1", -1, &list, NULL) !=
        SQLITE_OK)
        goto out;
    sqlite3_bind_int64(list, 1, company_id);
    int rc = sqlite3_step(list);
    sqlite3_finalize(list);
    list = NULL;
    if (rc == SQLITE_DONE) {
        r = ERASE_NOT_FOUND;
        goto out;
    }
    if (rc != SQLITE_ROW || erase_subject_ref(db, "company", company_id, ref) < 0)
        goto out;

    /* The ids first: deleting while stepping the same index is not safe. */
    if (sqlite3_prepare_v2(db, "SELECT id FROM contacts WHERE sales_account_id = ?1", -1, &list,
                           NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(list, 1, company_id);
    while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
        if (n_ids == cap) {
            cap = cap ? 2 * cap : 64;
            int64_t *grown = realloc(ids, cap * sizeof *ids);
            if (!grown)
                abort();
            ids = grown;
        }
        ids[n_ids++] = sqlite3_column_int64(list, 0);
    }
    if (rc != SQLITE_DONE)
        goto out;

    deals = query_count(e.st[Q_COUNT_DEALS_OF_COMPANY], company_id);
    if (deals < 0)
        goto out;
    for (size_t i = 0; i < n_ids; i++) {
        if (erase_subject_ref(db, "contact", ids[i], cref) < 0 ||
            remove_contact(&e, ids[i], cref, &counts) != ERASE_OK)
            goto out;
        counts_add(&sum, &counts);
    }
    collect_company(&e, company_id);
    if (sqlite3_prepare_v2(db, "DELETE FROM deals WHERE sales_account_id = ?1", -1, &del, NULL) !=
            SQLITE_OK ||
        exec_id(del, company_id) < 0)
        goto out;
    sqlite3_finalize(del);
    if (sqlite3_prepare_v2(db, "DELETE FROM companies WHERE id = ?1", -1, &del, NULL) !=
            SQLITE_OK ||
        exec_id(del, company_id) < 0)
        goto out;

    counts_json(&sum, deals, json, sizeof json);
    if (audit_write(db, 0, actor_user_id, "company.forget", ref, json, &audit_id) < 0 ||
        notify_processors(db, audit_id, ref) < 0)
        goto out;
    /* Each contact is a data subject of its own: its processors hear of it too. */
    for (size_t i = 0; i < n_ids; i++)
        if (erase_subject_ref(db, "contact", ids[i], cref) < 0 ||
            notify_processors(db, audit_id, cref) < 0)
            goto out;
    if (db_commit(db) < 0)
        goto out;
    r = ERASE_OK;
    turn = 0;
    erase_tx_end(db, &e.nd, 1);
    if (out)
        *out = sum;
    if (audit_id_out)
        *audit_id_out = audit_id;
out:
    sqlite3_finalize(list);
    sqlite3_finalize(del);
    if (!sqlite3_get_autocommit(db))
        db_rollback(db);
    if (turn)
        erase_tx_end(db, NULL, 0);
    free(ids);
    eraser_close(&e);
    return r;
}

int64_t erase_call_data(sqlite3 *db, int64_t contact_id)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM calls c WHERE c.contact_id = ?1 AND (c.note IS NOT NULL"
        " OR EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = c.id))",
        "DELETE FROM recordings WHERE call_id IN (SELECT id FROM calls WHERE contact_id = ?1)",
        "UPDATE calls SET note = NULL WHERE contact_id = ?1 AND note IS NOT NULL",
    };
    sqlite3_stmt *st = NULL;
    int64_t touched = -1;

    if (secure_delete_on(db) < 0)
        return -1;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
            goto fail;
        if (i == 0) {
            touched = query_count(st, contact_id);
            if (touched < 0)
                goto fail;
        } else if (exec_id(st, contact_id) < 0) {
            goto fail;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    return touched;
fail:
    sqlite3_finalize(st);
    return -1;
}

/* Collects up to max ids from a one-column query bound with ?1 = cutoff. */
static size_t collect_ids(sqlite3 *db, const char *sql, int64_t cutoff, int64_t *ids, size_t max,
                          int *err)
{
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    int rc;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *err = 1;
        return 0;
    }
    sqlite3_bind_int64(st, 1, cutoff);
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    if (n < max && rc != SQLITE_DONE)
        *err = 1;
    sqlite3_finalize(st);
    return n;
}

/* Purges soft-deleted companies (their deals with them; their contacts were
 * unlinked or soft-deleted on their own when the company was deleted). */
static int64_t purge_companies(sqlite3 *db, const int64_t *ids, size_t n)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM deals WHERE sales_account_id = ?1",
        "DELETE FROM deals WHERE sales_account_id = ?1",
        "UPDATE contacts SET sales_account_id = NULL WHERE sales_account_id = ?1",
        "DELETE FROM companies WHERE id = ?1",
    };
    sqlite3_stmt *st[4] = {NULL, NULL, NULL, NULL};
    char ref[65], json[64];
    int64_t audit_id, purged = -1;

    if (n == 0)
        return 0;
    if (secure_delete_on(db) < 0)
        return -1;
    for (size_t i = 0; i < 4; i++)
        if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) != SQLITE_OK)
            goto out;
    if (db_begin(db) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        int64_t deals = query_count(st[0], ids[i]);
        if (deals < 0 || erase_subject_ref(db, "company", ids[i], ref) < 0 ||
            exec_id(st[1], ids[i]) < 0 || exec_id(st[2], ids[i]) < 0 || exec_id(st[3], ids[i]) < 0)
            goto out;
        snprintf(json, sizeof json, "{\"deals\":%lld}", (long long)deals);
        if (audit_write(db, 0, 0, "company.purge", ref, json, &audit_id) < 0 ||
            notify_processors(db, audit_id, ref) < 0)
            goto out;
    }
    if (db_commit(db) < 0)
        goto out;
    purged = (int64_t)n;
out:
    if (!sqlite3_get_autocommit(db))
        db_rollback(db);
    for (size_t i = 0; i < 4; i++)
        sqlite3_finalize(st[i]);
    return purged;
}

int64_t erase_purge_expired(sqlite3 *db, int64_t now)
{
    int64_t ids[ERASE_PURGE_BATCH];
    int64_t cutoff = now - ERASE_RETENTION_S, total = 0;
    int err = 0;

    /* Batches keep each transaction (and the write lock) short. */
    for (;;) {
        size_t n = collect_ids(db,
                               "SELECT id FROM contacts WHERE is_deleted = 1"
                               " AND deleted_at IS NOT NULL AND deleted_at <= ?1 ORDER BY id",
                               cutoff, ids, ERASE_PURGE_BATCH, &err);
        if (err)
            return -1;
        if (n == 0)
            break;
        struct erase_counts counts = {0};
        if (forget_contacts(db, ids, n, 0, "contact.purge", &counts, NULL) == ERASE_FAILED)
            return -1;
        total += counts.contacts;
        if (n < ERASE_PURGE_BATCH)
            break;
    }
    for (;;) {
        size_t n = collect_ids(db,
                               "SELECT id FROM companies WHERE is_deleted = 1"
                               " AND deleted_at IS NOT NULL AND deleted_at <= ?1 ORDER BY id",
                               cutoff, ids, ERASE_PURGE_BATCH, &err);
        if (err)
            return -1;
        if (n == 0)
            break;
        int64_t purged = purge_companies(db, ids, n);
        if (purged < 0)
            return -1;
        total += purged;
        if (n < ERASE_PURGE_BATCH)
            break;
    }
    /* Also the periodic retry for a WAL an erasure could not truncate. */
    if ((total > 0 || atomic_load(&erase_wal_pending)) && erase_checkpoint(db) == 0)
        atomic_store(&erase_wal_pending, 0);
    return total;
}

int erase_checkpoint(sqlite3 *db)
{
    for (int attempt = 0; attempt < ERASE_CKPT_TRIES; attempt++) {
        /* TRUNCATE waits (through the busy handler) for readers of old
         * snapshots to finish, copies every frame back and empties the file. */
        int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            return -1;
        struct timespec pause = {0, 20 * 1000 * 1000L * (attempt + 1)};
        nanosleep(&pause, NULL);
    }
    return -1;
}

int64_t erase_rebuilds(void)
{
    return (int64_t)atomic_load(&erase_rebuild_count);
}
