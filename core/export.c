/* The export writers: JSON (the document as read), CSV (RFC 4180) and vCard
 * 4.0 (RFC 6350), and the atomic, mode-0600 file writing they share. */
#include "core/export.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/sanitize.h"

static const char *const kind_records[] = {
#define EXPORT_KIND_RECORD(id, record, key) [id] = record,
    EXPORT_KIND_LIST(EXPORT_KIND_RECORD)
#undef EXPORT_KIND_RECORD
};

/* A growing output buffer; allocation failure aborts. */
struct obuf {
    char *p;
    size_t len, cap;
};

static void ob_put(struct obuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            abort();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void ob_puts(struct obuf *b, const char *s)
{
    ob_put(b, s, strlen(s));
}

/* A complete, inert copy of untrusted text: sanitize_text with a cap it never
 * reaches (an export must not lose data). */
static char *clean_text(const char *s)
{
    size_t n = strlen(s);
    return sanitize_text(s, n, n * 3 + 8);
}

void export_doc_free(struct export_doc **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    struct export_doc *doc = *pp;
    for (size_t i = 0; i < doc->n_records; i++) {
        for (size_t j = 0; j < doc->records[i].n_fields; j++) {
            free(doc->records[i].fields[j].name);
            free(doc->records[i].fields[j].value);
        }
        free(doc->records[i].fields);
    }
    free(doc->records);
    free(doc->generated_at);
    free(doc->json);
    free(doc);
    *pp = NULL;
}

const char *export_record_get(const struct export_record *rec, const char *name)
{
    if (rec == NULL)
        return NULL;
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return rec->fields[i].value;
    return NULL;
}

const char *export_format_ext(enum export_format f)
{
    switch (f) {
    case EXPORT_CSV:
        return "csv";
    case EXPORT_VCARD:
        return "vcf";
    case EXPORT_JSON:
    default:
        return "json";
    }
}

int export_format_parse(const char *name, enum export_format *out)
{
    if (name == NULL)
        return -1;
    if (strcmp(name, "json") == 0)
        *out = EXPORT_JSON;
    else if (strcmp(name, "csv") == 0)
        *out = EXPORT_CSV;
    else if (strcmp(name, "vcf") == 0 || strcmp(name, "vcard") == 0)
        *out = EXPORT_VCARD;
    else
        return -1;
    return 0;
}

/* --- CSV ------------------------------------------------------------------ */

/* A plain number cannot be a formula, so a leading sign on one is kept. */
static bool is_plain_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static void csv_cell(struct obuf *b, const char *value)
{
    if (value == NULL)
        return;
    char *v = clean_text(value);
    bool formula =
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') && !is_plain_number(v);
    bool quote = formula || strpbrk(v, ",\"\r\n") != NULL;

    if (quote)
        ob_put(b, "\"", 1);
    if (formula)
        ob_put(b, "'", 1);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            ob_put(b, "\"\"", 2);
        else
            ob_put(b, p, 1);
    }
    if (quote)
        ob_put(b, "\"", 1);
    free(v);
}

/* Column names of one kind: every field name its records use, first seen first. */
static size_t csv_columns(const struct export_doc *doc, enum export_kind kind, const char ***names)
{
    size_t n = 0, cap = 0;
    const char **v = NULL;

    for (size_t r = 0; r < doc->n_records; r++) {
        const struct export_record *rec = &doc->records[r];
        if (rec->kind != kind)
            continue;
        for (size_t f = 0; f < rec->n_fields; f++) {
            bool seen = false;
            for (size_t i = 0; i < n && !seen; i++)
                seen = strcmp(v[i], rec->fields[f].name) == 0;
            if (seen)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                v = realloc(v, cap * sizeof(*v));
                if (v == NULL)
                    abort();
            }
            v[n++] = rec->fields[f].name;
        }
    }
    *names = v;
    return n;
}

