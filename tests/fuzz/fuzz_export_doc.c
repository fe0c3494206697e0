/* Fuzz target: the export document (GET /contacts/{id}/export, and the same
 * document assembled from ordinary answers) and its JSON, CSV and vCard
 * renderings, which must be inert, well-formed and lose nothing. */
#include <stdlib.h>
#include <string.h>

#include "core/export.h"
#include "tests/fuzz/fuzz_check.h"

static const char *const fuzz_records[] = {
#define FUZZ_RECORD(id, record, key) [id] = record,
    EXPORT_KIND_LIST(FUZZ_RECORD)
#undef FUZZ_RECORD
};

struct fuzz_progress {
    size_t calls, done, total;
};

static void fuzz_on_progress(size_t done, size_t total, void *ud)
{
    struct fuzz_progress *p = ud;

    FUZZ_ASSERT(done <= total);
    FUZZ_ASSERT(p->calls == 0 || (done >= p->done && total == p->total));
    p->calls++;
    p->done = done;
    p->total = total;
}

/* Whether s is a number with an optional sign, which a spreadsheet cannot
 * take for a formula. */
static bool fuzz_plain_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0, frac = 0;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, frac++;
        if (frac == 0)
            return false;
    }
    return digits > 0 && i == n;
}

/* One CSV cell after unquoting. */
static void fuzz_csv_cell(const char *cell, size_t n, bool quoted)
{
    fuzz_check_clean(cell, n, true);
    if (!quoted)
        FUZZ_ASSERT(memchr(cell, '\n', n) == NULL);
    /* formula-safe: a cell a spreadsheet would evaluate is a plain number */
    if (n > 0 && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@'))
        FUZZ_ASSERT(fuzz_plain_number(cell, n));
}

/* Reads the CSV as RFC 4180 says: sections apart by an empty line, each a
 * header row "record,..." then rows of one record kind, all as wide as it. */
static void fuzz_csv(const char *s, size_t len, const struct export_doc *doc)
{
    char *cell = malloc(len + 1);
    size_t i = 0, rows = 0, header_cells = 0;
    bool header = true;
    int kind = -1;

    FUZZ_ASSERT(cell != NULL);
    while (i < len) {
        size_t cells = 0;
        if (s[i] == '\r') {
            /* the empty line between sections */
            FUZZ_ASSERT(!header && i + 1 < len && s[i + 1] == '\n');
            i += 2;
            header = true;
            continue;
        }
        for (;;) {
            size_t n = 0;
            bool quoted = i < len && s[i] == '"';
            if (quoted) {
                for (i++;; i++) {
                    FUZZ_ASSERT(i < len);
                    if (s[i] == '"') {
                        if (i + 1 < len && s[i + 1] == '"') {
                            cell[n++] = '"';
                            i++;
                            continue;
                        }
                        i++;
                        break;
                    }
                    FUZZ_ASSERT(s[i] != '\r');
                    cell[n++] = s[i];
                }
            } else {
                for (; i < len && s[i] != ',' && s[i] != '\r'; i++) {
                    FUZZ_ASSERT(s[i] != '"' && s[i] != '\n');
                    cell[n++] = s[i];
                }
            }
            cell[n] = '\0';
            if (cells == 0 && header) {
                FUZZ_ASSERT(strcmp(cell, "record") == 0);
            } else if (cells == 0) {
                FUZZ_ASSERT(kind >= 0 && strcmp(cell, fuzz_records[kind]) == 0);
                rows++;
            } else {
                fuzz_csv_cell(cell, n, quoted);
            }
            cells++;
            FUZZ_ASSERT(i < len);
            if (s[i] == ',') {
                i++;
                continue;
            }
            FUZZ_ASSERT(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');
            i += 2;
            break;
        }
        if (header) {
            header_cells = cells;
            header = false;
            /* the section holds the kind of the next record, in list order */
            FUZZ_ASSERT(rows < doc->n_records && (int)doc->records[rows].kind > kind);
            kind = (int)doc->records[rows].kind;
        } else {
            FUZZ_ASSERT(cells == header_cells);
        }
    }
    FUZZ_ASSERT(!header);
    FUZZ_ASSERT(rows == doc->n_records);
    free(cell);
}

/* Checks the vCard: CRLF lines of at most 75 octets, folded between
 * characters, no control character, one FN, BEGIN and END around it. */
static void fuzz_vcard(const char *s, size_t len)
{
    static const char begin[] = "BEGIN:VCARD\r\nVERSION:4.0\r\n", end[] = "END:VCARD\r\n";
    size_t i = 0, fn = 0;

    FUZZ_ASSERT(len >= sizeof begin - 1 + sizeof end - 1);
    FUZZ_ASSERT(memcmp(s, begin, sizeof begin - 1) == 0);
    FUZZ_ASSERT(memcmp(s + len - (sizeof end - 1), end, sizeof end - 1) == 0);
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '\r' && s[j] != '\n')
            j++;
        FUZZ_ASSERT(j + 1 < len && s[j] == '\r' && s[j + 1] == '\n');
        FUZZ_ASSERT(j > i && j - i <= 75);
        FUZZ_ASSERT(fuzz_check_utf8_valid(s + i, j - i));
        fuzz_check_clean(s + i, j - i, false);
        if (s[i] != ' ') {
            /* a content line starts with its property name */
            size_t k = i;
            while (k < j &&
                   ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
                    (s[k] >= '0' && s[k] <= '9') || s[k] == ';' || s[k] == '=' || s[k] == '-'))
                k++;
            FUZZ_ASSERT(k > i && k < j && s[k] == ':');
            if (k - i == 2 && memcmp(s + i, "FN", 2) == 0)
                fn++;
        }
        i = j + 2;
    }
    FUZZ_ASSERT(fn == 1);
}

