/* The contact search index (search_terms) and prefix search over it: names,
 * emails and phone digits, case-folded so that a query finds them as typed. */
#include "server/search.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "server/json.h"

#define SEARCH_TERM_MAX       128 /* bytes of one term, a NUL included */
#define SEARCH_TERMS_MAX      64  /* terms kept for one contact */
#define SEARCH_QUERY_MAX      256 /* bytes of a query considered */
#define SEARCH_WORDS_MAX      8
#define SEARCH_PHONE_DIGIT    3     /* a phone needs this many digits to be indexed or searched */
#define SEARCH_PHONE_NATIONAL 6     /* digits left after a country code to index them alone */
#define SEARCH_DRIVER_PROBE   2000  /* terms counted to pick the rarest word of a query */
#define SEARCH_SET_MAX        50000 /* ids of one word held in memory to check candidates */
#define SEARCH_SCAN_MAX       5000  /* terms of the rarest word examined, at most */

struct term_set {
    char terms[SEARCH_TERMS_MAX][SEARCH_TERM_MAX];
    int n;
};

/* Decodes one UTF-8 character; returns its length (1..4) and the code point,
 * or 0 when the bytes at s are not a valid sequence. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0];
    size_t n, i;
    unsigned min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        *cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        *cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        *cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

static size_t utf8_encode(unsigned cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static unsigned fold_cp(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xC0)
        return cp;
    if (cp <= 0xDE)
        return cp == 0xD7 ? cp : cp + 0x20;
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x130)
            return 'i';
        if (cp == 0x178)
            return 0xFF;
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return (cp & 1) ? cp + 1 : cp;
        if ((cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
            return (cp & 1) ? cp : cp + 1;
        return cp;
    }
    if (cp >= 0x386 && cp <= 0x3A9) {
        if (cp == 0x386)
            return 0x3AC;
        if (cp >= 0x388 && cp <= 0x38A)
            return cp + 0x25;
        if (cp == 0x38C)
            return 0x3CC;
        if (cp == 0x38E || cp == 0x38F)
            return cp + 0x3F;
        if (cp >= 0x391 && cp != 0x3A2)
            return cp + 0x20;
        return cp;
    }
    if (cp == 0x3C2) /* final sigma */
        return 0x3C3;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    return cp;
}

size_t search_fold(const char *in, size_t inlen, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, o = 0;

    if (outlen == 0)
        return 0;
    while (i < inlen && s[i]) {
        unsigned cp;
        unsigned char enc[4];
        size_t n = utf8_decode(s + i, inlen - i, &cp), m;

        if (n == 0) {
            enc[0] = s[i];
            m = 1;
            n = 1;
        } else {
            m = utf8_encode(fold_cp(cp), enc);
        }
        if (o + m >= outlen)
            break;
        memcpy(out + o, enc, m);
        o += m;
        i += n;
    }
    out[o] = '\0';
    return o;
}

static void terms_add(struct term_set *ts, const char *term, size_t len)
{
    char folded[SEARCH_TERM_MAX];
    size_t n;
    int i;

    if (len == 0 || ts->n >= SEARCH_TERMS_MAX)
        return;
    n = search_fold(term, len, folded, sizeof folded);
    if (n == 0)
        return;
    for (i = 0; i < ts->n; i++)
        if (strcmp(ts->terms[i], folded) == 0)
            return;
    memcpy(ts->terms[ts->n++], folded, n + 1);
}

static int is_word_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == ',' ||
           c == ';' || c == '(' || c == ')' || c == '"';
}

static int is_word_joiner(unsigned char c)
{
    return c == '-' || c == '\'' || c == '.';
}