static void render_csv(const struct export_doc *doc, struct obuf *b, export_progress_fn progress,
                       void *ud)
{
    size_t done = 0;
    bool first_section = true;

    for (int k = 0; k < EXPORT_KIND_COUNT; k++) {
        const char **cols = NULL;
        size_t ncols = csv_columns(doc, (enum export_kind)k, &cols);
        bool any = false;
        for (size_t r = 0; r < doc->n_records && !any; r++)
            any = doc->records[r].kind == (enum export_kind)k;
        if (!any) {
            free(cols);
            continue;
        }
        if (!first_section)
            ob_puts(b, "\r\n");
        first_section = false;
        ob_puts(b, "record");
        for (size_t c = 0; c < ncols; c++) {
            ob_put(b, ",", 1);
            csv_cell(b, cols[c]);
        }
        ob_puts(b, "\r\n");
        for (size_t r = 0; r < doc->n_records; r++) {
            const struct export_record *rec = &doc->records[r];
            if (rec->kind != (enum export_kind)k)
                continue;
            ob_puts(b, kind_records[k]);
            for (size_t c = 0; c < ncols; c++) {
                ob_put(b, ",", 1);
                csv_cell(b, export_record_get(rec, cols[c]));
            }
            ob_puts(b, "\r\n");
            if (progress != NULL)
                progress(++done, doc->n_records, ud);
        }
        free(cols);
    }
}

/* --- vCard ---------------------------------------------------------------- */

/* Appends one text component escaped as RFC 6350 3.4 says. */
static void vc_escape(struct obuf *line, const char *value)
{
    char *v = clean_text(value);
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '\\':
            ob_put(line, "\\\\", 2);
            break;
        case ',':
            ob_put(line, "\\,", 2);
            break;
        case ';':
            ob_put(line, "\\;", 2);
            break;
        case '\n':
            ob_put(line, "\\n", 2);
            break;
        default:
            ob_put(line, p, 1);
        }
    }
    free(v);
}

/* Writes a content line folded at 75 octets (RFC 6350 3.2), never inside a
 * UTF-8 character, each physical line ending in CRLF. */
static void vc_emit(struct obuf *b, const struct obuf *line)
{
    const char *s = line->p ? line->p : "";
    size_t len = line->len, i = 0, room = 75;

    while (len - i > room) {
        size_t cut = i + room;
        while (cut > i && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        ob_put(b, s + i, cut - i);
        ob_put(b, "\r\n ", 3);
        i = cut;
        room = 74; /* the leading space counts */
    }
    ob_put(b, s + i, len - i);
    ob_put(b, "\r\n", 2);
}

/* NAME[;params]:value with the value escaped; nothing when value is empty. */
static void vc_prop(struct obuf *b, const char *name, const char *value)
{
    struct obuf line = {0};
    if (value == NULL || value[0] == '\0')
        return;
    ob_puts(&line, name);
    ob_put(&line, ":", 1);
    vc_escape(&line, value);
    vc_emit(b, &line);
    free(line.p);
}

/* A compound value: components joined by ';', each escaped. */
static void vc_compound(struct obuf *b, const char *name, const char *const *parts, size_t n)
{
    struct obuf line = {0};
    bool any = false;

    for (size_t i = 0; i < n; i++)
        any = any || (parts[i] != NULL && parts[i][0] != '\0');
    if (!any)
        return;
    ob_puts(&line, name);
    ob_put(&line, ":", 1);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            ob_put(&line, ";", 1);
        if (parts[i] != NULL)
            vc_escape(&line, parts[i]);
    }
    vc_emit(b, &line);
    free(line.p);
}

/* "2026-11-29T10:00:00Z" -> "20261129T100000Z"; false when not that shape. */
static bool vc_timestamp(const char *iso, char *out, size_t outlen)
{
    size_t o = 0;
    if (iso == NULL || strlen(iso) < 20 || outlen < 17)
        return false;
    for (size_t i = 0; i < 19; i++) {
        char c = iso[i];
        bool digit = c >= '0' && c <= '9';
        if (i == 4 || i == 7 || i == 13 || i == 16) {
            if (c != (i < 10 ? '-' : ':'))
                return false;
        } else if (i == 10) {
            if (c != 'T')
                return false;
            out[o++] = 'T';
        } else if (!digit) {
            return false;
        } else {
            out[o++] = c;
        }
    }
    /* fractions of a second are dropped; only UTC is written as such */
    const char *z = iso + 19;
    if (*z == '.') {
        z++;
        while (*z >= '0' && *z <= '9')
            z++;
    }
    if (strcmp(z, "Z") != 0)
        return false;
    out[o++] = 'Z';
    out[o] = '\0';
    return true;
}

static const char *first_of(const struct export_record *rec, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = export_record_get(rec, names[i]);
        if (v != NULL && v[0] != '\0')
            return v;
    }
    return NULL;
}