static bool fuzz_same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The document's own JSON reads back as the same document. */
static void fuzz_roundtrip(const struct export_doc *doc, bool exact)
{
    struct export_doc *back = NULL;
    char err[256] = "";
    enum crm_status st = export_doc_parse(doc->json, doc->json_len, &back, err, sizeof err);

    FUZZ_ASSERT(st == CRM_OK && back != NULL);
    FUZZ_ASSERT(back->n_records == doc->n_records);
    if (exact) {
        FUZZ_ASSERT(back->json_len == doc->json_len && strcmp(back->json, doc->json) == 0);
        FUZZ_ASSERT(back->contact_id == doc->contact_id);
        FUZZ_ASSERT(fuzz_same(back->generated_at, doc->generated_at));
        for (size_t r = 0; r < doc->n_records; r++) {
            const struct export_record *a = &doc->records[r], *b = &back->records[r];
            FUZZ_ASSERT(a->kind == b->kind && a->n_fields == b->n_fields);
            for (size_t f = 0; f < a->n_fields; f++) {
                FUZZ_ASSERT(strcmp(a->fields[f].name, b->fields[f].name) == 0);
                FUZZ_ASSERT(fuzz_same(a->fields[f].value, b->fields[f].value));
            }
        }
    }
    export_doc_free(&back);
}

/* Everything the header promises of a parsed or assembled document. */
static void fuzz_doc(const struct export_doc *doc, bool exact)
{
    static const enum export_format formats[] = {EXPORT_JSON, EXPORT_CSV, EXPORT_VCARD};

    FUZZ_ASSERT(doc->n_records >= 1 && doc->records != NULL);
    FUZZ_ASSERT(doc->records[0].kind == EXPORT_CONTACT);
    for (size_t r = 0; r < doc->n_records; r++) {
        const struct export_record *rec = &doc->records[r];
        FUZZ_ASSERT(r == 0 ||
                    (rec->kind != EXPORT_CONTACT && rec->kind >= doc->records[r - 1].kind));
        FUZZ_ASSERT(rec->n_fields == 0 || rec->fields != NULL);
        for (size_t f = 0; f < rec->n_fields; f++)
            FUZZ_ASSERT(rec->fields[f].name != NULL);
    }
    FUZZ_ASSERT(doc->json != NULL && strlen(doc->json) == doc->json_len);
    /* inert: every control, DEL, C1, bidi and zero-width character escaped */
    fuzz_check_clean(doc->json, doc->json_len, true);
    fuzz_roundtrip(doc, exact);

    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        struct fuzz_progress prog = {0};
        char *out = NULL;
        size_t len = 0;
        enum crm_status st = export_render(doc, formats[i], &out, &len, fuzz_on_progress, &prog);

        FUZZ_ASSERT(st == CRM_OK && out != NULL && strlen(out) == len);
        FUZZ_ASSERT(prog.calls > 0 && prog.total == doc->n_records && prog.done == prog.total);
        if (formats[i] == EXPORT_JSON)
            FUZZ_ASSERT(len == doc->json_len && memcmp(out, doc->json, len) == 0);
        else if (formats[i] == EXPORT_CSV)
            fuzz_csv(out, len, doc);
        else
            fuzz_vcard(out, len);
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    const char *const pages[] = {body, body};
    const size_t lens[] = {size, size};
    bool exact = fuzz_check_utf8_valid(body, size);
    struct export_doc *doc = NULL;
    char err[256] = "";
    enum crm_status st;

    st = export_doc_parse(body, size, &doc, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(doc != NULL);
        fuzz_doc(doc, exact);
        export_doc_free(&doc);
        FUZZ_ASSERT(doc == NULL);
    } else {
        FUZZ_ASSERT(st == CRM_ERR_PROTOCOL && doc == NULL);
        fuzz_check_err(err, sizeof err);
    }

    /* the same bytes as the contact answer, two activity pages and the notes
     * answer of a server without the export endpoint */
    for (int with_notes = 0; with_notes < 2; with_notes++) {
        err[0] = '\0';
        st = export_doc_assemble(body, size, pages, lens, 2, with_notes ? body : NULL,
                                 with_notes ? size : 0, "2026-01-01T00:00:00Z", &doc, err,
                                 sizeof err);
        if (st == CRM_OK) {
            FUZZ_ASSERT(doc != NULL);
            FUZZ_ASSERT(fuzz_same(doc->generated_at, "2026-01-01T00:00:00Z"));
            fuzz_doc(doc, exact);
            export_doc_free(&doc);
        } else {
            FUZZ_ASSERT(st == CRM_ERR_PROTOCOL && doc == NULL);
            fuzz_check_err(err, sizeof err);
        }
    }
    return 0;
}
