/* The resume journal of a batch run: SQLite, prepared statements, mode 0600,
 * one row per input line (index, contact id, state). */
#include "core/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct journal {
    sqlite3 *db;
    sqlite3_stmt *get, *set;
};

uint64_t journal_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

enum crm_status journal_default_path(uint64_t input_hash, char *out, size_t outlen)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (outlen)
        out[0] = '\0';
    if (state && state[0] == '/')
        n = snprintf(out, outlen, "%s/crmtui/journal-%016" PRIx64 ".db", state, input_hash);
    else if (home && home[0])
        n = snprintf(out, outlen, "%s/.local/state/crmtui/journal-%016" PRIx64 ".db", home,
                     input_hash);
    else
        return CRM_ERR_IO;
    if (n < 0 || (size_t)n >= outlen) {
        if (outlen)
            out[0] = '\0';
        return CRM_ERR_INVALID;
    }
    return CRM_OK;
}

/* mkdir -p of the directories above path, mode 0700. */
static int make_parents(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

enum crm_status journal_open(const char *path, uint64_t input_hash, struct journal **out, char *err,
                             size_t errlen)
{
    enum crm_status st = CRM_ERR_IO;
    struct journal *j = NULL;
    sqlite3_stmt *meta = NULL;
    *out = NULL;
    if (make_parents(path) != 0) {
        snprintf(err, errlen, "cannot create the journal's directory: %s", strerror(errno));
        goto out;
    }
    /* create it 0600 before SQLite opens it, whatever the umask */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the journal: %s", strerror(errno));
        goto out;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        snprintf(err, errlen, "the journal is not a regular file");
        goto out;
    }
    if ((sb.st_mode & 077) != 0 && fchmod(fd, 0600) != 0) {
        close(fd);
        snprintf(err, errlen, "cannot make the journal private: %s", strerror(errno));
        goto out;
    }
    close(fd);
    j = calloc(1, sizeof *j);
    if (!j) {
        st = CRM_ERR_NOMEM;
        goto out;
    }
    if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the journal: %s",
                 j->db ? sqlite3_errmsg(j->db) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(j->db, 5000);
    if (sqlite3_exec(j->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);"
                     "CREATE TABLE IF NOT EXISTS item (idx INTEGER PRIMARY KEY,"
                     " contact_id INTEGER NOT NULL, state INTEGER NOT NULL);",
                     NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "the journal cannot be used: %s", sqlite3_errmsg(j->db));
        goto out;
    }
    char hash[32];
    snprintf(hash, sizeof hash, "%016" PRIx64, input_hash);
    if (sqlite3_prepare_v2(j->db, "INSERT OR IGNORE INTO meta (k, v) VALUES ('input', ?1)", -1,
                           &meta, NULL) != SQLITE_OK)
        goto sqlerr;
    sqlite3_bind_text(meta, 1, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(meta) != SQLITE_DONE)
        goto sqlerr;
    sqlite3_finalize(meta);
    meta = NULL;
    if (sqlite3_prepare_v2(j->db, "SELECT v FROM meta WHERE k = 'input'", -1, &meta, NULL) !=
            SQLITE_OK ||
        sqlite3_step(meta) != SQLITE_ROW)
        goto sqlerr;
    const unsigned char *have = sqlite3_column_text(meta, 0);
    if (!have || strcmp((const char *)have, hash) != 0) {
        snprintf(err, errlen, "the journal belongs to another input; name a new --journal file");
        st = CRM_ERR_CONFLICT;
        goto out;
    }
    if (sqlite3_prepare_v2(j->db, "SELECT contact_id, state FROM item WHERE idx = ?1", -1, &j->get,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(j->db,
                           "INSERT INTO item (idx, contact_id, state) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(idx) DO UPDATE SET contact_id = ?2, state = ?3",
                           -1, &j->set, NULL) != SQLITE_OK)
        goto sqlerr;
    *out = j;
    j = NULL;
    st = CRM_OK;
    goto out;
sqlerr:
    snprintf(err, errlen, "the journal cannot be used: %s", sqlite3_errmsg(j->db));
out:
    sqlite3_finalize(meta);
    journal_close(&j);
    return st;
}

void journal_close(struct journal **pp)
{
    if (!pp || !*pp)
        return;
    struct journal *j = *pp;
    sqlite3_finalize(j->get);
    sqlite3_finalize(j->set);
    sqlite3_close(j->db);
    free(j);
    *pp = NULL;
}

enum journal_state journal_get(struct journal *j, long idx, int64_t *id)
{
    enum journal_state st = JOURNAL_NONE;
    if (id)
        *id = 0;
    sqlite3_reset(j->get);
    sqlite3_bind_int64(j->get, 1, idx);
    if (sqlite3_step(j->get) == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(j->get, 0);
        int s = sqlite3_column_int(j->get, 1);
        if (s == JOURNAL_DONE || s == JOURNAL_FAILED || s == JOURNAL_STARTED)
            st = (enum journal_state)s;
    }
    sqlite3_reset(j->get);
    return st;
}

enum crm_status journal_set(struct journal *j, long idx, int64_t id, enum journal_state st)
{
    sqlite3_reset(j->set);
    sqlite3_bind_int64(j->set, 1, idx);
    sqlite3_bind_int64(j->set, 2, id);
    sqlite3_bind_int(j->set, 3, (int)st);
    int rc = sqlite3_step(j->set);
    sqlite3_reset(j->set);
    return rc == SQLITE_DONE ? CRM_OK : CRM_ERR_IO;
}