static void render_vcard(const struct export_doc *doc, struct obuf *b, export_progress_fn progress,
                         void *ud)
{
    const struct export_record *c = doc->n_records ? &doc->records[0] : NULL;
    struct export_record none = {0};
    char name[64], fallback[48], rev[24];

    if (c == NULL || c->kind != EXPORT_CONTACT)
        c = &none;
    ob_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n");

    const char *first = export_record_get(c, "first_name");
    const char *last = export_record_get(c, "last_name");
    const char *fn = export_record_get(c, "display_name");
    char *joined = NULL;
    if (fn == NULL || fn[0] == '\0') {
        size_t fl = first ? strlen(first) : 0, ll = last ? strlen(last) : 0;
        if (fl + ll > 0) {
            joined = malloc(fl + ll + 2);
            if (joined == NULL)
                abort();
            snprintf(joined, fl + ll + 2, "%s%s%s", first ? first : "", fl && ll ? " " : "",
                     last ? last : "");
            fn = joined;
        } else {
            fn = export_record_get(c, "email");
        }
    }
    if (fn == NULL || fn[0] == '\0') {
        snprintf(fallback, sizeof(fallback), "Contact %lld", (long long)doc->contact_id);
        fn = fallback;
    }
    vc_prop(b, "FN", fn);
    free(joined);
    const char *n_parts[] = {last, first, NULL, NULL, NULL};
    vc_compound(b, "N", n_parts, 5);

    /* every address of emails[], the primary one preferred; else "email" */
    bool any_email = false;
    for (int i = 0;; i++) {
        snprintf(name, sizeof(name), "emails.%d.value", i);
        bool present = false;
        for (size_t f = 0; f < c->n_fields && !present; f++)
            present = strncmp(c->fields[f].name, name, strlen(name) - strlen("value")) == 0;
        if (!present)
            break;
        const char *v = export_record_get(c, name);
        if (v == NULL || v[0] == '\0')
            continue;
        snprintf(name, sizeof(name), "emails.%d.is_primary", i);
        const char *prim = export_record_get(c, name);
        vc_prop(b, prim && strcmp(prim, "true") == 0 ? "EMAIL;PREF=1" : "EMAIL", v);
        any_email = true;
    }
    if (!any_email)
        vc_prop(b, "EMAIL", export_record_get(c, "email"));
    vc_prop(b, "TEL;TYPE=cell", export_record_get(c, "mobile_number"));
    vc_prop(b, "TEL;TYPE=work", export_record_get(c, "work_number"));

    static const char *const org_names[] = {"company_name", "sales_account.name",
                                            "sales_accounts.0.name", "company.name"};
    const char *org[] = {first_of(c, org_names, 4), export_record_get(c, "department")};
    if (org[0] != NULL || org[1] != NULL) {
        if (org[0] == NULL)
            org[0] = "";
        vc_compound(b, "ORG", org, org[1] != NULL && org[1][0] ? 2 : 1);
    }
    vc_prop(b, "TITLE", export_record_get(c, "job_title"));
    const char *adr[] = {NULL,
                         NULL,
                         export_record_get(c, "address"),
                         export_record_get(c, "city"),
                         export_record_get(c, "state"),
                         export_record_get(c, "zipcode"),
                         export_record_get(c, "country")};
    vc_compound(b, "ADR", adr, 7);

    size_t done = 1;
    if (progress != NULL)
        progress(done, doc->n_records, ud);
    for (size_t r = 0; r < doc->n_records; r++) {
        const struct export_record *rec = &doc->records[r];
        if (rec->kind == EXPORT_NOTE) {
            const char *text = export_record_get(rec, "description");
            if (text == NULL)
                text = export_record_get(rec, "body");
            vc_prop(b, "NOTE", text);
        }
        if (rec->kind != EXPORT_CONTACT && progress != NULL)
            progress(++done, doc->n_records, ud);
    }
    if (vc_timestamp(export_record_get(c, "updated_at"), rev, sizeof(rev))) {
        ob_puts(b, "REV:");
        ob_puts(b, rev);
        ob_puts(b, "\r\n");
    }
    ob_puts(b, "END:VCARD\r\n");
}

enum crm_status export_render(const struct export_doc *doc, enum export_format f, char **out,
                              size_t *len, export_progress_fn progress, void *ud)
{
    struct obuf b = {0};

    if (doc == NULL || out == NULL || len == NULL)
        return CRM_ERR_INVALID;
    switch (f) {
    case EXPORT_CSV:
        render_csv(doc, &b, progress, ud);
        break;
    case EXPORT_VCARD:
        render_vcard(doc, &b, progress, ud);
        break;
    case EXPORT_JSON:
    default:
        ob_put(&b, doc->json ? doc->json : "", doc->json ? doc->json_len : 0);
        if (progress != NULL)
            progress(doc->n_records, doc->n_records, ud);
        break;
    }
    if (b.p == NULL)
        ob_put(&b, "", 0);
    *out = b.p;
    *len = b.len;
    return CRM_OK;
}