/* Name words; a word joined by '-', '\'' or '.' also gives its parts. */
static void terms_add_name(struct term_set *ts, const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0;

    if (!name)
        return;
    while (s[i]) {
        size_t start, end, j, part;
        int joined = 0;

        while (s[i] && is_word_space(s[i]))
            i++;
        start = i;
        while (s[i] && !is_word_space(s[i])) {
            if (is_word_joiner(s[i]))
                joined = 1;
            i++;
        }
        end = i;
        if (end == start)
            continue;
        terms_add(ts, name + start, end - start);
        if (!joined)
            continue;
        part = start;
        for (j = start; j <= end; j++) {
            if (j == end || is_word_joiner(s[j])) {
                terms_add(ts, name + part, j - part);
                part = j + 1;
            }
        }
    }
}

static void terms_add_email(struct term_set *ts, const char *email)
{
    const char *at;

    if (!email || !*email)
        return;
    terms_add(ts, email, strlen(email));
    at = strrchr(email, '@');
    if (!at)
        return;
    terms_add(ts, email, (size_t)(at - email));
    terms_add(ts, at + 1, strlen(at + 1));
}

/* Copies the digits of s into out (at most outlen-1); returns their count. */
static size_t phone_digits(const char *s, char *out, size_t outlen)
{
    size_t n = 0;

    for (; s && *s && n + 1 < outlen; s++)
        if (*s >= '0' && *s <= '9')
            out[n++] = *s;
    out[n] = '\0';
    return n;
}

static void terms_add_phone(struct term_set *ts, const char *phone)
{
    char digits[SEARCH_TERM_MAX];
    size_t n = phone_digits(phone, digits, sizeof digits), z = 0, cc;
    const char *p = phone;

    if (n < SEARCH_PHONE_DIGIT)
        return;
    terms_add(ts, digits, n);
    /* National numbers are also found without their trunk zeros ... */
    while (z < n && digits[z] == '0')
        z++;
    if (z > 0 && n - z >= SEARCH_PHONE_DIGIT)
        terms_add(ts, digits + z, n - z);
    /* ... and international ones without their country code (1 to 3 digits). */
    while (*p == ' ')
        p++;
    if (*p != '+')
        return;
    for (cc = 1; cc <= 3 && n - cc >= SEARCH_PHONE_NATIONAL; cc++)
        terms_add(ts, digits + cc, n - cc);
}