/* --- files ---------------------------------------------------------------- */

static enum crm_status io_status(int e)
{
#ifdef EDQUOT
    if (e == EDQUOT)
        return CRM_ERR_DISK_FULL;
#endif
    return e == ENOSPC || e == EFBIG ? CRM_ERR_DISK_FULL : CRM_ERR_IO;
}

static enum crm_status io_fail(int e, const char *what, const char *path, char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s %s: %s", what, path, strerror(e));
    return io_status(e);
}

enum crm_status export_write_file(const char *path, const char *data, size_t len, char *err,
                                  size_t errlen)
{
    char *tmp = NULL;
    const char *slash;
    size_t dirlen, need;
    int fd = -1, e;
    enum crm_status st = CRM_OK;

    if (path == NULL || path[0] == '\0' || (data == NULL && len > 0))
        return CRM_ERR_INVALID;
    slash = strrchr(path, '/');
    dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    if (path[dirlen] == '\0') {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s names a directory, not a file", path);
        return CRM_ERR_INVALID;
    }
    /* the temporary file sits beside the target so that rename is atomic */
    need = strlen(path) + 16;
    tmp = malloc(need);
    if (tmp == NULL)
        abort();
    snprintf(tmp, need, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    fd = mkstemp(tmp);
    if (fd < 0) {
        st = io_fail(errno, "cannot create a file beside", path, err, errlen);
        free(tmp);
        return st;
    }
    if (fchmod(fd, 0600) != 0) {
        st = io_fail(errno, "cannot set the mode of", tmp, err, errlen);
        goto fail;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = w < 0 ? errno : ENOSPC;
            st = io_fail(e, "cannot write", path, err, errlen);
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0) {
        st = io_fail(errno, "cannot flush", path, err, errlen);
        goto fail;
    }
    e = close(fd);
    fd = -1;
    if (e != 0) {
        st = io_fail(errno, "cannot write", path, err, errlen);
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        st = io_fail(errno, "cannot replace", path, err, errlen);
        goto fail;
    }
    /* make the rename itself durable */
    {
        char *dir = malloc(dirlen + 2);
        if (dir == NULL)
            abort();
        if (dirlen == 0)
            snprintf(dir, 2, ".");
        else
            snprintf(dir, dirlen + 1, "%.*s", (int)dirlen, path);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(tmp);
    return CRM_OK;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return st;
}

enum crm_status export_write(const struct export_doc *doc, enum export_format f, const char *path,
                             export_progress_fn progress, void *ud, char *err, size_t errlen)
{
    char *data = NULL;
    size_t len = 0;
    enum crm_status st;

    if (doc == NULL || path == NULL)
        return CRM_ERR_INVALID;
    st = export_render(doc, f, &data, &len, progress, ud);
    if (st != CRM_OK)
        return st;
    st = export_write_file(path, data, len, err, errlen);
    free(data);
    if (st == CRM_OK && progress != NULL)
        progress(doc->n_records, doc->n_records, ud);
    return st;
}

enum crm_status export_default_path(int64_t id, enum export_format f, char *out, size_t outlen)
{
    const char *home = getenv("HOME");
    char dir[4096], day[16];
    struct stat sb;
    struct tm tm;
    time_t now = time(NULL);
    int n;

    if (out == NULL || outlen == 0)
        return CRM_ERR_INVALID;
    out[0] = '\0';
    if (home == NULL || home[0] != '/') {
        struct passwd *pw = getpwuid(getuid());
        home = pw != NULL ? pw->pw_dir : NULL;
    }
    if (home == NULL || home[0] == '\0')
        return CRM_ERR_IO;
    n = snprintf(dir, sizeof(dir), "%s/crmtui-exports", home);
    if (n < 0 || (size_t)n >= sizeof(dir))
        return CRM_ERR_IO;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return CRM_ERR_IO;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return CRM_ERR_IO;
    localtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y-%m-%d", &tm);
    n = snprintf(out, outlen, "%s/%lld-%s.%s", dir, (long long)id, day, export_format_ext(f));
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
        return CRM_ERR_INVALID;
    }
    return CRM_OK;
}