int search_index_contact(sqlite3 *db, int64_t contact_id)
{
    static struct term_set empty;
    struct term_set ts = empty;
    sqlite3_stmt *del = NULL, *row = NULL, *mails = NULL, *ins = NULL;
    int rc = -1, i;

    if (sqlite3_prepare_v2(db, "DELETE FROM search_terms WHERE contact_id = ?1", -1, &del, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT first_name, last_name, email, mobile_number, work_number"
                           " FROM contacts WHERE id = ?1",
                           -1, &row, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT value FROM contact_emails WHERE contact_id = ?1", -1, &mails,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO search_terms (term, contact_id) VALUES (?1, ?2)", -1,
                           &ins, NULL) != SQLITE_OK)
        goto out;

    sqlite3_bind_int64(del, 1, contact_id);
    if (sqlite3_step(del) != SQLITE_DONE)
        goto out;

    sqlite3_bind_int64(row, 1, contact_id);
    switch (sqlite3_step(row)) {
    case SQLITE_ROW:
        break;
    case SQLITE_DONE: /* no such contact: nothing to index */
        rc = 0;
        goto out;
    default:
        goto out;
    }
    terms_add_name(&ts, (const char *)sqlite3_column_text(row, 0));
    terms_add_name(&ts, (const char *)sqlite3_column_text(row, 1));
    terms_add_email(&ts, (const char *)sqlite3_column_text(row, 2));
    terms_add_phone(&ts, (const char *)sqlite3_column_text(row, 3));
    terms_add_phone(&ts, (const char *)sqlite3_column_text(row, 4));

    sqlite3_bind_int64(mails, 1, contact_id);
    for (;;) {
        int st = sqlite3_step(mails);
        if (st == SQLITE_DONE)
            break;
        if (st != SQLITE_ROW)
            goto out;
        terms_add_email(&ts, (const char *)sqlite3_column_text(mails, 0));
    }

    for (i = 0; i < ts.n; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, ts.terms[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, contact_id);
        if (sqlite3_step(ins) != SQLITE_DONE)
            goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(del);
    sqlite3_finalize(row);
    sqlite3_finalize(mails);
    sqlite3_finalize(ins);
    return rc;
}

/* The smallest string greater than every string starting with prefix:
 * the prefix with its last byte incremented. Returns -1 when none exists. */
static int prefix_upper(const char *prefix, char *out, size_t outlen)
{
    size_t n = strlen(prefix);

    if (n + 1 > outlen)
        return -1;
    memcpy(out, prefix, n + 1);
    while (n > 0 && (unsigned char)out[n - 1] == 0xFF)
        out[--n] = '\0';
    if (n == 0)
        return -1;
    out[n - 1] = (char)((unsigned char)out[n - 1] + 1);
    return 0;
}

static int is_phone_query(const char *q)
{
    size_t digits = 0;

    for (; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits++;
        else if (!strchr("+-(). /", *q))
            return 0;
    }
    return digits >= SEARCH_PHONE_DIGIT;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* The word whose prefix matches the fewest terms (counted up to a bound):
 * scanning it and checking the others reads the fewest rows. */
static int rarest_word(sqlite3 *db, char words[][SEARCH_TERM_MAX], char uppers[][SEARCH_TERM_MAX],
                       int n_words)
{
    sqlite3_stmt *st = NULL;
    int64_t best_count = -1;
    int best = 0, i;

    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM (SELECT 1 FROM search_terms"
                           " WHERE term >= ?1 AND term < ?2 LIMIT ?3)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (i = 0; i < n_words; i++) {
        int64_t n;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, words[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, uppers[i], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, SEARCH_DRIVER_PROBE);
        if (sqlite3_step(st) != SQLITE_ROW) {
            best = -1;
            break;
        }
        n = sqlite3_column_int64(st, 0);
        if (best_count < 0 || n < best_count) {
            best_count = n;
            best = i;
        }
    }
    sqlite3_finalize(st);
    return best;
}

/* The contacts one word matches, sorted, when there are few enough to hold. */
struct id_set {
    int64_t *ids;
    size_t n;
    bool loaded; /* false: too many; check the word per candidate instead */
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Loads the ids whose terms start with word (at most SEARCH_SET_MAX). */
static int id_set_load(sqlite3 *db, const char *word, const char *upper, struct id_set *set)
{
    sqlite3_stmt *st = NULL;
    int r, rc = -1;

    set->ids = NULL;
    set->n = 0;
    set->loaded = false;
    if (sqlite3_prepare_v2(db,
                           "SELECT contact_id FROM search_terms WHERE term >= ?1 AND term < ?2"
                           " LIMIT ?3",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, SEARCH_SET_MAX + 1);
    set->ids = json_xmalloc((SEARCH_SET_MAX + 1) * sizeof *set->ids);
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        set->ids[set->n++] = sqlite3_column_int64(st, 0);
    if (r != SQLITE_DONE)
        goto out;
    if (set->n > SEARCH_SET_MAX) {
        free(set->ids);
        set->ids = NULL;
        set->n = 0;
    } else {
        qsort(set->ids, set->n, sizeof *set->ids, cmp_id);
        set->loaded = true;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

int search_contacts(sqlite3 *db, const char *q, int64_t *ids_out, int max)
{
    char folded[SEARCH_QUERY_MAX];
    char words[SEARCH_WORDS_MAX][SEARCH_TERM_MAX];
    char uppers[SEARCH_WORDS_MAX][SEARCH_TERM_MAX];
    int n_words = 0, driver = 0, found = 0, scanned, i;
    struct id_set sets[SEARCH_WORDS_MAX];
    sqlite3_stmt *scan = NULL, *has = NULL, *live = NULL;
    char *p;

    if (!q || max <= 0)
        return 0;
    search_fold(q, strlen(q), folded, sizeof folded);

    if (is_phone_query(folded)) {
        phone_digits(folded, words[0], sizeof words[0]);
        n_words = 1;
    } else {
        p = folded;
        while (*p && n_words < SEARCH_WORDS_MAX) {
            size_t len;
            while (*p && is_word_space((unsigned char)*p))
                p++;
            len = 0;
            while (p[len] && !is_word_space((unsigned char)p[len]))
                len++;
            if (len == 0)
                break;
            if (len >= SEARCH_TERM_MAX)
                len = SEARCH_TERM_MAX - 1;
            memcpy(words[n_words], p, len);
            words[n_words][len] = '\0';
            n_words++;
            p += len;
            while (*p && !is_word_space((unsigned char)*p))
                p++;
        }
    }
    if (n_words == 0)
        return 0;
    {
        size_t total = 0;
        for (i = 0; i < n_words; i++)
            total += utf8_chars(words[i]);
        if (total < 2)
            return 0;
    }
    for (i = 0; i < n_words; i++)
        if (prefix_upper(words[i], uppers[i], sizeof uppers[i]) < 0)
            return 0;
    if (n_words > 1 && (driver = rarest_word(db, words, uppers, n_words)) < 0)
        return -1;

    memset(sets, 0, sizeof sets);
    for (i = 0; i < n_words; i++) {
        if (i != driver && id_set_load(db, words[i], uppers[i], &sets[i]) < 0) {
            found = -1;
            goto out;
        }
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT contact_id FROM search_terms WHERE term >= ?1 AND term < ?2"
                           " ORDER BY term, contact_id",
                           -1, &scan, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT 1 FROM search_terms WHERE contact_id = ?1"
                           " AND +term >= ?2 AND +term < ?3 LIMIT 1",
                           -1, &has, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT 1 FROM contacts WHERE id = ?1 AND is_deleted = 0", -1, &live,
                           NULL) != SQLITE_OK) {
        found = -1;
        goto out;
    }
    sqlite3_bind_text(scan, 1, words[driver], -1, SQLITE_STATIC);
    sqlite3_bind_text(scan, 2, uppers[driver], -1, SQLITE_STATIC);
    /* Bounded: a query of common one-letter words gives up after
     * SEARCH_SCAN_MAX candidates rather than read the whole index. */
    for (scanned = 0; found < max && scanned < SEARCH_SCAN_MAX; scanned++) {
        int st = sqlite3_step(scan), dup = 0, all = 1;
        int64_t id;

        if (st == SQLITE_DONE)
            break;
        if (st != SQLITE_ROW) {
            found = -1;
            goto out;
        }
        id = sqlite3_column_int64(scan, 0);
        for (i = 0; i < found && !dup; i++)
            dup = ids_out[i] == id;
        if (dup)
            continue;
        for (i = 0; i < n_words && all; i++) {
            if (i == driver)
                continue;
            if (sets[i].loaded) {
                all = bsearch(&id, sets[i].ids, sets[i].n, sizeof id, cmp_id) != NULL;
                continue;
            }
            sqlite3_reset(has);
            sqlite3_bind_int64(has, 1, id);
            sqlite3_bind_text(has, 2, words[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(has, 3, uppers[i], -1, SQLITE_STATIC);
            st = sqlite3_step(has);
            if (st != SQLITE_ROW && st != SQLITE_DONE) {
                found = -1;
                goto out;
            }
            all = st == SQLITE_ROW;
        }
        if (!all)
            continue;
        /* Only contacts that are not in the Recycle Bin. */
        sqlite3_reset(live);
        sqlite3_bind_int64(live, 1, id);
        st = sqlite3_step(live);
        if (st != SQLITE_ROW && st != SQLITE_DONE) {
            found = -1;
            goto out;
        }
        if (st == SQLITE_ROW)
            ids_out[found++] = id;
    }
out:
    for (i = 0; i < n_words; i++)
        free(sets[i].ids);
    sqlite3_finalize(scan);
    sqlite3_finalize(has);
    sqlite3_finalize(live);
    return found;
}
